"""The one source of time for a session, so tests and scripts (``--now``) can fix it.

Wall time is the start instant plus monotonic time elapsed, so a session's timestamps never jump
when the system clock is adjusted mid-drill, and a fixed ``--now`` still advances as answers
arrive.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final


class Clock:
    """Wall time anchored at ``start`` (default: now), advanced by ``monotonic``."""

    def __init__(
        self,
        start: datetime | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._monotonic = monotonic
        self._origin = monotonic()
        self._start = (start or datetime.now(UTC)).astimezone(UTC)

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards; for latencies and countdowns."""
        return self._monotonic()

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC (what ``fsrs`` requires)."""
        return self._start + timedelta(seconds=self._monotonic() - self._origin)


class ManualClock(Clock):
    """A clock that moves only when told to: for tests of timing and scheduling."""

    def __init__(self, start: datetime) -> None:
        self._seconds = 0.0
        super().__init__(start, lambda: self._seconds)

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        self._seconds += seconds


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; without a zone it is UTC (SPEC 3). Raises ValueError."""
    value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


EARLIEST: Final = datetime(1970, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(9000, 1, 1, tzinfo=UTC)
"""``--now`` is taken from 1970 to the end of 8999: due dates a century of reviews later and a
session's own clock still fit in a ``datetime`` (up to year 9999), where year 1 shifted by a time
zone, or 9999 plus a review, were an OverflowError traceback (or a session left open)."""


def format_instant(value: datetime) -> str:
    """ISO 8601 UTC with millisecond precision and a ``Z``: sortable as text in the store."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"  # "+00:00" off
