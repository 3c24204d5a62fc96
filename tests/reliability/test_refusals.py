"""SPEC 5, "a corrupt database, or one from a newer version, is reported clearly (exit 2) and never
overwritten or silently recreated", and SPEC 3's unusable data directories: every command that
touches the store is refused with exactly one line naming the path and the problem, and
afterwards every byte in the data directory is as it was (hashed before and after).

``tests/test_store.py`` checks each kind of damage once through ``Store.open`` and the
read-only commands. Here the damage is seeded and varied (cut at random lengths, random bytes,
garbage behind an intact first page, a symlink or a folder in the database's place...), each
case goes through every command that opens the store, ``drill run`` with answers waiting on
stdin and the TUI entry points included, and the whole data directory is compared, so a stray
``-wal`` file, a fresh database beside the old one or a rewritten header would all be caught.
"""

from __future__ import annotations

import getpass
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from storehelp import sqlite_store

from drill.clock import ManualClock
from drill.deck.loader import load_text
from drill.grading import Skip
from drill.session import Options, Session
from drill.store.migrations import LATEST

from .harness import DB_NAME, REPO, clean_env, mixed_deck, tree_digest

DECK = mixed_deck("refusal", 8)
STORE_COMMANDS: dict[str, list[str]] = {
    "run --headless": ["run", "{deck}", "--headless", "--mode", "drill"],
    "run (TUI)": ["run", "{deck}"],
    "drill (TUI)": [],
    "decks": ["decks", "--json"],
    "stats": ["stats", "--json"],
    "export": ["export", "--format", "json"],
}
"""Every command that opens the store. The TUI ones open it before drawing anything, so a
refusal ends them before a screen exists (a test that hangs here means one drew a screen)."""
READ_ONLY = ("decks", "stats", "export")
"""Commands that never create a store (or a data directory)."""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with a few sessions' answers in it, several pages long, made by this drill."""
    home = tmp_path_factory.mktemp("pristine") / "home"
    deck = load_text(DECK.text, "refusal.yaml").deck
    assert deck is not None
    store = sqlite_store(home, getpass.getuser())  # whom the drills below run as
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    for seed in range(12):
        session = Session([deck], Options(mode="drill", seed=seed), clock, store)
        while session.show() is not None:
            session.answer(Skip(), 1000)
            clock.advance(60)
        session.finish()
    store.close()
    db = home / DB_NAME
    assert db.stat().st_size >= 8 * 4096
    return db


@dataclass
class Case:
    """One kind of unusable store or data directory."""

    name: str
    damage: Callable[[Path, random.Random], None]
    """Damages the store at the given path (in a data directory holding a good store)."""
    message: str
    """What the one line must say (besides the path)."""


def _truncate(db: Path, rng: random.Random) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: rng.randrange(100, len(data) - 4096)])


def _truncate_header(db: Path, rng: random.Random) -> None:
    db.write_bytes(db.read_bytes()[: rng.randrange(1, 100)])


def _random_bytes(db: Path, rng: random.Random) -> None:
    db.write_bytes(rng.randbytes(db.stat().st_size))


def _zero_header(db: Path, rng: random.Random) -> None:
    data = bytearray(db.read_bytes())
    data[:100] = bytes(100)
    db.write_bytes(bytes(data))


def _garbage_after_first_page(db: Path, rng: random.Random) -> None:
    """An intact header and schema page, every other page random: it still opens, and reads."""
    data = db.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    db.write_bytes(data[:page] + rng.randbytes(len(data) - page))


def _bad_page_size(db: Path, rng: random.Random) -> None:
    data = bytearray(db.read_bytes())
    data[16:18] = rng.choice([3, 1000, 12345]).to_bytes(2, "big")
    db.write_bytes(bytes(data))


def _other_program(db: Path, rng: random.Random) -> None:
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.executemany("INSERT INTO notes VALUES (?)", [(rng.randbytes(50).hex(),)] * 100)
    conn.commit()
    conn.close()


def _newer_schema(db: Path, rng: random.Random) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {LATEST + rng.randrange(1, 50)}")
    conn.close()


def _empty(db: Path, rng: random.Random) -> None:
    db.write_bytes(b"")


def _folder(db: Path, rng: random.Random) -> None:
    db.unlink()
    db.mkdir()
    (db / "keep.txt").write_text("not a database")


def _named_pipe(db: Path, rng: random.Random) -> None:
    """Opened for reading, a FIFO without a writer waits forever: refused from its ``stat``."""
    db.unlink()
    os.mkfifo(db)


def _named_pipe_as_wal(db: Path, rng: random.Random) -> None:
    os.mkfifo(db.with_name(f"{db.name}-wal"))


def _dangling_symlink(db: Path, rng: random.Random) -> None:
    db.unlink()
    db.symlink_to(db.parent / "moved-away.sqlite3")


CASES = [
    Case("truncated", _truncate, "is truncated"),
    Case("truncated-in-header", _truncate_header, "is not a SQLite database"),
    Case("random-bytes", _random_bytes, "is not a SQLite database"),
    Case("zeroed-header", _zero_header, "is not a SQLite database"),
    Case("garbage-after-first-page", _garbage_after_first_page, "malformed"),
    Case("bad-page-size", _bad_page_size, "damaged header"),
    Case("another-programs-sqlite", _other_program, "is a SQLite database of another program"),
    Case("newer-schema", _newer_schema, "was written by a newer drill"),
    Case("empty", _empty, "is empty"),
    Case("folder-in-its-place", _folder, "is a directory"),
    Case("dangling-symlink", _dangling_symlink, "no such file"),
    Case("named-pipe", _named_pipe, "is a named pipe, not a file"),
    Case("named-pipe-as-its-wal", _named_pipe_as_wal, "-wal is a named pipe, not a file"),
]
SEEDS = (1, 2)


def drill_args(command: str, home: Path, deck: Path) -> list[str]:
    args = [a.replace("{deck}", str(deck)) for a in STORE_COMMANDS[command]]
    return ["--data-dir", str(home), *args]


def run_drill(args: list[str], launcher: list[str] | None = None) -> subprocess.CompletedProcess:
    """``drill ARGS`` with answers waiting on stdin, bounded in time."""
    command = launcher or [sys.executable, "-m", "drill"]
    return subprocess.run(
        [*command, *args], input=b"skip\n" * 20, capture_output=True, env=clean_env(),
        cwd=REPO, timeout=30,
    )  # fmt: skip


TERMINAL_CONTROL = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])"
)
LEAVE_ALTERNATE_SCREEN = "\x1b[?1049l"


def seen_after_exit(stderr: str) -> str:
    """What stays on the terminal: a TUI that had started drew in the alternate screen, which
    is gone once it leaves; only what follows (and no control sequence) remains."""
    return TERMINAL_CONTROL.sub("", stderr.rsplit(LEAVE_ALTERNATE_SCREEN, 1)[-1])


def assert_refused(proc: subprocess.CompletedProcess, path: Path, message: str, label: str):
    out, err = proc.stdout.decode(), seen_after_exit(proc.stderr.decode())
    assert proc.returncode == 2, (label, proc.returncode, err)
    assert out == "", (label, out)
    assert err.startswith("drill: error: ") and err.count("\n") == 1, (label, err)
    assert str(path) in err and message.lower() in err.lower(), (label, err)


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "decks" / "refusal.yaml"
    path.parent.mkdir()
    path.write_text(DECK.text, encoding="utf-8")
    return path


def untouched(home: Path) -> dict[str, str]:
    """The data directory's digest, leaving out the deck load cache (never the store: a cache
    of deck files, which drill may keep even when it refuses the store)."""
    return {k: v for k, v in tree_digest(home).items() if "/cache" not in k[len(str(home)) :]}


def damaged_cases() -> list:
    """Every (case, seed, command)."""
    params = []
    for case in CASES:
        for seed in SEEDS:
            for command in STORE_COMMANDS:
                params.append(
                    pytest.param(case, seed, command, id=f"{case.name}-seed={seed}-{command}")
                )
    return params


@pytest.mark.parametrize(("case", "seed", "command"), damaged_cases())
def test_a_damaged_store_is_refused_by_every_command_and_left_byte_for_byte(
    case: Case,
    seed: int,
    command: str,
    pristine: Path,
    deck_file: Path,
    tmp_path: Path,
    figures: Counter[str],
):
    home = tmp_path / "home"
    home.mkdir()
    db = home / DB_NAME
    shutil.copyfile(pristine, db)
    case.damage(db, random.Random(f"{case.name}:{seed}"))
    before = untouched(home)
    proc = run_drill(drill_args(command, home, deck_file))
    assert_refused(proc, db, case.message, f"{case.name} seed={seed}: {command}")
    assert untouched(home) == before, f"{case.name} seed={seed}: {command} wrote to the store"
    figures["refusals checked"] += 1


def deny_writes(*paths: Path) -> list[str]:
    """A launcher on which ``paths`` look read-only, as on a read-only mount (root ignores
    permission bits, so chmod cannot make a directory read-only for these tests)."""
    denied = [str(p) for p in paths]
    code = (
        "import os, sys\n"
        "real = os.access\n"
        f"denied = {denied!r}\n"
        "def access(path, mode, *a, **k):\n"
        "    if str(path) in denied and mode & os.W_OK:\n"
        "        return False\n"
        "    return real(path, mode, *a, **k)\n"
        "os.access = access\n"
        "from drill.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return [sys.executable, "-c", code]


def test_a_read_only_data_directory_with_a_store_is_refused_untouched(
    pristine: Path, deck_file: Path, tmp_path: Path, figures: Counter[str]
):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(pristine, home / DB_NAME)
    before = untouched(home)
    for command in STORE_COMMANDS:
        proc = run_drill(drill_args(command, home, deck_file), deny_writes(home))
        assert_refused(proc, home, "is not writable", f"read-only data dir: {command}")
        assert untouched(home) == before, command
        figures["refusals checked"] += 1


def test_a_read_only_store_file_is_refused_untouched(
    pristine: Path, deck_file: Path, tmp_path: Path, figures: Counter[str]
):
    home = tmp_path / "home"
    home.mkdir()
    db = home / DB_NAME
    shutil.copyfile(pristine, db)
    before = untouched(home)
    for command in STORE_COMMANDS:
        proc = run_drill(drill_args(command, home, deck_file), deny_writes(db))
        assert_refused(proc, db, "is read-only", f"read-only store: {command}")
        assert untouched(home) == before, command
        figures["refusals checked"] += 1


def _a_file(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.write_text("my notes, not a folder\n")
    return home


def _under_a_file(tmp_path: Path) -> Path:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    return blocker / "home"


def _name_too_long(tmp_path: Path) -> Path:
    return tmp_path / ("x" * 300) / "home"


def _dangling_link(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.symlink_to(tmp_path / "gone")
    return home


def _link_loop(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.symlink_to(home)
    return home


DATA_DIRS = [
    (_a_file, "is not a directory", True),
    (_under_a_file, "cannot create data directory", False),
    (_name_too_long, "file name too long", False),
    (_dangling_link, "cannot create data directory", False),
    (_link_loop, "cannot create data directory", False),
]
"""(make it, what the line says, whether read-only commands refuse it too). A data directory
that cannot be created is no error for a command that only reads: it creates nothing and
reports that there is nothing."""


@pytest.mark.parametrize(
    ("make", "message", "read_only_refuse"), DATA_DIRS, ids=lambda v: getattr(v, "__name__", "")
)
def test_an_unusable_data_directory_is_refused_and_nothing_is_created(
    make: Callable[[Path], Path],
    message: str,
    read_only_refuse: bool,
    deck_file: Path,
    tmp_path: Path,
    figures: Counter[str],
):
    home = make(tmp_path)
    before = tree_digest(tmp_path)
    for command in STORE_COMMANDS:
        proc = run_drill(drill_args(command, home, deck_file))
        label = f"{make.__name__}: {command}"
        if command in READ_ONLY and not read_only_refuse:
            assert proc.returncode == 0, (label, proc.stderr.decode())
            assert "Traceback" not in proc.stderr.decode(), label
        else:
            assert_refused(proc, home, message, label)
        assert tree_digest(tmp_path) == before, f"{label} created or changed something"
        figures["refusals checked"] += 1


def test_refusals_name_real_paths_not_a_placeholder(tmp_path: Path):
    """The message's path is the one the user gave (relative stays relative), so it can be
    pasted into a shell: checked once for a relative --data-dir."""
    (tmp_path / "home").write_text("x")
    proc = subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", "home", "stats"], capture_output=True,
        text=True, cwd=tmp_path, env=clean_env(), timeout=30,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == "drill: error: data directory home is not a directory\n"
    assert os.listdir(tmp_path) == ["home"]


def _edit_card_state(pristine: Path, home: Path, column: str, value: object) -> Path:
    home.mkdir()
    db = home / DB_NAME
    shutil.copyfile(pristine, db)
    conn = sqlite3.connect(db)
    conn.execute(f"UPDATE card_states SET {column} = ? WHERE card = 't0'", (value,))
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize("value", ["garbage", "", 12345, "2026-02-30T00:00:00Z"], ids=repr)
@pytest.mark.parametrize("command", ["run --headless", "run (TUI)"])
def test_a_due_date_that_is_no_date_is_reported_as_a_corrupt_store(
    command: str,
    value: object,
    pristine: Path,
    deck_file: Path,
    tmp_path: Path,
    figures: Counter[str],
):
    """A memory state edited by hand (or damaged where SQLite cannot see it) is a corrupt
    store: one line and exit 2 before anything is written, never a ValueError traceback."""
    home = tmp_path / "home"
    db = _edit_card_state(pristine, home, "due", value)
    before = untouched(home)
    proc = run_drill(drill_args(command, home, deck_file))
    assert_refused(proc, db, "is corrupt", f"due={value!r}: {command}")
    assert "not a date and time" in proc.stderr.decode()
    assert untouched(home) == before, command
    figures["refusals checked"] += 1


def test_a_last_review_that_is_no_date_ends_the_session_with_one_line(
    pristine: Path, deck_file: Path, tmp_path: Path
):
    """Read only when that card is answered: by then the session has begun, so it ends there,
    with one line and exit 2 (every answer printed before it stays stored)."""
    home = tmp_path / "home"
    db = _edit_card_state(pristine, home, "last_review", "yesterday")
    proc = run_drill(drill_args("run --headless", home, deck_file))
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err.startswith(f"drill: error: database {db} is corrupt") and err.count("\n") == 1
    assert "'yesterday', not a date and time" in err
