"""SPEC 5 and 6 in the TUI: "Ctrl-C quits from anywhere" and "leaving at any point keeps every
answer already given". Driven with Textual's Pilot the way ``drill run DECK`` builds its app
(``drill.tui.launch.run_session``: a session on a real store, then ``DrillApp``), a trainee
answers a seeded random number of cards, each with the keys of its type, and presses Ctrl-C at
a seeded random moment: on a card, halfway through typing an answer, on a revealed flashcard,
on a feedback screen. Every answer the app recorded must then be in the store, read through
another connection as the next ``drill`` would read it, in order and with its rating.

``tests/tui/test_leaving.py`` presses Ctrl-C at two chosen places; this tries many.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from storehelp import sqlite_store

from drill.clock import ManualClock
from drill.deck.loader import load_text
from drill.errors import EXIT_INTERRUPTED
from drill.session import Options, Session
from drill.tui import i18n
from drill.tui.app import DrillApp, Env

from .harness import DB_NAME, mixed_deck

TRIALS = 10
DECK = mixed_deck("tui-crash", 12)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def screen_name(app: DrillApp) -> str:
    return type(app.screen).__name__


async def answer_on_screen(app: DrillApp, pilot, rng: random.Random, clock: ManualClock) -> None:
    """Answer the card on screen with the keys its type takes (right or wrong, at random)."""
    card = app.screen.shown.card  # type: ignore[attr-defined]
    clock.advance(rng.uniform(1, 20))
    if card.type == "flashcard":
        await pilot.press("space", rng.choice("1234"))
    elif card.type == "choice":
        await pilot.press(rng.choice("abcd"), "enter")
    elif card.type == "order":
        await pilot.press(*rng.choices(["down", "shift+up"], k=rng.randrange(4)), "enter")
    elif card.type == "typed":
        await pilot.press(*rng.choice([card.accepted[0], "wrong"]), "enter")
    else:
        await pilot.press("ctrl+s")  # the breathing warm-up: skipped
    await pilot.pause()


async def half_answer(app: DrillApp, pilot, rng: random.Random) -> None:
    """Start answering the card on screen without finishing: Ctrl-C comes mid-answer."""
    card = app.screen.shown.card  # type: ignore[attr-defined]
    if card.type == "flashcard":
        await pilot.press("space")  # revealed, not rated
    elif card.type == "choice":
        await pilot.press(rng.choice("abcd"))  # picked, not submitted
    elif card.type == "typed":
        await pilot.press(*"half")  # typed into the input, not sent
    elif card.type == "order":
        await pilot.press("down", "shift+up")  # moved, not submitted


@pytest.mark.parametrize("seed", range(1, TRIALS + 1), ids=lambda s: f"seed={s}")
async def test_ctrl_c_at_a_random_moment_keeps_every_answer_given(
    seed: int, tmp_path: Path, figures: Counter[str]
):
    rng = random.Random(seed)
    home = tmp_path / "home"
    store = sqlite_store(home)
    deck = load_text(DECK.text, "tui-crash.yaml").deck
    assert deck is not None
    clock = ManualClock(datetime(2026, 3, 1, 9, tzinfo=UTC))
    session = Session(
        [deck], Options(mode=rng.choice(["drill", "review"]), seed=seed), clock, store
    )
    app = DrillApp(Env(store, clock, [], standalone=True), lambda a: a.run_session(session))
    answers = rng.randrange(len(session.cards))
    where = rng.choice(["card", "half-answered", "feedback"])
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(answers):
            if screen_name(app) == "FeedbackScreen":
                await pilot.press("enter")
            if screen_name(app) != "CardScreen":
                break
            await answer_on_screen(app, pilot, rng, clock)
        if where == "feedback" and screen_name(app) == "FeedbackScreen":
            pass  # Ctrl-C on the feedback of the last answer
        elif screen_name(app) == "FeedbackScreen":
            await pilot.press("enter")
        if where == "half-answered" and screen_name(app) == "CardScreen":
            await half_answer(app, pilot, rng)
        figures[f"TUI Ctrl-C on {screen_name(app)}"] += 1
        await pilot.press("ctrl+c")
    store.close()
    assert app.return_code == EXIT_INTERRUPTED
    summary = app.last_summary
    assert summary is not None
    given = [
        (r.shown.card.id, None if r.rating is None else int(r.rating)) for r in summary.results
    ]
    conn = sqlite3.connect(home / DB_NAME)
    stored = conn.execute(
        "SELECT card, rating FROM answers WHERE session = ? ORDER BY id", (session.id,)
    ).fetchall()
    (ended,) = conn.execute("SELECT ended_at FROM sessions WHERE id = ?", (session.id,)).fetchone()
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert stored == given, f"seed={seed}: answers given in the TUI are missing from the store"
    assert ended is not None, f"seed={seed}: Ctrl-C left the session open"
    figures["TUI Ctrl-C trials"] += 1
    figures["TUI answers checked"] += len(given)
