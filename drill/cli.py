"""The ``drill`` command line: parse, dispatch to one function, turn errors into exit codes.

Only the standard library is imported here; each command imports what it needs when it runs, so
``drill validate`` never pays for the store and nothing but the TUI pays for Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from drill import __version__
from drill.errors import UsageError

if TYPE_CHECKING:
    from drill.application import Application

if TYPE_CHECKING:
    from datetime import datetime

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (SPEC: one clear line, exit 2), with any
    control characters of the arguments it quotes shown escaped."""

    def error(self, message: str) -> NoReturn:
        from drill.escapes import visible

        line = visible(f"{self.prog}: error: {message} (see `{self.prog} --help`)")
        self.exit(EXIT_USAGE, line + "\n")


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized from ``os`` directly: left to itself, argparse imports
    ``shutil`` (and three compression modules with it) on every run to learn the width."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)


def _terminal_columns() -> int:
    """``$COLUMNS``, else the width of the terminal on stdout, else 80 (as ``shutil`` does)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """``--data-dir``, ``--lang``, ``--learner`` and ``--store``, accepted before or after the
    command.

    On subcommands the defaults are suppressed, so a value given before the command is not
    overwritten by the subcommand's default.
    """
    default: object = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where the store lives (default: $DRILL_HOME, else the user data directory)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "zh-CN"),
        default=default,
        help="language of the TUI's own text (default: from LC_ALL/LANG)",
    )
    parser.add_argument(
        "--learner",
        metavar="NAME",
        action="append",
        default=default,
        help="who is drilling (default: $DRILL_LEARNER, else the login name); on report and"
        " export, only these learners (repeatable)",
    )
    parser.add_argument(
        "--store",
        metavar="URL",
        default=default,
        help="a postgresql:// URL for a team's store (default: $DRILL_STORE, else the SQLite"
        " file in the data directory)",
    )


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


_positive_int.__name__ = "whole number"


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value < 1e9:
        raise ValueError(text)
    return value


_seconds.__name__ = "number of seconds"


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


_fraction.__name__ = "fraction from 0 to 1"

SEED_RANGE = (-(2**63), 2**63 - 1)
"""Seeds the store can keep (an SQLite integer); a bigger one was an OverflowError traceback."""


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not SEED_RANGE[0] <= value <= SEED_RANGE[1]:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number from {SEED_RANGE[0]} to {SEED_RANGE[1]}"
        )
    return value


def _instant(text: str) -> str:
    """``--now``, checked here (an ISO 8601 instant in the range drill's dates can hold) and
    kept as the text given."""
    from drill.clock import EARLIEST, LATEST, parse_instant

    try:
        value: datetime | None = parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 date and time") from None
    except OverflowError:  # year 1 a time zone away from UTC
        value = None
    if value is None or not EARLIEST <= value < LATEST:
        raise argparse.ArgumentTypeError(
            f"{text!r} is outside the dates drill keeps ({EARLIEST.year} to {LATEST.year - 1})"
        )
    return text


def _argparse_strings_as_written() -> None:
    """argparse passes each of its own strings ("options", "usage: ", ...) through gettext,
    which, finding no translation of them (Python ships none), searches the locale folders on
    disk again for every one: building drill's parser made 40 such searches, 127 file checks,
    2 ms of a 37 ms command. Its strings are used as written, as they would be anyway."""
    setattr(argparse, "_", str)  # noqa: B010 (argparse's stubs do not declare ``_``)


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar of SPEC section 3."""
    _argparse_strings_as_written()
    parser = _Parser(
        prog="drill",
        formatter_class=_Formatter,
        description="Timed terminal drills with spaced repetition. Without a command, opens "
        "the deck list.",
    )
    parser.add_argument("--version", action="version", version=f"drill {__version__}")
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help_text, description=help_text, formatter_class=_Formatter
        )
        _global_options(sub, suppress=True)
        return sub

    run = command("run", "run a drill in the TUI, or headless with --headless")
    run.add_argument("decks", nargs="+", metavar="DECK", help="deck file, folder or deck id")
    run.add_argument("--mode", choices=("review", "drill", "exam"), default="review")
    run.add_argument("--limit", type=_positive_int, metavar="N", help="at most N cards")
    run.add_argument("--new", type=_positive_int, metavar="N", default=10,
                     help="review mode: at most N unseen cards (default 10)")  # fmt: skip
    run.add_argument(
        "--time-limit", type=_seconds, metavar="S", help="seconds for the whole session"
    )
    run.add_argument("--pass-mark", type=_fraction, metavar="P", default=0.8,
                     help="exam mode: score needed to pass (default 0.8)")  # fmt: skip
    run.add_argument("--seed", type=_seed, metavar="N", help="repeatable order and shuffles")
    run.add_argument(
        "--now",
        type=_instant,
        metavar="ISO-8601",
        help="the clock's start (UTC unless a zone is given)",
    )
    run.add_argument(
        "--headless", action="store_true", help="JSON Lines on stdout, answers from stdin"
    )
    run.add_argument("--answers", metavar="FILE", help="headless: answers from a YAML/JSON file")
    run.add_argument("--no-save", action="store_true", help="record nothing")

    decks = command("decks", "list the decks found, with due and new cards")
    decks.add_argument("--json", action="store_true", help="print a JSON array")
    decks.add_argument(
        "--now", type=_instant, metavar="ISO-8601", help="count cards due at this instant"
    )

    validate = command("validate", "check deck files or folders")
    validate.add_argument("paths", nargs="+", metavar="PATH")

    stats = command("stats", "progress per deck and recent sessions")
    stats.add_argument("deck", nargs="?", metavar="DECK", help="only this deck (id or file)")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.add_argument(
        "--now", type=_instant, metavar="ISO-8601", help="count cards due at this instant"
    )

    export = command("export", "every recorded answer, as CSV, JSON or xAPI statements")
    export.add_argument("--format", choices=("csv", "json", "xapi"), default="csv")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    export.add_argument("--deck", metavar="ID", action="append", help="only this deck (repeatable)")
    export.add_argument("--since", metavar="DATE", help="only answers from this date or instant on")

    report = command("report", "trainers' view: learners by deck, weakest cards, who is at risk")
    report.add_argument("decks", nargs="*", metavar="DECK", help="only these decks (ids or files)")
    report.add_argument("--since", metavar="DATE", help="only answers from this date or instant on")
    report.add_argument("--json", action="store_true", help="print one JSON object")
    report.add_argument(
        "--now", type=_instant, metavar="ISO-8601", help="count cards due at this instant"
    )

    export.add_argument("--xapi-homepage", metavar="URL", help="xAPI: the learners' accounts' "
                        "system (default https://drill.invalid)")  # fmt: skip

    bank = command("import", "GIFT or Moodle XML question banks to a deck")
    bank.add_argument("files", nargs="+", metavar="FILE", help=".gift/.txt or Moodle .xml")
    bank.add_argument("-o", "--output", metavar="OUT", help="write the deck here, not stdout")
    bank.add_argument("--id", metavar="ID", help="deck id (default: from the first file name)")
    bank.add_argument("--title", metavar="T", help="deck title (default: the first file name)")
    bank.add_argument(
        "--language",
        metavar="TAG",
        help="deck language (default: zh-CN for questions written in Chinese, else en)",
    )
    bank.add_argument("--strict", action="store_true", help="make every warning an error")

    command("schema", "print the JSON Schema of the deck format")

    breathe = command("breathe", "the breathing pacer on its own")
    breathe.add_argument("--pattern", default="4-7-8", help="seconds in-hold-out[-hold] (4-7-8)")
    breathe.add_argument("--cycles", type=_positive_int, default=4, help="breaths (default 4)")
    return parser


Handler = Callable[["Application", argparse.Namespace], int]


def _handler(command: str | None) -> Handler:
    """The ``main`` of ``drill.commands.<command>``, imported only when that command runs."""
    import importlib

    name = {"import": "import_"}.get(command or "app", command or "app")  # a keyword
    module = importlib.import_module(f"drill.commands.{name}")
    return module.main  # type: ignore[no-any-return]


_ONE_SHOT = frozenset({"decks", "stats", "export", "validate", "schema", "report", "import"})
_FILTERING = frozenset({"report", "export"})
"""Commands that read every learner: on them ``--learner`` is a filter, not who is drilling."""


def application(args: argparse.Namespace) -> Application:
    """The one application object of this invocation, from the global options."""
    from drill.application import Application
    from drill.commands.context import start_instant

    learners = getattr(args, "learner", None) or []
    if args.command not in _FILTERING and len(learners) > 1:
        raise UsageError("--learner names one learner here (it is a filter only on report/export)")
    return Application(
        data_dir=getattr(args, "data_dir", None),
        store_url=getattr(args, "store", None),
        learner=None if args.command in _FILTERING or not learners else learners[0],
        now=start_instant(args),
        language=getattr(args, "lang", None),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure a user can cause ends in one line and an exit code."""
    from drill.errors import EXIT_CLOSED_PIPE, EXIT_INTERRUPTED, DeckError, DrillError
    from drill.escapes import visible

    _utf8_output()
    app: Application | None = None
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:  # --help, --version: a reader that went away shows here too
            sys.stdout.flush()
            raise
        if args.command in _ONE_SHOT:
            # These read, print and exit: everything they build lives to the end and holds no
            # cycles, so the cyclic collector would only re-walk the loaded decks (about 60 ms
            # over 100,000 cards) and free nothing. Reference counting still frees what is
            # dropped.
            import gc

            gc.disable()
        try:
            app = application(args)
            code = _handler(args.command)(app, args)
        except DeckError as exc:
            for problem in exc.problems:
                print(visible(str(problem)), file=sys.stderr)
            code = exc.exit_code
        except DrillError as exc:
            print(f"drill: error: {visible(str(exc))}", file=sys.stderr)
            code = exc.exit_code
        # Flushed here, not at exit: a reader that went away shows as a BrokenPipeError below
        # instead of Python's complaint on stderr as it shuts down.
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `drill export | head -1`: the reader has all it wanted. Not an error, and not an
        # interruption: the exit status of a writer stopped by SIGPIPE, and nothing on stderr.
        _silence_stdout()
        return EXIT_CLOSED_PIPE
    except OSError as exc:  # output to a full disk, a terminal gone (EIO): one line, exit 2
        _silence_stdout()
        where = f"{exc.filename}: " if exc.filename else ""
        reason = (exc.strerror or str(exc)).lower()
        with contextlib.suppress(OSError):
            print(f"drill: error: {visible(where + reason)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if app is not None:
            app.close()


def run() -> NoReturn:
    """The ``drill`` command (and ``python -m drill``): ``main``, then out at once.

    Python's own exit takes apart every module and object one by one before the process ends:
    5 ms after ``drill stats``, 15 ms after a headless session of 2,000 cards, a seventh of a
    short command's time. When ``main`` returns every store and file is closed and stdout
    flushed, so drill leaves with ``os._exit`` after doing what of Python's exit still matters:
    the functions registered with ``atexit``, and flushing stdout and stderr. While another
    thread still runs (the TUI's deck loading, if it was quit early) it exits the usual way,
    which waits for the thread."""
    code = main()
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()  # what Python's exit runs first (typeshed knows it; no public name)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a reader gone: main has said so already
            stream.flush()
    os._exit(code)


def _utf8_output() -> None:
    """What drill prints is UTF-8, whatever the locale says (``LC_ALL=C``,
    ``PYTHONIOENCODING=ascii``), as SPEC 4 has the headless protocol do: a Chinese deck's title
    never ends a command in ``UnicodeEncodeError``. Anything that still cannot be encoded (it
    cannot, after ``drill.escapes``) would be shown as an escape, never raised."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            if stream.encoding.replace("-", "").lower() != "utf8":
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
            elif stream.errors == "strict":
                stream.reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """After the reader of our output went away, keep Python from complaining at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
