"""Reading a big store back: ``drill stats --json``, the due counts of ``drill decks`` and
``drill export --format csv``, each against the plain query or writer it cannot beat."""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from drill.bench import FIGURES, synth
from drill.bench.measure import LEARNER, Env, Figure, checked, ms, ratio_figure, run
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


class BigStore:
    """A store of ``store_answers`` answers and a memory state for every card of
    ``store_decks`` decks of ``store_cards`` cards, the decks in the user decks folder."""

    def __init__(self, env: Env, sizes: Sizes) -> None:
        from drill.deck.cache import RECENT_S

        self.home = env.root / "big-home"
        self.decks_folder = self.home / "decks"
        written = time.time()
        ids = synth.card_ids("x", sizes.store_cards)
        decks = {}
        for n in range(sizes.store_decks):
            deck_id = f"store-deck-{n:03d}"
            synth.write_deck(self.decks_folder, deck_id, sizes.store_cards, graded_only=True)
            decks[deck_id] = ids
        self.now = time.time()
        synth.fill_store(self.home, decks, sizes.store_answers, self.now)
        time.sleep(max(0.0, written + RECENT_S + 0.1 - time.time()))  # decks old enough to cache
        self.db = self.home / "drill.sqlite3"
        self.cards = sizes.store_decks * sizes.store_cards

    def describe(self, answers: int) -> str:
        return f"{answers:,} answers, {self.cards:,} card states"


def stats(env: Env, sizes: Sizes, big: BigStore) -> list[Figure]:
    """The whole ``drill stats --json`` command (start-up and loading the decks that hold those
    cards from the warm deck cache included), and the store work alone, in-process, both
    against ``SELECT deck, count(*) FROM answers GROUP BY deck`` in-process."""
    from drill.deck.cache import DeckCache
    from drill.deck.discovery import load_catalog
    from drill.progress import deck_progress, recent_sessions
    from drill.store import open_store

    command = env.drill("stats", "--json", "--data-dir", str(big.home))
    checked(run(command, env), "drill stats")  # warm-up: fills the deck cache
    opened = open_store(None, big.home, False, lambda: LEARNER)
    store = opened.learner(LEARNER)
    raw = sqlite3.connect(big.home / "drill.sqlite3")
    decks = list(load_catalog([big.decks_folder], DeckCache(big.home)).decks.values())
    now = datetime.fromtimestamp(big.now, UTC)
    commands, queries, works = [], [], []
    for _ in range(sizes.query_repeats):
        commands.append(checked(run(command, env), "drill stats").seconds)
        queries.append(
            _timed(
                lambda: raw.execute("SELECT deck, count(*) FROM answers GROUP BY deck").fetchall()
            )
        )
        works.append(_timed(lambda: (deck_progress(store, decks, now), recent_sessions(store))))
    opened.close()
    raw.close()
    base = statistics.median(queries)
    value = statistics.median(commands)
    ratio = value / base
    size = big.describe(sizes.store_answers)
    whole = Figure(
        FIGURES[8],
        ms(value),
        ms(base),
        ratio,
        "<= 3x, < 0.3 s",
        ratio <= 3 and value < 0.3,
        f"median of {sizes.query_repeats}, {size}, process start to exit;"
        " baseline the GROUP BY, in-process",
    )
    work = statistics.median(works)
    alone = Figure(
        "  drill stats: store work alone (decks loaded)",
        ms(work),
        ms(base),
        work / base,
        "<= 3x, < 0.3 s",
        work / base <= 3 and work < 0.3,
        "median, in-process: deck_progress + recent_sessions; for reference",
    )
    return [whole, alone]


def due_counts(env: Env, sizes: Sizes, big: BigStore) -> Figure:
    """``due_and_new`` (the due and new counts of ``drill decks`` and the deck list) over every
    deck, against ``SELECT count(*) FROM card_states WHERE due <= ?``; in-process."""
    from drill.clock import format_instant
    from drill.deck.cache import DeckCache
    from drill.deck.discovery import load_catalog
    from drill.progress import due_and_new
    from drill.store import open_store

    opened = open_store(None, big.home, False, lambda: LEARNER)
    store = opened.learner(LEARNER)
    raw = sqlite3.connect(big.home / "drill.sqlite3")
    decks = list(load_catalog([big.decks_folder], DeckCache(big.home)).decks.values())
    now = datetime.fromtimestamp(big.now, UTC)
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
        ours.append(_timed(lambda: due_and_new(store, decks, now)))
    opened.close()
    raw.close()
    how = (
        f"best of {sizes.query_repeats}, {len(decks)} decks, {big.cards:,} card states,"
        " in-process; baseline the count(*)"
    )
    return ratio_figure(FIGURES[9], min(ours), min(counts), 3.0, how)


def export(env: Env, sizes: Sizes, big: BigStore) -> Figure:
    """``drill export --format csv -o FILE`` against a process writing the same rows with
    ``csv.writer``; both from start to exit, and their files must be equal."""
    ours_file, base_file = env.root / "export.csv", env.root / "baseline.csv"
    command = env.drill(
        "export", "--format", "csv", "-o", str(ours_file), "--data-dir", str(big.home)
    )
    baseline = [sys.executable, "-c", _EXPORT, str(big.db), str(base_file)]
    ours, theirs = [], []
    for _ in range(sizes.export_repeats):
        ours.append(checked(run(command, env), "drill export").seconds)
        theirs.append(checked(run(baseline, env), "csv.writer").seconds)
    assert _same(ours_file, base_file), "drill export and csv.writer wrote different files"
    how = (
        f"median of {sizes.export_repeats}, {sizes.store_answers:,} answers to a file, process"
        " start to exit; baseline the same rows through csv.writer"
    )
    return ratio_figure(FIGURES[10], statistics.median(ours), statistics.median(theirs), 1.3, how)


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
