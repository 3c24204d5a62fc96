"""The headless front end: JSON Lines out, answers in from stdin or an answers file (SPEC 4).

A thin adapter over ``Session``: it prints each card, reads one answer, and prints the result
that ``Session.answer`` returns, which by then is committed to the store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol, TextIO

from drill.answers import Given, parse_line, read_response
from drill.deck.model import BreathingCard, ChoiceCard, OrderCard, plain_number
from drill.grading import Skip
from drill.planning import ShownCard
from drill.session import Result, Session, Summary
from drill.stdin_lines import OverlongLine


class LineSource(Protocol):
    """Where stdin answers come from: a text file, or ``drill.stdin_lines.StdinLines``."""

    def readline(self) -> str: ...


def card_event(shown: ShownCard) -> dict[str, Any]:
    """The ``card`` line for ``shown``."""
    card = shown.card
    event: dict[str, Any] = {
        "event": "card",
        "index": shown.index,
        "deck": shown.deck.id,
        "card": card.id,
        "type": card.type,
        "prompt": card.prompt_text,
    }
    if isinstance(card, ChoiceCard):
        event["choices"] = [c.text for c in shown.choices]
        event["multiple"] = card.multiple
    elif isinstance(card, OrderCard):
        event["steps"] = shown.steps
    elif isinstance(card, BreathingCard):
        event["pattern"] = [plain_number(p) for p in card.pattern]
        event["cycles"] = card.cycles
    event["time_limit"] = plain_number(shown.time_limit)
    return event


def result_event(result: Result) -> dict[str, Any]:
    """The ``result`` line for ``result``."""
    return {
        "event": "result",
        "deck": result.shown.deck.id,
        "card": result.shown.card.id,
        "correct": result.correct,
        "rating": None if result.rating is None else result.rating.label,
        "latency_ms": result.latency_ms,
        "timed_out": result.timed_out,
        "expected": result.expected,
        "explain": result.explain,
        "error": result.error,
    }


def summary_event(summary: Summary) -> dict[str, Any]:
    """The closing ``summary`` line."""
    return {
        "event": "summary",
        "session": summary.session,
        "answered": summary.answered,
        "correct": summary.correct,
        "score": summary.score,
        "passed": summary.passed,
        "duration_ms": summary.duration_ms,
    }


def unmatched_answers(session: Session, answers: Mapping[str, Given]) -> list[str]:
    """Keys of an answers file that name no card of this session."""
    keys = {c.card.id for c in session.cards} | {f"{c.deck.id}/{c.card.id}" for c in session.cards}
    return [key for key in answers if key not in keys]


def read_line(line: str) -> Given:
    """An answer line as given; an over-long one (``drill.stdin_lines``) is unreadable."""
    if isinstance(line, OverlongLine):
        return Given(str(line), error=OverlongLine.error)
    return parse_line(line)


def run(
    session: Session,
    stdin: LineSource,
    stdout: TextIO,
    answers: Mapping[str, Given] | None = None,
) -> Summary:
    """Drive ``session`` to its end (or to the end of input) and return its summary.

    A ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM turned into one by the CLI) ends the session
    early: its summary is printed and the interrupt re-raised for the exit code.
    """

    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per line

    def emit(event: dict[str, Any]) -> None:
        stdout.write(encode(event) + "\n")
        stdout.flush()

    try:
        emit(
            {
                "event": "start",
                "session": session.id,
                "mode": session.options.mode,
                "decks": [d.id for d in session.decks],
                "cards": len(session.cards),
            }
        )
        while (shown := session.show()) is not None:
            emit(card_event(shown))
            if answers is not None:
                given = answers.get(f"{shown.deck.id}/{shown.card.id}") or answers.get(
                    shown.card.id
                )
                response = Skip() if given is None else read_response(shown, given)
                latency = None if given is None else given.latency_ms
            else:
                shown_at = session.clock.monotonic()
                line = stdin.readline()
                if not line:
                    break
                given = read_line(line)
                response, latency = read_response(shown, given), given.latency_ms
                arrived = getattr(stdin, "arrived", None)
                if latency is None and arrived is not None:
                    # From the card line to the answer's arrival: not drill's own reading.
                    latency = max(0.0, arrived - shown_at) * 1000
            emit(result_event(session.answer(response, latency)))
        summary = session.finish()
    except KeyboardInterrupt:
        emit(summary_event(session.finish()))
        raise
    except OSError:
        # stdout closed early (`| head -1`) or failing (EIO): no summary can be printed, but
        # the session still ends in the store; the CLI turns the error into the exit status.
        session.finish()
        raise
    emit(summary_event(summary))
    return summary
