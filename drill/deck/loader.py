"""Deck files in, a ``Deck`` or every located problem out (SPEC section 1).

A deck with any problem does not load: the loader reports all it can find in one pass, each at
the YAML node that caused it, so a trainer fixes a file in one round trip rather than one error
at a time. What a card may hold, and how one is read, is ``drill.deck.cards``.
"""

from __future__ import annotations

import errno
import os
from typing import Final

from drill.deck.cards import TIME_LIMIT, CardList
from drill.deck.fields import TEXT, Spec, Text, TextList, read_mapping
from drill.deck.model import DEFAULT_TIME_LIMIT, Cards, Deck
from drill.deck.result import DECK_ID_PATTERN, LoadResult, gc_paused
from drill.deck.yamltree import MAX_BYTES, Node, YamlProblem, decode, parse
from drill.errors import Problem
from drill.files import not_a_file

__all__ = ["DECK_FIELDS", "DECK_ID_PATTERN", "LoadResult", "gc_paused", "load_file", "load_text"]

LANGUAGE_PATTERN: Final = r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*"

DECK_FIELDS: Final = {
    "id": Spec(
        Text(
            DECK_ID_PATTERN,
            "use lowercase letters, digits and `-`, starting with a letter or digit",
        ),
        "Unique among loaded decks; progress is kept by it.",
        required=True,
    ),
    "title": Spec(TEXT, "Shown in the deck list.", required=True),
    "description": Spec(TEXT, "One line on what the deck drills."),
    "language": Spec(Text(LANGUAGE_PATTERN, "a BCP 47 tag such as en or zh-CN"), "Default en."),
    "tags": Spec(TextList(noun="tags"), "Free-form labels."),
    "time_limit": Spec(TIME_LIMIT, "Default seconds per card; 0 = untimed. Default 30."),
    "cards": Spec(CardList(), "At least one card.", required=True),
}


def load_text(text: str, path: str) -> LoadResult:
    """Read a deck from YAML text; ``path`` is used in messages and kept on the deck."""
    with gc_paused():
        return _load_text(text, path)


MAX_PROBLEMS: Final = 100
"""Problems reported for one file before checking stops. A file with more has a cause worth
fixing first; and listing them all (each unknown key with its suggestion) let a hostile file
of 30,000 broken cards take seconds and print 100,000 lines."""


class _TooManyProblems(Exception):
    """Raised by ``report`` at the ``MAX_PROBLEMS``-th problem, at its node."""

    def __init__(self, node: Node) -> None:
        self.node = node


def _load_text(text: str, path: str) -> LoadResult:
    problems: list[Problem] = []

    def report(node: Node, message: str) -> None:
        problems.append(Problem(path, node.line, node.col, message))
        if len(problems) >= MAX_PROBLEMS:
            raise _TooManyProblems(node)

    try:
        root = parse(text)
    except YamlProblem as exc:
        return LoadResult(path, None, (Problem(path, exc.line, exc.col, exc.message),))
    if root is None:
        message = "the file is empty: a deck needs `id`, `title` and `cards`"
        return LoadResult(path, None, (Problem(path, 1, 1, message),))
    try:
        values = read_mapping(root, DECK_FIELDS, report, "the deck")
    except _TooManyProblems as stop:
        problems.sort(key=lambda p: (p.line, p.col))
        message = f"checking stopped here after {MAX_PROBLEMS} problems: fix these first"
        return LoadResult(
            path, None, (*problems, Problem(path, stop.node.line, stop.node.col, message))
        )
    if values is None:
        problems.sort(key=lambda p: (p.line, p.col))
        return LoadResult(path, None, tuple(problems))
    deck = Deck(
        id=values["id"],
        title=values["title"],
        description=values.get("description"),
        language=values.get("language", "en"),
        tags=values.get("tags", ()),
        time_limit=float(values.get("time_limit", DEFAULT_TIME_LIMIT)),
        cards=Cards(values["cards"]),
        path=path,
    )
    return LoadResult(path, deck, ())


def read_bytes(path: str, regular_only: bool = True) -> bytes:
    """The file's bytes, refusing before reading anything larger than a deck can be.

    With ``regular_only`` (decks) anything but a regular file is refused by what it is (an
    ``OSError`` saying so), never waited on: the file is opened non-blocking, so a named pipe
    without a writer does not hold the open. An answers file may be a pipe (``--answers
    <(...)``, ``/dev/stdin``), so it reads with ``regular_only`` off.
    """
    flags = os.O_RDONLY | os.O_CLOEXEC | (os.O_NONBLOCK if regular_only else 0)
    with open(os.open(path, flags), "rb") as handle:
        info = os.fstat(handle.fileno())
        kind = not_a_file(info.st_mode) if regular_only else None
        if kind is not None:
            raise OSError(errno.EINVAL, f"{kind}, not a regular file")
        size = info.st_size
        if size > MAX_BYTES:
            raise YamlProblem(1, 1, f"file is {size:,} bytes; decks are limited to {MAX_BYTES:,}")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # grew while we read, or a special file that reports size 0
        raise YamlProblem(1, 1, f"file is larger than {MAX_BYTES:,} bytes, the limit for decks")
    return data


def load_file(path: str) -> LoadResult:
    """Read and check one deck file; never raises for anything a file can contain."""
    try:
        data = read_bytes(path)
    except YamlProblem as exc:
        return LoadResult(path, None, (Problem(path, exc.line, exc.col, exc.message),))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return LoadResult(path, None, (Problem(path, 1, 1, f"cannot read: {reason}"),), True)
    try:
        text = decode(data)
    except YamlProblem as exc:
        return LoadResult(path, None, (Problem(path, exc.line, exc.col, exc.message),))
    return load_text(text, path)
