"""The replies of a call's turn: labelled A, B, C..., picked by letter, digit, arrows or click,
said with Enter, like a choice card's choices.

Positions here are positions as shown; the ``Replied`` response maps them back to the turn's
own replies through the shown card's ``turn_orders``, which is what the engine expects.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Label

from drill.deck.calls import MAX_REPLIES
from drill.grading import Replied
from drill.planning import ShownCard
from drill.tui.base import OwnKeysInOrder
from drill.tui.i18n import _
from drill.tui.messages import Answered
from drill.tui.widgets.answer import AnswerInput
from drill.tui.widgets.choice_list import LETTERS, PickedByKey
from drill.tui.widgets.prose import Prose


class ReplyRow(Horizontal):
    """One reply: its letter, a marker when it is the one picked, and its text."""

    class Clicked(Message):
        """The trainee clicked the reply at ``position``."""

        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, position: int) -> None:
        super().__init__(classes="reply-row")
        self.position = position

    def compose(self) -> ComposeResult:
        yield Label(f" {LETTERS[self.position]} ", classes="key")
        yield Label(" ", classes="marker")
        yield Prose("", classes="text")

    def set_text(self, text: str | None) -> None:
        """Show the reply ``text`` in this row, or hide the row when this turn has fewer."""
        self.display = text is not None
        self.query_one(".text", Prose).set_text(text or "")

    def set_picked(self, picked: bool) -> None:
        """Show the row as the one picked (a marker for NO_COLOR, a highlight otherwise)."""
        self.set_class(picked, "-picked")
        self.query_one(".marker", Label).update("❯" if picked else " ")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.position))


class ReplyList(OwnKeysInOrder, AnswerInput, PickedByKey, VerticalScroll, can_focus=True):
    """The replies of the turn on screen; one is picked at a time and Enter says it.

    Letters and digits are read in ``on_key`` rather than bound one by one, as on a choice
    card: every letter stays a reply, and the footer shows one ``A-C`` hint. A reply picked
    but not said when the turn's time runs out is not said: the turn ends without a reply
    (``pending`` stays None), as in the headless runner.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "pick(0)", "Pick"),
        Binding("up", "cursor(-1)", "Choose", key_display="↑↓"),
        Binding("down", "cursor(1)", "Choose", show=False),
        Binding("enter", "submit", "Say it"),
    ]

    def __init__(self, shown: ShownCard, turn: int) -> None:
        super().__init__(id="answer")
        self.shown = shown
        self.turn = turn
        self.texts = [reply.text for reply in shown.replies(turn)]
        self.picked: int | None = None
        """The shown position picked, if any."""
        self._letters_hint()

    def _letters_hint(self) -> None:
        """The footer's letter hint names this turn's letters (``A-C``), as a choice card's."""
        last = LETTERS[len(self.texts) - 1]
        count = len(self.texts)
        self.rebind("a", Binding("a", "pick(0)", _("Pick"), key_display=f"A-{last}/1-{count}"))

    def compose(self) -> ComposeResult:
        for position in range(MAX_REPLIES):  # rows are reused from turn to turn
            yield ReplyRow(position)

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        for row in self.query(ReplyRow):
            row.set_text(self.texts[row.position] if row.position < len(self.texts) else None)
            row.set_picked(row.position == self.picked)

    def show_turn(self, turn: int) -> None:
        """Show the replies of the call's ``turn``-th turn (an index into its ``turns``)."""
        self.turn = turn
        self.texts = [reply.text for reply in self.shown.replies(turn)]
        self.picked = None
        self._letters_hint()
        self._fill()
        self.scroll_home(animate=False)
        self.refresh_bindings()

    def on_reply_row_clicked(self, message: ReplyRow.Clicked) -> None:
        self.focus()
        self.action_pick(message.position)

    def action_pick(self, position: int) -> None:
        """Pick the reply at ``position`` (only one is picked at a time)."""
        self.picked = position
        for row in self.query(ReplyRow):
            row.set_picked(row.position == position)
            if row.position == position:
                self.scroll_to_widget(row, animate=False)

    def action_cursor(self, delta: int) -> None:
        """Pick the reply above or below (the first, when none is picked yet)."""
        if self.picked is None:
            self.action_pick(0 if delta > 0 else len(self.texts) - 1)
        else:
            self.action_pick(max(0, min(len(self.texts) - 1, self.picked + delta)))

    def action_submit(self) -> None:
        """Say the picked reply, as an index into the turn's own replies."""
        if self.picked is None:
            self.notify(_("Pick a reply first."), severity="warning", timeout=2)
            return
        turn = self.shown.card.turns[self.turn]  # type: ignore[union-attr]
        reply = self.shown.turn_orders[self.turn][self.picked]
        self.post_message(Answered(Replied(turn.id, reply)))
