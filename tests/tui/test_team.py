"""The Team screen (SPEC 8): ``t`` on the deck list shows the trainers' report over every
learner in the store, the same figures ``drill report`` prints; Esc goes back."""

from __future__ import annotations

import pytest

from drill.report import build, mistake_finders
from drill.store import Scope
from drill.tui import i18n
from drill.tui.base import footer_cells
from drill.tui.screens.deck_list import DeckListScreen
from drill.tui.screens.team import TeamScreen

from .conftest import DECKS, NOW, deck
from .history import practise
from .pilot import decks_loaded

SIZE = (80, 24)


def team_history(store, clock) -> None:
    """Three learners' drills on the mixed fixture deck."""
    practise(store, clock, [deck("tui-mixed")], days=2)
    practise(store.store.learner("李明"), clock, [deck("tui-mixed")], days=1)
    practise(store.store.learner("Ana"), clock, [deck("tui-mixed")], days=3)


async def test_t_opens_the_team_report_of_every_learner_and_esc_returns(list_app, store, clock):
    team_history(store, clock)
    app = list_app(DECKS)
    async with app.run_test(size=SIZE) as pilot:
        await decks_loaded(pilot)
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        expected = build(store.store, {"tui-mixed": deck("tui-mixed")}, Scope(), clock.now(),
                         mistake_finders())  # fmt: skip
        assert screen.report == expected
        assert {learner.learner for learner in screen.report.learners} == {"tester", "李明", "Ana"}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_team_key_has_its_footer_hint_on_the_deck_list(list_app, language, size):
    """Trainers find the Team screen from the deck list by a key the footer shows (issue 10),
    also where narrow screens drop other hints: the pacer's and the filter's go first."""
    i18n.set_language(language)
    app = list_app(DECKS)
    async with app.run_test(size=size) as pilot:
        await decks_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, DeckListScreen)
        assert screen.key_shown("t")
        assert footer_cells(screen) <= size[0]


async def settle(pilot) -> None:
    await decks_loaded(pilot)
    await pilot.press("t")
    await pilot.pause()


class TestTeamScreen:
    def test_team_report_at_80x24(self, snap_compare, list_app, store, clock):
        team_history(store, clock)
        assert snap_compare(list_app(DECKS), terminal_size=SIZE, run_before=settle)

    def test_team_report_in_chinese(self, snap_compare, list_app, store, clock):
        team_history(store, clock)
        i18n.set_language("zh-CN")
        assert snap_compare(list_app(DECKS), terminal_size=SIZE, run_before=settle)


def test_now_is_the_fixture_clock():
    assert NOW.tzinfo is not None


async def test_a_stored_answer_with_control_characters_is_shown_escaped(list_app, store, clock):
    from drill.grading import Typed
    from drill.session import Options, Session

    session = Session([deck("tui-mixed")], Options(mode="drill", seed=1), clock, store)
    while session.show() is not None:
        session.answer(Typed("\x1b]0;pwned\x07"))
    session.finish()
    app = list_app(DECKS)
    async with app.run_test(size=SIZE) as pilot:
        await decks_loaded(pilot)
        await pilot.press("t")
        await pilot.pause()
        cells = [
            str(cell)
            for table in app.screen.query("DataTable")
            for row in range(table.row_count)  # type: ignore[attr-defined]
            for cell in table.get_row_at(row)  # type: ignore[attr-defined]
        ]
        assert any("\\x1b]0;pwned" in cell for cell in cells), cells
        assert not any("\x1b" in cell or "\x07" in cell for cell in cells)


async def test_a_long_wrong_answer_is_cut_but_its_count_stays(list_app, store, clock):
    from drill.grading import Typed
    from drill.session import Options, Session

    long = "让客户先重启一下手机试试，还不行的话就请他过两天再打过来问问看吧"
    for who in ("tester", "李明"):
        learner = store.store.learner(who)
        session = Session([deck("tui-mixed")], Options(mode="drill", seed=1), clock, learner)
        while session.show() is not None:
            session.answer(Typed(long))
        session.finish()
    app = list_app(DECKS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query("DataTable")[1]
        rows = range(table.row_count)  # type: ignore[attr-defined]
        wrong = [str(table.get_row_at(row)[-1]) for row in rows]  # type: ignore[attr-defined]
        assert any(cell.startswith("让客户") and cell.endswith("… ×2") for cell in wrong), wrong
