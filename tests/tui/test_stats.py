"""The stats screen's plots: round, evenly spaced axis labels, nothing drawn for a day with
nothing, today's date always shown, a legend drawn with the columns' own glyphs and styles."""

from __future__ import annotations

import itertools

from textual.app import App, ComposeResult

from drill.tui.widgets.column_chart import GLYPHS, ColumnChart, axis_ticks


def test_axis_labels_are_round_and_evenly_spaced():
    assert axis_ticks(68, 8) == [0, 20, 40, 60, 80]
    assert axis_ticks(4, 8) == [0, 1, 2, 3, 4]
    assert axis_ticks(7, 8) == [0, 2, 4, 6, 8]
    assert axis_ticks(0, 8) == [0, 1]
    for top in range(1, 500, 7):
        ticks = axis_ticks(top, 10)
        steps = {b - a for a, b in itertools.pairwise(ticks)}
        assert len(steps) == 1 and ticks[-1] >= top and str(steps.pop())[0] in "125"


class Chart(App[None]):
    def __init__(self, chart: ColumnChart) -> None:
        super().__init__()
        self.chart = chart

    def compose(self) -> ComposeResult:
        yield self.chart


async def test_columns_days_with_nothing_today_and_legend():
    labels = [f"03-{d:02d}" for d in range(1, 15)]
    right = [0] * 12 + [5, 3]
    wrong = [0] * 12 + [1, 0]
    chart = ColumnChart(labels, [("right", right), ("wrong", wrong)])
    async with Chart(chart).run_test(size=(60, 14)) as pilot:
        await pilot.pause()
        lines = str(chart.render()).splitlines()
    plot, dates, legend = lines[:-2], lines[-2], lines[-1]
    bars = [line.split("│", 1)[-1].split("┤", 1)[-1] for line in plot]
    first_twelve = {line[: 12 * 3] for line in bars}
    assert first_twelve == {" " * 36}  # no stub on the 0 row for empty days
    assert any(GLYPHS[0] in line for line in bars) and any(GLYPHS[1] in line for line in bars)
    assert dates.rstrip().endswith("03-14")  # today, the last column, always labelled
    assert legend == f"{GLYPHS[0] * 2} right   {GLYPHS[1] * 2} wrong"
    labelled = [int(line.split("┤")[0]) for line in plot if "┤" in line]
    assert labelled == sorted(labelled, reverse=True) and labelled[-1] > 0
    rows = [i for i, line in enumerate(plot) if "┤" in line]
    assert len({b - a for a, b in itertools.pairwise(rows)}) == 1  # evenly spaced
