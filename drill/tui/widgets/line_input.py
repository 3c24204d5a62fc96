"""A one-line text field whose editing keys act in the order they were typed
(``drill.tui.base.OwnKeysInOrder``): Backspace, Delete, the arrows, Home, End and Enter."""

from __future__ import annotations

from textual.widgets import Input

from drill.tui.base import OwnKeysInOrder


class LineInput(OwnKeysInOrder, Input):
    """An ``Input`` that applies its own key bindings in order with the text typed."""
