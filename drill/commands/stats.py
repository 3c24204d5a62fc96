"""``drill stats [DECK] [--json]``: accuracy, due and new cards per deck, recent sessions."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from drill.commands import context
from drill.commands.table import percent, render
from drill.deck.discovery import load_catalog, resolve
from drill.deck.model import Deck
from drill.errors import UsageError
from drill.escapes import json_text, visible
from drill.progress import deck_progress, recent_sessions


def report(args: argparse.Namespace) -> dict[str, Any]:
    """The ``stats --json`` document (SPEC 5)."""
    store = context.open_store(args, create=False)  # first: a refused store stops all else
    folders = context.folders(args)
    only: str | None = None
    decks: list[Deck]
    if args.deck is not None:
        try:
            decks, _ = resolve([args.deck], folders, context.deck_cache(args))
        except UsageError:
            if store is None or not _known(store, args.deck):
                raise
            decks = []  # a deck that is gone but has history
        only = decks[0].id if decks else args.deck
    else:
        catalog = load_catalog(folders, context.deck_cache(args))
        for warning in catalog.warnings:
            print(f"drill: warning: {visible(warning)}", file=sys.stderr)
        decks = list(catalog.decks.values())
    now = context.start_instant(args) or datetime.now(UTC)
    try:
        per_deck = deck_progress(store, decks, now, only)
        sessions = recent_sessions(store, only)
    finally:
        if store is not None:
            store.close()
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
                "score": s.score,
                "passed": s.passed,
            }
            for s in sessions
        ],
    }


def _known(store: Any, deck_id: str) -> bool:
    return bool(store.query("SELECT 1 FROM answers WHERE deck = ? LIMIT 1", (deck_id,)))


def main(args: argparse.Namespace) -> int:
    data = report(args)
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
             f"{s['correct']}/{s['answered']}", percent(s["score"]), _passed(s["passed"])]
            for s in data["sessions"]
        ]  # fmt: skip
        header = ["STARTED (UTC)", "MODE", "DECKS", "RIGHT", "SCORE", "EXAM"]
        print(render(header, rows, right={3, 4}, max_width={2: 40}))
    return 0


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _passed(value: bool | None) -> str:
    return "" if value is None else ("passed" if value else "failed")
