"""SPEC section 5: the store refuses what it cannot use safely (exit 2, one line, the file's
bytes untouched), migrates forward, and keeps every answer under concurrent writers."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from storehelp import query, sqlite_store

from drill.errors import StoreError
from drill.store import EmptyStore, SessionStart, open_store
from drill.store.database import DB_NAME
from drill.store.migrations import APPLICATION_ID, LATEST

REPO = Path(__file__).resolve().parents[1]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def real_db(tmp_path: Path) -> Path:
    """A drill database with a few answers in it."""
    home = tmp_path / "home"
    store = sqlite_store(home)
    store.begin_session(
        SessionStart("s1", datetime(2026, 1, 1, tzinfo=UTC), "drill", ("d",), 1, 1, None)
    )
    store.close()
    return home / DB_NAME


def test_new_store_is_created_with_schema_version_and_application_id(tmp_path: Path):
    store = sqlite_store(tmp_path / "a" / "b")
    assert query(store, "PRAGMA user_version") == [(LATEST,)]
    assert query(store, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert query(store, "PRAGMA journal_mode") == [("wal",)]
    store.close()
    leftovers = [p.name for p in (tmp_path / "a" / "b").iterdir()]
    assert leftovers == [DB_NAME]


def test_read_only_commands_create_nothing(tmp_path: Path):
    assert isinstance(open_store(None, tmp_path / "home", False, lambda: "x"), EmptyStore)
    assert not (tmp_path / "home").exists()


def corruptions():
    def truncate(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    def random_bytes(path: Path) -> None:
        path.write_bytes(os.urandom(path.stat().st_size))

    def zero_header(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[:100] = bytes(100)
        path.write_bytes(bytes(data))

    def other_program(path: Path) -> None:
        path.unlink()
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('mine')")
        conn.commit()
        conn.close()

    def newer_schema(path: Path) -> None:
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
        conn.close()

    def empty(path: Path) -> None:
        path.write_bytes(b"")

    return [
        (truncate, "is truncated"),
        (random_bytes, "is not a SQLite database"),
        (zero_header, "is not a SQLite database"),
        (other_program, "is a SQLite database of another program"),
        (newer_schema, f"was written by a newer drill (schema {LATEST + 1}"),
        (empty, "is empty"),
    ]


@pytest.mark.parametrize(
    ("damage", "message"), corruptions(), ids=lambda v: getattr(v, "__name__", "")
)
def test_unusable_database_is_refused_and_left_untouched(real_db: Path, damage, message, drill):
    # Grow the file past one page so halving it really truncates pages.
    store = sqlite_store(real_db.parent)
    query(store, "SELECT 1")
    store.close()
    damage(real_db)
    before = digest(real_db)
    with pytest.raises(StoreError, match=re.escape(message)):
        sqlite_store(real_db.parent)
    for command in (["run", "nothing.yaml", "--headless"], ["stats"], ["export"], ["decks"]):
        ran = drill("--data-dir", str(real_db.parent), *command)
        if command[0] == "run":
            continue  # the deck is missing first; covered by the deck tests
        assert ran.code == 2, (command, ran)
        assert ran.err.count("\n") == 1 and message in ran.err and str(real_db) in ran.err
        assert "Traceback" not in ran.err
    assert digest(real_db) == before


def test_data_dir_that_is_a_file_is_refused(tmp_path: Path, drill, sample_deck):
    home = tmp_path / "file"
    home.write_text("not a folder")
    ran = drill("--data-dir", str(home), "run", str(sample_deck), "--headless")
    assert ran.code == 2 and ran.err == f"drill: error: data directory {home} is not a directory\n"
    assert home.read_text() == "not a folder"


def test_data_dir_that_cannot_be_created_is_refused(tmp_path: Path, drill, sample_deck):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    ran = drill("--data-dir", str(blocker / "sub"), "run", str(sample_deck), "--headless")
    assert ran.code == 2 and ran.err.startswith(
        f"drill: error: cannot create data directory {blocker / 'sub'}"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only permissions")
def test_read_only_data_dir_is_refused(tmp_path: Path, drill, sample_deck):
    home = tmp_path / "ro"
    home.mkdir()
    home.chmod(0o500)
    try:
        ran = drill("--data-dir", str(home), "run", str(sample_deck), "--headless")
    finally:
        home.chmod(0o700)
    assert ran.code == 2 and "is not writable" in ran.err


def test_read_only_data_dir_is_refused_even_for_root(
    tmp_path: Path, drill, sample_deck, monkeypatch
):
    """Root ignores permission bits, so a read-only mount is simulated by the access check."""
    home = tmp_path / "ro"
    home.mkdir()
    script = (
        "import os, sys; real = os.access;"
        f"os.access = lambda p, m, **k: False if str(p) == {str(home)!r} and m & os.W_OK else real(p, m, **k);"
        "from drill.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "--data-dir", str(home), "run", str(sample_deck), "--headless"],
        capture_output=True, text=True, cwd=REPO, input="",
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == f"drill: error: data directory {home} is not writable\n"
    assert list(home.iterdir()) == []
