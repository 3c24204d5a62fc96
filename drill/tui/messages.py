"""Messages the answer widgets send to the card screen: small values, no behaviour.

Each answer widget only knows how to turn keys and clicks into a ``Response``; the card screen
alone talks to the session, so grading and committing happen in one place.
"""

from __future__ import annotations

from textual.message import Message

from drill.grading import Response


class Answered(Message):
    """The trainee gave ``response`` to the card on screen."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


class PacerFinished(Message):
    """A breathing pacer ran all its cycles."""
