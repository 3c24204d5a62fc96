"""``python -m drill.bench``: how fast drill is, against baselines measured in the same run.

Each figure of issues 7 and 16 is measured together with its baseline and printed as one line:
value, baseline, ratio, goal and whether it is met. ``--quick`` runs smaller sizes and fewer repeats
(for CI, which checks only that it still runs; no test asserts on a number).

A tool, not part of the product: nothing else in drill imports this package.
"""

from __future__ import annotations

FIGURES: tuple[str, ...] = (
    "cold start: drill validate (20 cards)",
    "cold start: drill decks --json (50 learners)",
    "cold start: drill stats --json (50 learners)",
    "cold start: drill --help",
    "TUI: start to first frame of the deck list",
    "validate a large deck (positions kept)",
    "load a catalog of decks again (cache)",
    "headless: answers with a durable commit each",
    "headless: answers, against Anki's engine",
    "headless on PostgreSQL: answers, durable commits",
    "drill stats --json",
    "drill decks: due counts",
    "drill report --json (SQLite)",
    "drill report --json (PostgreSQL)",
    "drill export --format csv",
    "peak memory: headless session",
    "peak memory: TUI deck list",
)
"""The title of every figure line, in the order printed (sizes follow in the line itself;
rows for smaller stores follow their figure, indented)."""
