"""Feedback after an answer (review and drill modes): right or wrong, and why.

Shown only after ``Session.answer`` returned, so what it says is already stored. Dismissed with
True to go on to the next card, False to end the session (Esc, confirmed).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label

from drill.deck.model import OrderCard
from drill.grading import Skip
from drill.session import Result, Session
from drill.tui.base import Localised
from drill.tui.format import answer_items, expected_items, misplaced, not_in_place
from drill.tui.i18n import _
from drill.tui.screens.card import SESSION_BINDINGS, session_status
from drill.tui.widgets.item_list import ItemList
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.scroll_body import ScrollBody
from drill.tui.widgets.title_bar import TitleBar


def verdict(result: Result) -> tuple[str, str]:
    """The headline and its CSS class: right, wrong, skipped or too late."""
    if result.correct:
        return "✓ " + _("Right"), "right"
    if result.timed_out:
        return "✗ " + _("Time's up"), "wrong"
    if isinstance(result.response, Skip):
        return "↷ " + _("Skipped"), "wrong"
    return "✗ " + _("Not quite"), "wrong"


def order_comparison(result: Result) -> Widget:
    """The trainee's order beside the right one, misplaced steps marked."""
    shown = result.shown
    mine = Vertical(
        Label(_("Your order"), classes="heading"),
        ItemList(
            answer_items(shown, result.response, result.answer),
            flags=misplaced(result.response),
            classes="given",
        ),
        Label(not_in_place(), classes="caption"),
        classes="side",
    )
    theirs = Vertical(
        Label(_("The right order"), classes="heading"),
        ItemList(expected_items(shown.card, result.expected), classes="expected"),
        classes="side",
    )
    return Horizontal(mine, theirs, id="order-comparison")


class AfterAnswer(Localised, Screen[bool]):
    """What a screen shown after a stored answer shares: Enter goes on (dismissed with True),
    Esc asks, then ends the session (dismissed with False). Its scrolling body, ``BODY_ID``,
    has the focus, so the arrow keys scroll it."""

    BODY_ID: ClassVar[str]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "next", "Next card", key_display="⏎"),
        *SESSION_BINDINGS,
    ]

    def __init__(self, session: Session, result: Result, classes: str) -> None:
        super().__init__(classes=classes)
        self.session = session
        self.result = result

    def on_mount(self) -> None:
        self.query_one(f"#{self.BODY_ID}").focus()

    def action_next(self) -> None:
        """On to the next card, or the summary after the last one."""
        self.dismiss(True)

    def action_end(self) -> None:
        """Ask, then end the session here; everything answered so far is already stored."""
        from drill.tui.screens.confirm import ConfirmEndScreen

        def confirmed(end: bool | None) -> None:
            if end:
                self.dismiss(False)

        self.app.push_screen(ConfirmEndScreen(), confirmed)


class FeedbackScreen(AfterAnswer):
    """What the trainee answered, the right answer, the card's explanation, each chosen why."""

    BODY_ID = "feedback-body"

    def __init__(self, session: Session, result: Result) -> None:
        super().__init__(session, result, classes="feedback-screen")

    def compose(self) -> ComposeResult:
        result = self.result
        shown = result.shown
        yield TitleBar(shown.deck.title, session_status(self.session, shown.index))
        headline, kind = verdict(result)
        given = answer_items(shown, result.response, result.answer)
        with ScrollBody(id="feedback-body"):
            yield Label(headline, id="verdict", classes=kind)
            if shown.card.prompt_text:
                yield Prose(shown.card.prompt_text, id="asked")
            wrong_order = isinstance(shown.card, OrderCard) and bool(given) and not result.correct
            if wrong_order:
                yield order_comparison(result)
            elif given and not result.correct and not isinstance(result.response, Skip):
                yield Label(_("Your answer"), classes="heading")
                yield ItemList(given, classes="given")
            if result.error:
                yield Prose(result.error, classes="error")
            if not wrong_order:
                yield Label(
                    _("Answer") if result.correct else _("The right answer"), classes="heading"
                )
                yield ItemList(expected_items(shown.card, result.expected), classes="expected")
            if result.explain:
                yield Prose(result.explain, classes="explain")
            if result.whys:
                yield Label(_("About your choice"), classes="heading")
                with Vertical(classes="whys"):
                    for text, why in result.whys:
                        yield Prose(Text.assemble((text, "bold"), "\n", why), classes="why")
        yield Footer()
