"""Answer lines from stdin for the headless runner, in a wait that a signal always ends.

A plain ``readline()`` has a race: Python runs its signal handlers between bytecodes, so a
SIGINT or SIGTERM that lands after the last check but before the ``read()`` system call starts
is only acted on when input next arrives; with stdin left open by a script, that is never and
the process hangs. Here the wait is a ``select`` that also watches a self-pipe registered with
``signal.set_wakeup_fd``: a signal arriving at any moment, even before the wait begins, leaves a
byte there and wakes it, and the handler's ``KeyboardInterrupt`` is raised at once.

Input is untrusted, so reading it costs time and memory in proportion to what arrives, never
more: each chunk is searched for a newline once (not the whole buffer again), and a line longer
than ``MAX_LINE`` is not kept: its start is, for the record, and the rest is read and dropped
until its newline (the answer is unreadable, graded wrong with an ``error``). Each line carries
the moment its first byte arrived, so the time drill spends reading a long line is not counted
as the trainee's.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Final

MAX_LINE: Final = 1024 * 1024
"""Longest answer line read, in bytes (1 MiB): no answer a person or a script means to give is
longer, and a 100 MB line once took a minute and 400 MB to read."""
EXCERPT: Final = 200
"""Bytes kept of an over-long line: its start, stored as the (unreadable) answer."""
_CHUNK: Final = 65536


class OverlongLine(str):
    """What ``readline`` returns for a line longer than ``MAX_LINE``: its start only."""

    error: Final = f"the answer is longer than {MAX_LINE:,} bytes: not read"


class StdinLines:
    """``readline()`` over a file descriptor: UTF-8 (bytes that are not become U+FFFD, read as
    an unreadable answer), ``""`` at end of input, like a text file's.

    ``arrived`` is the moment (on ``clock``) the first byte of the line last returned was read.
    """

    def __init__(self, fd: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._fd = fd
        self._clock = clock
        self._buffer = bytearray()
        self._start = 0
        """Where the next line begins in ``_buffer`` (lines before it were returned)."""
        self._scanned = 0
        """Bytes of ``_buffer`` from ``_start`` known to hold no newline."""
        self._first_at: float | None = None
        """When the byte at ``_start`` arrived (None while nothing is waiting)."""
        self._last_at: float | None = None
        """When the latest chunk arrived."""
        self._eof = False
        self.arrived: float | None = None
        self._wake_read, wake_write = os.pipe()
        for end in (self._wake_read, wake_write):
            os.set_blocking(end, False)
        self._wake_write = wake_write
        self._previous = signal.set_wakeup_fd(wake_write)

    def _read_chunk(self) -> bytes | None:
        """The next chunk from the descriptor (``b""`` at end of input), or None when a signal
        woke the wait (its handler raises at the next bytecode)."""
        ready, _, _ = select.select([self._fd, self._wake_read], [], [])
        if self._wake_read in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(self._wake_read, 4096)
        if self._fd not in ready:
            return None
        return os.read(self._fd, _CHUNK)

    def readline(self) -> str:
        overlong: bytes | None = None
        """The start of an over-long line, once the line has outgrown ``MAX_LINE``."""
        while True:
            end = self._buffer.find(b"\n", self._start + self._scanned)
            if end >= 0 or self._eof:
                break
            self._scanned = len(self._buffer) - self._start
            if self._scanned > MAX_LINE:  # keep its start; drop what is read from now on
                if overlong is None:
                    overlong = bytes(self._buffer[self._start : self._start + EXCERPT])
                del self._buffer[:]
                self._start = self._scanned = 0
            chunk = self._read_chunk()
            if chunk is None:
                continue
            now = self._clock()
            if self._start == len(self._buffer) and overlong is None:
                self._first_at = now
            self._last_at = now
            self._buffer += chunk
            self._eof = not chunk
        self.arrived = self._first_at
        stop = len(self._buffer) if end < 0 else end + 1
        line = bytes(self._buffer[self._start : stop])
        self._start, self._scanned = stop, 0
        if self._start == len(self._buffer):
            del self._buffer[:]
            self._start = 0
            self._first_at = None
        else:  # what follows the newline came in the chunk that held it, the latest one
            self._first_at = self._last_at
            if self._start > _CHUNK:
                del self._buffer[: self._start]
                self._start = 0
        if overlong is not None or len(line) > MAX_LINE:
            start = overlong if overlong is not None else line[:EXCERPT]
            return OverlongLine(start.decode("utf-8", errors="replace") + "…")
        return line.decode("utf-8", errors="replace")

    def close(self) -> None:
        """Give the wakeup descriptor back and close the self-pipe."""
        signal.set_wakeup_fd(self._previous)
        for end in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(end)
