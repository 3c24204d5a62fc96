"""A call card in play (SPEC section 9): the small state machine the session engine runs for
it, how a finished call is graded and recorded, and how a recorded call is read back.

To the planner, the scheduler and the store a call is one card with one answer. Only while it
is played does it have parts: the turn on screen and the turns taken so far. ``CallPlay`` holds
them; ``Session`` feeds it one response per turn and, when the call ends, grades and commits it
as a single answer, so a call cut short (Ctrl-C, Esc, a kill) leaves nothing half-recorded.

Rules chosen where SPEC 9 is silent, the same for the TUI and headless:

- A reply given after the turn's time limit is a late one: graded as a bad reply, and the call
  ends there (timed out), as it does when the time runs out with no reply at all. The TUI has
  no branch to follow when nothing was picked, so "late ends the call" is one rule for both.
- An answer that cannot be read ends the call too, graded wrong with its ``error``: there is
  no branch to follow from it either.
- ``skip`` ends the whole call, graded skipped; the replies given before it are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from drill.deck.model import UNTIMED_RATING_LIMIT, CallCard, Reply, Turn
from drill.grading import (
    Grade,
    Rating,
    Replied,
    Response,
    Skip,
    TimedOut,
    Unreadable,
    is_late,
    rating_for,
)
from drill.planning import ShownCard

ANSWER_SEPARATOR = " > "
"""Joins the replies of a call in its stored answer (SPEC 9)."""
SKIP = "skip"


@dataclass(frozen=True, slots=True)
class TurnTaken:
    """One turn of a call as it went: the reply given (None when time ran out first or the
    answer could not be read), whether it counts as good, and how long it took."""

    turn: Turn
    reply: Reply | None
    good: bool
    latency_ms: float
    timed_out: bool = False

    @property
    def better(self) -> Reply | None:
        """The good reply to show where another was given (the first good one, deck order)."""
        if self.good:
            return None
        if self.reply is not None and self.reply.good:
            return self.reply  # the right reply, given too late
        return self.turn.good_replies[0]


@dataclass(slots=True)
class CallPlay:
    """A call being played: the turn on screen and the turns taken so far.

    ``take`` moves it on; once ``ended``, ``grade``, ``expected`` and ``answer`` describe it.
    """

    shown: ShownCard
    position: int = 0
    """Index in the card's ``turns`` of the turn on screen."""
    taken: list[TurnTaken] = field(default_factory=list)
    ended: bool = False
    skipped: bool = False
    error: str | None = None
    unreadable: str | None = None
    """The raw text of an answer that could not be read, kept in the stored answer."""

    @property
    def card(self) -> CallCard:
        card = self.shown.card
        assert isinstance(card, CallCard)
        return card

    @property
    def turn(self) -> Turn:
        """The turn on screen (the last one taken, once the call has ended)."""
        return self.card.turns[self.position]

    @property
    def number(self) -> int:
        """1-based count of the turn on screen within this call (the opening turn is 1)."""
        return len(self.taken) + (0 if self.ended else 1)

    @property
    def replies(self) -> list[Reply]:
        """The turn's replies in shown order (the order letters and numbers refer to)."""
        return self.shown.replies(self.position)

    def take(
        self, response: Response, latency_ms: float, limit_s: float, overtime: bool = False
    ) -> bool:
        """Answer the turn on screen with ``response``; True when that ended the call.

        ``overtime`` marks the reply that crossed the session's ``--time-limit``: it is late,
        like one past the turn's own limit.
        """
        if self.ended:
            raise RuntimeError("the call has ended")
        turn = self.turn
        late = overtime or is_late(latency_ms, limit_s)
        if isinstance(response, Skip):
            self.skipped = True
        elif isinstance(response, Unreadable):
            self.taken.append(TurnTaken(turn, None, False, latency_ms))
            self.error, self.unreadable = response.error, response.raw
        elif isinstance(response, TimedOut):
            self.taken.append(TurnTaken(turn, None, False, latency_ms, True))
        elif isinstance(response, Replied) and response.turn == turn.id:
            reply = turn.replies[response.reply]
            self.taken.append(TurnTaken(turn, reply, reply.good and not late, latency_ms, late))
            if not late and reply.next is not None:
                self.position = self.card.turn_index(reply.next)
                return False
        else:
            raise ValueError(f"{response!r} does not answer turn `{turn.id}`")
        self.ended = True
        return True

    # --- the finished call -------------------------------------------------------------------

    def grade(self) -> Grade:
        """Right only when every reply given was good and in time (SPEC 9); rated on the total
        latency against the card's limit times the turns taken (L = 30 s a turn, untimed)."""
        if self.error is not None:
            return Grade(False, Rating.AGAIN, False, self.error)
        if self.skipped or not self.taken:
            return Grade(False, Rating.AGAIN, False)
        if any(t.timed_out for t in self.taken):
            return Grade(False, Rating.AGAIN, True)
        correct = all(t.good for t in self.taken)
        per_turn = self.shown.time_limit if self.shown.time_limit > 0 else UNTIMED_RATING_LIMIT
        total = sum(t.latency_ms for t in self.taken)
        return Grade(correct, rating_for(correct, total, per_turn * len(self.taken)), False)

    @property
    def latency_ms(self) -> float:
        """The call's latency: every turn's, added up."""
        return sum(t.latency_ms for t in self.taken)

    def expected(self) -> list[str]:
        """The good reply at each turn of the path taken (SPEC 9's ``expected``)."""
        return [t.reply.text if t.good and t.reply else t.turn.good_replies[0].text
                for t in self.taken]  # fmt: skip

    def answer(self) -> str:
        """The call as stored: the replies given joined by `` > ``; a skip ends it with
        ``skip``, an unreadable answer with its raw text."""
        parts = [t.reply.text for t in self.taken if t.reply is not None]
        if self.unreadable:
            parts.append(self.unreadable)
        if self.skipped:
            parts.append(SKIP)
        return ANSWER_SEPARATOR.join(parts)


# --- reading a recorded call back ------------------------------------------------------------


def replies_given(card: CallCard, answer: str) -> list[tuple[Turn, Reply]]:
    """The (turn, reply) pairs a stored ``answer`` records, found by walking the card's turns.

    Reply texts are matched turn by turn as prefixes of what is left of the answer, so a reply
    that itself contains `` > `` is still read as one reply. Where two readings are possible
    the one that accounts for the most of the answer wins. The walk stops where the answer no
    longer matches a reply (a skip, an unreadable answer, or a deck edited since).
    """
    # The best reading from a turn and a place in the answer does not depend on how they were
    # reached, so each is worked out once: replies that prefix one another cannot make the
    # walk exponential. Its depth is at most the turns of one path (a valid call has no loop).
    memo: dict[tuple[int, int], tuple[int, tuple[tuple[Turn, Reply], ...]]] = {}

    def walk(position: int | None, at: int) -> tuple[int, tuple[tuple[Turn, Reply], ...]]:
        """(characters left unread, the reading) from turn ``position`` at ``at``."""
        key = (-1 if position is None else position, at)
        if key in memo:
            return memo[key]
        best: tuple[int, tuple[tuple[Turn, Reply], ...]] = (len(answer) - at, ())
        if position is not None and at < len(answer):
            turn = card.turns[position]
            for reply in turn.replies:
                end = at + len(reply.text)
                if not answer.startswith(reply.text, at):
                    continue
                if end < len(answer) and not answer.startswith(ANSWER_SEPARATOR, end):
                    continue
                after = min(end + len(ANSWER_SEPARATOR), len(answer))
                rest, path = walk(_turn_index(card, reply.next), after)
                if rest < best[0] or (rest == best[0] and len(path) + 1 > len(best[1])):
                    best = (rest, ((turn, reply), *path))
        memo[key] = best
        return best

    return list(walk(0, 0)[1])


def _turn_index(card: CallCard, turn_id: str | None) -> int | None:
    if turn_id is None:
        return None
    try:
        return card.turn_index(turn_id)
    except ValueError:
        return None


def first_bad_reply(card: CallCard, answer: str) -> str | None:
    """The text of the first reply not marked good in a stored call ``answer``; None when every
    reply read back was good (or none could be read).

    For ``drill report``: the "most-given wrong answer" of a call is the first bad reply most
    often given, which is where trainees go wrong, whatever followed.
    """
    for _turn, reply in replies_given(card, answer):
        if not reply.good:
            return reply.text
    return None


def turns_payload(taken: Sequence[TurnTaken]) -> list[dict[str, object]]:
    """The ``turns`` of a call's headless ``result``: each turn, the reply, good or not, why."""
    return [
        {
            "turn": t.turn.id,
            "reply": None if t.reply is None else t.reply.text,
            "good": t.good,
            "why": None if t.reply is None else t.reply.why,
        }
        for t in taken
    ]
