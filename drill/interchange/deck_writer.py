"""Questions to a deck: the SPEC 10 mapping, and YAML text that ``drill validate`` accepts.

Mapping: multiple choice with one right answer -> ``choice``; with several answers of positive
weight -> ``choice`` select-all; true/false -> ``choice`` (True/False, not shuffled); short
answer -> ``typed`` with every full-credit answer; numerical -> ``typed`` number with
``tolerance``; ordering -> ``order``; per-answer feedback -> ``why``; general feedback ->
``explain``; the question's name -> its card id, made valid and unique. Every other kind, and
every question that cannot become a valid card, is skipped with a located warning saying why;
so is anything lost on the way (partial credit, an image, a control character).

The YAML is written by hand, every text double-quoted (so ``Yes``, ``on`` and ``3`` stay text),
and then read back with drill's own deck loader before anyone sees it: a card the loader would
refuse is dropped with a warning at its question instead of making the whole deck invalid.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final, NamedTuple

from drill.deck.cards import derived_card_id
from drill.deck.fields import quoted
from drill.deck.loader import load_text
from drill.deck.yamltree import MAX_BYTES
from drill.interchange.model import SUPPORTED_KINDS, Answer, Notice, Question, Severity
from drill.interchange.text import control_characters, decimal_of, number_text, without_controls

MAX_TEXT: Final = 10_000
"""Longest text a deck field holds (``drill.deck.fields.Text``)."""
_UNSUPPORTED: Final = {
    "essay": "an essay question",
    "description": "a description (text without a question)",
    "matching": "a matching question",
    "match": "a matching question",
    "randomsamatch": "a random short-answer matching question",
    "cloze": "an embedded-answers (cloze) question",
    "multianswer": "an embedded-answers (cloze) question",
    "calculated": "a calculated question",
    "calculatedsimple": "a calculated question",
    "calculatedmulti": "a calculated multiple-choice question",
    "ddwtos": "a drag-and-drop question",
    "ddimageortext": "a drag-and-drop question",
    "ddmarker": "a drag-and-drop question",
    "gapselect": "a select-missing-words question",
    "random": "a random question",
}
_TRUE_FALSE_LABELS: Final = {"zh": ("正确", "错误"), "en": ("True", "False")}
_NOT_IN_ID: Final = re.compile(r"[^A-Za-z0-9._-]+")
_NOT_IN_DECK_ID: Final = re.compile(r"[^a-z0-9-]+")
_UNPRINTABLE: Final = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]"
)
"""What YAML may not hold raw in a double-quoted scalar (or would read as a line break)."""
_FULL: Final = 1 - 1e-9

Warn = Callable[[Question | Answer, str], None]
"""Reports a warning at a question or at one of its answers."""


class Number(NamedTuple):
    """A number written plain in the deck (quoted, it would be text)."""

    text: str


class Word(NamedTuple):
    """A fixed word of the format (a card type) written plain, as a trainer would write it."""

    text: str


class _Card(NamedTuple):
    """A card as its YAML fields, in the order they are written, and its question."""

    fields: list[tuple[str, Any]]
    question: Question


class ImportedDeck(NamedTuple):
    """The deck's YAML, how many questions became cards and how many were skipped, and every
    located warning (in file order)."""

    text: str
    imported: int
    skipped: int
    notices: tuple[Notice, ...]


class DeckHeader(NamedTuple):
    """The deck's own fields."""

    id: str
    title: str
    language: str
    description: str | None = None


def deck_id_from(name: str) -> str:
    """A valid deck id (``[a-z0-9][a-z0-9-]*``, at most 64) made from a file name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _NOT_IN_DECK_ID.sub("-", ascii_name.lower()).strip("-")[:64].strip("-")
    return slug or "imported"


def written_in(questions: Sequence[Question]) -> str:
    """zh-CN for a bank written in Chinese, else en: a deck's language decides where it is
    listed and how numbers in words are read, and a Chinese bank imported without
    ``--language`` must not pass for English. Chinese when its Han characters weigh at least as
    much as its Latin letters, a character counting as three letters (about a word)."""
    han = latin = 0
    for question in questions:
        for text in (question.text, *(answer.text for answer in question.answers)):
            for character in text:
                if "\u4e00" <= character <= "\u9fff" or "\u3400" <= character <= "\u4dbf":
                    han += 1
                elif character.isascii() and character.isalpha():
                    latin += 1
    return "zh-CN" if han and han * 3 >= latin else "en"


def build_deck(header: DeckHeader, questions: Sequence[Question]) -> ImportedDeck:
    """The deck the questions make, with every warning; a deck with no card has ``imported``
    0 and text that is not a valid deck (the caller refuses to write it)."""
    notices: list[Notice] = []
    cards: list[_Card] = []
    used: set[str] = set()
    skipped = 0
    for question in questions:
        card = _card(question, header.language, notices)
        if card is None:
            skipped += 1
            continue
        cards.append(_with_id(card, used))
    categories = _tags(questions)
    text, starts = _yaml(header, categories, cards)
    while cards:  # each round drops at least one card, so this ends
        refused = _refused(text, starts, header.id)
        if not refused:
            break
        for index, message in refused.items():
            question = cards[index].question
            notices.append(_notice(question, f"cannot be written as a valid card ({message})"))
        cards = [card for i, card in enumerate(cards) if i not in refused]
        skipped += len(refused)
        text, starts = _yaml(header, categories, cards)
    if len(text.encode("utf-8")) > MAX_BYTES:
        question = cards[-1].question
        notices.append(
            _notice(question, f"the deck would be over {MAX_BYTES:,} bytes: split the bank", True)
        )
    notices.sort(key=lambda n: (n.path, n.line, n.col))
    return ImportedDeck(text, len(cards), skipped, tuple(notices))


# --- questions to cards ----------------------------------------------------------------------


def _notice(question: Question, message: str, error: bool = False) -> Notice:
    severity: Severity = "error" if error else "warning"
    return Notice(question.path, question.line, question.col, message, severity)


def _card(question: Question, language: str, notices: list[Notice]) -> _Card | None:
    """The card a question makes, or None after a warning saying why it is skipped."""
    found: list[Notice] = []

    def warn(where: Question | Answer, message: str) -> None:
        found.append(Notice(question.path, where.line, where.col, message))

    question = _without_controls(question, warn)
    if question.kind not in SUPPORTED_KINDS:
        what = _UNSUPPORTED.get(question.kind, f"a question of type `{question.kind}`")
        warn(question, f"{what} cannot be asked in drill: skipped")
        notices.extend(found)
        return None
    fields = _fields(question, language, warn)
    if fields is not None:
        for note in question.notes:
            warn(question, note)
        too_long = _too_long(fields)
        if too_long is not None:
            warn(question, f"its {too_long} is longer than {MAX_TEXT:,} characters: skipped")
            fields = None
    notices.extend(found)
    return None if fields is None else _Card(fields, question)


def _fields(question: Question, language: str, warn: Warn) -> list[tuple[str, Any]] | None:
    if not question.text:
        warn(question, "the question has no text drill can show (images are not imported): skipped")
        return None
    build = {
        "multichoice": _multichoice,
        "truefalse": _true_false,
        "shortanswer": _short_answer,
        "numerical": _numerical,
        "ordering": _ordering,
    }[question.kind]
    body = build(question, language, warn)
    if body is None:
        return None
    if question.general_feedback:
        body.append(("explain", question.general_feedback))
    return body


def _multichoice(question: Question, language: str, warn: Warn) -> list[tuple[str, Any]] | None:
    answers = question.answers
    if not _distinct_texts(question, answers, "answers", 2, 26, warn):
        return None
    single = question.single if question.single is not None else True
    if single:
        right = [a for a in answers if a.fraction >= _FULL]
        if not right:
            warn(question, "no answer gives full credit: skipped")
            return None
        if len(right) > 1:
            warn(
                question,
                "several answers give full credit, each alone; a drill choice has one right "
                "answer (or needs all of them chosen): skipped",
            )
            return None
        for answer in answers:
            if 0 < answer.fraction < _FULL:
                credit = f"partial credit ({answer.fraction:.0%}) for {quoted(answer.text)}"
                warn(answer, f"{credit} is not kept: drill counts that choice wrong")
        answer_value: Any = right[0].text
    else:
        right = [a for a in answers if a.fraction > 0]
        if not right:
            warn(question, "no answer gives credit: skipped")
            return None
        answer_value = [a.text for a in right]
    fields: list[tuple[str, Any]] = [
        ("type", Word("choice")),
        ("prompt", question.text),
        ("choices", [_choice(a.text, a.feedback) for a in answers]),
        ("answer", answer_value),
    ]
    if not question.shuffle:
        fields.append(("shuffle", False))
    return fields


def _choice(text: str, why: str | None) -> Any:
    return {"text": text, "why": why} if why else text


def _true_false(question: Question, language: str, warn: Warn) -> list[tuple[str, Any]] | None:
    by_text = {a.text.strip().lower(): a for a in question.answers}
    true, false = by_text.get("true"), by_text.get("false")
    if true is None or false is None:
        warn(question, "a true/false question needs a `true` and a `false` answer: skipped")
        return None
    if true.fraction == false.fraction:
        warn(question, "neither `true` nor `false` is the right answer: skipped")
        return None
    labels = _TRUE_FALSE_LABELS.get(language.split("-")[0].lower(), _TRUE_FALSE_LABELS["en"])
    right = labels[0] if true.fraction > false.fraction else labels[1]
    return [
        ("type", Word("choice")),
        ("prompt", question.text),
        ("choices", [_choice(labels[0], true.feedback), _choice(labels[1], false.feedback)]),
        ("answer", right),
        ("shuffle", False),
    ]


def _full_credit(question: Question, warn: Warn, what: str) -> list[Answer]:
    """Answers that earn full credit; partial ones are warned about (drill is right or
    wrong), and feedback on answers too (a typed card has only ``explain``)."""
    full = []
    for answer in question.answers:
        if answer.fraction >= _FULL:
            full.append(answer)
        elif answer.fraction > 0:
            credit = f"partial credit ({answer.fraction:.0%}) for {quoted(answer.text)}"
            warn(answer, f"{credit} is not kept: drill accepts only full-credit {what}")
    if any(a.feedback for a in question.answers if a.text != "*"):
        warn(question, "feedback on its answers is not kept: a typed card has only `explain`")
    return full


def _short_answer(question: Question, language: str, warn: Warn) -> list[tuple[str, Any]] | None:
    accepted: list[str] = []
    for answer in _full_credit(question, warn, "answers"):
        if "*" in answer.text:
            wildcard = "uses Moodle's `*` wildcard, which drill cannot match: left out"
            warn(answer, f"{quoted(answer.text)} {wildcard}")
        elif answer.text and answer.text not in accepted:
            accepted.append(answer.text)
    if not accepted:
        warn(question, "no answer gives full credit: skipped")
        return None
    if len(accepted) > 100:
        warn(question, f"{len(accepted)} accepted answers; a typed card takes at most 100: skipped")
        return None
    return [
        ("type", Word("typed")),
        ("prompt", question.text),
        ("answer", accepted[0] if len(accepted) == 1 else accepted),
    ]


def _numerical(question: Question, language: str, warn: Warn) -> list[tuple[str, Any]] | None:
    values: list[tuple[Decimal, Decimal, Answer]] = []
    for answer in _full_credit(question, warn, "numbers"):
        if answer.text == "*":
            continue
        number = decimal_of(answer.text)
        tolerance = decimal_of(answer.tolerance or "0")
        if number is None or tolerance is None or tolerance < 0:
            given = f"{quoted(answer.text)} with tolerance {quoted(answer.tolerance or '0')}"
            warn(answer, f"{given} is not a number drill can check: skipped")
            return None
        values.append((number, tolerance, answer))
    if not values:
        warn(question, "no number gives full credit: skipped")
        return None
    number, tolerance, _ = values[0]
    for other, other_tolerance, answer in values[1:]:
        if (other, other_tolerance) != (number, tolerance):
            left_out = f"another full-credit number ({number_text(other)}) is left out"
            warn(answer, f"{left_out}: a typed card takes one number and a tolerance")
    fields: list[tuple[str, Any]] = [
        ("type", Word("typed")),
        ("prompt", question.text),
        ("answer", Number(number_text(number))),
    ]
    if tolerance > 0:
        fields.append(("tolerance", Number(number_text(tolerance))))
    return fields


def _ordering(question: Question, language: str, warn: Warn) -> list[tuple[str, Any]] | None:
    if not _distinct_texts(question, question.answers, "items", 2, 12, warn):
        return None
    if any(a.feedback for a in question.answers):
        warn(question, "feedback on its items is not kept: an order card has only `explain`")
    return [
        ("type", Word("order")),
        ("prompt", question.text),
        ("steps", [a.text for a in question.answers]),
    ]


def _distinct_texts(
    question: Question, answers: Sequence[Answer], noun: str, low: int, high: int, warn: Warn
) -> bool:
    """Whether the answers can be a card's choices or steps: each with text, all different,
    ``low`` to ``high`` of them."""
    if not low <= len(answers) <= high:
        warn(question, f"{len(answers)} {noun}; drill takes {low} to {high}: skipped")
        return False
    seen: set[str] = set()
    for answer in answers:
        if not answer.text:
            warn(
                answer,
                "an answer with no text drill can show (images are not imported):"
                " skipped the question",
            )
            return False
        if answer.text in seen:
            warn(answer, f"two {noun} read {quoted(answer.text)}: skipped the question")
            return False
        seen.add(answer.text)
    return True


def _without_controls(question: Question, warn: Warn) -> Question:
    """The question with control characters dropped from every text (SPEC 1), and a warning at
    each place that had any."""

    def clean(text: str | None, where: Question | Answer) -> str | None:
        if text is None:
            return None
        found = control_characters(text)
        if not found:
            return text
        warn(where, f"control character{'s' * (len(found) > 1)} {', '.join(found)} dropped")
        return without_controls(text)

    answers = tuple(
        a._replace(text=clean(a.text, a) or "", feedback=clean(a.feedback, a))
        for a in question.answers
    )
    return question._replace(
        name=clean(question.name, question),
        text=clean(question.text, question) or "",
        general_feedback=clean(question.general_feedback, question),
        answers=answers,
    )


def _too_long(fields: list[tuple[str, Any]]) -> str | None:
    """The first field whose text is longer than a deck allows, if any."""
    for key, value in fields:
        items = value if isinstance(value, list) else [value]
        for item in items:
            texts = item.values() if isinstance(item, dict) else [item]
            if any(isinstance(t, str) and len(t) > MAX_TEXT for t in texts):
                return {"prompt": "text", "explain": "general feedback"}.get(key, key)
    return None


def _with_id(card: _Card, used: set[str]) -> _Card:
    """The card with an id: its question's name made valid (else Moodle's id number, else
    derived as drill derives one), made unique with ``-2``, ``-3``... Ids stay stable when the
    bank is imported again."""
    question = card.question
    name = question.name or question.idnumber or ""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = _NOT_IN_ID.sub("-", ascii_name).strip("-.")[:90]
    if not base:
        fields = dict(card.fields)
        base = derived_card_id(fields["type"].text, fields["prompt"])
    card_id, n = base, 1
    while card_id in used:
        n += 1
        card_id = f"{base}-{n}"
    used.add(card_id)
    return card._replace(fields=[("id", card_id), *card.fields])


def _tags(questions: Sequence[Question]) -> list[str]:
    """The last part of each category the questions came from (Moodle's ``$course$`` and
    ``top`` levels say nothing), as the deck's tags."""
    tags: list[str] = []
    for question in questions:
        parts = [p.strip() for p in (question.category or "").split("/")]
        parts = [p for p in parts if p and not p.startswith("$") and p != "top"]
        tag = without_controls(parts[-1])[:100] if parts else ""
        if tag and tag not in tags:
            tags.append(tag)
    return tags


# --- YAML ------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """A double-quoted YAML scalar: JSON's string escapes are YAML's, plus the few characters
    YAML may not hold raw (or would read as line breaks)."""
    return _UNPRINTABLE.sub(_escape, json.dumps(value, ensure_ascii=False))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Number | Word):
        return value.text
    return _text(value)


def _yaml(header: DeckHeader, tags: list[str], cards: Sequence[_Card]) -> tuple[str, list[int]]:
    """The deck as YAML, and the line each card starts on."""
    lines = [
        "# Imported by `drill import`: check it with `drill validate`, then edit freely.",
        f"id: {header.id}",
        f"title: {_text(header.title)}",
    ]
    if header.description:
        lines.append(f"description: {_text(header.description)}")
    lines.append(f"language: {_text(header.language)}")
    if tags:
        lines.append(f"tags: [{', '.join(_text(t) for t in tags)}]")
    lines.append("cards:")
    starts: list[int] = []
    for card in cards:
        lines.append("")
        starts.append(len(lines) + 1)
        for n, (key, value) in enumerate(card.fields):
            lead = "  - " if n == 0 else "    "
            if isinstance(value, list):
                lines.append(f"{lead}{key}:")
                for item in value:
                    if isinstance(item, dict):
                        pairs = list(item.items())
                        lines.append(f"      - {pairs[0][0]}: {_scalar(pairs[0][1])}")
                        lines.extend(f"        {k}: {_scalar(v)}" for k, v in pairs[1:])
                    else:
                        lines.append(f"      - {_scalar(item)}")
            else:
                lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n", starts


def _refused(text: str, starts: list[int], deck_id: str) -> dict[int, str]:
    """Cards the deck loader refuses, by index, each with its first problem; empty when the
    deck loads. A problem outside every card is a fault of this writer: it is raised."""
    result = load_text(text, f"{deck_id}.yaml")
    refused: dict[int, str] = {}
    for problem in result.problems:
        index = bisect.bisect_right(starts, problem.line) - 1
        if index < 0:
            raise AssertionError(f"the imported deck's header is invalid: {problem}")
        refused.setdefault(index, problem.message)
    return refused
