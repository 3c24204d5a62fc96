"""Ctrl-C, SIGTERM and SIGHUP as ``KeyboardInterrupt``, held back while an answer is being
stored.

Python raises a signal's ``KeyboardInterrupt`` between any two bytecodes. Landing inside a store
call, it can leave a database connection mid-conversation: psycopg with a query still in
flight, which no rollback can then clear, so the session could not even be closed. The headless
runner therefore marks its calls into the session engine as held: a signal arriving during one
is remembered and raised as soon as the call returns (the answer is then stored and its result
not yet printed, which SPEC 5 allows). Everywhere else, waiting for input above all, it is
raised at once, as before.

A signal the parent set to be ignored stays ignored: ``nohup drill run --headless ...`` keeps
running when its terminal goes away, and a background job ignores the Ctrl-C meant for the
foreground, as Python itself does for SIGINT.
"""

from __future__ import annotations

import signal
from types import FrameType, TracebackType


def not_ignored(*names: str) -> list[signal.Signals]:
    """The signals ``names`` (``"SIGHUP"``...) that this platform has and this process was not
    started with set to be ignored."""
    numbers = [getattr(signal, name) for name in names if hasattr(signal, name)]
    return [number for number in numbers if signal.getsignal(number) != signal.SIG_IGN]


class Interrupts:
    """The SIGINT, SIGTERM and SIGHUP handler of a headless run, with ``held()`` sections."""

    def __init__(self) -> None:
        self._holding = 0
        self._pending = False
        self._held = _Held(self)

    def install(self) -> None:
        """Handle SIGINT, SIGTERM and SIGHUP here from now on (those not ignored)."""
        for number in not_ignored("SIGINT", "SIGTERM", "SIGHUP"):
            signal.signal(number, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._holding:
            self._pending = True
            return
        raise KeyboardInterrupt

    def held(self) -> _Held:
        """Run the block whole; an interrupt that arrived meanwhile is raised after it."""
        return self._held


class _Held:
    """``Interrupts.held()``: a plain context manager, entered for every answer (a generator
    one costs a microsecond more each time), and re-entrant."""

    def __init__(self, interrupts: Interrupts) -> None:
        self._interrupts = interrupts

    def __enter__(self) -> None:
        self._interrupts._holding += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        interrupts = self._interrupts
        interrupts._holding -= 1
        if not interrupts._holding and interrupts._pending:
            interrupts._pending = False
            raise KeyboardInterrupt
