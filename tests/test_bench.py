"""The benchmark still runs: ``python -m drill.bench --quick`` prints a line for every figure
and exits 0. Nothing here looks at a number: tests check behaviour, never seconds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from drill.bench import FIGURES

REPO = Path(__file__).resolve().parents[1]


def test_the_quick_benchmark_prints_every_figure():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRILL_")}
    proc = subprocess.run(
        [sys.executable, "-m", "drill.bench", "--quick"],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for title in FIGURES:
        found = [line for line in lines if line.startswith(title)]
        assert found, f"no line for {title!r} in:\n{proc.stdout}"
        assert "FAILED" not in found[0], found[0]


def test_the_wheel_leaves_the_benchmark_out():
    """A developer tool, run from a checkout: the wheel's file list excludes drill/bench, and
    Anki and pgserver are only in the ``bench`` extra, never drill's own dependencies."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert "drill/bench" in wheel["exclude"]
    dependencies = " ".join(project["project"]["dependencies"])
    assert "anki" not in dependencies and "pgserver" not in dependencies
    assert any(d.startswith("anki") for d in project["project"]["optional-dependencies"]["bench"])
