"""``drill export --format xapi [--xapi-homepage URL]``: the glue between the export command and
``drill.interchange.xapi``, which builds the statements.

The cards' definitions come from the decks drill finds (the search folders, as ``drill decks``
lists them); an answer to a card no deck holds any more still gets its statement, of interaction
type ``other``. Exam statements are interleaved with the answers in time order.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Protocol, TextIO

from drill.application import Application
from drill.errors import UsageError
from drill.store.records import ExportRow


class Writer(Protocol):
    """What ``drill export`` calls with its rows: the shape of its own CSV and JSON writers."""

    def __call__(self, rows: Iterator[ExportRow], out: TextIO) -> None: ...


def xapi_writer(app: Application, args: argparse.Namespace) -> Writer:
    """Writes the export's answer rows, and the finished exams in the same scope, as a JSON
    array of xAPI statements. Raises ``UsageError`` for a bad ``--xapi-homepage``."""
    from drill.commands.export import scope
    from drill.interchange.xapi import (
        Answered,
        FinishedExam,
        Statements,
        homepage_of,
        in_time_order,
    )

    url = getattr(args, "xapi_homepage", None)
    try:
        homepage = homepage_of(url)
    except ValueError as exc:
        raise UsageError(f"--xapi-homepage {url!r}: {exc}") from None
    catalog = app.catalog()
    for warning in catalog.warnings:
        print(f"drill: warning: {warning}", file=sys.stderr)
    statements = Statements(homepage, "unknown", catalog.decks)
    exams = [FinishedExam(*row) for row in app.store().exams(scope(args))]

    def write(rows: Iterator[ExportRow], out: TextIO) -> None:
        separator = "\n  "
        out.write("[")
        for statement in in_time_order((Answered(*row) for row in rows), exams, statements):
            out.write(separator + json.dumps(statement, ensure_ascii=False))
            separator = ",\n  "
        out.write("\n]\n" if separator != "\n  " else "]\n")

    return write
