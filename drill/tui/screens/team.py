"""The Team screen: ``drill report`` for a trainer at the deck list (SPEC 8).

Three tables, the same figures ``drill report`` prints (both come from ``drill.report.build``):
learners by deck, the weakest cards with their most-given wrong answer, and who is at risk.
The report is read from the whole store (every learner), not only the learner drilling.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from drill.deck.model import Deck
from drill.report import Report, build, mistake_finders
from drill.store import Store
from drill.store.records import Scope
from drill.tui.format import percent
from drill.tui.i18n import _, ngettext
from drill.tui.keys import settle_bindings
from drill.tui.widgets.title_bar import TitleBar

WEAKEST_SHOWN = 20


def _table(columns: list[str], numeric_from: int) -> DataTable[Text]:
    table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, classes="team-table")
    for index, column in enumerate(columns):
        table.add_column(Text(column, justify="right" if index >= numeric_from else "left"))
    return table


def _right(value: object) -> Text:
    return Text(str(value), justify="right")


class TeamScreen(Screen[None]):
    """Every learner's results, for the trainer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.close", "Quit"),
    ]

    def __init__(self, store: Store, decks: Mapping[str, Deck], now: datetime) -> None:
        super().__init__(classes="team-screen")
        settle_bindings(self)
        self.report: Report = build(store, decks, Scope(), now, mistake_finders())

    def compose(self) -> ComposeResult:
        report = self.report
        learners = len(report.learners)
        status = ngettext("{n} learner", "{n} learners", learners).format(n=learners)
        yield TitleBar(_("Team"), status)
        with VerticalScroll(id="team-body"):
            if not report.learners and not report.cards:
                yield Label(_("No answers recorded yet."), classes="empty")
            else:
                yield Label(_("Learners by deck"), classes="team-heading")
                yield self._learners()
                yield Label(_("Weakest cards"), classes="team-heading")
                yield self._cards()
                yield Label(_("At risk: cards due now"), classes="team-heading")
                if report.at_risk:
                    yield self._at_risk()
                else:
                    yield Label(_("Nobody has cards due."), classes="empty")
        yield Footer()

    def _learners(self) -> DataTable[Text]:
        table = _table([_("Learner"), _("Deck"), _("Answers"), _("Right"), _("Due"),
                        _("Last exam")], numeric_from=2)  # fmt: skip
        for learner in self.report.learners:
            for row in learner.decks:
                exam = "-"
                if row.last_exam is not None:
                    verdict = _("passed") if row.last_exam.passed else _("failed")
                    exam = f"{percent(row.last_exam.score)} {verdict}"
                cells = [_right(row.answers), _right(percent(row.accuracy)), _right(row.due)]
                table.add_row(Text(learner.learner), Text(row.deck), *cells, _right(exam))
        return table

    def _cards(self) -> DataTable[Text]:
        table = _table([_("Card"), _("Answers"), _("Right"), _("Lapses"),
                        _("Most given wrong answer")], numeric_from=1)  # fmt: skip
        for card in self.report.cards[:WEAKEST_SHOWN]:
            name = Text(card.prompt or card.card, overflow="ellipsis", no_wrap=True)
            name.truncate(36, overflow="ellipsis")
            shown = Text(card.wrong_text, no_wrap=True)
            shown.truncate(40, overflow="ellipsis")
            table.add_row(name, _right(card.answers), _right(percent(card.facility)),
                          _right(card.lapses), shown)  # fmt: skip
        return table

    def _at_risk(self) -> DataTable[Text]:
        table = _table([_("Learner"), _("Due"), _("Predicted recall")], numeric_from=1)
        for row in self.report.at_risk:
            table.add_row(
                Text(row.learner), _right(row.overdue), _right(percent(row.retrievability))
            )
        return table
