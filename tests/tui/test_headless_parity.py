"""The TUI and ``--headless`` drive the same session engine: for one seed and one clock they
show the same cards, in the same order, with the same shuffles, and grade the same answers
the same way."""

from __future__ import annotations

import io
import json
from pathlib import Path

from drill import headless
from drill.clock import ManualClock
from drill.deck.discovery import Catalog
from drill.session import Options, Session
from drill.store import Store
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
    store = Store.open(home, create=True)
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
    store = Store.open(home, create=True)
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
