"""xAPI 1.0.3 statements from recorded answers and finished exams (SPEC 10), as pure functions.

One statement per answer, with the ADL verb ``answered``: the actor an Agent identified by an
``account`` (the learner's name on the ``--xapi-homepage`` system); the object the card, an
Activity whose id is an IRI for the deck and card and whose definition is a ``cmi.interaction``;
the result's ``success``, ``response`` (in the interaction type's own format) and ``duration``;
``context.registration`` a UUID of the session and the deck as the parent activity. Each
finished exam adds one ``passed`` or ``failed`` statement with ``result.score.scaled``, the
exam's score against its planned cards (SPEC 4).

Interaction types: choice -> ``choice`` (each choice an interaction component; the response is
the chosen ids joined by ``[,]``); order -> ``sequencing`` (the steps are the components, the
response their ids in the order given); typed text -> ``fill-in`` (every accepted answer is a
correct pattern); typed number -> ``numeric`` (``min[:]max`` when a tolerance allows a range);
flashcard -> ``other`` (the response is the self-rating); a call -> ``performance`` (each turn a
step, the response ``turn[.]reply`` pairs along the path taken; no correct pattern, as the spec
advises when the right paths cannot be listed exhaustively); a card no longer found in any deck
-> ``other`` with the answer as stored. A breathing exercise is not a question: its statement has
the verb ``attempted`` and ``result.completion`` (done or skipped), no success and no score.

Statement ids are UUIDv5s in a fixed drill namespace from the session, deck, card and answer
instant (an exam's from its session), so exporting the same answers twice gives the same ids and
a learning record store keeps one copy. Nothing here reads a store or a file.
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Final, NamedTuple
from urllib.parse import quote, urlsplit

from drill.clock import format_instant, parse_instant
from drill.deck.model import (
    BreathingCard,
    Card,
    ChoiceCard,
    Deck,
    Flashcard,
    OrderCard,
    TypedCard,
    plain_number,
)

NAMESPACE: Final = uuid.UUID("7d1e3c52-5b0e-4c57-9a43-2f7c7b1c8e01")
"""drill's own UUIDv5 namespace: never change it, or every statement id changes with it."""
DEFAULT_HOMEPAGE: Final = "https://drill.invalid"
"""The accounts' system when none is given: a reserved name that can never be a real one."""
INTERACTION: Final = "http://adlnet.gov/expapi/activities/cmi.interaction"
ASSESSMENT: Final = "http://adlnet.gov/expapi/activities/assessment"
_VERBS: Final = {
    name: {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {"en-US": name}}
    for name in ("answered", "attempted", "passed", "failed")
}
_UNDETERMINED: Final = "und"
"""RFC 5646's tag for text whose language is not known (a card no deck holds any more)."""
_NAME_LENGTH: Final = 80


class Answered(NamedTuple):
    """One recorded answer, with the fields (and order) of ``drill export``'s columns; the
    learner and card type are None where the store does not record them."""

    session: str
    deck: str
    card: str
    answered_at: str
    correct: int | bool | None
    rating: str | None
    latency_ms: int
    answer: str
    learner: str | None = None
    timed_out: int | bool = False
    card_type: str | None = None


class FinishedExam(NamedTuple):
    """A finished exam: its verdict and right answers against the cards it planned."""

    session: str
    learner: str | None
    decks: Sequence[str]
    started_at: str
    ended_at: str
    planned: int
    correct: int
    passed: bool


def homepage_of(url: str | None) -> str:
    """The accounts' home page: an http(s) URL with a host and nothing after its path. Raises
    ValueError saying what is wrong."""
    if url is None:
        return DEFAULT_HOMEPAGE
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("it must be an http:// or https:// URL with a host")
    if parts.query or parts.fragment or re.search(r"[\s\x00-\x1f\x7f]", url.strip()):
        raise ValueError("it may not have a query, a fragment, spaces or control characters")
    return url.strip()


class Statements:
    """Builds statements for one export: the accounts' home page, the learner to name when a
    record has none, and the decks that describe the cards (by id)."""

    def __init__(self, homepage: str, default_learner: str, decks: Mapping[str, Deck]) -> None:
        self.homepage = homepage
        self.default_learner = default_learner
        self.decks = decks
        self._base = homepage.rstrip("/") + "/drill/decks/"
        self._cards: dict[str, dict[str, Card]] = {}
        self._definitions: dict[tuple[str, str], dict[str, Any]] = {}

    # --- answers -----------------------------------------------------------------------------

    def answer(self, record: Answered) -> dict[str, Any]:
        """The statement for one recorded answer."""
        deck = self.decks.get(record.deck)
        card = self._card(record.deck, record.card)
        result: dict[str, Any] = {}
        if record.correct is None:  # a breathing exercise: completed or skipped, never graded
            verb = _VERBS["attempted"]
            result["completion"] = record.answer == "done"
        else:
            verb = _VERBS["answered"]
            result["success"] = bool(record.correct)
            response = None if record.answer in ("", "skip") else _response(card, record.answer)
            if response:
                result["response"] = response
        result["duration"] = duration(record.latency_ms)
        context: dict[str, Any] = {
            "registration": registration(record.session),
            "contextActivities": {"parent": [self._deck_activity(record.deck)]},
            "platform": "drill",
        }
        if deck is not None:
            context["language"] = deck.language
        when = _instant(record.answered_at)
        return {
            "id": answer_id(record.session, record.deck, record.card, when),
            "actor": self._actor(record.learner),
            "verb": verb,
            "object": {
                "objectType": "Activity",
                "id": self.card_iri(record.deck, record.card),
                "definition": self._definition(record.deck, record.card, card),
            },
            "result": result,
            "context": context,
            "timestamp": when,
        }

    def card_iri(self, deck: str, card: str) -> str:
        """The card's activity id: the deck's, then ``/cards/`` and the card id."""
        return f"{self.deck_iri(deck)}/cards/{quote(card, safe='')}"

    def deck_iri(self, deck: str) -> str:
        """The deck's activity id: ``HOMEPAGE/drill/decks/DECK``."""
        return self._base + quote(deck, safe="")

    def _card(self, deck_id: str, card_id: str) -> Card | None:
        deck = self.decks.get(deck_id)
        if deck is None:
            return None
        cards = self._cards.get(deck_id)
        if cards is None:
            cards = self._cards[deck_id] = {card.id: card for card in deck.cards}
        return cards.get(card_id)

    def _deck_activity(self, deck_id: str) -> dict[str, Any]:
        activity: dict[str, Any] = {"objectType": "Activity", "id": self.deck_iri(deck_id)}
        deck = self.decks.get(deck_id)
        if deck is not None:
            activity["definition"] = {"name": {deck.language: deck.title}}
        return activity

    def _actor(self, learner: str | None) -> dict[str, Any]:
        name = learner or self.default_learner
        return {"objectType": "Agent", "account": {"homePage": self.homepage, "name": name}}

    def _definition(self, deck_id: str, card_id: str, card: Card | None) -> dict[str, Any]:
        key = (deck_id, card_id)
        definition = self._definitions.get(key)
        if definition is None:
            deck = self.decks.get(deck_id)
            language = deck.language if deck is not None and card is not None else _UNDETERMINED
            definition = self._definitions[key] = _definition(card, card_id, language)
        return definition

    # --- exams -------------------------------------------------------------------------------

    def exam(self, exam: FinishedExam) -> dict[str, Any]:
        """The ``passed`` or ``failed`` statement of a finished exam."""
        decks = [self.decks.get(d) for d in exam.decks]
        language = next((d.language for d in decks if d is not None), _UNDETERMINED)
        titles = [d.title if d is not None else i for d, i in zip(decks, exam.decks, strict=True)]
        result: dict[str, Any] = {}
        if exam.planned:
            result["score"] = {
                "scaled": exam.correct / exam.planned,
                "raw": exam.correct,
                "min": 0,
                "max": exam.planned,
            }
        result["success"] = bool(exam.passed)
        result["completion"] = True
        started, ended = parse_instant(exam.started_at), parse_instant(exam.ended_at)
        result["duration"] = duration(max(0, round((ended - started).total_seconds() * 1000)))
        ids = "+".join(quote(d, safe="") for d in exam.decks)
        return {
            "id": str(uuid.uuid5(NAMESPACE, f"exam/{exam.session}")),
            "actor": self._actor(exam.learner),
            "verb": _VERBS["passed" if exam.passed else "failed"],
            "object": {
                "objectType": "Activity",
                "id": self._base + ids,
                "definition": {
                    "type": ASSESSMENT,
                    "name": {language: " + ".join(titles) or "exam"},
                },
            },
            "result": result,
            "context": {"registration": registration(exam.session), "platform": "drill"},
            "timestamp": format_instant(ended),
        }


def in_time_order(
    records: Iterable[Answered], exams: Iterable[FinishedExam], build: Statements
) -> Iterator[dict[str, Any]]:
    """Every answer's statement, oldest first as ``records`` come, with each exam's statement
    after the answers given before it ended (the answers of its own session among them, even
    when the last one fell in the same millisecond)."""
    pending = iter(sorted(exams, key=lambda exam: _instant(exam.ended_at)))
    exam = next(pending, None)
    for record in records:
        answered_at = _instant(record.answered_at)
        while exam is not None and _instant(exam.ended_at) < answered_at:
            yield build.exam(exam)
            exam = next(pending, None)
        yield build.answer(record)
    while exam is not None:
        yield build.exam(exam)
        exam = next(pending, None)


# --- pure helpers ----------------------------------------------------------------------------


def answer_id(session: str, deck: str, card: str, answered_at: str) -> str:
    """An answer's statement id: the same for the same answer in every export."""
    return str(uuid.uuid5(NAMESPACE, f"answer/{session}/{deck}/{card}/{answered_at}"))


@functools.lru_cache(maxsize=1024)  # a session's answers come together
def registration(session: str) -> str:
    """The session's registration: the same UUID in every statement of the session."""
    return str(uuid.uuid5(NAMESPACE, session))


def duration(milliseconds: int | float) -> str:
    """An ISO 8601 duration (section 4.4.3.2 form) to the 0.01 s xAPI asks for: ``PT4.2S``,
    ``PT1M5S``, ``PT0S``."""
    centis = round(max(0.0, float(milliseconds)) / 10)
    hours, centis = divmod(centis, 360_000)
    minutes, centis = divmod(centis, 6_000)
    seconds = f"{centis // 100}.{centis % 100:02d}".rstrip("0").rstrip(".")
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if seconds != "0" or text == "PT":
        text += f"{seconds}S"
    return text


def _instant(text: str | datetime) -> str:
    """An instant as the store keeps it, in one canonical form (millisecond precision, Z)."""
    value = text if isinstance(text, datetime) else parse_instant(text)
    return format_instant(value)


def _map(language: str, text: str) -> dict[str, str]:
    return {language: text}


def _name(text: str) -> str:
    """A card's display name: the first line of its prompt, cut short."""
    line = text.strip().splitlines()[0] if text.strip() else text
    return line if len(line) <= _NAME_LENGTH else line[: _NAME_LENGTH - 1] + "…"


@functools.lru_cache(maxsize=4096)  # each card's, for its definition and every response
def component_ids(texts: tuple[str, ...]) -> tuple[str, ...]:
    """Interaction component ids for a card's choices or steps: from each text, so an id keeps
    meaning the same choice when a trainer reorders them; distinct, without whitespace."""
    ids: list[str] = []
    for n, text in enumerate(texts):
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        ids.append(digest if digest not in ids else f"{digest}-{n}")
    return tuple(ids)


def _definition(card: Card | None, card_id: str, language: str) -> dict[str, Any]:
    """A card's activity definition; a ``cmi.interaction`` for every card that is a question."""
    if card is None:
        return {
            "type": INTERACTION,
            "name": _map(language, card_id),
            "interactionType": "other",
        }
    prompt = card.prompt_text or _breathing_name(card)
    definition: dict[str, Any] = {
        "name": _map(language, _name(prompt)),
        "description": _map(language, prompt),
    }
    if isinstance(card, BreathingCard):
        return definition  # an exercise, not an interaction
    definition["type"] = INTERACTION
    if isinstance(card, ChoiceCard):
        texts = tuple(choice.text for choice in card.choices)
        ids = component_ids(texts)
        definition["interactionType"] = "choice"
        definition["correctResponsesPattern"] = ["[,]".join(ids[i] for i in card.answers)]
        definition["choices"] = _components(ids, texts, language)
    elif isinstance(card, OrderCard):
        ids = component_ids(card.steps)
        definition["interactionType"] = "sequencing"
        definition["correctResponsesPattern"] = ["[,]".join(ids)]
        definition["choices"] = _components(ids, card.steps, language)
    elif isinstance(card, TypedCard) and card.number is not None:
        definition["interactionType"] = "numeric"
        definition["correctResponsesPattern"] = [_numeric_pattern(card.number, card.tolerance)]
    elif isinstance(card, TypedCard):
        definition["interactionType"] = "fill-in"
        definition["correctResponsesPattern"] = list(card.accepted)
    elif isinstance(card, Flashcard):
        definition["interactionType"] = "other"
    elif _turns(card) is not None:
        turns = _turns(card) or ()
        definition["interactionType"] = "performance"
        definition["steps"] = [
            {"id": turn.id, "description": _map(language, turn.customer)} for turn in turns
        ]
    else:
        definition["interactionType"] = "other"
    return definition


def _components(ids: Sequence[str], texts: Sequence[str], language: str) -> list[dict[str, Any]]:
    return [
        {"id": i, "description": _map(language, text)} for i, text in zip(ids, texts, strict=True)
    ]


def _breathing_name(card: Card) -> str:
    if isinstance(card, BreathingCard):
        pattern = "-".join(str(plain_number(p)) for p in card.pattern)
        return f"Breathing {pattern} x{card.cycles}"
    return card.id


def _numeric_pattern(number: float, tolerance: float) -> str:
    """``N``, or ``MIN[:]MAX`` when a tolerance allows a range; in decimal, so 3.1415 ± 0.0005
    is ``3.141[:]3.142`` and not a float's ``3.1409999999999996``."""
    from decimal import Decimal

    if not tolerance:
        return _plain(Decimal(repr(number)))
    low = Decimal(repr(number)) - Decimal(repr(tolerance))
    high = Decimal(repr(number)) + Decimal(repr(tolerance))
    return f"{_plain(low)}[:]{_plain(high)}"


def _plain(value: Any) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _turns(card: Card) -> Sequence[Any] | None:
    """A call card's turns (SPEC 9), read by shape so this module need not know the type."""
    turns = getattr(card, "turns", None)
    return turns if getattr(card, "type", None) == "call" and turns else None


def _response(card: Card | None, answer: str) -> str | None:
    """The answer in the response format of the card's interaction type, or None when it
    cannot be written in it (a choice text the deck no longer has, a reply with no number)."""
    if card is None or isinstance(card, Flashcard):
        return answer
    if isinstance(card, ChoiceCard):
        texts = tuple(choice.text for choice in card.choices)
        picked = _known_parts(answer, texts, " | ")
        ids = component_ids(texts)
        return None if picked is None else "[,]".join(ids[i] for i in sorted(picked))
    if isinstance(card, OrderCard):
        order = _known_parts(answer, card.steps, " > ")
        ids = component_ids(card.steps)
        return None if order is None else "[,]".join(ids[i] for i in order)
    if isinstance(card, TypedCard) and card.number is not None:
        from drill.grading import first_number

        value = first_number(answer)
        return None if value is None else str(plain_number(value))
    if isinstance(card, TypedCard):
        return answer
    turns = _turns(card)
    if turns is not None:
        return _performance(turns, answer)
    return answer


def _known_parts(answer: str, texts: Sequence[str], separator: str) -> list[int] | None:
    """Indexes of ``texts`` that, joined by ``separator``, make ``answer`` (a text may itself
    contain the separator); None when the answer is not made of them."""
    if not answer:
        return []
    index = {text: n for n, text in enumerate(texts)}
    for text, n in index.items():
        if answer == text:
            return [n]
        if answer.startswith(text + separator):
            rest = _known_parts(answer[len(text) + len(separator) :], texts, separator)
            if rest is not None and rest:
                return [n, *rest]
    return None


def _performance(turns: Sequence[Any], answer: str) -> str | None:
    """A call's replies (joined by `` > `` as stored) as ``turn[.]reply`` steps along the path
    they took through the call, or None when they do not follow it."""
    by_id = {turn.id: turn for turn in turns}
    turn = turns[0]
    steps: list[str] = []
    rest = answer
    while turn is not None and rest:
        reply = next(
            (r for r in turn.replies if rest == r.text or rest.startswith(r.text + " > ")), None
        )
        if reply is None:
            return None
        steps.append(f"{turn.id}[.]{reply.text}")
        rest = rest[len(reply.text) + 3 :]
        turn = by_id.get(reply.next) if reply.next else None
    return "[,]".join(steps) if not rest else None
