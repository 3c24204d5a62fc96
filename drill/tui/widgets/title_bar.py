"""The one-line bar at the top of every screen: where you are on the left, status on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label


class TitleBar(Horizontal):
    """A left title (``drill`` and the screen or deck) and a right status (progress, timer).

    Deck titles are shown as written, so they are never parsed as markup.
    """

    def __init__(self, title: str, status: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = title
        self._status = status

    def compose(self) -> ComposeResult:
        yield Label("drill", classes="brand")
        yield Label(self._title, classes="title", markup=False)
        yield Label(self._status, classes="status", markup=False)

    def set_status(self, status: str) -> None:
        """Change the right-hand status (the progress or a countdown)."""
        if status != self._status:
            self._status = status
            self.query_one(".status", Label).update(status)
