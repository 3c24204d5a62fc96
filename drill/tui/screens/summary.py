"""The end of a session: score, pass or fail (exam), time taken, and every card missed.

Built from the ``Summary`` that ``Session.finish`` returns, so it shows the same figures as
the headless ``summary`` line. An exam is shown against its planned cards, the figure it
passes or fails on, so an exam ended early never reads as a perfect score that failed. The
missed cards come with their right answers: seeing why is what a trainee needs before the same
cards come back.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label

from drill.grading import Skip
from drill.session import Result, Summary
from drill.tui.base import Localised
from drill.tui.format import answer_items, duration, expected_items, misplaced, percent
from drill.tui.i18n import _, ngettext
from drill.tui.widgets.item_list import ItemList
from drill.tui.widgets.prose import Prose
from drill.tui.widgets.scroll_body import ScrollBody
from drill.tui.widgets.title_bar import TitleBar


def missed_entry(result: Result) -> Vertical:
    """One missed card: its prompt, what was answered, and the right answer."""
    card = result.shown.card
    given = answer_items(result.shown, result.response, result.answer)
    if isinstance(result.response, Skip):
        given = [("", _("skipped"))]
    elif result.timed_out:
        given = [("", _("time ran out")), *given]
    return Vertical(
        Prose(Text(card.prompt_text or card.id, "bold")),
        Label(_("You:"), classes="caption"),
        ItemList(given, flags=misplaced(result.response), classes="given"),
        Label(_("Answer:"), classes="caption"),
        ItemList(expected_items(card, result.expected), classes="expected"),
        classes="missed",
    )


def figures(summary: Summary) -> list[str]:
    """The lines beside the score: right answers, cards answered, time taken."""
    exam = summary.mode == "exam"
    out = [
        _("{correct} of {total} right").format(
            correct=summary.correct, total=summary.planned if exam else summary.answered
        )
    ]
    if summary.unanswered > 0:
        out.append(
            _("{answered} of {planned} cards answered").format(
                answered=summary.answered, planned=summary.planned
            )
        )
    out.append(_("Time: {duration}").format(duration=duration(summary.duration_ms)))
    return out


def closing_words(summary: Summary) -> str | None:
    """What to say under the figures when no card is listed as missed."""
    if summary.planned == 0:
        return _(
            "Nothing to review right now: no card is due and no new card is waiting. "
            "Drill mode (d on the deck list) practises every card."
        )
    if summary.answered == 0:
        return _("The session ended before any card was answered.")
    if summary.missed:
        return None
    if summary.unanswered:
        return _("No mistakes in the cards answered.")
    return _("Nothing missed. Well done.")


class SummaryScreen(Localised, Screen[None]):
    """The session's outcome; dismissed when the trainee is done with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Done"),
        Binding("q", "app.close", "Quit"),
    ]

    def __init__(self, summary: Summary, title: str) -> None:
        super().__init__(classes="summary-screen")
        self.summary = summary
        self.title_text = title

    def compose(self) -> ComposeResult:
        summary = self.summary
        if summary.planned == 0:
            ended = _("Nothing due")
        elif summary.complete:
            ended = _("Session complete")
        else:
            ended = _("Session ended early")
        yield TitleBar(self.title_text, ended)
        with ScrollBody(id="summary-body"):
            if summary.planned:
                with Horizontal(id="score-row"):
                    with Vertical(id="score-box"):
                        yield Label(percent(summary.judged_score), id="score")
                        yield Label(_("score"), classes="caption")
                    with Vertical(id="figures"):
                        for line in figures(summary):
                            yield Label(line, classes="figure")
                        if summary.passed is not None:
                            yield self._verdict(summary)
            if summary.mode == "exam" and summary.unanswered:
                yield Prose(
                    ngettext(
                        "{n} card was not answered: it counts as wrong.",
                        "{n} cards were not answered: they count as wrong.",
                        summary.unanswered,
                    ).format(n=summary.unanswered),
                    classes="heading",
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
                    yield missed_entry(result)
            words = closing_words(summary)
            if words is not None:
                yield Prose(words, id="closing", classes="heading")
        yield Footer()

    @staticmethod
    def _verdict(summary: Summary) -> Label:
        mark = percent(summary.pass_mark)
        if summary.passed:
            label = "✓ " + _("Passed (pass mark {mark})").format(mark=mark)
        else:
            label = "✗ " + _("Not passed (pass mark {mark})").format(mark=mark)
        return Label(label, id="passed", classes="pass" if summary.passed else "fail")

    def on_mount(self) -> None:
        self.query_one("#summary-body").focus()

    def action_close(self) -> None:
        """Back to the deck list, or out of ``drill run`` with its exit code."""
        self.dismiss(None)
