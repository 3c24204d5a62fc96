"""The stats screen: accuracy per deck, cards falling due, and recent activity, as plots.

Every figure comes from ``drill.progress`` (as ``drill stats`` prints them). This module is
imported only when the screen opens, and it is the only one that imports plotext.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label

from drill.deck.model import Deck
from drill.progress import daily_activity, deck_progress, due_forecast
from drill.tui.format import percent
from drill.tui.i18n import _, ngettext
from drill.tui.keys import settle_bindings
from drill.tui.widgets.accuracy_bars import AccuracyBars
from drill.tui.widgets.bar_plot import BarPlot
from drill.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from drill.tui.app import DrillApp

DAYS = 14


def panel(title: str, content: Widget, subtitle: str = "", *, id: str | None = None) -> Vertical:
    """A bordered box with a title: Textual draws the title, so CJK titles measure right."""
    box = Vertical(content, classes="panel", id=id)
    box.border_title = title
    box.border_subtitle = subtitle
    return box


def empty(message: str) -> Label:
    """What a panel says instead of an empty plot."""
    return Label(message, classes="empty")


class StatsScreen(Screen[None]):
    """Plots of the store's figures for ``decks`` (every deck found)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.close", "Quit"),
    ]

    def __init__(self, decks: list[Deck]) -> None:
        super().__init__(classes="stats-screen")
        settle_bindings(self)
        self.decks = decks

    def compose(self) -> ComposeResult:
        env = cast("DrillApp", self.app).env
        now = env.clock.now()
        progress = [p for p in deck_progress(env.store, self.decks, now) if p.answers]
        answers = sum(p.answers for p in progress)
        correct = sum(p.correct for p in progress)
        status = ngettext("{n} answer", "{n} answers", answers).format(n=answers)
        if answers:
            status += " · " + _("{percent} right").format(percent=percent(correct / answers))
        yield TitleBar(_("Stats"), status)
        with Grid(id="stats-grid"):
            titles = {d.id: d.title for d in self.decks}
            if progress:
                plot: Widget = AccuracyBars(
                    [(titles.get(p.deck, p.deck), p.accuracy or 0.0) for p in progress]
                )
            else:
                plot = empty(_("No answers yet: finish a session to see your accuracy."))
            yield panel(_("Accuracy by deck"), plot, id="accuracy")

            forecast = due_forecast(env.store, self.decks, now, DAYS)
            days = [(now + timedelta(days=d)).strftime("%m-%d") for d in range(DAYS)]
            if any(forecast):
                plot = BarPlot(days, [("due", forecast)], colors=("orange",), label_every=3)
            else:
                plot = empty(_("Nothing scheduled yet."))
            yield panel(_("Cards due, next {days} days").format(days=DAYS), plot, id="due")

            activity = daily_activity(env.store, now, DAYS)
            if any(total for _day, total, _right in activity):
                plot = BarPlot(
                    [day[5:] for day, _total, _right in activity],
                    [
                        ("right", [right for _d, _t, right in activity]),
                        ("wrong", [total - right for _d, total, right in activity]),
                    ],
                    label_every=2,
                )
                legend = f"[green]■ {_('right')}[/]   [red]■ {_('wrong')}[/]"
            else:
                plot, legend = (
                    empty(_("No activity in the last {days} days.").format(days=DAYS)),
                    "",
                )
            yield panel(
                _("Answers per day, last {days} days").format(days=DAYS),
                plot,
                legend,
                id="activity",
            )
        yield Footer()
