"""Feedback after an answer (review and drill modes): right or wrong, and why.

Shown only after ``Session.answer`` returned, so what it says is already stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from drill.grading import Skip
from drill.session import Result, Session
from drill.tui.format import expected_lines
from drill.tui.i18n import _
from drill.tui.keys import settle_bindings
from drill.tui.screens.card import SESSION_BINDINGS, session_status
from drill.tui.widgets.scroll_body import ScrollBody
from drill.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from drill.tui.app import DrillApp


def verdict(result: Result) -> tuple[str, str]:
    """The headline and its CSS class: right, wrong, skipped or too late."""
    if result.correct:
        return "✓ " + _("Right"), "right"
    if result.timed_out:
        return "✗ " + _("Time's up"), "wrong"
    if isinstance(result.response, Skip):
        return "↷ " + _("Skipped"), "wrong"
    return "✗ " + _("Not quite"), "wrong"


class FeedbackScreen(Screen[None]):
    """What the trainee answered, the right answer, the card's explanation, each chosen why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "next", "Next card", key_display="enter"),
        *SESSION_BINDINGS,
    ]

    def __init__(self, session: Session, result: Result) -> None:
        super().__init__(classes="feedback-screen")
        settle_bindings(self)
        self.session = session
        self.result = result

    def compose(self) -> ComposeResult:
        result = self.result
        shown = result.shown
        yield TitleBar(shown.deck.title, session_status(self.session, shown.index))
        headline, kind = verdict(result)
        with ScrollBody(id="feedback-body"):
            yield Label(headline, id="verdict", classes=kind)
            if shown.card.prompt_text:
                yield Static(shown.card.prompt_text, id="asked", markup=False)
            if result.answer and not result.correct and not isinstance(result.response, Skip):
                yield Label(_("Your answer"), classes="heading")
                yield Static(result.answer, classes="given", markup=False)
            if result.error:
                yield Static(result.error, classes="error", markup=False)
            yield Label(_("Answer") if result.correct else _("The right answer"), classes="heading")
            yield Static(
                "\n".join(expected_lines(shown.card, result.expected)),
                classes="expected",
                markup=False,
            )
            if result.explain:
                yield Static(result.explain, classes="explain", markup=False)
            if result.whys:
                yield Label(_("About your choice"), classes="heading")
                with Vertical(classes="whys"):
                    for text, why in result.whys:
                        yield Static(Text.assemble((text, "bold"), "\n", why), classes="why")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feedback-body").focus()

    def action_next(self) -> None:
        """On to the next card, or the summary after the last one."""
        cast("DrillApp", self.app).advance()

    def action_end(self) -> None:
        """End the session here; everything answered so far is already stored."""
        cast("DrillApp", self.app).end_session()
