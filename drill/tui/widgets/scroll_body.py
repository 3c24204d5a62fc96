"""A scrolling body that says in the footer that it scrolls, when it has more to show.

Feedback and summaries can be longer than 24 lines; the arrow keys already scroll them, but a
key the footer does not show is a key a trainee never finds.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from drill.tui.base import Localised


class ScrollBody(Localised, VerticalScroll):
    """``VerticalScroll`` with a visible "↑↓ Scroll" hint while its content overflows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "scroll_down", "Scroll", key_display="↑↓"),
        Binding("up", "scroll_up", "Scroll", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show the hint only when there is something to scroll to."""
        if action in ("scroll_down", "scroll_up"):
            return self.max_scroll_y > 0
        return True

    def watch_virtual_size(self) -> None:
        self.refresh_bindings()
