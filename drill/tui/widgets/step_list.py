"""An order card's answer widget: the steps, shuffled, moved into place one at a time.

The arrangement is a list of shown positions; the ``Ordered`` response maps it back to the
deck's step indexes through the shown card's ``order``, which is what grading expects.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label, Static

from drill.grading import Ordered
from drill.planning import ShownCard
from drill.tui.keys import settle_bindings
from drill.tui.messages import Answered

CHOOSE = Binding.Group("Choose", compact=True)
MOVE = Binding.Group("Move step", compact=True)


class StepRow(Horizontal):
    """One step at its current place in the trainee's arrangement."""

    class Clicked(Message):
        """The trainee clicked the row at ``place``."""

        def __init__(self, place: int) -> None:
            super().__init__()
            self.place = place

    def __init__(self, place: int) -> None:
        super().__init__(classes="step-row")
        self.place = place

    def compose(self) -> ComposeResult:
        yield Label("", classes="marker")
        yield Label(f"{self.place + 1}.", classes="number")
        yield Static("", classes="text", markup=False)

    def show(self, text: str, highlighted: bool) -> None:
        """Draw ``text`` at this place; the highlighted row carries the marker."""
        self.set_class(highlighted, "-highlighted")
        self.query_one(".marker", Label).update("❯" if highlighted else " ")
        self.query_one(".text", Static).update(text)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.place))


class StepList(Vertical, can_focus=True):
    """The steps in the trainee's current order, with one highlighted step that moves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Choose", key_display="↑", group=CHOOSE),
        Binding("down", "cursor(1)", "Choose", key_display="↓", group=CHOOSE),
        Binding("shift+up,ctrl+up", "move(-1)", "Move up", key_display="⇧↑", group=MOVE),
        Binding("shift+down,ctrl+down", "move(1)", "Move down", key_display="⇧↓", group=MOVE),
        Binding("enter", "submit", "Submit"),
    ]

    def __init__(self, shown: ShownCard) -> None:
        super().__init__(id="answer")
        self.shown = shown
        self.steps = shown.steps
        self.arrangement = list(range(len(self.steps)))
        """Shown positions of the steps, in the order the trainee has put them."""
        self.cursor = 0
        settle_bindings(self)

    def compose(self) -> ComposeResult:
        for place in range(len(self.steps)):
            yield StepRow(place)

    def on_mount(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        for row in self.query(StepRow):
            row.show(self.steps[self.arrangement[row.place]], row.place == self.cursor)

    def action_cursor(self, delta: int) -> None:
        """Highlight the step above or below."""
        self.cursor = max(0, min(len(self.steps) - 1, self.cursor + delta))
        self._redraw()

    def action_move(self, delta: int) -> None:
        """Move the highlighted step one place up or down, keeping it highlighted."""
        target = self.cursor + delta
        if 0 <= target < len(self.steps):
            order = self.arrangement
            order[self.cursor], order[target] = order[target], order[self.cursor]
            self.cursor = target
            self._redraw()

    def on_step_row_clicked(self, message: StepRow.Clicked) -> None:
        self.focus()
        self.cursor = message.place
        self._redraw()

    def action_submit(self) -> None:
        """Send the arrangement, as indexes into the card's own steps."""
        sequence = tuple(self.shown.order[p] for p in self.arrangement)
        self.post_message(Answered(Ordered(sequence)))
