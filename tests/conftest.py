"""Shared fixtures: a private data directory per test, deck files written on the fly, and the
real ``drill`` command run as a subprocess (the way users and scripts run it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """The suite runs as from a terminal's foreground whatever started it. A background job of
    a non-interactive shell inherits SIGINT ignored, and so would every drill the tests start;
    drill (as Python does, and as POSIX asks) leaves an ignored SIGINT ignored, so the tests
    that interrupt a drill as Ctrl-C would could not. A Python handler, unlike SIG_IGN, is
    not inherited: the drills start with SIGINT at its default."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@dataclass
class Ran:
    """A finished ``drill`` process."""

    code: int
    out: str
    err: str

    @property
    def events(self) -> list[dict]:
        """stdout parsed as JSON Lines (fails the test if any line is not JSON)."""
        return [json.loads(line) for line in self.out.splitlines()]


@pytest.fixture(autouse=True)
def no_real_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test, and no drill it starts, ever reads or writes the real user's data directory: a
    command run without ``--data-dir`` or ``$DRILL_HOME`` finds its platform data directory
    (``$XDG_DATA_HOME``) in a throwaway folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
    monkeypatch.delenv("DRILL_HOME", raising=False)
    monkeypatch.delenv("DRILL_STORE", raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for the whole run: ``$DRILL_TEST_POSTGRES_URL`` if set (an
    external server, whose user may create databases), else a throwaway PostgreSQL 16 that
    ``pgserver`` starts in a temporary directory and stops at the end.

    The directory is its own (``mkdtemp``), not pytest's numbered ``tmp_path`` folders: another
    pytest run of the same user may prune those while this one still runs, and the cluster's
    files (and its socket) would vanish under it."""
    external = os.environ.get("DRILL_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    import shutil
    import tempfile

    import pgserver

    folder = Path(tempfile.mkdtemp(prefix="drill-pg-"))
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def database_url(server_url: str, name: str) -> str:
    """``server_url`` pointing at the database ``name`` instead."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """The URL of a new, empty database of its own for one test, dropped afterwards."""
    import psycopg

    name = f"drill_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(postgres_server, name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty data directory (not yet created)."""
    return tmp_path / "home"


@pytest.fixture
def drill_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRILL_", "LC_", "LANG"))}
    env.update(DRILL_HOME=str(home), DRILL_LEARNER="tester", PYTHONPATH=str(REPO), LANG="C.UTF-8")
    return env


@pytest.fixture
def drill(drill_env: dict[str, str]) -> Callable[..., Ran]:
    """Run ``python -m drill ARGS`` with optional stdin text; returns code, stdout, stderr."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Ran:
        proc = subprocess.run(
            [sys.executable, "-m", "drill", *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**drill_env, **(env or {})},
            cwd=REPO,
            timeout=120,
        )
        return Ran(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[..., Path]:
    """Write a deck file from (dedented) YAML text and return its path."""

    def write(text: str, name: str = "deck.yaml") -> Path:
        path = tmp_path / "decks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


SAMPLE_DECK = """
id: sample
title: Sample deck
language: en
time_limit: 20
cards:
  - id: rings
    type: typed
    prompt: Answer within how many rings?
    answer: 3
    explain: Three rings is the service standard.
  - id: qa-parts
    type: choice
    prompt: Which are QA categories?
    choices:
      - text: Voice quality
      - text: Product knowledge
      - text: Lunch breaks
        why: Not scored in QA.
    answer: [Voice quality, Product knowledge]
  - id: transfer
    type: order
    prompt: Order the transfer steps
    steps: [Explain why, Give the wait, Log what you know, Transfer and confirm]
  - id: never-say
    type: flashcard
    front: Instead of "I don't know"
    back: Let me check that for you
  - id: agree
    type: choice
    prompt: Say "yes" to the customer?
    choices: [Yes, No]
    answer: Yes
    shuffle: false
  - id: breathe
    type: breathing
    pattern: [4, 7, 8]
    cycles: 2
"""


@pytest.fixture
def sample_deck(write_deck: Callable[..., Path]) -> Path:
    """A small deck with every card type."""
    return write_deck(SAMPLE_DECK, "sample.yaml")
