"""Headless stdin: lines as a text file gives them, and a wait that a signal always ends."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

import pytest

from drill.stdin_lines import StdinLines


@pytest.fixture
def pipe():
    read_end, write_end = os.pipe()
    lines = StdinLines(read_end)
    yield lines, write_end
    lines.close()
    for fd in (read_end, write_end):
        with contextlib.suppress(OSError):
            os.close(fd)


def test_lines_utf8_and_end_of_input(pipe):
    lines, write_end = pipe
    os.write(write_end, b"B,C\n" + "您好\n".encode() + b"bad \xff")
    os.close(write_end)
    assert lines.readline() == "B,C\n"
    assert lines.readline() == "您好\n"
    assert lines.readline() == "bad \ufffd"  # a last line without its newline, bad byte replaced
    assert lines.readline() == ""


def test_a_signal_during_the_wait_interrupts_it(pipe):
    lines, _write_end = pipe  # stdin stays open and silent, as a script may leave it
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            lines.readline()
    finally:
        timer.cancel()
