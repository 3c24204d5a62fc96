"""What each screen looks like at 80x24, pinned as SVG snapshots (pytest-textual-snapshot).

Every frame is deterministic: a ``ManualClock`` that only moves when told, fixed seeds, and
fixture decks. Update with ``pytest tests/tui --snapshot-update`` after looking at the report.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from drill.clock import ManualClock
from drill.deck.discovery import Catalog
from drill.tui import i18n
from drill.tui.app import DrillApp, Env

from .conftest import DECKS, HERE, NOW, deck, only
from .history import practise
from .pilot import decks_loaded, letters_for, wait

SIZE = (80, 24)


async def settle(pilot) -> None:
    await decks_loaded(pilot)


class TestDeckList:
    def test_decks_with_figures_and_a_broken_file(self, snap_compare, list_app, store, clock):
        practise(store, clock, [deck("tui-mixed")], days=2)
        assert snap_compare(list_app(DECKS, HERE / "broken"), terminal_size=SIZE, run_before=settle)


class TestCards:
    def test_flashcard(self, snap_compare, session_app):
        assert snap_compare(session_app([only("flashcard")]), terminal_size=SIZE)

    def test_flashcard_revealed(self, snap_compare, session_app):
        app = session_app([only("flashcard")])
        assert snap_compare(app, terminal_size=SIZE, press=["space"])

    def test_choice_with_a_pick_and_time_running(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await pilot.press(*letters_for(pilot, {"I understand"}))
            await wait(pilot, 24, clock)

        app = session_app([only("choice")])
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_select_all_that_apply(self, snap_compare, session_app):
        async def run_before(pilot):
            await pilot.press("ctrl+s", "enter")
            await pilot.press(*letters_for(pilot, {"Voice quality", "Calls per hour"}))

        assert snap_compare(
            session_app([only("choice")]), terminal_size=SIZE, run_before=run_before
        )

    def test_order(self, snap_compare, session_app):
        app = session_app([only("order")])
        assert snap_compare(app, terminal_size=SIZE, press=["down", "shift+up"])

    def test_typed(self, snap_compare, session_app):
        app = session_app([only("typed")])
        assert snap_compare(app, terminal_size=SIZE, press=[*"3 rings"])

    def test_breathing_card(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await wait(pilot, 6.5, clock)  # second breath, breathing in

        app = session_app([only("breathing")])
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_exam_card_with_session_countdown(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await pilot.press("ctrl+s")
            await wait(pilot, 75, clock)

        app = session_app([deck("tui-mixed")], mode="exam", time_limit=600)
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestAfterAnswers:
    def test_feedback_wrong_choice_with_why_and_explain(self, snap_compare, session_app):
        async def run_before(pilot):
            await pilot.press(*letters_for(pilot, {"I understand"}), "enter")

        app = session_app([only("choice")])
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_summary_of_a_failed_exam(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await pilot.press("ctrl+s", "space", "3")
            await wait(pilot, 12, clock)
            await pilot.press(*"5", "enter", "ctrl+s")
            await wait(pilot, 40, clock)

        app = session_app([only("breathing"), only("flashcard"), only("typed"),
                           only("order")], mode="exam")  # fmt: skip
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestOtherScreens:
    def test_stats(self, snap_compare, list_app, store):
        clock = ManualClock(NOW - timedelta(days=6))
        practise(store, clock, [deck("tui-mixed"), deck("tui-zh")], days=6)
        app = list_app(DECKS)
        app.env.clock = clock

        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("s")

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_breathing_pacer_on_its_own(self, snap_compare, clock):
        from drill.tui.screens.breathe import BreatheScreen

        app = DrillApp(
            Env(None, clock, Catalog, standalone=True),
            lambda a: a.push_screen(BreatheScreen((4, 7, 8), 4), a.close_standalone),
        )

        async def run_before(pilot):
            await wait(pilot, 9.0, clock)  # holding, 2 s of 7 left

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestChinese:
    @pytest.fixture(autouse=True)
    def chinese(self):
        i18n.set_language("zh-CN")

    def test_zh_cn_choice_wraps_and_aligns(self, snap_compare, session_app):
        async def run_before(pilot):
            await pilot.press("b")

        app = session_app([deck("tui-zh")])
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_zh_cn_feedback(self, snap_compare, session_app):
        app = session_app([deck("tui-zh")])
        assert snap_compare(app, terminal_size=SIZE, press=["a", "enter"])

    def test_zh_cn_deck_list(self, snap_compare, list_app):
        assert snap_compare(list_app(DECKS), terminal_size=SIZE, run_before=settle)


class TestNoColor:
    def test_no_color_still_shows_what_is_picked_and_how_much_time_is_left(
        self, snap_compare, session_app, clock, monkeypatch
    ):
        monkeypatch.setenv("NO_COLOR", "1")

        async def run_before(pilot):
            assert pilot.app.no_color  # Textual's own NO_COLOR support: a monochrome filter
            await pilot.press(*letters_for(pilot, {"I understand"}))
            await wait(pilot, 12, clock)

        app = session_app([only("choice")], mode="drill")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
