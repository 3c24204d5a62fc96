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
from typing import Any, Protocol, TextIO

from drill.commands import context
from drill.errors import UsageError
from drill.store import Store


class Writer(Protocol):
    """What ``drill export`` calls with its rows: the shape of its own CSV and JSON writers."""

    def __call__(self, rows: Iterator[tuple[Any, ...]], out: TextIO) -> None: ...


def login_name() -> str:
    """The operating system's login name: the learner of an answer recorded without one."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name anywhere (a container without passwd entry)
        return "unknown"


def xapi_writer(args: argparse.Namespace, store: Store | None) -> Writer:
    """Writes the export's answer rows, and the store's finished exams, as a JSON array of
    xAPI statements. Raises ``UsageError`` for a bad ``--xapi-homepage``."""
    from drill.deck.discovery import load_catalog
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
    catalog = load_catalog(context.folders(args), context.deck_cache(args))
    for warning in catalog.warnings:
        print(f"drill: warning: {warning}", file=sys.stderr)
    statements = Statements(homepage, login_name(), catalog.decks)
    exams = [FinishedExam(*row) for row in (store.exams() if store is not None else [])]

    def write(rows: Iterator[tuple[Any, ...]], out: TextIO) -> None:
        separator = "\n  "
        out.write("[")
        for statement in in_time_order((Answered(*row) for row in rows), exams, statements):
            out.write(separator + json.dumps(statement, ensure_ascii=False))
            separator = ",\n  "
        out.write("\n]\n" if separator != "\n  " else "]\n")

    return write
