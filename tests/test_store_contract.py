"""One test suite for both stores (SPEC 5, 7, 8): every method of ``drill.store.Store`` behaves
the same on the embedded SQLite file and on a real PostgreSQL server (started by the tests).

Sessions are driven through the real session engine, so what is checked is what drill itself
writes; only the clock is fake.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import psycopg
import pytest

from drill.clock import ManualClock
from drill.deck.loader import load_text
from drill.deck.model import Deck
from drill.grading import Picked, Rating, Recalled, Skip, Typed
from drill.scheduling import MemoryState, Scheduler, forgetting_curve
from drill.session import Options, Session
from drill.store import AnswerRecord, LearnerStore, Scope, SessionStart, Store, open_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

DECK = """
id: d
title: Deck
time_limit: 30
cards:
  - {id: t1, prompt: Rings?, answer: 3}
  - {id: t2, prompt: Greeting?, answer: hello}
  - {id: c1, prompt: Pick, choices: [right, wrong, other], answer: right}
  - {id: f1, front: Front, back: Back}
  - {id: br, type: breathing, pattern: [1, 1, 1], cycles: 1}
"""


def deck(text: str = DECK, name: str = "d.yaml") -> Deck:
    result = load_text(text, name)
    assert result.deck is not None, result.problems
    return result.deck


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A new, empty store of each kind."""
    url = None if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    opened = open_store(url, tmp_path / "home", True, lambda: "first")
    yield opened
    opened.close()


def drill_once(
    store: Store,
    learner: str,
    clock: ManualClock,
    answers: dict[str, object],
    mode: str = "drill",
    decks: list[Deck] | None = None,
    **options: object,
) -> Session:
    """One session answering each card from ``answers`` (card id to response; else skip)."""
    session = Session(
        decks or [deck()],
        Options(mode=mode, seed=1, **options),
        clock,
        store.learner(learner),  # type: ignore[arg-type]
    )
    while (shown := session.show()) is not None:
        clock.advance(2)
        session.answer(answers.get(shown.card.id, Skip()))  # type: ignore[arg-type]
    session.finish()
    return session


RIGHT = {"t1": Typed("3"), "t2": Typed("hello"), "c1": Picked(frozenset({0})),
         "f1": Recalled(Rating.GOOD)}  # fmt: skip


def test_a_learners_sessions_answers_and_states_are_their_own(store: Store):
    clock = ManualClock(NOW)
    drill_once(store, "陈静", clock, RIGHT)
    drill_once(store, "李明", clock, {"t1": Typed("4")})
    chen, li = store.learner("陈静"), store.learner("李明")
    assert set(chen.due_dates(["d"])) == {("d", "t1"), ("d", "t2"), ("d", "c1"), ("d", "f1")}
    assert chen.answer_totals() == {"d": (4, 4, 1)}
    assert li.answer_totals() == {"d": (4, 0, 1)}
    # one learner's reviews never move another's due dates
    chen_due = chen.due_dates(["d"])
    drill_once(store, "李明", clock, {})
    assert chen.due_dates(["d"]) == chen_due
    assert store.learner("nobody").due_dates(["d"]) == {}
    assert store.learners() == sorted(["陈静", "李明"])


def test_state_is_read_inside_the_write_and_every_review_counts(store: Store):
    clock = ManualClock(NOW)
    for _ in range(3):
        drill_once(store, "a", clock, RIGHT)
        clock.advance(3 * 86400)
    state = store.learner("a").state("d", "t1")
    assert state is not None and state.reps == 3
    assert store.learner("b").state("d", "t1") is None


def test_card_counts_count_only_the_cards_a_deck_has_now(store: Store):
    clock = ManualClock(NOW)
    drill_once(store, "a", clock, {})  # all wrong: due again within minutes
    learner = store.learner("a")
    later = NOW + timedelta(hours=1)
    assert learner.card_counts({"d": ["t1", "t2", "c1", "f1"]}, later) == {"d": (4, 4)}
    assert learner.card_counts({"d": ["t1", "t2"]}, later) == {"d": (2, 2)}
    assert learner.card_counts({"d": ["t1"]}, NOW - timedelta(days=1)) == {"d": (1, 0)}
    assert learner.card_counts({"other": ["x"]}, later) == {}


def test_last_scores_judge_an_exam_on_its_planned_cards(store: Store):
    clock = ManualClock(NOW)
    drill_once(store, "a", clock, {"t1": Typed("3"), "t2": Typed("hello")})
    assert store.learner("a").last_scores(["d"]) == {"d": 0.5}
    # An exam ended after one right answer of four planned scores 25%, not 100%.
    session = Session([deck()], Options(mode="exam", seed=2), clock, store.learner("a"))
    while (shown := session.show()) is not None and not shown.graded:
        session.answer(Skip())  # the breathing warm-up
    assert shown is not None
    session.answer(RIGHT[shown.card.id])
    session.finish()
    assert store.learner("a").last_scores(["d"]) == {"d": 0.25}
    (latest, *_) = store.learner("a").recent_sessions()
    assert (latest.mode, latest.answered, latest.planned, latest.passed) == ("exam", 1, 4, False)
    assert latest.score == 0.25


def test_recent_sessions_and_deck_filter(store: Store):
    clock = ManualClock(NOW)
    other = deck("id: e\ntitle: E\ncards:\n  - {id: x, prompt: X, answer: x}\n", "e.yaml")
    drill_once(store, "a", clock, RIGHT)
    clock.advance(60)
    drill_once(store, "a", clock, {}, decks=[other])
    learner = store.learner("a")
    assert [s.decks for s in learner.recent_sessions()] == [["e"], ["d"]]
    assert [s.decks for s in learner.recent_sessions("d")] == [["d"]]
    assert [s.decks for s in learner.recent_sessions(limit=1)] == [["e"]]
    assert learner.has_answers("e") and not learner.has_answers("zzz")
    assert learner.answer_totals("e") == {"e": (1, 0, 1)}


def test_forecast_and_daily_activity(store: Store):
    clock = ManualClock(NOW)
    drill_once(store, "a", clock, RIGHT)
    learner = store.learner("a")
    dues = learner.due_instants({"d": ["t1", "t2", "c1", "f1"]}, NOW + timedelta(days=30))
    assert len(dues) == 4 and all(d.tzinfo is not None and d > NOW for d in dues)
    assert learner.due_instants({"d": ["t1"]}, NOW) == []
    assert learner.daily_activity(NOW - timedelta(days=1)) == {"2026-03-02": (4, 4)}


def test_export_rows_every_learner_with_filters(store: Store):
    clock = ManualClock(NOW)
    drill_once(store, "a", clock, RIGHT)
    clock.advance(86400)
    drill_once(store, "b", clock, {"t1": Typed("=HYPERLINK(1)")})
    rows = list(store.export_rows(Scope()))
    assert len(rows) == 10 and {r.learner for r in rows} == {"a", "b"}
    first = rows[0]
    assert (first.card, first.correct, first.rating, first.answer) == ("br", None, None, "skip")
    assert first.answered_at.startswith("2026-03-02T09:00:") and first.answered_at.endswith("Z")
    assert [r.timed_out for r in rows] == [0] * 10
    assert {r.learner for r in store.export_rows(Scope(learners=("b",)))} == {"b"}
    assert list(store.export_rows(Scope(decks=("zzz",)))) == []
    since = list(store.export_rows(Scope(since=NOW + timedelta(hours=12))))
    assert {r.learner for r in since} == {"b"}
    wrong = next(r for r in since if r.card == "t1")
    assert (wrong.answer, wrong.correct, wrong.rating) == ("=HYPERLINK(1)", 0, "again")


def test_report_rows(store: Store):
    clock = ManualClock(NOW)
    drill_once(store, "a", clock, RIGHT)
    drill_once(store, "b", clock, {"t1": Typed("4"), "c1": Picked(frozenset({1}))})
    drill_once(store, "c", clock, {"t1": Typed("4"), "c1": Picked(frozenset({1}))})
    clock.advance(600)
    drill_once(store, "a", clock, {"t1": Typed("5")})  # a lapse: wrong after once right
    learner_decks = {
        (r.learner, r.deck): (r.answers, r.correct) for r in store.learner_decks(Scope())
    }
    assert learner_decks == {("a", "d"): (8, 4), ("b", "d"): (4, 0), ("c", "d"): (4, 0)}
    cards = {r.card: r for r in store.card_rows(Scope())}
    assert set(cards) == {"t1", "t2", "c1", "f1"}
    assert (cards["t1"].answers, cards["t1"].correct, cards["t1"].lapses) == (4, 1, 1)
    assert cards["t1"].mean_latency_ms == pytest.approx(2000)
    top = {(w.card): (w.answer, w.given) for w in store.top_wrong(Scope())}
    assert top["t1"] == ("4", 2) and top["c1"] == ("wrong", 2)
    assert "f1" not in top and "t2" not in top  # self-ratings and skips are no wrong answers
    assert [(w.answer, w.given) for w in store.wrong_answers(Scope(), "d", "t1")] == [
        ("4", 2), ("5", 1)]  # fmt: skip
    assert {r.learner for r in store.learner_decks(Scope(learners=("b",)))} == {"b"}


def test_due_counts_and_at_risk_use_fsrs_retrievability(store: Store):
    clock = ManualClock(NOW)
    drill_once(store, "a", clock, RIGHT)
    drill_once(store, "b", clock, {})
    later = NOW + timedelta(days=40)
    due = store.due_counts(Scope(), later)
    assert due[("a", "d")] == 4 and due[("b", "d")] == 4
    assert store.due_counts(Scope(), NOW - timedelta(days=1)) == {}
    risk = {r.learner: r for r in store.at_risk(Scope(), later, *forgetting_curve())}
    assert set(risk) == {"a", "b"}
    scheduler = fsrs.Scheduler()
    for name in ("a", "b"):
        states = [store.learner(name).state("d", c) for c in ("t1", "t2", "c1", "f1")]
        expected = [
            scheduler.get_card_retrievability(
                fsrs.Card(card_id=1, stability=s.stability, last_review=s.last_review), later
            )
            for s in states
            if s is not None and s.stability
        ]
        assert risk[name].retrievability == pytest.approx(sum(expected) / len(expected))
    assert risk["a"].retrievability > risk["b"].retrievability


def test_exams_and_their_verdicts(store: Store):
    clock = ManualClock(NOW)
    drill_once(store, "a", clock, RIGHT, mode="exam")
    drill_once(store, "b", clock, {}, mode="exam")
    exams = {e.learner: e for e in store.exams(Scope())}
    assert (exams["a"].passed, exams["a"].score, exams["a"].decks) == (True, 1.0, ["d"])
    assert (exams["b"].passed, exams["b"].score) == (False, 0.0)
    assert exams["a"].ended_at.endswith("Z")
    assert store.exams(Scope(decks=("zzz",))) == []


def _writers_at_once(
    store: Store,
    tmp_path: Path,
    workers: int,
    answer: Callable[[LearnerStore, str, int], None],
    read_first: bool = False,
) -> None:
    """``workers`` threads, each with a store (a connection) of its own, like drill processes:
    each begins session ``s<worker>`` of learner "same" on deck d (having read the deck's
    states first, with ``read_first``), waits for the others, then calls ``answer``."""
    opener = _opener(store, tmp_path)
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run(worker: int) -> None:
        own = opener()
        try:
            learner = own.learner("same")
            session = f"s{worker}"
            if read_first:
                learner.due_dates(["d"])
            learner.begin_session(SessionStart(session, NOW, "drill", ("d",), 1, 1, None))
            start.wait()
            answer(learner, session, worker)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(1, workers + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_two_sessions_of_one_learner_at_once_lose_no_update(store: Store, tmp_path: Path):
    """Every review of the one card two sessions share is counted in its state, none
    overwritten."""
    rounds = 25

    def answer_repeatedly(learner: LearnerStore, session: str, worker: int) -> None:
        scheduler = Scheduler(fuzz=False)
        for n in range(rounds):
            at = NOW + timedelta(seconds=n)
            learner.record_answer(
                AnswerRecord(session, "d", "t1", "typed", at, True, 3, 100, False, "3"),
                lambda before, at=at: scheduler.review(before, Rating.GOOD, at),
            )

    _writers_at_once(store, tmp_path, 2, answer_repeatedly)
    state = store.learner("same").state("d", "t1")
    assert isinstance(state, MemoryState) and state.reps == 2 * rounds
    assert len([r for r in store.export_rows(Scope()) if r.card == "t1"]) == 2 * rounds


def _opener(store: Store, tmp_path: Path):
    """Opens another connection to the same store."""
    from drill.store.postgres import PostgresStore

    if isinstance(store, PostgresStore):
        url = store.url
        return lambda: open_store(url, tmp_path / "unused", True, lambda: "x")
    return lambda: open_store(None, tmp_path / "home", True, lambda: "x")


# --- the counters kept as answers arrive (SQLite schema 4, PostgreSQL schema 2) -------------

EVER = datetime(2000, 1, 1, tzinfo=UTC)
"""A ``since`` before every answer: the report's queries then count the answers themselves,
which the counters kept with each answer must equal."""


def recount(store: Store, learner: str) -> dict[str, tuple[int, int, int]]:
    """deck to (graded answers, right ones, sessions), counted from every stored answer."""
    answers: dict[str, list[int]] = {}
    sessions: dict[str, set[str]] = {}
    for row in store.export_rows(Scope(learners=(learner,))):
        figures = answers.setdefault(row.deck, [0, 0])
        sessions.setdefault(row.deck, set()).add(row.session)
        if row.correct is not None:
            figures[0] += 1
            figures[1] += row.correct
    return {deck: (n, right, len(sessions[deck])) for deck, (n, right) in answers.items()}


def assert_counters_match_answers(store: Store, learners: list[str]) -> None:
    for name in learners:
        assert store.learner(name).answer_totals() == recount(store, name), name
    kept, counted = Scope(), Scope(since=EVER)
    assert sorted(store.learner_decks(kept)) == sorted(store.learner_decks(counted))
    cards = {(r.deck, r.card): r for r in store.card_rows(kept)}
    assert cards.keys() == {(r.deck, r.card) for r in store.card_rows(counted)}
    for row in store.card_rows(counted):
        kept_row = cards[(row.deck, row.card)]
        assert kept_row._replace(mean_latency_ms=0) == row._replace(mean_latency_ms=0)
        assert kept_row.mean_latency_ms == pytest.approx(row.mean_latency_ms)


def test_counters_kept_with_each_answer_equal_the_answers_counted(store: Store):
    clock = ManualClock(NOW)
    other = deck("id: e\ntitle: E\ncards:\n  - {id: x, prompt: X, answer: x}\n"
                 "  - {id: br, type: breathing, pattern: [1, 1, 1]}\n", "e.yaml")  # fmt: skip
    drill_once(store, "a", clock, RIGHT)
    drill_once(store, "a", clock, {"t1": Typed("4")}, decks=[deck(), other])
    drill_once(store, "b", clock, {"t1": Typed("3"), "c1": Picked(frozenset({1}))})
    clock.advance(600)
    drill_once(store, "a", clock, {"t1": Typed("5")}, mode="exam")  # a lapse, in an exam
    drill_once(store, "c", clock, {}, decks=[other])  # a deck of one card and a breathing card
    assert store.learner("a").answer_totals() == {"d": (12, 4, 3), "e": (1, 0, 1)}
    assert_counters_match_answers(store, ["a", "b", "c"])
    lapses = {r.card: r.lapses for r in store.card_rows(Scope())}
    assert lapses == {"t1": 2, "t2": 2, "c1": 2, "f1": 2, "x": 0}  # a's, wrong twice after right
    # The last score: the latest session with a graded answer to the deck, an exam judged on
    # the cards it planned.
    assert store.learner("a").last_scores(["d", "e"]) == {"d": 0.0, "e": 0.0}
    assert store.learner("b").last_scores(["d"]) == {"d": 0.25}


def test_counters_stay_equal_to_the_answers_with_writers_at_once(store: Store, tmp_path: Path):
    """Three sessions of one learner on one deck at once answering the same cards: every
    answer is counted once, in its card's counters and its session's."""
    rounds = 12

    def answer_repeatedly(learner: LearnerStore, session: str, worker: int) -> None:
        scheduler = Scheduler(fuzz=False)
        for n in range(rounds):
            at = NOW + timedelta(seconds=n)
            card, right = ("t1", "t2", "br")[n % 3], (n + worker) % 2 == 0
            rating = None if card == "br" else (3 if right else 1)
            learner.record_answer(
                AnswerRecord(session, "d", card, "typed", at, None if card == "br" else right,
                             rating, 100 * n, False, "3" if right else "4"),
                None if rating is None else
                lambda before, at=at, r=rating: scheduler.review(before, Rating(r), at),
            )  # fmt: skip

    _writers_at_once(store, tmp_path, 3, answer_repeatedly, read_first=True)
    assert store.learner("same").answer_totals() == {"d": (24, 12, 3)}
    assert_counters_match_answers(store, ["same"])
    states = [store.learner("same").state("d", c) for c in ("t1", "t2")]
    assert [s.reps for s in states if s is not None] == [12, 12]


def test_due_counts_trust_a_decks_fingerprint_and_check_cards_without_it(store: Store):
    """A deck whose stored states all carry its fingerprint is counted as stored; after the
    deck loses a card its states are counted over its current cards, and its next session
    tags the states of the cards it still has, so only the removed card's keeps the old tag."""
    clock = ManualClock(NOW)
    drill_once(store, "a", clock, {})  # every card wrong: due again within the hour
    learner = store.learner("a")
    later = NOW + timedelta(hours=1)
    full = deck()
    ids = {"d": list(full.graded_ids)}
    assert learner.card_counts(ids, later, {"d": full.card_set}) == {"d": (4, 4)}
    smaller = deck(DECK.replace("  - {id: t2, prompt: Greeting?, answer: hello}\n", ""))
    fewer = {"d": list(smaller.graded_ids)}
    assert learner.card_counts(fewer, later, {"d": smaller.card_set}) == {"d": (3, 3)}
    drill_once(store, "a", clock, {}, decks=[smaller])
    assert learner.card_counts(fewer, later, {"d": smaller.card_set}) == {"d": (3, 3)}
    assert learner.card_counts(ids, later, {"d": full.card_set}) == {"d": (4, 4)}
    # A fingerprint that matches no state is never trusted: the cards are checked one by one.
    assert learner.card_counts({"d": ["t1"]}, later, {"d": 12345}) == {"d": (1, 1)}


V1 = Path(__file__).parent / "reliability" / "fixtures" / "schema-v1.sqlite3"
V1_ROWS = json.loads(V1.with_suffix(".json").read_text(encoding="utf-8"))
"""A store of drill's first schema, written by drill's own session engine, and its rows."""


def _old_postgres(url: str) -> None:
    """The rows of the version-1 SQLite fixture, in a PostgreSQL database of schema 1 (the
    team store's first), as the learner ``first``."""
    from drill.store.postgres_schema import TABLES

    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        for statement in TABLES:
            conn.execute(statement)
        conn.execute("INSERT INTO drill_meta VALUES ('schema_version', '1')")
        (learner,) = conn.execute(
            "INSERT INTO learners (name) VALUES ('first') RETURNING id"
        ).fetchone()  # type: ignore[misc]
        for sid, started, ended, mode, decks, planned, seed, pass_mark, passed in V1_ROWS[
            "sessions"
        ]:
            conn.execute(
                "INSERT INTO sessions VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (sid, learner, started, ended, mode, json.loads(decks), planned, seed, pass_mark,
                 None if passed is None else bool(passed)),
            )  # fmt: skip
        for aid, sid, deck_id, card, kind, at, right, rating, ms, late, answer, error in V1_ROWS[
            "answers"
        ]:
            conn.execute(
                "INSERT INTO answers OVERRIDING SYSTEM VALUE VALUES"
                " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (aid, sid, learner, deck_id, card, kind, at,
                 None if right is None else bool(right), rating, ms, bool(late), answer, error),
            )  # fmt: skip
        conn.execute("SELECT setval(pg_get_serial_sequence('answers', 'id'), 1000)")
        for row in V1_ROWS["card_states"]:
            conn.execute(
                "INSERT INTO card_states VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (learner, *row),
            )


@pytest.fixture(params=["sqlite", "postgresql"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store of each kind from before the counters, opened (so migrated) by today's drill."""
    if request.param == "sqlite":
        home = tmp_path / "home"
        home.mkdir()
        shutil.copyfile(V1, home / "drill.sqlite3")
        opened = open_store(None, home, False, lambda: "first")
    else:
        url = request.getfixturevalue("postgres_url")
        _old_postgres(url)
        opened = open_store(url, tmp_path, False, lambda: "first")
    yield opened
    opened.close()


def test_a_store_from_before_the_counters_is_counted_once_when_migrated(old_store: Store):
    """Every answer already stored is in the counters the migration makes, as if each had
    been counted when it arrived; and the answers that follow keep them so."""
    graded = [a for a in V1_ROWS["answers"] if a[6] is not None]
    expected = (len(graded), sum(a[6] for a in graded), len(V1_ROWS["sessions"]))
    assert old_store.learner("first").answer_totals() == {"upgrade": expected}
    assert_counters_match_answers(old_store, ["first"])
    upgrade = load_text((V1.parent / "upgrade-deck.yaml").read_text(encoding="utf-8"), "u.yaml")
    assert upgrade.deck is not None
    drill_once(old_store, "first", ManualClock(datetime(2026, 1, 10, 9, tzinfo=UTC)),
               {}, decks=[upgrade.deck])  # fmt: skip
    assert_counters_match_answers(old_store, ["first"])


def test_a_card_first_stored_by_an_older_deck_is_never_counted_in_the_newer(store: Store):
    """Two sessions at once on two versions of a deck: the newer lacks a card the older has.
    The older session's first answer to that card must not be counted as the newer deck's,
    although the newer deck's fingerprint was vouched for when its session began."""
    clock = ManualClock(NOW)
    old = deck()
    new = deck(DECK.replace("  - {id: t2, prompt: Greeting?, answer: hello}\n", ""))
    drill_once(store, "a", clock, {}, decks=[new])  # t1, c1, f1 stored
    learner = store.learner("a")
    older = Session([old], Options(mode="drill", seed=3), clock, learner)  # type: ignore[arg-type]
    shown = older.show()
    assert shown is not None and shown.card.id != "t2", "the plan shows t2 later"
    older.answer(Skip())  # the older session's first answer to the deck
    Session([new], Options(mode="drill", seed=1), clock, learner)  # type: ignore[arg-type]
    while (shown := older.show()) is not None and shown.card.id != "t2":
        older.answer(Skip())
    older.answer(Typed("hello"))  # the first state of t2
    later = NOW + timedelta(days=400)
    assert learner.card_counts({"d": list(new.graded_ids)}, later, {"d": new.card_set}) == {
        "d": (3, 3)}  # fmt: skip
    assert learner.card_counts({"d": list(old.graded_ids)}, later, {"d": old.card_set}) == {
        "d": (4, 4)}  # fmt: skip
