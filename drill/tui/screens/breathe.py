"""The breathing pacer on its own (``drill breathe``, or ``b`` on the deck list).

The same pacer widget as a breathing card, driven by the app's clock; nothing is recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from drill.tui.i18n import _
from drill.tui.keys import settle_bindings
from drill.tui.widgets.pacer import BreathingPacer, pattern_label
from drill.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from drill.tui.app import DrillApp


class BreatheScreen(Screen[None]):
    """A paced exercise of ``cycles`` breaths of ``pattern`` seconds (in, hold, out[, hold])."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave('stop')", "Stop"),
        Binding("enter", "leave('done')", "Done"),
        Binding("ctrl+c", "app.quit", "Quit", priority=True),
    ]

    def __init__(self, pattern: tuple[float, ...], cycles: int) -> None:
        super().__init__(classes="breathe-screen")
        settle_bindings(self)
        self.pattern = pattern
        self.cycles = cycles
        self.started: float | None = None
        self.done = False

    def compose(self) -> ComposeResult:
        yield TitleBar(_("Breathing"), pattern_label(self.pattern, self.cycles))
        with Vertical(id="breathe-body"):
            yield Static(
                _("Breathe in as the bar grows, hold while it stays, breathe out as it shrinks."),
                id="breathe-hint",
            )
            yield BreathingPacer(self.pattern, self.cycles, id="pacer")
        yield Footer()

    def on_mount(self) -> None:
        self.started = cast("DrillApp", self.app).env.clock.monotonic()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc stops while breathing; Enter closes once the exercise is done."""
        if action == "leave":
            return (parameters == ("done",)) == self.done
        return True

    def tick(self) -> None:
        """Move the pacer on; when the last breath ends, say so and offer to close."""
        if self.started is None or self.done:
            return
        elapsed = cast("DrillApp", self.app).env.clock.monotonic() - self.started
        if self.query_one(BreathingPacer).show_elapsed(elapsed):
            self.done = True
            self.add_class("-done")
            self.refresh_bindings()

    def action_leave(self, why: str) -> None:
        """Back to where the pacer was opened from (or out of ``drill breathe``)."""
        cast("DrillApp", self.app).close_pacer()
