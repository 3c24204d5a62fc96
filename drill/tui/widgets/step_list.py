"""An order card's answer widget: the steps, shuffled, put in order by typing their numbers
(``3 1 4 2``) or by moving one step at a time.

Each step keeps the number it was shown with, whatever place it is moved to: the numbers name
the steps (as the headless protocol's positions do), so typing them in the right order is the
whole answer, however many steps there are. The arrangement is a list of shown positions; the
``Ordered`` response maps it back to the deck's step indexes through the shown card's
``order``, which is what grading expects.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label

from drill.grading import Ordered
from drill.planning import ShownCard
from drill.tui.base import OwnKeysInOrder
from drill.tui.i18n import _
from drill.tui.messages import Answered
from drill.tui.widgets.answer import AnswerInput
from drill.tui.widgets.prose import Prose

CHOOSE = Binding.Group("Choose", compact=True)
MOVE = Binding.Group("Move", compact=True)


class StepRow(Horizontal):
    """One place of the trainee's arrangement, showing the step there and its number."""

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
        yield Label("", classes="number")
        yield Prose("", classes="text")

    def show(self, number: int, text: str, highlighted: bool, placed: bool) -> None:
        """Draw step ``number`` here; the highlighted row carries the marker, a step put here
        by typing its number is marked as placed."""
        self.set_class(highlighted, "-highlighted")
        self.set_class(placed, "-placed")
        self.query_one(".marker", Label).update("❯" if highlighted else " ")
        self.query_one(".number", Label).update(f"{number:>2}")
        self.query_one(".text", Prose).set_text(text)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.place))


class StepList(OwnKeysInOrder, AnswerInput, Vertical, can_focus=True):
    """The steps in the trainee's current order, with one highlighted step that moves."""

    FOOTER_DROPS = (
        ("up", "down"),
        ("backspace",),
        ("shift+up", "ctrl+up", "shift+down", "ctrl+down"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "noop", "Type order"),
        Binding("up", "cursor(-1)", "Choose", key_display="↑", group=CHOOSE),
        Binding("down", "cursor(1)", "Choose", key_display="↓", group=CHOOSE),
        Binding("shift+up,ctrl+up", "move(-1)", "Move", key_display="Shift+↑", group=MOVE),
        Binding("shift+down,ctrl+down", "move(1)", "Move", key_display="↓", group=MOVE),
        Binding("backspace", "undo", "Undo"),
        Binding("enter", "submit", "Submit"),
    ]

    def __init__(self, shown: ShownCard) -> None:
        super().__init__(id="answer")
        self.shown = shown
        self.steps = shown.steps
        self.arrangement = list(range(len(self.steps)))
        """Shown positions of the steps, in the order the trainee has put them."""
        self.typed: list[int] = []
        """Shown positions typed so far, in order: they lead the arrangement."""
        self.history: list[tuple[list[int], list[int]]] = []
        """(arrangement, typed) before each number typed, for Backspace."""
        self.half: int | None = None
        """A typed 1 that may yet become 10, 11 or 12 (cards of ten or more steps): the next
        digit decides, or Space (or a comma) makes it step 1."""
        self.cursor = 0
        count = len(self.steps)
        self.rebind("1", Binding("1", "noop", _("Type order"), key_display=f"1-{count}"))

    def compose(self) -> ComposeResult:
        for place in range(len(self.steps)):
            yield StepRow(place)
        yield Prose("", id="typed-order")

    def on_mount(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        for row in self.query(StepRow):
            shown_at = self.arrangement[row.place]
            row.show(
                shown_at + 1,
                self.steps[shown_at],
                row.place == self.cursor,
                row.place < len(self.typed),
            )
        numbers = [str(p + 1) for p in self.typed] + ([] if self.half is None else ["1…"])
        line = ""
        if numbers:
            blanks = ["_"] * (len(self.steps) - len(numbers))
            line = _("Order typed: {numbers}").format(numbers=" ".join(numbers + blanks))
        self.query_one("#typed-order", Prose).set_text(line)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Backspace is shown only while there are typed numbers to take back."""
        if action == "undo":
            return bool(self.typed) or self.half is not None
        return True

    def action_noop(self) -> None:
        """The footer's ``1-N`` hint; digits are read in ``on_key``."""

    # --- typing the numbers ----------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Digits name steps; read here so that every digit is an answer, never a shortcut."""
        character = event.character
        if character in (" ", ",") and self.half is not None:  # "1" then Space: step 1
            event.stop()
            event.prevent_default()
            self.half = None
            self._place(0)
            return
        if character is None or not (character.isdecimal() and character.isascii()):
            return
        event.stop()
        event.prevent_default()
        self.type_digit(int(character))

    def type_digit(self, digit: int) -> None:
        """Take one typed digit: the next step's number, or the second digit of 10-12."""
        count = len(self.steps)
        if self.half is not None:
            self.half = None
            if 10 + digit <= count and (9 + digit) not in self.typed:
                self._place(9 + digit)
                return
            self._place(0)  # the 1 was step 1; this digit starts the next number
        if digit == 1 and count >= 10 and any(n not in self.typed for n in range(9, count)):
            self.half = 1
            self._redraw()
            return
        if 1 <= digit <= count:
            self._place(digit - 1)

    def _place(self, shown_at: int) -> None:
        """Put the step shown at ``shown_at`` next after the steps typed so far."""
        if shown_at in self.typed:
            self._redraw()
            return
        self.history.append((list(self.arrangement), list(self.typed)))
        self.typed.append(shown_at)
        if len(self.typed) == len(self.steps) - 1:  # the last one can only go last
            self.typed.extend(p for p in self.arrangement if p not in self.typed)
        rest = [p for p in self.arrangement if p not in self.typed]
        self.arrangement = self.typed + rest
        self.cursor = min(len(self.typed), len(self.steps) - 1)
        self._redraw()

    def action_undo(self) -> None:
        """Take back the last number typed."""
        if self.half is not None:
            self.half = None
        elif self.history:
            self.arrangement, self.typed = self.history.pop()
        self._redraw()

    # --- moving one step ---------------------------------------------------------------------

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
            self.typed, self.history, self.half = [], [], None  # the typed order is broken
            self._redraw()

    def on_step_row_clicked(self, message: StepRow.Clicked) -> None:
        self.focus()
        self.cursor = message.place
        self._redraw()

    # --- sending -------------------------------------------------------------------------------

    def pending(self) -> Ordered | None:
        """The arrangement, once the trainee has changed it."""
        if self.arrangement == list(range(len(self.steps))):
            return None
        return Ordered(tuple(self.shown.order[p] for p in self.arrangement))

    def action_submit(self) -> None:
        """Send the arrangement (a number still half typed counts as typed)."""
        if self.half is not None:
            self.half = None
            self._place(0)
        sequence = tuple(self.shown.order[p] for p in self.arrangement)
        self.post_message(Answered(Ordered(sequence)))
