"""The breathing pacer on its own (``drill breathe``, or ``b`` on the deck list).

The same pacer widget as a breathing card, driven by the app's clock tick; nothing is
recorded. Dismissed when the trainee stops or is done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from drill.tui.base import Localised
from drill.tui.i18n import _
from drill.tui.widgets.pacer import BreathingPacer, pattern_label
from drill.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from drill.tui.app import DrillApp


class BreatheScreen(Localised, Screen[None]):
    """A paced exercise of ``cycles`` breaths of ``pattern`` seconds (in, hold, out[, hold])."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave('stop')", "Stop"),
        Binding("enter", "leave('done')", "Done"),
        Binding("ctrl+c", "app.quit", "Quit", priority=True),
    ]

    def __init__(self, pattern: tuple[float, ...], cycles: int) -> None:
        super().__init__(classes="breathe-screen")
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
        app = cast("DrillApp", self.app)
        self.started = app.env.clock.monotonic()
        app.ticks.subscribe(self, self.tick)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc stops while breathing; Enter closes once the exercise is done."""
        if action == "leave":
            return (parameters == ("done",)) == self.done
        return True

    def tick(self, now: float) -> None:
        """Move the pacer on to ``now`` (the clock's reading); when the last breath ends, say
        so and offer to close."""
        if self.started is None or self.done:
            return
        elapsed = now - self.started
        if self.query_one(BreathingPacer).show_elapsed(elapsed):
            self.done = True
            self.add_class("-done")
            self.refresh_bindings()

    def action_leave(self, why: str) -> None:
        """Back to where the pacer was opened from (or out of ``drill breathe``)."""
        self.dismiss(None)
