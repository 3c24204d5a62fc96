""" "End the session?": asked when Esc is pressed during a session (SPEC 6).

A second Esc, or Enter, ends it; any other key (or a click) goes back to the card. Ctrl-C
still quits at once. The card stays visible behind the question and its time keeps running:
asking is not a way to pause a timed card.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from drill.tui.base import Localised
from drill.tui.i18n import _
from drill.tui.widgets.prose import Prose


class ConfirmEndScreen(Localised, ModalScreen[bool]):
    """Dismissed with True to end the session, False to go back to it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(_("End this session?"), id="confirm-title")
            yield Prose(
                _(
                    "Every answer so far is kept. Cards not answered are left out (in an exam, "
                    "they count as wrong)."
                ),
                classes="confirm-note",
            )
            yield Prose(
                _("Esc or Enter: end the session · any other key: back to the card"),
                classes="confirm-keys",
            )

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(event.key in ("escape", "enter"))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.dismiss(False)
