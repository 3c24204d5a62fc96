"""``drill report [DECK...] [--learner NAME]... [--since DATE] [--json]``: the trainers' view
over every learner in the store (SPEC 8)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

from drill.application import Application, learner_name
from drill.commands.context import since
from drill.commands.table import percent, render
from drill.deck.result import DECK_ID_PATTERN
from drill.errors import UsageError
from drill.escapes import json_text
from drill.report import Report, build, mistake_finders
from drill.store.records import Scope

WEAKEST_SHOWN = 15
"""Cards listed in the text report (``--json`` lists them all)."""
WRONG_CELLS = 48
"""The most given wrong answer's column, in cells, its count included."""


def deck_ids(app: Application, names: list[str]) -> tuple[str, ...]:
    """Deck ids for the names given: a deck id (found, or only in the store's history) or a
    deck file or folder."""
    catalog = app.catalog()
    ids: list[str] = []
    for name in names:
        is_id = re.fullmatch(DECK_ID_PATTERN, name) is not None
        if name in catalog.decks or (is_id and not os.path.exists(name)):
            ids.append(name)
            continue
        decks, _warnings = app.resolve([name])
        ids.extend(deck.id for deck in decks)
    if not ids and names:
        raise UsageError("no decks named")
    return tuple(dict.fromkeys(ids))


def make(app: Application, args: argparse.Namespace) -> Report:
    """The report the options ask for."""
    store = app.store()  # first: a refused store stops all else
    scope = Scope(
        learners=tuple(learner_name(n) for n in getattr(args, "learner", None) or ()),
        decks=deck_ids(app, args.decks),
        since=since(args),
    )
    catalog = app.catalog()
    for warning in catalog.warnings:
        print(f"drill: warning: {warning}", file=sys.stderr)
    return build(store, catalog.decks, scope, app.clock.now(), mistake_finders())


def main(app: Application, args: argparse.Namespace) -> int:
    report = make(app, args)
    if args.json:
        print(json_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2)))
        return 0
    print(text(report))
    return 0


def text(report: Report) -> str:
    """The report as three plain-text tables."""
    if not report.learners and not report.cards:
        return "No answers recorded for this selection yet."
    parts = ["Learners by deck"]
    rows = [
        [learner.learner, d.deck, str(d.answers), percent(d.accuracy), str(d.due),
         _exam(d.last_exam), (d.last_active or "-")[:16].replace("T", " ")]
        for learner in report.learners
        for d in learner.decks
    ]  # fmt: skip
    header = ["LEARNER", "DECK", "ANSWERS", "ACCURACY", "DUE", "LAST EXAM", "LAST ACTIVE (UTC)"]
    parts.append(render(header, rows, right={2, 3, 4}, max_width={0: 24}))
    shown = report.cards[:WEAKEST_SHOWN]
    more = len(report.cards) - len(shown)
    parts += ["", f"Weakest cards ({len(shown)} of {len(report.cards)}; --json lists all)"
              if more else "Weakest cards"]  # fmt: skip
    rows = [
        [c.deck, c.card, str(c.answers), percent(c.facility), f"{c.mean_latency_ms / 1000:.1f}s",
         str(c.lapses), c.wrong_text(WRONG_CELLS)]
        for c in shown
    ]  # fmt: skip
    header = ["DECK", "CARD", "ANSWERS", "RIGHT", "MEAN TIME", "LAPSES", "MOST GIVEN WRONG ANSWER"]
    parts.append(render(header, rows, right={2, 3, 4, 5}, max_width={1: 28, 6: WRONG_CELLS}))
    parts += ["", "At risk (cards due now)"]
    if report.at_risk:
        rows = [[r.learner, str(r.overdue), percent(r.retrievability)] for r in report.at_risk]
        parts.append(render(["LEARNER", "DUE", "PREDICTED RECALL"], rows, right={1, 2}))
    else:
        parts.append("Nobody has cards due.")
    return "\n".join(parts)


def _exam(exam: object) -> str:
    from drill.report import LastExam

    if not isinstance(exam, LastExam):
        return "-"
    verdict = "passed" if exam.passed else "failed"
    return f"{percent(exam.score)} {verdict} {exam.at[:10]}"
