"""Opening the one SQLite database in the data directory without ever harming it (SPEC 5).

Before a byte is written, the file is checked: a regular file (a named pipe is never opened for
reading, which would wait forever), a SQLite header, drill's own application id, a schema version
this drill knows. Anything else is reported (exit 2) and the file is left exactly as it was.

A file shorter than its header says is not, by itself, damage: a checkpoint cut short (a full
disk, a kill) writes page 1 back before the pages that extend the file, and those pages are
still in the WAL. So SQLite decides: the store is opened, its WAL recovered, and checked with
``PRAGMA quick_check``; only what SQLite cannot read is refused. While a WAL holds anything, the
checks run on a read-only connection: closing a read-write one would checkpoint the WAL into a
store that may be about to be refused.

A new database is built under a temporary name and linked into place only when complete, so a
crash during creation never leaves a half-made store to be mistaken for a corrupt one, and two
processes creating it at once both end up using the same one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Final

from drill.clock import parse_instant
from drill.errors import StoreError
from drill.files import not_a_file
from drill.store.migrations import APPLICATION_ID, LATEST, Upgrade, migrate

DB_NAME: Final = "drill.sqlite3"
BUSY_TIMEOUT_S: Final = 60.0
_HEADER: Final = b"SQLite format 3\x00"


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def prepare_dir(data_dir: Path, create: bool) -> bool:
    """Check (and with ``create``, make) the data directory; False if absent and not made.

    ``os.path`` rather than ``Path.exists()``, which raises for some paths (a name too long)."""
    if os.path.exists(data_dir) and not os.path.isdir(data_dir):
        raise StoreError(f"data directory {data_dir} is not a directory")
    if not os.path.exists(data_dir):
        if not create:
            return False
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create data directory {data_dir}: {_reason(exc)}") from None
    if create and not os.access(data_dir, os.W_OK | os.X_OK):
        raise StoreError(f"data directory {data_dir} is not writable")
    return True


_COMPANIONS: Final = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside the database: each must be a regular file too, when present."""


def check_file(path: Path) -> int | None:
    """Refuse, without writing, a file that cannot be a drill database.

    Returns the size in bytes its header gives the database when the file is shorter than that
    (for SQLite to judge: see the module docstring), else None. Nothing is opened that could
    block: a pipe, socket or device is refused from its ``stat``, and the file is opened
    non-blocking and looked at again, in case it was swapped in between.
    """
    for suffix in ("", *_COMPANIONS):
        candidate = Path(f"{path}{suffix}")
        try:
            kind = not_a_file(os.stat(candidate).st_mode)
        except FileNotFoundError:
            if suffix:
                continue
            raise StoreError(f"cannot read database {path}: no such file or directory") from None
        except OSError as exc:
            raise StoreError(f"cannot read database {candidate}: {_reason(exc)}") from None
        if kind is not None:
            raise StoreError(f"database {candidate} is {kind}, not a file; left untouched")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            info = os.fstat(fd)
            kind = not_a_file(info.st_mode)
            header = b"" if kind is not None else os.pread(fd, 100, 0)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError(f"cannot read database {path}: {_reason(exc)}") from None
    if kind is not None:
        raise StoreError(f"database {path} is {kind}, not a file; left untouched")
    if not header:
        raise StoreError(f"database {path} is empty (truncated?); left untouched")
    if len(header) < 100 or not header.startswith(_HEADER):
        raise StoreError(f"{path} is not a SQLite database (corrupt?); left untouched")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreError(f"database {path} has a damaged header (corrupt); left untouched")
    if not os.access(path, os.W_OK):
        raise StoreError(f"database {path} is read-only")
    if counter_valid and pages and info.st_size < pages * page_size:
        return pages * page_size
    return None


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are begun explicitly (``BEGIN IMMEDIATE``).

    ``read_only``, for looking at a store before trusting it, can neither write nor checkpoint.
    """
    if read_only:
        uri = f"{path.absolute().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")  # each commit reaches the disk (SPEC 5)
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def verify(conn: sqlite3.Connection, path: Path, expected_size: int | None = None) -> int:
    """The schema version, after checking the database is drill's and not from a newer drill.

    ``expected_size`` (from ``check_file``: the file is shorter than its header says) asks
    SQLite whether the WAL holds the missing pages: a ``quick_check`` after its recovery."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if expected_size is not None:
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if verdict != "ok":
                raise sqlite3.DatabaseError(verdict)
    except sqlite3.DatabaseError as exc:
        if expected_size is not None:
            raise _truncated(path, expected_size, exc) from None
        raise StoreError(f"database {path} is corrupt ({exc}); left untouched") from None
    if app_id != APPLICATION_ID:
        raise StoreError(f"{path} is a SQLite database of another program; left untouched")
    if version > LATEST:
        raise StoreError(
            f"database {path} was written by a newer drill (schema {version}; this drill "
            f"knows up to {LATEST}); upgrade drill to use it"
        )
    return int(version)


def _truncated(path: Path, expected_size: int, exc: sqlite3.Error) -> StoreError:
    """The refusal of a file shorter than its header says whose missing pages SQLite could
    not find in the WAL either."""
    size = os.stat(path).st_size
    return StoreError(
        f"database {path} is truncated ({size:,} of {expected_size:,} bytes, and no WAL holds"
        f" the rest: {exc}); left untouched"
    )


def stored_instant(value: object, path: Path, what: str) -> datetime:
    """A date and time read back from the store. One that is not (a row edited by hand, or
    damage SQLite cannot see) makes the store corrupt: exit 2 with one line, not a traceback."""
    try:
        return parse_instant(value)  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError, OverflowError):
        raise StoreError(
            f"database {path} is corrupt ({what} is {repr(value)[:40]}, not a date and time);"
            " left untouched"
        ) from None


def _wal_in_use(path: Path) -> bool:
    """Whether the WAL beside ``path`` holds anything (transactions not yet checkpointed)."""
    try:
        return os.stat(f"{path}-wal").st_size > 0
    except OSError:
        return False


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``: takes the write lock before reading, so two writers
    queue on the busy timeout instead of failing with "database is locked" on upgrade.

    Ctrl-C and SIGTERM arrive as a ``KeyboardInterrupt`` at any bytecode, even right after
    ``BEGIN`` returns: so ``BEGIN`` is inside the ``try`` that rolls back, and a transaction an
    interrupt still left open (nothing of it committed) is rolled back before the next begins,
    so the session can still be closed after the interrupt."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _create(path: Path, upgrade: Upgrade) -> None:
    """Build a complete database beside ``path``, then link it in unless someone was first."""
    import secrets  # only when creating: it imports hashlib, slow for every command to pay

    temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.new")
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            with write_transaction(conn):
                migrate(conn, 0, upgrade)
        finally:
            conn.close()
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)  # atomic and never replaces: the first creator wins
        _fsync_dir(path.parent)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot create database {path}: {exc}") from None
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_database(data_dir: Path, create: bool, upgrade: Upgrade) -> sqlite3.Connection | None:
    """The checked, migrated connection to the store; None when there is none and ``create``
    is false (read-only commands on a fresh machine create nothing)."""
    if not prepare_dir(data_dir, create):
        return None
    path = data_dir / DB_NAME
    if not os.path.lexists(path):  # a dangling link is a store gone missing: refused below
        if not create:
            return None
        _create(path, upgrade)
    expected_size = check_file(path)
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StoreError(f"data directory {data_dir} is not writable")
    # Checked read-only while the WAL holds anything (see the module docstring); without one,
    # the checking connection is kept: a read-only one would leave an empty WAL behind.
    careful = _wal_in_use(path)
    try:
        conn = connect(path, read_only=careful)
    except sqlite3.Error as exc:
        if expected_size is not None:
            raise _truncated(path, expected_size, exc) from None
        raise StoreError(f"cannot open database {path}: {exc}") from None
    try:
        version = verify(conn, path, expected_size)
        if careful:
            conn.close()
            conn = connect(path)
        if version < LATEST:
            with write_transaction(conn):
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                if current < LATEST:  # another process may have migrated while we waited
                    migrate(conn, current, upgrade)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot upgrade database {path}: {exc}") from None
    except StoreError:
        conn.close()
        raise
    return conn
