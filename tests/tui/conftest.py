"""Fixtures for the TUI: the app built on a real store in a private data directory, a
``ManualClock`` as the only fake, and helpers to read what a session stored."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from storehelp import query, sqlite_store

from drill.clock import ManualClock
from drill.deck.discovery import Catalog
from drill.deck.loader import load_file
from drill.deck.model import Deck
from drill.session import Options, Session
from drill.store import LearnerStore
from drill.tui import i18n
from drill.tui.app import DrillApp, Env

HERE = Path(__file__).resolve().parent
DECKS = HERE / "decks"
NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def deck(name: str) -> Deck:
    """A fixture deck of ``tests/tui/decks`` by file stem."""
    result = load_file(str(DECKS / f"{name}.yaml"))
    assert result.deck is not None, result.problems
    return result.deck


def only(card_type: str) -> Deck:
    """The mixed fixture deck cut down to its cards of one type."""
    mixed = deck("tui-mixed")
    cards = tuple(c for c in mixed.cards if c.type == card_type)
    if dataclasses.is_dataclass(mixed):
        return dataclasses.replace(mixed, cards=cards)
    return mixed._replace(cards=cards)  # a NamedTuple


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test starts in English and leaves the language as it found it."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LearnerStore]:
    opened = sqlite_store(tmp_path / "home")
    assert opened is not None
    yield opened
    opened.close()


@pytest.fixture
def session_app(store: LearnerStore, clock: ManualClock) -> Callable[..., DrillApp]:
    """``drill run``'s app over decks: ``session_app([deck("tui-mixed")], mode="drill")``."""

    def make(decks: Sequence[Deck], **options: object) -> DrillApp:
        options.setdefault("seed", 7)
        session = Session(decks, Options(**options), clock, store)  # type: ignore[arg-type]
        env = Env(store, clock, Catalog, standalone=True)
        return DrillApp(env, lambda app: app.run_session(session))

    return make


@pytest.fixture
def list_app(store: LearnerStore, clock: ManualClock) -> Callable[..., DrillApp]:
    """``drill``'s app over the given deck folders."""

    def make(*folders: Path) -> DrillApp:
        from drill.deck.discovery import load_catalog
        from drill.tui.screens.deck_list import DeckListScreen

        env = Env(store, clock, lambda: load_catalog(folders))
        return DrillApp(env, lambda app: app.push_screen(DeckListScreen(env.load_catalog)))

    return make


def answers(store: LearnerStore) -> list[tuple]:
    """Every stored answer: (card, correct, rating, timed_out, answer), oldest first."""
    return query(store, "SELECT card, correct, rating, timed_out, answer FROM answers ORDER BY id")


def sessions(store: LearnerStore) -> list[tuple]:
    """Every stored session: (mode, ended_at is set, passed)."""
    return [
        (mode, ended is not None, passed)
        for mode, ended, passed in query(
            store, "SELECT mode, ended_at, passed FROM sessions ORDER BY rowid"
        )
    ]


def db_rows(home: Path, sql: str) -> list[tuple]:
    """Rows read through a fresh connection: what another process would see."""
    with sqlite3.connect(home / "drill.sqlite3") as conn:
        return conn.execute(sql).fetchall()
