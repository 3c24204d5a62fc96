"""What a loaded deck is: immutable values the rest of drill can trust without re-checking.

Every invariant of SPEC section 1 (counts, uniqueness, answers among choices) is enforced by the
loader before one of these is built, so grading and the front ends never meet a malformed card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

CardType = Literal["flashcard", "choice", "order", "typed", "breathing"]
CARD_TYPES: tuple[CardType, ...] = ("flashcard", "choice", "order", "typed", "breathing")

DEFAULT_TIME_LIMIT = 30.0
UNTIMED_RATING_LIMIT = 30.0
"""The L of SPEC 2's rating map for an untimed card."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a choice card; ``why`` is shown after answering when it was chosen."""

    text: str
    why: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """Fields every card type shares. ``time_limit`` None means the deck's default applies."""

    type: ClassVar[CardType]
    id: str
    explain: str | None
    time_limit: float | None
    line: int

    @property
    def prompt_text(self) -> str | None:
        """What the trainee reads first (a flashcard's front)."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Flashcard(Card):
    """Self-rated recall: reveal the back, then rate again/hard/good/easy."""

    type: ClassVar[CardType] = "flashcard"
    front: str
    back: str

    @property
    def prompt_text(self) -> str:
        return self.front


@dataclass(frozen=True, slots=True)
class ChoiceCard(Card):
    """Pick the right choice, or every right choice when ``multiple``."""

    type: ClassVar[CardType] = "choice"
    prompt: str
    choices: tuple[Choice, ...]
    answers: tuple[int, ...]
    """Indexes into ``choices`` of the right ones, in the order the deck lists them."""
    multiple: bool
    shuffle: bool

    @property
    def prompt_text(self) -> str:
        return self.prompt


@dataclass(frozen=True, slots=True)
class OrderCard(Card):
    """Put ``steps`` (given here in the right order) back in order."""

    type: ClassVar[CardType] = "order"
    prompt: str
    steps: tuple[str, ...]

    @property
    def prompt_text(self) -> str:
        return self.prompt


@dataclass(frozen=True, slots=True)
class TypedCard(Card):
    """A typed reply: one of ``accepted`` texts, or ``number`` within ``tolerance``."""

    type: ClassVar[CardType] = "typed"
    prompt: str
    accepted: tuple[str, ...]
    number: float | None
    tolerance: float

    @property
    def prompt_text(self) -> str:
        return self.prompt


@dataclass(frozen=True, slots=True)
class BreathingCard(Card):
    """A paced breathing exercise: never graded, never scheduled."""

    type: ClassVar[CardType] = "breathing"
    prompt: str | None
    pattern: tuple[float, ...]
    cycles: int

    @property
    def prompt_text(self) -> str | None:
        return self.prompt


@dataclass(frozen=True, slots=True)
class Deck:
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
