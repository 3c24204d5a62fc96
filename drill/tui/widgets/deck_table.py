"""The deck list's table: one row per deck found, broken deck files included.

A plain ``DataTable`` whose Enter says what it does in the footer ("Review") instead of the
generic hidden "Select".
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from drill.tui.base import Localised


class DeckTable(Localised, DataTable[object]):
    """Decks by row; selecting a row (Enter, or a click on the highlighted row) starts a review."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Review")]

    def __init__(self) -> None:
        super().__init__(id="decks", cursor_type="row", zebra_stripes=True)
