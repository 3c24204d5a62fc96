"""A call card's transcript: the customer's lines and the trainee's replies, building up like a
chat as the call goes on (and, after the call, as its review).

It only draws what it is given; the call screen decides what was said.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.widget import AwaitMount

from drill.tui.i18n import _
from drill.tui.widgets.prose import Prose


def customer_line(text: str) -> Text:
    """The customer's line, with who is speaking."""
    return Text.assemble((_("Customer") + "  ", "bold"), text)


def reply_line(text: str, mark: str = "") -> Text:
    """The trainee's reply, with who is speaking (and a ✓ or ✗ in the review)."""
    who = f"{mark} {_('You')}" if mark else _("You")
    return Text.assemble((who + "  ", "bold"), text)


class CallTranscript(Vertical):
    """Every line of the call so far, oldest first: the customer on the left, the trainee's
    replies set off to the right."""

    def say_customer(self, text: str) -> AwaitMount:
        """Add the customer's next line (awaitable: it is there once mounted)."""
        return self.mount(Prose(customer_line(text), classes="say-customer"))

    def say_reply(self, text: str) -> AwaitMount:
        """Add the reply the trainee just gave (awaitable: it is there once mounted)."""
        return self.mount(Prose(reply_line(text), classes="say-reply"))
