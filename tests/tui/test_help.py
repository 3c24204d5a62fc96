"""``?`` opens the help screen from every screen (F1 where ``?`` would be typed), and any of
its keys returns to where it was opened."""

from __future__ import annotations

from drill.tui.base import footer_cells

from .conftest import DECKS, only
from .pilot import decks_loaded, screen


async def opens_and_returns(pilot, key: str = "question_mark") -> None:
    before = screen(pilot)
    await pilot.press(key)
    assert screen(pilot) == "HelpScreen", before
    text = " ".join(str(w.render()) for w in pilot.app.screen.query(".help-text"))
    assert "Exam:" in text  # the modes are explained
    await pilot.press("escape")
    assert screen(pilot) == before


async def test_help_from_the_deck_list_stats_and_pacer(list_app):
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        await decks_loaded(pilot)
        await opens_and_returns(pilot)
        await pilot.press("s")
        await opens_and_returns(pilot)
        await pilot.press("escape", "b")
        await opens_and_returns(pilot)
        await pilot.press("escape", "e")
        await opens_and_returns(pilot, "f1")  # the cards field has focus: ? would be typed


async def test_help_from_a_card_feedback_and_summary(session_app):
    app = session_app([only("choice")])
    async with app.run_test(size=(80, 24)) as pilot:
        await opens_and_returns(pilot)
        await pilot.press("a", "enter")
        await opens_and_returns(pilot)
        await pilot.press("escape", "enter")
        assert screen(pilot) == "SummaryScreen"
        await opens_and_returns(pilot)


async def test_on_a_typed_card_question_marks_are_typed_and_f1_helps(session_app):
    app = session_app([only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert screen(pilot) == "CardScreen"
        assert app.screen.query_one("#answer").value == "?"
        keys = {b.binding.action: app.get_key_display(b.binding)
                for b in app.screen.active_bindings.values()}  # fmt: skip
        assert keys["help"] == "F1"
        await opens_and_returns(pilot, "f1")


async def test_the_help_lists_every_footer_key_of_the_card_screens(session_app):
    """Hints that leave a narrow footer must be findable: the help names each such key."""
    from drill.tui.screens.help import sections

    listed = " ".join(keys for _heading, rows in sections() for keys, _text in rows)
    for key in ("↑↓", "Space", "Shift+↑↓", "Ctrl+S", "Esc", "Ctrl+C", "F1", "1-9", "A-Z"):
        assert key in listed, key


async def test_footers_fit_at_60_columns(session_app):
    app = session_app([only("order"), only("choice")])
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("3")  # Undo appears
        assert footer_cells(app.screen) <= 60
        await pilot.press("enter", "enter")
        assert footer_cells(app.screen) <= 60
