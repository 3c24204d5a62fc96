"""Messages between drill's widgets, screens and app: small values, no behaviour.

Answer widgets only turn keys and clicks into a ``Response`` (``Answered``); the card screen
alone talks to the session, so grading and committing happen in one place. Screens ask the app
for a session (``StartSession``) rather than calling it, and hear when one ended
(``SessionEnded``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from drill.grading import Response

if TYPE_CHECKING:
    from drill.deck.model import Deck
    from drill.session import Options, Summary


class Answered(Message):
    """The trainee gave ``response`` to the card on screen."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


class StartSession(Message):
    """Start a session of ``options`` over ``decks`` (an exam opens on its setup screen)."""

    def __init__(self, decks: list[Deck], options: Options) -> None:
        super().__init__()
        self.decks = decks
        self.options = options


class SessionEnded(Message):
    """Sent to the screen a session returns to, once its summary is closed."""

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary
