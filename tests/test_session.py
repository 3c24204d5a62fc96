"""The session engine (SPEC section 2): which cards come, in what order, how a session is scored,
and that every answer and memory state lands in the real store. Only the clock is faked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from storehelp import query, sqlite_store

from drill.clock import ManualClock
from drill.deck.loader import load_text
from drill.errors import UsageError
from drill.grading import Breathed, Ordered, Picked, Rating, Recalled, Skip, TimedOut, Typed
from drill.planning import plan
from drill.session import Options, Session

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def make_deck(n: int = 6, deck_id: str = "d", extra: str = ""):
    cards = "".join(f"  - {{id: c{i}, prompt: Q{i}, answer: a{i}}}\n" for i in range(n))
    return load_text(f"id: {deck_id}\ntitle: T\ncards:\n{cards}{extra}", f"{deck_id}.yaml").deck


@pytest.fixture
def store(tmp_path: Path):
    store = sqlite_store(tmp_path / "home")
    yield store
    store.close()


def answer_all(session: Session, responder, clock: ManualClock, seconds: float = 2):
    while (shown := session.show()) is not None:
        clock.advance(seconds)
        session.answer(responder(shown))
    return session.finish()


def right(shown):
    return Typed(f"a{shown.card.id[1:]}")


def test_review_shows_new_cards_in_deck_order_capped_by_new():
    deck = make_deck(6)
    cards = plan([deck], "review", {}, NOW, seed=1, new=4)
    assert [c.card.id for c in cards] == ["c0", "c1", "c2", "c3"]


def test_review_shows_due_cards_most_overdue_first_then_new():
    deck = make_deck(6)
    due = {
        ("d", "c3"): NOW - timedelta(days=1),
        ("d", "c1"): NOW - timedelta(days=5),
        ("d", "c4"): NOW + timedelta(days=1),  # not due yet
        ("d", "c0"): NOW,
    }
    cards = plan([deck], "review", due, NOW, seed=1, new=10)
    assert [c.card.id for c in cards] == ["c1", "c3", "c0", "c2", "c5"]
    limited = plan([deck], "review", due, NOW, seed=1, new=10, limit=2)
    assert [c.card.id for c in limited] == ["c1", "c3"]


def test_breathing_cards_open_the_session_outside_the_limit():
    deck = make_deck(3, extra="  - {id: breathe, pattern: [4, 7, 8]}\n")
    cards = plan([deck], "review", {}, NOW, seed=1, limit=2)
    assert [c.card.id for c in cards] == ["breathe", "c0", "c1"]
    assert [c.index for c in cards] == [1, 2, 3]


def test_drill_and_exam_take_a_random_limit_repeatably_by_seed():
    deck = make_deck(20)
    first = [c.card.id for c in plan([deck], "drill", {}, NOW, seed=5, limit=5)]
    again = [c.card.id for c in plan([deck], "drill", {}, NOW, seed=5, limit=5)]
    other = [c.card.id for c in plan([deck], "drill", {}, NOW, seed=6, limit=5)]
    assert first == again and first != other and len(set(first)) == 5
    everything = plan([deck], "exam", {}, NOW, seed=5)
    assert sorted(c.card.id for c in everything) == sorted(c.id for c in deck.cards)


def test_order_cards_are_never_shown_in_order_and_shuffles_repeat():
    steps = "[s1, s2]"
    deck = load_text(
        "id: d\ntitle: T\ncards:\n"
        + "".join(f"  - {{id: o{i}, prompt: P{i}, steps: {steps}}}\n" for i in range(30))
        + "  - {id: fixed, prompt: P, choices: [a, b, c, d], answer: a, shuffle: false}\n",
        "d",
    ).deck
    shown = plan([deck], "drill", {}, NOW, seed=3)
    assert all(c.order == (1, 0) for c in shown if c.card.id.startswith("o"))
    assert next(c for c in shown if c.card.id == "fixed").order == (0, 1, 2, 3)
    assert [c.order for c in shown] == [c.order for c in plan([deck], "drill", {}, NOW, seed=3)]


def test_score_counts_skips_as_wrong_and_leaves_breathing_out(store):
    deck = make_deck(4, extra="  - {id: breathe, pattern: [4, 7, 8]}\n")
    clock = ManualClock(NOW)
    session = Session([deck], Options(mode="drill", seed=1), clock, store)
    answers = {"c0": Typed("a0"), "c1": Typed("wrong"), "c2": Skip(), "c3": Typed("a3"),
               "breathe": Breathed(True)}  # fmt: skip
    summary = answer_all(session, lambda s: answers[s.card.id], clock)
    assert (summary.answered, summary.correct, summary.score, summary.passed) == (4, 2, 0.5, None)
    assert [r.shown.card.id for r in summary.missed] == sorted(
        ["c1", "c2"], key=[r.shown.card.id for r in summary.results].index
    )
    stored = query(store, "SELECT card, correct, rating FROM answers ORDER BY id")
    assert len(stored) == 5
    assert ("breathe", None, None) in stored


def test_answers_and_fsrs_state_are_stored_per_deck_and_card(store):
    deck = make_deck(2)
    clock = ManualClock(NOW)
    session = Session([deck], Options(mode="drill", seed=1), clock, store)
    answer_all(session, right, clock, seconds=2)  # 2 s of 30: easy
    state = store.state("d", "c0")
    assert state is not None and state.reps == 1 and state.due > NOW
    rows = query(store, "SELECT rating, latency_ms, correct FROM answers")
    assert rows == [(int(Rating.EASY), 2000, 1)] * 2


def test_review_brings_back_what_fsrs_says_is_due(store):
    deck = make_deck(3)
    clock = ManualClock(NOW)
    first = Session([deck], Options(seed=1), clock, store)
    answer_all(first, lambda s: Typed("wrong") if s.card.id == "c1" else right(s), clock)
    # Right after, nothing is due; a failed card is due again within minutes, the rest later.
    soon = Session([deck], Options(seed=1, new=0), ManualClock(NOW + timedelta(minutes=30)), store)
    assert [c.card.id for c in soon.cards] == ["c1"]
    later = Session([deck], Options(seed=1, new=0), ManualClock(NOW + timedelta(days=60)), store)
    assert sorted(c.card.id for c in later.cards) == ["c0", "c1", "c2"]


def test_exam_passes_and_fails_against_the_pass_mark(store):
    deck = make_deck(5)
    clock = ManualClock(NOW)
    options = Options(mode="exam", seed=1, pass_mark=0.8)
    passed = answer_all(Session([deck], options, clock, store),
                        lambda s: Typed("x") if s.card.id == "c0" else right(s), clock)  # fmt: skip
    assert passed.score == 0.8 and passed.passed is True
    failed = answer_all(Session([deck], options, clock, store),
                        lambda s: Typed("x") if s.card.id in ("c0", "c1") else right(s), clock)  # fmt: skip
    assert failed.passed is False
    assert query(store, "SELECT passed FROM sessions ORDER BY started_at") == [(1,), (0,)]


@pytest.mark.parametrize(
    ("deck", "limit"),
    [
        (make_deck(3), 0),
        (make_deck(0, extra="  - {type: breathing, pattern: [4, 7, 8]}\n"), None),
    ],
    ids=["limit-0", "breathing-only"],
)
def test_an_exam_of_no_graded_cards_is_refused_before_it_is_stored(store, deck, limit):
    """It could only pass (0 of 0 reaches any mark): a usage error, and nothing recorded."""
    with pytest.raises(UsageError, match="an exam needs at least one graded card"):
        Session([deck], Options(mode="exam", limit=limit, seed=1), ManualClock(NOW), store)
    assert query(store, "SELECT count(*) FROM sessions") == [(0,)]


def test_an_exam_ended_early_is_judged_on_all_its_cards(store):
    deck = make_deck(5)
    clock = ManualClock(NOW)
    session = Session([deck], Options(mode="exam", seed=1, pass_mark=0.5), clock, store)
    for _ in range(2):
        session.show()
        session.answer(right(session.current))
    summary = session.finish()
    assert summary.score == 1.0 and summary.passed is False  # 2 of 5 < 0.5
    assert (summary.planned, summary.exam_score, summary.unanswered) == (5, 0.4, 3)
    assert summary.judged_score == 0.4  # what a screen shows as the exam's score


def test_exam_score_is_none_outside_exams(store):
    clock = ManualClock(NOW)
    summary = answer_all(Session([make_deck(2)], Options(mode="drill", seed=1), clock, store),
                         right, clock)  # fmt: skip
    assert summary.exam_score is None and summary.judged_score == 1.0


def test_time_is_up_only_after_the_limit_and_the_grade_agrees(store):
    """One rule for the screen and for grading: at exactly the limit an answer is in time."""
    clock = ManualClock(NOW)
    session = Session([make_deck(2)], Options(mode="drill", seed=1), clock, store)
    session.show()
    clock.advance(30)
    assert not session.time_is_up() and session.card_remaining_ms() == 0
    on_time = session.answer(right(session.current))
    assert (on_time.correct, on_time.timed_out) == (True, False)
    session.show()
    clock.advance(30.001)
    assert session.time_is_up()
    late = session.answer(right(session.current))
    assert (late.correct, late.timed_out) == (False, True)


def test_time_is_up_when_the_session_limit_is_crossed(store):
    clock = ManualClock(NOW)
    session = Session([make_deck(3)], Options(mode="drill", seed=1, time_limit=10), clock, store)
    session.show()
    clock.advance(8)
    session.answer(right(session.current))
    session.show()
    clock.advance(2)
    assert not session.time_is_up() and session.session_remaining_ms() == 0
    clock.advance(0.5)
    assert session.time_is_up()


def test_a_stopped_clock_never_times_the_card_out(store):
    deck = load_text("id: d\ntitle: T\ncards:\n  - {id: f, front: F, back: B}\n", "d").deck
    clock = ManualClock(NOW)
    session = Session([deck], Options(mode="drill", seed=1), clock, store)
    session.show()
    clock.advance(5)
    session.stop_clock()  # the back is shown
    clock.advance(60)
    assert not session.time_is_up() and session.card_remaining_ms() == 25_000
    result = session.answer(Recalled(Rating.GOOD))
    assert (result.latency_ms, result.timed_out, result.correct) == (5_000, False, True)


def test_a_timed_out_card_keeps_what_was_typed_but_not_sent(store):
    clock = ManualClock(NOW)
    session = Session([make_deck(1)], Options(mode="drill", seed=1), clock, store)
    session.show()
    clock.advance(31)
    result = session.answer(TimedOut(Typed("a0")))
    assert (result.correct, result.timed_out, result.answer) == (False, True, "a0")
    assert query(store, "SELECT answer, timed_out FROM answers") == [("a0", 1)]


def test_skipped_results_say_so(store):
    deck = make_deck(1, extra="  - {id: breathe, pattern: [4, 7, 8]}\n")
    clock = ManualClock(NOW)
    summary = answer_all(Session([deck], Options(mode="drill", seed=1), clock, store),
                         lambda s: Skip(), clock)  # fmt: skip
    assert [r.skipped for r in summary.results] == [True, True]


def test_a_review_with_nothing_due_skips_the_warm_up(store):
    deck = make_deck(1, extra="  - {id: breathe, pattern: [4, 7, 8]}\n")
    clock = ManualClock(NOW)
    assert [c.card.id for c in Session([deck], Options(seed=1), clock, store).cards] == [
        "breathe",
        "c0",
    ]
    nothing_due = Session([deck], Options(seed=1, new=0), clock, store)
    assert nothing_due.cards == [] and nothing_due.planned == 0
    only_breathing = load_text("id: b\ntitle: B\ncards:\n  - {pattern: [4, 7, 8]}\n", "b").deck
    assert len(Session([only_breathing], Options(seed=1, new=0), clock, store).cards) == 1


def test_the_answer_crossing_the_session_time_limit_is_timed_out_and_ends_it(store):
    deck = make_deck(5)
    clock = ManualClock(NOW)
    session = Session([deck], Options(mode="drill", seed=1, time_limit=10), clock, store)
    summary = answer_all(session, right, clock, seconds=4)
    assert [r.timed_out for r in summary.results] == [False, False, True]
    assert [r.correct for r in summary.results] == [True, True, False]
    assert session.current is None


def test_latency_is_measured_from_show_or_taken_as_given(store):
    deck = make_deck(2)
    clock = ManualClock(NOW)
    session = Session([deck], Options(mode="drill", seed=1), clock, store)
    session.show()
    clock.advance(31)  # past the 30 s limit
    late = session.answer(right(session.current))
    session.show()
    given = session.answer(right(session.current), latency_ms=12_000)
    assert (late.latency_ms, late.timed_out, late.correct) == (31_000, True, False)
    assert (given.latency_ms, given.rating) == (12_000, Rating.GOOD)


def test_no_save_records_nothing(tmp_path: Path):
    store = sqlite_store(tmp_path / "home")
    clock = ManualClock(NOW)
    answer_all(Session([make_deck(2)], Options(seed=1, save=False), clock, store), right, clock)
    assert query(store, "SELECT count(*) FROM answers") == [(0,)]
    assert query(store, "SELECT count(*) FROM sessions") == [(0,)]


def test_seeded_sessions_schedule_identically(tmp_path: Path):
    """With --seed, FSRS fuzzing is off: two stores given the same answers agree exactly."""
    dues = []
    for name in ("a", "b"):
        store = sqlite_store(tmp_path / name)
        for day in range(4):
            clock = ManualClock(NOW + timedelta(days=day * 9))
            session = Session([make_deck(3)], Options(seed=7), clock, store)
            answer_all(session, right, clock, seconds=10)
        dues.append(query(store, "SELECT card, due, stability FROM card_states ORDER BY card"))
        store.close()
    assert dues[0] == dues[1]


def test_flashcard_and_choice_and_order_through_the_engine(store):
    deck = load_text(
        "id: d\ntitle: T\ncards:\n"
        "  - {id: f, front: F, back: B}\n"
        "  - {id: c, prompt: P, choices: [x, y, z], answer: [x, z]}\n"
        "  - {id: o, prompt: P, steps: [a, b, c]}\n",
        "d",
    ).deck
    clock = ManualClock(NOW)
    responses = {
        "f": lambda s: Recalled(Rating.HARD),
        "c": lambda s: Picked(frozenset({0, 2})),
        "o": lambda s: Ordered((0, 1, 2)),
    }
    summary = answer_all(Session([deck], Options(mode="drill", seed=2), clock, store),
                         lambda s: responses[s.card.id](s), clock)  # fmt: skip
    assert summary.correct == 3
    by_card = {r.shown.card.id: r for r in summary.results}
    assert by_card["f"].rating == Rating.HARD
    assert by_card["c"].answer == "x | z" and by_card["o"].answer == "a > b > c"


def test_a_review_with_nothing_to_show_leaves_no_session_behind(store):
    deck = make_deck(2)
    clock = ManualClock(NOW)
    answer_all(Session([deck], Options(seed=1), clock, store), right, clock)
    empty = Session([deck], Options(seed=1, new=0), clock, store)
    assert empty.cards == [] and empty.show() is None
    assert empty.finish().score is None
    assert query(store, "SELECT count(*) FROM sessions") == [(1,)]
