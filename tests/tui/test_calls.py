"""A call card played in the TUI at 80x24 (SPEC 6 and 9): replies picked with letters, digits,
arrows or the mouse, a countdown per turn, the transcript building up, the review after the
call, and the store holding one answer per finished call and nothing of one left early."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from drill.deck.loader import load_file
from drill.deck.model import Deck
from drill.tui import i18n
from drill.tui.widgets.call_transcript import CallTranscript
from drill.tui.widgets.reply_list import ReplyList, ReplyRow

from .conftest import answers, sessions
from .pilot import screen, wait

CALL_DECKS = Path(__file__).resolve().parents[1] / "call_decks"

SORRY = "I'm sorry, twice in one week is a real problem when you work from home. Let me check your line now."
ROUTER = "Have you tried turning the router off and on again?"
NOT_AT_ALL = "Not at all, sorry. You've clearly done the basics; let me check the line from here."
CABINET = "There's a fault at the street cabinet. An engineer is booked for tomorrow, 8 to 12."
YOUR_ROUTER = "It's probably your router."
HUB = "I understand. I can send a mobile data hub today at no charge, so you can work until then."
COURIER = "It goes out by courier today; your reference is 4471. Is there anything else I can do?"
GOOD_PATH = [SORRY, CABINET, HUB, COURIER]


def calls(language: str = "en") -> Deck:
    deck = load_file(str(CALL_DECKS / f"calls-{language}.yaml")).deck
    assert deck is not None
    return deck


def position(pilot: Pilot, text: str) -> int:
    """Where the reply ``text`` is shown on the call screen (0 = A)."""
    return pilot.app.screen.query_one(ReplyList).texts.index(text)


def letter(pilot: Pilot, text: str) -> str:
    return "abcdef"[position(pilot, text)]


def lines(pilot: Pilot) -> list[str]:
    """The transcript so far, one line of text per thing said."""
    return [str(w.render()) for w in pilot.app.screen.query_one(CallTranscript).children]


def rendered(pilot: Pilot, selector: str) -> str:
    return "\n".join(str(w.render()) for w in pilot.app.screen.query(selector))


async def test_a_call_played_with_letters_digits_and_arrows_then_its_review(
    session_app, store, clock
):
    app = session_app([calls()], mode="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        assert screen(pilot) == "CallScreen"
        assert lines(pilot) == ["Customer  My internet's down again. Second time this week, and I work from home!"]  # fmt: skip
        await pilot.press(letter(pilot, SORRY))
        await wait(pilot, 5, clock)
        await pilot.press("enter")
        assert screen(pilot) == "CallScreen" and answers(store) == []  # nothing until it ends
        assert lines(pilot)[1:] == [f"You  {SORRY}", "Customer  Fine. So what's wrong with it?"]
        assert "turn 2" in rendered(pilot, "#call-kind")
        await pilot.press(str(position(pilot, CABINET) + 1))  # a digit
        await wait(pilot, 5, clock)
        await pilot.press("enter")
        for _ in range(position(pilot, HUB) + 1):  # arrows: the first press picks A
            await pilot.press("down")
        await wait(pilot, 5, clock)
        await pilot.press("enter")
        await pilot.press(letter(pilot, COURIER), "enter")
        assert screen(pilot) == "CallReviewScreen"
        assert "Every reply was a good one" in rendered(pilot, "#verdict")
        review = rendered(pilot, ".say-reply")
        assert review.count("✓ You") == 4 and "✗" not in review
        await pilot.press("enter")
        assert screen(pilot) == "SummaryScreen"
    assert answers(store) == [("line-down", 1, 4, 0, " > ".join(GOOD_PATH))]
    assert sessions(store) == [("drill", True, None)]


async def test_the_review_says_why_a_reply_was_bad_and_what_was_better(session_app, store):
    app = session_app([calls()], mode="review")
    async with app.run_test(size=(80, 24)) as pilot:
        for text in [ROUTER, NOT_AT_ALL, YOUR_ROUTER, HUB, COURIER]:
            await pilot.press(letter(pilot, text), "enter")
        assert screen(pilot) == "CallReviewScreen"
        assert "2 replies could have been better" in rendered(pilot, "#verdict")
        assert rendered(pilot, ".say-reply.bad").splitlines() == [
            f"✗ You  {ROUTER}", f"✗ You  {YOUR_ROUTER}"]  # fmt: skip
        why = rendered(pilot, ".turn-why")
        assert "A script before any acknowledgement" in why and f"Better: {SORRY}" in why
        assert "A guess that blames her equipment" in why and f"Better: {CABINET}" in why
        assert "A reference and an open question close the call properly." in why
        assert "Acknowledge first" in rendered(pilot, ".explain")
    (row,) = answers(store)
    assert row[1:4] == (0, 1, 0) and row[4].startswith(ROUTER + " > ")


async def test_each_turn_has_its_own_countdown_and_running_out_ends_the_call(
    session_app, store, clock
):
    app = session_app([calls()], mode="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait(pilot, 25, clock)
        await pilot.press(letter(pilot, SORRY), "enter")
        await wait(pilot, 25, clock)  # 50 s into the call, 25 s into this turn: still on
        assert screen(pilot) == "CallScreen"
        await wait(pilot, 5, clock)  # exactly the turn's 30 s: in time (SPEC 2's one rule)
        assert screen(pilot) == "CallScreen"
        await wait(pilot, 0.1, clock)
        assert screen(pilot) == "CallReviewScreen"
        assert "Time's up" in rendered(pilot, "#verdict")
        assert "Too late" in rendered(pilot, ".turn-why") and "(no reply)" in rendered(
            pilot, ".say-reply"
        )
    assert answers(store) == [("line-down", 0, 1, 1, SORRY)]


async def test_enter_with_nothing_picked_says_what_is_needed_and_a_click_picks(session_app, store):
    app = session_app([calls()], mode="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert screen(pilot) == "CallScreen" and len(lines(pilot)) == 1
        assert any("Pick a reply first." in str(n.message) for n in app._notifications)
        row = next(r for r in app.screen.query(ReplyRow) if r.position == position(pilot, ROUTER))
        await pilot.click(row)
        assert app.screen.query_one(ReplyList).picked == position(pilot, ROUTER)
        await pilot.press("enter")
        assert lines(pilot)[-1].startswith("Customer  Of course I've tried that!")
        assert len([r for r in app.screen.query(ReplyRow) if r.display]) == 2  # two replies now


async def test_skip_skips_the_whole_call_keeping_what_was_said(session_app, store):
    app = session_app([calls()], mode="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(letter(pilot, SORRY), "enter", "ctrl+s")
        assert screen(pilot) == "CallReviewScreen"
        assert "Call skipped" in rendered(pilot, "#verdict")
    assert answers(store) == [("line-down", 0, 1, 0, f"{SORRY} > skip")]


async def test_leaving_mid_call_stores_nothing_of_it(session_app, store):
    app = session_app([calls()], mode="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(letter(pilot, SORRY), "enter")
        await pilot.press(letter(pilot, CABINET), "enter")
        await pilot.press("escape")
        if screen(pilot) != "SummaryScreen":  # Esc may ask first; a second Esc confirms
            await pilot.press("escape")
        assert screen(pilot) == "SummaryScreen"
        assert app.screen.summary.answered == 0
    assert answers(store) == [] and sessions(store) == [("drill", True, None)]


async def test_ctrl_c_mid_call_stores_nothing_of_it(session_app, store):
    app = session_app([calls()], mode="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(letter(pilot, SORRY), "enter")
        await pilot.press("ctrl+c")
    assert app.return_code == 130
    assert answers(store) == [] and sessions(store) == [("drill", True, None)]


async def test_an_exam_shows_no_review_and_the_summary_lists_the_missed_call(session_app, store):
    app = session_app([calls()], mode="exam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(letter(pilot, ROUTER), "enter")
        await pilot.press(letter(pilot, "I have to ask, it's in my script."), "enter")
        assert screen(pilot) == "SummaryScreen"

        missed = [line for items in pilot.app.screen.query(".missed ItemList")
                  for line in items.plain]  # type: ignore[attr-defined]  # fmt: skip
        assert f"• {SORRY}" in missed and f"• {NOT_AT_ALL}" in missed
    assert answers(store)[0][1] == 0


async def test_a_call_in_chinese(session_app, store):
    i18n.set_language("zh-CN")
    app = session_app([calls("zh")], mode="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        assert lines(pilot) == ["客户  又断网了！这周第二次了，我在家上班的！"]
        assert rendered(pilot, "#call-kind") == "模拟通话 · 第 1 轮"
        await pilot.press(letter(pilot, "您那边有故障，我们也没办法。"), "enter")
        assert screen(pilot) == "CallReviewScreen"
        assert "有 1 句回复可以更好" in rendered(pilot, "#verdict")
        assert "更好的回复：非常抱歉" in rendered(pilot, ".turn-why")
    assert answers(store) == [("line-down", 0, 1, 0, "您那边有故障，我们也没办法。")]
