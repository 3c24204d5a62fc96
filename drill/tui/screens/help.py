"""The help screen (``?`` or F1 from every screen): the three modes, and every key.

Written out here rather than gathered from the bindings: a key's footer label is a word or two,
and a new trainee needs the sentence behind it (what Esc does to an exam, what the numbers on
an order card mean).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Label

from drill.tui.base import Localised
from drill.tui.i18n import _
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.scroll_body import ScrollBody
from drill.tui.widgets.title_bar import TitleBar


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(keys, what they do)]) in the reader's language."""
    return [
        (
            _("Modes"),
            [
                ("⏎", _("Review: the cards due now, most overdue first, then up to 10 new "
                        "cards; the right answer after each card.")),
                ("d", _("Drill: every card of the deck in random order, with the right "
                        "answer after each; practise as often as you like.")),
                ("e", _("Exam: choose the number of cards, the pass mark and a time limit "
                        "first; no answers are shown until the end, and the score counts "
                        "every card of the exam, answered or not.")),
                (_("Time"), _("Each card has its own time (the bar at the top); an answer after "
                        "it runs out counts as wrong. Every answer is saved at once.")),
            ],
        ),
        (
            _("Deck list"),
            [
                ("⏎ d e", _("start a review, a drill or an exam of the highlighted deck")),
                ("s", _("your progress: accuracy, cards coming due, recent sessions")),
                ("t", _("the team: every learner's results, the weakest cards, who is falling "
                        "behind (for trainers)")),
                ("b", _("the breathing pacer, to settle before a hard session")),
                ("/  Esc", _("filter the decks by name, language or tag; clear the filter")),
                ("q", _("quit")),
            ],
        ),
        (
            _("Answering a card"),
            [
                ("A-Z 1-9", _("choice: pick by letter or number; several right answers: "
                              "each key picks or unpicks")),
                ("↑↓ Space", _("choice: move the cursor, pick or unpick the choice under it")),
                ("1-9", _("order: type the steps' numbers in the right order (3 1 4 2); "
                          "Backspace takes back the last number; with ten steps or more, "
                          "Space after 1 means step 1, not 10-12")),
                ("↑↓ Shift+↑↓", _("order: choose a step, move it up or down (Ctrl+↑↓ too)")),
                ("⏎", _("send the answer (a typed answer, the choices picked, the order)")),
                ("Space 1-4", _("flashcard: show the answer, then rate how well you knew it: "
                                "1 again, 2 hard, 3 good, 4 easy (its time stops once shown)")),
                ("Ctrl+S", _("skip the card (counts as wrong; a breathing exercise is just "
                             "left out)")),
                ("Esc", _("end the session: asks first; Esc or Enter again ends it")),
            ],
        ),
        (
            _("A simulated call"),
            [
                ("A-F 1-6 ↑↓", _("pick a reply to what the customer just said")),
                ("⏎", _("say it; the customer answers, and the next turn has its own time")),
                ("Ctrl+S", _("skip the whole call (counts as wrong)")),
                ("", _("after the call: each turn, your reply, whether it was good, why, "
                       "and a better reply where there was one")),
            ],
        ),
        (
            _("After an answer and at the end"),
            [
                ("⏎ Space", _("next card")),
                ("⏎", _("summary: done, back to the deck list")),
                ("Esc", _("stats, team, pacer: back")),
            ],
        ),
        (
            _("Everywhere"),
            [
                ("? F1", _("this help (F1 while typing)")),
                ("Ctrl+C", _("quit at once; every answer given is kept")),
            ],
        ),
    ]  # fmt: skip


class HelpScreen(Localised, Screen[None]):
    """Every mode and key, explained; any of its keys returns to the screen it was opened on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,enter", "close", "Back", key_display="esc"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar(_("Help"), _("modes and keys"))
        with ScrollBody(id="help-body"):
            for heading, rows in sections():
                yield Label(heading, classes="heading")
                for keys, text in rows:
                    with Horizontal(classes="help-row"):
                        yield Label(keys, classes="help-keys")
                        yield Prose(text, classes="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
