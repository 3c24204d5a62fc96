"""What a loaded deck is: immutable values the rest of drill can trust without re-checking.

Every invariant of SPEC section 1 (counts, uniqueness, answers among choices) is enforced by the
loader before one of these is built, so grading and the front ends never meet a malformed card.

They are ``NamedTuple``s rather than frozen dataclasses: as immutable and comparable, but built
without ``dataclasses`` (whose import and class generation cost ``drill validate`` more than all
of its own work on a small deck) and cheap to write to and read from the deck load cache.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

CardType = Literal["flashcard", "choice", "order", "typed", "breathing", "call"]
CARD_TYPES: tuple[CardType, ...] = ("flashcard", "choice", "order", "typed", "breathing", "call")

DEFAULT_TIME_LIMIT = 30.0
UNTIMED_RATING_LIMIT = 30.0
"""The L of SPEC 2's rating map for an untimed card."""


class Choice(NamedTuple):
    """One option of a choice card; ``why`` is shown after answering when it was chosen."""

    text: str
    why: str | None = None


# Every card type starts with the same four fields: id, explain, time_limit (None means the
# deck's default applies) and line (where the card starts in its file). ``type`` is a
# property, not a field (a named tuple may not hold plain class attributes).


class Flashcard(NamedTuple):
    """Self-rated recall: reveal the back, then rate again/hard/good/easy."""

    id: str
    explain: str | None
    time_limit: float | None
    line: int
    front: str
    back: str

    @property
    def type(self) -> CardType:
        """The card's type, as decks and the store name it."""
        return "flashcard"

    @property
    def prompt_text(self) -> str:
        """What the trainee reads first (a flashcard's front)."""
        return self.front


class ChoiceCard(NamedTuple):
    """Pick the right choice, or every right choice when ``multiple``."""

    id: str
    explain: str | None
    time_limit: float | None
    line: int
    prompt: str
    choices: tuple[Choice, ...]
    answers: tuple[int, ...]
    """Indexes into ``choices`` of the right ones, in the order the deck lists them."""
    multiple: bool
    shuffle: bool

    @property
    def type(self) -> CardType:
        """The card's type, as decks and the store name it."""
        return "choice"

    @property
    def prompt_text(self) -> str:
        return self.prompt


class OrderCard(NamedTuple):
    """Put ``steps`` (given here in the right order) back in order."""

    id: str
    explain: str | None
    time_limit: float | None
    line: int
    prompt: str
    steps: tuple[str, ...]

    @property
    def type(self) -> CardType:
        """The card's type, as decks and the store name it."""
        return "order"

    @property
    def prompt_text(self) -> str:
        return self.prompt


class TypedCard(NamedTuple):
    """A typed reply: one of ``accepted`` texts, or ``number`` within ``tolerance``."""

    id: str
    explain: str | None
    time_limit: float | None
    line: int
    prompt: str
    accepted: tuple[str, ...]
    number: float | None
    tolerance: float

    @property
    def type(self) -> CardType:
        """The card's type, as decks and the store name it."""
        return "typed"

    @property
    def prompt_text(self) -> str:
        return self.prompt


class BreathingCard(NamedTuple):
    """A paced breathing exercise: never graded, never scheduled."""

    id: str
    explain: str | None
    time_limit: float | None
    line: int
    prompt: str | None
    pattern: tuple[float, ...]
    cycles: int

    @property
    def type(self) -> CardType:
        """The card's type, as decks and the store name it."""
        return "breathing"

    @property
    def prompt_text(self) -> str | None:
        return self.prompt


class Reply(NamedTuple):
    """One thing the trainee can say at a turn of a call.

    ``next`` is the id of the turn that follows it (the customer's answer to it); None ends the
    call. ``why`` is shown in the review after the call, good reply or bad.
    """

    text: str
    good: bool
    why: str | None
    next: str | None


class Turn(NamedTuple):
    """One exchange of a call: what the customer says, and the replies to pick from."""

    id: str
    customer: str
    replies: tuple[Reply, ...]

    @property
    def good_replies(self) -> tuple[Reply, ...]:
        """The replies marked good, in deck order (every valid turn has at least one)."""
        return tuple(reply for reply in self.replies if reply.good)


class CallCard(NamedTuple):
    """A simulated call (SPEC 9): a scene, then turns; the first turn opens the call.

    The loader guarantees that every ``next`` names a turn, every turn is reachable from the
    first, no path returns to a turn it passed (so every call ends) and each turn has a good
    reply.
    """

    id: str
    explain: str | None
    time_limit: float | None
    line: int
    prompt: str
    turns: tuple[Turn, ...]

    @property
    def type(self) -> CardType:
        """The card's type, as decks and the store name it."""
        return "call"

    @property
    def prompt_text(self) -> str:
        """The scene: who is calling, and why."""
        return self.prompt

    def turn_index(self, turn_id: str) -> int:
        """The position in ``turns`` of the turn with ``turn_id`` (ValueError if none)."""
        for index, turn in enumerate(self.turns):
            if turn.id == turn_id:
                return index
        raise ValueError(f"no turn `{turn_id}` in call card `{self.id}`")


Card = Flashcard | ChoiceCard | OrderCard | TypedCard | BreathingCard | CallCard
"""Any card; ``card.type`` names its type."""
CARD_CLASSES: tuple[type[Card], ...] = (
    Flashcard,
    ChoiceCard,
    OrderCard,
    TypedCard,
    BreathingCard,
    CallCard,
)
"""The card classes in the order of ``CARD_TYPES``."""


class Deck(NamedTuple):
    """A validated deck, with the file it came from (for messages and the load cache)."""

    id: str
    title: str
    description: str | None
    language: str
    tags: tuple[str, ...]
    time_limit: float
    cards: tuple[Card, ...]
    path: str

    def card_time_limit(self, card: Card) -> float:
        """Seconds allowed for ``card``; 0 means untimed (always so for breathing cards)."""
        if isinstance(card, BreathingCard):
            return 0.0
        return self.time_limit if card.time_limit is None else card.time_limit

    def card(self, card_id: str) -> Card | None:
        """The card with ``card_id``, if the deck has one."""
        for card in self.cards:
            if card.id == card_id:
                return card
        return None

    @property
    def graded_cards(self) -> tuple[Card, ...]:
        """Cards that are scored and scheduled (all but breathing)."""
        return tuple(c for c in self.cards if not isinstance(c, BreathingCard))


def plain_number(value: float) -> int | float:
    """A whole number as an int, so that a deck's ``3`` reads back as ``3``, not ``3.0``, in
    JSON lines, stored answers and derived ids."""
    return int(value) if float(value).is_integer() else value
