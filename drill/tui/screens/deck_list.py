"""The deck list, the start screen of ``drill``: every deck found, its figures, and the keys
that start a review, a drill or an exam, open stats or the breathing pacer.

The first frame shows the list's frame and keys as fast as Textual can; the decks follow in the
next frame when every deck file is in the deck load cache (the usual case: nothing changed
since the last run; read before the app starts, in a millisecond), else from a worker thread
that parses them. The figures are read from the store on the app's own thread (the SQLite
connection belongs to it) through ``drill.progress``, as ``drill decks`` reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from drill.display import clip
from drill.tui.format import percent
from drill.tui.i18n import N_, _, ngettext
from drill.tui.keys import settle_bindings
from drill.tui.widgets.deck_table import DeckTable
from drill.tui.widgets.footer import Footer
from drill.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from drill.deck.discovery import Catalog
    from drill.deck.loader import LoadResult
    from drill.deck.model import Deck
    from drill.planning import Mode
    from drill.tui.app import DrillApp

COLUMNS = (N_("Deck"), N_("Lang"), N_("Cards"), N_("Due"), N_("New"), N_("Last"))
NUMBERS = 2
"""Columns from this one on hold figures, right-aligned under right-aligned headers."""
TITLE_CELLS = 40


@dataclass(frozen=True, slots=True)
class Entry:
    """A row of the list: a deck with its figures, or a deck file that failed to load."""

    key: str
    deck: Deck | None
    broken: LoadResult | None = None
    due: int = 0
    new: int = 0
    last: float | None = None

    def matches(self, needle: str) -> bool:
        """Whether the filter text ``needle`` occurs in the deck's id, title, language or tags."""
        if self.deck is None:
            assert self.broken is not None
            haystack = self.broken.path
        else:
            deck = self.deck
            haystack = " ".join([deck.id, deck.title, deck.language, *deck.tags])
        return needle.casefold() in haystack.casefold()


def entries(
    catalog: Catalog, figures: dict[str, tuple[int, int]], scores: dict[str, float]
) -> list[Entry]:
    """Rows in search order: good decks (the first of each id) and broken files, as found."""
    rows: list[Entry] = []
    for result in catalog.results:
        deck = result.deck
        if deck is None:
            rows.append(Entry(f"broken:{result.path}", None, result))
        elif catalog.decks.get(deck.id) is deck:
            due, new = figures[deck.id]
            rows.append(Entry(deck.id, deck, None, due, new, scores.get(deck.id)))
    return rows


class DeckListScreen(Screen[None]):
    """Every deck found, with title, language, cards, due now, new and last score."""

    AUTO_FOCUS = "#decks"
    """The table has the focus from the first frame, so its keys are in that frame's footer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "start('drill')", "Drill"),
        Binding("e", "start('exam')", "Exam"),
        Binding("s", "stats", "Stats"),
        Binding("t", "team", "Team"),
        Binding("b", "breathe", "Breathe"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("escape", "clear_filter", "Clear filter"),
        Binding("q", "app.close", "Quit"),
    ]

    def __init__(self, load_catalog: Callable[[], Catalog], ready: Catalog | None = None) -> None:
        super().__init__(classes="deck-list-screen")
        settle_bindings(self)
        self.load_catalog = load_catalog
        """Reads every deck found; called in the loading thread (it imports the deck loader
        and parses YAML, which the first frame need not wait for)."""
        self._ready = ready
        """The decks found, when every one was in the deck cache: listed in the second frame,
        without waiting on a thread."""
        self._resumed = False
        self.catalog: Catalog | None = None
        self.rows: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield TitleBar(_("Decks"), _("loading…"))
        yield Input(placeholder=_("Filter decks: type, Enter to keep, Esc to clear"), id="filter")
        table = DeckTable()
        self.widths: list[int] = []
        for index, label in enumerate(COLUMNS):
            text = _(label)
            # Headers as Text, not markup: a translated label is shown as written (and a string
            # would be parsed for markup and emoji codes, which imports Rich's emoji table).
            if index < NUMBERS:
                table.add_column(Text(text), key=label)
                continue
            width = max(cell_len(text), 4)
            self.widths.append(width)
            table.add_column(Text(" " * (width - cell_len(text)) + text), key=label, width=width)
        yield table
        yield Static("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        # After the first frame: the list frame shows at once, the decks in the next one (from
        # the deck cache, read before the app started) or a moment later (from the files).
        if self._ready is not None:
            self.call_after_refresh(self.show_catalog, self._ready)
        else:
            self.call_after_refresh(self.load)

    def on_screen_resume(self) -> None:
        """Back from another screen: read the decks again (a trainer may have edited one)."""
        if self._resumed and self.catalog is not None:
            self.load()
        self._resumed = True

    @work(thread=True, exclusive=True, group="catalog")
    def load(self) -> None:
        """Read every deck file (off the app's thread: YAML parsing is the slow part)."""
        catalog = self.load_catalog()
        self.app.call_from_thread(self.show_catalog, catalog)

    def show_catalog(self, catalog: Catalog) -> None:
        """Fill the table from ``catalog`` and the store's current figures."""
        from drill.progress import due_and_new, last_scores

        store = cast("DrillApp", self.app).env.store
        decks = list(catalog.decks.values())
        figures = due_and_new(store, decks, cast("DrillApp", self.app).env.clock.now())
        scores = last_scores(store, [d.id for d in decks])
        self.catalog = catalog
        self.rows = entries(catalog, figures, scores)
        for warning in catalog.warnings:
            self.notify(warning, severity="warning", timeout=6)
        self.fill()

    def fill(self) -> None:
        """Show the rows that match the filter, keeping the highlighted deck if it is shown."""
        table = self.query_one(DeckTable)
        keep = self.highlighted()
        needle = self.query_one("#filter", Input).value.strip()
        shown = [row for row in self.rows if row.matches(needle)] if needle else self.rows
        table.clear()
        for row in shown:
            table.add_row(*self._cells(row, self.widths), key=row.key)
        if keep is not None and any(row.key == keep.key for row in shown):
            table.move_cursor(row=table.get_row_index(keep.key))
        decks = sum(1 for row in self.rows if row.deck is not None)
        due = sum(row.due for row in self.rows)
        status = ngettext("{n} deck", "{n} decks", decks).format(n=decks)
        status += " · " + ngettext("{n} card due", "{n} cards due", due).format(n=due)
        self.query_one(TitleBar).set_status(status)
        self.show_detail()

    @staticmethod
    def _cells(row: Entry, widths: list[int]) -> list[Text]:
        """A row's cells; ``widths`` are those of the figure columns, to align them right."""
        columns = iter(widths)

        def number(value: object, style: str = "") -> Text:
            return Text(str(value).rjust(next(columns)), style=style)

        if row.deck is None:
            assert row.broken is not None
            name = "⚠ " + clip(Path(row.broken.path).name, TITLE_CELLS - 2)
            return [Text(name, style="bold red"), Text(_("broken"), style="red"),
                    *(number("-") for _n in range(4))]  # fmt: skip
        deck = row.deck
        return [
            Text(clip(deck.title, TITLE_CELLS)),
            Text(deck.language, style="dim"),
            number(len(deck.cards)),
            number(row.due, "bold" if row.due else "dim"),
            number(row.new, "" if row.new else "dim"),
            number(percent(row.last)),
        ]

    def highlighted(self) -> Entry | None:
        """The row under the cursor, if any."""
        table = self.query_one(DeckTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((row for row in self.rows if row.key == key), None)

    def show_detail(self) -> None:
        """Under the table: the highlighted deck's description, or why its file is broken."""
        row = self.highlighted()
        detail = self.query_one("#detail", Static)
        if row is None:
            detail.update(_("No decks match.") if self.rows else _("No decks found."))
        elif row.deck is None:
            assert row.broken is not None
            detail.update(Text(str(row.broken.problems[0]), style="red"))
        else:
            deck = row.deck
            text = Text(deck.title, style="bold")
            if deck.description:
                text.append("\n" + deck.description)
            detail.update(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_start("review")

    def action_start(self, mode: Mode) -> None:
        """Start a session of ``mode`` on the highlighted deck."""
        row = self.highlighted()
        if row is None:
            return
        if row.deck is None:
            self.notify(_("This deck file has errors; fix them to use it."), severity="error")
            return
        deck = row.deck
        if mode == "review" and deck.graded_cards and row.due + row.new == 0:
            self.notify(
                _("Nothing is due in this deck. Press d to drill every card anyway."),
                title=deck.title,
            )
            return
        cast("DrillApp", self.app).start_session([deck], mode)

    def action_stats(self) -> None:
        """Open the stats screen for the decks found."""
        if self.catalog is not None:
            cast("DrillApp", self.app).open_stats(list(self.catalog.decks.values()))

    def action_team(self) -> None:
        """Open the Team screen: every learner's results (the trainers' report)."""
        if self.catalog is not None:
            cast("DrillApp", self.app).open_team(self.catalog.decks)

    def action_breathe(self) -> None:
        """Open the breathing pacer (4-7-8, four breaths)."""
        cast("DrillApp", self.app).open_pacer((4.0, 7.0, 8.0), 4)

    def action_filter(self) -> None:
        """Show the filter box and type into it."""
        box = self.query_one("#filter", Input)
        box.add_class("-shown")
        box.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.fill()

    @on(Input.Submitted, "#filter")
    def _filter_kept(self) -> None:
        box = self.query_one("#filter", Input)
        box.set_class(bool(box.value), "-shown")
        self.query_one(DeckTable).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc means "clear the filter" only while there is a filter to clear."""
        if action == "clear_filter":
            return self.query_one("#filter", Input).has_class("-shown")
        return True

    def action_clear_filter(self) -> None:
        """Empty the filter and return to the full list."""
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("-shown")
        self.query_one(DeckTable).focus()
        self.refresh_bindings()
