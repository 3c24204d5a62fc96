"""The deck list, the start screen of ``drill``: every deck found, its figures, and the keys
that start a review, a drill or an exam, open stats or the breathing pacer.

The first frame shows the list's frame and keys as fast as Textual can; the decks follow in the
next frame when every deck file is in the deck load cache (the usual case: nothing changed
since the last run; read before the app starts, in a millisecond), else from a worker thread
that parses them. The figures are read from the store on the app's own thread (the
SQLite connection belongs to it) through ``drill.progress``, as ``drill decks`` reads them,
and again each time a session started here ends.

The table always fits its screen: the deck title takes what the figure columns leave, and on
a narrow screen whole columns are dropped (language first) rather than a figure being cut, as
a cut ``26`` would read as ``2``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input

from drill.display import clip
from drill.tui.base import Localised, fit_footer
from drill.tui.format import percent
from drill.tui.i18n import N_, _, language, ngettext
from drill.tui.messages import SessionEnded, StartSession
from drill.tui.widgets.deck_table import DeckTable
from drill.tui.widgets.footer import Footer
from drill.tui.widgets.line_input import LineInput
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from drill.deck.discovery import Catalog
    from drill.deck.loader import LoadResult
    from drill.deck.model import Deck
    from drill.planning import Mode
    from drill.tui.app import DrillApp

COLUMNS = (N_("Deck"), N_("Lang"), N_("Cards"), N_("Due"), N_("New"), N_("Last"))
DROP_FIRST = (N_("Lang"), N_("Cards"), N_("Last"))
"""Columns left out, in this order, when the screen is too narrow for all of them."""
FIGURE_CELLS = 4
"""Widest figure a column holds: ``100%``, or a count up to 9999."""
MIN_TITLE_CELLS = 14
MAX_TITLE_CELLS = 48
TABLE_CHROME = 4
"""Cells of the screen the table cannot use: its margins and its scroll bar."""

FOOTER_DROPS = ("b", "slash", "s", "t")
"""The list's keys whose footer hints leave first when the footer would not fit."""


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
    catalog: Catalog,
    figures: dict[str, tuple[int, int]],
    scores: dict[str, float],
    first_language: str = "en",
) -> list[Entry]:
    """Rows in search order: good decks (the first of each id) and broken files, as found;
    decks in ``first_language`` (the interface's, when it is not English) come first."""
    rows: list[Entry] = []
    for result in catalog.results:
        deck = result.deck
        if deck is None:
            rows.append(Entry(f"broken:{result.path}", None, result))
        elif catalog.decks.get(deck.id) is deck:
            due, new = figures[deck.id]
            rows.append(Entry(deck.id, deck, None, due, new, scores.get(deck.id)))
    if first_language != "en":
        prefix = first_language.split("-")[0].casefold()
        rows.sort(key=lambda row: not (row.deck and _same_language(row.deck.language, prefix)))
    return rows


def _same_language(tag: str, prefix: str) -> bool:
    return tag.casefold().split("-")[0] == prefix


def fitting_columns(width: int, headers: dict[str, str]) -> tuple[list[str], int]:
    """The columns that fit in ``width`` cells and the deck title's width among them."""
    columns = list(COLUMNS)

    def title_cells() -> int:
        figures = sum(
            max(cell_len(headers[c]), FIGURE_CELLS) + 2 for c in columns if c not in COLUMNS[:2]
        )
        lang = max(cell_len(headers["Lang"]), 6) + 2 if "Lang" in columns else 0
        return width - TABLE_CHROME - figures - lang - 2

    for drop in DROP_FIRST:
        if title_cells() >= MIN_TITLE_CELLS:
            break
        columns.remove(drop)
    return columns, max(6, min(title_cells(), MAX_TITLE_CELLS))


class DeckListScreen(Localised, Screen[None]):
    """Every deck found, with title, language, cards, due now, new and last score."""

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
        self.load_catalog = load_catalog
        """Reads every deck found; called in the loading thread (it imports the deck loader
        and parses YAML, which the first frame need not wait for)."""
        self._ready = ready
        """The decks found, when every one was in the deck cache: listed in the second frame,
        without waiting on a thread."""
        self.catalog: Catalog | None = None
        self.rows: list[Entry] = []
        self.columns: list[str] = []
        self.title_cells = MAX_TITLE_CELLS

    def compose(self) -> ComposeResult:
        yield TitleBar(_("Decks"), _("loading…"))
        yield LineInput(
            placeholder=_("Filter decks: type, Enter to keep, Esc to clear"), id="filter"
        )
        yield DeckTable()
        yield Prose("", id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.bindings_updated_signal.subscribe(self, lambda _screen: self._fit_footer())
        self.query_one(DeckTable).focus()
        # After the first frame: the list frame shows at once, the decks in the next one (from
        # the deck cache, read before the app started) or a moment later (from the files).
        if self._ready is not None:
            self.call_after_refresh(self.show_catalog, self._ready)
        else:
            self.call_after_refresh(self.load)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_footer()
        if self._layout_columns(event.size.width):
            self.fill()

    def on_session_ended(self, message: SessionEnded) -> None:
        """A session started here ended: its answers changed the figures."""
        if self.catalog is not None:
            self.load()

    @work(thread=True, exclusive=True, group="catalog")
    def load(self) -> None:
        """Read every deck file (off the app's thread: YAML parsing is the slow part)."""
        catalog = self.load_catalog()
        self.app.call_from_thread(self.show_catalog, catalog)

    def show_catalog(self, catalog: Catalog) -> None:
        """Fill the table from ``catalog`` and the store's current figures."""
        from drill.progress import due_and_new, last_scores

        env = cast("DrillApp", self.app).env
        decks = list(catalog.decks.values())
        figures = due_and_new(env.store, decks, env.clock.now())
        scores = last_scores(env.store, [d.id for d in decks])
        self.catalog = catalog
        self.rows = entries(catalog, figures, scores, language())
        for warning in catalog.warnings:
            self.notify(warning, severity="warning", timeout=6)
        self._layout_columns(self.size.width)
        self.fill()

    def _layout_columns(self, width: int) -> bool:
        """Set the table's columns for a screen ``width`` cells wide; True if they changed."""
        headers = {label: _(label) for label in COLUMNS}
        columns, title_cells = fitting_columns(width, headers)
        if (columns, title_cells) == (self.columns, self.title_cells):
            return False
        self.columns, self.title_cells = columns, title_cells
        table = self.query_one(DeckTable)
        table.clear(columns=True)
        for label in columns:
            text = headers[label]
            if label == "Deck":
                table.add_column(text, key=label, width=title_cells)
            elif label == "Lang":
                table.add_column(text, key=label, width=max(cell_len(text), 6))
            else:
                cells = max(cell_len(text), FIGURE_CELLS)
                table.add_column(Text(text, justify="right"), key=label, width=cells)
        return True

    def fill(self) -> None:
        """Show the rows that match the filter, keeping the highlighted deck if it is shown."""
        table = self.query_one(DeckTable)
        keep = self.highlighted()
        needle = self.query_one("#filter", Input).value.strip()
        shown = [row for row in self.rows if row.matches(needle)] if needle else self.rows
        table.clear()
        for row in shown:
            table.add_row(*self._cells(row), key=row.key)
        if keep is not None and any(row.key == keep.key for row in shown):
            table.move_cursor(row=table.get_row_index(keep.key))
        decks = sum(1 for row in self.rows if row.deck is not None)
        due = sum(row.due for row in self.rows)
        status = ngettext("{n} deck", "{n} decks", decks).format(n=decks)
        status += " · " + ngettext("{n} card due", "{n} cards due", due).format(n=due)
        self.query_one(TitleBar).set_status(status)
        self.show_detail()

    def _cells(self, row: Entry) -> list[Text]:
        """A row's cells, for the columns on screen, figures right-aligned."""

        def number(label: str, value: object, style: str = "") -> Text:
            return Text(str(value), style=style, justify="right")

        if row.deck is None:
            assert row.broken is not None
            values = {
                "Deck": Text(
                    "⚠ " + clip(Path(row.broken.path).name, self.title_cells - 2), style="bold red"
                ),
                "Lang": Text(_("broken"), style="red"),
                **{label: number(label, "-") for label in COLUMNS[2:]},
            }
        else:
            deck = row.deck
            values = {
                "Deck": Text(clip(deck.title, self.title_cells)),
                "Lang": Text(deck.language, style="dim"),
                "Cards": number("Cards", len(deck.cards)),
                "Due": number("Due", row.due, "bold" if row.due else "dim"),
                "New": number("New", row.new, "" if row.new else "dim"),
                "Last": number("Last", percent(row.last)),
            }
        return [values[label] for label in self.columns]

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
        detail = self.query_one("#detail", Prose)
        if row is None:
            detail.set_text(_("No decks match.") if self.rows else _("No decks found."))
        elif row.deck is None:
            assert row.broken is not None
            detail.set_text(Text(str(row.broken.problems[0]), style="red"))
        else:
            deck = row.deck
            text = Text(deck.title, style="bold")
            if deck.description:
                text.append("\n" + deck.description)
            detail.set_text(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_start("review")

    def action_start(self, mode: Mode) -> None:
        """Start a session of ``mode`` on the highlighted deck (an exam on its setup screen)."""
        from drill.session import Options

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
        if mode == "exam" and not deck.graded_cards:
            self.notify(_("This deck has only exercises: nothing to examine."), title=deck.title)
            return
        self.post_message(StartSession([deck], Options(mode=mode)))

    def action_stats(self) -> None:
        """Open the stats screen for the decks found."""
        from drill.tui.screens.stats import StatsScreen

        if self.catalog is not None:
            self.app.push_screen(StatsScreen(list(self.catalog.decks.values())))

    def action_team(self) -> None:
        """Open the Team screen: every learner's results (the trainers' report)."""
        from drill.tui.screens.team import TeamScreen

        if self.catalog is not None:
            env = cast("DrillApp", self.app).env
            self.app.push_screen(TeamScreen(env.store.store, self.catalog.decks, env.clock.now()))

    def action_breathe(self) -> None:
        """Open the breathing pacer (4-7-8, four breaths)."""
        from drill.tui.screens.breathe import BreatheScreen

        self.app.push_screen(BreatheScreen((4.0, 7.0, 8.0), 4))

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

    def _fit_footer(self) -> None:
        """Keep the footer within the screen: the pacer's and the filter's hints go first, the
        Team key's last (trainers find the Team screen by it)."""
        if fit_footer(self, self.size.width, [(self, (key,)) for key in FOOTER_DROPS]):
            self.refresh_bindings()

    def action_clear_filter(self) -> None:
        """Empty the filter and return to the full list."""
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("-shown")
        self.query_one(DeckTable).focus()
        self.refresh_bindings()
