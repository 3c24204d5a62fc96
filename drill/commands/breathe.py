"""``drill breathe [--pattern 4-7-8] [--cycles 4]``: the breathing pacer on its own."""

from __future__ import annotations

import argparse

from drill.application import Application
from drill.errors import UsageError


def parse_pattern(text: str) -> tuple[float, ...]:
    """``4-7-8`` or ``4-4-4-4`` as seconds per phase: in, hold, out[, hold]."""
    try:
        phases = tuple(float(part) for part in text.split("-"))
    except ValueError:
        phases = ()
    if (
        len(phases) not in (3, 4)
        or any(not 0 <= p <= 60 for p in phases)
        or not (phases[0] > 0 and phases[2] > 0)
    ):
        raise UsageError(
            f"--pattern {text!r}: give in-hold-out or in-hold-out-hold seconds, e.g. 4-7-8;"
            " each 0 to 60, breathing in and out above 0"
        )
    return phases


def main(app: Application, args: argparse.Namespace) -> int:
    pattern = parse_pattern(args.pattern)
    if not 1 <= args.cycles <= 100:
        raise UsageError("--cycles must be between 1 and 100")
    from drill.tui.launch import breathe

    return breathe(app, pattern, args.cycles)
