"""A list of answers as the feedback and summary show them: bulleted choices, numbered
steps, each item's text wrapping under itself (never under its bullet or number)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from drill.tui.widgets.prose import Prose

Item = tuple[str, str]
"""(marker, text): ``("•", "Calm down")``, ``("2.", "Give the wait")``, ``("", "3 rings")``."""


class ItemList(Vertical):
    """``items`` one per row; rows whose ``flags`` entry is true get a ✗ before the marker
    (a mark, not only a colour, so it shows under ``NO_COLOR``)."""

    def __init__(
        self,
        items: Sequence[Item],
        *,
        flags: Sequence[bool] = (),
        classes: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(classes=f"item-list {classes or ''}".strip(), id=id)
        self.items = list(items)
        self.flags = list(flags)

    def compose(self) -> ComposeResult:
        marker_cells = max((cell_len(marker) for marker, _text in self.items), default=0)
        flagged = any(self.flags)
        for index, (marker, text) in enumerate(self.items):
            bad = index < len(self.flags) and self.flags[index]
            mark = ("✗ " if bad else "  ") if flagged else ""
            row = Horizontal(classes="item -flagged" if bad else "item")
            with row:
                if marker_cells or mark:
                    label = mark + marker.rjust(marker_cells)
                    yield Label(label, classes="item-marker", markup=False)
                yield Prose(text, classes="item-text")

    @property
    def plain(self) -> list[str]:
        """Each row as text, ``marker text``: what a test reads."""
        return [f"{marker} {text}".strip() for marker, text in self.items]
