"""What a trainee's response is worth (SPEC section 2): right or wrong, timed out, and the rating
the scheduler is fed.

Responses are values both front ends build: the TUI from key presses, the headless runner from
text (``drill.answers``). Grading never sees a keyboard or a JSON line, so the two cannot grade
the same response differently.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from drill.deck.model import (
    UNTIMED_RATING_LIMIT,
    BreathingCard,
    Card,
    ChoiceCard,
    Flashcard,
    OrderCard,
    TypedCard,
    plain_number,
)


class Rating(IntEnum):
    """The four spaced-repetition ratings; values match FSRS's."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        """The lower-case name used in output and accepted as input."""
        return self.name.lower()


# --- responses -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Skip:
    """The trainee passed on the card (any card type)."""


@dataclass(frozen=True, slots=True)
class Picked:
    """Chosen choices, as indexes into the card's ``choices`` (deck order, not shown order).

    ``note`` is said in the result's ``error`` if the answer is graded wrong: an answer read
    from letters or positions in a file written before the run may not mean what its writer
    meant, as the shown order is shuffled.
    """

    indexes: frozenset[int]
    note: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Ordered:
    """The steps in the order the trainee put them, as indexes into the card's ``steps``;
    ``note`` as for ``Picked``."""

    sequence: tuple[int, ...]
    note: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Typed:
    """A typed reply, exactly as entered."""

    text: str


@dataclass(frozen=True, slots=True)
class TimedOut:
    """The card's time ran out before an answer was sent.

    ``pending`` is what the trainee had typed or picked but not yet sent: graded as timed out
    like the rest, but stored and shown as their answer, so they see what they would have said.
    """

    pending: Picked | Ordered | Typed | None = None


@dataclass(frozen=True, slots=True)
class Recalled:
    """A flashcard's self-rating."""

    rating: Rating


@dataclass(frozen=True, slots=True)
class Breathed:
    """A breathing exercise, completed or not."""

    completed: bool


@dataclass(frozen=True, slots=True)
class Replied:
    """The reply picked at one turn of a call: ``reply`` indexes the turn's ``replies`` (deck
    order, not shown order)."""

    turn: str
    reply: int


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An answer that could not be understood; graded wrong, ``error`` says why."""

    raw: str
    error: str


Response = Skip | TimedOut | Picked | Ordered | Typed | Recalled | Breathed | Replied | Unreadable


# --- grading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Grade:
    """The verdict on one response. ``correct`` and ``rating`` are None for breathing cards."""

    correct: bool | None
    rating: Rating | None
    timed_out: bool
    error: str | None = None


def is_late(latency_ms: float, limit_s: float) -> bool:
    """The one timing rule (SPEC 2): an answer is late when given *after* the limit, so one
    at exactly 30.000 s of 30 is in time; ``limit_s`` 0 is untimed. The session asks this both
    to grade an answer and to tell a front end that a card's time is up, so the TUI and the
    headless runner can never disagree about the same latency; each turn of a call is timed by
    it too."""
    return limit_s > 0 and latency_ms > limit_s * 1000


def rating_for(correct: bool, latency_ms: float, limit_s: float) -> Rating:
    """SPEC 2's map from an auto-graded answer's speed to a rating (L = 30 s when untimed)."""
    if not correct:
        return Rating.AGAIN
    limit_ms = (limit_s if limit_s > 0 else UNTIMED_RATING_LIMIT) * 1000
    if latency_ms > 0.75 * limit_ms:
        return Rating.HARD
    if latency_ms <= 0.25 * limit_ms:
        return Rating.EASY
    return Rating.GOOD


def grade(
    card: Card, response: Response, latency_ms: float, limit_s: float, overtime: bool = False
) -> Grade:
    """Grade ``response`` to ``card`` given after ``latency_ms``; ``limit_s`` 0 = untimed.

    ``overtime`` marks the answer that crossed the session's ``--time-limit``: in a call, a late
    answer is a wrong one, so it is graded timed out like one past the card's own limit.
    """
    if isinstance(card, BreathingCard):  # not graded, but an unreadable answer still says why
        return Grade(
            None, None, False, response.error if isinstance(response, Unreadable) else None
        )
    if isinstance(response, Unreadable):
        return Grade(False, Rating.AGAIN, False, response.error)
    if isinstance(response, Skip):
        return Grade(False, Rating.AGAIN, False)
    if overtime or is_late(latency_ms, limit_s) or isinstance(response, TimedOut):
        return Grade(False, Rating.AGAIN, True)
    if isinstance(card, Flashcard) and isinstance(response, Recalled):
        return Grade(response.rating != Rating.AGAIN, response.rating, False)
    correct = is_right(card, response)
    note = response.note if isinstance(response, Picked | Ordered) and not correct else None
    return Grade(correct, rating_for(correct, latency_ms, limit_s), False, note)


def is_right(card: Card, response: Response) -> bool:
    """Whether ``response`` is the right answer to ``card``, ignoring time."""
    if isinstance(card, ChoiceCard) and isinstance(response, Picked):
        return response.indexes == frozenset(card.answers)
    if isinstance(card, OrderCard) and isinstance(response, Ordered):
        return response.sequence == tuple(range(len(card.steps)))
    if isinstance(card, TypedCard) and isinstance(response, Typed):
        if card.number is not None:
            value = first_number(response.text)
            if value is None:  # no digits at all: perhaps the number in words
                from drill.numbers import number_in_words

                value = number_in_words(response.text)
            return value is not None and abs(value - card.number) <= card.tolerance + 1e-9
        reply = normalise(response.text)
        return any(reply == normalise(accepted) for accepted in card.accepted)
    return False


def expected(card: Card) -> Any:
    """The right answer as the headless ``result`` reports it (SPEC 4)."""
    if isinstance(card, ChoiceCard):
        texts = [card.choices[i].text for i in card.answers]
        return texts if card.multiple else texts[0]
    if isinstance(card, OrderCard):
        return list(card.steps)
    if isinstance(card, TypedCard):
        if card.number is not None:
            return plain_number(card.number)
        return card.accepted[0]
    if isinstance(card, Flashcard):
        return card.back
    return None


def answer_text(card: Card, response: Response) -> str:
    """A readable record of what was answered, for the store and ``export``."""
    if isinstance(response, Picked) and isinstance(card, ChoiceCard):
        return " | ".join(card.choices[i].text for i in sorted(response.indexes))
    if isinstance(response, Ordered) and isinstance(card, OrderCard):
        return " > ".join(card.steps[i] for i in response.sequence)
    if isinstance(response, Typed):
        return response.text
    if isinstance(response, Recalled):
        return response.rating.label
    if isinstance(response, Breathed):
        return "done" if response.completed else "skip"
    if isinstance(response, Skip):
        return "skip"
    if isinstance(response, Unreadable):
        return response.raw
    if isinstance(response, TimedOut) and response.pending is not None:
        return answer_text(card, response.pending)
    return ""


# --- text ------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Text as compared for typed answers: NFKC, case-folded, trimmed, inner whitespace
    collapsed, trailing punctuation dropped (so a full-width 。 or a final ! never costs a mark).

    Kept for the texts seen last: every answer compares itself with the card's accepted
    answers, choices or steps, the same few texts of the deck again and again.
    """
    folded = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    end = len(folded)
    while end and (folded[end - 1] == " " or unicodedata.category(folded[end - 1])[0] == "P"):
        end -= 1
    return folded[:end]


def first_number(text: str) -> float | None:
    """The first number written in ``text`` (full-width digits and 1,000 separators read)."""
    match = _NUMBER.search(unicodedata.normalize("NFKC", text))
    return None if match is None else float(match.group().replace(",", ""))
