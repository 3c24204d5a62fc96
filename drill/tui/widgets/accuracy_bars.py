"""Accuracy per deck as labelled horizontal bars, drawn by Textual itself.

Deck titles are shown whole where they fit beside their bar; where they do not (a narrow panel,
a long or Chinese title), each title takes its own line above its bar rather than being cut to
a few characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from drill.display import clip
from drill.tui.format import percent

MIN_BAR = 10


class AccuracyBars(Widget):
    """One line per deck (its title, a bar as long as its accuracy, the percentage), or two
    when the titles do not fit beside the bars."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"accuracy--bar", "accuracy--rest", "accuracy--label"}

    def __init__(self, rows: Sequence[tuple[str, float]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = list(rows)
        """(deck title, accuracy 0-1), in the order to show them."""

    def _beside(self, width: int) -> bool:
        longest = max((cell_len(title) for title, _a in self.rows), default=0)
        return longest + 1 + MIN_BAR + 5 <= width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows) * (1 if self._beside(width) else 2)

    def render(self) -> Text:
        width = self.size.width
        beside = self._beside(width)
        label_cells = max((cell_len(t) for t, _a in self.rows), default=0) if beside else 0
        bar_cells = max(4, width - (label_cells + 1 if beside else 2) - 5)
        bar = self.get_component_rich_style("accuracy--bar")
        rest = self.get_component_rich_style("accuracy--rest")
        label = self.get_component_rich_style("accuracy--label")
        text = Text()
        for row, (title, accuracy) in enumerate(self.rows):
            filled = round(bar_cells * accuracy)
            if row:
                text.append("\n")
            if beside:
                text.append(title + " " * (label_cells - cell_len(title) + 1), label)
            else:
                text.append(clip(title, width) + "\n", label)
                text.append("  ")
            text.append("█" * filled, bar)
            text.append("░" * (bar_cells - filled), rest)
            text.append(f"{percent(accuracy):>5}")
        return text
