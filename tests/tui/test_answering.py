"""Answering quickly with the keyboard: order cards by typing the shown steps' numbers, choice
cards with a cursor, and Enter that says what it needs."""

from __future__ import annotations

from drill.deck.loader import load_text
from drill.tui.widgets.step_list import StepList

from .conftest import answers, only
from .pilot import keys_together, screen

STEPS = [f"Step {n}" for n in range(1, 13)]
TWELVE = load_text(
    "id: twelve\ntitle: Twelve\ncards:\n  - id: long\n    prompt: In order\n    steps: ["
    + ", ".join(STEPS)
    + "]\n",
    "twelve.yaml",
).deck


def answered(pilot) -> bool:
    return screen(pilot) == "FeedbackScreen"


def numbers_for(pilot) -> list[str]:
    """The shown numbers of the steps on screen, in the right order."""
    shown = pilot.app.screen.shown
    return [str(shown.order.index(i) + 1) for i in range(len(shown.order))]


async def test_typing_the_shown_numbers_puts_the_steps_in_order(session_app, store):
    app = session_app([only("order")])
    async with app.run_test(size=(80, 24)) as pilot:
        numbers = numbers_for(pilot)
        await pilot.press(*numbers[:3])  # the last one can only go last
        steps = app.screen.query_one(StepList)
        assert [steps.steps[p] for p in steps.arrangement] == [
            "Explain why", "Give the wait", "Log what you know", "Transfer and confirm"
        ]  # fmt: skip
        await pilot.press("enter")
        assert app.screen.result.correct
    assert answers(store)[0][1] == 1


async def test_backspace_takes_back_the_last_number(session_app, store):
    app = session_app([only("order")])
    async with app.run_test(size=(80, 24)) as pilot:
        numbers = numbers_for(pilot)
        await pilot.press(numbers[1], "backspace", *numbers[:3], "enter")
        assert app.screen.result.correct


async def test_twelve_steps_take_two_digit_numbers(session_app, store):
    app = session_app([TWELVE])
    async with app.run_test(size=(80, 40)) as pilot:
        # Numbers separated by Space, as a trainee would: "1 12" is not "11 2".
        keys = [key for number in numbers_for(pilot)[:11] for key in [*number, "space"]]
        await pilot.press(*keys, "enter")
        assert app.screen.result.correct
    assert answers(store)[0][4] == " > ".join(STEPS)


async def test_the_choice_cursor_moves_and_space_picks(session_app, store):
    app = session_app([only("choice")])
    async with app.run_test(size=(80, 24)) as pilot:
        shown = app.screen.shown
        calm = [c.text for c in shown.choices].index("Calm down")
        await pilot.press(*["down"] * calm, "space", "enter")
        assert screen(pilot) == "FeedbackScreen" and app.screen.result.correct


async def test_enter_with_nothing_picked_says_how_to_pick(session_app, store):
    app = session_app([only("choice")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert screen(pilot) == "CardScreen" and answers(store) == []
        hint = str(app.screen.query_one("#choice-hint").render())
        assert "press A-C" in hint and "Space" in hint
        await pilot.press("a")
        assert str(app.screen.query_one("#choice-hint").render()) == ""


async def test_choices_picked_but_not_sent_in_time_are_kept_as_timed_out(session_app, store, clock):
    from .pilot import letters_for, wait

    app = session_app([only("choice")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*letters_for(pilot, {"Calm down"}))
        await wait(pilot, 30.5, clock)
        assert screen(pilot) == "FeedbackScreen" and app.screen.result.timed_out
    assert answers(store) == [("tone", 0, 1, 1, "Calm down")]


async def test_keys_typed_together_edit_a_typed_answer_in_the_order_typed(session_app, store):
    """4, Backspace, 3, Enter read at once send "3": the field's own keys (Backspace, the
    arrows, Enter) act in order with the text, not after it."""
    app = session_app([only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_together(pilot, ["4", "backspace", "3", "enter"], lambda: answered(pilot))
    assert [(card, answer) for card, _, _, _, answer in answers(store)] == [("rings", "3")]


async def test_keys_typed_together_order_the_steps_in_the_order_typed(session_app, store):
    app = session_app([only("order")])
    async with app.run_test(size=(80, 24)) as pilot:
        numbers = numbers_for(pilot)
        keys = [numbers[1], "backspace", *numbers[:3], "enter"]
        await keys_together(pilot, keys, lambda: answered(pilot))
        assert app.screen.result.correct
