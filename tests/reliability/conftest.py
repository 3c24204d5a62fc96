"""Fixtures of the reliability suites, and the figures they print at the end of a run (trials,
answers checked, inputs tried), so a CI log shows how much was actually exercised."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Procs, Target, processes

FIGURES: Counter[str] = Counter()
"""What the suites exercised in this run, by name; printed in the terminal summary."""


@pytest.fixture
def figures() -> Counter[str]:
    return FIGURES


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    """Each suite that proves SPEC 5 runs on both stores: the SQLite file in a data directory
    of its own, and a new PostgreSQL database on the server the tests start."""
    url = None if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    return Target(tmp_path / "home", url)


@pytest.fixture
def procs() -> Iterator[Procs]:
    """Start processes with ``procs.spawn``; any still running when the test ends is killed."""
    with processes() as started:
        yield started


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.write_sep("-", "reliability figures")
        for name, value in sorted(FIGURES.items()):
            terminalreporter.write_line(f"{name}: {value:,}")
