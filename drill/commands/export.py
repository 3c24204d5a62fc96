"""``drill export [--format csv|json|xapi] [-o FILE]``: every recorded answer, oldest first.

Rows stream from the database to the output, so a million answers need no more memory than
one; a file given with ``-o`` appears only once complete (written beside it, then renamed).

What people typed is data, exported exactly, with two exceptions where it would otherwise act:
a CSV cell a spreadsheet would run as a formula (``=HYPERLINK(...)``) gets a leading ``'``
(SPEC 5); and CSV written straight to a terminal shows control characters as escapes (a file or
a pipe gets the exact text, as ``ls`` does with file names). JSON needs neither: it keeps every
answer exactly, with characters a terminal would act on written as JSON escapes.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Final, TextIO

from drill.application import Application, learner_name
from drill.commands.context import since
from drill.errors import UsageError
from drill.escapes import json_text, visible
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


FREE_TEXT = ("card", "answer", "learner")
"""Columns whose text people choose (deck authors, trainees, names given with ``--learner``);
the others are written by drill itself (ids, ISO 8601 times, rating labels, numbers)."""
_FORMULA_START = frozenset("=+-@\t\r")
"""A cell starting so is run by a spreadsheet (OWASP's list, as SPEC 5 gives it)."""
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?").fullmatch


def spreadsheet_safe(value: object) -> object:
    """``value`` as a CSV cell no spreadsheet runs: a text starting with ``=``, ``+``, ``-``,
    ``@``, tab or CR, other than a plain number, gets a leading ``'``."""
    if isinstance(value, str) and value[:1] in _FORMULA_START and not _PLAIN_NUMBER(value):
        return "'" + value
    return value


_CHECKED: Final = tuple(i for i, name in enumerate(COLUMNS) if name in FREE_TEXT)
_FREE_CELLS: Final = itemgetter(*_CHECKED)
_CELLS: Final = itemgetter(slice(0, _WIDTH))
_FIRST: Final = itemgetter(slice(0, 1))
_FORMULA_FIRST: Final = re.compile(r"[=+\-@\t\r]").search
"""In the first characters of a batch's free-text cells: one that starts a formula."""
_BATCH: Final = 2048


def _csv_rows(rows: Iterable[ExportRow], terminal: bool) -> Iterator[Sequence[object]]:
    """Rows with every free-text cell made spreadsheet-safe, and, for a terminal, every text
    shown with its control characters escaped.

    Rows go in batches: a batch where no free-text cell starts with a character that could start a
    formula (nearly all of them) is passed on as it is, looked at in C; only another batch is
    checked row by row."""
    source = iter(rows)
    batches = iter(lambda: list(itertools.islice(source, _BATCH)), [])
    return itertools.chain.from_iterable(map(_csv_batch, batches, itertools.repeat(terminal)))


def _csv_batch(batch: list[ExportRow], terminal: bool) -> Iterable[Sequence[object]]:
    if not terminal:
        try:
            firsts = "".join(map(_FIRST, itertools.chain.from_iterable(map(_FREE_CELLS, batch))))
        except TypeError:  # a cell that is not text: looked at row by row
            pass
        else:
            if not _FORMULA_FIRST(firsts):
                return map(_CELLS, batch)
    return [_csv_row(record, terminal) for record in batch]


def _csv_row(record: ExportRow, terminal: bool) -> tuple[object, ...]:
    row: tuple[object, ...] = record[:_WIDTH]
    for i in _CHECKED:
        value = row[i]
        if value.__class__ is str and value[:1] in _FORMULA_START:
            row = tuple(spreadsheet_safe(v) if j in _CHECKED else v for j, v in enumerate(row))
            break
    if terminal:
        row = tuple(visible(v) if isinstance(v, str) else v for v in row)
    return row


def write_csv(rows: Iterator[ExportRow], out: TextIO) -> None:
    terminal = out.isatty()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_csv_rows(rows, terminal))


def write_json(rows: Iterator[ExportRow], out: TextIO) -> None:
    out.write("[")
    first = True
    for row in rows:
        record = dict(zip(COLUMNS, row[:_WIDTH], strict=True))
        if record["correct"] is not None:
            record["correct"] = bool(record["correct"])
        record["timed_out"] = bool(record["timed_out"])
        line = json_text(json.dumps(record, ensure_ascii=False))
        out.write(("\n  " if first else ",\n  ") + line)
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
    stream = app.store().export_rows(scope(args))
    writer = write_csv if args.format == "csv" else write_json
    if args.format == "xapi":  # the statements are built in drill.interchange.xapi
        from drill.commands.export_xapi import xapi_writer

        writer = xapi_writer(app, args)
    try:
        # Read the first row before writing anything: a store that fails on its first read
        # (damaged pages) is refused with nothing on stdout, not a header and then an error.
        first = next(stream, None)
        rows = itertools.chain([first] if first is not None else [], stream)
        with _output(args.output) as out:
            writer(rows, out)
    finally:
        # The rows' cursor is closed before its connection (when a reader of stdout went away,
        # the stream is left mid-way); left to the garbage collector, it would complain after.
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    return 0
