"""The trainers' report (SPEC 8): learners by deck, the weakest cards, and who is at risk.

Built from the store's figures over every learner in a ``Scope`` and the decks found (for the
cards' prompts), so ``drill report``, ``drill report --json`` and the TUI's Team screen show
the same numbers. The store does the counting in SQL; this module only joins and orders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

from drill.clock import format_instant
from drill.deck.model import Card, Deck
from drill.display import cells, clip
from drill.escapes import visible
from drill.store import Store
from drill.store.records import ExamRow, Scope


class LastExam(NamedTuple):
    score: float
    passed: bool
    at: str


class LearnerDeck(NamedTuple):
    """One learner's work on one deck."""

    deck: str
    answers: int
    correct: int
    due: int
    last_exam: LastExam | None
    last_active: str | None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None


class LearnerReport(NamedTuple):
    learner: str
    decks: list[LearnerDeck]


class TopWrong(NamedTuple):
    answer: str
    given: int
    """How many times (``count`` in the JSON; as a field it would shadow ``tuple.count``)."""


class CardReport(NamedTuple):
    """How one card fared over every learner."""

    deck: str
    card: str
    prompt: str | None
    """The card's prompt (a flashcard's front), or None for a card no longer in its deck."""
    answers: int
    correct: int
    mean_latency_ms: float
    lapses: int
    top_wrong: TopWrong | None

    def wrong_text(self, width: int) -> str:
        """``answer ×count`` for the most given wrong answer as a terminal shows it (a dash
        when there is none), within ``width`` cells: a long answer is cut, never its count."""
        top = self.top_wrong
        if top is None:
            return "-"
        count = f" ×{top.given}"
        return clip(visible(top.answer), max(width - cells(count), 2)) + count

    @property
    def facility(self) -> float:
        """The share of answers that were right: the lower, the harder the card."""
        return self.correct / self.answers if self.answers else 0.0


class AtRisk(NamedTuple):
    learner: str
    overdue: int
    retrievability: float | None


class Report(NamedTuple):
    learners: list[LearnerReport]
    cards: list[CardReport]
    at_risk: list[AtRisk]

    def to_json(self) -> dict[str, Any]:
        """The ``drill report --json`` document, exactly as SPEC 8 lays it out."""
        return {
            "learners": [
                {
                    "learner": learner.learner,
                    "decks": [
                        {
                            "deck": d.deck,
                            "answers": d.answers,
                            "correct": d.correct,
                            "accuracy": d.accuracy,
                            "due": d.due,
                            "last_exam": None if d.last_exam is None else d.last_exam._asdict(),
                            "last_active": d.last_active,
                        }
                        for d in learner.decks
                    ],
                }
                for learner in self.learners
            ],
            "cards": [
                {
                    "deck": c.deck,
                    "card": c.card,
                    "prompt": c.prompt,
                    "answers": c.answers,
                    "correct": c.correct,
                    "facility": c.facility,
                    "mean_latency_ms": c.mean_latency_ms,
                    "lapses": c.lapses,
                    "top_wrong": None
                    if c.top_wrong is None
                    else {"answer": c.top_wrong.answer, "count": c.top_wrong.given},
                }
                for c in self.cards
            ],
            "at_risk": [r._asdict() for r in self.at_risk],
        }


Mistake = Callable[[Card, str], str | None]
"""The part of a stored wrong answer that counts as "the wrong answer" for a card type whose
answers are several steps (a call: its first bad reply); None when there is none."""


def build(
    store: Store,
    decks: Mapping[str, Deck],
    scope: Scope,
    now: datetime,
    mistakes: Mapping[str, Mistake] | None = None,
) -> Report:
    """The report over ``scope`` at ``now``; ``decks`` are the decks found, by id."""
    from drill.scheduling import forgetting_curve

    return Report(
        learners=_learners(store, scope, now),
        cards=_cards(store, decks, scope, mistakes or {}),
        at_risk=[AtRisk(*row) for row in store.at_risk(scope, now, *forgetting_curve())],
    )


def _learners(store: Store, scope: Scope, now: datetime) -> list[LearnerReport]:
    worked = {(r.learner, r.deck): r for r in store.learner_decks(scope)}
    due = store.due_counts(scope, now)
    exams = _last_exams(store.exams(scope), scope)
    by_learner: dict[str, list[LearnerDeck]] = {}
    for learner, deck in sorted(worked.keys() | due.keys() | exams.keys()):
        row = worked.get((learner, deck))
        by_learner.setdefault(learner, []).append(
            LearnerDeck(
                deck=deck,
                answers=row.answers if row else 0,
                correct=row.correct if row else 0,
                due=due.get((learner, deck), 0),
                last_exam=exams.get((learner, deck)),
                last_active=row.last_active if row else None,
            )
        )
    return [LearnerReport(learner, rows) for learner, rows in by_learner.items()]


def _last_exams(exams: list[ExamRow], scope: Scope) -> dict[tuple[str, str], LastExam]:
    """(learner, deck) to the latest finished exam that included the deck (oldest first in,
    so later ones overwrite)."""
    latest: dict[tuple[str, str], LastExam] = {}
    for exam in exams:
        for deck in exam.decks:
            if not scope.decks or deck in scope.decks:
                latest[(exam.learner, deck)] = LastExam(exam.score, exam.passed, exam.ended_at)
    return latest


def _cards(
    store: Store, decks: Mapping[str, Deck], scope: Scope, mistakes: Mapping[str, Mistake]
) -> list[CardReport]:
    top = {(w.deck, w.card): TopWrong(w.answer, w.given) for w in store.top_wrong(scope)}
    cards: list[CardReport] = []
    for row in store.card_rows(scope):
        deck = decks.get(row.deck)
        card = None if deck is None else deck.card(row.card)
        top_wrong = top.get((row.deck, row.card))
        mistake = None if card is None else mistakes.get(card.type)
        if card is not None and mistake is not None:
            top_wrong = _top_mistake(store, scope, card, row.deck, mistake)
        cards.append(
            CardReport(
                deck=row.deck,
                card=row.card,
                prompt=None if card is None else card.prompt_text,
                answers=row.answers,
                correct=row.correct,
                mean_latency_ms=float(row.mean_latency_ms or 0.0),
                lapses=row.lapses,
                top_wrong=top_wrong,
            )
        )
    cards.sort(key=lambda c: (c.facility, -c.answers, c.deck, c.card))
    return cards


def _top_mistake(
    store: Store, scope: Scope, card: Card, deck: str, mistake: Mistake
) -> TopWrong | None:
    """The most given mistake of a card whose answers are paths (a call): the stored wrong
    answers regrouped by their first bad step."""
    counts: dict[str, int] = {}
    for wrong in store.wrong_answers(scope, deck, card.id):  # most given first
        step = mistake(card, wrong.answer)
        if step is not None:
            counts[step] = counts.get(step, 0) + wrong.given
    if not counts:
        return None
    answer = max(counts, key=lambda k: counts[k])  # ties: the first met, as in the store
    return TopWrong(answer, counts[answer])


def since_label(scope: Scope) -> str:
    """``since 2026-03-01T00:00:00.000Z`` or ``ever``, for the report's heading."""
    return "ever" if scope.since is None else f"since {format_instant(scope.since)}"


def mistake_finders() -> dict[str, Mistake]:
    """The card types whose wrong answers are paths, with how to find their first mistake: a
    call's is its first bad reply (SPEC 9)."""
    from drill.calls import first_bad_reply
    from drill.deck.model import CallCard

    def call(card: Card, answer: str) -> str | None:
        return first_bad_reply(card, answer) if isinstance(card, CallCard) else None

    return {"call": call}
