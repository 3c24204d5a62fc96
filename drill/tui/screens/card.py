"""The card screen: one card of a session, its countdown, and the widget to answer it with.

The screen turns what the answer widgets send into a call to ``Session.answer`` and hands the
committed ``Result`` back with ``dismiss`` (``None`` when the trainee ends the session); the
``SessionFlow`` that pushed it decides what follows. Whether time is up is the session's
call, asked on every clock tick, so the screen and the headless runner can never disagree, and
a ``ManualClock`` drives it in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label

from drill.deck.model import BreathingCard, ChoiceCard, Flashcard, OrderCard, TypedCard
from drill.grading import Breathed, Response, Skip, TimedOut
from drill.planning import ShownCard
from drill.session import Result, Session
from drill.tui.base import Localised, fit_footer
from drill.tui.format import clock_time
from drill.tui.i18n import N_, _
from drill.tui.messages import Answered
from drill.tui.widgets.answer import AnswerInput, StopClock
from drill.tui.widgets.countdown import CountdownBar
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.title_bar import TitleBar

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


def _choice(shown: ShownCard) -> Widget:
    from drill.tui.widgets.choice_list import ChoiceList

    return ChoiceList(shown)


def _order(shown: ShownCard) -> Widget:
    from drill.tui.widgets.step_list import StepList

    return StepList(shown)


def _typed(shown: ShownCard) -> Widget:
    from drill.tui.widgets.typed_answer import TypedAnswer

    return TypedAnswer()


def _flashcard(shown: ShownCard) -> Widget:
    from drill.tui.widgets.flashcard import FlashcardAnswer

    assert isinstance(shown.card, Flashcard)
    return FlashcardAnswer(shown.card)


def _breathing(shown: ShownCard) -> Widget:
    from drill.tui.widgets.pacer import BreathingPacer, pattern_label

    card = shown.card
    assert isinstance(card, BreathingCard)
    pacer = BreathingPacer(card.pattern, card.cycles, id="answer")
    pacer.tooltip = pattern_label(card.pattern, card.cycles)
    return pacer


ANSWER_WIDGETS: dict[str, Callable[[ShownCard], Widget]] = {
    "choice": _choice,
    "order": _order,
    "typed": _typed,
    "flashcard": _flashcard,
    "breathing": _breathing,
}
"""The answer widget of each card type, with ``id="answer"``: the one place a new card type
adds its widget. A widget that is an ``AnswerInput`` says what the trainee had entered when
time ran out; a breathing pacer is driven by the clock."""


class CardScreen(Localised, Screen[Result | None]):
    """The current card of ``session``; dismissed with its committed result (None: end)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "skip", "Skip"), *SESSION_BINDINGS]

    def __init__(self, session: Session) -> None:
        super().__init__(classes="card-screen")
        self.session = session
        shown = session.current
        assert shown is not None, "a card screen needs a card to show"
        self.shown = shown
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
                yield Prose(prompt, id="prompt")
            yield ANSWER_WIDGETS[shown.card.type](shown)
        yield Footer()

    def on_mount(self) -> None:
        self.session.show()
        self.query_one("#answer").focus()
        cast("DrillApp", self.app).ticks.subscribe(self, self.tick)
        self.bindings_updated_signal.subscribe(self, self.fit_footer)

    def on_resize(self, event: events.Resize) -> None:
        self.fit_footer()

    def fit_footer(self, _screen: object = None) -> None:
        """Keep the footer within the screen whenever its keys change: Quit's hint goes first
        (Ctrl-C is Ctrl-C), then the answer widget's least needed ones."""
        answer = self.query_one("#answer")
        drops: list[tuple[Localised, tuple[str, ...]]] = [(self, ("ctrl+c",))]
        if isinstance(answer, AnswerInput) and isinstance(answer, Localised):
            drops += [(answer, keys) for keys in answer.FOOTER_DROPS]
        if fit_footer(self, self.size.width, drops):
            self.refresh_bindings()

    def tick(self, _now: float = 0.0) -> None:
        """Redraw the countdowns; time the card out when the session says its time is up.

        Only the screen on top times out: under a help screen or the question "end the
        session?", time still runs, and the card times out when the trainee comes back to it.
        """
        if self.answered or not self.is_current:
            return
        try:
            self._tick()
        except NoMatches:
            # A tick that lands while the app is shutting down (Ctrl-C, or a test's app
            # closing) finds the screen's widgets already removed: nothing is left to update.
            return

    def _tick(self) -> None:
        session = self.session
        self.query_one(TitleBar).set_status(session_status(session, self.shown.index))
        remaining = session.card_remaining_ms()
        if remaining is not None:
            self.query_one(CountdownBar).show_remaining(remaining / 1000)
        if not self.is_active:
            return
        if isinstance(self.shown.card, BreathingCard):
            from drill.tui.widgets.pacer import BreathingPacer

            if self.query_one(BreathingPacer).show_elapsed(session.card_latency_ms() / 1000):
                self.submit(Breathed(True))
                return
        if session.time_is_up():
            answer = self.query_one("#answer")
            pending = answer.pending() if isinstance(answer, AnswerInput) else None
            self.submit(TimedOut(pending))

    def submit(self, response: Response) -> None:
        """Grade and commit ``response`` (once), then hand the stored result back."""
        if self.answered:
            return
        self.answered = True
        self.dismiss(self.session.answer(response))

    def on_answered(self, message: Answered) -> None:
        message.stop()
        self.submit(message.response)

    def on_stop_clock(self, message: StopClock) -> None:
        message.stop()
        self.session.stop_clock()
        if self.shown.time_limit > 0:
            self.query_one(CountdownBar).stop()

    def action_skip(self) -> None:
        """Pass on this card: graded wrong (a breathing card is just left undone)."""
        self.submit(Skip())

    def action_end(self) -> None:
        """Ask, then end the session here; everything answered so far is already stored."""
        from drill.tui.screens.confirm import ConfirmEndScreen

        def confirmed(end: bool | None) -> None:
            if end and not self.answered:
                self.answered = True
                self.dismiss(None)

        self.app.push_screen(ConfirmEndScreen(), confirmed)
