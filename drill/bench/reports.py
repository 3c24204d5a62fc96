"""Reading a big store back: ``drill stats --json``, the due counts of ``drill decks``, ``drill
report --json`` (on SQLite and PostgreSQL) and ``drill export --format csv``, each against the
plain queries or writer it cannot beat; and the same figures for smaller stores, so a reader
sees how each grows with the answers kept."""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drill.bench import FIGURES, synth
from drill.bench.measure import LEARNER, Env, Figure, checked, ms, ratio_figure, run, skipped
from drill.bench.sizes import Sizes

_EXPORT = """
import csv, sqlite3, sys
from drill.commands.export import COLUMNS
_QUERY = (
    "SELECT a.session, a.deck, a.card, a.answered_at, a.correct,"
    " CASE a.rating WHEN 1 THEN 'again' WHEN 2 THEN 'hard' WHEN 3 THEN 'good'"
    " WHEN 4 THEN 'easy' END, a.latency_ms, a.answer, l.name, a.timed_out"
    " FROM answers a JOIN learners l ON l.id = a.learner ORDER BY a.id"
)
conn = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out, lineterminator="\\n")
    writer.writerow(COLUMNS)
    writer.writerows(conn.execute(_QUERY))
"""
"""The export baseline: the same rows (drill's own query) straight into ``csv.writer``."""

REPORT_QUERIES = (
    "SELECT learner, deck, count(correct), sum(correct), max(answered_at) FROM answers"
    " GROUP BY learner, deck",
    "SELECT deck, card, count(*), sum(correct), avg(latency_ms) FROM answers"
    " WHERE correct IS NOT NULL GROUP BY deck, card",
    "SELECT deck, card, answer, count(*) FROM answers WHERE correct = 0"
    " GROUP BY deck, card, answer",
    "SELECT learner, deck, count(*) FROM card_states WHERE due <= :now GROUP BY learner, deck",
    "SELECT learner, count(*), avg(stability) FROM card_states GROUP BY learner",
    "SELECT id, learner, decks, started_at, ended_at, planned, passed FROM sessions"
    " WHERE mode = 'exam'",
)
"""The report's baseline: the bare GROUP BY queries its three parts are made of, over the raw
answers and card states (learners by deck; cards; the wrong answers given; cards due; each
learner's states; finished exams), with none of drill's extras (lapses, the most given wrong
answer per card, predicted recall, names, prompts, JSON)."""
PG_REPORT_QUERIES = tuple(
    q.replace("sum(correct)", "count(*) FILTER (WHERE correct)")
    .replace("correct = 0", "correct = false")
    .replace(":now", "%(now)s")
    for q in REPORT_QUERIES
)


class Store:
    """A store of ``layout``'s history with its decks in the user decks folder, in ``name``
    (SQLite), and optionally in a PostgreSQL database (``url``)."""

    def __init__(self, env: Env, name: str, layout: synth.Layout, url: str | None = None) -> None:
        self.layout = layout
        self.home = env.root / name
        self.decks_folder = self.home / "decks"
        if not self.decks_folder.exists():  # else written at the start (``write_decks``)
            synth.write_decks(self.decks_folder, layout)
        self.now = time.time()
        synth.fill_sqlite(self.home, layout, self.now)
        self.url = url
        if url is not None:
            synth.fill_postgres(url, layout, self.now)
        synth.wait_until_cacheable(self.decks_folder)
        self.db = self.home / "drill.sqlite3"

    @staticmethod
    def write_decks(env: Env, name: str, layout: synth.Layout) -> None:
        """The decks of the store ``Store(env, name, layout)`` will be, written now: by the
        time it is built they are old enough for the deck cache, with no wait."""
        synth.write_decks(env.root / name / "decks", layout)

    def decks(self) -> list[Any]:
        from drill.deck.cache import DeckCache
        from drill.deck.discovery import load_catalog

        return list(load_catalog([self.decks_folder], DeckCache(self.home)).decks.values())

    @property
    def instant(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)


def skipped_figure(title: str, why: str | None) -> Figure:
    return skipped(title, "<= 3x, < 1 s", f"skipped: {why}")


def _size(answers: int) -> str:
    return f"{answers // 1_000_000}M" if answers >= 1_000_000 else f"{answers // 1_000}k"


def size_title(figure: str, answers: int) -> str:
    """The title of a figure's row for a smaller store."""
    return f"  {figure}: {_size(answers)} answers"


def _row(figure: Figure, store: Store) -> Figure:
    """A row for a smaller store: no goal (the goals are set for the main size), the store's
    shape in the last column."""
    figure.goal, figure.met = "-", None
    figure.how = f"{store.layout.describe()}; measured as the figure above"
    return figure


def stats(env: Env, sizes: Sizes, store: Store, title: str) -> list[Figure]:
    """The whole ``drill stats --json`` command (start-up and reading back the decks that hold
    those cards from the warm deck cache included), against ``SELECT deck, count(*) FROM
    answers GROUP BY deck`` in-process; at the main size also the store work alone."""
    from drill.progress import deck_progress, recent_sessions
    from drill.store import open_store

    command = env.drill("stats", "--json", "--data-dir", str(store.home))
    checked(run(command, env), "drill stats")  # warm-up: fills the deck cache
    opened = open_store(None, store.home, False, lambda: LEARNER)
    mine = opened.learner(LEARNER)
    raw = sqlite3.connect(store.db)
    decks = store.decks()
    now = store.instant
    commands, queries, works = [], [], []
    for _ in range(sizes.query_repeats):
        commands.append(checked(run(command, env), "drill stats").seconds)
        queries.append(
            _timed(
                lambda: raw.execute("SELECT deck, count(*) FROM answers GROUP BY deck").fetchall()
            )
        )
        works.append(_timed(lambda: (deck_progress(mine, decks, now), recent_sessions(mine))))
    opened.close()
    raw.close()
    base = statistics.median(queries)
    value = statistics.median(commands)
    ratio = value / base
    figure = Figure(
        title, ms(value), ms(base), ratio, "<= 3x, < 0.25 s", ratio <= 3 and value < 0.25,
        f"median of {sizes.query_repeats}, {store.layout.describe()}, process start to exit;"
        " baseline the GROUP BY, in-process",
    )  # fmt: skip
    if title != FIGURES[10]:
        return [_row(figure, store)]
    work = statistics.median(works)
    alone = Figure(
        "  drill stats: store work alone (decks loaded)", ms(work), ms(base), work / base,
        "-", None, "median, in-process: deck_progress + recent_sessions; for reference",
    )  # fmt: skip
    return [figure, alone]


def due_counts(env: Env, sizes: Sizes, store: Store, title: str) -> Figure:
    """``due_and_new`` (the due and new counts of ``drill decks`` and the deck list) over every
    deck, against ``SELECT count(*) FROM card_states WHERE due <= ?``; in-process."""
    from drill.clock import format_instant
    from drill.progress import due_and_new
    from drill.store import open_store

    opened = open_store(None, store.home, False, lambda: LEARNER)
    mine = opened.learner(LEARNER)
    raw = sqlite3.connect(store.db)
    decks = store.decks()
    now = store.instant
    stamp = format_instant(now)
    ours, counts = [], []
    for _ in range(sizes.query_repeats):
        counts.append(
            _timed(
                lambda: raw.execute(
                    "SELECT count(*) FROM card_states WHERE due <= ?", (stamp,)
                ).fetchall()
            )
        )
        ours.append(_timed(lambda: due_and_new(mine, decks, now)))
    opened.close()
    raw.close()
    how = (
        f"best of {sizes.query_repeats}, {len(decks)} decks, {store.layout.states:,} card"
        " states, in-process; baseline the count(*)"
    )
    figure = ratio_figure(title, min(ours), min(counts), 3.0, how)
    return figure if title == FIGURES[11] else _row(figure, store)


def report(env: Env, sizes: Sizes, store: Store, title: str, postgres: bool) -> Figure:
    """``drill report --json`` from start to exit (its decks read back from the warm deck
    cache), against the bare queries it is made of (``REPORT_QUERIES``), in-process."""
    more = ["--store", store.url] if postgres and store.url else []
    command = env.drill("report", "--json", "--data-dir", str(store.home), *more)
    first = checked(run(command, env), "drill report")  # warm-up: fills the deck cache
    assert first.stdout.startswith(b"{"), first.stdout[:200]
    now = store.instant
    params: dict[str, Any]
    if postgres:
        import psycopg

        assert store.url is not None
        conn: Any = psycopg.connect(store.url, autocommit=True)
        queries, params = PG_REPORT_QUERIES, {"now": now}
    else:
        from drill.clock import format_instant

        conn = sqlite3.connect(store.db)
        queries, params = REPORT_QUERIES, {"now": format_instant(now)}

    def bare_queries() -> float:
        total = 0.0
        for query in queries:
            start = time.perf_counter()
            conn.execute(query, params).fetchall()
            total += time.perf_counter() - start
        return total

    ours, bare = [], []
    for _ in range(sizes.query_repeats):
        ours.append(checked(run(command, env), "drill report").seconds)
        bare.append(bare_queries())
    conn.close()
    value, base = statistics.median(ours), statistics.median(bare)
    ratio = value / base
    how = (
        f"median of {sizes.query_repeats}, {store.layout.describe()}, process start to exit;"
        f" baseline its {len(queries)} bare GROUP BY queries, in-process"
    )
    figure = Figure(
        title, ms(value), ms(base), ratio, "<= 3x, < 1 s", ratio <= 3 and value < 1, how
    )
    return figure if title in FIGURES[12:14] else _row(figure, store)


def export(env: Env, sizes: Sizes, store: Store) -> Figure:
    """``drill export --format csv -o FILE`` against a process writing the same rows with
    ``csv.writer``; both from start to exit, and their files must be equal."""
    ours_file, base_file = env.root / "export.csv", env.root / "baseline.csv"
    command = env.drill(
        "export", "--format", "csv", "-o", str(ours_file), "--data-dir", str(store.home)
    )
    baseline = [sys.executable, "-c", _EXPORT, str(store.db), str(base_file)]
    ours, theirs = [], []
    for _ in range(sizes.export_repeats):
        ours.append(checked(run(command, env), "drill export").seconds)
        theirs.append(checked(run(baseline, env), "csv.writer").seconds)
    assert _same(ours_file, base_file), "drill export and csv.writer wrote different files"
    how = (
        f"median of {sizes.export_repeats}, {store.layout.answers:,} answers to a file, process"
        " start to exit; baseline the same rows through csv.writer"
    )
    return ratio_figure(FIGURES[14], statistics.median(ours), statistics.median(theirs), 1.3, how)


def growth(
    sizes: Sizes,
    measure: Callable[[Store, str], Sequence[Figure]],
    figure: str,
    store: Callable[[int], Store],
) -> list[Figure]:
    """``figure`` measured again on a store of each of ``sizes.steps`` answers."""
    rows: list[Figure] = []
    for answers in sizes.steps:
        rows.extend(measure(store(answers), size_title(figure, answers)))
    return rows


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _same(a: Path, b: Path) -> bool:
    with open(a, "rb") as first, open(b, "rb") as second:
        while True:
            x, y = first.read(1 << 20), second.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True
