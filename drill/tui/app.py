"""The Textual app: where a run starts, the one clock tick every screen shares, and leaving.

Screens are imported when first shown, so ``drill`` draws its deck list without loading the
card screens, the session engine's grading or the stats screen. Screens never call up into the
app to say what comes next: they hand back a result with ``dismiss()`` to whoever pushed them
(a ``SessionFlow`` runs a session's cards, feedback and summary that way) or post a message
(``StartSession`` from the deck list). The app keeps the running flow only so that Ctrl-C,
pressed anywhere, can close its session properly before quitting; the answers themselves are
already stored by then, one commit per answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.signal import Signal

from drill.clock import Clock
from drill.errors import EXIT_CHECK_FAILED, EXIT_INTERRUPTED, EXIT_OK, DrillError
from drill.interrupts import not_ignored
from drill.tui.base import Localised
from drill.tui.messages import StartSession

if TYPE_CHECKING:
    from drill.deck.discovery import Catalog
    from drill.deck.model import Deck
    from drill.session import Options, Session, Summary
    from drill.store import LearnerStore
    from drill.tui.flow import SessionFlow

TICK_SECONDS = 0.1
"""How often countdowns and the pacer are redrawn (and a card's time is checked)."""


@dataclass(slots=True)
class Env:
    """What the screens need from outside: the store, the clock, where decks are found."""

    store: LearnerStore
    """The store as the learner drilling sees it (``store.store`` is everyone's, for the
    Team screen)."""
    clock: Clock
    load_catalog: Callable[[], Catalog]
    """Reads every deck found (``$DRILL_DECKS``, the user folder, the bundled decks)."""
    standalone: bool = False
    """True for ``drill run`` and ``drill breathe``: closing the last screen quits."""


class DrillApp(Localised, App[None]):
    """drill's TUI; ``start`` pushes the screen it opens on (``app.push_screen(...)``, or
    ``app.start_session(...)`` / ``app.run_session(...)`` for ``drill run``)."""

    CSS_PATH = "drill.tcss"
    TITLE = "drill"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
    ]

    def __init__(self, env: Env, start: Callable[[DrillApp], object]) -> None:
        super().__init__()
        self.env = env
        self._start = start
        self.ticks: Signal[float] = Signal(self, "tick")
        """Published on every clock tick with the clock's reading; screens with countdowns or
        a pacer subscribe while they are mounted."""
        self.flow: SessionFlow | None = None
        """The session running, until its summary is closed."""
        self.last_summary: Summary | None = None
        self.failure: DrillError | None = None
        """What ended the app, when the CLI must report it (one line and its exit code)."""
        self._signals: list[signal.Signals] = []
        """The terminal window closed (SIGHUP), or the program told to stop (SIGTERM): leave as
        Ctrl-C does, the session ended in the store and an exam judged against its planned
        cards, rather than be killed with the exam unjudged and out of the trainers' report.
        (Not those the parent set to be ignored.)"""

    def handle_drill_error(self, error: DrillError) -> bool:
        """A ``DrillError`` raised on any screen (the store failing mid-run: damaged pages, a
        full disk) ends the app like one raised before it started: one line from the CLI and
        its exit code, no traceback."""
        self.failure = error
        self.exit(return_code=error.exit_code)
        return True

    def on_mount(self) -> None:
        self._start(self)
        self.set_interval(TICK_SECONDS, self.tick)
        loop = asyncio.get_running_loop()
        for number in not_ignored("SIGHUP", "SIGTERM"):
            with contextlib.suppress(NotImplementedError):  # an event loop without signals
                loop.add_signal_handler(number, self._leave, EXIT_INTERRUPTED)
                self._signals.append(number)

    def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for number in self._signals:
            loop.remove_signal_handler(number)

    def tick(self) -> None:
        """Tell every subscribed screen the clock moved (countdowns, the pacer, time-outs)."""
        self.ticks.publish(self.env.clock.monotonic())

    # --- keys everywhere -----------------------------------------------------------------------

    def get_key_display(self, binding: Binding) -> str:
        """``?`` opens help, but in a text field ``?`` is typed: there, the footer says F1."""
        if binding.action == "help":
            from textual.widgets import Input

            return "F1" if isinstance(self.focused, Input) else "?"
        return super().get_key_display(binding)

    def action_help(self) -> None:
        """Open the help screen over whatever is on screen (not over itself)."""
        from drill.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # --- sessions ----------------------------------------------------------------------------

    def on_start_session(self, message: StartSession) -> None:
        self.start_session(message.decks, message.options)

    def start_session(self, decks: list[Deck], options: Options) -> None:
        """A session over ``decks``: an exam opens on its setup screen, where the trainee may
        change the cards, pass mark and time limit; other modes start at once."""
        if options.mode != "exam":
            self._begin(decks, options)
            return
        from drill.tui.screens.exam_setup import ExamSetupScreen

        def configured(chosen: Options | None) -> None:
            if chosen is not None:
                self._begin(decks, chosen)
            elif self.env.standalone:
                self.action_close()

        self.push_screen(ExamSetupScreen(decks, options), configured)

    def _begin(self, decks: list[Deck], options: Options) -> None:
        from drill.errors import UsageError
        from drill.session import Session

        try:
            session = Session(decks, options, self.env.clock, self.env.store)
        except UsageError as exc:  # an exam of breathing cards alone: say so, stay where we are
            self.notify(str(exc), severity="error")
            if self.env.standalone:
                self.action_close()
            return
        self.run_session(session)

    def run_session(self, session: Session) -> None:
        """Show ``session`` card by card to its summary; then back to where it was started
        from (the deck list, which is told through ``SessionEnded``), or out of ``drill run``."""
        from drill.tui.flow import SessionFlow

        self.flow = SessionFlow(self, session, self._session_closed)
        self.flow.start()

    def _session_closed(self, summary: Summary) -> None:
        from drill.tui.messages import SessionEnded

        self.flow = None
        self.last_summary = summary
        if self.env.standalone:
            self.action_close()
        else:
            self.screen.post_message(SessionEnded(summary))

    # --- leaving -----------------------------------------------------------------------------

    def close_standalone(self, _result: object = None) -> None:
        """The one screen of ``drill breathe`` closed: so does the app."""
        self.action_close()

    def action_close(self) -> None:
        """Quit normally: exit 1 after a failed exam in ``drill run``, else 0."""
        failed = self.last_summary is not None and self.last_summary.passed is False
        code = EXIT_CHECK_FAILED if self.env.standalone and failed else EXIT_OK
        self._leave(code)

    async def action_quit(self) -> None:
        """Ctrl-C, from anywhere: close the session (its answers are stored) and quit."""
        self._leave(EXIT_INTERRUPTED)

    def _leave(self, code: int) -> None:
        if self.flow is not None:
            self.last_summary = self.flow.session.finish()
            self.flow = None
        self.exit(return_code=code)
