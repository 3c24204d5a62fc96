"""Timing, child processes and the printed line: what every figure group shares."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from drill.bench.peak import PEAK_FILE

REPO = Path(__file__).resolve().parents[2]
ENTRY = "from drill.cli import run; run()"
"""How a child process runs drill: what the ``drill`` console script does."""
ENTRY_PEAK = "import atexit, drill.bench.peak as p; atexit.register(p.report); " + ENTRY
"""The same, writing its peak memory at exit (runs measured for memory, not for time)."""


@dataclass
class Figure:
    """One printed line; ``met`` is decided by the figure's group, which knows its goal (lower
    or higher is better, a ratio or a limit). None means not measured (see ``how``)."""

    title: str
    value: str
    baseline: str
    ratio: float | None
    goal: str
    met: bool | None
    how: str

    def line(self) -> str:
        ratio = "-" if self.ratio is None else f"{self.ratio:.2f}x"
        met = {True: "yes", False: "NO", None: "-"}[self.met]
        return (
            f"{self.title:<56} {self.value:>11} {self.baseline:>11} {ratio:>7}  {self.goal:<16}"
            f" {met:<4} {self.how}"
        )


def header() -> str:
    return (
        f"{'figure':<56} {'value':>11} {'baseline':>11} {'ratio':>7}  {'goal':<16} {'met':<4}"
        " measured"
    )


def skipped(title: str, goal: str, why: str) -> Figure:
    """A figure that could not be measured here, and why."""
    return Figure(title, "-", "-", None, goal, None, why)


class Env:
    """The environment of every child process: a private data directory, this checkout on
    ``PYTHONPATH``, no user settings, and bytecode cached in the bench's own folder (as after
    ``pip install``; the first, unmeasured run of each command compiles it)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.vars = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DRILL_", "LC_", "LANG")) and k != "PYTHONDONTWRITEBYTECODE"
        }
        self.vars.update(
            DRILL_HOME=str(self.home),
            DRILL_LEARNER=LEARNER,
            LANG="C.UTF-8",
            PYTHONPATH=str(REPO),
            PYTHONPYCACHEPREFIX=str(root / "pycache"),
        )

    def drill(self, *args: str) -> list[str]:
        return [sys.executable, "-c", ENTRY, *args]

    def peak(self, command: Sequence[str], stdin: Path | None = None) -> float:
        """Peak memory (MB) of one more run of a ``drill`` command, as it reports it."""
        path = self.root / "peak.txt"
        path.unlink(missing_ok=True)
        measured = [*command[:2], ENTRY_PEAK, *command[3:]]
        checked(run(measured, self, stdin, {PEAK_FILE: str(path)}), "memory run")
        return float(path.read_text())


@dataclass
class Run:
    """A finished child process: wall time from start to exit."""

    seconds: float
    code: int
    stdout: bytes


LEARNER = "bench"
"""Who every benchmark process drills as; the synthetic stores' history is theirs."""


def run(
    command: Sequence[str], env: Env, stdin: Path | None = None, extra: dict[str, str] | None = None
) -> Run:
    """Run ``command`` to its end, stdout to a file (no pipe to drain while timing). The disk
    is synced before the clock starts: writes an earlier run or figure left for the kernel to
    flush (a store of a million answers, a hundred deck files) would otherwise land in the
    syncs of whichever run came next, a session of durable commits above all."""
    out_path = env.root / "child.out"
    with open(out_path, "wb") as out, open(stdin or os.devnull, "rb") as given:
        os.sync()
        start = time.perf_counter()
        code = subprocess.call(
            command,
            stdin=given,
            stdout=out,
            stderr=subprocess.DEVNULL,
            env={**env.vars, **(extra or {})},
            cwd=env.root,
        )
        seconds = time.perf_counter() - start
    return Run(seconds, code, out_path.read_bytes())


def checked(result: Run, what: str) -> Run:
    if result.code != 0:
        raise RuntimeError(f"{what} exited with {result.code}: {result.stdout[-500:]!r}")
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def ratio_figure(
    title: str,
    value: float,
    baseline: float,
    limit: float,
    how: str,
    unit: Callable[[float], str] = ms,
) -> Figure:
    """A lower-is-better figure whose goal is ``value <= limit * baseline``."""
    ratio = value / baseline
    return Figure(title, unit(value), unit(baseline), ratio, f"<= {limit}x", ratio <= limit, how)
