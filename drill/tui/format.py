"""How figures and answers are written on screen, in the trainee's language.

Kept apart from the screens so the summary, the feedback and the stats screen word a score,
a duration or an answer the same way: choices always as a bulleted list, steps always as a
numbered one.
"""

from __future__ import annotations

import math
from typing import Any

from drill.deck.model import CallCard, ChoiceCard, OrderCard
from drill.display import percent
from drill.grading import Ordered, Picked, Response, TimedOut
from drill.planning import ShownCard
from drill.tui.i18n import _

__all__ = [
    "answer_items",
    "clock_time",
    "duration",
    "expected_items",
    "misplaced",
    "percent",
]

BULLET = "•"


def duration(ms: float) -> str:
    """A session's length for people: ``45 s``, ``3 min 12 s``, ``5 min``."""
    seconds = max(0, round(ms / 1000))
    minutes, seconds = divmod(seconds, 60)
    if minutes == 0:
        return _("{seconds} s").format(seconds=seconds)
    if seconds == 0:
        return _("{minutes} min").format(minutes=minutes)
    return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=seconds)


def clock_time(seconds: float) -> str:
    """A countdown as ``m:ss``, rounded up so it reads 0:00 only when time is up."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def expected_items(card: Any, expected: Any) -> list[tuple[str, str]]:
    """The right answer as (marker, text) items: numbered steps, bulleted choices, else one."""
    if isinstance(card, OrderCard):
        return [(f"{i}.", step) for i, step in enumerate(expected, start=1)]
    if isinstance(card, ChoiceCard):
        return [(BULLET, text) for text in (expected if isinstance(expected, list) else [expected])]
    if isinstance(card, CallCard) and isinstance(expected, list):
        return [(BULLET, text) for text in expected]  # a call: the good reply at each turn
    return [("", str(expected))]


def answer_items(shown: ShownCard, response: Response, answer: str) -> list[tuple[str, str]]:
    """What the trainee answered, in the same style as ``expected_items`` (choices in the
    order they were shown); text typed (or picked) but not sent before time ran out is shown
    as their answer too."""
    card = shown.card
    if isinstance(response, TimedOut) and response.pending is not None:
        response = response.pending
    if isinstance(card, ChoiceCard) and isinstance(response, Picked):
        return [(BULLET, card.choices[i].text) for i in shown.order if i in response.indexes]
    if isinstance(card, OrderCard) and isinstance(response, Ordered):
        return [(f"{i}.", card.steps[s]) for i, s in enumerate(response.sequence, start=1)]
    return [("", answer)] if answer else []


def misplaced(response: Response) -> list[bool]:
    """For an order answer, whether each place holds the wrong step (empty otherwise)."""
    if isinstance(response, TimedOut) and response.pending is not None:
        response = response.pending
    if not isinstance(response, Ordered):
        return []
    return [step != place for place, step in enumerate(response.sequence)]


def not_in_place() -> str:
    """The caption for the mark beside misplaced steps."""
    return _("✗ not in its place")
