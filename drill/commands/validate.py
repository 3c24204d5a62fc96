"""``drill validate PATH...``: one ``PATH:LINE:COL: error: MESSAGE`` line per problem on
stdout, a summary on stderr; exit 1 for problems, 2 when a path cannot be read."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from drill.deck.discovery import deck_files
from drill.deck.loader import LoadResult, load_file
from drill.errors import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, Problem
from drill.escapes import visible

if TYPE_CHECKING:
    from drill.application import Application


def check(paths: list[str]) -> tuple[list[LoadResult], list[Problem]]:
    """Every deck under ``paths`` loaded, plus problems between files (a deck id used twice)."""
    results: list[LoadResult] = []
    for path in paths:
        if os.path.isdir(path):
            results.extend(load_file(p) for p in deck_files(path))
        else:
            results.append(load_file(path))
    clashes: list[Problem] = []
    first: dict[str, str] = {}
    for result in results:
        if result.deck is None:
            continue
        deck_id = result.deck.id
        if deck_id in first:
            message = f"deck id `{deck_id}` is also the id of {first[deck_id]}"
            clashes.append(Problem(result.path, 1, 1, message))
        else:
            first[deck_id] = result.path
    return results, clashes


def main(app: Application, args: argparse.Namespace) -> int:
    results, clashes = check(args.paths)
    problems = [p for r in results for p in r.problems] + clashes
    for problem in problems:
        print(visible(str(problem)))
    # The problem lines are out before the summary follows them on stderr; and when the reader
    # of stdout has gone (`| head -1`), that shows here, before any summary is printed.
    sys.stdout.flush()
    good = [r.deck for r in results if r.deck is not None]
    cards = sum(len(d.cards) for d in good)
    bad_files = len({p.path for p in problems})
    unreadable = any(r.unreadable for r in results)
    if not results:
        print("drill: no .yaml or .yml deck files found", file=sys.stderr)
        return EXIT_USAGE
    if problems:
        print(
            f"drill: {len(problems)} problem{'s' * (len(problems) != 1)} in {bad_files} of "
            f"{len(results)} deck file{'s' * (len(results) != 1)}",
            file=sys.stderr,
        )
        return EXIT_USAGE if unreadable else EXIT_CHECK_FAILED
    print(
        f"drill: {len(good)} deck{'s' * (len(good) != 1)} OK ({cards} card{'s' * (cards != 1)})",
        file=sys.stderr,
    )
    return EXIT_OK
