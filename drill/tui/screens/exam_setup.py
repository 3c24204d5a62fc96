"""Before an exam: how many cards, the pass mark, the time limit (SPEC 6).

Opened by ``e`` on the deck list and by ``drill run --mode exam`` (with the command line's
values filled in). Enter starts the exam with what the fields say; Esc goes back without one.
The screen only reads and checks the fields: the exam itself, and its verdict, are the session
engine's.
"""

from __future__ import annotations

import dataclasses
import re
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label

from drill.deck.model import Deck
from drill.session import Options
from drill.tui.base import Localised, fit_footer
from drill.tui.format import duration
from drill.tui.i18n import _, ngettext
from drill.tui.widgets.line_input import LineInput
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.scroll_body import ScrollBody
from drill.tui.widgets.title_bar import TitleBar

MAX_MINUTES = 24 * 60


class SetupError(ValueError):
    """A field that cannot be used; the message says what it takes."""


def _plain(text: str) -> str:
    return text.strip().casefold()


def read_cards(text: str, available: int) -> int | None:
    """The cards field: ``all`` (or empty) for every card, else a number from 1 to ``available``."""
    value = _plain(text)
    if value in ("", "all", _plain(_("all"))) or value == str(available):
        return None
    if value.isdecimal() and value.isascii() and 1 <= int(value) <= available:
        return int(value)
    raise SetupError(_("Cards: a number from 1 to {n}, or all").format(n=available))


def read_pass_mark(text: str) -> float:
    """The pass-mark field: a percentage from 0 to 100 (``80`` or ``80%``), as a fraction."""
    value = _plain(text).removesuffix("%").strip()
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]+)?", value) and float(value) <= 100:
        return float(value) / 100
    raise SetupError(_("Pass mark: a percentage from 0 to 100"))


def read_minutes(text: str) -> float | None:
    """The time-limit field: ``none`` (or empty), minutes (``15``, ``2.5``) or ``m:ss``; in
    seconds."""
    value = _plain(text)
    if value in ("", "none", _plain(_("none"))):
        return None
    clock = re.fullmatch(r"([0-9]{1,4}):([0-5][0-9])", value)
    if clock:
        seconds = int(clock[1]) * 60 + int(clock[2])
    elif re.fullmatch(r"[0-9]{1,4}(\.[0-9]+)?", value):
        seconds = round(float(value) * 60)
    else:
        seconds = -1
    if 0 < seconds <= MAX_MINUTES * 60:
        return float(seconds)
    raise SetupError(
        _("Time limit: minutes (e.g. 15 or 2:30) up to {most}, or none").format(most=MAX_MINUTES)
    )


def card_times(decks: list[Deck]) -> str:
    """Each card's own time limit in one phrase: ``30 s``, ``20 s to 45 s``, ``untimed``."""
    limits = sorted({d.card_time_limit(c) for d in decks for c in d.graded_cards})
    timed = [limit for limit in limits if limit > 0]
    if not timed:
        return _("untimed")
    low, high = duration(timed[0] * 1000), duration(timed[-1] * 1000)
    if len(timed) < len(limits):
        return _("up to {time}, some untimed").format(time=high)
    if low == high:
        return low
    return _("{low} to {high}").format(low=low, high=high)


def _percent_text(fraction: float) -> str:
    return f"{fraction * 100:g}"


def _minutes_text(seconds: float | None) -> str:
    if seconds is None:
        return _("none")
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}" if whole % 60 else str(whole // 60)


class ExamSetupScreen(Localised, Screen[Options | None]):
    """The exam's settings, editable; dismissed with the options to run, or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start exam", priority=True),
        Binding("escape", "back", "Back"),
        Binding("down", "app.focus_next", "Next field", key_display="↓/Tab", priority=True),
        Binding("up", "app.focus_previous", "Previous field", show=False, priority=True),
        Binding("ctrl+c", "app.quit", "Quit", priority=True),
    ]

    def __init__(self, decks: list[Deck], options: Options) -> None:
        super().__init__(classes="exam-setup-screen")
        self.decks = decks
        self.options = options
        self.available = sum(len(d.graded_cards) for d in decks)
        self.warm_up = sum(len(d.cards) - len(d.graded_cards) for d in decks)

    def compose(self) -> ComposeResult:
        options = self.options
        title = ", ".join(d.title for d in self.decks)
        status = ngettext("{n} card", "{n} cards", self.available).format(n=self.available)
        yield TitleBar(title, _("Exam setup") + " · " + status)
        with ScrollBody(id="setup-body"):
            yield Prose(_("Set up the exam, then press Enter to start."), classes="setup-intro")
            cards = "" if options.limit is None else str(min(options.limit, self.available))
            with Horizontal(classes="setup-row"):
                yield Label(_("Cards"), classes="setup-label")
                yield LineInput(cards or _("all"), id="cards", classes="setup-field", compact=True)
                yield Label(_("of {n}").format(n=self.available), classes="setup-unit")
            with Horizontal(classes="setup-row"):
                yield Label(_("Pass mark"), classes="setup-label")
                yield LineInput(
                    _percent_text(options.pass_mark),
                    id="pass-mark",
                    classes="setup-field",
                    compact=True,
                )
                yield Label("%", classes="setup-unit")
            with Horizontal(classes="setup-row"):
                yield Label(_("Time limit"), classes="setup-label")
                yield LineInput(
                    _minutes_text(options.time_limit),
                    id="minutes",
                    classes="setup-field",
                    compact=True,
                )
                yield Label(_("minutes for the whole exam"), classes="setup-unit")
            yield Prose("", id="setup-error")
            notes = [
                _("Time for each card: {times} (set by the deck).").format(
                    times=card_times(self.decks)
                )
            ]
            if self.warm_up:
                notes.append(
                    ngettext(
                        "First, {n} breathing exercise (not scored).",
                        "First, {n} breathing exercises (not scored).",
                        self.warm_up,
                    ).format(n=self.warm_up)
                )
            notes.append(
                _(
                    "No answers are shown until the end. The score counts every card of the "
                    "exam: a card left unanswered counts as wrong."
                )
            )
            for note in notes:
                yield Prose(note, classes="setup-note")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cards", Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        if fit_footer(self, event.size.width, [(self, ("ctrl+c",)), (self, ("down",))]):
            self.refresh_bindings()

    def chosen(self) -> Options:
        """The options the fields give; raises ``SetupError`` for the first unusable one."""
        return dataclasses.replace(
            self.options,
            mode="exam",
            limit=read_cards(self.query_one("#cards", Input).value, self.available),
            pass_mark=read_pass_mark(self.query_one("#pass-mark", Input).value),
            time_limit=read_minutes(self.query_one("#minutes", Input).value),
        )

    class Start(Message):
        """Enter, on its way through the field with focus: that field handles its messages
        in order, so this reaches the screen only after the keys typed before Enter."""

    def action_start(self) -> None:
        """Start the exam once the field with focus has taken every key typed before Enter.

        Enter is a priority key, run as soon as the app reads it; digits read with it in one
        go (a slow link, a script) are still on their way to the field, and the exam would
        start with the value from before them."""
        (self.focused or self).post_message(self.Start())

    def on_exam_setup_screen_start(self, message: Start) -> None:
        """Start the exam with the fields' values, or say which field is wrong."""
        message.stop()
        try:
            options = self.chosen()
        except SetupError as problem:
            self.query_one("#setup-error", Prose).set_text(str(problem))
            return
        self.dismiss(options)

    def action_back(self) -> None:
        self.dismiss(None)
