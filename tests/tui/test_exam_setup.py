"""Before an exam (SPEC 6): a setup screen with the cards, pass mark and time limit, which
the trainee may change; Enter starts the exam with them, Esc goes back without one."""

from __future__ import annotations

from drill.deck.discovery import Catalog
from drill.session import Options
from drill.tui.app import DrillApp, Env
from drill.tui.screens.exam_setup import SetupError, read_cards, read_minutes, read_pass_mark

from .conftest import DECKS, answers, deck, sessions
from .pilot import decks_loaded, keys_together, screen


def test_fields_read_all_or_a_count_a_percentage_and_minutes():
    assert read_cards("all", 29) is None and read_cards(" ", 29) is None
    assert read_cards("29", 29) is None and read_cards("10", 29) == 10
    assert read_pass_mark("80") == 0.8 and read_pass_mark("72.5%") == 0.725
    assert read_minutes("none") is None and read_minutes("15") == 900
    assert read_minutes("2:30") == 150 and read_minutes("0.5") == 30
    for bad in (lambda: read_cards("0", 29), lambda: read_cards("30", 29),
                lambda: read_cards("ten", 29), lambda: read_pass_mark("101"),
                lambda: read_pass_mark("-5"), lambda: read_minutes("0"),
                lambda: read_minutes("soon")):  # fmt: skip
        try:
            bad()
        except SetupError:
            continue
        raise AssertionError("accepted a value it should refuse")


async def test_e_opens_the_setup_and_enter_starts_the_exam_it_describes(list_app, store):
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        await decks_loaded(pilot)
        await pilot.press("e")
        assert screen(pilot) == "ExamSetupScreen" and app.flow is None
        await pilot.press("ctrl+a", "ctrl+k", "2", "down", "ctrl+a", "ctrl+k", *"50")
        await pilot.press("down", "ctrl+a", "ctrl+k", *"1:30", "enter")
        assert screen(pilot) == "CardScreen"
        options = app.flow.session.options
        assert (options.mode, options.limit, options.pass_mark, options.time_limit) == (
            "exam",
            2,
            0.5,
            90.0,
        )
        assert app.flow.session.planned == 2
    assert sessions(store)[0][0] == "exam"


async def test_a_wrong_field_is_named_and_nothing_starts(list_app, store):
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        await decks_loaded(pilot)
        await pilot.press("e", "ctrl+a", "ctrl+k", *"99", "enter")
        assert screen(pilot) == "ExamSetupScreen" and app.flow is None
        error = str(app.screen.query_one("#setup-error").render())
        assert error.startswith("Cards: a number from 1 to")
        await pilot.press("escape")
        assert screen(pilot) == "DeckListScreen" and app.flow is None
    assert sessions(store) == [] and answers(store) == []


async def test_drill_run_exam_opens_on_its_setup_with_the_command_line_values(store, clock):
    options = Options(mode="exam", limit=3, pass_mark=0.6, time_limit=300, seed=7)
    app = DrillApp(
        Env(store, clock, Catalog, standalone=True),
        lambda a: a.start_session([deck("tui-mixed")], options),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        assert screen(pilot) == "ExamSetupScreen"
        values = [app.screen.query_one(f"#{f}").value for f in ("cards", "pass-mark", "minutes")]
        assert values == ["3", "60", "5"]
        await pilot.press("escape")  # no exam: `drill run` ends, nothing recorded
    assert app.return_code == 0 and sessions(store) == []


async def test_digits_and_enter_typed_together_are_read_before_the_exam_starts(store, clock):
    """Enter starts the exam only once the field has taken the keys typed before it, also when
    they all arrive at once (a slow link, a script): 99 cards of 5 is refused, not ignored."""
    options = Options(mode="exam", limit=3, seed=7)
    app = DrillApp(
        Env(store, clock, Catalog, standalone=True),
        lambda a: a.start_session([deck("tui-mixed")], options),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        assert screen(pilot) == "ExamSetupScreen"

        def refused_or_started() -> bool:
            if screen(pilot) != "ExamSetupScreen":
                return True
            return bool(str(app.screen.query_one("#setup-error").render()))

        await keys_together(pilot, ["9", "9", "enter"], refused_or_started)
        assert screen(pilot) == "ExamSetupScreen" and app.flow is None
        assert str(app.screen.query_one("#setup-error").render()).startswith("Cards:")
    assert sessions(store) == []
