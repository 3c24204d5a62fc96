"""The kinds of value a deck field holds, each knowing how to read itself and describe itself.

Reading (YAML node to checked value, or a located problem) and the JSON Schema of ``drill schema``
come from the same objects, so the editor's idea of a valid deck and the loader's cannot drift
apart. Scalars arrive as the text the author wrote (see ``yamltree``); only here, where the field
says a number or a boolean is expected, is a plain scalar read as one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, Final, NamedTuple

from drill.deck.model import Choice
from drill.deck.yamltree import MAPPING, SCALAR, SEQUENCE, Node
from drill.escapes import first_control, visible

INVALID: Final = object()
"""Returned by a read that reported a problem; the caller skips what depends on the value."""

_NULLS: Final = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE: Final = frozenset({"true", "True", "TRUE"})
_FALSE: Final = frozenset({"false", "False", "FALSE"})
_NUMBER: Final = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INTEGER: Final = re.compile(r"[-+]?[0-9]+")
_KIND_NAMES: Final = {SCALAR: "text", SEQUENCE: "a list", MAPPING: "a mapping"}

Report = Callable[[Node, str], None]
"""How a kind reports a problem at a node."""


def quoted(text: str, limit: int = 60) -> str:
    """``text`` in backticks for a message, cut short and with control characters escaped: a
    problem line stays one readable line even when the offending value is a 5,000-digit number,
    a whole paragraph or an escape sequence."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"`{visible(text)}`"


KEY_EXCERPT: Final = 24
"""Characters of an unknown key quoted in its message: enough to see the misspelling, and
no more of whatever file was read as a deck (a linked ``/etc/shadow`` is all "keys")."""


def is_null(node: Node) -> bool:
    """A plain scalar YAML would read as null: an empty value, ``~`` or ``null``."""
    return node.plain and node.value in _NULLS


def number_of(node: Node) -> float | int | None:
    """The number a plain scalar spells, or None (quoted text is never a number).

    Only finite numbers a float can hold count: 5,000 digits are more than ``int()`` converts
    (a ValueError) and 400 more than ``float()`` does (an OverflowError), and either would
    otherwise escape from the loader as a traceback."""
    if node.kind != SCALAR or not node.plain or not _NUMBER.fullmatch(node.value):
        return None
    try:
        value = int(node.value) if _INTEGER.fullmatch(node.value) else float(node.value)
        return value if math.isfinite(value) else None
    except (ValueError, OverflowError):
        return None


def _kind_name(node: Node) -> str:
    return _KIND_NAMES[node.kind]


class Kind:
    """A field's value kind: ``read`` checks a node, ``schema`` describes it for editors.

    Kinds are plain classes (not dataclasses): a few are built at import, and ``drill validate``
    should not pay for generating their methods.
    """

    __slots__ = ()

    def read(self, node: Node, key: str, report: Report) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError


class Text(Kind):
    """Free text; unquoted numbers and yes/no/on/off stay exactly as written (SPEC 1)."""

    __slots__ = ("_match", "max_length", "pattern", "pattern_hint")

    def __init__(self, pattern: str | None = None, pattern_hint: str = "",
                 max_length: int = 10_000) -> None:  # fmt: skip
        self.pattern = pattern
        self.pattern_hint = pattern_hint
        self.max_length = max_length
        self._match: Callable[[str], object] | None = None

    def read(self, node: Node, key: str, report: Report) -> Any:
        if node.kind != SCALAR:
            report(node, f"`{key}` must be text, not {_kind_name(node)}")
            return INVALID
        if node.plain and node.value in _NULLS:
            report(node, f"`{key}` has no value")
            return INVALID
        control = first_control(node.value)
        if control is not None:
            report(
                node,
                f"`{key}` holds the control character U+{ord(control):04X}: deck text must"
                " not drive the terminal (only newline and tab are allowed)",
            )
            return INVALID
        text = node.value.strip()
        if not text:
            report(node, f"`{key}` is empty")
            return INVALID
        if len(node.value) > self.max_length:  # as written, as the schema's maxLength counts
            report(node, f"`{key}` is longer than {self.max_length:,} characters")
            return INVALID
        if self.pattern is not None:
            if self._match is None:  # compiled on first use, not at import
                self._match = re.compile(self.pattern).fullmatch
            if not self._match(text):
                report(node, f"`{key}` {quoted(text)} is not valid: {self.pattern_hint}")
                return INVALID
        return text

    def schema(self) -> dict[str, Any]:
        if self.pattern is not None:
            return {"type": "string", "pattern": f"^(?:{self.pattern})$"}
        return {"$ref": "#/definitions/text"}


class Number(Kind):
    """A number written plain (quoted ``"30"`` is text, and an error here)."""

    __slots__ = ("integer", "maximum", "minimum", "unit")

    def __init__(self, minimum: float, maximum: float, integer: bool = False,
                 unit: str = "") -> None:  # fmt: skip
        self.minimum = minimum
        self.maximum = maximum
        self.integer = integer
        self.unit = unit

    def read(self, node: Node, key: str, report: Report) -> Any:
        value = number_of(node)
        if self.integer and isinstance(value, float) and value.is_integer():
            value = int(value)  # `4.0` is the whole number JSON Schema's "integer" accepts too
        if value is None or (self.integer and not isinstance(value, int)):
            what = "a whole number" if self.integer else "a number"
            shown = quoted(node.value) if node.kind == SCALAR else _kind_name(node)
            report(node, f"`{key}` must be {what}{self.unit}, not {shown}")
            return INVALID
        if not self.minimum <= value <= self.maximum:
            report(node, f"`{key}` must be between {self.minimum:g} and {self.maximum:g}")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {
            "type": "integer" if self.integer else "number",
            "minimum": self.minimum,
            "maximum": self.maximum,
        }


class Boolean(Kind):
    """``true`` or ``false`` (YAML 1.2 spelling; ``no``/``off`` are text, so an error here)."""

    def read(self, node: Node, key: str, report: Report) -> Any:
        if node.kind == SCALAR and node.plain and node.value in _TRUE:
            return True
        if node.kind == SCALAR and node.plain and node.value in _FALSE:
            return False
        report(node, f"`{key}` must be true or false")
        return INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


def read_list(
    node: Node, key: str, report: Report, minimum: int, maximum: int, noun: str
) -> list[Node] | None:
    """The items of a sequence node with a count in range, or None after reporting."""
    if node.kind != SEQUENCE:
        report(node, f"`{key}` must be a list of {noun}, not {_kind_name(node)}")
        return None
    items: list[Node] = node.value
    if len(items) < minimum:
        report(node, f"`{key}` needs at least {minimum} {noun}, found {len(items)}")
        return None
    if len(items) > maximum:
        report(node, f"`{key}` allows at most {maximum} {noun}, found {len(items)}")
        return None
    return items


def read_texts(
    items: list[Node], key: str, report: Report, unique: bool, noun: str
) -> list[str] | None:
    """Each item read as text; duplicates reported at the repeat when ``unique``."""
    texts: list[str] = []
    seen: set[str] = set()
    ok = True
    for item in items:
        text = TEXT.read(item, key, report)
        if text is INVALID:
            ok = False
            continue
        if unique and text in seen:
            report(item, f"duplicate {noun} {quoted(text)} in `{key}`")
            ok = False
        seen.add(text)
        texts.append(text)
    return texts if ok else None


class TextList(Kind):
    """A list of texts, e.g. tags or an order card's steps."""

    __slots__ = ("maximum", "minimum", "noun", "unique")

    def __init__(self, minimum: int = 0, maximum: int = 1000, unique: bool = True,
                 noun: str = "items") -> None:  # fmt: skip
        self.minimum = minimum
        self.maximum = maximum
        self.unique = unique
        self.noun = noun

    def read(self, node: Node, key: str, report: Report) -> Any:
        items = read_list(node, key, report, self.minimum, self.maximum, self.noun)
        if items is None:
            return INVALID
        texts = read_texts(items, key, report, self.unique, self.noun.rstrip("s"))
        return INVALID if texts is None else tuple(texts)

    def schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "items": {"$ref": "#/definitions/text"},
            "minItems": self.minimum,
            "maxItems": self.maximum,
        }


class Choices(Kind):
    """2-26 options, each text or ``{text, why}``; texts must differ."""

    def read(self, node: Node, key: str, report: Report) -> Any:
        items = read_list(node, key, report, 2, 26, "choices")
        if items is None:
            return INVALID
        choices: list[Choice] = []
        seen: set[str] = set()
        ok = True
        for item in items:
            choice = self._read_one(item, report)
            if choice is None:
                ok = False
                continue
            if choice.text in seen:
                report(item, f"duplicate choice {quoted(choice.text)}")
                ok = False
            seen.add(choice.text)
            choices.append(choice)
        return tuple(choices) if ok else INVALID

    @staticmethod
    def _read_one(item: Node, report: Report) -> Choice | None:
        if item.kind != MAPPING:
            text = TEXT.read(item, "choices", report)
            return None if text is INVALID else Choice(text)
        values = read_mapping(item, CHOICE_FIELDS, report, "a choice")
        if values is None:
            return None
        return Choice(values["text"], values.get("why"))

    def schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": 2,
            "maxItems": 26,
            "items": {
                "anyOf": [
                    {"$ref": "#/definitions/text"},
                    mapping_schema(CHOICE_FIELDS),
                ]
            },
        }


class ChoiceAnswer(Kind):
    """One choice's text, or a list of them (select all that apply).

    Read as (texts, their nodes): the loader reports an answer missing from the choices at
    the answer's own node.
    """

    ANSWERS = TextList(1, 26, noun="answers")

    def read(self, node: Node, key: str, report: Report) -> Any:
        if node.kind == SEQUENCE:
            texts = self.ANSWERS.read(node, key, report)
            return INVALID if texts is INVALID else (texts, tuple(node.value))
        text = TEXT.read(node, key, report)
        return INVALID if text is INVALID else ((text,), (node,))

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [TEXT.schema(), self.ANSWERS.schema()]}


class TypedAnswer(Kind):
    """A number (plain), a text, or a list of accepted texts."""

    ACCEPTED = TextList(1, 100, noun="accepted answers")

    def read(self, node: Node, key: str, report: Report) -> Any:
        if node.kind == SEQUENCE:
            return self.ACCEPTED.read(node, key, report)
        value = number_of(node)
        if value is not None:
            return value
        text = TEXT.read(node, key, report)
        return INVALID if text is INVALID else (text,)

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "number"}, TEXT.schema(), self.ACCEPTED.schema()]}


class Pattern(Kind):
    """Breathing phases in seconds: ``[in, hold, out]`` or ``[in, hold, out, hold]``."""

    def read(self, node: Node, key: str, report: Report) -> Any:
        items = read_list(node, key, report, 3, 4, "phases")
        if items is None:
            return INVALID
        phases = [PHASE.read(item, key, report) for item in items]
        if INVALID in phases:
            return INVALID
        if phases[0] <= 0 or phases[2] <= 0:
            report(node, f"`{key}`: breathing in and out must each last more than 0 seconds")
            return INVALID
        return tuple(float(p) for p in phases)

    def schema(self) -> dict[str, Any]:
        breath = {**PHASE.schema(), "exclusiveMinimum": 0}  # in and out: more than 0 s
        return {
            "type": "array",
            "items": [breath, PHASE.schema(), breath, PHASE.schema()],
            "minItems": 3,
            "maxItems": 4,
        }


class Spec(NamedTuple):
    """A field of a mapping: its kind, whether it must be present, and its editor help."""

    kind: Kind
    doc: str
    required: bool = False


TEXT: Final = Text()
PHASE: Final = Number(0, 60, unit=" of seconds")
CHOICE_FIELDS: Final = {
    "text": Spec(TEXT, "The choice as shown.", required=True),
    "why": Spec(TEXT, "Feedback shown after answering when this choice was picked."),
}


def read_mapping(
    node: Node,
    specs: dict[str, Spec],
    report: Report,
    what: str,
    owners: dict[str, str] | None = None,
) -> dict[str, Any] | None:
    """Each key of a mapping read by its spec; unknown and missing keys reported.

    Returns None when the node is not a mapping or any problem was found, so callers build
    nothing from a half-read mapping.
    """
    if node.kind != MAPPING:
        report(node, f"{what} must be a mapping of keys to values, not {_kind_name(node)}")
        return None
    values: dict[str, Any] = {}
    ok = True
    meant: set[str] = set()
    """Keys that an unknown key was probably meant as: not reported missing as well."""
    for key_node, value_node in node.value:
        key = key_node.value
        spec = specs.get(key)
        if spec is None:
            report(key_node, unknown_key_message(key, specs, what, owners or {}))
            if key not in (owners or {}):
                meant.update(_close_keys(key, specs))
            ok = False
            continue
        value = spec.kind.read(value_node, key, report)
        if value is INVALID:
            ok = False
        else:
            values[key] = value
    for key, spec in specs.items():
        if (
            spec.required
            and key not in values
            and key not in meant
            and not any(k.value == key for k, _ in node.value)
        ):
            report(node, f"{what} is missing `{key}`")
            ok = False
    return values if ok else None


def mapping_schema(specs: dict[str, Spec]) -> dict[str, Any]:
    """JSON Schema of a mapping read with ``read_mapping`` over ``specs``."""
    return {
        "type": "object",
        "properties": {
            key: {**spec.kind.schema(), "description": spec.doc} for key, spec in specs.items()
        },
        "required": [key for key, spec in specs.items() if spec.required],
        "additionalProperties": False,
    }


def unknown_key_message(
    key: str, allowed: dict[str, Spec], what: str, owners: dict[str, str]
) -> str:
    """Names the unknown key and the key that was probably meant, or why it does not belong.

    ``owners`` maps keys that are valid elsewhere to a note saying where they belong.
    """
    if key in owners:
        return f"unknown key {quoted(key, KEY_EXCERPT)} in {what} ({owners[key]})"
    close = _close_keys(key, allowed)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    return f"unknown key {quoted(key, KEY_EXCERPT)} in {what}{hint}"


def _close_keys(key: str, allowed: dict[str, Spec]) -> list[str]:
    """The allowed key ``key`` was most likely meant as (none, or one)."""
    import difflib  # only on the error path: it is not free to import

    return difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
