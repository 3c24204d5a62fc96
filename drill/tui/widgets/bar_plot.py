"""A bar chart for the stats screen, drawn by plotext inside Textual (``textual-plotext``).

Imported only by the stats screen, which is imported only when opened: plotext is the
heaviest import of the TUI and the deck list must not wait for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual_plotext import PlotextPlot


def whole_ticks(top: float, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least ``top``: counts of cards are never 3.33."""
    step = max(1, -(-int(top) // (most - 1)))
    return list(range(0, int(top) + step + 1, step)) if top > 0 else [0, 1]


class BarPlot(PlotextPlot):
    """Vertical bars of one or more ``series`` (name, values) over ``labels``, stacked.

    Titles and legends belong to the panel around the plot (Textual measures CJK text; plotext
    does not), so the plot itself carries only ASCII labels and numbers.
    """

    def __init__(
        self,
        labels: Sequence[str],
        series: Sequence[tuple[str, Sequence[float]]],
        *,
        colors: Sequence[str] = ("green", "red"),
        label_every: int = 1,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.labels = list(labels)
        self.series = [(name, list(values)) for name, values in series]
        self.bar_colors = list(colors)
        self.label_every = label_every
        """Label every n-th bar: chosen here, as plotext's own choice varies run to run."""

    def on_mount(self) -> None:
        plt: Any = self.plt  # plotext's annotations are narrower than what it accepts
        plt.clear_figure()
        values = [v for _name, v in self.series]
        colors = self.bar_colors[: len(values)]
        if len(values) == 1:
            plt.bar(self.labels, values[0], color=colors[0], width=0.6)
        else:
            plt.stacked_bar(self.labels, values, color=colors, width=0.6)
        top = max(sum(column) for column in zip(*values, strict=True))
        plt.yticks(whole_ticks(top))
        places = list(range(1, len(self.labels) + 1))[:: self.label_every]
        plt.xticks(places, self.labels[:: self.label_every])
        plt.frame(False)
