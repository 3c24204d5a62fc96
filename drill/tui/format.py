"""How figures and answers are written on screen, in the trainee's language.

Kept apart from the screens so the summary, the feedback and the stats screen word a score,
a duration or an expected answer the same way.
"""

from __future__ import annotations

import math
from typing import Any

from drill.deck.model import CallCard, ChoiceCard, OrderCard
from drill.display import percent
from drill.tui.i18n import _

__all__ = ["clock_time", "duration", "expected_lines", "percent"]


def duration(ms: float) -> str:
    """A session's length for people: ``45 s``, ``3 min 12 s``."""
    seconds = max(0, round(ms / 1000))
    minutes, seconds = divmod(seconds, 60)
    if minutes == 0:
        return _("{seconds} s").format(seconds=seconds)
    return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=seconds)


def clock_time(seconds: float) -> str:
    """A countdown as ``m:ss``, rounded up so it reads 0:00 only when time is up."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def expected_lines(card: Any, expected: Any) -> list[str]:
    """The right answer as lines to show: one per step, one per right choice, else one."""
    if isinstance(card, OrderCard):
        return [f"{i}. {step}" for i, step in enumerate(expected, start=1)]
    if isinstance(card, ChoiceCard | CallCard) and isinstance(expected, list):
        return [f"• {text}" for text in expected]  # a call: the good reply at each turn
    return [str(expected)]
