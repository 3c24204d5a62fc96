"""The deck load cache: a deck read back from it is the deck parsed from its file, and an edit,
a damaged entry or a data directory that cannot be written never gives a stale or failed load."""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path

import pytest

from drill.deck import cache as cache_module
from drill.deck.cache import DeckCache
from drill.deck.discovery import bundled_decks_dir, deck_files
from drill.deck.loader import LoadResult, load_file


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files this test just wrote count as settled, so they are cached without a wait."""
    monkeypatch.setattr(cache_module, "RECENT_S", 0.0)


@pytest.fixture
def cache(tmp_path: Path) -> DeckCache:
    home = tmp_path / "home"
    home.mkdir()
    return DeckCache(home)


def entries(cache: DeckCache) -> list[Path]:
    return sorted(cache.directory.glob("*.deck"))


def cached_only(monkeypatch: pytest.MonkeyPatch, cache: DeckCache, path: str) -> LoadResult:
    """``cache.load(path)`` with parsing made impossible: it must come from the cache."""
    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "load_file", lambda _: pytest.fail("parsed, not cached"))
        return cache.load(path)


def same(a: LoadResult, b: LoadResult) -> bool:
    """Equal values of the same classes (named tuples alone would compare as plain tuples)."""
    return a == b and repr(a) == repr(b)


def test_every_bundled_deck_reads_back_equal(cache, monkeypatch, settled):
    paths = deck_files(bundled_decks_dir())
    assert paths
    for path in paths:
        parsed = cache.load(path)
        assert parsed.deck is not None, parsed.problems
        assert same(cached_only(monkeypatch, cache, path), load_file(path))
    assert len(entries(cache)) == len(paths)


def test_a_deck_with_every_card_type_reads_back_equal(cache, sample_deck, monkeypatch, settled):
    cache.load(str(sample_deck))
    back = cached_only(monkeypatch, cache, str(sample_deck))
    assert same(back, load_file(str(sample_deck)))
    assert {card.type for card in back.deck.cards} == {
        "flashcard", "choice", "order", "typed", "breathing"
    }  # fmt: skip


def test_a_broken_deck_is_kept_with_its_problems(cache, write_deck, monkeypatch, settled):
    path = str(write_deck("id: broken\ntitle: Broken\ncards:\n  - front: Only a front\n"))
    parsed = cache.load(path)
    assert parsed.deck is None and parsed.problems
    assert same(cached_only(monkeypatch, cache, path), parsed)


def test_an_edit_is_seen_even_with_the_same_size_and_modification_time(cache, write_deck, settled):
    path = write_deck("id: edited\ntitle: Before\ncards:\n  - front: F\n    back: B\n")
    assert cache.load(str(path)).deck.title == "Before"
    stat = path.stat()
    path.write_text(path.read_text().replace("Before", "Behind"))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the old mtime back
    assert path.stat().st_size == stat.st_size
    assert cache.load(str(path)).deck.title == "Behind"


def test_a_file_changed_just_now_is_loaded_but_not_kept(cache, sample_deck):
    assert cache.load(str(sample_deck)).deck is not None
    assert entries(cache) == []


def flip_a_bit_in(data: bytes, text: bytes) -> bytes:
    at = data.index(text) + 1
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: b"not a cache entry at all",
        lambda data: flip_a_bit_in(data, b"Sample deck"),  # a deck no less valid, but wrong
    ],
    ids=["empty", "truncated", "garbage", "bit-flip"],
)
def test_a_damaged_entry_is_ignored_and_rewritten(cache, sample_deck, monkeypatch, settled, damage):
    good = cache.load(str(sample_deck))
    (entry,) = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    assert same(cache.load(str(sample_deck)), good)
    assert same(cached_only(monkeypatch, cache, str(sample_deck)), good)


def test_an_entry_with_a_valid_checksum_but_nonsense_inside_is_ignored(cache, sample_deck, settled):
    good = cache.load(str(sample_deck))
    (entry,) = entries(cache)
    data = entry.read_bytes()
    magic = data[: data.index(b"\n") + 1]
    key, _ = marshal.loads(data[len(magic) + 4 :])
    for packed in [(("too", "few"), ()), ((None,) * 8, ()), "not a tuple", (None, (("a",),))]:
        body = marshal.dumps((key, packed))
        entry.write_bytes(magic + zlib.crc32(body).to_bytes(4, "big") + body)
        assert same(cache.load(str(sample_deck)), good)


def test_a_data_dir_that_cannot_be_written_still_loads(tmp_path, sample_deck, settled):
    home = tmp_path / "home"
    home.mkdir()
    (home / "cache").write_text("a file where the cache folder would go")
    result = DeckCache(home).load(str(sample_deck))
    assert same(result, load_file(str(sample_deck)))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_data_dir_still_loads(tmp_path, sample_deck, settled):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    try:
        result = DeckCache(home).load(str(sample_deck))
    finally:
        home.chmod(0o755)
    assert same(result, load_file(str(sample_deck)))
    assert not (home / "cache").exists()


def test_no_data_dir_is_created_for_the_cache(tmp_path, sample_deck, settled):
    home = tmp_path / "not-yet"
    assert DeckCache(home).load(str(sample_deck)).deck is not None
    assert not home.exists()


def test_validate_always_reads_the_files(drill, home):
    """``drill decks`` keeps the bundled decks in the cache; ``drill validate`` never does."""
    home.mkdir()
    assert drill("validate", str(bundled_decks_dir())).code == 0
    assert not (home / "cache").exists()
    assert drill("decks", "--json").code == 0
    assert list((home / "cache" / "decks").glob("*.deck"))
