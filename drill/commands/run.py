"""``drill run DECK...``: a session in the TUI, or headless with ``--headless``."""

from __future__ import annotations

import argparse
import io
import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING

from drill.commands import context
from drill.deck.discovery import resolve
from drill.errors import EXIT_CHECK_FAILED, EXIT_INTERRUPTED, EXIT_OK, UsageError
from drill.escapes import visible
from drill.session import Options, Session
from drill.stdin_lines import StdinLines

if TYPE_CHECKING:
    from drill.clock import Clock
    from drill.headless import LineSource


def options(args: argparse.Namespace) -> Options:
    """Session options from ``run``'s arguments."""
    return Options(
        mode=args.mode,
        limit=args.limit,
        new=args.new,
        time_limit=args.time_limit,
        pass_mark=args.pass_mark,
        seed=args.seed,
        save=not args.no_save,
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _utf8_streams(clock: Clock) -> LineSource:
    """SPEC 4's protocol is UTF-8 whatever the locale says: stdout is made so, and stdin read
    so, with bytes that are not UTF-8 turned into U+FFFD (an answer graded unreadable) rather
    than a UnicodeDecodeError, in a wait a signal always ends (``StdinLines``). A closed stdin
    reads as empty input."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    if sys.stdin is None:
        return io.StringIO()
    try:
        return StdinLines(sys.stdin.fileno(), clock.monotonic)
    except (AttributeError, OSError, ValueError):  # a stand-in stdin with no descriptor
        if isinstance(sys.stdin, io.TextIOWrapper):
            sys.stdin.reconfigure(encoding="utf-8", errors="replace")
        return sys.stdin


def main(args: argparse.Namespace) -> int:
    if args.answers is not None and not args.headless:
        raise UsageError("--answers works with --headless")
    if args.mode == "exam" and args.limit == 0:  # before a store is made for it
        raise UsageError("--limit 0: an exam needs at least one card")
    decks, warnings = resolve(args.decks, context.folders(args), context.deck_cache(args))
    for warning in warnings:
        print(f"drill: warning: {visible(warning)}", file=sys.stderr)
    clock = context.clock(args)
    if not args.headless:
        from drill.tui.launch import run_session

        return run_session(args, decks, options(args), clock)

    from drill import headless
    from drill.answers import load_answers_file

    stdin = _utf8_streams(clock)
    answers = None if args.answers is None else load_answers_file(args.answers)
    store = context.open_store(args, create=not args.no_save)
    signal.signal(signal.SIGTERM, _interrupt)
    session: Session | None = None
    try:
        session = Session(decks, options(args), clock, store)
        if answers is not None:
            for key in headless.unmatched_answers(session, answers):
                print(f"drill: warning: answers file: `{visible(key)}` is no card of this"
                      " session", file=sys.stderr)  # fmt: skip
        summary = headless.run(session, stdin, sys.stdout, answers)
    except KeyboardInterrupt:
        if session is not None:  # begun, but interrupted before headless.run took it over
            session.finish()  # (a no-op when headless.run already ended it)
        return EXIT_INTERRUPTED
    finally:
        if isinstance(stdin, StdinLines):
            stdin.close()
        if store is not None:
            store.close()
    return EXIT_CHECK_FAILED if summary.passed is False else EXIT_OK
