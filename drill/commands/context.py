"""Options several commands parse the same way: the clock's ``--now``, and ``--since``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from drill.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime


def start_instant(args: argparse.Namespace) -> datetime | None:
    """``--now`` parsed, or None for the real time."""
    text = getattr(args, "now", None)
    if text is None:
        return None
    from drill.clock import parse_instant  # only for --now: validate never loads datetime

    try:
        return parse_instant(text)
    except ValueError:
        raise UsageError(f"--now {text!r} is not an ISO 8601 date and time") from None


def since(args: argparse.Namespace) -> datetime | None:
    """``--since DATE`` (a day, from its start in UTC, or an instant), or None for ever."""
    text = getattr(args, "since", None)
    if text is None:
        return None
    from datetime import UTC

    from drill.clock import parse_instant

    try:
        value = parse_instant(text)
    except (ValueError, OverflowError):
        raise UsageError(
            f"--since {text!r} is not a date (YYYY-MM-DD) or an ISO 8601 instant"
        ) from None
    return value.astimezone(UTC)
