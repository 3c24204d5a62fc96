"""``drill export [--format csv|json|xapi] [-o FILE]``: every recorded answer, oldest first.

Rows stream from the database to the output, so a million answers need no more memory than
one; a file given with ``-o`` appears only once complete (written beside it, then renamed).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import operator
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import TextIO

from drill.application import Application, learner_name
from drill.commands.context import since
from drill.errors import UsageError
from drill.store.records import ExportRow, Scope

COLUMNS = (
    "session",
    "deck",
    "card",
    "answered_at",
    "correct",
    "rating",
    "latency_ms",
    "answer",
    "learner",
    "timed_out",
)
_WIDTH = len(COLUMNS)
_CSV_CELLS = operator.itemgetter(*range(_WIDTH))


def write_csv(rows: Iterator[ExportRow], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(map(_CSV_CELLS, rows))  # in C: no Python call per row


def write_json(rows: Iterator[ExportRow], out: TextIO) -> None:
    out.write("[")
    first = True
    for row in rows:
        record = dict(zip(COLUMNS, row[:_WIDTH], strict=True))
        if record["correct"] is not None:
            record["correct"] = bool(record["correct"])
        record["timed_out"] = bool(record["timed_out"])
        out.write(("\n  " if first else ",\n  ") + json.dumps(record, ensure_ascii=False))
        first = False
    out.write("\n]\n" if not first else "]\n")


def scope(args: argparse.Namespace) -> Scope:
    """Which answers: ``--learner`` (repeatable), ``--deck`` (repeatable), ``--since``."""
    return Scope(
        learners=tuple(learner_name(name) for name in getattr(args, "learner", None) or ()),
        decks=tuple(getattr(args, "deck", None) or ()),
        since=since(args),
    )


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp = tempfile.mkstemp(prefix=".drill-export-", dir=directory)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def main(app: Application, args: argparse.Namespace) -> int:
    rows = app.store().export_rows(scope(args))
    writer = write_csv if args.format == "csv" else write_json
    if args.format == "xapi":  # the statements are built in drill.interchange.xapi
        from drill.commands.export_xapi import xapi_writer

        writer = xapi_writer(app, args)
    # Read the first row before writing anything: a store that fails on its first read
    # (damaged pages) is refused with nothing on stdout, not a header and then an error.
    first = next(rows, None)
    rows = itertools.chain([first] if first is not None else [], rows)
    with _output(args.output) as out:
        writer(rows, out)
    return 0
