"""Figures and text as a terminal shows them: widths in cells (a CJK character is two), text
clipped to a width, fractions as percentages. Shared by the commands' plain tables and the TUI,
so both write a score or cut a title the same way, without either importing the other."""

from __future__ import annotations

import unicodedata


def cells(text: str) -> int:
    """Terminal cells ``text`` occupies."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, with an ellipsis when cut."""
    if cells(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        size = cells(ch)
        if used + size > width - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…"


def percent(value: float | None) -> str:
    """A 0-1 fraction as a whole percentage, or a dash when there is none."""
    return "-" if value is None else f"{value:.0%}"
