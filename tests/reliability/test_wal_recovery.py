"""SPEC 5, "an intact database is never refused: after a crash or a full disk, SQLite's own
recovery (the WAL) decides, not a guess from the file's size".

A checkpoint copies the WAL's pages into the database file in page order: page 1, which holds
the new page count, is written first, and the pages that extend the file last. A full disk or a
kill in between leaves a file shorter than its header says while the WAL still holds every page,
and SQLite reads the store whole. drill once refused such a store as "truncated", for good.

The state is made here exactly as a checkpoint cut short leaves it (a live writer's files copied
mid-session, then the WAL's pages written back in page order up to a point), and once for real
on a small tmpfs filled up by drill itself (when the test may mount one).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from storehelp import sqlite_store

from drill.store.migrations import LATEST

from .harness import DB_NAME, REPO, clean_env, integrity, mixed_deck

ANSWERS = 30
BIG = 6000
"""Characters of each stored answer: enough that the session's pages extend the file."""
COMMANDS: dict[str, list[str]] = {
    "decks": ["decks", "--json"],
    "stats": ["stats", "--json"],
    "export": ["export", "--format", "json"],
    "run": ["run", "{deck}", "--headless", "--mode", "drill", "--limit", "1"],
}
DECK = mixed_deck("recovery", 4)


def run_drill(home: Path, command: str, deck: Path) -> subprocess.CompletedProcess:
    args = [a.replace("{deck}", str(deck)) for a in COMMANDS[command]]
    return subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", str(home), *args], input=b"skip\n",
        capture_output=True, env=clean_env(), cwd=REPO, timeout=60,
    )  # fmt: skip


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "recovery.yaml"
    path.write_text(DECK.text, encoding="utf-8")
    return path


def crashed_mid_session(home: Path, user_version: int | None = None) -> None:
    """A store whose last ``ANSWERS`` answers are in the WAL only, as a kill leaves it: the
    files are copied while the writer still has them open (so nothing is checkpointed)."""
    live = home.parent / f"{home.name}-live"
    sqlite_store(live).close()
    conn = sqlite3.connect(live / DB_NAME, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(
        "INSERT INTO sessions (id, started_at, mode, decks, planned, seed)"
        " VALUES ('s', '2026-03-01T09:00:00.000Z', 'drill', '[\"recovery\"]', ?, 1)",
        (ANSWERS,),
    )
    for i in range(ANSWERS):
        conn.execute(
            "INSERT INTO answers (session, deck, card, card_type, answered_at, correct, rating,"
            " latency_ms, timed_out, answer) VALUES ('s', 'recovery', ?, 'typed',"
            " '2026-03-01T09:00:00.000Z', 0, 1, 500, 0, ?)",
            (f"t{i}", f"{i}:" + "x" * BIG),
        )
    if user_version is not None:
        conn.execute(f"PRAGMA user_version = {user_version}")
    home.mkdir()
    for name in (DB_NAME, f"{DB_NAME}-wal"):
        shutil.copyfile(live / name, home / name)
    conn.close()


def committed_pages(wal: bytes) -> tuple[int, dict[int, bytes]]:
    """The page size and the newest committed image of every page in a WAL file."""
    page_size = struct.unpack(">I", wal[8:12])[0]
    pages: dict[int, bytes] = {}
    pending: dict[int, bytes] = {}
    offset = 32
    while offset + 24 + page_size <= len(wal):
        number, commit = struct.unpack(">II", wal[offset : offset + 8])
        pending[number] = wal[offset + 24 : offset + 24 + page_size]
        if commit:  # a commit frame: everything pending is committed
            pages.update(pending)
            pending = {}
        offset += 24 + page_size
    return page_size, pages


def cut_checkpoint_short(home: Path, share: float) -> tuple[int, int]:
    """Copy the WAL's pages into the database in page order, as a checkpoint does, and stop
    after ``share`` of them: (file size, size its header gives)."""
    db = home / DB_NAME
    page_size, pages = committed_pages((home / f"{DB_NAME}-wal").read_bytes())
    order = sorted(pages)
    with open(db, "r+b") as handle:
        for number in order[: max(1, int(len(order) * share))]:
            handle.seek((number - 1) * page_size)
            handle.write(pages[number])
    header_size = int.from_bytes(db.read_bytes()[28:32], "big") * page_size
    return db.stat().st_size, header_size


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("share", [0.0, 0.5, 0.9], ids=lambda s: f"pages-written={s:.0%}")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_checkpoint_cut_short_leaves_a_store_every_command_opens_whole(
    command: str, share: float, deck: Path, tmp_path: Path, figures: Counter[str]
):
    home = tmp_path / "home"
    crashed_mid_session(home)
    size, header_size = cut_checkpoint_short(home, share)
    assert size < header_size, "the state under test: shorter than its header says"
    proc = run_drill(home, command, deck)
    err = proc.stderr.decode()
    assert proc.returncode == 0, (command, err)
    assert err == "", err
    if command == "export":
        answers = json.loads(proc.stdout)
        assert [a["answer"].split(":")[0] for a in answers] == [str(i) for i in range(ANSWERS)]
    assert integrity(home / DB_NAME) == "ok"
    with contextlib.closing(sqlite3.connect(home / DB_NAME)) as conn:
        assert conn.execute("SELECT count(*) FROM answers WHERE session = 's'").fetchone() == (
            ANSWERS,
        )
    figures["checkpoints cut short, then opened whole"] += 1


def test_a_short_file_without_the_wal_that_holds_the_rest_is_refused_untouched(
    deck: Path, tmp_path: Path
):
    """The other side: what SQLite cannot read is still refused, and left byte for byte."""
    home = tmp_path / "home"
    crashed_mid_session(home)
    cut_checkpoint_short(home, 0.5)
    (home / f"{DB_NAME}-wal").unlink()
    before = digest(home / DB_NAME)
    for command in COMMANDS:
        proc = run_drill(home, command, deck)
        err = proc.stderr.decode()
        assert proc.returncode == 2, (command, err)
        assert err.startswith(f"drill: error: database {home / DB_NAME} is truncated"), err
        assert err.count("\n") == 1, err
        assert digest(home / DB_NAME) == before, command
        assert sorted(p.name for p in home.iterdir() if p.name != "cache") == [DB_NAME]


def test_a_refused_store_is_not_checkpointed(deck: Path, tmp_path: Path):
    """A store refused while its WAL holds transactions (here, one from a newer drill whose
    new version is in the WAL only) keeps both files byte for byte: checking it on a
    read-write connection would copy the WAL into the database when that connection closes."""
    home = tmp_path / "home"
    crashed_mid_session(home, user_version=LATEST + 1)
    files = (home / DB_NAME, home / f"{DB_NAME}-wal")
    before = [digest(path) for path in files]
    for command in COMMANDS:
        proc = run_drill(home, command, deck)
        err = proc.stderr.decode()
        assert proc.returncode == 2, (command, err)
        assert "was written by a newer drill" in err, err
        assert [digest(path) for path in files] == before, command


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 1 MiB tmpfs, where this test may mount one (root on Linux); else the test is skipped."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root on Linux")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_store_filled_to_a_full_disk_still_opens(small_disk: Path, tmp_path: Path):
    """The failure as it was found: drill fills the disk mid-session; the answers it had
    committed are all there and every command still opens the store."""
    home = small_disk / "home"
    deck_path = tmp_path / "full.yaml"
    deck_path.write_text(mixed_deck("full", 40).text, encoding="utf-8")
    answers = ("x" * 150_000 + "\n") * 41
    proc = subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", str(home), "run", str(deck_path),
         "--headless", "--mode", "drill", "--seed", "1"],
        input=answers.encode(), capture_output=True, env=clean_env(), cwd=REPO, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2 and b"disk is full" in proc.stderr, proc.stderr
    printed = [json.loads(line) for line in proc.stdout.splitlines()]
    results = [e["card"] for e in printed if e["event"] == "result"]
    db = home / DB_NAME
    header_size = int.from_bytes(db.read_bytes()[28:32], "big") * 4096
    assert db.stat().st_size < header_size, "the state under test: shorter than its header says"
    stats = subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", str(home), "export", "--format", "json"],
        capture_output=True, env=clean_env(), cwd=REPO, timeout=60,
    )  # fmt: skip
    assert stats.returncode == 0, stats.stderr
    assert [a["card"] for a in json.loads(stats.stdout)][: len(results)] == results
