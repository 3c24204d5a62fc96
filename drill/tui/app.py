"""The Textual app: which screen comes next, and the one clock tick every screen shares.

Screens are imported when first shown, so ``drill`` draws its deck list without loading the
card screens, the session engine's grading or plotext. The app holds the running ``Session``
(if any) so that Ctrl-C, pressed anywhere, can close it properly before quitting; the answers
themselves are already stored by then, one commit per answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from drill.clock import Clock
from drill.errors import EXIT_CHECK_FAILED, EXIT_INTERRUPTED, EXIT_OK, DrillError
from drill.tui.keys import settle_bindings

if TYPE_CHECKING:
    from drill.deck.discovery import Catalog
    from drill.deck.model import Deck
    from drill.planning import Mode
    from drill.session import Result, Session, Summary
    from drill.store import Store

TICK_SECONDS = 0.1
"""How often countdowns and the pacer are redrawn (and a card's time is checked)."""


@dataclass(slots=True)
class Env:
    """What the screens need from outside: the store, the clock, where decks are found."""

    store: Store | None
    clock: Clock
    load_catalog: Callable[[], Catalog]
    """Reads every deck found (``$DRILL_DECKS``, the user folder, the bundled decks)."""
    standalone: bool = False
    """True for ``drill run`` and ``drill breathe``: closing the last screen quits."""


class DrillApp(App[None]):
    """drill's TUI; ``first`` builds the screen it opens on."""

    CSS_PATH = "drill.tcss"
    TITLE = "drill"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False)
    ]

    def __init__(self, env: Env, first: Callable[[DrillApp], Screen[None]]) -> None:
        super().__init__()
        settle_bindings(self)
        self.env = env
        self._first = first
        self.session: Session | None = None
        """The session on screen, until its summary is shown."""
        self.last_summary: Summary | None = None
        self.failure: DrillError | None = None
        """What ended the app, when the CLI must report it (one line and its exit code)."""

    def _handle_exception(self, error: Exception) -> None:
        """A ``DrillError`` raised on any screen (the store failing mid-run: damaged pages, a
        full disk) ends the app like one raised before it started: one line from the CLI and
        its exit code, no traceback. Textual has no public hook for this; everything else goes
        to Textual's own handler."""
        from textual.worker import WorkerFailed

        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, DrillError):
            self.failure = cause
            self.exit(return_code=cause.exit_code)
            return
        super()._handle_exception(error)

    def on_mount(self) -> None:
        self.push_screen(self._first(self))
        self.set_interval(TICK_SECONDS, self.tick)

    def tick(self) -> None:
        """Let the screen on top re-read the clock (countdowns, the pacer, time-outs)."""
        tick = getattr(self.screen, "tick", None)
        if tick is not None:
            tick()

    # --- sessions ----------------------------------------------------------------------------

    def start_session(self, decks: list[Deck], mode: Mode) -> None:
        """Start a session of ``mode`` over ``decks`` with default options (from the deck list)."""
        from drill.errors import UsageError
        from drill.session import Options, Session

        try:
            session = Session(decks, Options(mode=mode), self.env.clock, self.env.store)
        except UsageError as exc:  # an exam of breathing cards alone: say so, stay on the list
            self.notify(str(exc), severity="error")
            return
        self.begin(session)

    def begin(self, session: Session) -> None:
        """Show the first card of ``session`` over the screen on top."""
        self.push_screen(self.session_screen(session))

    def session_screen(self, session: Session) -> Screen[None]:
        """Make ``session`` the running one; its first card (or its summary, if it has none)."""
        self.session = session
        return self.next_screen()

    def next_screen(self) -> Screen[None]:
        """The current card of the session, or its summary once it is over."""
        session = self.session
        assert session is not None
        if session.current is not None:
            from drill.tui.screens.card import CardScreen

            return CardScreen(session)
        return self._summary_screen(session)

    def after_answer(self, result: Result) -> None:
        """After an answer is stored: its feedback (review and drill), else what comes next."""
        session = self.session
        assert session is not None
        from drill.grading import Recalled

        # A rated flashcard showed its back before rating: feedback would only repeat it.
        feedback = (
            session.options.mode != "exam"
            and result.shown.graded
            and not isinstance(result.response, Recalled)
        )
        if feedback:
            from drill.tui.screens.feedback import FeedbackScreen

            self.switch_screen(FeedbackScreen(session, result))
        else:
            self.advance()

    def advance(self) -> None:
        """Replace the card or feedback on screen with the next card (or the summary)."""
        self.switch_screen(self.next_screen())

    def end_session(self) -> None:
        """End the session early (Esc): straight to its summary."""
        if self.session is not None:
            self.switch_screen(self._summary_screen(self.session))

    def _summary_screen(self, session: Session) -> Screen[None]:
        from drill.tui.screens.summary import SummaryScreen

        summary = session.finish()
        self.session = None
        self.last_summary = summary
        return SummaryScreen(summary, ", ".join(d.title for d in session.decks))

    def close_summary(self, summary: Summary) -> None:
        """Leave the summary: back to the deck list, or out of ``drill run``."""
        if self.env.standalone:
            self.action_close()
        else:
            self.pop_screen()

    # --- other screens -----------------------------------------------------------------------

    def open_stats(self, decks: list[Deck]) -> None:
        """Show the stats screen (its module, and plotext, are imported now)."""
        from drill.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(decks))

    def open_pacer(self, pattern: tuple[float, ...], cycles: int) -> None:
        """Show the breathing pacer on its own."""
        from drill.tui.screens.breathe import BreatheScreen

        self.push_screen(BreatheScreen(pattern, cycles))

    def close_pacer(self) -> None:
        """Leave the pacer: back to the deck list, or out of ``drill breathe``."""
        if self.env.standalone:
            self.action_close()
        else:
            self.pop_screen()

    # --- leaving -----------------------------------------------------------------------------

    def action_close(self) -> None:
        """Quit normally: exit 1 after a failed exam in ``drill run``, else 0."""
        failed = self.last_summary is not None and self.last_summary.passed is False
        code = EXIT_CHECK_FAILED if self.env.standalone and failed else EXIT_OK
        self._leave(code)

    async def action_quit(self) -> None:
        """Ctrl-C, from anywhere: close the session (its answers are stored) and quit."""
        self._leave(EXIT_INTERRUPTED)

    def _leave(self, code: int) -> None:
        if self.session is not None:
            self.last_summary = self.session.finish()
            self.session = None
        self.exit(return_code=code)
