"""Answering: a headless session piped through stdin, each answer a durable commit, against
one-row durable commits with the store's own settings and against Anki's engine; and the peak
memory of the processes that did it."""

from __future__ import annotations

import json
import statistics
import sys
from dataclasses import dataclass

from drill.bench import FIGURES, synth
from drill.bench.measure import LEARNER, Env, Figure, checked, run, skipped
from drill.bench.sizes import Sizes

_COMMITS = """
import sys
from drill.store.database import connect, write_transaction
conn = connect(sys.argv[1])
for n in range(int(sys.argv[2])):
    with write_transaction(conn):
        conn.execute("INSERT INTO t (v) VALUES (?)", (n,))
conn.close()
"""
"""The baseline: one row per ``BEGIN IMMEDIATE`` ... ``COMMIT``, through the store's own
``connect`` (WAL, ``synchronous=FULL``) and ``write_transaction``."""


@dataclass
class Session:
    """The headless figure, and what the figures after it need of its runs."""

    figure: Figure
    rate: float
    """drill's answers per second, process start to exit."""
    loop_rate: float
    """drill's answers per second in the session alone (its summary's ``duration_ms``)."""
    peak: float
    """drill's peak memory (MB), from one more run."""
    anki_peak: float | None = None
    """Anki's, once measured."""


def _rate(answers: int, seconds: float) -> str:
    return f"{answers / seconds:,.0f}/s"


def headless(env: Env, sizes: Sizes) -> Session:
    """``drill run DECK --headless`` answering every card of a new deck from stdin, start to
    exit, against a process doing as many one-row durable commits; runs interleaved."""
    import sqlite3

    from drill.store import open_store

    n = sizes.answers
    deck = synth.write_deck(env.root / "session", "session-deck", n, graded_only=True)
    stdin = env.root / "answers.txt"
    stdin.write_text(synth.answer_lines(n, graded_only=True), encoding="utf-8")
    ours, loops, commits = [], [], []

    def command(repeat: int) -> list[str]:
        """A session in a data directory of its own, its store already made (as after a first
        session): every card new, nothing timed but the session."""
        home = env.root / f"session-home-{repeat}"
        store = open_store(None, home, True, lambda: LEARNER)
        store.close()
        return env.drill(
            "run", str(deck), "--headless", "--new", str(n), "--seed", "1", "--data-dir", str(home)
        )

    for repeat in range(sizes.session_repeats + 1):  # the first of each is a warm-up
        session = checked(run(command(repeat), env, stdin=stdin), "drill run --headless")
        summary = json.loads(session.stdout.splitlines()[-1])
        assert summary["event"] == "summary" and summary["answered"] == n, summary
        db = env.root / f"commits-{repeat}.sqlite3"
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (v INTEGER)")
        conn.close()
        baseline = checked(run([sys.executable, "-c", _COMMITS, str(db), str(n)], env), "commits")
        if repeat:
            ours.append(session.seconds)
            loops.append(summary["duration_ms"] / 1000)
            commits.append(baseline.seconds)
    value, base = statistics.median(ours), statistics.median(commits)
    ratio = base / value
    how = (
        f"median of {sizes.session_repeats}, {n:,} answers, process start to exit; baseline"
        f" {n:,} one-row commits, store's connect (WAL, synchronous=FULL), process start to exit"
    )
    figure = Figure(
        FIGURES[6], _rate(n, value), _rate(n, base), ratio, ">= 0.7x", ratio >= 0.7, how
    )
    return Session(figure, n / value, n / statistics.median(loops), env.peak(command(-1), stdin))


def anki(env: Env, sizes: Sizes, session: Session) -> list[Figure]:
    """Anki's engine (FSRS on, v3 scheduler, every answer a committed operation) answering as
    many new cards Good, against ``session``'s rate; its peak memory is kept there."""
    title = FIGURES[7]
    n = sizes.answers
    rates, memory = [], []
    for repeat in range(sizes.session_repeats):
        folder = env.root / f"anki-{repeat}"
        folder.mkdir()
        result = run([sys.executable, "-m", "drill.bench.anki_engine", str(n), str(folder)], env)
        if result.code != 0:
            why = result.stdout.decode(errors="replace").strip() or f"exit code {result.code}"
            return [skipped(title, ">= 1.0x", f"skipped: {why}")]
        report = json.loads(result.stdout)
        assert report["answers"] == report["reviews"] == n, report
        assert report["synchronous"] == 2 and report["fsrs"] and report["v3"], report
        rates.append(n / report["seconds"])
        memory.append(report["peak_mb"])
    base = statistics.median(rates)
    session.anki_peak = max(memory)
    ratio = session.rate / base
    how = (
        f"median of {sizes.session_repeats}; Anki {n:,} new cards answered Good, FSRS, v3"
        " scheduler, synchronous=FULL, its answering loop alone; drill as above"
    )
    loop = session.loop_rate / base
    return [
        Figure(title, f"{session.rate:,.0f}/s", f"{base:,.0f}/s", ratio, ">= 1.0x", ratio >= 1.0,
               how),
        Figure("  headless: the session alone, against Anki's loop", f"{session.loop_rate:,.0f}/s",
               f"{base:,.0f}/s", loop, ">= 1.0x", loop >= 1.0,
               "drill's summary duration_ms (first card to summary); for reference"),
    ]  # fmt: skip


def memory(
    title: str, peak: float | None, anki_peak: float | None, limit: float, what: str
) -> Figure:
    """A peak-memory figure: its own limit, Anki's peak beside it for comparison."""
    if peak is None:
        return skipped(title, f"<= {limit:.0f} MB", "not available: see the TUI figure")
    baseline = "-" if anki_peak is None else f"{anki_peak:.1f} MB"
    ratio = None if anki_peak is None else peak / anki_peak
    how = f"peak RSS (VmHWM) of {what}; baseline Anki's engine answering as many cards"
    return Figure(
        title, f"{peak:.1f} MB", baseline, ratio, f"<= {limit:.0f} MB", peak <= limit, how
    )
