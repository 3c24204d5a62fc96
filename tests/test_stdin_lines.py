"""Headless stdin: lines as a text file gives them, and a wait that a signal always ends."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import threading
from datetime import UTC, datetime

import pytest

from drill.stdin_lines import EXCERPT, MAX_LINE, OverlongLine, StdinLines


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
    # Python's own Ctrl-C handler, whatever this test process inherited: a process started in
    # the background by a non-interactive shell ignores SIGINT, and then nothing would wake.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            lines.readline()
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)


def test_each_line_carries_when_its_first_byte_arrived():
    """The clock is read once per chunk read; here reading it also sends the next chunk, so
    each chunk is a separate read at a known time."""
    read_end, write_end = os.pipe()
    chunks = [b"def\nxy", b"z\n", b""]
    times = iter(range(1, 10))

    def clock() -> float:
        if chunks:
            chunk = chunks.pop(0)
            if chunk:
                os.write(write_end, chunk)
            else:
                os.close(write_end)
        return float(next(times))

    os.write(write_end, b"abc")
    lines = StdinLines(read_end, clock)
    try:
        assert (lines.readline(), lines.arrived) == ("abcdef\n", 1.0)  # began in the 1st chunk
        assert (lines.readline(), lines.arrived) == ("xyz\n", 2.0)  # began in the 2nd
        assert lines.readline() == ""
    finally:
        lines.close()
        os.close(read_end)


def test_an_over_long_line_is_dropped_past_its_start_and_the_next_line_is_intact():
    read_end, write_end = os.pipe()
    lines = StdinLines(read_end)
    long_line = b"x" * (3 * MAX_LINE) + b"\n"

    def write() -> None:
        os.write(write_end, b"first\n" + long_line + b"after\n")
        os.close(write_end)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert lines.readline() == "first\n"
        overlong = lines.readline()
        assert isinstance(overlong, OverlongLine)
        assert overlong == "x" * EXCERPT + "…"
        assert lines.readline() == "after\n"
        assert lines.readline() == ""
        assert len(lines._buffer) <= MAX_LINE + 65536  # never held the whole line
    finally:
        writer.join()
        lines.close()
        os.close(read_end)


def test_a_line_of_exactly_the_limit_is_read():
    read_end, write_end = os.pipe()
    lines = StdinLines(read_end)
    line = b"y" * (MAX_LINE - 1) + b"\n"
    writer = threading.Thread(target=lambda: (os.write(write_end, line), os.close(write_end)))
    writer.start()
    try:
        assert lines.readline() == line.decode()
    finally:
        writer.join()
        lines.close()
        os.close(read_end)


def test_reading_a_long_answer_is_not_counted_as_the_trainees_latency(tmp_path):
    """A 900 KB answer arrives in 15 reads and each read here takes 10 s of the session's clock:
    the trainee answered when its first byte arrived, not 150 s later, so the card (30 s) is
    not timed out. Before, the latency was measured after reading."""
    from drill import headless
    from drill.clock import ManualClock
    from drill.deck.loader import load_text
    from drill.session import Options, Session
    from drill.store import EmptyStore

    deck = load_text(
        "id: d\ntitle: D\ncards:\n  - {id: t, prompt: Say it, answer: yes}\n", "d.yaml"
    ).deck
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    read_end, write_end = os.pipe()

    def slow_read_clock() -> float:
        clock.advance(10)
        return clock.monotonic()

    nowhere = EmptyStore("nowhere").learner("nobody")
    session = Session([deck], Options(mode="drill", seed=1, save=False), clock, nowhere)
    answer = json.dumps({"answer": "yes" + " " * 900_000}) + "\n"
    writer = threading.Thread(
        target=lambda: (os.write(write_end, answer.encode()), os.close(write_end))
    )
    lines = StdinLines(read_end, slow_read_clock)
    out = io.StringIO()
    writer.start()
    try:
        headless.run(session, lines, out)
    finally:
        writer.join()
        lines.close()
        os.close(read_end)
    result = [json.loads(line) for line in out.getvalue().splitlines()][2]
    assert result["event"] == "result"
    assert result["timed_out"] is False and result["correct"] is True, result
    assert result["latency_ms"] <= 10_000, result
