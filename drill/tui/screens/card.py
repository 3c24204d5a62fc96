"""The card screen: one card of a session, its countdown, and the widget to answer it with.

The screen turns what the answer widgets send into a call to ``Session.answer`` and hands the
committed ``Result`` to the app, which decides what comes next (feedback, the next card, the
summary). Time is read from the session's own clock on every tick, so a card times out at the
moment the countdown bar reaches zero, and a ``ManualClock`` drives it in tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label, Static

from drill.deck.model import BreathingCard, ChoiceCard, Flashcard, OrderCard, TypedCard
from drill.grading import Breathed, Response, Skip, TimedOut
from drill.session import Session
from drill.tui.format import clock_time
from drill.tui.i18n import N_, _
from drill.tui.keys import settle_bindings
from drill.tui.messages import Answered
from drill.tui.widgets.choice_list import ChoiceList
from drill.tui.widgets.countdown import CountdownBar
from drill.tui.widgets.flashcard import FlashcardAnswer
from drill.tui.widgets.pacer import BreathingPacer, pattern_label
from drill.tui.widgets.step_list import StepList
from drill.tui.widgets.title_bar import TitleBar
from drill.tui.widgets.typed_answer import TypedAnswer

if TYPE_CHECKING:
    from drill.tui.app import DrillApp

SESSION_BINDINGS = [
    Binding("escape", "end", "End session"),
    Binding("ctrl+c", "app.quit", "Quit", priority=True),
]
"""Keys that work on every screen of a running session: none is a letter or a digit."""

MODE_NAMES = {"review": N_("Review"), "drill": N_("Drill"), "exam": N_("Exam")}


def session_status(session: Session, index: int) -> str:
    """``Exam · 7/20 · ⏱ 4:32``: mode, progress and any whole-session countdown."""
    parts = [_(MODE_NAMES[session.options.mode]), f"{index}/{len(session.cards)}"]
    remaining = session.session_remaining_ms()
    if remaining is not None:
        parts.append("⏱ " + clock_time(remaining / 1000))
    return " · ".join(parts)


def card_kind(card: object) -> str:
    """What kind of answer the card wants, said in one short line above the prompt."""
    if isinstance(card, ChoiceCard):
        return _("Select all that apply") if card.multiple else _("Pick one")
    if isinstance(card, OrderCard):
        return _("Put the steps in order")
    if isinstance(card, TypedCard):
        return _("Type the answer")
    if isinstance(card, Flashcard):
        return _("Recall, then rate yourself")
    return _("Breathing exercise")


class CardScreen(Screen[None]):
    """The current card of ``session``; answering it replaces this screen."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "skip", "Skip"), *SESSION_BINDINGS]

    def __init__(self, session: Session) -> None:
        super().__init__(classes="card-screen")
        settle_bindings(self)
        self.session = session
        shown = session.current
        assert shown is not None, "a card screen needs a card to show"
        self.shown = shown
        self.started: float | None = None
        """The session clock's reading when the card was shown."""
        self.answered = False

    def compose(self) -> ComposeResult:
        shown = self.shown
        yield TitleBar(shown.deck.title, session_status(self.session, shown.index))
        if shown.time_limit > 0:
            yield CountdownBar(shown.time_limit, id="countdown")
        with VerticalScroll(id="card-body"):
            yield Label(card_kind(shown.card), classes="kind")
            prompt = shown.card.prompt_text
            if prompt:
                yield Static(prompt, id="prompt", markup=False)
            yield self._answer_widget()
        yield Footer()

    def _answer_widget(self) -> Widget:
        card = self.shown.card
        if isinstance(card, ChoiceCard):
            return ChoiceList(self.shown)
        if isinstance(card, OrderCard):
            return StepList(self.shown)
        if isinstance(card, TypedCard):
            return TypedAnswer()
        if isinstance(card, Flashcard):
            return FlashcardAnswer(card)
        assert isinstance(card, BreathingCard)
        pacer = BreathingPacer(card.pattern, card.cycles, id="answer")
        pacer.tooltip = pattern_label(card.pattern, card.cycles)
        return pacer

    def on_mount(self) -> None:
        self.session.show()
        self.started = self.session.clock.monotonic()
        self.query_one("#answer").focus()

    def tick(self) -> None:
        """Redraw the countdowns; time the card out when its time (or the session's) is up."""
        if self.answered or self.started is None:
            return
        elapsed = self.session.clock.monotonic() - self.started
        self.query_one(TitleBar).set_status(session_status(self.session, self.shown.index))
        card = self.shown.card
        if isinstance(card, BreathingCard) and self.query_one(BreathingPacer).show_elapsed(elapsed):
            self.submit(Breathed(True))
            return
        limit = self.shown.time_limit
        if limit > 0:
            self.query_one(CountdownBar).show_remaining(limit - elapsed)
            if elapsed >= limit:
                self.submit(TimedOut())
                return
        remaining = self.session.session_remaining_ms()
        if remaining is not None and remaining < 0:
            self.submit(TimedOut())

    def submit(self, response: Response) -> None:
        """Grade and commit ``response`` (once), then let the app show what follows."""
        if self.answered:
            return
        self.answered = True
        result = self.session.answer(response)
        cast("DrillApp", self.app).after_answer(result)

    def on_answered(self, message: Answered) -> None:
        message.stop()
        self.submit(message.response)

    def action_skip(self) -> None:
        """Pass on this card: graded wrong (a breathing card is just left undone)."""
        self.submit(Skip())

    def action_end(self) -> None:
        """End the session here; everything answered so far is already stored."""
        cast("DrillApp", self.app).end_session()
