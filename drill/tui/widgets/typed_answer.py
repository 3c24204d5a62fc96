"""A typed card's answer widget: one line of text, sent with Enter."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from drill.grading import Typed
from drill.tui.i18n import _
from drill.tui.messages import Answered
from drill.tui.widgets.answer import AnswerInput
from drill.tui.widgets.line_input import LineInput


class TypedAnswer(AnswerInput, LineInput):
    """The trainee's reply, sent exactly as typed (grading normalises it, not the screen).

    Text typed but not sent when time runs out is graded (as timed out) and shown."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "submit", "Submit")]

    def __init__(self) -> None:
        super().__init__(placeholder=_("Type your answer, then press Enter"), id="answer")

    def pending(self) -> Typed | None:
        """The text in the field, unless it is blank."""
        return Typed(self.value) if self.value.strip() else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.notify(_("Type an answer first, or skip the card."), severity="warning", timeout=2)
            return
        self.post_message(Answered(Typed(event.value)))
