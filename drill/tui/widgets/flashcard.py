"""A flashcard's answer widget: reveal the back, then rate how well it was recalled.

Rating is the trainee's own verdict, so the back (and the card's ``explain``) is shown here,
before rating, rather than on a feedback screen afterwards.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button

from drill.deck.model import Flashcard
from drill.grading import Rating, Recalled
from drill.tui.base import OwnKeysInOrder
from drill.tui.i18n import N_, _
from drill.tui.messages import Answered
from drill.tui.widgets.answer import StopClock
from drill.tui.widgets.prose import Prose

RATE = Binding.Group("Rate", compact=True)
RATINGS = {
    Rating.AGAIN: N_("Again"),
    Rating.HARD: N_("Hard"),
    Rating.GOOD: N_("Good"),
    Rating.EASY: N_("Easy"),
}


class FlashcardAnswer(OwnKeysInOrder, Vertical, can_focus=True):
    """Hidden back and a reveal button; after revealing, the back and four rating buttons.

    Revealing stops the card's clock (``StopClock``): the rating is the trainee's own verdict
    on their recall, and reading the back is no race."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show answer", key_display="space"),
        *(
            Binding(str(int(r)), f"rate({int(r)})", label, group=RATE)
            for r, label in RATINGS.items()
        ),
    ]

    def __init__(self, card: Flashcard) -> None:
        super().__init__(id="answer")
        self.card = card
        self.revealed = False

    def compose(self) -> ComposeResult:
        reveal = Button(_("Show answer"), id="reveal", classes="reveal")
        reveal.can_focus = False
        yield reveal
        with Vertical(id="back"):
            yield Prose(self.card.back, classes="back-text")
            if self.card.explain:
                yield Prose(self.card.explain, classes="explain")
            with Horizontal(classes="ratings"):
                for rating, label in RATINGS.items():
                    button = Button(
                        f"{int(rating)} {_(label)}",
                        id=f"rate-{int(rating)}",
                        classes=f"rating rating-{rating.label}",
                    )
                    button.can_focus = False
                    yield button

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show "reveal" until the back is shown and the ratings only after."""
        if action == "reveal":
            return not self.revealed
        if action == "rate":
            return self.revealed
        return True

    def action_reveal(self) -> None:
        """Show the back and the rating buttons; the card's time stops here."""
        if self.revealed:
            return
        self.post_message(StopClock())
        self.revealed = True
        self.add_class("-revealed")
        self.refresh_bindings()

    def action_rate(self, value: int) -> None:
        """Send the trainee's rating of their recall."""
        if self.revealed:
            self.post_message(Answered(Recalled(Rating(value))))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "reveal":
            self.action_reveal()
        elif event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(int(event.button.id.removeprefix("rate-")))
