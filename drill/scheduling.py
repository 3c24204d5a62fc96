"""Spaced repetition through the maintained ``fsrs`` package (never a scheduler of our own).

Memory state travels as a plain ``MemoryState`` so the store can keep it in columns (a due-date
index makes due counts cheap), and ``fsrs`` is imported only when a review is computed, so
commands that merely read the store never load it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from drill.grading import Rating

if TYPE_CHECKING:
    import fsrs


@dataclass(frozen=True, slots=True)
class MemoryState:
    """A card's FSRS state plus counters worth reporting (reviews and lapses)."""

    due: datetime
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    reps: int
    lapses: int


class Scheduler:
    """Reviews a card: the state before (None for a new card) and a rating give the state after.

    Fuzzing (a little randomness in intervals, so cards learnt together do not stay together) is
    off when a session is seeded, so seeded runs repeat exactly (SPEC 2).
    """

    def __init__(self, fuzz: bool = True) -> None:
        self._fuzz = fuzz
        self._fsrs: fsrs.Scheduler | None = None
        self._ratings: dict[Rating, fsrs.Rating] = {}
        self._states: dict[int, fsrs.State] = {}
        """fsrs's enums by drill's values, made once (an enum call per review otherwise)."""

    def review(self, before: MemoryState | None, rating: Rating, at: datetime) -> MemoryState:
        """The state after answering with ``rating`` at ``at``."""
        import fsrs

        if self._fsrs is None:
            self._fsrs = fsrs.Scheduler(enable_fuzzing=self._fuzz)
            self._ratings = {r: fsrs.Rating(int(r)) for r in Rating}
            self._states = {int(s): s for s in fsrs.State}
        at = at.astimezone(UTC)
        if before is None:
            card = fsrs.Card(card_id=0, due=at)  # an explicit id: without one fsrs sleeps 1 ms
        else:
            card = fsrs.Card(
                card_id=0,
                state=self._states[before.state],
                step=before.step,
                stability=before.stability,
                difficulty=before.difficulty,
                due=before.due,
                last_review=before.last_review,
            )
        after, _log = self._fsrs.review_card(card, self._ratings[rating], at)
        lapsed = before is not None and before.state == fsrs.State.Review and rating == Rating.AGAIN
        return MemoryState(
            due=after.due,
            state=int(after.state),
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            last_review=after.last_review,
            reps=(before.reps if before else 0) + 1,
            lapses=(before.lapses if before else 0) + int(lapsed),
        )


def forgetting_curve() -> tuple[float, float]:
    """(decay, factor) of FSRS's forgetting curve, ``R = (1 + factor * days / S) ** decay``,
    taken from the ``fsrs`` scheduler's own parameters.

    The report computes predicted recall for every card of every learner inside the database
    (a hundred thousand ``fsrs.Card`` objects would take seconds), so it needs the curve's two
    constants rather than a call per card; ``tests/test_report.py`` checks the result equals
    ``fsrs.Scheduler.get_card_retrievability`` card for card."""
    import fsrs

    decay = -fsrs.Scheduler().parameters[20]
    return decay, 0.9 ** (1 / decay) - 1
