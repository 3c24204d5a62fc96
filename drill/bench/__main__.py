"""``python -m drill.bench [--quick]``: every figure of issue 7 with its baseline, one line each.

Exits 0 when every figure was measured (met or not: a benchmark reports, it does not judge),
1 when a figure could not be measured because something failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from drill.bench import FIGURES, answering, decks, reports, startup
from drill.bench.measure import Env, Figure, header, skipped
from drill.bench.sizes import FULL, QUICK, Sizes

Emit = Callable[[Callable[[], list[Figure]], Sequence[str]], None]
"""Runs a figure group and prints its lines (or, if it fails, a FAILED line per title)."""
T = TypeVar("T")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        cpu = platform.processor() or cpu
    return f"{os.cpu_count()} CPUs, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m drill.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats (CI)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    print(f"drill benchmark ({'quick' if args.quick else 'full'}): {machine()}")
    print(
        "value and baseline are measured in this run; ratio = value / baseline (for rates,"
        " higher is better); wall-clock times, the median or best of N as the last column says"
    )
    print(header(), flush=True)
    failed = False

    def emit(make: Callable[[], list[Figure]], titles: Sequence[str]) -> None:
        nonlocal failed
        try:
            figures = make()
        except Exception as exc:  # one group failing must not hide the others
            failed = True
            traceback.print_exc()
            figures = [skipped(t, "-", f"FAILED: {type(exc).__name__}: {exc}") for t in titles]
        for figure in figures:
            print(figure.line(), flush=True)

    with tempfile.TemporaryDirectory(prefix="drill-bench-") as folder:
        env = Env(Path(folder))
        env.home.mkdir()
        run_groups(env, sizes, emit)
    return 1 if failed else 0


def run_groups(env: Env, sizes: Sizes, emit: Emit) -> None:
    """Every figure group in the order of ``FIGURES``. A group that needs an earlier one's
    results fails (and says so) when that one failed; the memory figures come last, once the
    processes they are read from have run."""
    emit(lambda: startup.cold_start(env, sizes), FIGURES[0:3])
    tui_peak: float | None = None
    session: answering.Session | None = None
    big: reports.BigStore | None = None

    def tui() -> list[Figure]:
        nonlocal tui_peak
        figure, tui_peak = startup.tui(env, sizes)
        return [figure]

    def headless() -> list[Figure]:
        nonlocal session
        session = answering.headless(env, sizes)
        return [session.figure]

    def stats() -> list[Figure]:
        nonlocal big
        big = reports.BigStore(env, sizes)
        return reports.stats(env, sizes, big)

    emit(tui, FIGURES[3:4])
    emit(lambda: [decks.validate(env, sizes)], FIGURES[4:5])
    emit(lambda: [decks.catalog(env, sizes)], FIGURES[5:6])
    emit(headless, FIGURES[6:7])
    emit(lambda: answering.anki(env, sizes, _needed(session)), FIGURES[7:8])
    emit(stats, FIGURES[8:9])
    emit(lambda: [reports.due_counts(env, sizes, _needed(big))], FIGURES[9:10])
    emit(lambda: [reports.export(env, sizes, _needed(big))], FIGURES[10:11])
    anki_peak = None if session is None else session.anki_peak
    headless_peak = None if session is None else session.peak
    headless_run = f"the headless session of {sizes.answers:,} answers"
    tui_run = "the TUI until its deck list is filled"
    emit(
        lambda: [answering.memory(FIGURES[11], headless_peak, anki_peak, 60, headless_run)],
        FIGURES[11:12],
    )
    emit(lambda: [answering.memory(FIGURES[12], tui_peak, anki_peak, 90, tui_run)], FIGURES[12:13])


def _needed(result: T | None) -> T:
    if result is None:
        raise RuntimeError("an earlier figure this one builds on failed")
    return result


if __name__ == "__main__":
    sys.exit(main())
