"""``drill decks [--json]``: every deck found, with its due and new cards and last score."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from drill.application import Application
from drill.commands.table import percent, render
from drill.escapes import json_text, visible
from drill.progress import due_and_new, last_scores

_FIELDS = ("id", "title", "language", "cards", "due", "new", "last_score", "path", "error")


def listing(app: Application) -> list[dict[str, Any]]:
    """One entry per deck file found: good decks with their figures, broken ones with their
    first error (in search order)."""
    store = app.learner_store()  # first: a refused store stops all else
    catalog = app.catalog()
    for warning in catalog.warnings:
        print(f"drill: warning: {visible(warning)}", file=sys.stderr)
    now = app.clock.now()
    decks = list(catalog.decks.values())
    counts = due_and_new(store, decks, now)
    scores = last_scores(store, [d.id for d in decks])
    entries: list[dict[str, Any]] = []
    for result in catalog.results:
        deck = result.deck
        if deck is None:
            problem = result.problems[0]
            entry: dict[str, Any] = dict.fromkeys(_FIELDS)
            entries.append(entry | {"path": result.path, "error": str(problem)})
        elif catalog.decks.get(deck.id) is deck:
            due, new = counts[deck.id]
            entries.append(
                {
                    "id": deck.id,
                    "title": deck.title,
                    "language": deck.language,
                    "cards": len(deck.cards),
                    "due": due,
                    "new": new,
                    "last_score": scores.get(deck.id),
                    "path": deck.path,
                    "error": None,
                }
            )
    return entries


def main(app: Application, args: argparse.Namespace) -> int:
    entries = listing(app)
    if args.json:
        print(json_text(json.dumps(entries, ensure_ascii=False, indent=2)))
        return 0
    good = [e for e in entries if e["error"] is None]
    rows = [
        [e["id"], e["title"], e["language"], str(e["cards"]), str(e["due"]), str(e["new"]),
         percent(e["last_score"])]
        for e in good
    ]  # fmt: skip
    header = ["ID", "TITLE", "LANG", "CARDS", "DUE", "NEW", "LAST"]
    print(render(header, rows, right={3, 4, 5, 6}, max_width={1: 36}))
    for entry in entries:
        if entry["error"] is not None:
            print(f"broken: {visible(entry['error'])}")
    return 0
