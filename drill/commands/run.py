"""``drill run DECK...``: a session in the TUI, or headless with ``--headless``."""

from __future__ import annotations

import argparse
import io
import sys
from typing import TYPE_CHECKING

from drill.application import Application
from drill.errors import EXIT_CHECK_FAILED, EXIT_INTERRUPTED, EXIT_OK, UsageError
from drill.escapes import visible
from drill.interrupts import Interrupts
from drill.session import Options, Session
from drill.stdin_lines import StdinLines

if TYPE_CHECKING:
    from drill.clock import Clock
    from drill.headless import LineSource


def options(args: argparse.Namespace) -> Options:
    """Session options from ``run``'s arguments; an exam of no cards is a usage error (it
    could only pass or fail on nothing)."""
    if args.mode == "exam" and args.limit == 0:
        raise UsageError("--limit 0: an exam needs at least one card")
    return Options(
        mode=args.mode,
        limit=args.limit,
        new=args.new,
        time_limit=args.time_limit,
        pass_mark=args.pass_mark,
        seed=args.seed,
        save=not args.no_save,
    )


def _utf8_streams(clock: Clock) -> LineSource:
    """SPEC 4's protocol is UTF-8 whatever the locale says: stdout is made so, and stdin read
    so, with bytes that are not UTF-8 turned into U+FFFD (an answer graded unreadable) rather
    than a UnicodeDecodeError, in a wait a signal always ends (``StdinLines``). A closed stdin
    reads as empty input. stdout is buffered even under ``PYTHONUNBUFFERED`` (set in many
    container images): ``headless.run`` flushes each line a reader waits for, so an answer's
    result and the card after it reach the pipe in one write, not two."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", write_through=False)
    if sys.stdin is None:
        return io.StringIO()
    try:
        return StdinLines(sys.stdin.fileno(), clock.monotonic)
    except (AttributeError, OSError, ValueError):  # a stand-in stdin with no descriptor
        if isinstance(sys.stdin, io.TextIOWrapper):
            sys.stdin.reconfigure(encoding="utf-8", errors="replace")
        return sys.stdin


def main(app: Application, args: argparse.Namespace) -> int:
    if args.answers is not None and not args.headless:
        raise UsageError("--answers works with --headless")
    session_options = options(args)  # before a store is made for it: checks an exam's cards
    decks, warnings = app.resolve(args.decks)
    if session_options.mode == "exam" and not any(d.graded_cards for d in decks):
        raise UsageError("an exam needs cards to answer; these decks hold only exercises")
    for warning in warnings:
        print(f"drill: warning: {visible(warning)}", file=sys.stderr)
    if not args.headless:
        from drill.tui.launch import run_session

        return run_session(app, decks, session_options)

    from drill import headless
    from drill.answers import load_answers_file

    stdin = _utf8_streams(app.clock)
    answers = None if args.answers is None else load_answers_file(args.answers)
    interrupts = Interrupts()
    interrupts.install()
    session: Session | None = None
    try:
        store = app.learner_store(create=not args.no_save)
        with interrupts.held():  # the session's first write
            session = Session(decks, session_options, app.clock, store)
        if answers is not None:
            for key in headless.unmatched_answers(session, answers):
                print(f"drill: warning: answers file: `{visible(key)}` is no card of this"
                      " session", file=sys.stderr)  # fmt: skip
        summary = headless.run(session, stdin, sys.stdout, answers, interrupts.held)
    except KeyboardInterrupt:
        if session is not None:  # begun, but interrupted before headless.run took it over
            with interrupts.held():
                session.finish()  # (a no-op when headless.run already ended it)
        return EXIT_INTERRUPTED
    finally:
        if isinstance(stdin, StdinLines):
            stdin.close()
    return EXIT_CHECK_FAILED if summary.passed is False else EXIT_OK
