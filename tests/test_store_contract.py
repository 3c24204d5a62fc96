"""One test suite for both stores (SPEC 5, 7, 8): every method of ``drill.store.Store`` behaves
the same on the embedded SQLite file and on a real PostgreSQL server (started by the tests).

Sessions are driven through the real session engine, so what is checked is what drill itself
writes; only the clock is fake.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest

from drill.clock import ManualClock
from drill.deck.loader import load_text
from drill.deck.model import Deck
from drill.grading import Picked, Rating, Recalled, Skip, Typed
from drill.scheduling import MemoryState, Scheduler, forgetting_curve
from drill.session import Options, Session
from drill.store import AnswerRecord, Scope, SessionStart, Store, open_store

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


def test_two_sessions_of_one_learner_at_once_lose_no_update(store: Store, tmp_path: Path):
    """Each thread has a store (a connection) of its own, like two drill processes: every
    review of the one card they share is counted in its state, none overwritten."""
    opener = _opener(store, tmp_path)
    rounds = 25
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def answer_repeatedly(worker: int) -> None:
        own = opener()
        try:
            learner = own.learner("same")
            scheduler = Scheduler(fuzz=False)
            session = f"s{worker}"
            learner.begin_session(SessionStart(session, NOW, "drill", ("d",), 1, 1, None))
            start.wait()
            for n in range(rounds):
                at = NOW + timedelta(seconds=n)
                learner.record_answer(
                    AnswerRecord(session, "d", "t1", "typed", at, True, 3, 100, False, "3"),
                    lambda before, at=at: scheduler.review(before, Rating.GOOD, at),
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=answer_repeatedly, args=(w,)) for w in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
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
