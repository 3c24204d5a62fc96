"""What every answer widget shares with the card screen, beyond the ``Answered`` message."""

from __future__ import annotations

from textual.message import Message

from drill.grading import Ordered, Picked, Typed


class AnswerInput:
    """Mixed into an answer widget that holds input before it is sent (text typed, choices
    picked, steps moved): when the card's time runs out, that input is graded as timed out,
    kept and shown, not thrown away."""

    FOOTER_DROPS: tuple[tuple[str, ...], ...] = ()
    """The widget's key hints that may leave a narrow footer, first to go first (each a
    hint's keys); the keys still work and the help screen lists them."""

    def pending(self) -> Picked | Ordered | Typed | None:
        """What the trainee had entered but not sent; None when nothing."""
        return None


class StopClock(Message):
    """The card's answer time ends now: a flashcard's back was shown, and what remains is the
    trainee's own rating of their recall, not a race."""
