"""What the reliability suites share: real ``drill`` subprocesses, a line reader that never
blocks a test forever, generated decks with known right answers, and checks on the store.

Every subprocess here is bounded by a timeout and killed when its test ends, so a regression
that makes drill hang fails one test instead of stalling CI.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-03-01T09:00:00Z"
LABELS: dict[int | None, str | None] = {None: None, 1: "again", 2: "hard", 3: "good", 4: "easy"}
RATINGS: dict[str | None, int | None] = {label: value for value, label in LABELS.items()}
DB_NAME = "drill.sqlite3"
TIMEOUT_S = 60.0
"""Upper bound for any one subprocess; far above what a healthy run takes."""


def drill_command(*args: str) -> list[str]:
    """``python -m drill ARGS`` with the interpreter running the tests."""
    return [sys.executable, "-m", "drill", *args]


def script_command(*args: str) -> list[str]:
    """``drill ARGS`` as the installed ``drill`` script runs it (``drill.cli.run``).

    Signal tests use this rather than ``python -m drill``: under ``-m``, CPython turns an
    interrupt that was raised inside ``exec``-generated code (a dataclass being created during
    a lazy import) and then caught by drill into its own death by SIGINT at exit (the shell
    still sees 130, a parent process sees -2), which would hide the exit code drill chose.
    """
    return [sys.executable, "-c", "from drill.cli import run; run()", *args]


def clean_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a user with no drill settings (and a UTF-8 locale), with Python's
    default buffered stdout whatever the machine running the tests sets (PYTHONUNBUFFERED
    changes when a closed pipe is noticed)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DRILL_", "LC_", "LANG")) and k != "PYTHONUNBUFFERED"
    }
    env.update(PYTHONPATH=str(REPO), LANG="C.UTF-8")
    if home is not None:
        env["DRILL_HOME"] = str(home)
    env.update(extra)
    return env


# --- processes -------------------------------------------------------------------------------


class Procs:
    """Started processes, each killed (by its own pid) if still running when the test ends."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[bytes]] = []

    def spawn(
        self, args: Sequence[str], env: dict[str, str], **kwargs: Any
    ) -> subprocess.Popen[bytes]:
        kwargs.setdefault("stdin", subprocess.PIPE)
        kwargs.setdefault("stdout", subprocess.PIPE)
        kwargs.setdefault("stderr", subprocess.PIPE)
        proc = subprocess.Popen(list(args), env=env, cwd=REPO, **kwargs)
        self.started.append(proc)
        return proc

    def close(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()


@contextlib.contextmanager
def processes() -> Iterator[Procs]:
    procs = Procs()
    try:
        yield procs
    finally:
        procs.close()


class Lines:
    """JSON Lines from a process's stdout, read without ever blocking past a deadline.

    ``events`` keeps every complete line read so far; a last line without its newline (cut by
    a kill) is never parsed, because it was never completely printed.
    """

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        self._fd = proc.stdout.fileno()
        self._buffer = b""
        self._eof = False
        self.events: list[dict[str, Any]] = []

    def _fill(self, deadline: float) -> bool:
        """Read what is available; False at end of output."""
        if self._eof:
            return False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("drill printed nothing in time")
        ready, _, _ = select.select([self._fd], [], [], remaining)
        if not ready:
            raise TimeoutError("drill printed nothing in time")
        chunk = os.read(self._fd, 65536)
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def next(self, timeout: float = TIMEOUT_S) -> dict[str, Any] | None:
        """The next event, or None at end of output."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            if not self._fill(deadline):
                return None
        line, self._buffer = self._buffer.split(b"\n", 1)
        event = json.loads(line.decode("utf-8"))
        self.events.append(event)
        return event

    def until(self, kind: str, timeout: float = TIMEOUT_S) -> dict[str, Any] | None:
        """Read up to and including the next event of ``kind`` (None if output ends first)."""
        while (event := self.next(timeout)) is not None:
            if event["event"] == kind:
                return event
        return None

    def rest(self, timeout: float = TIMEOUT_S) -> list[dict[str, Any]]:
        """Every remaining complete line, once the process has closed its output."""
        while self.next(timeout) is not None:
            pass
        return self.events


def send(proc: subprocess.Popen[bytes], text: str) -> None:
    """Write ``text`` to the process's stdin (ignoring a process that is already gone)."""
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError, OSError):
        proc.stdin.write(text.encode("utf-8"))
        proc.stdin.flush()


def kill(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> int:
    """Send ``sig`` to the process (by its pid) and return its exit status."""
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    return proc.wait(timeout=TIMEOUT_S)


# --- decks -----------------------------------------------------------------------------------


@dataclass
class MixedDeck:
    """A deck of every graded card type (untimed, so real latency never times a card out) and
    one breathing warm-up, with the right answer to each card known."""

    text: str
    right: dict[str, Any] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)


def mixed_deck(deck_id: str, count: int) -> MixedDeck:
    """``count`` graded cards cycling typed, choice, order and flashcard, then a breathing card."""
    lines = [f"id: {deck_id}", f"title: Mixed {count}", "time_limit: 0", "cards:"]
    deck = MixedDeck("")
    for i in range(count):
        kind = ("typed", "choice", "order", "flashcard")[i % 4]
        card = f"{kind[0]}{i}"
        deck.types[card] = kind
        if kind == "typed":
            lines.append(f"  - {{id: {card}, prompt: Typed {i}, answer: a{i}}}")
            deck.right[card] = f"a{i}"
        elif kind == "choice":
            lines.append(
                f"  - {{id: {card}, prompt: Choice {i}, choices: [r{i}, x{i}, y{i}, z{i}],"
                f" answer: r{i}}}"
            )
            deck.right[card] = f"r{i}"
        elif kind == "order":
            lines.append(f"  - {{id: {card}, prompt: Order {i}, steps: [p{i}, q{i}, s{i}]}}")
            deck.right[card] = [f"p{i}", f"q{i}", f"s{i}"]
        else:
            lines.append(f"  - {{id: {card}, front: Front {i}, back: Back {i}}}")
            deck.right[card] = None
    lines.append("  - {id: warmup, type: breathing, pattern: [1, 1, 1], cycles: 1}")
    deck.types["warmup"] = "breathing"
    deck.text = "\n".join(lines) + "\n"
    return deck


def answer_line(card: dict[str, Any], deck: MixedDeck, rng: random.Random) -> str:
    """One stdin line for a shown ``card``: right, wrong, skipped or unreadable, as text or JSON
    with a latency, chosen by ``rng`` so every rating occurs."""
    kind = card["type"]
    roll = rng.random()
    if kind == "breathing":
        return rng.choice(["done", "skip"])
    if kind == "flashcard":
        answer: Any = rng.choice(["again", "hard", "good", "easy", "1", "4"])
    elif roll < 0.1:
        return "skip"
    elif roll < 0.2:
        return rng.choice(["?", "{not json", "Z,Z"])
    elif roll < 0.35:
        answer = "definitely wrong"
    else:
        right = deck.right[card["card"]]
        if kind == "choice":
            answer = "ABCD"[card["choices"].index(right)]
        elif kind == "order":
            answer = ",".join(str(card["steps"].index(step) + 1) for step in right)
        else:
            answer = right
    if rng.random() < 0.5:
        return json.dumps({"answer": answer, "latency_ms": rng.choice([500, 12000, 28000])})
    return answer


# --- the store -------------------------------------------------------------------------------


@dataclass
class Target:
    """Where the drills of a test keep their answers: the SQLite file in a data directory, or
    a PostgreSQL database (``url``). Reads go through a connection of the test's own, as any
    other program would see the store; queries are written with ``?`` placeholders."""

    home: Path
    url: str | None = None

    @property
    def kind(self) -> str:
        return "sqlite" if self.url is None else "postgresql"

    @property
    def db(self) -> Path:
        return self.home / DB_NAME

    def args(self) -> list[str]:
        """Global options that point a ``drill`` process here."""
        return ["--data-dir", str(self.home)] + ([] if self.url is None else ["--store", self.url])

    def moved(self, home: Path) -> Target:
        """The same target with its data directory at ``home`` (a copy taken after a kill)."""
        return Target(home, self.url)

    def exists(self) -> bool:
        """Whether a store was created (drill's tables, on PostgreSQL)."""
        if self.url is None:
            return self.db.exists()
        return bool(self.rows("SELECT 1 FROM pg_tables WHERE tablename = 'drill_meta'"))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.url is None:
            with contextlib.closing(connect(self.db)) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]

    def integrity(self) -> str:
        """SQLite's own check of the file; a PostgreSQL server answers for its own files."""
        return integrity(self.db) if self.url is None else "ok"


def connect(db: Path) -> sqlite3.Connection:
    """A plain SQLite connection, as any other program would open the store."""
    return sqlite3.connect(db, timeout=TIMEOUT_S)


def integrity(db: Path) -> str:
    with contextlib.closing(connect(db)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def _target(where: Path | Target) -> Target:
    return where if isinstance(where, Target) else Target(where.parent)


def stored_answers(where: Path | Target, session: str) -> list[tuple[str, str | None]]:
    """(card, rating label) of a session's stored answers, in the order they were committed."""
    rows = _target(where).rows(
        "SELECT card, rating FROM answers WHERE session = ? ORDER BY id", (session,)
    )
    return [(card, LABELS[rating]) for card, rating in rows]


def printed_answers(events: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """(card, rating label) of every ``result`` line printed."""
    return [(e["card"], e["rating"]) for e in events if e["event"] == "result"]


def state_mismatches(where: Path | Target) -> list[tuple[Any, ...]]:
    """Cards whose memory state does not count exactly the rated answers stored for them by
    that learner: (learner, deck, card, reps in state, rated answers). Empty when answers and
    states were always committed together."""
    return _target(where).rows(
        "SELECT a.learner, a.deck, a.card, coalesce(s.reps, 0), a.n FROM"
        " (SELECT learner, deck, card, count(*) AS n FROM answers WHERE rating IS NOT NULL"
        "  GROUP BY learner, deck, card) AS a"
        " LEFT JOIN card_states AS s"
        "  ON s.learner = a.learner AND s.deck = a.deck AND s.card = a.card"
        " WHERE coalesce(s.reps, 0) != a.n"
        " UNION ALL"
        " SELECT s.learner, s.deck, s.card, s.reps, 0 FROM card_states AS s WHERE NOT EXISTS"
        " (SELECT 1 FROM answers AS a WHERE a.learner = s.learner AND a.deck = s.deck"
        "  AND a.card = s.card AND a.rating IS NOT NULL)"
    )


def tree_digest(directory: Path) -> dict[str, str]:
    """Every entry below ``directory`` with a digest of its bytes (or its kind), so a test can
    prove that nothing was written, created or removed."""
    import hashlib

    found: dict[str, str] = {}
    if not directory.exists() and not directory.is_symlink():
        return found
    if not directory.is_dir() or directory.is_symlink():
        paths = [directory]
    else:
        paths = sorted(directory.rglob("*"))
    for path in paths:
        key = str(path)
        if path.is_symlink():
            found[key] = "symlink -> " + os.readlink(path)
        elif path.is_dir():
            found[key] = "dir"
        elif not path.is_file():  # a named pipe, socket or device: never opened (it may block)
            found[key] = f"special {path.stat().st_mode:o}"
        else:
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found
