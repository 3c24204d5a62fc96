"""Cold start: commands against ``python -c "import yaml, sqlite3"``, the TUI's first frame
against ``python -c "import textual.app"``; every time from process start to exit."""

from __future__ import annotations

import statistics
import sys

from drill.bench import FIGURES, synth
from drill.bench.measure import Env, Figure, checked, ms, ratio_figure, run, skipped
from drill.bench.sizes import Sizes

TEAM = synth.Layout(answers=10_000, learners=50, decks=20, cards=100, decks_each=2,
                    states_each=10)  # fmt: skip
"""The store the cold starts and the TUI read: 50 learners' history on 20 decks in the user
decks folder (beside the bundled decks); the learner running the commands is one of them."""


def cold_start(env: Env, sizes: Sizes) -> list[Figure]:
    """``drill validate`` of a 20-card deck, ``drill decks --json`` and ``drill stats --json``
    (the bundled decks and ``TEAM``'s, deck cache warm, a store of 50 learners' answers) and
    ``drill --help``, runs interleaved with the baseline's."""
    import time

    deck = synth.write_deck(env.root / "small", "small-deck", 20)
    synth.write_decks(env.home / "decks", TEAM)
    synth.fill_sqlite(env.home, TEAM, time.time())
    synth.wait_until_cacheable(env.home / "decks")  # else each run would parse them
    commands = {
        "baseline": [sys.executable, "-c", "import yaml, sqlite3"],
        FIGURES[0]: env.drill("validate", str(deck)),
        FIGURES[1]: env.drill("decks", "--json"),
        FIGURES[2]: env.drill("stats", "--json"),
        FIGURES[3]: env.drill("--help"),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # warm-up: bytecode compiled, deck cache filled
        checked(run(command, env), name)
    for _ in range(sizes.cold_repeats):
        for name, command in commands.items():
            times[name].append(checked(run(command, env), name).seconds)
    baseline = statistics.median(times.pop("baseline"))
    how = (
        f"median of {sizes.cold_repeats} runs, start to exit;"
        ' baseline python -c "import yaml, sqlite3"'
    )
    return [
        ratio_figure(name, statistics.median(values), baseline, 1.6, how)
        for name, values in times.items()
    ]


def tui(env: Env, sizes: Sizes) -> tuple[list[Figure], float | None]:
    """Process start to the deck list's first frame, drawn headless (and, for reference, to
    the first frame with its decks drawn, and to the app's first idle moment); and the TUI's
    peak memory once the deck list is filled (returned for the memory figure)."""
    title = FIGURES[4]
    probe = [sys.executable, "-m", "drill.bench.tui_frame"]
    first = run([*probe, "frame"], env)
    if first.code != 0:
        why = first.stdout.decode(errors="replace").strip() or f"exit code {first.code}"
        return [skipped(title, "<= 1.5x", f"not available: {why}")], None
    baseline_cmd = [sys.executable, "-c", "import textual.app"]
    checked(run(baseline_cmd, env), "import textual.app")
    ends = ("frame", "listed", "idle")
    times: dict[str, list[float]] = {end: [] for end in ends}
    imports = []
    for _ in range(sizes.tui_repeats):  # interleaved, so all see the same machine
        for end in ends:
            times[end].append(checked(run([*probe, end], env), f"tui {end}").seconds)
        imports.append(checked(run(baseline_cmd, env), "import textual.app").seconds)
    filled = checked(run([*probe, "filled"], env), "tui filled")
    base = statistics.median(imports)
    how = (
        f"median of {sizes.tui_repeats} runs, 80x24 headless (App.run_test), to the first frame"
        ' handed to the terminal; baseline python -c "import textual.app"'
    )
    figures = [ratio_figure(title, statistics.median(times["frame"]), base, 1.5, how)]
    for end, what in (
        ("listed", "to the first frame with the decks' rows drawn"),
        ("idle", "until the app first falls idle (what this figure measured before issue 16)"),
    ):
        value = statistics.median(times[end])
        figures.append(
            Figure(f"  TUI: deck list, {end}", ms(value), ms(base), value / base, "-", None,
                   f"{what}; for reference")
        )  # fmt: skip
    return figures, float(filled.stdout)
