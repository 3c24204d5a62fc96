"""Where answers are kept (SPEC 5 and 7): one interface, an embedded SQLite file by default,
or one PostgreSQL database for a team.

``open_store`` picks the implementation from the store URL; psycopg is imported only for a
PostgreSQL URL, so the SQLite default starts without it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drill.errors import UsageError
from drill.store.base import EmptyStore, LearnerStore, Store
from drill.store.records import AnswerRecord, CardSet, Review, Scope, SessionStart

__all__ = [
    "AnswerRecord",
    "CardSet",
    "EmptyStore",
    "LearnerStore",
    "Review",
    "Scope",
    "SessionStart",
    "Store",
    "is_postgres_url",
    "open_store",
]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database (the only kind of URL drill takes)."""
    return url.lower().startswith(_POSTGRES_SCHEMES)


def open_store(url: str | None, data_dir: Path, create: bool, learner: Callable[[], str]) -> Store:
    """The store at ``url`` (else the SQLite file in ``data_dir``), checked and migrated.

    Without ``create``, a store that does not exist yet is an ``EmptyStore`` and nothing is
    made: commands that only read leave a fresh machine (or an empty database) as it was.
    ``learner()`` is who runs the command: a store from before learners becomes theirs.
    """
    if url is not None:
        if not is_postgres_url(url):
            raise UsageError(
                "--store takes a postgresql:// (or postgres://) URL; without it drill uses the"
                " SQLite file in the data directory"
            )
        from drill.store.postgres import PostgresStore, describe

        opened = PostgresStore.open(url, create)
        return opened if opened is not None else EmptyStore(describe(url))
    from drill.store.sqlite import SqliteStore

    sqlite = SqliteStore.open(data_dir, create, learner)
    return sqlite if sqlite is not None else EmptyStore(str(data_dir))
