"""The Team screen: ``drill report`` for a trainer at the deck list (SPEC 8).

Three tables, the same figures ``drill report`` prints (both come from ``drill.report.build``):
learners by deck, the weakest cards with their most-given wrong answer, and who is at risk.
The report is read from the whole store (every learner), not only the learner drilling.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from drill.deck.model import Deck
from drill.escapes import visible
from drill.report import Report, build, mistake_finders
from drill.store import Store
from drill.store.records import Scope
from drill.tui.base import Localised
from drill.tui.format import percent
from drill.tui.i18n import _, ngettext
from drill.tui.widgets.title_bar import TitleBar

WEAKEST_SHOWN = 20
PROMPT_CELLS = 26
WRONG_CELLS = 23
"""Column widths that fit the weakest-cards table in 80 columns (``drill report --json`` has
every text whole)."""


def _table(columns: list[str], rows: list[list[str]], numeric: set[int]) -> DataTable[Text]:
    """A read-only table; the ``numeric`` columns hold figures, right-aligned (a cell's text is
    justified only within a column of fixed width, so every column gets its widest cell's)."""
    table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, classes="team-table")
    widths = [max(cell_len(cell) for cell in column) for column in zip(columns, *rows, strict=True)]

    def cell(index: int, value: str) -> Text:
        if index not in numeric:
            return Text(value, no_wrap=True)
        return Text(value, no_wrap=True, justify="right")

    for index, column in enumerate(columns):
        table.add_column(cell(index, column), width=widths[index])
    for row in rows:
        table.add_row(*(cell(index, value) for index, value in enumerate(row)))
    return table


def _clipped(text: str, cells: int) -> str:
    """``text`` as the terminal may show it (stored answers come from anywhere: control
    characters escaped, ``drill.escapes``), cut to ``cells`` with an ellipsis."""
    shown = Text(visible(text), no_wrap=True)
    shown.truncate(cells, overflow="ellipsis")
    return shown.plain


class TeamScreen(Localised, Screen[None]):
    """Every learner's results, for the trainer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.close", "Quit"),
    ]

    def __init__(self, store: Store, decks: Mapping[str, Deck], now: datetime) -> None:
        super().__init__(classes="team-screen")
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
        rows = []
        for learner in self.report.learners:
            for row in learner.decks:
                exam = "-"
                if row.last_exam is not None:
                    verdict = _("passed") if row.last_exam.passed else _("failed")
                    exam = f"{percent(row.last_exam.score)} {verdict}"
                rows.append([visible(learner.learner), row.deck, str(row.answers),
                             percent(row.accuracy), str(row.due), exam])  # fmt: skip
        columns = [_("Learner"), _("Deck"), _("Answers"), _("Right"), _("Due"), _("Last exam")]
        return _table(columns, rows, numeric={2, 3, 4})

    def _cards(self) -> DataTable[Text]:
        rows = [
            [_clipped(card.prompt or card.card, PROMPT_CELLS), str(card.answers),
             percent(card.facility), str(card.lapses), card.wrong_text(WRONG_CELLS)]
            for card in self.report.cards[:WEAKEST_SHOWN]
        ]  # fmt: skip
        columns = [_("Card"), _("Answers"), _("Right"), _("Lapses"), _("Most given wrong answer")]
        return _table(columns, rows, numeric={1, 2, 3})

    def _at_risk(self) -> DataTable[Text]:
        rows = [
            [visible(r.learner), str(r.overdue), percent(r.retrievability)]
            for r in self.report.at_risk
        ]
        return _table([_("Learner"), _("Due"), _("Predicted recall")], rows, numeric={1, 2})
