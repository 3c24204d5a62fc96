"""``drill import FILE... [-o OUT] [--id ID] [--title T] [--language TAG] [--strict]``: GIFT and
Moodle XML question banks to one deck (SPEC 10).

Named ``import_`` because ``import`` is a keyword. Warnings (``PATH:LINE:COL: warning: ...``) and
a one-line summary go to stderr, the deck to ``OUT`` or stdout. A syntax error, or with
``--strict`` any warning, is ``PATH:LINE:COL: error: ...`` and exit 1 with nothing written: ``OUT``
is written beside itself and renamed into place only when complete. A file that cannot be read
is exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from drill.application import Application
from drill.errors import EXIT_CHECK_FAILED, EXIT_OK, UsageError

if TYPE_CHECKING:
    from drill.interchange.model import Bank, Question

GIFT_SUFFIXES = (".gift", ".txt")
XML_SUFFIXES = (".xml",)


class Outcome(NamedTuple):
    """What an import made: the deck's YAML (None when nothing may be written), every notice
    line, and the counts for the summary."""

    text: str | None
    notices: tuple[str, ...]
    imported: int
    skipped: int
    errors: int


def import_banks(
    paths: Sequence[str],
    deck_id: str | None = None,
    title: str | None = None,
    language: str | None = None,
    strict: bool = False,
) -> Outcome:
    """Read every bank in ``paths`` into one deck, in ``language`` (else the one its questions
    are written in: ``deck_writer.written_in``). Raises ``UsageError`` for a bad option or a
    file that cannot be read; everything a file contains is reported in the outcome."""
    from drill.deck.loader import DECK_ID_PATTERN, LANGUAGE_PATTERN
    from drill.interchange.deck_writer import DeckHeader, build_deck, deck_id_from, written_in
    from drill.interchange.model import BankError, Notice

    if deck_id is not None and not re.fullmatch(DECK_ID_PATTERN, deck_id):
        raise UsageError(f"--id {deck_id!r}: use lowercase letters, digits and -, at most 64")
    if language is not None and not re.fullmatch(LANGUAGE_PATTERN, language):
        raise UsageError(f"--language {language!r} is not a BCP 47 tag such as en or zh-CN")
    if title is not None and (not title.strip() or _printable(title) != title):
        raise UsageError("--title must be text without control characters")
    notices: list[Notice] = []
    questions: list[Question] = []
    for path in paths:
        data = _read(path)
        try:
            bank = _reader(path, data)(data, path)
        except BankError as exc:
            notices.append(Notice(path, exc.line, exc.col, exc.message, "error"))
            continue
        notices.extend(bank.notices)
        questions.extend(bank.questions)
    stem = Path(paths[0]).stem
    header = DeckHeader(
        id=deck_id or deck_id_from(stem),
        title=title.strip() if title else _printable(stem) or "Imported questions",
        language=language or written_in(questions),
        description="Imported from " + ", ".join(_printable(Path(p).name) for p in paths),
    )
    deck = build_deck(header, questions)
    order = {path: n for n, path in enumerate(paths)}
    found = sorted([*notices, *deck.notices], key=lambda n: (order.get(n.path, 0), n.line, n.col))
    if strict:
        found = [n.as_error() for n in found]
    errors = sum(1 for n in found if n.severity == "error")
    if not errors and deck.imported == 0 and questions:
        first = questions[0]
        message = "no question could be imported"
        found.append(Notice(first.path, first.line, first.col, message, "error"))
        errors = 1
    elif not errors and not questions:
        found.append(Notice(paths[0], 1, 1, "no questions found", "error"))
        errors = 1
    return Outcome(
        text=None if errors else deck.text,
        notices=tuple(_printable(str(n)) for n in found),
        imported=deck.imported,
        skipped=deck.skipped,
        errors=errors,
    )


def _reader(path: str, data: bytes) -> Callable[[bytes, str], Bank]:
    """The reader for a file: by its suffix, else by whether it looks like XML."""
    from drill.interchange.gift import read_gift
    from drill.interchange.moodle_xml import read_moodle_xml

    suffix = Path(path).suffix.lower()
    if suffix in XML_SUFFIXES:
        return read_moodle_xml
    if suffix in GIFT_SUFFIXES:
        return read_gift
    return read_moodle_xml if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else read_gift


def _read(path: str) -> bytes:
    """A bank file's bytes: a regular file (a FIFO would wait forever) and not too large."""
    from drill.interchange.gift import MAX_BYTES

    try:
        with open(path, "rb", opener=_nonblocking) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise UsageError(f"cannot read {_printable(path)}: not a regular file")
            if info.st_size > MAX_BYTES:
                raise UsageError(f"cannot read {_printable(path)}: over {MAX_BYTES:,} bytes")
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {_printable(path)}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"cannot read {_printable(path)}: over {MAX_BYTES:,} bytes")
    return data


def _nonblocking(path: str, flags: int) -> int:
    """Opens without waiting: a FIFO with no writer is refused, not waited on."""
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _printable(text: str) -> str:
    """``text`` with control characters (and line and paragraph separators) shown as escapes:
    a file name or a bank's text in a message must never drive the terminal."""
    return "".join(
        c.encode("unicode_escape").decode() if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in text
    )


def write_atomically(path: str, text: str) -> None:
    """``text`` to ``path``, which appears only once complete (written beside it, renamed)."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp = tempfile.mkstemp(prefix=".drill-import-", suffix=".yaml", dir=directory)
    except OSError as exc:
        raise UsageError(f"cannot write {_printable(path)}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, _mode_for(path))
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise UsageError(f"cannot write {_printable(path)}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _mode_for(path: str) -> int:
    """The permissions a deck written to ``path`` gets: those of the file it replaces, else
    what the umask gives a new file (a temporary file is private, a deck is meant to be read)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def main(app: Application, args: argparse.Namespace) -> int:
    outcome = import_banks(args.files, args.id, args.title, args.language, args.strict)
    for line in outcome.notices:
        print(line, file=sys.stderr)
    if outcome.text is None:
        errors = f"{outcome.errors} error{'s' * (outcome.errors != 1)}"
        would = f"would import {outcome.imported}, skip {outcome.skipped}"
        print(f"drill: {errors}, nothing written ({would})", file=sys.stderr)
        return EXIT_CHECK_FAILED
    if args.output is None:
        sys.stdout.write(outcome.text)
        sys.stdout.flush()
    else:
        write_atomically(args.output, outcome.text)
    print(f"drill: imported {outcome.imported}, skipped {outcome.skipped}", file=sys.stderr)
    return EXIT_OK
