"""Counts per day as columns, drawn by Textual itself (the stats screen's two plots).

Drawn here rather than by a plotting library so that: the y axis is labelled with round,
evenly spaced numbers (0, 5, 10, 15); a day with nothing has no column at all, not a stub on
the 0 row; the last day (today) always carries its date; the legend is drawn with the very
styles of the columns; and under ``NO_COLOR`` the series still differ, by their glyphs
(``█`` and ``▒``), not only by colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

GLYPHS = ("█", "▒", "▓")
"""The glyph of each series, in order: what tells them apart without colour."""
EIGHTHS = " ▁▂▃▄▅▆▇█"


def nice_step(top: float, intervals: int) -> int:
    """The smallest round step (1, 2, 5 times a power of ten) with ``intervals`` steps
    reaching ``top``."""
    if top <= intervals:
        return 1
    raw = top / intervals
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw and float(step).is_integer():
            return int(step)
    return int(10 * power)  # pragma: no cover - 10 * power always qualifies


def axis_ticks(top: float, rows: int) -> list[int]:
    """Evenly spaced whole-number labels from 0 to at least ``top``: one every few rows."""
    intervals = max(1, min(4, rows // 2))
    step = nice_step(max(top, 1), intervals)
    return [step * i for i in range(intervals + 1) if step * (i - 1) < max(top, 1)]


class ColumnChart(Widget):
    """Stacked columns of ``series`` (name, values) over ``labels``, with a y axis, the dates
    under the columns (the last always) and a legend line."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "chart--series-0",
        "chart--series-1",
        "chart--series-2",
        "chart--axis",
    }

    def __init__(
        self,
        labels: Sequence[str],
        series: Sequence[tuple[str, Sequence[int]]],
        *,
        today: int = -1,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.labels = list(labels)
        self.series = [(name, list(values)) for name, values in series]
        self.today = today % len(self.labels) if self.labels else 0
        """The column that is today: its date is always shown."""

    def _styles(self) -> list[Style]:
        return [self.get_component_rich_style(f"chart--series-{i}") for i in range(3)]

    def legend(self) -> Text:
        """``█ right  ▒ wrong``, each in its series' own glyph and style."""
        styles = self._styles()
        text = Text()
        for index, (name, _values) in enumerate(self.series):
            if index:
                text.append("   ")
            text.append(GLYPHS[index] * 2, styles[index])
            text.append(" " + name)
        return text

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        room = max(1, height - 2)  # the dates and the legend take a line each
        totals = [sum(column) for column in zip(*(v for _n, v in self.series), strict=True)]
        ticks = axis_ticks(max(totals, default=0), room)
        intervals = len(ticks) - 1
        rows = max(intervals, room // intervals * intervals)  # labels on evenly spaced lines
        scale = rows / ticks[-1]
        axis_cells = cell_len(str(ticks[-1])) + 1
        days = len(self.labels)
        column_cells = max(1, (width - axis_cells - 1) // max(days, 1))
        bar_cells = max(1, column_cells - 1)
        styles = self._styles()
        axis = self.get_component_rich_style("chart--axis")
        tick_rows = {round(tick * scale): tick for tick in ticks if tick}
        lines = []
        for row in range(rows):  # row 0 is the top line
            level = rows - row  # this line shows values from (level - 1) to level, scaled
            tick = tick_rows.get(level)
            line = Text(
                (str(tick).rjust(axis_cells - 1) + "┤") if tick else " " * (axis_cells - 1) + "│",
                axis,
            )
            for day in range(days):
                cell, style = self._cell(day, level, scale, styles)
                line.append(" ")
                line.append(cell * bar_cells, style)
            lines.append(line)
        text = Text("\n" * (room - rows))
        text.append_text(Text("\n").join(lines))
        text.append("\n" + "0".rjust(axis_cells - 1) + "└", axis)
        text.append(self._date_line(axis_cells, column_cells), axis)
        text.append("\n")
        text.append_text(self.legend())
        return text

    def _cell(self, day: int, level: int, scale: float, styles: list[Style]) -> tuple[str, Style]:
        """The glyph and style of one column at one line: which series fills it, if any."""
        bottom = 0.0
        for index, (_name, values) in enumerate(self.series):
            value = values[day]
            if value <= 0:
                continue
            top = bottom + max(value * scale, 0.5)  # a count of 1 is never invisible
            if bottom < level and top > level - 1:
                topmost = index == len(self.series) - 1 or all(
                    v[day] <= 0 for _n, v in self.series[index + 1 :]
                )
                if top < level and topmost and GLYPHS[index] == "█":
                    eighths = max(1, round((top - (level - 1)) * 8))
                    return EIGHTHS[min(eighths, 8)], styles[index]
                if top - (level - 1) >= 0.5 or not topmost:
                    return GLYPHS[index], styles[index]
                return " ", Style()
            bottom = top
        return " ", Style()

    def _date_line(self, axis_cells: int, column_cells: int) -> str:
        """Dates under their columns (after the axis corner): today's always, the others where
        they fit without touching it or each other."""
        room = max(0, self.size.width - axis_cells)
        line = [" "] * room
        taken = [False] * (room + 1)

        def place(day: int, force: bool) -> None:
            label = self.labels[day]
            start = max(0, min(1 + day * column_cells, room - len(label)))
            span = range(max(0, start - 1), min(room + 1, start + len(label) + 1))
            if not force and any(taken[i] for i in span):
                return
            line[start : start + len(label)] = list(label)
            for i in range(start, min(room, start + len(label))):
                taken[i] = True

        place(self.today, True)
        step = 1 if self.today == 0 else -1
        for day in range(self.today + step, len(self.labels) if step == 1 else -1, step):
            place(day, False)
        return "".join(line).rstrip()
