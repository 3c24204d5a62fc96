"""The stats screen: accuracy per deck, cards falling due, answers per day and recent sessions.

Every figure comes from ``drill.progress`` (as ``drill stats`` prints them), exams scored as
they were judged: right answers over their planned cards. On a wide screen the four panels
share a grid; on a narrow one they stack and scroll, so no title or plot is squeezed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from drill.deck.model import Deck
from drill.display import clip
from drill.progress import (
    DeckProgress,
    SessionProgress,
    daily_activity,
    deck_progress,
    due_forecast,
    recent_sessions,
)
from drill.tui.base import Localised
from drill.tui.format import percent
from drill.tui.i18n import _, ngettext
from drill.tui.screens.card import MODE_NAMES
from drill.tui.widgets.accuracy_bars import AccuracyBars
from drill.tui.widgets.column_chart import ColumnChart
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.scroll_body import ScrollBody
from drill.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from drill.store import LearnerStore
    from drill.tui.app import DrillApp

DAYS = 14
SESSIONS = 8
WIDE = 80
"""Screen width from which the panels sit two by two."""


def panel(title: str, content: Widget, *, id: str | None = None) -> Vertical:
    """A bordered box with a title: Textual draws the title, so CJK titles measure right."""
    box = Vertical(content, classes="panel", id=id)
    box.border_title = title
    return box


def empty(message: str) -> Prose:
    """What a panel says instead of an empty plot."""
    return Prose(message, classes="empty")


def session_line(session: SessionProgress, titles: dict[str, str], width: int) -> Text:
    """``03-10 09:00  Exam   7%  ✗  Front-desk basics``: one recent session."""
    line = Text(session.started_at[5:16].replace("T", " ") + "  ", style="dim")
    mode = _(MODE_NAMES.get(session.mode, session.mode))
    line.append(mode + " " * max(1, 7 - cell_len(mode)))
    line.append(f"{percent(session.score):>4} ", "bold")
    mark = {True: "✓", False: "✗", None: " "}[session.passed]
    line.append(mark + " ", "green" if session.passed else "red")
    decks = ", ".join(titles.get(d, d) for d in session.decks)
    line.append(clip(decks, max(4, width - line.cell_len)))
    return line


class SessionList(Widget):
    """The latest sessions, newest first, one line each, cut to the panel's width."""

    def __init__(self, sessions: list[SessionProgress], titles: dict[str, str]) -> None:
        super().__init__()
        self.sessions = sessions
        self.titles = titles

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.sessions)

    def render(self) -> Text:
        width = self.size.width
        return Text("\n").join(session_line(s, self.titles, width) for s in self.sessions)


class StatsScreen(Localised, Screen[None]):
    """Plots of the store's figures for ``decks`` (every deck found)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "app.close", "Quit"),
    ]

    def __init__(self, decks: list[Deck]) -> None:
        super().__init__(classes="stats-screen")
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
        titles = {d.id: d.title for d in self.decks}
        with ScrollBody(id="stats-grid"):
            yield self._accuracy(progress, titles)
            yield self._sessions(env.store, titles)
            yield self._due(env.store, now)
            yield self._activity(env.store, now)
        yield Footer()

    def _accuracy(self, progress: list[DeckProgress], titles: dict[str, str]) -> Vertical:
        if progress:
            plot: Widget = AccuracyBars(
                [(titles.get(p.deck, p.deck), p.accuracy or 0.0) for p in progress]
            )
        else:
            plot = empty(_("No answers yet: finish a session to see your accuracy."))
        return panel(_("Accuracy by deck"), plot, id="accuracy")

    def _sessions(self, store: LearnerStore, titles: dict[str, str]) -> Vertical:
        sessions = recent_sessions(store, limit=SESSIONS)
        content: Widget = (
            SessionList(sessions, titles) if sessions else empty(_("No sessions yet."))
        )
        return panel(_("Recent sessions"), content, id="sessions")

    def _due(self, store: LearnerStore, now: datetime) -> Vertical:
        forecast = due_forecast(store, self.decks, now, DAYS)
        days = [(now + timedelta(days=d)).strftime("%m-%d") for d in range(DAYS)]
        if any(forecast):
            plot: Widget = ColumnChart(days, [(_("due"), forecast)], today=0, id="due-chart")
        else:
            plot = empty(_("Nothing scheduled yet."))
        return panel(_("Cards due, next {days} days").format(days=DAYS), plot, id="due")

    def _activity(self, store: LearnerStore, now: datetime) -> Vertical:
        activity = daily_activity(store, now, DAYS)
        if any(total for _day, total, _right in activity):
            plot: Widget = ColumnChart(
                [day[5:] for day, _total, _right in activity],
                [
                    (_("right"), [right for _d, _t, right in activity]),
                    (_("wrong"), [total - right for _d, total, right in activity]),
                ],
                id="activity-chart",
            )
        else:
            plot = empty(_("No activity in the last {days} days.").format(days=DAYS))
        return panel(_("Answers per day, last {days} days").format(days=DAYS), plot, id="activity")

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    def action_back(self) -> None:
        self.dismiss(None)
