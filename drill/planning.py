"""Which cards a session shows, in what order, with what shuffles (SPEC section 2).

Planning is a pure function of the decks, the stored memory states, the options and a seed, so
the same ``--seed`` and ``--now`` give the same session in the TUI and headless, run after run.
Each card's shuffle has its own generator, seeded by the session seed and the card's identity,
so it does not depend on which cards came before it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, overload

from drill.deck.model import (
    BreathingCard,
    CallCard,
    Card,
    Choice,
    ChoiceCard,
    Deck,
    OrderCard,
    Reply,
)

Mode = Literal["review", "drill", "exam"]
MODES: tuple[Mode, ...] = ("review", "drill", "exam")
DEFAULT_NEW = 10


@dataclass(frozen=True, slots=True)
class ShownCard:
    """A card as this session presents it.

    ``order`` holds, for a choice card, the indexes of its choices in shown order and, for an
    order card, the indexes of its steps in shown order; it is empty for other types.
    ``turn_orders`` holds, for a call card, the shown order of each turn's replies (parallel to
    its ``turns``): every turn's shuffle is fixed when the session is planned.
    """

    index: int
    deck: Deck
    card: Card
    order: tuple[int, ...]
    time_limit: float
    turn_orders: tuple[tuple[int, ...], ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """Deck id and card id: how progress is keyed."""
        return (self.deck.id, self.card.id)

    @property
    def choices(self) -> list[Choice]:
        """A choice card's choices as shown (labelled A, B, C... in this order)."""
        assert isinstance(self.card, ChoiceCard)
        return [self.card.choices[i] for i in self.order]

    @property
    def steps(self) -> list[str]:
        """An order card's steps as shown."""
        assert isinstance(self.card, OrderCard)
        return [self.card.steps[i] for i in self.order]

    def replies(self, turn: int) -> list[Reply]:
        """A call card's replies at its ``turn``-th turn, as shown (labelled A, B, C...)."""
        assert isinstance(self.card, CallCard)
        replies = self.card.turns[turn].replies
        return [replies[i] for i in self.turn_orders[turn]]

    @property
    def graded(self) -> bool:
        """Breathing cards are exercises, not questions."""
        return not isinstance(self.card, BreathingCard)


def card_rng(seed: int, deck_id: str, card_id: str) -> random.Random:
    """A generator for one card's shuffle; string seeds hash the same in every process."""
    return random.Random(f"{seed}:{deck_id}:{card_id}")


def shown_order(card: Card, rng: random.Random) -> tuple[int, ...]:
    """The order a card's choices or steps are shown in; order cards never already in order."""
    if isinstance(card, ChoiceCard):
        order = list(range(len(card.choices)))
        if card.shuffle:
            rng.shuffle(order)
        return tuple(order)
    if isinstance(card, OrderCard):
        order = list(range(len(card.steps)))
        while order == sorted(order):
            rng.shuffle(order)
        return tuple(order)
    return ()


def turn_orders(seed: int, deck_id: str, card: CallCard) -> tuple[tuple[int, ...], ...]:
    """The shown order of each turn's replies: shuffled by a generator of its own per turn
    (seeded like a card's, with the turn id), so a turn's order never depends on the path
    that led to it."""
    orders = []
    for turn in card.turns:
        order = list(range(len(turn.replies)))
        random.Random(f"{seed}:{deck_id}:{card.id}:{turn.id}").shuffle(order)
        orders.append(tuple(order))
    return tuple(orders)


def plan(
    decks: Sequence[Deck],
    mode: Mode,
    due: Mapping[tuple[str, str], datetime],
    now: datetime,
    seed: int,
    limit: int | None = None,
    new: int = DEFAULT_NEW,
) -> Plan:
    """The cards of a session in the order they are shown.

    ``due`` maps (deck id, card id) of every card with a memory state to its due instant.
    Breathing cards open every session as a warm-up and do not count against ``limit``; a
    review with no card due or new has nothing to warm up for, and shows nothing.
    """
    warm_up: list[tuple[Deck, Card]] = [
        (d, c) for d in decks for c in d.cards if isinstance(c, BreathingCard)
    ]
    graded: list[tuple[Deck, Card]] = [
        (d, c) for d in decks for c in d.cards if not isinstance(c, BreathingCard)
    ]
    if mode == "review":
        overdue = [(d, c) for d, c in graded if (d.id, c.id) in due and due[d.id, c.id] <= now]
        overdue.sort(key=lambda dc: due[dc[0].id, dc[1].id])  # stable: ties keep deck order
        unseen = [(d, c) for d, c in graded if (d.id, c.id) not in due][: max(new, 0)]
        chosen = overdue + unseen
    else:
        chosen = list(graded)
        random.Random(f"{seed}:plan").shuffle(chosen)
    if limit is not None:
        chosen = chosen[: max(limit, 0)]
    if mode == "review" and graded and not chosen:
        warm_up = []  # nothing due: no drill to warm up for, and the trainee is told so at once
    return Plan(warm_up + chosen, seed)


class Plan(Sequence[ShownCard]):
    """A session's cards in the order shown, each made (its choices or steps shuffled) when
    it is first looked at.

    Each card's shuffle has a generator of its own, seeded from the session seed and the card
    (``card_rng``), so when it is made changes nothing; but seeding one costs more than all the
    rest of planning a card, and a session of 2,000 new cards need not seed 2,000 generators
    before its first card is shown."""

    def __init__(self, cards: list[tuple[Deck, Card]], seed: int) -> None:
        self._cards = cards
        self._seed = seed
        self._made: list[ShownCard | None] = [None] * len(cards)

    @property
    def graded(self) -> int:
        """How many of the cards are graded (all but breathing exercises)."""
        return sum(1 for _, card in self._cards if not isinstance(card, BreathingCard))

    def _make(self, i: int) -> ShownCard:
        made = self._made[i]
        if made is None:
            deck, card = self._cards[i]
            seed = self._seed
            made = self._made[i] = ShownCard(
                index=i + 1,
                deck=deck,
                card=card,
                order=(
                    shown_order(card, card_rng(seed, deck.id, card.id))
                    if isinstance(card, ChoiceCard | OrderCard)
                    else ()
                ),
                time_limit=deck.card_time_limit(card),
                turn_orders=turn_orders(seed, deck.id, card) if isinstance(card, CallCard) else (),
            )
        return made

    def __len__(self) -> int:
        return len(self._cards)

    @overload
    def __getitem__(self, index: int) -> ShownCard: ...
    @overload
    def __getitem__(self, index: slice) -> list[ShownCard]: ...
    def __getitem__(self, index: int | slice) -> ShownCard | list[ShownCard]:
        if isinstance(index, slice):
            return [self._make(i) for i in range(len(self._cards))[index]]
        return self._make(range(len(self._cards))[index])

    def __iter__(self) -> Iterator[ShownCard]:
        return (self._make(i) for i in range(len(self._cards)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a sequence compared by value, like a list
