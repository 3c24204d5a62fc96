"""The application object: what every command, the headless runner and the TUI share.

The CLI builds one ``Application`` from its options and hands it on, so where the store is, who
is drilling, what the clock says and where decks are found are decided once, in one place, and
no front end reads command-line options or environment variables itself. Everything costly
(the store, the deck catalog, ``platformdirs``) is opened on first use: ``drill validate`` pays
for none of it, and a command that only reads never creates a store.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from drill.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from drill.clock import Clock
    from drill.deck.cache import DeckCache
    from drill.deck.discovery import Catalog
    from drill.deck.model import Deck
    from drill.store import LearnerStore, Store

MAX_LEARNER_CHARS = 64


def learner_name(text: str, source: str = "--learner") -> str:
    """A learner's name as stored: trimmed and NFKC-normalised, 1-64 printable characters
    (SPEC 7: Chinese names are ordinary; control characters, or nothing, are not names)."""
    name = unicodedata.normalize("NFKC", text).strip()
    if not name:
        raise UsageError(f"{source}: a learner's name cannot be empty")
    if len(name) > MAX_LEARNER_CHARS:
        raise UsageError(f"{source}: a learner's name has at most {MAX_LEARNER_CHARS} characters")
    if not name.isprintable():
        raise UsageError(
            f"{source}: a learner's name must be printable text (no control characters)"
        )
    return name


def default_learner() -> str:
    """``$DRILL_LEARNER``, else the operating system's login name."""
    env = os.environ.get("DRILL_LEARNER")
    if env:
        return learner_name(env, "$DRILL_LEARNER")
    import getpass

    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        raise UsageError(
            "cannot tell who is drilling: give --learner NAME or set $DRILL_LEARNER"
        ) from None
    return learner_name(login, "the login name")


class Application:
    """One invocation's settings and the resources they lead to, opened when first needed."""

    def __init__(
        self,
        *,
        data_dir: str | None = None,
        store_url: str | None = None,
        learner: str | None = None,
        now: datetime | None = None,
        language: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._data_dir_flag = data_dir
        self.store_url = store_url if store_url else (os.environ.get("DRILL_STORE") or None)
        """A PostgreSQL URL, or None for the SQLite file in the data directory."""
        self._learner = None if learner is None else learner_name(learner)
        self._clock = clock
        self._now = now
        self.now_given = now is not None
        """Whether ``--now`` fixed the clock (scripts), rather than the real time."""
        self.language = language
        """``--lang`` as given (the TUI resolves it against the locale)."""
        self._data_dir: Path | None = None
        self._store: Store | None = None
        self._store_creates = False
        self._catalog: Catalog | None = None

    @property
    def clock(self) -> Clock:
        """What time it is: ``--now`` (advancing from there), else the real time. Made on first
        use (``drill validate`` never asks, and so never imports ``datetime``)."""
        if self._clock is None:
            from drill.clock import Clock

            self._clock = Clock(self._now)
        return self._clock

    # --- who and where -----------------------------------------------------------------------

    @property
    def learner(self) -> str:
        """Who is drilling: ``--learner``, else ``$DRILL_LEARNER``, else the login name."""
        if self._learner is None:
            self._learner = default_learner()
        return self._learner

    @property
    def data_dir(self) -> Path:
        """``--data-dir``, else ``$DRILL_HOME``, else the platform's user data directory."""
        if self._data_dir is None:
            from drill.datadir import data_dir

            self._data_dir = data_dir(self._data_dir_flag)
        return self._data_dir

    # --- the store ---------------------------------------------------------------------------

    def store(self, create: bool = False) -> Store:
        """The store, opened (checked and migrated) on first use and kept open.

        Without ``create`` a store that does not exist yet is an empty one and nothing is
        made; with it, the store is created if need be (a command about to write)."""
        from drill.store import EmptyStore, open_store

        if self._store is not None and (self._store_creates or not create):
            return self._store
        if self._store is not None and not isinstance(self._store, EmptyStore):
            return self._store
        self._store = open_store(self.store_url, self.data_dir, create, lambda: self.learner)
        self._store_creates = create
        return self._store

    def learner_store(self, create: bool = False) -> LearnerStore:
        """The store as the learner drilling sees it."""
        return self.store(create).learner(self.learner)

    def close(self) -> None:
        """Close the store if it was opened (answers are already committed, one by one)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    # --- decks -------------------------------------------------------------------------------

    def deck_folders(self) -> list[Path]:
        """Deck search folders: ``$DRILL_DECKS``, the user decks folder, the bundled decks."""
        from drill.datadir import user_decks_dir
        from drill.deck.discovery import search_folders

        return search_folders(user_decks_dir(self.data_dir))

    def deck_cache(self) -> DeckCache:
        """The deck load cache in the data directory."""
        from drill.deck.cache import DeckCache

        return DeckCache(self.data_dir)

    def catalog(self) -> Catalog:
        """Every deck found in the search folders (read once per invocation)."""
        if self._catalog is None:
            from drill.deck.discovery import load_catalog

            self._catalog = load_catalog(self.deck_folders(), self.deck_cache())
        return self._catalog

    def cached_catalog(self) -> Catalog | None:
        """Every deck found, if all are in the deck cache as they are now (read in a moment,
        nothing parsed); else None. Kept as the catalog when found."""
        if self._catalog is None:
            from drill.deck.discovery import cached_catalog

            self._catalog = cached_catalog(self.deck_folders(), self.deck_cache())
        return self._catalog

    def reload_catalog(self) -> Catalog:
        """The deck folders read again (the TUI's deck list, after a trainer edits a deck)."""
        self._catalog = None
        return self.catalog()

    def resolve(self, names: Sequence[str]) -> tuple[list[Deck], list[str]]:
        """Decks named on the command line (files, folders or ids), with any warnings."""
        from drill.deck.discovery import resolve

        return resolve(list(names), self.deck_folders(), self.deck_cache())
