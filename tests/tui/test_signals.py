"""Closing the terminal window (SIGHUP) or being told to stop (SIGTERM) mid-session leaves as
Ctrl-C does: every answer kept, the session closed in the store, and an exam judged against its
planned cards, so closing the window on a failing exam does not hide it from the trainer's
report. Run for real: ``drill run`` in a pseudo-terminal of its own, the signal sent to it."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from .conftest import DECKS

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60


def _dispositions(ignore: tuple[int, ...]) -> None:
    """In the child: SIGHUP and SIGTERM at their defaults, as from a terminal (whatever this
    run inherited), but those in ``ignore`` ignored, as ``nohup`` does."""
    for number in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN if number in ignore else signal.SIG_DFL)


class Terminal:
    """``drill ARGS`` in an 80x24 pseudo-terminal; its output is read (and so never blocks)."""

    def __init__(self, home: Path, *args: str, ignore: tuple[int, ...] = ()) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DRILL_", "LC_", "LANG"))}
        env.update(DRILL_DECKS=str(DECKS), DRILL_LEARNER="tester", LANG="C.UTF-8", TERM="xterm",
                   PYTHONPATH=str(REPO))  # fmt: skip
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "drill", "--data-dir", str(home), *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO, start_new_session=True,
            preexec_fn=lambda: _dispositions(ignore),
        )  # fmt: skip
        os.close(slave)
        self.master = master
        self.output = b""

    def read(self, until: object, deadline: float) -> bool:
        """Read output until ``until()`` holds (checked after each chunk); False at the end of
        output."""
        while not until():  # type: ignore[operator]
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; last output: {self.output[-400:]!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: the program has closed its side
                    return False
                if not chunk:
                    return False
                self.output += chunk
        return True

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(TIMEOUT_S)
        os.close(self.master)


def sessions(home: Path) -> list[tuple[str, object, object]]:
    path = home / "drill.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT mode, ended_at IS NOT NULL, passed FROM sessions").fetchall()


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_mid_exam_ends_it_judged_against_its_planned_cards(tmp_path, number):
    home = tmp_path / "home"
    terminal = Terminal(home, "run", "tui-mixed", "--mode", "exam")
    try:
        deadline = time.monotonic() + TIMEOUT_S
        terminal.read(lambda: b"Pass mark" in terminal.output, deadline)  # the setup screen
        terminal.type(b"\r")  # start the exam: its session is stored before its first card
        terminal.read(lambda: sessions(home) != [], deadline)
        assert sessions(home) == [("exam", 0, None)]  # under way
        terminal.proc.send_signal(number)
        while terminal.read(lambda: False, deadline):  # drain the output to the end
            pass
        assert terminal.proc.wait(TIMEOUT_S) == 130
        assert sessions(home) == [("exam", 1, 0)]  # ended, and failed: nothing was answered
    finally:
        terminal.close()


def test_under_nohup_a_hangup_is_ignored_and_the_session_goes_on(tmp_path):
    """A signal the parent set to be ignored stays ignored: the app does not put its own
    handler in its place."""
    home = tmp_path / "home"
    terminal = Terminal(home, "run", "tui-mixed", ignore=(signal.SIGHUP,))
    try:
        deadline = time.monotonic() + TIMEOUT_S
        terminal.read(lambda: sessions(home) != [], deadline)
        terminal.read(lambda: b"Front-desk basics" in terminal.output, deadline)  # drawn
        terminal.proc.send_signal(signal.SIGHUP)
        terminal.type(b"?")  # the help screen: the app still answers keys
        terminal.read(lambda: b"Modes" in terminal.output, deadline)
        assert terminal.proc.poll() is None and sessions(home) == [("review", 0, None)]
        terminal.type(b"\x03")  # Ctrl-C
        while terminal.read(lambda: False, deadline):
            pass
        assert terminal.proc.wait(TIMEOUT_S) == 130
        assert sessions(home) == [("review", 1, None)]
    finally:
        terminal.close()
