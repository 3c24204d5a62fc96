"""Opening a real store for a test, and reading back exactly what it holds.

Tests read the SQLite file through a connection of their own (what another process would see
after each commit), never through the store under test: the store has no method that takes SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from drill.store import LearnerStore, Store, open_store
from drill.store.sqlite import SqliteStore

LEARNER = "tester"


def sqlite_store(home: Path, learner: str = LEARNER) -> LearnerStore:
    """The SQLite store in ``home`` (created if need be), as ``learner`` sees it."""
    return open_store(None, home, True, lambda: learner).learner(learner)


def query(
    store: LearnerStore | Store | Path, sql: str, params: Sequence[object] = ()
) -> list[tuple]:
    """Rows of ``sql`` read from the SQLite file behind ``store`` (or the file at a path)."""
    if isinstance(store, LearnerStore):
        store = store.store
    path = store.path if isinstance(store, SqliteStore) else store
    assert isinstance(path, Path), (
        "query() reads SQLite files; use the store's methods on PostgreSQL"
    )
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
