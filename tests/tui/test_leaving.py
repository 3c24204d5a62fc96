"""Skipping, running out of time, ending early and quitting: every answer given is kept."""

from __future__ import annotations

from storehelp import query

from drill.tui.widgets.item_list import ItemList
from drill.tui.widgets.title_bar import TitleBar

from .conftest import answers, db_rows, deck, only, sessions
from .pilot import letters_for, screen, wait


async def test_escape_ends_the_session_at_its_summary_keeping_answers(session_app, store):
    app = session_app([deck("tui-mixed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")  # the warm-up
        await pilot.press("space", "4")  # the flashcard
        assert app.screen.shown.card.id == "rings"
        await pilot.press("escape")
        assert screen(pilot) == "ConfirmEndScreen"
        await pilot.press("escape")  # a second Esc confirms
        assert screen(pilot) == "SummaryScreen"
        summary = app.screen.summary
        assert (summary.answered, summary.correct, summary.complete) == (1, 1, False)
        await pilot.press("enter")
    assert app.return_code == 0
    assert [row[0] for row in answers(store)] == ["breathe", "greeting"]
    assert sessions(store) == [("review", True, None)]


async def test_escape_on_feedback_ends_too(session_app, store):
    app = session_app([only("typed"), only("choice")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"4", "enter")
        assert screen(pilot) == "FeedbackScreen"
        await pilot.press("escape", "enter")  # Enter confirms too
        assert screen(pilot) == "SummaryScreen"
        assert [r.shown.card.id for r in app.screen.summary.missed] == ["rings"]


async def test_ctrl_c_quits_from_a_text_input_keeping_answers(session_app, store, tmp_path):
    app = session_app([only("choice"), only("typed")], mode="review")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*letters_for(pilot, {"Calm down"}), "enter", "enter")
        assert app.screen.shown.card.id == "qa"
        await pilot.press("a", "enter", "enter")
        assert app.screen.shown.card.id == "rings"  # focus is in the Input, which copies on ^C
        await pilot.press("3")
        await pilot.press("ctrl+c")
    assert app.return_code == 130
    # Read back through another connection, as the next `drill` process would.
    stored = db_rows(tmp_path / "home", "SELECT card, correct FROM answers ORDER BY id")
    assert stored == [("tone", 1), ("qa", 0)]
    assert sessions(store) == [("review", True, None)]


async def test_ctrl_c_quits_from_feedback_and_summary(session_app):
    app = session_app([only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter")
        assert screen(pilot) == "FeedbackScreen"
        await pilot.press("ctrl+c")
    assert app.return_code == 130


async def test_skip_key_grades_wrong_and_says_skipped(session_app, store):
    app = session_app([only("choice")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        assert screen(pilot) == "FeedbackScreen"
        assert "Skipped" in str(app.screen.query_one("#verdict").render())
    assert answers(store) == [("tone", 0, 1, 0, "skip")]


async def test_a_card_times_out_when_its_countdown_ends(session_app, store, clock):
    app = session_app([only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"3")  # typed, but not sent in time: kept as the answer
        await wait(pilot, 29.9, clock)
        assert screen(pilot) == "CardScreen"
        await wait(pilot, 0.2, clock)
        assert screen(pilot) == "FeedbackScreen"
        assert "Time's up" in str(app.screen.query_one("#verdict").render())
    assert answers(store) == [("rings", 0, 1, 1, "3")]
    latency = query(store, "SELECT latency_ms FROM answers")[0][0]
    assert latency == 30100


async def test_exam_shows_no_feedback_and_fails_below_the_pass_mark(session_app, store):
    app = session_app([deck("tui-mixed")], mode="exam")
    seen: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while screen(pilot) == "CardScreen":
            seen.append(app.screen.shown.card.id)
            await pilot.press("ctrl+s")
            assert screen(pilot) in ("CardScreen", "SummaryScreen")
        assert screen(pilot) == "SummaryScreen"
        assert "Not passed" in str(app.screen.query_one("#passed").render())
        await pilot.press("enter")
    assert app.return_code == 1  # `drill run --mode exam` below the pass mark
    assert len(seen) == 6 and len(answers(store)) == 6  # the warm-up opens exams too
    assert sessions(store) == [("exam", True, 0)]


async def test_exam_session_countdown_ends_the_session(session_app, store, clock):
    app = session_app([deck("tui-mixed")], mode="exam", time_limit=20)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "⏱ 0:20" in app.screen.query_one(TitleBar)._status
        await pilot.press("ctrl+s")
        await wait(pilot, 15, clock)
        assert "⏱ 0:05" in app.screen.query_one(TitleBar)._status
        await wait(pilot, 6, clock)
        assert screen(pilot) == "SummaryScreen"
    stored = answers(store)
    assert len(stored) == 2 and stored[-1][3] == 1  # the card on screen timed out


async def test_a_review_with_nothing_to_show_says_so_and_records_nothing(session_app, store):
    app = session_app([only("typed")], new=0)
    async with app.run_test(size=(80, 24)) as pilot:
        assert screen(pilot) == "SummaryScreen"
        headings = [str(label.render()) for label in app.screen.query(".heading")]
        assert any(h.startswith("Nothing to review right now") for h in headings), headings
        await pilot.press("enter")
    assert app.return_code == 0
    assert sessions(store) == []


async def test_escape_asks_first_and_any_other_key_goes_back_to_the_card(session_app, store, clock):
    app = session_app([only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.press("escape")
        assert screen(pilot) == "ConfirmEndScreen"
        await pilot.press("x")  # not typed into the answer: it only closes the question
        assert screen(pilot) == "CardScreen"
        assert app.screen.query_one("#answer").value == "3"
        await pilot.press("escape")
        await wait(pilot, 31, clock)  # time runs on while asking, but nothing is graded yet
        assert screen(pilot) == "ConfirmEndScreen" and answers(store) == []
        await pilot.press("space")
        await wait(pilot, 0.1, clock)  # back on the card: its time is up
        assert screen(pilot) == "FeedbackScreen"
    assert answers(store) == [("rings", 0, 1, 1, "3")]


async def test_text_typed_but_not_sent_when_time_runs_out_is_graded_and_shown(
    session_app, store, clock
):
    app = session_app([only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"3 rin")
        await wait(pilot, 30.1, clock)
        assert screen(pilot) == "FeedbackScreen"
        assert "Time's up" in str(app.screen.query_one("#verdict").render())
        assert app.screen.query_one(".given", ItemList).plain == ["3 rin"]
    assert answers(store) == [("rings", 0, 1, 1, "3 rin")]


async def test_a_card_is_in_time_at_exactly_its_limit_as_headless(session_app, store, clock):
    app = session_app([only("typed")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await wait(pilot, 30, clock)  # exactly the limit: the session says time is not up
        assert screen(pilot) == "CardScreen"
        await pilot.press("enter")
        assert app.screen.result.correct
    assert answers(store) == [("rings", 1, 2, 0, "3")]


async def test_the_flashcard_clock_stops_when_its_back_is_shown(session_app, store, clock):
    app = session_app([only("flashcard")])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait(pilot, 5, clock)
        await pilot.press("space")
        await wait(pilot, 60, clock)  # reading the back: no time-out
        assert screen(pilot) == "CardScreen"
        await pilot.press("3")
    ((card, correct, rating, timed_out, _answer),) = answers(store)
    assert (card, correct, rating, timed_out) == ("greeting", 1, 3, 0)
    assert query(store, "SELECT latency_ms FROM answers") == [(5000,)]
