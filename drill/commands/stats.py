"""``drill stats [DECK] [--json]``: accuracy, due and new cards per deck, recent sessions."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from drill.application import Application
from drill.commands.table import percent, render
from drill.deck.model import Deck
from drill.errors import UsageError
from drill.escapes import json_text, visible
from drill.progress import deck_progress, recent_sessions


def report(app: Application, deck: str | None) -> dict[str, Any]:
    """The ``stats --json`` document (SPEC 5), for the learner drilling."""
    store = app.learner_store()  # first: a refused store stops all else
    only: str | None = None
    decks: list[Deck]
    if deck is not None:
        try:
            decks, _ = app.resolve([deck])
        except UsageError:
            if not store.has_answers(deck):
                raise
            decks = []  # a deck that is gone but has history
        only = decks[0].id if decks else deck
    else:
        catalog = app.catalog()
        for warning in catalog.warnings:
            print(f"drill: warning: {visible(warning)}", file=sys.stderr)
        decks = list(catalog.decks.values())
    now = app.clock.now()
    per_deck = deck_progress(store, decks, now, only)
    sessions = recent_sessions(store, only)
    return {
        "decks": [
            {
                "deck": p.deck,
                "answers": p.answers,
                "correct": p.correct,
                "accuracy": p.accuracy,
                "due": p.due,
                "new": p.new,
                "sessions": p.sessions,
            }
            for p in per_deck
        ],
        "sessions": [
            {
                "session": s.session,
                "started_at": s.started_at,
                "mode": s.mode,
                "decks": s.decks,
                "answered": s.answered,
                "correct": s.correct,
                "planned": s.planned,
                "score": s.score,
                "passed": s.passed,
            }
            for s in sessions
        ],
    }


def main(app: Application, args: argparse.Namespace) -> int:
    data = report(app, args.deck)
    if args.json:
        print(json_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return 0
    rows = [
        [d["deck"], str(d["answers"]), percent(d["accuracy"]), _count(d["due"]), _count(d["new"]),
         str(d["sessions"])]
        for d in data["decks"]
    ]  # fmt: skip
    print(
        render(
            ["DECK", "ANSWERS", "ACCURACY", "DUE", "NEW", "SESSIONS"], rows, right={1, 2, 3, 4, 5}
        )
    )
    if data["sessions"]:
        print()
        rows = [
            [s["started_at"][:16].replace("T", " "), s["mode"], ", ".join(s["decks"]),
             _right(s), percent(s["score"]), _passed(s["passed"])]
            for s in data["sessions"]
        ]  # fmt: skip
        header = ["STARTED (UTC)", "MODE", "DECKS", "RIGHT", "SCORE", "EXAM"]
        print(render(header, rows, right={3, 4}, max_width={2: 40}))
    return 0


def _right(session: dict[str, Any]) -> str:
    """``7/9``: right over answered; for an exam, right over the cards it planned."""
    out_of = session["planned"] if session["mode"] == "exam" else session["answered"]
    return f"{session['correct']}/{out_of}"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _passed(value: bool | None) -> str:
    return "" if value is None else ("passed" if value else "failed")
