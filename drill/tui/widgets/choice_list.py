"""A choice card's answer widget: choices labelled A, B, C..., picked by letter, digit, the
cursor (arrows and Space) or a click; Enter sends them.

Positions here are positions as shown; the ``Picked`` response maps them back to the deck's
choice indexes through the shown card's ``order``, which is what grading expects.
"""

from __future__ import annotations

import string
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label

from drill.grading import Picked
from drill.planning import ShownCard
from drill.tui.base import OwnKeysInOrder
from drill.tui.i18n import _
from drill.tui.messages import Answered
from drill.tui.widgets.answer import AnswerInput
from drill.tui.widgets.prose import Prose

LETTERS = string.ascii_uppercase
MOVE = Binding.Group("Move", compact=True)


def position_of(character: str | None, count: int) -> int | None:
    """The shown position a key names: a letter (either case) or a digit 1-9, if in range."""
    if not character or len(character) != 1:
        return None
    if character.upper() in LETTERS:
        position = LETTERS.index(character.upper())
    elif character in "123456789":
        position = int(character) - 1
    else:
        return None
    return position if position < count else None


class ChoiceRow(Horizontal):
    """One choice: the cursor, its letter, a mark showing whether it is picked, and its text."""

    class Clicked(Message):
        """The trainee clicked the choice at ``position``."""

        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, position: int, text: str, multiple: bool) -> None:
        super().__init__(classes="choice-row", id=f"choice-{LETTERS[position].lower()}")
        self.position = position
        self.text = text
        self.multiple = multiple

    def compose(self) -> ComposeResult:
        yield Label(" ", classes="cursor")
        yield Label(f" {LETTERS[self.position]} ", classes="key")
        yield Label(self._mark(False), classes="mark", markup=False)
        yield Prose(self.text, classes="text")

    def _mark(self, picked: bool) -> str:
        if self.multiple:
            return "[✓]" if picked else "[ ]"
        return "(✓)" if picked else "( )"

    def show(self, picked: bool, cursor: bool) -> None:
        """Show the row as picked or not, and whether the cursor is on it (a mark for
        NO_COLOR, a highlight otherwise)."""
        self.set_class(picked, "-picked")
        self.set_class(cursor, "-cursor")
        self.query_one(".mark", Label).update(self._mark(picked))
        self.query_one(".cursor", Label).update("❯" if cursor else " ")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.position))


class PickedByKey:
    """Mixed into a list whose rows are picked by letter or digit (a choice card's choices, a
    call's replies). The keys are read in ``on_key`` rather than bound one by one: that keeps
    every letter an answer (a choice may be Q) and lets the footer show one ``A-D`` hint."""

    texts: list[str]
    """The rows' texts, in shown order."""

    def action_pick(self, position: int) -> None:
        raise NotImplementedError

    def on_key(self, event: events.Key) -> None:
        """Letters and digits pick; handled here so that no letter can mean anything else."""
        position = position_of(event.character, len(self.texts))
        if position is not None:
            event.stop()
            event.prevent_default()
            self.action_pick(position)


class ChoiceList(OwnKeysInOrder, AnswerInput, PickedByKey, Vertical, can_focus=True):
    """Every choice of the card; one is picked at a time, or any number when ``multiple``."""

    FOOTER_DROPS = (("space",), ("up", "down"))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "pick(0)", "Pick"),
        Binding("up", "cursor(-1)", "Move", key_display="↑", group=MOVE),
        Binding("down", "cursor(1)", "Move", key_display="↓", group=MOVE),
        Binding("space", "pick_cursor", "Pick"),
        Binding("enter", "submit", "Submit"),
    ]

    def __init__(self, shown: ShownCard) -> None:
        super().__init__(id="answer")
        self.shown = shown
        self.texts = [choice.text for choice in shown.choices]
        self.multiple = bool(getattr(shown.card, "multiple", False))
        self.picked: set[int] = set()
        """Shown positions currently picked."""
        self.cursor = 0
        hint = _("Toggle") if self.multiple else _("Pick")
        last = LETTERS[len(self.texts) - 1]
        count = len(self.texts)
        keys = f"A-{last}" if count > 9 else f"A-{last}/1-{count}"
        self.rebind("a", Binding("a", "pick(0)", hint, key_display=keys))
        self.rebind("space", Binding("space", "pick_cursor", hint, key_display="space"))

    def compose(self) -> ComposeResult:
        for position, text in enumerate(self.texts):
            yield ChoiceRow(position, text, self.multiple)
        yield Prose("", id="choice-hint")

    def on_mount(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        for row in self.query(ChoiceRow):
            row.show(row.position in self.picked, row.position == self.cursor)

    def on_choice_row_clicked(self, message: ChoiceRow.Clicked) -> None:
        self.focus()
        self.action_pick(message.position)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor to the choice above or below."""
        self.cursor = max(0, min(len(self.texts) - 1, self.cursor + delta))
        self._redraw()

    def action_pick_cursor(self) -> None:
        """Pick (or, with several right answers, toggle) the choice under the cursor."""
        self.action_pick(self.cursor)

    def action_pick(self, position: int) -> None:
        """Pick the choice at ``position``; with several right answers, toggle it."""
        if self.multiple:
            self.picked ^= {position}
        else:
            self.picked = {position}
        self.cursor = position
        self.query_one("#choice-hint", Prose).set_text("")
        self._redraw()

    def pending(self) -> Picked | None:
        """The choices picked but not yet sent."""
        if not self.picked:
            return None
        return Picked(frozenset(self.shown.order[p] for p in self.picked))

    def action_submit(self) -> None:
        """Send the picked choices; with none picked, say how to pick one."""
        picked = self.pending()
        if picked is None:
            last = LETTERS[len(self.texts) - 1]
            self.query_one("#choice-hint", Prose).set_text(
                _(
                    "Enter sends the choices picked, and none is yet: press A-{last}, or move "
                    "with ↑↓ and press Space."
                ).format(last=last)
            )
            return
        self.post_message(Answered(picked))
