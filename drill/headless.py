"""The headless front end: JSON Lines out, answers in from stdin or an answers file (SPEC 4).

A thin adapter over ``Session``: it prints each card, reads one answer, and prints the result
that ``Session.answer`` returns, which by then is committed to the store.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol, TextIO

from drill.answers import Given, call_answers, parse_line, read_response, read_turn
from drill.calls import turns_payload
from drill.deck.model import BreathingCard, CallCard, ChoiceCard, OrderCard, plain_number
from drill.grading import Response, Skip, Unreadable
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
    elif isinstance(card, CallCard):
        event["turn"] = turn_payload(shown, 0)
    event["time_limit"] = plain_number(shown.time_limit)
    return event


def turn_payload(shown: ShownCard, turn: int) -> dict[str, Any]:
    """A call's ``turn`` (its ``turn``-th, an index into ``turns``) as SPEC 9 prints it."""
    card = shown.card
    assert isinstance(card, CallCard)
    return {
        "id": card.turns[turn].id,
        "customer": card.turns[turn].customer,
        "replies": [reply.text for reply in shown.replies(turn)],
    }


def turn_event(shown: ShownCard, turn: int) -> dict[str, Any]:
    """The ``turn`` line that asks for the reply at a call's next turn."""
    return {
        "event": "turn",
        "index": shown.index,
        "card": shown.card.id,
        "turn": turn_payload(shown, turn),
    }


def result_event(result: Result) -> dict[str, Any]:
    """The ``result`` line for ``result``."""
    event = {
        "event": "result",
        "deck": result.shown.deck.id,
        "card": result.shown.card.id,
        "correct": result.correct,
        "rating": None if result.rating is None else result.rating.label,
        "latency_ms": result.latency_ms,
        "timed_out": result.timed_out,
        "skipped": result.skipped,
        "expected": result.expected,
        "explain": result.explain,
        "error": result.error,
    }
    if isinstance(result.shown.card, CallCard):
        event["turns"] = turns_payload(result.turns)
    return event


def summary_event(summary: Summary) -> dict[str, Any]:
    """The closing ``summary`` line; an exam's also says what ``passed`` was judged on: right
    answers over the planned cards, answered or not."""
    event = {
        "event": "summary",
        "session": summary.session,
        "answered": summary.answered,
        "correct": summary.correct,
        "score": summary.score,
        "passed": summary.passed,
        "duration_ms": summary.duration_ms,
    }
    if summary.mode == "exam":
        event["planned"] = summary.planned
        event["exam_score"] = summary.exam_score
    return event


def unmatched_answers(session: Session, answers: Mapping[str, Given]) -> list[str]:
    """Keys of an answers file that name no card of this session."""
    keys = {c.card.id for c in session.cards} | {f"{c.deck.id}/{c.card.id}" for c in session.cards}
    return [key for key in answers if key not in keys]


def read_line(line: str) -> Given:
    """An answer line as given; an over-long one (``drill.stdin_lines``) is unreadable."""
    if isinstance(line, OverlongLine):
        return Given(str(line), error=OverlongLine.error)
    return parse_line(line)


def _play_call(
    session: Session,
    shown: ShownCard,
    stdin: LineSource,
    answers: Mapping[str, Given] | None,
    emit: Callable[[dict[str, Any]], None],
    held: Callable[[], AbstractContextManager[None]],
) -> Result | None:
    """Play the call card ``shown`` to its end: one answer per turn (a stdin line, or the next
    reply of its answers-file list), a ``turn`` line for each turn after the first. None when
    stdin ends before the call does."""
    queue: list[Given] | None = None
    if answers is not None:
        given = answers.get(f"{shown.deck.id}/{shown.card.id}") or answers.get(shown.card.id)
        queue = None if given is None else call_answers(given)
    taken = 0
    while True:
        play = session.call
        assert play is not None
        response: Response
        if answers is not None:
            if queue is None:
                response, latency = Skip(), None
            elif taken < len(queue):
                response = read_turn(shown, play.position, queue[taken])
                latency = queue[taken].latency_ms
            else:
                error = f"the answers file gives no reply for turn `{play.turn.id}`"
                response, latency = Unreadable("", error), None
        else:
            shown_at = session.clock.monotonic()
            line = stdin.readline()
            if not line:
                return None
            given = read_line(line)
            response, latency = read_turn(shown, play.position, given), given.latency_ms
            arrived = getattr(stdin, "arrived", None)
            if latency is None and arrived is not None:  # as for any card: not our reading
                latency = max(0.0, arrived - shown_at) * 1000
        with held():  # the last turn's reply stores the call
            result = session.answer_turn(response, latency)
        if result is not None:
            return result
        taken += 1
        emit(turn_event(shown, play.position))


def run(
    session: Session,
    stdin: LineSource,
    stdout: TextIO,
    answers: Mapping[str, Given] | None = None,
    held: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext,
) -> Summary:
    """Drive ``session`` to its end (or to the end of input) and return its summary.

    A ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM turned into one by the CLI) ends the session
    early: its summary is printed and the interrupt re-raised for the exit code. ``held`` wraps
    every call that writes to the store, so an interrupt never lands halfway through one
    (``drill.interrupts``).
    """

    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per line

    def emit(event: dict[str, Any], flush: bool = True) -> None:
        """A ``result`` is left in the buffer for the line that follows it at once (the next
        card, or the summary): one write to the pipe per answer, not two. Nothing waits on
        input in between, so the reader sees the result no later than before."""
        stdout.write(encode(event) + "\n")
        if flush:
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
            if isinstance(shown.card, CallCard):
                result = _play_call(session, shown, stdin, answers, emit, held)
                if result is None:
                    break  # input ended mid-call: the call is not recorded
                emit(result_event(result), flush=False)
                continue
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
            with held():
                result = session.answer(response, latency)
            emit(result_event(result), flush=False)
        with held():
            summary = session.finish()
    except KeyboardInterrupt:
        with held():
            summary = session.finish()
        emit(summary_event(summary))
        raise
    except OSError:
        # stdout closed early (`| head -1`) or failing (EIO): no summary can be printed, but
        # the session still ends in the store; the CLI turns the error into the exit status.
        with held():
            session.finish()
        raise
    emit(summary_event(summary))
    return summary
