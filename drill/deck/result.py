"""What loading a deck file gives back, apart from the loader that makes it.

The deck load cache and the catalog hand these out without parsing anything when every deck
file is cached, so they do not import the loader (and with it the deck format's field
definitions and PyYAML's parser) until a file has to be read.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Final, NamedTuple

from drill.deck.model import Deck
from drill.errors import Problem

DECK_ID_PATTERN: Final = r"[a-z0-9][a-z0-9-]{0,63}"
"""What a deck id may be (SPEC 1)."""


class LoadResult(NamedTuple):
    """A deck, or why there is none. ``unreadable`` marks a file that could not be read at all."""

    path: str
    deck: Deck | None
    problems: tuple[Problem, ...]
    unreadable: bool = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a deck is built.

    A deck's tree and cards are many objects that all stay alive and hold no cycles, so the
    collector would walk the growing heap every few hundred allocations and free nothing: for a
    large deck that is a quarter of the load time, and half of reading one back from the cache.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
