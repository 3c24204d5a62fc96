"""What each screen looks like, pinned as SVG snapshots (pytest-textual-snapshot): every screen
at 80x24 and 60x20, in English and in Chinese.

Every frame is deterministic: a ``ManualClock`` that only moves when told, fixed seeds, and
fixture decks. Update with ``pytest tests/tui/test_snapshots.py --snapshot-update``, and accept
the new SVGs only after looking at them (``rsvg-convert`` one to PNG; add
``xml:space="preserve"`` to its ``<svg>`` first, or leading spaces are dropped).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from drill.clock import ManualClock
from drill.deck.discovery import Catalog
from drill.session import Options
from drill.tui import i18n
from drill.tui.app import DrillApp, Env

from .conftest import DECKS, HERE, NOW, deck, only
from .history import practise
from .pilot import decks_loaded, letters_for, wait

SIZES = {"80x24": (80, 24), "60x20": (60, 20)}


@pytest.fixture(params=["en", "zh-CN"])
def lang(request):
    """Each snapshot in both interface languages."""
    i18n.set_language(request.param)
    return request.param


@pytest.fixture(params=list(SIZES))
def size(request):
    """Each snapshot at both terminal sizes the TUI must be usable at."""
    return SIZES[request.param]


async def settle(pilot) -> None:
    await decks_loaded(pilot)


@pytest.mark.usefixtures("lang")
class TestDeckList:
    def test_decks_with_figures_and_a_broken_file(self, snap_compare, list_app, store, clock, size):
        practise(store, clock, [deck("tui-mixed")], days=2)
        app = list_app(DECKS, HERE / "broken")
        assert snap_compare(app, terminal_size=size, run_before=settle)

    def test_filtering_keeps_the_footer_whole(self, snap_compare, list_app, size):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("slash", "f", "enter")  # the filter kept, the list in focus

        assert snap_compare(list_app(DECKS), terminal_size=size, run_before=run_before)


@pytest.mark.usefixtures("lang")
class TestCards:
    def test_flashcard_revealed_stops_its_clock(self, snap_compare, session_app, clock, size):
        async def run_before(pilot):
            await wait(pilot, 12, clock)
            await pilot.press("space")
            await wait(pilot, 20, clock)

        app = session_app([only("flashcard")])
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_choice_with_a_pick_a_cursor_and_time_running(
        self, snap_compare, session_app, clock, size
    ):
        async def run_before(pilot):
            await pilot.press(*letters_for(pilot, {"I understand"}), "down")
            await wait(pilot, 24, clock)

        app = session_app([only("choice")])
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_choice_enter_with_nothing_picked_says_what_it_needs(
        self, snap_compare, session_app, size
    ):
        app = session_app([only("choice")])
        assert snap_compare(app, terminal_size=size, press=["enter"])

    def test_select_all_that_apply(self, snap_compare, session_app, size):
        async def run_before(pilot):
            await pilot.press("ctrl+s", "enter")
            await pilot.press(*letters_for(pilot, {"Voice quality", "Calls per hour"}))

        app = session_app([only("choice")])
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_order_by_typed_numbers(self, snap_compare, session_app, size):
        app = session_app([only("order")])
        assert snap_compare(app, terminal_size=size, press=["3", "1"])

    def test_typed(self, snap_compare, session_app, size):
        app = session_app([only("typed")])
        assert snap_compare(app, terminal_size=size, press=[*"3 rings"])

    def test_exam_card_with_session_countdown(self, snap_compare, session_app, clock, size):
        async def run_before(pilot):
            await pilot.press("ctrl+s")
            await wait(pilot, 75, clock)

        app = session_app([deck("tui-mixed")], mode="exam", time_limit=600)
        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestBreathing:
    def test_breathing_card(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await wait(pilot, 6.5, clock)  # second breath, breathing in

        app = session_app([only("breathing")])
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_breathing_pacer_on_its_own(self, snap_compare, clock):
        from drill.tui.screens.breathe import BreatheScreen

        app = DrillApp(
            Env(None, clock, Catalog, standalone=True),
            lambda a: a.push_screen(BreatheScreen((4, 7, 8), 4), a.close_standalone),
        )

        async def run_before(pilot):
            await wait(pilot, 9.0, clock)  # holding, 2 s of 7 left

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.usefixtures("lang")
class TestAfterAnswers:
    def test_feedback_wrong_choice_with_why_and_explain(self, snap_compare, session_app, size):
        async def run_before(pilot):
            await pilot.press(*letters_for(pilot, {"I understand"}), "enter")

        app = session_app([only("choice")])
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_feedback_wrong_order_beside_the_right_one(self, snap_compare, session_app, size):
        app = session_app([only("order")])
        assert snap_compare(app, terminal_size=size, press=["enter"])

    def test_feedback_text_typed_when_time_ran_out(self, snap_compare, session_app, clock, size):
        async def run_before(pilot):
            await pilot.press(*"3 rin")
            await wait(pilot, 31, clock)

        app = session_app([only("typed")])
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_summary_of_an_exam_ended_early(self, snap_compare, session_app, clock, size):
        async def run_before(pilot):
            await pilot.press("ctrl+s")
            await wait(pilot, 3, clock)
            await pilot.press("space", "3")
            await pilot.press("escape", "escape")

        app = session_app([deck("tui-mixed")], mode="exam")
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_summary_of_a_failed_exam_with_missed_cards(
        self, snap_compare, session_app, clock, size
    ):
        async def run_before(pilot):
            await pilot.press("ctrl+s", "space", "3")
            await wait(pilot, 12, clock)
            await pilot.press(*"5", "enter", "ctrl+s")
            await wait(pilot, 40, clock)

        app = session_app([only("breathing"), only("flashcard"), only("typed"),
                           only("order")], mode="exam")  # fmt: skip
        assert snap_compare(app, terminal_size=size, run_before=run_before)

    def test_summary_with_nothing_due(self, snap_compare, session_app, size):
        app = session_app([only("typed")], new=0)
        assert snap_compare(app, terminal_size=size)


@pytest.mark.usefixtures("lang")
class TestOtherScreens:
    def test_exam_setup(self, snap_compare, store, clock, size):
        env = Env(store, clock, Catalog, standalone=True)
        app = DrillApp(
            env, lambda a: a.start_session([deck("tui-mixed")], Options(mode="exam", limit=4))
        )
        assert snap_compare(app, terminal_size=size)

    def test_exam_setup_says_which_field_is_wrong(self, snap_compare, store, clock, size):
        env = Env(store, clock, Catalog, standalone=True)
        app = DrillApp(env, lambda a: a.start_session([deck("tui-mixed")], Options(mode="exam")))
        press = ["ctrl+a", "ctrl+k", "9", "9", "enter"]
        assert snap_compare(app, terminal_size=size, press=press)

    def test_help(self, snap_compare, session_app, size):
        app = session_app([only("choice")])
        assert snap_compare(app, terminal_size=size, press=["question_mark"])

    def test_escape_asks_before_ending(self, snap_compare, session_app, size):
        app = session_app([only("choice")])
        assert snap_compare(app, terminal_size=size, press=["escape"])

    def test_stats(self, snap_compare, list_app, store, size):
        clock = ManualClock(NOW - timedelta(days=6))
        practise(store, clock, [deck("tui-mixed"), deck("tui-zh")], days=6)
        app = list_app(DECKS)
        app.env.clock = clock

        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("s")

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestChineseDecks:
    @pytest.fixture(autouse=True)
    def chinese(self):
        i18n.set_language("zh-CN")

    def test_zh_cn_choice_wraps_and_aligns(self, snap_compare, session_app, size):
        app = session_app([deck("tui-zh")])
        assert snap_compare(app, terminal_size=size, press=["b"])

    def test_zh_cn_feedback(self, snap_compare, session_app, size):
        app = session_app([deck("tui-zh")])
        assert snap_compare(app, terminal_size=size, press=["a", "enter"])


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
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_no_color_stats_tell_right_from_wrong(self, snap_compare, list_app, store, monkeypatch):
        monkeypatch.setenv("NO_COLOR", "1")
        clock = ManualClock(NOW - timedelta(days=6))
        practise(store, clock, [deck("tui-mixed")], days=6)
        app = list_app(DECKS)
        app.env.clock = clock

        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("s")

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
