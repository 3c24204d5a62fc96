"""The call screen: a call card played turn by turn, as a transcript that builds up like a chat.

A card screen whose answer is several: each reply goes to ``Session.answer_turn``. While the
call goes on, the reply and the customer's answer to it join the transcript, the next turn's
replies replace the last, and the countdown starts again (the card's time limit is each
turn's). When the call ends, the engine has graded and committed it, and the screen hands the
result back like any card screen (``SessionFlow`` then shows the call's review). Leaving
mid-call (Esc, Ctrl-C) records nothing of the call.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label

from drill.calls import CallPlay
from drill.grading import Replied, Response
from drill.session import Session
from drill.tui.i18n import _
from drill.tui.screens.card import CardScreen, session_status
from drill.tui.widgets.call_transcript import CallTranscript, customer_line
from drill.tui.widgets.countdown import CountdownBar
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.reply_list import ReplyList
from drill.tui.widgets.title_bar import TitleBar


class CallScreen(CardScreen):
    """The call card on screen: scene, transcript so far, and the replies of the turn."""

    CSS_PATH = "../call.tcss"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.add_class("call-screen")
        self.session.show()  # starts the call, so that its first turn can be composed

    @property
    def play(self) -> CallPlay:
        play = self.session.call
        assert play is not None, "a call screen needs the call on screen"
        return play

    def compose(self) -> ComposeResult:
        shown = self.shown
        play = self.play
        yield TitleBar(shown.deck.title, session_status(self.session, shown.index))
        if shown.time_limit > 0:
            yield CountdownBar(shown.time_limit, id="countdown")
        with VerticalScroll(id="call-log"):
            yield Label(self._kind(), classes="kind", id="call-kind")
            yield Prose(shown.card.prompt_text or "", id="prompt")
            with CallTranscript(id="transcript"):
                yield Prose(customer_line(play.turn.customer), classes="say-customer")
        yield ReplyList(shown, play.position)
        yield Footer()

    def _kind(self) -> str:
        return _("Simulated call · turn {number}").format(number=self.play.number)

    def submit(self, response: Response) -> None:
        """Say ``response`` at the turn on screen; on to the next turn, or, once the call has
        ended (graded and committed), to what the app shows after a card."""
        if self.answered:
            return
        said = self._said(response)
        result = self.session.answer_turn(response)
        if result is not None:
            self.answered = True
            self.dismiss(result)
            return
        self._next_turn(said)

    def _said(self, response: Response) -> str | None:
        """The text of the reply ``response`` gives at the turn on screen, if it is one."""
        if isinstance(response, Replied):
            return self.play.turn.replies[response.reply].text
        return None

    def _next_turn(self, said: str | None) -> None:
        play = self.play
        self.query_one("#call-kind", Label).update(self._kind())
        if self.shown.time_limit > 0:
            self.query_one(CountdownBar).show_remaining(self.shown.time_limit)
        self.query_one(ReplyList).show_turn(play.position)
        self.call_later(self._add_to_transcript, said, play.turn.customer)

    async def _add_to_transcript(self, said: str | None, customer: str) -> None:
        """The reply just given and the customer's answer join the transcript, which then
        scrolls to its newest line (once the new lines have their size)."""
        transcript = self.query_one(CallTranscript)
        if said is not None:
            await transcript.say_reply(said)
        await transcript.say_customer(customer)
        self.query_one("#call-log", VerticalScroll).scroll_end(animate=False)
