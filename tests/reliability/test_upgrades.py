"""SPEC 5, "schema versioned and migrated forward": a store written at drill's oldest schema opens
in today's drill, migrated, with every session, answer and memory state kept, and a migration
killed halfway leaves the store at its old version, intact and usable.

``fixtures/schema-v1.sqlite3`` is a version-1 store written by drill's own session engine
(``fixtures/make_schema_v1.py``), with every row it holds in ``fixtures/schema-v1.json``. The
slow migration that a test kills is injected in a subprocess (a small launcher appends it to
``drill.store.migrations.MIGRATIONS``), so the real migrations run first, inside the same
transaction, and must be rolled back with it.
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from storehelp import sqlite_store

from drill.store.migrations import LATEST

from .harness import DB_NAME, REPO, Lines, Procs, clean_env, connect, drill_command, integrity

FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "schema-v1.sqlite3"
MANIFEST = json.loads((FIXTURES / "schema-v1.json").read_text(encoding="utf-8"))
DECK = FIXTURES / "upgrade-deck.yaml"
TABLES = {
    "sessions": "SELECT id, started_at, ended_at, mode, decks, planned, seed, pass_mark, passed"
    " FROM sessions ORDER BY rowid",
    "answers": "SELECT id, session, deck, card, card_type, answered_at, correct, rating,"
    " latency_ms, timed_out, answer, error FROM answers ORDER BY id",
    "card_states": "SELECT deck, card, due, state, step, stability, difficulty, last_review,"
    " reps, lapses FROM card_states ORDER BY deck, card",
}
"""Version 1's columns: every later version keeps them (and adds its own)."""
SLOW_MIGRATION = '''
import os, sys, time
from drill.store import database, migrations

def injected(conn, upgrade):
    """A test-only migration after every real one: it changes the store step by step,
    announcing each step, then waits inside the transaction for the kill."""
    conn.execute("ALTER TABLE answers ADD COLUMN injected TEXT")
    for step in range(int(os.environ["STEPS"])):
        conn.execute("UPDATE answers SET injected = ?", (f"step {step}",))
        conn.execute(f"CREATE TABLE injected_{step} (x)")
        conn.execute("DELETE FROM card_states WHERE reps % 2 = 0")
        print(f"step {step}", flush=True)
        time.sleep(float(os.environ.get("PAUSE", "0")))
    time.sleep(float(os.environ.get("HOLD", "0")))

migrations.MIGRATIONS = (*migrations.MIGRATIONS, injected)
migrations.LATEST = database.LATEST = len(migrations.MIGRATIONS)
from drill.cli import main
sys.exit(main(sys.argv[1:]))
'''


def rows(db: Path) -> dict[str, list[list[object]]]:
    with contextlib.closing(connect(db)) as conn:
        return {name: [list(r) for r in conn.execute(sql)] for name, sql in TABLES.items()}


def schema_of(db: Path) -> list[tuple[str, str]]:
    with contextlib.closing(connect(db)) as conn:
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()


def version_of(db: Path) -> int:
    with contextlib.closing(connect(db)) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


@pytest.fixture
def old_home(tmp_path: Path) -> Path:
    """A data directory holding a copy of the version-1 store."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(V1, home / DB_NAME)
    return home


def test_the_fixture_is_a_store_of_the_oldest_schema(old_home: Path):
    db = old_home / DB_NAME
    assert version_of(db) == 1
    assert integrity(db) == "ok"
    assert rows(db) == MANIFEST
    assert len(MANIFEST["answers"]) >= 10 and len(MANIFEST["sessions"]) == 3


def test_the_oldest_store_opens_migrated_with_every_row_kept(
    old_home: Path, tmp_path: Path, figures: Counter[str]
):
    db = old_home / DB_NAME
    exported = subprocess.run(
        drill_command("--data-dir", str(old_home), "export", "--format", "json"),
        capture_output=True, text=True, env=clean_env(), cwd=REPO, timeout=60,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert [(a["session"], a["card"], a["answered_at"], a["answer"]) for a in json.loads(
        exported.stdout)] == [(a[1], a[3], a[5], a[10]) for a in MANIFEST["answers"]]  # fmt: skip
    assert version_of(db) == LATEST
    assert integrity(db) == "ok"
    assert rows(db) == MANIFEST
    fresh = tmp_path / "fresh"
    sqlite_store(fresh).close()
    assert schema_of(db) == schema_of(fresh / DB_NAME), "a migrated store differs from a new one"
    figures["upgrade answers checked"] += len(MANIFEST["answers"])
    # Everything from before learners now belongs to the one who ran the migrating command.
    with contextlib.closing(connect(db)) as conn:
        owners = conn.execute(
            "SELECT DISTINCT l.name FROM learners l JOIN (SELECT learner FROM sessions UNION"
            " SELECT learner FROM answers UNION SELECT learner FROM card_states) t"
            " ON t.learner = l.id"
        ).fetchall()
    assert owners == [(clean_env().get("USER") or __import__("getpass").getuser(),)]


def test_progress_carries_on_in_an_upgraded_store(old_home: Path):
    """A review after the upgrade builds on the memory states the old store kept."""
    ran = subprocess.run(
        drill_command("--data-dir", str(old_home), "run", str(DECK), "--headless", "--now",
                      "2026-01-10T09:00:00Z", "--seed", "4"),
        input="skip\n" * 10, capture_output=True, text=True, env=clean_env(), cwd=REPO,
        timeout=60,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    results = [json.loads(line) for line in ran.stdout.splitlines()]
    reviewed = [e["card"] for e in results if e["event"] == "result" and e["rating"]]
    assert reviewed, "every card was overdue by January, so the review had cards to show"
    after = rows(old_home / DB_NAME)
    assert after["answers"][: len(MANIFEST["answers"])] == MANIFEST["answers"]
    before_reps = {(s[0], s[1]): s[-2] for s in MANIFEST["card_states"]}
    for state in after["card_states"]:
        key = (state[0], state[1])
        assert state[-2] == before_reps.get(key, 0) + reviewed.count(state[1]), key


def launcher(home: Path, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """``drill stats`` on ``home`` with the slow migration injected (opening migrates)."""
    command = [sys.executable, "-c", SLOW_MIGRATION, "--data-dir", str(home), "stats", "--json"]
    return command, clean_env(**env)


def test_an_injected_migration_runs_once_on_the_oldest_store(old_home: Path):
    command, env = launcher(old_home, {"STEPS": "3"})
    ran = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert ran.returncode == 0, ran.stderr
    db = old_home / DB_NAME
    assert version_of(db) == LATEST + 1
    with contextlib.closing(connect(db)) as conn:
        notes = {n for (n,) in conn.execute("SELECT injected FROM answers")}
    assert notes == {"step 2"}
    assert rows(db)["sessions"] == MANIFEST["sessions"]


def test_two_drills_opening_an_old_store_at_once_migrate_it_once(old_home: Path, procs: Procs):
    """Both wait on the write lock; the second sees the new version and does not migrate again
    (a second ``ALTER TABLE ... ADD COLUMN`` would fail, and exit 2)."""
    command, env = launcher(old_home, {"STEPS": "3", "PAUSE": "0.2"})
    started = [procs.spawn(command, env) for _ in range(2)]
    for proc in started:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    assert version_of(old_home / DB_NAME) == LATEST + 1


@pytest.mark.parametrize("seed", range(1, 7), ids=lambda s: f"seed={s}")
def test_a_migration_killed_midway_leaves_the_old_version_readable(
    seed: int, old_home: Path, procs: Procs, figures: Counter[str]
):
    rng = random.Random(seed)
    steps = 4
    command, env = launcher(old_home, {"STEPS": str(steps), "PAUSE": "0.05", "HOLD": "60"})
    proc = procs.spawn(command, env)
    lines = LinesOfText(proc)
    kill_after = rng.randrange(steps)  # the kill comes after this step has been announced
    for _ in range(kill_after + 1):
        assert lines.next() is not None, proc.stderr.read() if proc.stderr else ""
    time.sleep(rng.uniform(0, 0.05))
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    db = old_home / DB_NAME
    label = f"seed={seed}: killed after step {kill_after}"
    # Read as any program would, first: the old version, whole, none of the migration in it.
    assert integrity(db) == "ok", label
    assert version_of(db) == 1, label
    assert rows(db) == MANIFEST, label
    assert not [name for name, _ in schema_of(db) if name.startswith("injected")], label
    # Then today's drill reads it (migrating it for real), and the injected one can run again.
    exported = subprocess.run(
        drill_command("--data-dir", str(old_home), "export", "--format", "json"),
        capture_output=True, text=True, env=clean_env(), cwd=REPO, timeout=60,
    )  # fmt: skip
    assert exported.returncode == 0, (label, exported.stderr)
    assert len(json.loads(exported.stdout)) == len(MANIFEST["answers"]), label
    command, env = launcher(old_home, {"STEPS": "2"})
    rerun = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert rerun.returncode == 0, (label, rerun.stderr)
    assert version_of(db) == LATEST + 1, label
    figures["migrations killed midway"] += 1
    figures["upgrade answers checked"] += len(MANIFEST["answers"])


class LinesOfText(Lines):
    """The launcher's plain ``step N`` lines (not JSON)."""

    def next(self, timeout: float = 60.0) -> str | None:  # type: ignore[override]
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            if not self._fill(deadline):
                return None
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()


def test_a_store_left_at_an_unknown_future_version_is_not_migrated_back(old_home: Path):
    """The other direction: a store a newer drill wrote is refused (exit 2), never rewritten."""
    db = old_home / DB_NAME
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    before = db.read_bytes()
    ran = subprocess.run(
        drill_command("--data-dir", str(old_home), "stats"), capture_output=True, text=True,
        env=clean_env(), cwd=REPO, timeout=60,
    )  # fmt: skip
    assert ran.returncode == 2 and "written by a newer drill" in ran.stderr
    assert db.read_bytes() == before
