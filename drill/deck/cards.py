"""Cards as a deck file writes them: which keys each type takes, how a card's type is told
from its keys, and how each is read into its ``drill.deck.model`` value (SPEC section 1).

Every problem is reported at the node that caused it; a card with any problem is not built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from drill.deck.calls import Turns
from drill.deck.fields import (
    INVALID,
    TEXT,
    Boolean,
    ChoiceAnswer,
    Choices,
    Kind,
    Number,
    Pattern,
    Report,
    Spec,
    Text,
    TextList,
    TypedAnswer,
    mapping_schema,
    quoted,
    read_list,
    read_mapping,
)
from drill.deck.model import (
    CARD_TYPES,
    BreathingCard,
    CallCard,
    Card,
    CardType,
    ChoiceCard,
    Flashcard,
    OrderCard,
    TypedCard,
    plain_number,
)
from drill.deck.yamltree import MAPPING, Node

CARD_ID_PATTERN: Final = r"[A-Za-z0-9._-]{1,100}"

TIME_LIMIT: Final = Number(0, 3600, unit=" of seconds")

COMMON_FIELDS: Final = {
    "id": Spec(
        Text(CARD_ID_PATTERN, "use letters, digits, `-`, `_` and `.` only"),
        "Unique in the deck; progress is kept by it. Derived from type and prompt when absent.",
    ),
    "type": Spec(
        Text("|".join(CARD_TYPES), "one of " + ", ".join(CARD_TYPES)),
        "Card type; optional where the fields make it unambiguous.",
    ),
    "explain": Spec(TEXT, "Shown after answering: why the answer is right."),
    "time_limit": Spec(TIME_LIMIT, "Seconds for this card, overriding the deck's; 0 = untimed."),
}

TYPE_FIELDS: Final[dict[CardType, dict[str, Spec]]] = {
    "flashcard": {
        "front": Spec(TEXT, "What the trainee sees first.", required=True),
        "back": Spec(TEXT, "Revealed on request; the trainee rates their recall.", required=True),
    },
    "choice": {
        "prompt": Spec(TEXT, "The question.", required=True),
        "choices": Spec(Choices(), "2-26 choices: text, or {text, why}.", required=True),
        "answer": Spec(
            ChoiceAnswer(),
            "The right choice's text, or a list of them (select all that apply).",
            required=True,
        ),
        "shuffle": Spec(Boolean(), "Shuffle the choices when shown (default true)."),
    },
    "order": {
        "prompt": Spec(TEXT, "The instruction.", required=True),
        "steps": Spec(
            TextList(2, 12, noun="steps"), "2-12 steps in the right order.", required=True
        ),
    },
    "typed": {
        "prompt": Spec(TEXT, "The question.", required=True),
        "answer": Spec(
            TypedAnswer(),
            "A number, a text, or a list of accepted texts.",
            required=True,
        ),
        "tolerance": Spec(Number(0, 1e12), "For a numeric answer: how far off still counts."),
    },
    "breathing": {
        "prompt": Spec(TEXT, "What to tell the trainee before the exercise."),
        "pattern": Spec(
            Pattern(), "Seconds of [in, hold, out] or [in, hold, out, hold].", required=True
        ),
        "cycles": Spec(Number(1, 100, integer=True), "How many breaths (default 4)."),
    },
    "call": {
        "prompt": Spec(TEXT, "The scene: who is calling, and why.", required=True),
        "turns": Spec(
            Turns(),
            "1-20 turns; the first opens the call. Each turn has an id, what the `customer`"
            " says and 2-6 `replies` ({text, good, why, next}).",
            required=True,
        ),
    },
}

_FIELD_OWNER: Final = {
    key: card_type
    for card_type, fields in TYPE_FIELDS.items()
    for key in fields
    if key not in ("prompt", "answer")
}
"""Keys that by themselves say which card type is meant."""


def card_fields(card_type: CardType) -> dict[str, Spec]:
    """Every key a card of ``card_type`` may have (breathing cards are paced, never timed)."""
    common = {
        k: v for k, v in COMMON_FIELDS.items() if card_type != "breathing" or k != "time_limit"
    }
    return {**common, **TYPE_FIELDS[card_type]}


_CARD_FIELDS: Final = {card_type: card_fields(card_type) for card_type in CARD_TYPES}
"""``card_fields`` of each type, built once rather than for every card read."""


def _misplaced_keys(card_type: CardType) -> dict[str, str]:
    """Keys that belong to other card types, each with a note saying where it belongs."""
    owners = {k: f"it belongs to {t} cards" for k, t in _FIELD_OWNER.items() if t != card_type}
    if card_type == "breathing":
        owners["time_limit"] = "breathing cards are paced by `pattern`, never timed"
    return owners


_MISPLACED: Final = {card_type: _misplaced_keys(card_type) for card_type in CARD_TYPES}
_WHAT: Final = {
    "flashcard": "a flashcard",
    "choice": "a choice card",
    "order": "an order card",
    "typed": "a typed card",
    "breathing": "a breathing card",
    "call": "a call card",
}


def derived_card_id(card_type: str, prompt: str) -> str:
    """The id of a card that has none: stable while its type and prompt stay the same."""
    # 40 bits: two cards of a 10,000-card deck collide with odds of about 1 in 20,000.
    digest = _sha1(f"{card_type}\n{prompt}".encode()).hexdigest()[:10]
    return f"{card_type}-{digest}"


def _sha1(data: bytes) -> Any:
    """SHA-1 of ``data`` from CPython's own module: ``hashlib`` would first load OpenSSL
    (2 ms of every ``drill validate``); the digest is the same."""
    try:
        from _sha1 import sha1  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - another Python
        from hashlib import sha1
    return sha1(data)


def _value_node(mapping: Node, key: str) -> Node | None:
    for key_node, value_node in mapping.value:
        if key_node.value == key:
            found: Node = value_node
            return found
    return None


class CardList(Kind):
    """The deck's ``cards``: each card typed, read, cross-checked, and ids kept unique."""

    def read(self, node: Node, key: str, report: Report) -> Any:
        items = read_list(node, key, report, 1, 100_000, "cards")
        if items is None:
            return INVALID
        cards: list[Card] = []
        first_line: dict[str, int] = {}
        ok = True
        for item in items:
            card = _read_card(item, report)
            if card is None:
                ok = False
                continue
            if card.id in first_line:
                at = _value_node(item, "id") or item
                report(
                    at, f"duplicate card id `{card.id}` (first used on line {first_line[card.id]})"
                )
                ok = False
                continue
            first_line[card.id] = item.line
            cards.append(card)
        return tuple(cards) if ok else INVALID

    def schema(self) -> dict[str, Any]:
        variants = []
        for card_type in CARD_TYPES:
            shape = mapping_schema(card_fields(card_type))
            shape["properties"]["type"] = {"const": card_type}
            shape["title"] = f"{card_type} card"
            variants.append(shape)
        return {"type": "array", "minItems": 1, "items": {"anyOf": variants}}


def _card_type(node: Node, report: Report) -> CardType | None:
    """The card's type: its ``type`` key, or the one its fields make unambiguous."""
    keys: list[str] = []
    for key_node, value_node in node.value:
        if key_node.value == "type":
            value = COMMON_FIELDS["type"].kind.read(value_node, "type", report)
            return None if value is INVALID else value
        keys.append(key_node.value)
    owners = sorted({_FIELD_OWNER[k] for k in keys if k in _FIELD_OWNER})
    if not owners:  # a misspelt key (`choises`, `answr`) still says what was meant
        known = [*COMMON_FIELDS, "prompt", "answer", *_FIELD_OWNER]
        for i, key in enumerate(keys):
            if key not in known:  # matched against every key, so `promt` means `prompt`
                import difflib  # only for an unknown key: it is not free to import

                keys[i] = next(iter(difflib.get_close_matches(key, known, 1)), key)
        owners = sorted({_FIELD_OWNER[k] for k in keys if k in _FIELD_OWNER})
    if len(owners) == 1:
        return owners[0]
    if len(owners) > 1:
        report(
            node,
            f"cannot tell the card type: it has fields of {' and '.join(owners)} cards;"
            " add `type:`",
        )
        return None
    if "answer" in keys:
        return "typed"
    report(node, f"cannot tell the card type; add `type:` (one of {', '.join(CARD_TYPES)})")
    return None


def _read_card(node: Node, report: Report) -> Card | None:
    if node.kind != MAPPING:
        read_mapping(node, {}, report, "a card")
        return None
    card_type = _card_type(node, report)
    if card_type is None:
        return None
    values = read_mapping(
        node, _CARD_FIELDS[card_type], report, _WHAT[card_type], _MISPLACED[card_type]
    )
    if values is None:
        return None
    return _BUILDERS[card_type](node, values, report)


def _common(node: Node, values: dict[str, Any], card_type: str, prompt: str) -> dict[str, Any]:
    return {
        "id": values.get("id") or derived_card_id(card_type, prompt),
        "explain": values.get("explain"),
        "time_limit": None if "time_limit" not in values else float(values["time_limit"]),
        "line": node.line,
    }


def _flashcard(node: Node, values: dict[str, Any], report: Report) -> Card | None:
    return Flashcard(
        **_common(node, values, "flashcard", values["front"]),
        front=values["front"],
        back=values["back"],
    )


def _choice(node: Node, values: dict[str, Any], report: Report) -> Card | None:
    choices = values["choices"]
    texts = [c.text for c in choices]
    answer_texts, answer_nodes = values["answer"]
    indexes: list[int] = []
    for text, at in zip(answer_texts, answer_nodes, strict=True):
        if text in texts:
            indexes.append(texts.index(text))
            continue
        import difflib  # only for a wrong answer: it is not free to import

        close = difflib.get_close_matches(text, texts, n=1, cutoff=0.6)
        hint = f"; did you mean {quoted(close[0])}?" if close else ""
        report(at, f"answer {quoted(text)} is not one of the choices{hint}")
    if len(indexes) != len(answer_texts):
        return None
    answer_node = _value_node(node, "answer")
    return ChoiceCard(
        **_common(node, values, "choice", values["prompt"]),
        prompt=values["prompt"],
        choices=choices,
        answers=tuple(sorted(indexes)),
        multiple=answer_node is not None and answer_node.kind != 0,
        shuffle=values.get("shuffle", True),
    )


def _order(node: Node, values: dict[str, Any], report: Report) -> Card | None:
    return OrderCard(
        **_common(node, values, "order", values["prompt"]),
        prompt=values["prompt"],
        steps=values["steps"],
    )


def _typed(node: Node, values: dict[str, Any], report: Report) -> Card | None:
    answer = values["answer"]
    number = None if isinstance(answer, tuple) else float(answer)
    if "tolerance" in values and number is None:
        at = _value_node(node, "tolerance") or node
        report(at, "`tolerance` applies only to a numeric `answer`")
        return None
    return TypedCard(
        **_common(node, values, "typed", values["prompt"]),
        prompt=values["prompt"],
        accepted=answer if number is None else (str(plain_number(answer)),),
        number=number,
        tolerance=float(values.get("tolerance", 0)),
    )


def _breathing(node: Node, values: dict[str, Any], report: Report) -> Card | None:
    pattern = values["pattern"]
    cycles = int(values.get("cycles", 4))
    prompt = values.get("prompt")
    identity = prompt or "-".join(str(plain_number(p)) for p in pattern) + f" x{cycles}"
    return BreathingCard(
        **_common(node, values, "breathing", identity),
        prompt=prompt,
        pattern=pattern,
        cycles=cycles,
    )


def _call(node: Node, values: dict[str, Any], report: Report) -> Card | None:
    return CallCard(
        **_common(node, values, "call", values["prompt"]),
        prompt=values["prompt"],
        turns=values["turns"],
    )


_BUILDERS: Final[dict[str, Callable[[Node, dict[str, Any], Report], Card | None]]] = {
    "flashcard": _flashcard,
    "choice": _choice,
    "order": _order,
    "typed": _typed,
    "breathing": _breathing,
    "call": _call,
}
