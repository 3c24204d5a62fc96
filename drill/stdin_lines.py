"""Answer lines from stdin for the headless runner, in a wait that a signal always ends.

A plain ``readline()`` has a race: Python runs its signal handlers between bytecodes, so a
SIGINT or SIGTERM that lands after the last check but before the ``read()`` system call starts
is only acted on when input next arrives; with stdin left open by a script, that is never and
the process hangs. Here the wait is a ``select`` that also watches a self-pipe registered with
``signal.set_wakeup_fd``: a signal arriving at any moment, even before the wait begins, leaves a
byte there and wakes it, and the handler's ``KeyboardInterrupt`` is raised at once.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal


class StdinLines:
    """``readline()`` over a file descriptor: UTF-8 (bytes that are not become U+FFFD, read as
    an unreadable answer), ``""`` at end of input, like a text file's."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = b""
        self._eof = False
        self._wake_read, wake_write = os.pipe()
        for end in (self._wake_read, wake_write):
            os.set_blocking(end, False)
        self._wake_write = wake_write
        self._previous = signal.set_wakeup_fd(wake_write)

    def readline(self) -> str:
        while b"\n" not in self._buffer and not self._eof:
            ready, _, _ = select.select([self._fd, self._wake_read], [], [])
            if self._wake_read in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(self._wake_read, 4096)  # the handler itself runs at the next bytecode
            if self._fd in ready:
                chunk = os.read(self._fd, 65536)
                self._buffer += chunk
                self._eof = not chunk
        line, newline, self._buffer = self._buffer.partition(b"\n")
        return (line + newline).decode("utf-8", errors="replace")

    def close(self) -> None:
        """Give the wakeup descriptor back and close the self-pipe."""
        signal.set_wakeup_fd(self._previous)
        for end in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(end)
