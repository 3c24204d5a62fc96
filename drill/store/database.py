"""Opening the one SQLite database in the data directory without ever harming it (SPEC 5).

Before a byte is written, the file is checked: a SQLite header, no truncation, drill's own
application id, a schema version this drill knows. Anything else is reported (exit 2) and the file
is left exactly as it was. A new database is built under a temporary name and linked into place
only when complete, so a crash during creation never leaves a half-made store to be mistaken
for a corrupt one, and two processes creating it at once both end up using the same one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from drill.errors import StoreError
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


def check_file(path: Path) -> None:
    """Refuse, without writing, a file that is not an intact drill database."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise StoreError(f"cannot read database {path}: {_reason(exc)}") from None
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
    if counter_valid and pages and size < pages * page_size:
        raise StoreError(
            f"database {path} is truncated ({size:,} of {pages * page_size:,} bytes);"
            " left untouched"
        )
    if not os.access(path, os.W_OK):
        raise StoreError(f"database {path} is read-only")


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are begun explicitly (``BEGIN IMMEDIATE``)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")  # each commit reaches the disk (SPEC 5)
    return conn


def verify(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version, after checking the database is drill's and not from a newer drill."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"database {path} is corrupt ({exc}); left untouched") from None
    if app_id != APPLICATION_ID:
        raise StoreError(f"{path} is a SQLite database of another program; left untouched")
    if version > LATEST:
        raise StoreError(
            f"database {path} was written by a newer drill (schema {version}; this drill "
            f"knows up to {LATEST}); upgrade drill to use it"
        )
    return int(version)


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
    check_file(path)
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StoreError(f"data directory {data_dir} is not writable")
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from None
    try:
        version = verify(conn, path)
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
