"""Call cards played (SPEC 9): the engine's turn-by-turn state machine and its grading, one
stored answer per finished call and none for a call cut short, a stored call read back for
reports, and the headless protocol's ``turn`` events, answers and answers files."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from storehelp import query, sqlite_store

from drill.calls import first_bad_reply, replies_given
from drill.clock import ManualClock
from drill.deck.discovery import bundled_decks_dir, deck_files
from drill.deck.loader import load_file, load_text
from drill.deck.model import CallCard, Deck
from drill.grading import Rating, Replied, Skip, TimedOut
from drill.session import Options, Result, Session
from drill.store import EmptyStore, LearnerStore

REPO = Path(__file__).resolve().parents[1]
CALL_DECKS = REPO / "tests" / "call_decks"
EN = CALL_DECKS / "calls-en.yaml"
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

# The replies of tests/call_decks/calls-en.yaml, by a word of each.
SORRY = "I'm sorry, twice in one week is a real problem when you work from home. Let me check your line now."
ROUTER = "Have you tried turning the router off and on again?"
OUTAGE = "There's an outage in your area, so there's nothing I can do."
NOT_AT_ALL = "Not at all, sorry. You've clearly done the basics; let me check the line from here."
SCRIPT = "I have to ask, it's in my script."
CABINET = "There's a fault at the street cabinet. An engineer is booked for tomorrow, 8 to 12."
YOUR_ROUTER = "It's probably your router."
HUB = "I understand. I can send a mobile data hub today at no charge, so you can work until then."
EARLIEST = "That's the earliest slot, sorry."
COURIER = "It goes out by courier today; your reference is 4471. Is there anything else I can do?"
GOOD_PATH = [SORRY, CABINET, HUB, COURIER]  # fmt: skip


NO_STORE = EmptyStore("nowhere").learner("nobody")


def deck(path: Path = EN) -> Deck:
    result = load_file(str(path))
    assert result.deck is not None, result.problems
    return result.deck


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LearnerStore]:
    opened = sqlite_store(tmp_path / "home")
    assert opened is not None
    yield opened
    opened.close()


def session(store: LearnerStore, **options: object) -> Session:
    options.setdefault("mode", "drill")
    options.setdefault("seed", 7)
    return Session([deck()], Options(**options), ManualClock(NOW), store)  # type: ignore[arg-type]


def reply(session: Session, text: str) -> Replied:
    """The response that gives the reply ``text`` at the turn on screen."""
    play = session.call
    assert play is not None
    return Replied(play.turn.id, [r.text for r in play.turn.replies].index(text))


def play(session: Session, texts: list[str], seconds: float = 5) -> Result:
    """Show the call and give ``texts`` one turn each, ``seconds`` apiece; the call must end
    exactly at the last one."""
    session.show()
    for i, text in enumerate(texts):
        result = session.answer_turn(reply(session, text), seconds * 1000)
        assert (result is not None) == (i == len(texts) - 1), f"call ended early at {text!r}"
    assert result is not None
    return result


def stored(store: LearnerStore) -> list[tuple]:
    return query(
        store,
        "SELECT card, card_type, correct, rating, timed_out, latency_ms, answer, error FROM answers",
    )


# --- the engine ------------------------------------------------------------------------------


def test_the_good_path_is_right_stored_once_and_scheduled_once(store):
    drill = session(store)
    result = play(drill, GOOD_PATH)
    assert (result.correct, result.rating, result.timed_out) == (True, Rating.EASY, False)
    assert result.expected == GOOD_PATH
    assert [(t.turn.id, t.good) for t in result.turns] == [
        ("open", True), ("check", True), ("gap", True), ("close", True)]  # fmt: skip
    assert stored(store) == [("line-down", "call", 1, 4, 0, 20000, " > ".join(GOOD_PATH), None)]
    state = store.state("calls-en", "line-down")
    assert state is not None and state.reps == 1
    assert drill.current is None and drill.finish().score == 1.0


@pytest.mark.parametrize(
    ("seconds", "rating"),
    [(7.5, Rating.EASY), (7.6, Rating.GOOD), (22.5, Rating.GOOD), (22.6, Rating.HARD)],
)
def test_the_rating_weighs_the_total_latency_against_the_limit_times_the_turns(
    store, seconds, rating
):
    """Four turns of a 30 s card: L = 120 s, so easy up to 30 s in all and hard past 90 s."""
    assert play(session(store), GOOD_PATH, seconds).rating == rating


def test_an_untimed_call_counts_30_seconds_a_turn(store):
    untimed = deck()._replace(time_limit=0.0)
    drill = Session([untimed], Options(mode="drill", seed=7), ManualClock(NOW), store)
    result = play(drill, GOOD_PATH, 100)  # 400 s in all: no time-out, and hard (over 90 s)
    assert (result.correct, result.rating, result.timed_out) == (True, Rating.HARD, False)


def test_a_bad_branch_that_rejoins_the_good_path_is_wrong_with_the_good_replies_expected(store):
    result = play(session(store), [ROUTER, NOT_AT_ALL, CABINET, EARLIEST, COURIER])
    assert (result.correct, result.rating) == (False, Rating.AGAIN)
    assert [(t.turn.id, t.good) for t in result.turns] == [("open", False), ("annoyed", True),
        ("check", True), ("gap", False), ("close", True)]  # fmt: skip
    assert result.expected == [SORRY, NOT_AT_ALL, CABINET, HUB, COURIER]
    assert [t.better.text if t.better else None for t in result.turns] == [
        SORRY, None, None, HUB, None]  # fmt: skip
    assert stored(store)[0][6] == " > ".join([ROUTER, NOT_AT_ALL, CABINET, EARLIEST, COURIER])


def test_a_bad_branch_that_ends_the_call(store):
    drill = session(store)
    result = play(drill, [ROUTER, SCRIPT])
    assert result.correct is False and result.expected == [SORRY, NOT_AT_ALL]
    assert stored(store)[0][6] == f"{ROUTER} > {SCRIPT}"
    result = play(session(store), [OUTAGE])
    assert [t.turn.id for t in result.turns] == ["open"] and result.turns[0].reply.why


def test_a_late_reply_is_a_bad_one_and_ends_the_call(store):
    drill = session(store)
    drill.show()
    assert drill.answer_turn(reply(drill, SORRY), 5000) is None
    result = drill.answer_turn(reply(drill, CABINET), 30001)
    assert result is not None
    assert (result.correct, result.rating, result.timed_out) == (False, Rating.AGAIN, True)
    assert [(t.turn.id, t.good, t.timed_out) for t in result.turns] == [
        ("open", True, False), ("check", False, True)]  # fmt: skip
    assert result.turns[1].better.text == CABINET  # the right reply, too late
    assert stored(store)[0][4:7] == (1, 35001, f"{SORRY} > {CABINET}")


def test_time_running_out_with_no_reply_ends_the_call_timed_out(store):
    drill = session(store)
    drill.show()
    drill.answer_turn(reply(drill, SORRY), 5000)
    result = drill.answer_turn(TimedOut(), 30000)
    assert result is not None and result.timed_out and result.turns[-1].reply is None
    assert stored(store)[0][6] == SORRY


def test_a_skip_skips_the_whole_call_keeping_the_replies_before_it(store):
    drill = session(store)
    drill.show()
    drill.answer_turn(reply(drill, SORRY), 5000)
    result = drill.answer_turn(Skip(), 1000)
    assert result is not None and (result.correct, result.rating) == (False, Rating.AGAIN)
    assert [t.turn.id for t in result.turns] == ["open"]
    assert stored(store)[0][6] == f"{SORRY} > skip"
    skipped_at_once = session(store)
    assert skipped_at_once.answer(Skip()).answer == "skip"  # answer() ends a call too


def test_the_reply_that_crosses_the_session_time_limit_ends_call_and_session(store):
    drill = session(store, time_limit=12)
    drill.show()
    drill.answer_turn(reply(drill, SORRY), 5000)
    assert drill.session_remaining_ms() == 7000
    drill.answer_turn(reply(drill, CABINET), 5000)
    result = drill.answer_turn(reply(drill, HUB), 5000)
    assert result is not None and result.timed_out and result.correct is False
    assert drill.current is None


def test_a_call_cut_short_stores_nothing(store):
    drill = session(store)
    drill.show()
    drill.answer_turn(reply(drill, SORRY), 5000)
    drill.answer_turn(reply(drill, CABINET), 5000)
    summary = drill.finish()
    assert summary.answered == 0 and summary.results == ()
    assert stored(store) == [] and store.state("calls-en", "line-down") is None


def test_a_seed_fixes_every_turns_reply_order_and_turns_are_shuffled_apart():
    def orders(seed: int) -> tuple:
        return session(NO_STORE, seed=seed, save=False).cards[0].turn_orders

    assert orders(7) == orders(7)
    assert orders(7) != orders(8)
    shown = session(NO_STORE, seed=7, save=False).cards[0]
    assert sorted(shown.turn_orders[0]) == [0, 1, 2]
    assert [r.text for r in shown.replies(0)] == [
        shown.card.turns[0].replies[i].text for i in shown.turn_orders[0]
    ]


def test_answer_turn_refuses_a_reply_to_another_turn(store):
    drill = session(store)
    drill.show()
    with pytest.raises(ValueError):
        drill.answer_turn(Replied("gap", 0))


# --- reading a stored call back (for drill report) -------------------------------------------


def test_first_bad_reply_of_stored_answers():
    card = deck().cards[0]
    assert isinstance(card, CallCard)
    assert first_bad_reply(card, " > ".join(GOOD_PATH)) is None
    assert (
        first_bad_reply(card, " > ".join([ROUTER, NOT_AT_ALL, CABINET, EARLIEST, COURIER]))
        == ROUTER
    )
    assert first_bad_reply(card, " > ".join([SORRY, YOUR_ROUTER, EARLIEST, COURIER])) == YOUR_ROUTER
    assert first_bad_reply(card, f"{SORRY} > skip") is None
    assert first_bad_reply(card, "skip") is None and first_bad_reply(card, "") is None
    assert first_bad_reply(card, f"{SORRY} > {YOUR_ROUTER} > garbled") == YOUR_ROUTER
    assert [t.id for t, _ in replies_given(card, f"{SORRY} > {CABINET}")] == ["open", "check"]


SEPARATORS = """\
id: d
title: T
cards:
  - id: c
    prompt: Replies that contain the separator.
    turns:
      - id: one
        customer: Ready?
        replies:
          - {text: "Yes > no", next: two}
          - {text: "Yes", good: true, next: three}
      - id: two
        customer: Sure?
        replies:
          - {text: "no > maybe", good: true}
          - {text: "no"}
      - id: three
        customer: Sure?
        replies:
          - {text: "no > maybe", good: true}
          - {text: "maybe"}
"""


def test_replies_containing_the_separator_are_read_back_by_walking_the_turns():
    card = load_text(SEPARATORS, "d.yaml").deck.cards[0]
    assert isinstance(card, CallCard)

    def path(answer: str) -> list[tuple[str, str]]:
        return [(t.id, r.text) for t, r in replies_given(card, answer)]

    # Two readings start alike; the one that accounts for the whole answer is taken.
    assert path("Yes > no > maybe") == [("one", "Yes"), ("three", "no > maybe")]
    assert path("Yes > no > no > maybe") == [("one", "Yes > no"), ("two", "no > maybe")]
    assert path("Yes > no > maybe > skip") == [("one", "Yes"), ("three", "no > maybe")]
    assert path("Yes > maybe") == [("one", "Yes"), ("three", "maybe")]
    assert first_bad_reply(card, "Yes > maybe") == "maybe"
    assert first_bad_reply(card, "Yes > no > no") == "Yes > no"
    assert path("Yes > no") == [("one", "Yes > no")]  # the whole answer accounted for


# --- bundled and fixture calls ---------------------------------------------------------------


def good_path(card: CallCard) -> list[str]:
    """The first good reply at each turn, from the first turn to the end of the call."""
    texts, position = [], 0
    while True:
        chosen = card.turns[position].good_replies[0]
        texts.append(chosen.text)
        if chosen.next is None:
            return texts
        position = card.turn_index(chosen.next)


def every_call() -> list:
    found = []
    for path in [*deck_files(bundled_decks_dir()), *map(str, sorted(CALL_DECKS.glob("*.yaml")))]:
        loaded = load_file(path).deck
        assert loaded is not None, path
        found += [pytest.param(loaded, c.id, id=f"{loaded.id}/{c.id}")
                  for c in loaded.cards if isinstance(c, CallCard)]  # fmt: skip
    return found


@pytest.mark.parametrize(("loaded", "card_id"), every_call())
def test_every_bundled_and_fixture_calls_good_path_scores_1(loaded: Deck, card_id: str):
    card = loaded.card(card_id)
    assert isinstance(card, CallCard)
    one = loaded._replace(cards=(card,))
    drill = Session([one], Options(mode="drill", seed=1, save=False), ManualClock(NOW), NO_STORE)
    result = play(drill, good_path(card), 1)
    assert result.correct is True and drill.finish().score == 1.0


# --- headless --------------------------------------------------------------------------------

RUN = (
    "run",
    str(EN),
    "--headless",
    "--mode",
    "drill",
    "--seed",
    "7",
    "--now",
    "2026-03-01T09:00:00Z",
)


def result_of(events: list[dict]) -> dict:
    (result,) = [e for e in events if e["event"] == "result"]
    return result


def letter(event: dict, text: str) -> str:
    return "ABCDEF"[event["turn"]["replies"].index(text)]


def test_headless_plays_a_call_by_letters_numbers_and_texts(drill, home):
    shown = drill(*RUN, "--no-save", input="skip\n")  # learn the shown order first
    (card,) = [e for e in shown.events if e["event"] == "card"]
    assert card["type"] == "call" and card["prompt"].startswith("A customer who works from home")
    assert card["turn"]["id"] == "open" and card["turn"]["customer"].startswith("My internet")
    assert sorted(card["turn"]["replies"]) == sorted([SORRY, ROUTER, OUTAGE])
    lines = [letter(card, ROUTER), json.dumps({"answer": NOT_AT_ALL, "latency_ms": 4000})]
    ran = drill(*RUN, input="\n".join(lines) + "\n" + "\n".join(["1", "2", "1"]) + "\n")
    assert ran.code == 0 and ran.err == ""
    events = ran.events
    kinds = [e["event"] for e in events]
    assert kinds[:3] == ["start", "card", "turn"] and kinds[-2:] == ["result", "summary"]
    turns = [e for e in events if e["event"] == "turn"]
    assert [t["turn"]["id"] for t in turns] == ["annoyed", "check", "gap", "close"]
    assert turns[0] == {"event": "turn", "index": 1, "card": "line-down", "turn": {
        "id": "annoyed", "customer": "Of course I've tried that! Do you think I'm stupid?",
        "replies": turns[0]["turn"]["replies"]}}  # fmt: skip
    given = [ROUTER, NOT_AT_ALL] + [t["turn"]["replies"][int(n) - 1] for t, n in zip(turns[1:], "121", strict=True)]  # fmt: skip
    result = events[-2]
    assert [t["reply"] for t in result["turns"]] == given
    assert result["turns"][0] == {"turn": "open", "reply": ROUTER, "good": False,
        "why": "A script before any acknowledgement; she has almost certainly tried it."}  # fmt: skip
    assert result["expected"][:3] == [SORRY, NOT_AT_ALL, CABINET]
    assert result["correct"] is False and result["rating"] == "again"
    with sqlite3.connect(home / "drill.sqlite3") as conn:
        rows = conn.execute("SELECT card_type, answer FROM answers").fetchall()
    assert rows == [("call", " > ".join(given))]


def test_headless_good_path_by_texts_is_right_and_stored_before_the_result(drill, home):
    lines = [json.dumps({"answer": text, "latency_ms": 5000}) for text in GOOD_PATH]
    ran = drill(*RUN, input="\n".join(lines) + "\n")
    result = result_of(ran.events)
    assert (result["correct"], result["rating"], result["latency_ms"]) == (True, "easy", 20000)
    assert result["expected"] == GOOD_PATH and all(t["good"] for t in result["turns"])
    assert ran.events[-1]["score"] == 1.0


def test_an_answers_file_gives_a_list_of_reply_texts(drill, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "line-down:\n  answer:\n" + "".join(f"    - {json.dumps(t)}\n" for t in GOOD_PATH)
        + "  latency_ms: 2000\n", encoding="utf-8")  # fmt: skip
    ran = drill(*RUN, "--answers", str(answers))
    assert ran.code == 0, ran.err
    result = result_of(ran.events)
    assert result["correct"] is True and result["latency_ms"] == 8000
    assert len([e for e in ran.events if e["event"] == "turn"]) == 3


def test_an_answers_file_list_too_short_or_skip(drill, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"calls-en/line-down": [SORRY]}), encoding="utf-8")
    result = result_of(drill(*RUN, "--answers", str(answers)).events)
    assert result["correct"] is False
    assert result["error"] == "the answers file gives no reply for turn `check`"
    answers.write_text(json.dumps({"line-down": "skip"}), encoding="utf-8")
    result = result_of(drill(*RUN, "--answers", str(answers)).events)
    assert result["correct"] is False and result["turns"] == [] and result["error"] is None
    answers.write_text(json.dumps({}), encoding="utf-8")  # missing: skipped, like any card
    result = result_of(drill(*RUN, "--answers", str(answers)).events)
    assert result["turns"] == [] and result["correct"] is False


def test_headless_skip_mid_call_skips_the_whole_call(drill, home):
    ran = drill(*RUN, input=json.dumps({"answer": SORRY}) + "\nskip\n")
    result = result_of(ran.events)
    assert result["correct"] is False and [t["turn"] for t in result["turns"]] == ["open"]
    with sqlite3.connect(home / "drill.sqlite3") as conn:
        assert conn.execute("SELECT answer FROM answers").fetchall() == [(f"{SORRY} > skip",)]


def test_an_unreadable_reply_ends_the_call_wrong_with_an_error(drill):
    ran = drill(*RUN, input="Z\n")
    result = result_of(ran.events)
    assert result["correct"] is False and result["timed_out"] is False
    assert (
        result["error"] == "not a reply: answer with one letter A-C, a number 1-3 or a reply's text"
    )
    assert result["turns"] == [{"turn": "open", "reply": None, "good": False, "why": None}]
    ran = drill(*RUN, input="A,B\n")
    assert result_of(ran.events)["error"].startswith("not a reply")


def test_input_ending_mid_call_records_nothing_of_it(drill, home):
    ran = drill(*RUN, input=json.dumps({"answer": SORRY}) + "\n")
    assert [e["event"] for e in ran.events] == ["start", "card", "turn", "summary"]
    assert ran.events[-1]["answered"] == 0
    with sqlite3.connect(home / "drill.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM answers").fetchone() == (0,)


def test_export_and_stats_count_a_call_as_one_answer(drill, home):
    lines = [json.dumps({"answer": t}) for t in [ROUTER, SCRIPT]]
    drill(*RUN, input="\n".join(lines) + "\n")
    exported = json.loads(drill("export", "--format", "json").out)
    assert [(r["card"], r["correct"], r["answer"]) for r in exported] == [
        ("line-down", False, f"{ROUTER} > {SCRIPT}")]  # fmt: skip
    stats = json.loads(drill("stats", "--json").out)
    (figures,) = [d for d in stats["decks"] if d["deck"] == "calls-en"]
    assert (figures["answers"], figures["correct"]) == (1, 0)
    assert stats["sessions"][0]["answered"] == 1


HOSTILE = [
    "[" * 5000,
    '{"answer": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"answer": ' + "1" * 5000 + "}",
    "9" * 5000,
    "x" * 200_000,
    '{"answer": "\\ud800"}',
    '{"answer": ["\\udfff", "A"]}',
    '{"answer": "B", "latency_ms": NaN}',
    '{"answer": "B", "latency_ms": 1e400}',
    '{"answer": 1e400}',
    '{"answer": {"answer": "A"}}',
    '{"answer": [[1], [2]]}',
    '{"answer": true}',
    "null",
    "",
    "\x00\x1b[2J\x7f",
]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("at_turn", [1, 2])
def test_a_hostile_answer_line_at_any_turn_ends_the_call_wrong_and_stored(store, line, at_turn):
    import io

    from drill import headless

    drill = session(store)
    before = [json.dumps({"answer": SORRY})] * (at_turn - 1)
    out = io.StringIO()
    headless.run(drill, io.StringIO("\n".join([*before, line]) + "\n"), out)
    events = [json.loads(e) for e in out.getvalue().splitlines()]
    (result,) = [e for e in events if e["event"] == "result"]
    assert result["correct"] is False and len(result["turns"]) == at_turn
    assert result["error"] or result["turns"][-1]["reply"] is None
    (row,) = stored(store)
    assert row[2] == 0 and (row[6] == SORRY or row[6].startswith(SORRY + " > ") or at_turn == 1)


def test_replies_that_prefix_one_another_are_read_back_through_twenty_turns():
    """Each turn offers `a` and `a > a`: many readings start alike, one reads the whole answer
    (worked out once per turn and place, not once per reading: this returns at once)."""
    turns = "".join(
        f"      - id: t{i}\n        customer: C\n        replies:\n"
        f"          - {{text: 'a', good: true{f', next: t{i + 1}' if i < 19 else ''}}}\n"
        f"          - {{text: 'a > a'{f', next: t{i + 1}' if i < 19 else ''}}}\n"
        for i in range(20)
    )
    card = load_text("id: d\ntitle: T\ncards:\n  - id: c\n    prompt: P\n    turns:\n" + turns,
                     "d.yaml").deck.cards[0]  # fmt: skip
    answer = " > ".join(["a"] * 39)  # 19 turns of `a > a` and one of `a`
    path = replies_given(card, answer)
    assert len(path) == 20 and " > ".join(r.text for _, r in path) == answer
    assert first_bad_reply(card, answer) == "a > a"


def test_the_reports_most_given_wrong_answer_of_a_call_is_its_first_bad_reply(store):
    """Two trainees go wrong at the first turn and one later: the report counts first bad
    replies, whatever path followed them."""
    from drill.report import build, mistake_finders
    from drill.store import Scope

    play(session(store), [OUTAGE])  # bad, and the call ends
    play(session(store), [ROUTER, NOT_AT_ALL, CABINET, HUB, COURIER])  # bad, then rejoins
    play(session(store), [ROUTER, SCRIPT])
    play(session(store), GOOD_PATH)
    report = build(store.store, {deck().id: deck()}, Scope(), NOW, mistake_finders())
    (card,) = [c for c in report.cards if c.card == deck().cards[0].id]
    assert (card.answers, card.correct) == (4, 1)
    assert card.top_wrong is not None and (card.top_wrong.answer, card.top_wrong.given) == (
        ROUTER, 2)  # fmt: skip
