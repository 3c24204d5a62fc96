"""Answering: a headless session piped through stdin, each answer a durable commit, against
one-row durable commits with the store's own settings and against Anki's engine; and the peak
memory of the processes that did it."""

from __future__ import annotations

import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from drill.bench import FIGURES, synth
from drill.bench.measure import LEARNER, Env, Figure, Run, checked, run, skipped
from drill.bench.pg import Server
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
    deck: Path
    stdin: Path
    """The deck answered, and the answers given."""
    anki_peak: float | None = None
    """Anki's, once measured."""


def _rate(answers: int, seconds: float) -> str:
    return f"{answers / seconds:,.0f}/s"


def _session_command(env: Env, deck: Path, n: int, home: Path, *more: str) -> list[str]:
    """``drill run DECK --headless`` answering ``n`` new cards, its store in ``home`` (or the
    one ``more`` names) already made and the deck already in the deck cache there, as after a
    first session: every card new, nothing timed but the session."""
    from drill.store import open_store

    url = more[1] if more[:1] == ("--store",) else None
    open_store(url, home, True, lambda: LEARNER).close()
    warm = env.drill("run", str(deck), "--headless", "--no-save", "--data-dir", str(home))
    checked(run(warm, env), "drill run --no-save")  # reads the deck into the deck cache
    return env.drill("run", str(deck), "--headless", "--new", str(n), "--seed", "1",
                     "--data-dir", str(home), *more)  # fmt: skip


def _answered(result: Run, n: int) -> dict[str, object]:
    summary: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    assert summary["event"] == "summary" and summary["answered"] == n, summary
    return summary


def headless(env: Env, sizes: Sizes) -> Session:
    """``drill run DECK --headless`` answering every card of a new deck from stdin, start to
    exit, against a process doing as many one-row durable commits; runs interleaved."""
    import sqlite3

    n = sizes.answers
    deck = synth.write_deck(env.root / "session", "session-deck", n, graded_only=True)
    stdin = env.root / "answers.txt"
    stdin.write_text(synth.answer_lines(n, graded_only=True), encoding="utf-8")
    ours, loops, commits = [], [], []
    for repeat in range(sizes.session_repeats + 1):  # the first of each is a warm-up
        command = _session_command(env, deck, n, env.root / f"session-home-{repeat}")
        session = checked(run(command, env, stdin=stdin), "drill run --headless")
        summary = _answered(session, n)
        db = env.root / f"commits-{repeat}.sqlite3"
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (v INTEGER)")
        conn.close()
        baseline = checked(run([sys.executable, "-c", _COMMITS, str(db), str(n)], env), "commits")
        if repeat:
            ours.append(session.seconds)
            loops.append(int(summary["duration_ms"]) / 1000)  # type: ignore[call-overload]
            commits.append(baseline.seconds)
    value, base = statistics.median(ours), statistics.median(commits)
    ratio = base / value
    how = (
        f"median of {sizes.session_repeats}, {n:,} answers, process start to exit; baseline"
        f" {n:,} one-row commits, store's connect (WAL, synchronous=FULL), process start to exit"
    )
    figure = Figure(
        FIGURES[7], _rate(n, value), _rate(n, base), ratio, ">= 0.75x", ratio >= 0.75, how
    )
    peak = env.peak(_session_command(env, deck, n, env.root / "session-home-peak"), stdin)
    return Session(figure, n / value, n / statistics.median(loops), peak, deck, stdin)


def anki(env: Env, sizes: Sizes, session: Session) -> list[Figure]:
    """Anki's engine (FSRS on, v3 scheduler, every answer a committed operation) answering as
    many new cards Good, process start to exit (its collection made beforehand, as drill's
    deck file and store are), against ``session``'s rate; its peak memory is kept there."""
    title = FIGURES[8]
    n = sizes.answers
    starts, loops, memory = [], [], []
    for repeat in range(sizes.session_repeats):
        folder = env.root / f"anki-{repeat}"
        folder.mkdir()
        engine = [sys.executable, "-m", "drill.bench.anki_engine"]
        made = run([*engine, "prepare", str(n), str(folder)], env)
        if made.code != 0:
            why = made.stdout.decode(errors="replace").strip() or f"exit code {made.code}"
            return [skipped(title, ">= 1.2x", f"skipped: {why}")]
        result = checked(run([*engine, "answer", str(n), str(folder)], env), "anki answer")
        report = json.loads(result.stdout)
        assert report["answers"] == report["reviews"] == n, report
        assert report["synchronous"] == 2 and report["fsrs"] and report["v3"], report
        starts.append(result.seconds)
        loops.append(report["seconds"])
        memory.append(report["peak_mb"])
    base = n / statistics.median(starts)
    session.anki_peak = max(memory)
    ratio = session.rate / base
    how = (
        f"median of {sizes.session_repeats}; Anki {n:,} new cards answered Good, FSRS, v3"
        " scheduler, synchronous=FULL, process start to exit (collection made beforehand);"
        " drill as above"
    )
    anki_loop = n / statistics.median(loops)
    loop = session.loop_rate / anki_loop
    return [
        Figure(title, f"{session.rate:,.0f}/s", f"{base:,.0f}/s", ratio, ">= 1.2x", ratio >= 1.2,
               how),
        Figure("  headless: the session alone, against Anki's loop alone",
               f"{session.loop_rate:,.0f}/s", f"{anki_loop:,.0f}/s", loop, "-", None,
               "drill's summary duration_ms (first card to summary), Anki's answering loop;"
               " for reference"),
    ]  # fmt: skip


_PG_COMMITS = """
import sys
import psycopg
conn = psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=10)
conn.execute("SET synchronous_commit = on")
for n in range(int(sys.argv[2])):
    conn.execute("INSERT INTO t (v) VALUES (%s)", (n,))
conn.close()
"""
"""The PostgreSQL baseline: one row per commit through psycopg, with the connection settings
drill's store uses (autocommit, ``synchronous_commit = on``)."""


def postgres(env: Env, sizes: Sizes, session: Session, server: Server) -> Figure:
    """The headless session of the SQLite figure with ``--store`` naming a PostgreSQL database
    (made beforehand), against a psycopg loop of one-row durable commits to the same server;
    both process start to exit, runs interleaved."""
    import psycopg

    title = FIGURES[9]
    if server.url() is None:
        return skipped(title, ">= 0.7x", f"skipped: {server.why}")
    n = sizes.answers
    ours, commits = [], []
    for repeat in range(sizes.session_repeats + 1):
        url = server.database()
        home = env.root / f"pg-session-home-{repeat}"
        command = _session_command(env, session.deck, n, home, "--store", url)
        drilled = checked(run(command, env, stdin=session.stdin), "drill run --store")
        _answered(drilled, n)
        target = server.database()
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("CREATE TABLE t (v integer)")
        baseline = checked(
            run([sys.executable, "-c", _PG_COMMITS, target, str(n)], env), "psycopg commits"
        )
        if repeat:  # the first of each is a warm-up
            ours.append(drilled.seconds)
            commits.append(baseline.seconds)
    value, base = statistics.median(ours), statistics.median(commits)
    ratio = base / value
    how = (
        f"median of {sizes.session_repeats}, {n:,} answers, process start to exit, PostgreSQL 16"
        f" (pgserver) on this machine; baseline {n:,} one-row commits through psycopg"
        " (autocommit, synchronous_commit=on), process start to exit"
    )
    return Figure(title, _rate(n, value), _rate(n, base), ratio, ">= 0.7x", ratio >= 0.7, how)


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
