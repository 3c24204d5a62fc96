"""What a loaded deck is: immutable values the rest of drill can trust without re-checking.

Every invariant of SPEC section 1 (counts, uniqueness, answers among choices) is enforced by the
loader before one of these is built, so grading and the front ends never meet a malformed card.

They are ``NamedTuple``s rather than frozen dataclasses: as immutable and comparable, but built
without ``dataclasses`` (whose import and class generation cost ``drill validate`` more than all
of its own work on a small deck) and cheap to write to and read from the deck load cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Literal, NamedTuple, overload

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


class Cards(Sequence[Card]):
    """A deck's cards in deck order: an immutable sequence, equal to (and hashed as) the tuple
    of its cards.

    Read back from the deck load cache, the cards themselves are built only when first used:
    ``drill decks``, ``drill stats`` and the deck list need only how many cards a deck has, the
    ids of its graded ones and their fingerprint (``card_set``), which the cache keeps beside
    the cards. For a catalog of 100,000 cards that is the difference between reading back
    100,000 cards and reading back their ids.
    """

    __slots__ = ("_build", "_by_id", "_card_set", "_cards", "_count", "_graded_ids")

    def __init__(self, cards: Iterable[Card] = ()) -> None:
        self._cards: tuple[Card, ...] | None = tuple(cards)
        self._build: Callable[[], tuple[Card, ...]] | None = None
        self._count = len(self._cards)
        self._graded_ids: tuple[str, ...] | None = None
        self._card_set: int | None = None
        self._by_id: dict[str, Card] | None = None

    @classmethod
    def deferred(
        cls,
        count: int,
        graded_ids: tuple[str, ...],
        card_set: int,
        build: Callable[[], tuple[Card, ...]],
    ) -> Cards:
        """Cards that ``build()`` makes when first needed; ``count``, ``graded_ids`` and
        ``card_set`` must be what they will have (the cache keeps them together)."""
        cards = cls()
        cards._cards, cards._build, cards._count = None, build, count
        cards._graded_ids, cards._card_set = graded_ids, card_set
        return cards

    @property
    def all(self) -> tuple[Card, ...]:
        """Every card, built now if it was deferred."""
        cards = self._cards
        if cards is None:
            assert self._build is not None
            cards = self._cards = self._build()
            self._build = None
        return cards

    @property
    def graded_ids(self) -> tuple[str, ...]:
        """Ids of the cards that are scored and scheduled (all but breathing), in deck order."""
        if self._graded_ids is None:
            self._graded_ids = tuple(c.id for c in self.all if not isinstance(c, BreathingCard))
        return self._graded_ids

    @property
    def card_set(self) -> int:
        """``card_set_digest(graded_ids)``: tells the store which set of cards it counts."""
        if self._card_set is None:
            self._card_set = card_set_digest(self.graded_ids)
        return self._card_set

    def get(self, card_id: str) -> Card | None:
        """The card with ``card_id``, if any (one dictionary, built on first use: the report
        looks up every card of every deck)."""
        if self._by_id is None:
            self._by_id = {}
            for card in self.all:
                self._by_id.setdefault(card.id, card)
        return self._by_id.get(card_id)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Card: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Card, ...]: ...
    def __getitem__(self, index: int | slice) -> Card | tuple[Card, ...]:
        return self.all[index]

    def __iter__(self) -> Iterator[Card]:
        return iter(self.all)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Cards):
            return self.all == other.all
        if isinstance(other, tuple):
            return self.all == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.all)

    def __repr__(self) -> str:
        return f"Cards({self.all!r})"


def card_set_digest(ids: Iterable[str]) -> int:
    """A fingerprint of a set of card ids (order does not matter): a signed 64-bit integer,
    as SQLite and PostgreSQL store one, never 0 (which the store uses for "none known").

    The store tags every card state with the fingerprint of the deck's cards it was written
    under; counting a deck's due cards then needs no list of its cards when every state
    carries the fingerprint of the deck as it is now (see ``Store.card_counts``)."""
    try:
        from _blake2 import blake2b  # CPython's own: hashlib would first load OpenSSL (2 ms)
    except ImportError:  # pragma: no cover - another Python
        from hashlib import blake2b

    joined = "\x1f".join(sorted(ids)).encode("utf-8", "surrogatepass")
    value = int.from_bytes(blake2b(joined, digest_size=8).digest(), "big", signed=True)
    return value or 1


class Deck(NamedTuple):
    """A validated deck, with the file it came from (for messages and the load cache)."""

    id: str
    title: str
    description: str | None
    language: str
    tags: tuple[str, ...]
    time_limit: float
    cards: Sequence[Card]
    """A ``Cards`` (a plain tuple is accepted too, as a deck made by hand may hold)."""
    path: str

    def card_time_limit(self, card: Card) -> float:
        """Seconds allowed for ``card``; 0 means untimed (always so for breathing cards)."""
        if isinstance(card, BreathingCard):
            return 0.0
        return self.time_limit if card.time_limit is None else card.time_limit

    def card(self, card_id: str) -> Card | None:
        """The card with ``card_id``, if the deck has one."""
        return self._cards.get(card_id)

    @property
    def graded_cards(self) -> tuple[Card, ...]:
        """Cards that are scored and scheduled (all but breathing)."""
        return tuple(c for c in self.cards if not isinstance(c, BreathingCard))

    @property
    def graded_ids(self) -> tuple[str, ...]:
        """The ids of ``graded_cards``, without building the cards when they are deferred."""
        return self._cards.graded_ids

    @property
    def card_set(self) -> int:
        """The fingerprint of ``graded_ids`` (``card_set_digest``)."""
        return self._cards.card_set

    @property
    def _cards(self) -> Cards:
        cards = self.cards
        return cards if isinstance(cards, Cards) else Cards(cards)


def plain_number(value: float) -> int | float:
    """A whole number as an int, so that a deck's ``3`` reads back as ``3``, not ``3.0``, in
    JSON lines, stored answers and derived ids."""
    return int(value) if float(value).is_integer() else value
