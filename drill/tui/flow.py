"""One session through its screens: each card, its feedback, the summary.

Each screen is pushed with a callback and hands its outcome back with ``dismiss()``: the card
screen its committed ``Result`` (or ``None`` when the trainee ended the session), the feedback
screen whether to go on, the summary nothing. This class alone decides what comes next, so the
screens know nothing of each other or of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from drill.grading import Recalled

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from drill.session import Result, Session, Summary


def feedback_screen(session: Session, result: Result) -> Screen[bool] | None:
    """What to show after ``result`` was stored, if anything: feedback in review and drill.

    The one place a card type can have its own after-answer screen (a call's review, say).
    A rated flashcard showed its back before rating: feedback would only repeat it.
    """
    if session.options.mode == "exam" or not result.shown.graded:
        return None
    if isinstance(result.response, Recalled):
        return None
    if result.shown.card.type == "call":
        from drill.tui.screens.call_review import CallReviewScreen

        return CallReviewScreen(session, result)
    from drill.tui.screens.feedback import FeedbackScreen

    return FeedbackScreen(session, result)


def card_screen(session: Session) -> Screen[Result | None]:
    """The screen for the card on screen: a call plays on its own screen, turn by turn."""
    current = session.current
    assert current is not None
    if current.card.type == "call":
        from drill.tui.screens.call import CallScreen

        return CallScreen(session)
    from drill.tui.screens.card import CardScreen

    return CardScreen(session)


class SessionFlow:
    """Runs ``session`` on ``app`` from its current card to its summary, then calls ``closed``
    with the summary once the trainee leaves it."""

    def __init__(self, app: App[None], session: Session, closed: Callable[[Summary], None]) -> None:
        self.app = app
        self.session = session
        self.closed = closed
        self.title = ", ".join(d.title for d in session.decks)

    def start(self) -> None:
        """Show the first card (or, for a session with none, its summary)."""
        self._next()

    def _next(self) -> None:
        if self.session.current is None:
            self._summary()
            return
        self.app.push_screen(card_screen(self.session), self._answered)

    def _answered(self, result: Result | None) -> None:
        if result is None:  # the trainee ended the session
            self._summary()
            return
        screen = feedback_screen(self.session, result)
        if screen is None:
            self._next()
        else:
            self.app.push_screen(screen, self._after_feedback)

    def _after_feedback(self, go_on: bool | None) -> None:
        if go_on:
            self._next()
        else:
            self._summary()

    def _summary(self) -> None:
        from drill.tui.screens.summary import SummaryScreen

        summary = self.session.finish()
        self.app.push_screen(SummaryScreen(summary, self.title), lambda _: self.closed(summary))
