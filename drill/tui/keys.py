"""Each node's key bindings as the footer shows them: translated, with Quit at the end.

Binding descriptions are class attributes, written in English when the module is imported;
``settle_bindings`` rewrites a node's own copy when the node is built, so the footer speaks
the language chosen at run time. Ctrl-C quits everywhere in drill (a priority binding on the
app), so the copy-to-clipboard bindings that Textual puts on ``ctrl+c`` can never fire and
are dropped: otherwise they would also decide where "Quit" sits in the footer.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from drill.tui.i18n import _

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


def settle_bindings(node: DOMNode) -> None:
    """Translate ``node``'s bindings and keep ``ctrl+c`` only where it quits, listed last."""
    keys = {
        key: [_localise(b) for b in bindings]
        for key, bindings in node._bindings.key_to_bindings.items()
    }
    quits = [b for b in keys.pop(QUIT_KEY, []) if b.action.endswith("quit")]
    if quits:
        keys[QUIT_KEY] = quits
    node._bindings = BindingsMap.from_keys(keys)
