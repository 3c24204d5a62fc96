"""Answers written as text or data (headless stdin lines, ``--answers`` files) read into
responses (SPEC section 4).

Nothing here raises for a bad answer: what cannot be read becomes ``Unreadable`` with a reason,
which grades wrong and is reported in the result's ``error``, so a script's typo never ends the
session.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from drill.deck.fields import number_of
from drill.deck.loader import read_bytes
from drill.deck.model import BreathingCard, ChoiceCard, Flashcard, OrderCard, TypedCard
from drill.deck.yamltree import MAPPING, SCALAR, Node, YamlProblem, decode, parse
from drill.errors import Problem, UsageError
from drill.grading import (
    Breathed,
    Ordered,
    Picked,
    Rating,
    Recalled,
    Replied,
    Response,
    Skip,
    Typed,
    Unreadable,
    normalise,
)
from drill.planning import ShownCard

_SEPARATORS = re.compile(r"[\s,，、;；]+")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_RATINGS = {r.label: r for r in Rating} | {str(r.value): r for r in Rating}
_SURROGATES = re.compile("[\ud800-\udfff]")
MAX_LATENCY_MS = 10**12
"""Largest ``latency_ms`` taken (31 years): a finite number that rounds to an SQLite integer."""


@dataclass(frozen=True, slots=True)
class Given:
    """An answer as given: its value (text, number or list) and, optionally, its latency.

    ``from_file`` marks an answer from an ``--answers`` file: written before the run, so its
    letters and positions cannot know the shuffled order they will be read against.
    """

    value: Any
    latency_ms: float | None = None
    error: str | None = None
    from_file: bool = dataclasses.field(default=False, compare=False)


def parse_line(line: str) -> Given:
    """One stdin line: plain text, or a JSON object ``{"answer": ..., "latency_ms": ...}``.

    Lone surrogates (bytes stdin could not decode, or ``\\ud800`` in JSON) become U+FFFD: they
    cannot be stored or printed as UTF-8. A list holds texts or numbers only, so what is kept
    as the raw answer is never a structure nested thousands deep.
    """
    text = _without_surrogates(line.rstrip("\r\n"))
    if not text.lstrip().startswith("{"):
        return Given(text)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "too deep or too long"
        return Given(text, error=f"invalid JSON: {reason}")
    if not isinstance(data, dict) or "answer" not in data:
        return Given(text, error='a JSON answer must be an object with an "answer" key')
    answer = data["answer"]
    if isinstance(answer, list):
        if not all(isinstance(x, str | int | float) and not isinstance(x, bool) for x in answer):
            return Given(text, error="a list answer holds texts or numbers only")
        answer = [_without_surrogates(x) for x in answer]
    return _given(_without_surrogates(answer), data.get("latency_ms"), text)


def _without_surrogates(value: Any) -> Any:
    return _SURROGATES.sub("\ufffd", value) if isinstance(value, str) else value


def _given(value: Any, latency: Any, raw: str) -> Given:
    if latency is None:
        return Given(value)
    if (
        isinstance(latency, bool)
        or not isinstance(latency, int | float)
        or not 0 <= latency <= MAX_LATENCY_MS  # also false for NaN and infinity
    ):
        return Given(raw, error="latency_ms must be a number of milliseconds from 0 to 1e12")
    return Given(value, float(latency))


def read_response(shown: ShownCard, given: Given) -> Response:
    """What ``given`` means for ``shown``; unreadable answers say why."""
    raw = (
        given.value if isinstance(given.value, str) else json.dumps(given.value, ensure_ascii=False)
    )
    if given.error is not None:
        return Unreadable(raw, given.error)
    value = given.value
    if isinstance(value, str) and value.strip().casefold() == "skip":
        return Skip()
    if isinstance(value, bool) or value is None or isinstance(value, dict):
        return Unreadable(raw, "an answer must be text, a number or a list")
    card = shown.card
    if isinstance(card, ChoiceCard):
        return _choice(shown, given, raw)
    if isinstance(card, OrderCard):
        return _order(shown, given, raw)
    if isinstance(card, TypedCard):
        if isinstance(value, list):
            return Unreadable(raw, "a typed card takes text, not a list")
        return Typed(value if isinstance(value, str) else raw)
    if isinstance(card, Flashcard):
        rating = _RATINGS.get(str(value).strip().casefold())
        if rating is None:
            return Unreadable(raw, "rate a flashcard again, hard, good or easy (or 1-4)")
        return Recalled(rating)
    if isinstance(card, BreathingCard):
        if str(value).strip().casefold() == "done":
            return Breathed(True)
        return Unreadable(raw, "a breathing card takes done or skip")
    return Unreadable(raw, "this card cannot be answered")  # pragma: no cover


def _position(token: Any, count: int, letters: bool) -> int | None:
    """A 0-based shown position from a letter (A...) or a 1-based number."""
    if isinstance(token, int) and not isinstance(token, bool):
        return token - 1 if 1 <= token <= count else None
    if not isinstance(token, str):
        return None
    token = token.strip()
    if letters and len(token) == 1 and token.upper() in _LETTERS[:count]:
        return _LETTERS.index(token.upper())
    if token.isdecimal() and token.isascii() and len(token) < 10 and 1 <= int(token) <= count:
        return int(token) - 1
    return None


def _match_text(token: Any, texts: Sequence[str]) -> int | None:
    """The shown position of the text ``token`` names (compared as typed answers are)."""
    if not isinstance(token, str):
        return None
    wanted = normalise(token)
    matches = [i for i, text in enumerate(texts) if normalise(text) == wanted]
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True, slots=True)
class _Found:
    """Shown positions an answer names, and whether any was named by letter or number."""

    positions: list[int]
    by_position: bool


def _resolve(tokens: Sequence[Any], texts: Sequence[str], letters: bool) -> _Found | None:
    """Shown positions for every token (by text, letter or number), or None if any fails."""
    positions = []
    by_position = False
    for token in tokens:
        at = _match_text(token, texts)
        if at is None:
            at = _position(token, len(texts), letters)
            by_position = True
        if at is None:
            return None
        positions.append(at)
    return _Found(positions, by_position)


def _tokens(value: str, count: int, letters: bool) -> list[str]:
    """Split ``A,C`` / ``A C`` / ``AC`` / ``3,1,2`` / ``312`` into single answers."""
    parts = [p for p in _SEPARATORS.split(value.strip()) if p]
    if len(parts) == 1 and len(parts[0]) > 1:
        compact = parts[0].upper()
        if letters and all(ch in _LETTERS[:count] for ch in compact):
            return list(compact)
        if not letters and count <= 9 and compact.isdecimal() and compact.isascii():
            return list(compact)
    return parts


_COMMAS = re.compile("[,，、]")


def _candidates(value: Any, texts: Sequence[str], letters: bool) -> _Found | None:
    if isinstance(value, list):
        return _resolve(value, texts, letters) if value else None
    if isinstance(value, int):  # never through float(): a 400-digit int does not fit one
        return _resolve([value], texts, letters)
    if isinstance(value, float):
        return _resolve([int(value)] if value.is_integer() else [str(value)], texts, letters)
    whole = _match_text(value, texts)
    if whole is not None:
        return _Found([whole], False)
    found = _resolve(_tokens(value, len(texts), letters), texts, letters)
    if found is None and letters:  # choice texts separated by commas
        found = _resolve([p for p in value.split(",") if p.strip()], texts, letters)
    if found is None and not letters:  # step texts one per line, or separated by > or |
        found = _resolve([p for p in re.split(r"\n|>|\|", value) if p.strip()], texts, letters)
    if found is None and not letters and not any(_COMMAS.search(t) for t in texts):
        found = _resolve([p for p in _COMMAS.split(value) if p.strip()], texts, letters)
    return found


def _shuffle_note(given: Given, found: _Found, what: str) -> str | None:
    """For an answers-file answer given by letter or number: why it may be graded wrong."""
    if not (given.from_file and found.by_position):
        return None
    return (
        "letters and numbers refer to the shuffled order of the `card` event, which an answers"
        f" file written before the run cannot know; give the {what} instead"
    )


def _choice(shown: ShownCard, given: Given, raw: str) -> Response:
    texts = [c.text for c in shown.choices]
    found = _candidates(given.value, texts, letters=True)
    if found is None or not found.positions:
        last = _LETTERS[len(texts) - 1]
        return Unreadable(
            raw,
            f"not a choice: answer with letters A-{last}, numbers 1-{len(texts)}"
            " or a choice's text",
        )
    return Picked(
        frozenset(shown.order[p] for p in found.positions),
        _shuffle_note(given, found, "choice's text"),
    )


def _order(shown: ShownCard, given: Given, raw: str) -> Response:
    texts = shown.steps
    found = _candidates(given.value, texts, letters=False)
    count = len(texts)
    if found is None or sorted(found.positions) != list(range(count)):
        example = ",".join(str(i) for i in range(count, 0, -1))
        return Unreadable(
            raw,
            f"give each shown step 1-{count} once, in the right order (e.g. {example}),"
            " or the steps' texts in order",
        )
    return Ordered(
        tuple(shown.order[p] for p in found.positions),
        _shuffle_note(given, found, "steps' texts in order"),
    )


# --- call cards: one answer a turn -----------------------------------------------------------


def read_turn(shown: ShownCard, turn: int, given: Given) -> Response:
    """What ``given`` means at the ``turn``-th turn (an index into ``turns``) of the call card
    ``shown``: a letter or number of a reply as shown, or a reply's text; ``skip`` skips the
    whole call. A list of one reply is taken too (a JSON line that sends one)."""
    raw = (
        given.value if isinstance(given.value, str) else json.dumps(given.value, ensure_ascii=False)
    )
    if given.error is not None:
        return Unreadable(raw, given.error)
    value = given.value
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and value.strip().casefold() == "skip":
        return Skip()
    texts = [reply.text for reply in shown.replies(turn)]
    last = _LETTERS[len(texts) - 1]
    found = None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        found = _candidates(value, texts, letters=True)
    positions = [] if found is None else found.positions
    if len(positions) != 1:
        return Unreadable(
            raw,
            f"not a reply: answer with one letter A-{last}, a number 1-{len(texts)}"
            " or a reply's text",
        )
    card_turn = shown.card.turns[turn]  # type: ignore[union-attr]
    return Replied(card_turn.id, shown.turn_orders[turn][positions[0]])


def call_answers(given: Given) -> list[Given] | None:
    """An answers file's answer to a call card, one ``Given`` per turn (each with the entry's
    ``latency_ms``, which is each turn's); None when the whole call is skipped.

    A list gives the replies in turn order; a single text answers the first turn (or is
    ``skip``); anything that cannot be read is kept as one unreadable answer."""
    value = given.value
    if given.error is not None:
        return [given]
    if isinstance(value, str) and value.strip().casefold() == "skip":
        return None
    replies = value if isinstance(value, list) else [value]
    return [Given(reply, given.latency_ms) for reply in replies]


# --- answers files ---------------------------------------------------------------------------


def load_answers_file(path: str) -> dict[str, Given]:
    """An ``--answers`` file: a mapping of ``card`` or ``deck/card`` to an answer.

    Read with the deck reader (so ``Yes`` stays text and hostile files are refused the same way);
    a file that cannot be used is a usage error with its location.
    """
    try:
        root = parse(decode(read_bytes(path, regular_only=False)))
    except OSError as exc:
        raise UsageError(f"cannot read answers file {path}: {exc.strerror or exc}") from None
    except YamlProblem as exc:
        raise UsageError(str(Problem(path, exc.line, exc.col, exc.message))) from None
    if root is None or root.kind != MAPPING:
        line, col = (root.line, root.col) if root is not None else (1, 1)
        message = "an answers file must map card ids (or deck/card) to answers"
        raise UsageError(str(Problem(path, line, col, message)))
    return {
        key.value: dataclasses.replace(_given_from_node(value), from_file=True)
        for key, value in root.value
    }


def _plain(node: Node) -> Any:
    if node.kind == SCALAR:
        return node.value
    if node.kind == MAPPING:
        return {k.value: _plain(v) for k, v in node.value}
    return [_plain(item) for item in node.value]


def _given_from_node(node: Node) -> Given:
    if node.kind != MAPPING:
        return Given(_plain(node))
    fields = dict((k.value, v) for k, v in node.value)
    raw = json.dumps(_plain(node), ensure_ascii=False)
    if "answer" not in fields:
        return Given(raw, error="an answer mapping needs an `answer` key")
    latency_node = fields.get("latency_ms")
    latency = None if latency_node is None else number_of(latency_node)
    if latency_node is not None and latency is None:
        latency = _plain(latency_node)  # reported as invalid by _given
    return _given(_plain(fields["answer"]), latency, raw)
