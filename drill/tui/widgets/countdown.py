"""The bar that shows how much of a card's time is left.

It only draws: the card screen owns the clock and decides when time is up, so what is drawn
and what is graded come from the same reading of the session's clock.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from drill.tui.format import clock_time


class CountdownBar(Widget):
    """A full bar that empties as the card's ``limit`` seconds run out."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "countdown--done",
        "countdown--left",
        "countdown--low",
        "countdown--stopped",
    }

    def __init__(self, limit: float, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.limit = limit
        self.remaining = limit
        self.stopped = False

    def stop(self) -> None:
        """Freeze the bar where it is, drawn as stopped (the card's time no longer counts)."""
        self.stopped = True
        self.refresh()

    def show_remaining(self, seconds: float) -> None:
        """Draw ``seconds`` left (clamped to the limit)."""
        seconds = min(max(seconds, 0.0), self.limit)
        if round(seconds, 1) != round(self.remaining, 1):
            self.remaining = seconds
            self.refresh()

    def render(self) -> Text:
        label = f" {clock_time(self.remaining)}"
        width = max(1, self.size.width - len(label))
        fraction = self.remaining / self.limit if self.limit else 0.0
        filled = round(width * fraction)
        low = fraction <= 0.25
        left = (
            "countdown--stopped" if self.stopped else "countdown--low" if low else "countdown--left"
        )
        left_style = self.get_component_rich_style(left)
        done_style = self.get_component_rich_style("countdown--done")
        return Text.assemble(
            ("━" * filled, left_style),
            ("─" * (width - filled), done_style),
            (label, left_style),
        )
