"""Plain-text tables for command output, aligned by terminal cells (a CJK character is two),
without loading Rich for commands that must start fast. Every cell is shown with its control
characters escaped (``drill.escapes.visible``): what a table shows comes from decks, file names
and the store, and none of it may drive the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from drill.display import cells, clip, percent
from drill.escapes import visible

__all__ = ["cells", "clip", "percent", "render"]


def render(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None,
           max_width: dict[int, int] | None = None) -> str:  # fmt: skip
    """Columns padded to their widest cell; ``right`` holds indexes of right-aligned columns."""
    right = right or set()
    limits = max_width or {}
    table = [
        [clip(visible(str(v)), limits.get(i, 10_000)) for i, v in enumerate(row)]
        for row in [header, *rows]
    ]
    widths = [max(cells(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for row in table:
        parts = []
        for i, value in enumerate(row):
            pad = " " * (widths[i] - cells(value))
            parts.append(pad + value if i in right else value + pad)
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
