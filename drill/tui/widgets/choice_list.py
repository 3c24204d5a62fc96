"""A choice card's answer widget: choices labelled A, B, C..., picked by letter, digit or click.

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
from textual.widgets import Label, Static

from drill.grading import Picked
from drill.planning import ShownCard
from drill.tui.i18n import _
from drill.tui.keys import settle_bindings
from drill.tui.messages import Answered

LETTERS = string.ascii_uppercase


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
    """One choice: its letter, a mark showing whether it is picked, and its text."""

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
        yield Label(f" {LETTERS[self.position]} ", classes="key")
        yield Label(self._mark(False), classes="mark", markup=False)
        yield Static(self.text, classes="text", markup=False)

    def _mark(self, picked: bool) -> str:
        if self.multiple:
            return "[✓]" if picked else "[ ]"
        return "(✓)" if picked else "( )"

    def set_picked(self, picked: bool) -> None:
        """Show the row as picked or not (a mark for NO_COLOR, a highlight otherwise)."""
        self.set_class(picked, "-picked")
        self.query_one(".mark", Label).update(self._mark(picked))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.position))


class ChoiceList(Vertical, can_focus=True):
    """Every choice of the card; one is picked at a time, or any number when ``multiple``.

    Letters and digits are read in ``on_key`` rather than bound one by one: that keeps every
    letter an answer (a choice may be Q) and lets the footer show one ``A-D`` hint.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "pick(0)", "Pick"),
        Binding("enter", "submit", "Submit"),
    ]

    def __init__(self, shown: ShownCard) -> None:
        super().__init__(id="answer")
        self.shown = shown
        self.texts = [choice.text for choice in shown.choices]
        self.multiple = bool(getattr(shown.card, "multiple", False))
        self.picked: set[int] = set()
        """Shown positions currently picked."""
        settle_bindings(self)
        hint = _("Toggle") if self.multiple else _("Pick")
        last = LETTERS[len(self.texts) - 1]
        self._bindings.key_to_bindings["a"] = [
            Binding("a", "pick(0)", hint, key_display=f"A-{last}")
        ]

    def compose(self) -> ComposeResult:
        for position, text in enumerate(self.texts):
            yield ChoiceRow(position, text, self.multiple)

    def on_key(self, event: events.Key) -> None:
        """Letters and digits pick; handled here so that no letter can mean anything else."""
        position = position_of(event.character, len(self.texts))
        if position is not None:
            event.stop()
            event.prevent_default()
            self.action_pick(position)

    def on_choice_row_clicked(self, message: ChoiceRow.Clicked) -> None:
        self.focus()
        self.action_pick(message.position)

    def action_pick(self, position: int) -> None:
        """Pick the choice at ``position``; with several right answers, toggle it."""
        if self.multiple:
            self.picked ^= {position}
        else:
            self.picked = {position}
        for row in self.query(ChoiceRow):
            row.set_picked(row.position in self.picked)

    def action_submit(self) -> None:
        """Send the picked choices, as indexes into the card's own list."""
        if not self.picked:
            self.notify(_("Pick a choice first."), severity="warning", timeout=2)
            return
        indexes = frozenset(self.shown.order[p] for p in self.picked)
        self.post_message(Answered(Picked(indexes)))
