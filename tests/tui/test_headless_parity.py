"""The TUI and ``--headless`` drive the same session engine: for one seed and one clock they
show the same cards, in the same order, with the same shuffles, and grade the same answers
the same way."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from storehelp import sqlite_store

from drill import headless
from drill.clock import ManualClock
from drill.deck.discovery import Catalog
from drill.session import Options, Session
from drill.tui.app import DrillApp, Env

from .conftest import NOW, deck
from .pilot import letters_for, put_in_order, screen, wait

# What the trainee answers to each card (right and wrong ones), and after how many seconds.
PLAN = {
    "breathe": ("done", 10),
    "greeting": ("hard", 6),
    "rings": ("4", 3),
    "tone": ("Calm down", 2),
    "qa": (["Voice quality"], 20),
    "transfer": (["Explain why", "Give the wait", "Log what you know", "Transfer and confirm"], 9),
}


def run_headless(home: Path) -> tuple[list[dict], list[dict]]:
    """Card and result events of a headless drill answering ``PLAN``."""
    store = sqlite_store(home)
    session = Session([deck("tui-mixed")], Options(mode="drill", seed=11), ManualClock(NOW), store)
    answers = {card: {"answer": a, "latency_ms": s * 1000} for card, (a, s) in PLAN.items()}
    out = io.StringIO()
    stdin = io.StringIO("".join(json.dumps(answers[c.card.id]) + "\n" for c in session.cards))
    headless.run(session, stdin, out)
    store.close()
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    return [e for e in events if e["event"] == "card"], [
        e for e in events if e["event"] == "result"
    ]


async def run_tui(home: Path) -> tuple[list[dict], list[dict]]:
    """The same session answered through the screens, with the keys a trainee would press."""
    store = sqlite_store(home)
    clock = ManualClock(NOW)
    session = Session([deck("tui-mixed")], Options(mode="drill", seed=11), clock, store)
    app = DrillApp(Env(store, clock, Catalog, standalone=True), lambda a: a.run_session(session))
    cards: list[dict] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while screen(pilot) == "CardScreen":
            shown = app.screen.shown
            cards.append(headless.card_event(shown))
            answer, seconds = PLAN[shown.card.id]
            kind = shown.card.type
            if kind == "breathing":
                await wait(pilot, seconds, clock)  # completes by itself
            elif kind == "flashcard":  # its time is the time to show the back
                await wait(pilot, seconds, clock)
                await pilot.press("space", "2")
            else:
                if kind == "typed":
                    await pilot.press(*answer)
                elif kind == "choice":
                    picks = {answer} if isinstance(answer, str) else set(answer)
                    await pilot.press(*letters_for(pilot, picks))
                elif kind == "order":
                    await put_in_order(pilot)
                await wait(pilot, seconds, clock)
                await pilot.press("enter")
            if screen(pilot) == "FeedbackScreen":
                await pilot.press("enter")
        summary = app.screen.summary
    store.close()
    return cards, [headless.result_event(r) for r in summary.results]


async def test_same_cards_order_shuffles_and_grades(tmp_path):
    tui_cards, tui_results = await run_tui(tmp_path / "tui")
    cli_cards, cli_results = run_headless(tmp_path / "headless")
    assert [c["card"] for c in tui_cards] == [c["card"] for c in cli_cards]
    assert tui_cards == cli_cards  # choices and steps in the same shown order
    assert tui_results == cli_results
    graded = {r["card"]: (r["correct"], r["rating"]) for r in cli_results}
    assert graded == {
        "breathe": (None, None),
        "greeting": (True, "hard"),
        "rings": (False, "again"),
        "tone": (True, "easy"),
        "qa": (False, "again"),
        "transfer": (True, "good"),
    }


# A call: the reply given at each turn it reaches (a bad branch that rejoins), and after how long.
CALL_PLAN = [
    ("Have you tried turning the router off and on again?", 3),
    ("Not at all, sorry. You've clearly done the basics; let me check the line from here.", 4),
    ("It's probably your router.", 12),
    ("I understand. I can send a mobile data hub today at no charge, so you can work until then.", 2),
    ("It goes out by courier today; your reference is 4471. Is there anything else I can do?", 5),
]  # fmt: skip
CALLS = Path(__file__).resolve().parents[1] / "call_decks" / "calls-en.yaml"


def call_deck():
    from drill.deck.loader import load_file

    return load_file(str(CALLS)).deck


GOOD_CALL = [
    ("I'm sorry, twice in one week is a real problem when you work from home. Let me check your line now.", 10),
    ("There's a fault at the street cabinet. An engineer is booked for tomorrow, 8 to 12.", 10),
    ("I understand. I can send a mobile data hub today at no charge, so you can work until then.", 8),
    ("It goes out by courier today; your reference is 4471. Is there anything else I can do?", 9),
]  # fmt: skip


def call_headless(home: Path, plan: list[tuple[str, int]]) -> list[dict]:
    """Every event of a headless drill of the call, answered by ``plan``."""
    store = sqlite_store(home)
    session = Session([call_deck()], Options(mode="drill", seed=11), ManualClock(NOW), store)
    stdin = io.StringIO("".join(json.dumps({"answer": a, "latency_ms": s * 1000}) + "\n"
                                for a, s in plan))  # fmt: skip
    out = io.StringIO()
    headless.run(session, stdin, out)
    store.close()
    return [e for e in map(json.loads, out.getvalue().splitlines()) if e["event"] in ("card", "turn", "result")]  # fmt: skip


async def call_tui(home: Path, plan: list[tuple[str, int]]) -> list[dict]:
    """The same call played with keys: each reply's letter, the clock moved on, Enter."""
    from drill.tui.widgets.reply_list import ReplyList

    store = sqlite_store(home)
    clock = ManualClock(NOW)
    session = Session([call_deck()], Options(mode="drill", seed=11), clock, store)
    app = DrillApp(Env(store, clock, Catalog, standalone=True), lambda a: a.run_session(session))
    events: list[dict] = []
    async with app.run_test(size=(80, 24)) as pilot:
        shown = app.screen.shown
        events.append(headless.card_event(shown))
        for text, seconds in plan:
            if events[-1]["event"] == "turn":
                assert screen(pilot) == "CallScreen"
            position = app.screen.query_one(ReplyList).texts.index(text)
            await pilot.press("abcdef"[position])
            await wait(pilot, seconds, clock)
            await pilot.press("enter")
            if screen(pilot) == "CallScreen":
                events.append(headless.turn_event(shown, app.screen.play.position))
        assert screen(pilot) == "CallReviewScreen"
        events.append(headless.result_event(app.screen.result))
        await pilot.press("enter")
        assert screen(pilot) == "SummaryScreen"
    store.close()
    return events


@pytest.mark.parametrize(
    ("plan", "graded"),
    [
        (CALL_PLAN, (False, "again", 26000, [False, True, False, True, True])),
        (GOOD_CALL, (True, "good", 37000, [True, True, True, True])),
    ],
    ids=["a bad branch that rejoins", "the good path"],
)
async def test_a_call_has_the_same_turns_reply_orders_and_grade_in_both(tmp_path, plan, graded):
    tui = await call_tui(tmp_path / "tui", plan)
    cli = call_headless(tmp_path / "headless", plan)
    assert tui == cli
    assert [e["event"] for e in cli] == ["card", *["turn"] * (len(plan) - 1), "result"]
    result = cli[-1]
    good = [t["good"] for t in result["turns"]]
    assert (result["correct"], result["rating"], result["latency_ms"], good) == graded
