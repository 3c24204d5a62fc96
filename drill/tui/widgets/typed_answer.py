"""A typed card's answer widget: one line of text, sent with Enter."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

from drill.grading import Typed
from drill.tui.i18n import _
from drill.tui.keys import settle_bindings
from drill.tui.messages import Answered


class TypedAnswer(Input):
    """The trainee's reply, sent exactly as typed (grading normalises it, not the screen)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "submit", "Submit")]

    def __init__(self) -> None:
        super().__init__(placeholder=_("Type your answer, then press Enter"), id="answer")
        settle_bindings(self)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.notify(_("Type an answer first, or skip the card."), severity="warning", timeout=2)
            return
        self.post_message(Answered(Typed(event.value)))
