"""The deck list: every deck with its figures, broken files with their first error, the keys
that start each mode, and figures brought up to date after a session."""

from __future__ import annotations

from drill.tui.widgets.deck_table import DeckTable

from .conftest import DECKS, HERE
from .pilot import answer_right, decks_loaded, screen


async def loaded(pilot) -> DeckTable:
    """Wait for the deck files (read in a worker thread) to reach the table."""
    await decks_loaded(pilot)
    return pilot.app.screen.query_one(DeckTable)


def row(table: DeckTable, key: str) -> list[str]:
    return [str(cell).strip() for cell in table.get_row(key)]


async def test_lists_decks_and_broken_files_with_their_first_error(list_app):
    app = list_app(HERE / "broken", DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot)
        assert table.row_count == 4
        assert row(table, "tui-mixed") == ["Front-desk basics", "en", "6", "0", "5", "-"]
        assert row(table, "tui-zh")[:3] == ["规范用语：该说什么", "zh-CN", "2"]
        broken = next(k.value for k in table.rows if k.value.startswith("broken:"))
        assert "broken-deck.yaml" in row(table, broken)[0]
        table.move_cursor(row=table.get_row_index(broken))
        await pilot.pause()
        detail = str(app.screen.query_one("#detail").render())
        assert "broken-deck.yaml:4:5: error: a flashcard is missing `back`" in detail
        await pilot.press("enter")  # a broken deck cannot start
        assert screen(pilot) == "DeckListScreen"


async def test_review_from_the_list_then_back_with_new_figures(list_app):
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot)
        table.move_cursor(row=table.get_row_index("tui-mixed"))
        await pilot.press("enter")
        assert screen(pilot) == "CardScreen" and app.flow.session.options.mode == "review"
        await pilot.press("ctrl+s", "space", "4")  # warm-up skipped, flashcard easy
        await pilot.press("escape", "enter", "enter")  # end (confirmed), close the summary
        table = await loaded(pilot)
        assert screen(pilot) == "DeckListScreen"
        assert row(table, "tui-mixed")[3:] == ["0", "4", "100%"]
        assert table.get_row_index("tui-mixed") == table.cursor_row


async def test_drill_and_exam_keys_pick_the_mode(list_app):
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        assert app.flow.session.options.mode == "drill"
        await pilot.press("escape", "escape", "enter")
        await loaded(pilot)
        await pilot.press("e")
        assert screen(pilot) == "ExamSetupScreen" and app.flow is None
        await pilot.press("enter")
        assert app.flow.session.options.mode == "exam"


async def test_filter_narrows_the_list_and_escape_clears_it(list_app):
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot)
        await pilot.press("slash", *"zh-cn")
        assert table.row_count == 1 and row(table, "tui-zh")
        await pilot.press("enter")  # keep the filter; back on the table
        assert table.has_focus and table.row_count == 1
        await pilot.press("escape")
        assert table.row_count == 2


async def test_stats_breathe_and_quit_keys(list_app):
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        assert screen(pilot) == "StatsScreen"
        await pilot.press("escape", "b")
        assert screen(pilot) == "BreatheScreen"
        await pilot.press("escape")
        assert screen(pilot) == "DeckListScreen"
        await pilot.press("q")
    assert app.return_code == 0


async def test_stats_plot_the_store_figures(list_app, store, clock):
    from drill.progress import due_forecast

    from .conftest import deck
    from .history import practise

    practise(store, clock, [deck("tui-mixed")], days=3)
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        stats = app.screen
        bars = stats.query_one("AccuracyBars")
        assert bars.rows == [("Front-desk basics", 10 / 15)]
        due, activity = stats.query("ColumnChart")
        assert due.series[0][1] == due_forecast(store, [deck("tui-mixed")], clock.now(), 14)
        assert sum(due.series[0][1]) > 0
        right, wrong = activity.series
        assert (sum(right[1]), sum(wrong[1])) == (10, 5)
        assert "15 answers · 67% right" in stats.query_one("TitleBar")._status


async def test_review_with_nothing_due_says_so_instead_of_an_empty_session(list_app, store, clock):
    from drill.session import Options, Session

    from .conftest import deck
    from .history import right_answer

    session = Session([deck("tui-zh")], Options(), clock, store)
    while (shown := session.show()) is not None:
        session.answer(right_answer(shown))
    session.finish()
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot)
        table.move_cursor(row=table.get_row_index("tui-zh"))
        await pilot.press("enter")
        assert screen(pilot) == "DeckListScreen"
        assert any("Nothing is due" in str(n.message) for n in app._notifications)
        await pilot.press("d")  # a drill takes every card, due or not
        assert screen(pilot) == "CardScreen"


async def test_under_the_chinese_interface_chinese_decks_come_first(list_app):
    from drill.tui import i18n

    i18n.set_language("zh-CN")
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot)
        assert [k.value for k in table.rows] == ["tui-zh", "tui-mixed"]
    i18n.set_language("en")
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot)
        assert [k.value for k in table.rows] == ["tui-mixed", "tui-zh"]


async def test_a_narrow_list_drops_whole_columns_and_never_cuts_a_figure(list_app):
    from drill.tui.screens.deck_list import fitting_columns

    headers = {label: label for label in ("Deck", "Lang", "Cards", "Due", "New", "Last")}
    assert fitting_columns(120, headers)[0] == list(headers)
    assert fitting_columns(50, headers)[0] == ["Deck", "Cards", "Due", "New", "Last"]
    assert fitting_columns(40, headers)[0] == ["Deck", "Due", "New", "Last"]
    app = list_app(DECKS)
    async with app.run_test(size=(40, 20)) as pilot:
        table = await loaded(pilot)
        # Every column fits inside the table: nothing is cut at the right edge.
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
        assert row(table, "tui-mixed")[1:] == ["0", "5", "-"]


async def test_an_exam_ended_early_shows_its_score_against_its_planned_cards(list_app):
    app = list_app(DECKS)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await loaded(pilot)
        table.move_cursor(row=table.get_row_index("tui-mixed"))
        await pilot.press("e", "enter")  # all 5 cards, pass mark 80%
        await pilot.press("ctrl+s")  # the warm-up
        await answer_right(pilot)
        await pilot.press("escape", "enter")
        summary = app.screen.summary
        assert (summary.correct, summary.planned, summary.exam_score) == (1, 5, 0.2)
        assert str(app.screen.query_one("#score").render()) == "20%"
        assert "Nothing missed" not in str(app.screen.query_one("#closing").render())
        await pilot.press("enter")
        table = await loaded(pilot)
        assert row(table, "tui-mixed")[-1] == "20%"  # not 100%
        await pilot.press("s")
        sessions = str(app.screen.query_one("SessionList").render())
        assert "20%" in sessions and "✗" in sessions


async def test_an_exam_of_breathing_cards_alone_is_refused_on_the_list(list_app, tmp_path):
    """It could only pass (0 of 0): the list says why and stays, and nothing is recorded (the
    engine refuses such an exam too, as a usage error, for ``drill run``)."""
    folder = tmp_path / "breathing"
    folder.mkdir()
    (folder / "calm.yaml").write_text(
        "id: calm\ntitle: Calm\ncards:\n  - {type: breathing, pattern: [4, 7, 8]}\n"
    )
    app = list_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert screen(pilot) == "DeckListScreen" and app.flow is None
        assert app.is_running
        notes = [str(n.message) for n in app._notifications]
        assert any("only exercises" in n for n in notes), notes
