"""The end of a session: score, pass or fail (exam), time taken, and every card missed.

Built from the ``Summary`` that ``Session.finish`` returns, so it shows the same figures as
the headless ``summary`` line. The missed cards come with their right answers: seeing why is
what a trainee needs before the same cards come back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from drill.grading import Skip
from drill.session import Result, Summary
from drill.tui.format import duration, expected_lines, percent
from drill.tui.i18n import _, ngettext
from drill.tui.keys import settle_bindings
from drill.tui.widgets.scroll_body import ScrollBody
from drill.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from drill.tui.app import DrillApp


def missed_entry(result: Result) -> Text:
    """One missed card: its prompt, what was answered, and the right answer."""
    card = result.shown.card
    text = Text()
    text.append(card.prompt_text or card.id, "bold")
    if isinstance(result.response, Skip):
        given = _("skipped")
    elif result.timed_out:
        given = _("time ran out")
    else:
        given = result.answer
    text.append("\n" + _("You: "), "dim")
    text.append(given)
    text.append("\n" + _("Answer: "), "dim")
    lines = expected_lines(card, result.expected)
    text.append(lines[0] if len(lines) == 1 else "\n" + "\n".join(lines))
    return text


class SummaryScreen(Screen[None]):
    """The session's outcome; closing it returns to the deck list (or ends ``drill run``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Done"),
        Binding("q", "app.close", "Quit"),
    ]

    def __init__(self, summary: Summary, title: str) -> None:
        super().__init__(classes="summary-screen")
        settle_bindings(self)
        self.summary = summary
        self.title_text = title

    def compose(self) -> ComposeResult:
        summary = self.summary
        ended = _("Session complete") if summary.complete else _("Session ended early")
        yield TitleBar(self.title_text, ended)
        with ScrollBody(id="summary-body"):
            with Horizontal(id="score-row"):
                with Vertical(id="score-box"):
                    yield Label(percent(summary.score), id="score")
                    yield Label(_("score"), classes="caption")
                with Vertical(id="figures"):
                    yield Label(
                        _("{correct} of {answered} right").format(
                            correct=summary.correct, answered=summary.answered
                        ),
                        classes="figure",
                    )
                    if summary.answered < summary.planned:
                        yield Label(
                            _("{answered} of {planned} cards answered").format(
                                answered=summary.answered, planned=summary.planned
                            ),
                            classes="figure",
                        )
                    yield Label(
                        _("Time: {duration}").format(duration=duration(summary.duration_ms)),
                        classes="figure",
                    )
                    if summary.passed is not None:
                        mark = percent(summary.pass_mark)
                        if summary.passed:
                            label = "✓ " + _("Passed (pass mark {mark})").format(mark=mark)
                        else:
                            label = "✗ " + _("Not passed (pass mark {mark})").format(mark=mark)
                        yield Label(
                            label, id="passed", classes="pass" if summary.passed else "fail"
                        )
            missed = summary.missed
            if missed:
                yield Label(
                    ngettext(
                        "{n} card to look at again", "{n} cards to look at again", len(missed)
                    ).format(n=len(missed)),
                    classes="heading",
                )
                for result in missed:
                    yield Static(missed_entry(result), classes="missed")
            elif summary.answered:
                yield Label(_("Nothing missed. Well done."), classes="heading")
            elif not summary.results:
                yield Label(
                    _(
                        "Nothing to review right now: no card is due and no new card is "
                        "waiting. Drill mode practises every card."
                    ),
                    classes="heading",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-body").focus()

    def action_close(self) -> None:
        """Back to the deck list, or out of ``drill run`` with its exit code."""
        cast("DrillApp", self.app).close_summary(self.summary)
