"""Accuracy per deck as labelled horizontal bars, drawn by Textual itself.

Deck titles can be Chinese: Textual measures their cell width, plotext does not, so this bar
chart is plain Textual while the time series on the stats screen use plotext.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from drill.display import clip
from drill.tui.format import percent


class AccuracyBars(Widget):
    """One line per deck: its title, a bar as long as its accuracy, and the percentage."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"accuracy--bar", "accuracy--rest", "accuracy--label"}

    def __init__(self, rows: Sequence[tuple[str, float]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = list(rows)
        """(deck title, accuracy 0-1), in the order to show them."""

    def render(self) -> Text:
        width = self.size.width
        label_cells = min(max(cell_len(title) for title, _a in self.rows), width // 2)
        bar_cells = max(4, width - label_cells - 6)
        bar = self.get_component_rich_style("accuracy--bar")
        rest = self.get_component_rich_style("accuracy--rest")
        label = self.get_component_rich_style("accuracy--label")
        text = Text()
        for row, (title, accuracy) in enumerate(self.rows):
            name = clip(title, label_cells)
            filled = round(bar_cells * accuracy)
            if row:
                text.append("\n")
            text.append(name + " " * (label_cells - cell_len(name) + 1), label)
            text.append("█" * filled, bar)
            text.append("░" * (bar_cells - filled), rest)
            text.append(f"{percent(accuracy):>5}")
        return text
