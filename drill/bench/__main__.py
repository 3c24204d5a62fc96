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
from drill.bench.pg import Server
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
        server = Server(Path(folder) / "postgres")
        try:
            run_groups(env, sizes, server, emit)
        finally:
            server.stop()
    return 1 if failed else 0


def run_groups(env: Env, sizes: Sizes, server: Server, emit: Emit) -> None:
    """Every figure group in the order of ``FIGURES``. A group that needs an earlier one's
    results fails (and says so) when that one failed; the memory figures come last, once the
    processes they are read from have run."""
    for answers in (*sizes.steps, sizes.store_answers):  # deck files age while others run
        reports.Store.write_decks(env, f"one-{answers}", sizes.one_learner(answers))
        for postgres in (False, True):
            reports.Store.write_decks(env, f"team-{postgres}-{answers}", sizes.team(answers))
    emit(lambda: startup.cold_start(env, sizes), FIGURES[0:4])
    tui_peak: float | None = None
    session: answering.Session | None = None
    big: reports.Store | None = None
    built: dict[tuple[str, int], reports.Store] = {}

    def one_learner(answers: int) -> reports.Store:
        key = ("one", answers)
        if key not in built:
            built[key] = reports.Store(env, f"one-{answers}", sizes.one_learner(answers))
        return built[key]

    def team(postgres: bool) -> Callable[[int], reports.Store]:
        def make(answers: int) -> reports.Store:
            url = server.database() if postgres else None
            return reports.Store(env, f"team-{postgres}-{answers}", sizes.team(answers), url)

        return make

    def tui() -> list[Figure]:
        nonlocal tui_peak
        figures, tui_peak = startup.tui(env, sizes)
        return figures

    def headless() -> list[Figure]:
        nonlocal session
        session = answering.headless(env, sizes)
        return [session.figure]

    def stats() -> list[Figure]:
        nonlocal big
        big = one_learner(sizes.store_answers)
        main = reports.stats(env, sizes, big, FIGURES[10])
        return main + reports.growth(
            sizes, lambda s, t: reports.stats(env, sizes, s, t), FIGURES[10], one_learner
        )

    def due() -> list[Figure]:
        main = reports.due_counts(env, sizes, _needed(big), FIGURES[11])
        more = reports.growth(
            sizes, lambda s, t: [reports.due_counts(env, sizes, s, t)], FIGURES[11], one_learner
        )
        return [main, *more]

    def report(postgres: bool) -> list[Figure]:
        title = FIGURES[13 if postgres else 12]
        if postgres and server.url() is None:
            return [reports.skipped_figure(title, server.why)]
        main = reports.report(env, sizes, team(postgres)(sizes.store_answers), title, postgres)
        more = reports.growth(
            sizes, lambda s, t: [reports.report(env, sizes, s, t, postgres)], title,
            team(postgres),
        )  # fmt: skip
        return [main, *more]

    emit(tui, FIGURES[4:5])
    emit(lambda: [decks.validate(env, sizes)], FIGURES[5:6])
    emit(lambda: [decks.catalog(env, sizes)], FIGURES[6:7])
    emit(headless, FIGURES[7:8])
    emit(lambda: answering.anki(env, sizes, _needed(session)), FIGURES[8:9])
    emit(lambda: [answering.postgres(env, sizes, _needed(session), server)], FIGURES[9:10])
    emit(stats, FIGURES[10:11])
    emit(due, FIGURES[11:12])
    emit(lambda: report(postgres=False), FIGURES[12:13])
    emit(lambda: report(postgres=True), FIGURES[13:14])
    emit(lambda: [reports.export(env, sizes, _needed(big))], FIGURES[14:15])
    anki_peak = None if session is None else session.anki_peak
    headless_peak = None if session is None else session.peak
    headless_run = f"the headless session of {sizes.answers:,} answers"
    tui_run = "the TUI until its deck list is filled"
    emit(
        lambda: [answering.memory(FIGURES[15], headless_peak, anki_peak, 60, headless_run)],
        FIGURES[15:16],
    )
    emit(lambda: [answering.memory(FIGURES[16], tui_peak, anki_peak, 90, tui_run)], FIGURES[16:17])


def _needed(result: T | None) -> T:
    if result is None:
        raise RuntimeError("an earlier figure this one builds on failed")
    return result


if __name__ == "__main__":
    sys.exit(main())
