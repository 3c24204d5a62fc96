"""What several commands need from their arguments: the data directory, the store, the deck
search folders and the clock."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from drill.clock import Clock, parse_instant
from drill.datadir import data_dir, user_decks_dir
from drill.errors import UsageError
from drill.store import Store

if TYPE_CHECKING:
    from drill.deck.cache import DeckCache


def data_path(args: argparse.Namespace) -> Path:
    """The data directory for this invocation."""
    return data_dir(getattr(args, "data_dir", None))


def open_store(args: argparse.Namespace, create: bool) -> Store | None:
    """The store; without ``create``, None on a machine that has none yet (nothing is made)."""
    return Store.open(data_path(args), create=create)


def folders(args: argparse.Namespace) -> list[Path]:
    """Deck search folders: ``$DRILL_DECKS``, the user decks folder, the bundled decks."""
    from drill.deck.discovery import search_folders  # the deck loader: not needed to open a store

    return search_folders(user_decks_dir(data_path(args)))


def deck_cache(args: argparse.Namespace) -> DeckCache:
    """The deck load cache in the data directory (``drill validate`` does without it)."""
    from drill.deck.cache import DeckCache

    return DeckCache(data_path(args))


def start_instant(args: argparse.Namespace) -> datetime | None:
    """``--now`` parsed, or None for the real time."""
    text = getattr(args, "now", None)
    if text is None:
        return None
    try:
        return parse_instant(text)
    except ValueError:
        raise UsageError(f"--now {text!r} is not an ISO 8601 date and time") from None


def clock(args: argparse.Namespace) -> Clock:
    """The session clock, starting at ``--now`` when given."""
    return Clock(start_instant(args))
