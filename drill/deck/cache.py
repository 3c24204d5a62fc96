"""The deck load cache: a deck file read once is not parsed again until it changes.

``drill decks``, ``drill stats`` and ``drill run`` load every deck they may need on each start;
parsing YAML is most of that. Each loaded file's result (its deck, or its problems) is kept in
``<data dir>/cache/decks/`` and reused while the file is unchanged, which is judged by its path,
size, modification and change times (to the nanosecond), inode and device, and by the drill code
that loaded it. ``drill validate`` never uses it: a check always reads the file.

Safe against edits: the file's identity is taken before it is read, so a change made while it
is read leaves a key the next look-up does not match; and a file changed within the last
``RECENT_S`` seconds is not kept at all, because a second edit in the same tick of the file
system's clock could leave size and times as they were. ``ctime`` cannot be set by a user, so
an edit that restores the old size and modification time still misses.

Never fatal: an entry that cannot be read, is truncated, corrupt or from another version is
ignored and rewritten; a data directory that cannot be written is simply not written to (and is
never created just for the cache: commands that only read create nothing). Entries are written
to a temporary name and renamed, so a reader never sees half an entry, and carry a checksum.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Final

from drill import __version__
from drill.deck.model import (
    CARD_CLASSES,
    CARD_TYPES,
    CallCard,
    Card,
    Cards,
    Choice,
    ChoiceCard,
    Deck,
    Reply,
    Turn,
)
from drill.deck.result import LoadResult, gc_paused
from drill.errors import Problem

FORMAT: Final = 3
"""Bumped whenever the layout of an entry changes (2: call cards, with turns and replies;
3: the cards marshalled apart, after their count, graded ids and fingerprint)."""
RECENT_S: Final = 2.0
"""A file modified more recently than this is loaded but not kept (see the module docstring)."""
_MAGIC: Final = b"drill deck cache\n"
_CLASS_OF: Final = dict(zip(CARD_TYPES, CARD_CLASSES, strict=True))


class DeckCache:
    """Loads deck files through the cache kept in ``data_dir`` (see the module docstring)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.directory = data_dir / "cache" / "decks"
        self._code = _code_stamp()

    def cached(self, path: str) -> LoadResult | None:
        """What ``load(path)`` would return, if it is in the cache; None (and nothing read but
        the entry) if the file would have to be parsed."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return _read(self._entry(path), self._key(path, stat))

    def load(self, path: str) -> LoadResult:
        """``load_file(path)``, from the cache when the file is unchanged since it was kept."""
        try:
            stat = os.stat(path)
        except OSError:
            return load_file(path)  # reports the file as unreadable
        key = self._key(path, stat)
        entry = self._entry(path)
        cached = _read(entry, key)
        if cached is not None:
            return cached
        result = load_file(path)
        recent = time.time() - max(stat.st_mtime, stat.st_ctime) < RECENT_S
        if not result.unreadable and not recent:
            self._write(entry, key, result)
        return result

    def _key(self, path: str, stat: os.stat_result) -> tuple[Any, ...]:
        """What an entry must match: the file's identity as it is now, and this code's."""
        return (FORMAT, self._code, path, os.path.abspath(path), stat.st_size,
                stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)  # fmt: skip

    def _entry(self, path: str) -> Path:
        return self.directory / f"{zlib.crc32(os.fsencode(os.path.abspath(path))):08x}.deck"

    def _write(self, entry: Path, key: tuple[Any, ...], result: LoadResult) -> None:
        """Keep ``result`` under ``key``; quietly gives up when the cache cannot be written."""
        if not os.path.isdir(self.data_dir):  # Path.is_dir raises for a name too long
            return  # never create the data directory just for the cache
        body = marshal.dumps((key, _pack(result)))
        temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as handle:
                handle.write(_MAGIC + _checksum(body) + body)
            os.replace(temp, entry)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()


def load_file(path: str) -> LoadResult:
    """``drill.deck.loader.load_file``, imported only when a file has to be read."""
    from drill.deck import loader

    return loader.load_file(path)


_CODE: Final = ("calls", "cards", "fields", "loader", "model", "result", "yamltree", "cache")
"""The modules of ``drill.deck`` whose code decides what a loaded deck is."""


def _code_stamp() -> tuple[object, ...]:
    """What identifies the code that loads decks: a cached result is only as good as it. The
    modules' files are looked at, not imported (a cache hit needs no loader)."""
    here = os.path.dirname(os.path.abspath(__file__))
    stamps: list[object] = [__version__, sys.version_info[:2]]
    for name in _CODE:
        with contextlib.suppress(OSError):
            stat = os.stat(os.path.join(here, f"{name}.py"))
            stamps.append((stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def _read(entry: Path, key: tuple[Any, ...]) -> LoadResult | None:
    """The result kept in ``entry`` for ``key``; None when absent, stale or unusable."""
    try:
        with open(entry, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    body = data[len(_MAGIC) + 4 :]
    if not data.startswith(_MAGIC) or data[len(_MAGIC) : len(_MAGIC) + 4] != _checksum(body):
        return None
    try:
        with gc_paused():
            stored_key, packed = marshal.loads(body)
            if stored_key != key:
                return None
            return _unpack(key[2], packed)
    except (ValueError, TypeError, EOFError, IndexError, KeyError):
        return None


def _checksum(body: bytes) -> bytes:
    return zlib.crc32(body).to_bytes(4, "big")


def _pack(result: LoadResult) -> tuple[Any, ...]:
    """``result`` as plain tuples, which ``marshal`` writes (it refuses named tuples)."""
    deck = result.deck
    if deck is None:
        return (None, tuple((p.line, p.col, p.message) for p in result.problems))
    fields: list[Any] = list(deck)
    cards = tuple(_pack_card(card) for card in deck.cards)
    fields[_CARDS_AT] = (len(cards), deck.graded_ids, deck.card_set, marshal.dumps(cards))
    return (tuple(fields), ())


def _pack_card(card: Card) -> tuple[Any, ...]:
    fields: list[Any] = list(card)
    if isinstance(card, ChoiceCard):
        fields[_CHOICES_AT] = tuple(tuple(choice) for choice in card.choices)
    elif isinstance(card, CallCard):
        fields[_TURNS_AT] = tuple(
            (turn.id, turn.customer, tuple(tuple(reply) for reply in turn.replies))
            for turn in card.turns
        )
    return (card.type, *fields)


# Unpacking builds the named tuples with ``tuple.__new__`` (what ``_make`` does, without a
# Python call per object): a catalog of 100,000 cards is read back in a fraction of the time.
_new = tuple.__new__
_CHOICES_AT: Final = ChoiceCard._fields.index("choices")
_TURNS_AT: Final = CallCard._fields.index("turns")
_REPLIES_AT: Final = Turn._fields.index("replies")
_CARDS_AT: Final = Deck._fields.index("cards")
_SIZE_OF: Final = {cls: len(cls._fields) for cls in (*CARD_CLASSES, Deck, Choice, Turn, Reply)}


def _unpack(path: str, packed: tuple[Any, ...]) -> LoadResult:
    """The result kept in an entry. A deck's cards are marshalled apart from the rest and
    built only when first used (``Cards.deferred``): their count, graded ids and fingerprint
    are read now. The whole entry passed its checksum, so building them later cannot fail on
    a damaged entry."""
    deck_fields, problems = packed
    if deck_fields is None:
        return LoadResult(path, None, tuple(Problem(path, *p) for p in problems))
    count, graded_ids, card_set, blob = deck_fields[_CARDS_AT]
    if not (isinstance(count, int) and isinstance(blob, bytes) and isinstance(card_set, int)):
        raise ValueError("not a deck cache entry of this format")
    fields = list(deck_fields)
    fields[_CARDS_AT] = Cards.deferred(count, tuple(graded_ids), card_set, lambda: _cards(blob))
    return LoadResult(path, _checked(Deck, fields), ())


def _cards(blob: bytes) -> tuple[Card, ...]:
    with gc_paused():
        return tuple([_unpack_card(card) for card in marshal.loads(blob)])


def _unpack_card(packed: tuple[Any, ...]) -> Card:
    cls = _CLASS_OF[packed[0]]
    fields = packed[1:]
    if cls is ChoiceCard:
        choices = tuple([_checked(Choice, choice) for choice in fields[_CHOICES_AT]])
        fields = (*fields[:_CHOICES_AT], choices, *fields[_CHOICES_AT + 1 :])
    elif cls is CallCard:
        turns = tuple([_unpack_turn(turn) for turn in fields[_TURNS_AT]])
        fields = (*fields[:_TURNS_AT], turns, *fields[_TURNS_AT + 1 :])
    card: Card = _checked(cls, fields)
    return card


def _unpack_turn(packed: Any) -> Turn:
    replies = tuple([_checked(Reply, reply) for reply in packed[_REPLIES_AT]])
    turn: Turn = _checked(Turn, (*packed[:_REPLIES_AT], replies, *packed[_REPLIES_AT + 1 :]))
    return turn


def _checked(cls: type[Any], fields: Any) -> Any:
    """``cls`` of ``fields``; ValueError (an unusable entry) when their number is wrong."""
    if len(fields) != _SIZE_OF[cls]:
        raise ValueError(f"{cls.__name__} of {len(fields)} fields")
    return _new(cls, fields)
