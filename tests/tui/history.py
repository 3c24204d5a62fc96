"""A trainee's past sessions, answered straight through the session engine, so the deck list
and stats screens have figures to show."""

from __future__ import annotations

from drill.clock import ManualClock
from drill.deck.model import ChoiceCard, Deck, Flashcard, OrderCard, TypedCard
from drill.grading import Breathed, Ordered, Picked, Rating, Recalled, Response, Skip, Typed
from drill.planning import ShownCard
from drill.session import Options, Session
from drill.store import LearnerStore


def right_answer(shown: ShownCard) -> Response:
    """The response that grades right for ``shown``."""
    card = shown.card
    if isinstance(card, ChoiceCard):
        return Picked(frozenset(card.answers))
    if isinstance(card, OrderCard):
        return Ordered(tuple(range(len(card.steps))))
    if isinstance(card, TypedCard):
        return Typed(card.accepted[0] if card.accepted else f"{card.number:g}")
    if isinstance(card, Flashcard):
        return Recalled(Rating.GOOD)
    return Breathed(True)


def practise(store: LearnerStore, clock: ManualClock, decks: list[Deck], days: int) -> None:
    """One drill a day for ``days`` days, missing every third card; the clock ends a day on."""
    for day in range(days):
        session = Session(decks, Options(mode="drill", seed=day), clock, store)
        position = 0
        while (shown := session.show()) is not None:
            clock.advance(4 + position % 5)
            wrong = shown.graded and (position + day) % 3 == 0
            session.answer(Skip() if wrong else right_answer(shown))
            position += 1
        session.finish()
        clock.advance(24 * 3600)
