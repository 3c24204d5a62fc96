"""The review after a call (review and drill modes): each turn, the reply given, good or not,
why, and the good reply where another was given.

Shown only after ``Session.answer_turn`` ended the call, so what it says is already stored.
A call trains judgement in sequence; this is where the trainee learns why a reply was bad.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Footer, Label

from drill.calls import TurnTaken
from drill.grading import Skip
from drill.session import Result, Session
from drill.tui.i18n import _, ngettext
from drill.tui.screens.card import session_status
from drill.tui.screens.feedback import AfterAnswer
from drill.tui.widgets.call_transcript import customer_line, reply_line
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.scroll_body import ScrollBody
from drill.tui.widgets.title_bar import TitleBar


def call_verdict(result: Result) -> tuple[str, str]:
    """The headline and its CSS class: every reply good, some not, too late or skipped."""
    if result.correct:
        return "✓ " + _("Every reply was a good one"), "right"
    if isinstance(result.response, Skip):
        return "↷ " + _("Call skipped"), "wrong"
    if result.timed_out:
        return "✗ " + _("Time's up: the call ended there"), "wrong"
    missed = sum(1 for t in result.turns if not t.good)
    return "✗ " + ngettext(
        "{n} reply could have been better", "{n} replies could have been better", missed
    ).format(n=missed), "wrong"


def turn_entries(taken: TurnTaken) -> list[Prose]:
    """One turn of the review: what the customer said, the reply, why, and the better reply."""
    entries = [Prose(customer_line(taken.turn.customer), classes="say-customer")]
    mark = "✓" if taken.good else "✗"
    said = taken.reply.text if taken.reply is not None else _("(no reply)")
    kind = "say-reply " + ("good" if taken.good else "bad")
    entries.append(Prose(reply_line(said, mark), classes=kind))
    notes = Text()
    if taken.timed_out:
        notes.append(_("Too late: a turn's time ran out, and the call ended."), "bold")
    if taken.reply is not None and taken.reply.why:
        notes.append(("\n" if notes else "") + taken.reply.why)
    better = taken.better
    if better is not None and better is not taken.reply:
        notes.append(("\n" if notes else "") + _("Better: "), "bold")
        notes.append(better.text)
    if notes:
        entries.append(Prose(notes, classes="turn-why " + ("good" if taken.good else "bad")))
    return entries


class CallReviewScreen(AfterAnswer):
    """The call as it went, turn by turn, with what each reply did."""

    CSS_PATH = "../call.tcss"
    BODY_ID = "call-review-body"

    def __init__(self, session: Session, result: Result) -> None:
        super().__init__(session, result, classes="call-review-screen")

    def compose(self) -> ComposeResult:
        result = self.result
        shown = result.shown
        yield TitleBar(shown.deck.title, session_status(self.session, shown.index))
        headline, kind = call_verdict(result)
        with ScrollBody(id="call-review-body"):
            yield Label(headline, id="verdict", classes=kind)
            yield Prose(shown.card.prompt_text or "", id="asked")
            if result.error:
                yield Prose(result.error, classes="error")
            yield Label(_("The call, turn by turn"), classes="heading")
            for taken in result.turns:
                yield from turn_entries(taken)
            if result.explain:
                yield Prose(result.explain, classes="explain")
        yield Footer()
