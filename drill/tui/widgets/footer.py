"""Textual's ``Footer``, rebuilt only when the keys it shows change.

Textual's footer recomposes (every key widget made again, and styled) each time a screen's
bindings *may* have changed: on mount, on every focus change, on every ``refresh_bindings``.
Opening the deck list that was five recompositions of the same eight keys, about a fifth of the
time from start to a settled first screen. This one recomposes once for a burst of such signals,
and not at all when the keys, their labels and whether they are enabled are what it shows.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """A drop-in ``Footer`` that skips recompositions that would change nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None
        self._pending = False
        self.set_reactive(TextualFooter._bindings_ready, True)

    def compose(self) -> ComposeResult:
        """The screen's keys from the first frame on (Textual's waits for a first signal, so
        the first frame shows no keys and the next one recomposes)."""
        self._shown = self._keys(self.screen)
        yield from super().compose()

    def _keys(self, screen: Screen[Any]) -> tuple[object, ...]:
        """What ``compose`` would show: each binding shown, with its label and state."""
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._pending:
            self._pending = True
            self.call_later(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        keys = self._keys(self.screen)
        if keys != self._shown:
            self._shown = keys
            await self.recompose()
