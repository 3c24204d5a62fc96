"""The session engine: the one place a drill's behaviour lives.

Both front ends drive it the same way: ``show()`` the current card, turn the trainee's input into
a ``Response``, ``answer()`` it and only then show the ``Result`` (by then it is committed), and
``finish()`` for the ``Summary``. The headless runner and the TUI differ only in how they read
input and draw output, so for one ``--seed`` and ``--now`` they show the same cards in the same
order and grade them the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from drill.calls import CallPlay, TurnTaken
from drill.clock import Clock
from drill.deck.model import CallCard, ChoiceCard, Deck
from drill.errors import UsageError
from drill.grading import (
    Breathed,
    Picked,
    Rating,
    Response,
    Skip,
    answer_text,
    expected,
    grade,
    is_late,
)
from drill.planning import DEFAULT_NEW, Mode, ShownCard, plan
from drill.scheduling import MemoryState, Scheduler
from drill.store import AnswerRecord, CardSet, LearnerStore, SessionStart

DEFAULT_PASS_MARK = 0.8


@dataclass(frozen=True, slots=True)
class Options:
    """How a session runs (the options of ``drill run``)."""

    mode: Mode = "review"
    limit: int | None = None
    new: int = DEFAULT_NEW
    time_limit: float | None = None
    """Seconds for the whole session; None = unbounded."""
    pass_mark: float = DEFAULT_PASS_MARK
    seed: int | None = None
    save: bool = True


@dataclass(frozen=True, slots=True)
class Result:
    """The graded, committed outcome of one card."""

    shown: ShownCard
    response: Response
    correct: bool | None
    rating: Rating | None
    latency_ms: int
    timed_out: bool
    expected: Any
    explain: str | None
    error: str | None
    answer: str
    turns: tuple[TurnTaken, ...] = ()
    """A call card's turns as they went; empty for other cards."""

    @property
    def skipped(self) -> bool:
        """The trainee passed on the card (a breathing card left undone included)."""
        return isinstance(self.response, Skip) or self.response == Breathed(False)

    @property
    def whys(self) -> list[tuple[str, str]]:
        """(choice text, why) for each chosen choice that has feedback, in shown order."""
        card = self.shown.card
        if not isinstance(card, ChoiceCard) or not isinstance(self.response, Picked):
            return []
        return [
            (card.choices[i].text, card.choices[i].why or "")
            for i in self.shown.order
            if i in self.response.indexes and card.choices[i].why
        ]


@dataclass(frozen=True, slots=True)
class Summary:
    """A finished (or abandoned) session. ``score`` is None when no graded card was answered.

    An exam is judged on every card it planned, answered or not: ``exam_score`` is right
    answers over ``planned`` (None outside exams), and ``passed`` compares that with the pass
    mark. So an exam left after two right answers of 29 scores 7%, never 100%.
    """

    session: str
    mode: Mode
    answered: int
    correct: int
    score: float | None
    passed: bool | None
    duration_ms: int
    planned: int
    pass_mark: float
    results: tuple[Result, ...] = field(repr=False)
    exam_score: float | None = None

    @property
    def missed(self) -> list[Result]:
        """Graded cards answered wrong, skipped or too late."""
        return [r for r in self.results if r.correct is False]

    @property
    def complete(self) -> bool:
        """Whether every planned graded card was answered."""
        return self.answered == self.planned

    @property
    def unanswered(self) -> int:
        """Planned graded cards never answered (the session ended early)."""
        return self.planned - self.answered

    @property
    def judged_score(self) -> float | None:
        """The figure to show as *the* score: an exam's is against its planned cards."""
        return self.exam_score if self.mode == "exam" else self.score


# Randomness straight from os.urandom, as the secrets module would give it: importing that
# module (it brings hashlib and hmac) would add 4 ms to every headless run's start-up.


def _random_seed() -> int:
    """31 random bits, as ``secrets.randbits(31)``."""
    return int.from_bytes(os.urandom(4), "big") >> 1


def new_session_id(clock: Clock) -> str:
    """Sortable by start time, unique across processes."""
    return f"{clock.now():%Y%m%dT%H%M%S}-{os.urandom(3).hex()}"


class Session:
    """One run of a drill over some decks; see the module docstring for the protocol."""

    def __init__(
        self,
        decks: Sequence[Deck],
        options: Options,
        clock: Clock,
        store: LearnerStore,
    ) -> None:
        self.decks = tuple(decks)
        self.options = options
        self.clock = clock
        self.seed = options.seed if options.seed is not None else _random_seed()
        self.id = new_session_id(clock)
        self.started_at = clock.now()
        self.cards = plan(
            self.decks,
            options.mode,
            store.due_dates(d.id for d in decks),
            self.started_at,
            self.seed,
            options.limit,
            options.new,
        )
        self.planned = self.cards.graded
        self._store = store
        if options.mode == "exam" and self.planned == 0:
            # It could only pass (0 of 0 reaches any mark) or be judged on nothing.
            raise UsageError(
                "an exam needs at least one graded card (not --limit 0, nor breathing cards alone)"
            )
        # A session with nothing to show (a review with nothing due) leaves no trace in the store.
        self._saving = options.save and bool(self.cards)
        self._scheduler = Scheduler(fuzz=options.seed is None)
        self._start = clock.monotonic()
        self._shown_at: float | None = None
        self._stopped_ms: float | None = None
        """The card's answer time, once its clock was stopped (a flashcard's back shown)."""
        self._elapsed_ms = 0.0
        self._results: list[Result] = []
        self._out_of_time = False
        self._summary: Summary | None = None
        self._call: CallPlay | None = None
        if self._saving:
            store.begin_session(
                SessionStart(
                    session=self.id,
                    started_at=self.started_at,
                    mode=options.mode,
                    decks=tuple(d.id for d in self.decks),
                    planned=self.planned,
                    seed=self.seed,
                    pass_mark=options.pass_mark if options.mode == "exam" else None,
                    card_sets={d.id: CardSet(d.graded_ids, d.card_set) for d in self.decks},
                )
            )

    # --- the protocol ------------------------------------------------------------------------

    @property
    def current(self) -> ShownCard | None:
        """The card to show now; None once the session is over."""
        if self._out_of_time or self._summary is not None:
            return None
        position = len(self._results)
        return self.cards[position] if position < len(self.cards) else None

    def show(self) -> ShownCard | None:
        """The current card, starting its latency clock."""
        card = self.current
        if card is not None:
            self._shown_at = self.clock.monotonic()
            self._stopped_ms = None
            if isinstance(card.card, CallCard) and (
                self._call is None or self._call.shown is not card
            ):
                self._call = CallPlay(card)
        return card

    @property
    def call(self) -> CallPlay | None:
        """The call card on screen, once ``show()`` has started it: its turn on screen and the
        turns taken so far. None for any other card."""
        return self._call

    def answer_turn(self, response: Response, latency_ms: float | None = None) -> Result | None:
        """Answer the turn on screen of the call card on screen (see ``drill.calls``).

        While the call goes on, returns None and ``call.turn`` is the next turn, whose latency
        clock starts now. When the call ends, the whole call is graded and committed as one
        answer and its ``Result`` returned, as ``answer`` does for any other card.
        """
        shown, play = self.current, self._call
        if shown is None or play is None or play.shown is not shown:
            raise RuntimeError("no call on screen: show() it first")
        latency_ms = self._latency(latency_ms)
        crosses = self._crosses_session_limit(latency_ms)
        ended = play.take(response, latency_ms, shown.time_limit, overtime=crosses)
        self._elapsed_ms += latency_ms
        if not ended:
            self._shown_at = self.clock.monotonic()
            return None
        verdict = play.grade()
        result = Result(
            shown=shown,
            response=response,
            correct=verdict.correct,
            rating=verdict.rating,
            latency_ms=round(play.latency_ms),
            timed_out=verdict.timed_out,
            expected=play.expected(),
            explain=shown.card.explain,
            error=verdict.error,
            answer=play.answer(),
            turns=tuple(play.taken),
        )
        self._commit(result)
        self._results.append(result)
        self._shown_at = None
        self._out_of_time = crosses
        self._call = None
        return result

    def _latency(self, given_ms: float | None) -> float:
        """``given_ms``, else the time since the card (or the call's turn) was shown."""
        if given_ms is None:
            started = self._shown_at if self._shown_at is not None else self.clock.monotonic()
            given_ms = (self.clock.monotonic() - started) * 1000
        return max(0.0, given_ms)

    def answer(self, response: Response, latency_ms: float | None = None) -> Result:
        """Grade and durably record ``response`` to the current card, then move on.

        ``latency_ms`` defaults to the time since ``show()``. Returns after the commit, so the
        caller may show the result straight away.
        """
        shown = self.current
        if shown is None:
            raise RuntimeError("the session is over")
        if isinstance(shown.card, CallCard):  # a skip or a time-out ends a call at any turn
            if self._call is None:
                self.show()
            result = self.answer_turn(response, latency_ms)
            if result is None:
                raise RuntimeError("the call goes on: answer its turns with answer_turn()")
            return result
        if latency_ms is None:
            latency_ms = self.card_latency_ms()
        latency_ms = max(0.0, latency_ms)
        crosses = self._crosses_session_limit(latency_ms)
        if isinstance(response, Skip) and not shown.graded:
            response = Breathed(False)
        verdict = grade(shown.card, response, latency_ms, shown.time_limit, overtime=crosses)
        result = Result(
            shown=shown,
            response=response,
            correct=verdict.correct,
            rating=verdict.rating,
            latency_ms=round(latency_ms),
            timed_out=verdict.timed_out,
            expected=expected(shown.card),
            explain=shown.card.explain,
            error=verdict.error,
            answer=answer_text(shown.card, response),
        )
        self._commit(result)
        self._results.append(result)
        self._elapsed_ms += latency_ms
        self._shown_at = None
        self._stopped_ms = None
        self._out_of_time = crosses
        return result

    def finish(self) -> Summary:
        """End the session (early or not) and summarise it; safe to call more than once.

        The summary is kept only once the end is stored: a call interrupted (Ctrl-C) before
        that is repeated in full by the next, so the session is never left without its end."""
        if self._summary is not None:
            return self._summary
        graded = [r for r in self._results if r.correct is not None]
        correct = sum(1 for r in graded if r.correct)
        passed = exam_score = None
        if self.options.mode == "exam" and self.planned:
            exam_score = correct / self.planned
            passed = exam_score >= self.options.pass_mark - 1e-9
        summary = Summary(
            session=self.id,
            mode=self.options.mode,
            answered=len(graded),
            correct=correct,
            score=correct / len(graded) if graded else None,
            passed=passed,
            duration_ms=round((self.clock.monotonic() - self._start) * 1000),
            planned=self.planned,
            pass_mark=self.options.pass_mark,
            results=tuple(self._results),
            exam_score=exam_score,
        )
        if self._saving:
            self._store.end_session(self.id, self.clock.now(), passed)
        self._summary = summary
        return summary

    # --- time --------------------------------------------------------------------------------
    #
    # One rule decides when time is up, for grading and for front ends alike: ``is_late``, an
    # answer later than the limit (not at it). A front end never compares times itself; it
    # asks ``time_is_up()`` and, when so, answers ``TimedOut``, which grading then confirms.

    def card_latency_ms(self) -> float:
        """Milliseconds the current card has been on screen (frozen once its clock stopped)."""
        if self._stopped_ms is not None:
            return self._stopped_ms
        if self._shown_at is None:
            return 0.0
        return (self.clock.monotonic() - self._shown_at) * 1000

    def stop_clock(self) -> None:
        """Stop the current card's clock: its answer time is what it is now.

        A flashcard's back, once shown, is read and then rated by the trainee: the rating is
        their own verdict, not a race, so reading the back never times the card out.
        """
        if self._shown_at is not None and self._stopped_ms is None:
            self._stopped_ms = self.card_latency_ms()

    def card_remaining_ms(self) -> float | None:
        """Milliseconds left of the current card's own limit; None when it is untimed."""
        shown = self.current
        if shown is None or shown.time_limit <= 0:
            return None
        return shown.time_limit * 1000 - self.card_latency_ms()

    def session_remaining_ms(self) -> float | None:
        """Milliseconds left of ``--time-limit`` at this moment, counting the card on screen."""
        if self.options.time_limit is None:
            return None
        return self.options.time_limit * 1000 - self._elapsed_ms - self.card_latency_ms()

    def time_is_up(self) -> bool:
        """Whether the card on screen, answered now, would be graded timed out: its own limit
        or the session's is passed. A front end answers ``TimedOut`` when this turns true."""
        shown = self.current
        if shown is None:
            return False
        latency = self.card_latency_ms()
        return is_late(latency, shown.time_limit) or self._crosses_session_limit(latency)

    def _crosses_session_limit(self, latency_ms: float) -> bool:
        """The session's time is the sum of answer latencies, so it is the same whether
        latencies were measured or given (``latency_ms`` in headless answers)."""
        limit = self.options.time_limit
        return limit is not None and is_late(self._elapsed_ms + latency_ms, limit)

    # --- storage -----------------------------------------------------------------------------

    def _commit(self, result: Result) -> None:
        if not self._saving:
            return
        shown = result.shown
        at = self.clock.now()
        review = None
        if result.rating is not None:
            rating = result.rating

            def review(before: MemoryState | None) -> MemoryState:
                return self._scheduler.review(before, rating, at)

        self._store.record_answer(
            AnswerRecord(
                session=self.id,
                deck=shown.deck.id,
                card=shown.card.id,
                card_type=shown.card.type,
                answered_at=at,
                correct=result.correct,
                rating=None if result.rating is None else int(result.rating),
                latency_ms=result.latency_ms,
                timed_out=result.timed_out,
                answer=result.answer,
                error=result.error,
            ),
            review,
        )
