"""The one base class of drill's app, screens and widgets, and the only code in drill that
reaches into Textual's private API.

Textual is pinned in ``pyproject.toml`` to the version the TUI tests and snapshots prove
(8.2.8); when it is raised, this module is what to check. Three needs have no public API:

- **Binding descriptions in the language chosen at run time.** Descriptions are class
  attributes, written in English when a module is imported; Textual cannot change a
  binding's description once its class is built (Textual issue #5733, "Is there a way to update
  a Binding description?"). So each node rewrites its own copy of its bindings (``_bindings``,
  a ``BindingsMap`` keyed by ``key_to_bindings``) when it is built. The same copy is how a
  widget shows a key hint that depends on its content (``A-D`` for four choices).
- **A widget's own bindings**, to run them as their keys arrive (``OwnKeysInOrder``).
- **An app-wide hook for exceptions raised in handlers.** A store failing mid-run must end the
  app with one line and exit 2 like any other ``DrillError``, but Textual offers only the
  private ``App._handle_exception`` (Textual issue #2818, "Hook to exception handling").

Ctrl-C quits everywhere in drill (a priority binding on the app), so the copy-to-clipboard
bindings that Textual puts on ``ctrl+c`` can never fire and are dropped: otherwise they would
also decide where "Quit" sits in the footer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import events
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from drill.tui.i18n import _

if TYPE_CHECKING:
    from drill.errors import DrillError

    _Node = DOMNode
else:
    _Node = object
    """At run time a plain mixin: a ``DOMNode`` base here would be the first base Textual
    follows for CSS inheritance, and the Textual class after it would lose its default CSS
    and component classes."""

QUIT_KEY = "ctrl+c"


def _localise(binding: Binding) -> Binding:
    group = binding.group
    if group is not None:
        group = dataclasses.replace(group, description=_(group.description))
    return dataclasses.replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
        group=group,
    )


class Localised(_Node):
    """Mixed into every drill node ahead of its Textual class (``class X(Localised, Screen)``):
    its bindings are translated as it is built, and ``ctrl+c`` means only quit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = {
            key: [_localise(b) for b in bindings]
            for key, bindings in self._bindings.key_to_bindings.items()
        }
        quits = [b for b in keys.pop(QUIT_KEY, []) if b.action.endswith("quit")]
        if quits:
            keys[QUIT_KEY] = quits
        self._bindings = BindingsMap.from_keys(keys)
        self._built = {key: list(bindings) for key, bindings in keys.items()}

    def rebind(self, key: str, binding: Binding) -> None:
        """Make ``binding`` (already in the reader's language) this node's only one for ``key``:
        for hints that depend on what the node shows."""
        self._bindings.key_to_bindings[key] = [binding]
        self._built[key] = [binding]

    def own_action(self, key: str) -> str | None:
        """The action this node itself binds to ``key`` (not its screen's or the app's)."""
        bindings = self._bindings.key_to_bindings.get(key)
        return bindings[0].action if bindings else None

    def key_shown(self, key: str) -> bool:
        """Whether this node's ``key`` currently has a footer hint."""
        return any(b.show for b in self._bindings.key_to_bindings.get(key, []))

    def show_key(self, key: str, shown: bool) -> None:
        """Show or hide the footer hint of this node's ``key`` (the key works either way)."""
        self._bindings.key_to_bindings[key] = [
            dataclasses.replace(b, show=b.show and shown) for b in self._built.get(key, [])
        ]

    def handle_drill_error(self, error: DrillError) -> bool:
        """End the app for ``error``; True when done. Only the app does (it overrides this)."""
        return False

    def _handle_exception(self, error: Exception) -> None:
        """Only an ``App`` is ever called here (Textual routes every handler's exception to
        the app): a ``DrillError`` goes to ``handle_drill_error``; anything else to Textual's
        own handler."""
        from textual.worker import WorkerFailed

        from drill.errors import DrillError

        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, DrillError) and self.handle_drill_error(cause):
            return
        super()._handle_exception(error)  # type: ignore[misc]


class OwnKeysInOrder(Localised):
    """Mixed into a focusable widget ahead of its Textual class, in place of ``Localised``:
    the keys the widget binds itself act as they arrive, in order with the keys it reads in
    ``on_key`` and, in a text field, the text typed.

    Textual runs a focused widget's bindings only once the key's event has bubbled up to the
    app, but the widget goes on taking the keys read with it first, so keys that arrive
    together (typing over a slow SSH link, keys a script sends) came out of order: in a typed
    answer ``4 ⌫ 3 ⏎`` sent "4", on an order card ``2 ⌫ 1 2 3`` kept the 2 it took back. A
    key whose action is disabled (``check_action``) goes on up as before."""

    async def _on_key(self, event: events.Key) -> None:
        action = self.own_action(event.key)
        if action is not None and await self.app.run_action(action, self):
            event.stop()
            event.prevent_default()


def footer_cells(node: DOMNode) -> int:
    """Cells Textual's footer takes for the bindings active on ``node``'s screen: one entry per
    action, ``key description`` with padding (3 cells); a compact group's keys share one
    description."""
    screen = node.screen
    actions: set[str] = set()
    groups: set[str] = set()
    total = 0
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.show or binding.action in actions:
            continue
        actions.add(binding.action)
        key = cell_len(node.app.get_key_display(binding))
        if binding.group is None:
            total += key + cell_len(binding.description) + 3
        elif binding.group.description in groups:
            total += key
        else:
            groups.add(binding.group.description)
            total += key + 1 + cell_len(binding.group.description)
    return total


def fit_footer(
    node: DOMNode, width: int, drops: Sequence[tuple[Localised, tuple[str, ...]]]
) -> bool:
    """Hide footer hints, in the order of ``drops`` (a node and the keys of one hint), until
    the footer of ``node``'s screen fits in ``width`` cells, so what it shows is never cut.
    The keys still work, and the help screen lists them. True when a hint was shown or
    hidden (then the caller refreshes the bindings)."""
    before = [owner.key_shown(key) for owner, keys in drops for key in keys]
    for owner, keys in drops:
        for key in keys:
            owner.show_key(key, True)
    for owner, keys in drops:
        if footer_cells(node) <= width:
            break
        for key in keys:
            owner.show_key(key, False)
    return before != [owner.key_shown(key) for owner, keys in drops for key in keys]
