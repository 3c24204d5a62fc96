"""A whole session per card type, driven by keys (and clicks), checked against the store."""

from __future__ import annotations

from drill.tui.widgets.flashcard import FlashcardAnswer
from drill.tui.widgets.item_list import ItemList

from .conftest import answers, only, sessions
from .pilot import letters_for, put_in_order, screen, wait


async def test_flashcard_reveals_then_rates(session_app, store):
    app = session_app([only("flashcard")])
    async with app.run_test(size=(80, 24)) as pilot:
        assert screen(pilot) == "CardScreen"
        await pilot.press("3")  # rating before revealing does nothing
        assert answers(store) == []
        await pilot.press("space")
        assert app.screen.query_one(FlashcardAnswer).revealed
        await pilot.press("3")
        # A rated flashcard has shown its back already: no feedback screen, straight on.
        assert screen(pilot) == "SummaryScreen"
    assert answers(store) == [("greeting", 1, 3, 0, "good")]


async def test_flashcard_rated_again_by_mouse_is_wrong(session_app, store):
    app = session_app([only("flashcard")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#reveal")
        await pilot.click("#rate-1")
        assert screen(pilot) == "SummaryScreen"
        assert [r.shown.card.id for r in app.screen.summary.missed] == ["greeting"]
    assert answers(store) == [("greeting", 0, 1, 0, "again")]


async def test_single_choice_by_letter_then_feedback_with_why(session_app, store, clock):
    app = session_app([only("choice")], mode="drill")
    async with app.run_test(size=(80, 24)) as pilot:
        while screen(pilot) == "CardScreen":
            card = app.screen.shown.card
            if card.id == "tone":
                # Pick a wrong one first: a single choice replaces the pick.
                await pilot.press(*letters_for(pilot, {"I understand"}))
                await pilot.press(*letters_for(pilot, {"Calm down"}))
            else:
                await pilot.press(*letters_for(pilot, {"Voice quality", "Calls per hour"}))
                await pilot.press(*letters_for(pilot, {"Courtesy phrases", "Calls per hour"}))
            await wait(pilot, 4, clock)
            await pilot.press("enter")
            assert screen(pilot) == "FeedbackScreen"
            feedback = app.screen.result
            assert feedback.correct
            text = " ".join(str(w.render()) for w in app.screen.query(".why"))
            if card.id == "tone":
                assert "It tells the caller their feelings are the problem." in text
                assert "Acknowledges" not in text  # only the chosen choice's why
            else:
                assert "Worth 20 points." in text and "Worth 15 points." in text
            await pilot.press("enter")
        assert screen(pilot) == "SummaryScreen"
    stored = {row[0]: row for row in answers(store)}
    assert stored["tone"] == ("tone", 1, 4, 0, "Calm down")
    assert stored["qa"] == ("qa", 1, 4, 0, "Voice quality | Courtesy phrases")


async def test_choice_by_digit_and_click(session_app, store):
    app = session_app([only("choice")], mode="review")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.shown.card.id == "tone"
        wrong = letters_for(pilot, {"Let me check"})[0]
        await pilot.press(str(ord(wrong) - ord("a") + 1))  # the same choice by its number
        await pilot.press("enter")
        assert screen(pilot) == "FeedbackScreen" and app.screen.result.correct is False
        await pilot.press("enter")
        assert app.screen.shown.card.id == "qa"
        for letter in letters_for(pilot, {"Voice quality", "Courtesy phrases"}):
            await pilot.click(f"#choice-{letter}")
        await pilot.press("enter")
        assert app.screen.result.correct is True
    assert [(r[0], r[1], r[4]) for r in answers(store)] == [
        ("tone", 0, "Let me check"),
        ("qa", 1, "Voice quality | Courtesy phrases"),
    ]


async def test_order_by_moving_steps(session_app, store, clock):
    app = session_app([only("order")])
    async with app.run_test(size=(80, 24)) as pilot:
        await put_in_order(pilot)
        await wait(pilot, 12, clock)
        await pilot.press("enter")
        assert screen(pilot) == "FeedbackScreen"
        assert app.screen.result.correct
        await pilot.press("enter")
        assert screen(pilot) == "SummaryScreen"
    steps = "Explain why > Give the wait > Log what you know > Transfer and confirm"
    assert answers(store) == [("transfer", 1, 3, 0, steps)]


async def test_order_left_shuffled_is_wrong_and_shows_the_steps(session_app, store):
    app = session_app([only("order")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        expected = app.screen.query_one(".expected", ItemList).plain
        assert expected[0] == "1. Explain why"
        given = app.screen.query_one(".given", ItemList)
        shown = app.screen.result.shown.steps
        # The trainee's order, numbered, beside the right one; misplaced steps marked.
        assert given.plain == [f"{i}. {s}" for i, s in enumerate(shown, 1)]
        right = ["Explain why", "Give the wait", "Log what you know", "Transfer and confirm"]
        assert given.flags == [step != right[i] for i, step in enumerate(shown)]
        assert [str(m.render()).startswith("✗") for m in given.query(".item-marker")] == given.flags
    assert answers(store)[0][1] == 0


async def test_typed_needs_text_then_grades_it(session_app, store, clock):
    app = session_app([only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # nothing typed: nothing answered
        assert screen(pilot) == "CardScreen" and answers(store) == []
        await pilot.press(*"three? no: 3 rings")
        await wait(pilot, 25, clock)  # over 0.75 of the 30 s limit: right, but hard
        await pilot.press("enter")
        assert screen(pilot) == "FeedbackScreen" and app.screen.result.correct
    assert answers(store) == [("rings", 1, 2, 0, "three? no: 3 rings")]


async def test_breathing_completes_by_itself_and_goes_straight_on(session_app, store, clock):
    app = session_app([only("breathing"), only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.shown.card.id == "breathe"
        await wait(pilot, 9.9, clock)  # pattern 2-1-2, two cycles: 10 s
        assert app.screen.shown.card.id == "breathe"
        await wait(pilot, 0.2, clock)
        assert screen(pilot) == "CardScreen" and app.screen.shown.card.id == "rings"
    assert answers(store) == [("breathe", None, None, 0, "done")]


async def test_breathing_skipped_is_left_undone(session_app, store):
    app = session_app([only("breathing")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        assert screen(pilot) == "SummaryScreen"
        assert app.screen.summary.answered == 0
    assert answers(store) == [("breathe", None, None, 0, "skip")]
    assert sessions(store) == [("review", True, None)]
