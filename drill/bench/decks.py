"""Reading decks: a large deck validated against PyYAML's C loader, and a catalog of decks
loaded a second time (through the load cache) against the first time; both in-process."""

from __future__ import annotations

import statistics
import time

from drill.bench import FIGURES, synth
from drill.bench.measure import Env, Figure, ratio_figure
from drill.bench.sizes import Sizes


def validate(env: Env, sizes: Sizes) -> Figure:
    """``load_file`` (what ``drill validate`` does per file: read, parse keeping every node's
    line and column, check) against ``yaml.load(text, Loader=yaml.CSafeLoader)``."""
    import yaml

    from drill.deck.loader import load_file

    path = synth.write_deck(env.root / "big", "big-deck", sizes.big_deck_cards)
    text = path.read_text(encoding="utf-8")
    result = load_file(str(path))
    assert result.deck is not None and len(result.deck.cards) == sizes.big_deck_cards
    ours, stock = [], []
    for _ in range(sizes.load_repeats):  # interleaved, so both see the same machine
        start = time.perf_counter()
        yaml.load(text, Loader=yaml.CSafeLoader)
        stock.append(time.perf_counter() - start)
        start = time.perf_counter()
        load_file(str(path))
        ours.append(time.perf_counter() - start)
    how = (
        f"best of {sizes.load_repeats}; {sizes.big_deck_cards:,} cards, "
        f"{len(text.encode()) / 1e6:.2f} MB; baseline yaml.load(text, Loader=CSafeLoader)"
    )
    return ratio_figure(FIGURES[5], min(ours), min(stock), 0.6, how)


def catalog(env: Env, sizes: Sizes) -> Figure:
    """``load_catalog`` through the deck cache: the second load against the first (each
    repeat with an empty cache), the decks read back equal to the decks parsed."""
    from drill.deck.cache import RECENT_S, DeckCache
    from drill.deck.discovery import load_catalog

    folder = env.root / "catalog"
    for n in range(sizes.catalog_decks):
        synth.write_deck(folder, f"deck-{n:03d}", sizes.catalog_cards)
    time.sleep(RECENT_S + 0.1)  # files just written are not cached (their ctime is too recent)
    firsts, seconds = [], []
    for repeat in range(sizes.catalog_repeats):
        data = env.root / f"catalog-home-{repeat}"
        data.mkdir()
        cache = DeckCache(data)
        start = time.perf_counter()
        parsed = load_catalog([folder], cache)
        firsts.append(time.perf_counter() - start)
        start = time.perf_counter()
        cached = load_catalog([folder], cache)
        seconds.append(time.perf_counter() - start)
        assert cached.decks == parsed.decks and len(cached.decks) == sizes.catalog_decks
    how = (
        f"median of {sizes.catalog_repeats}; {sizes.catalog_decks} decks of "
        f"{sizes.catalog_cards} cards; baseline the first load, empty cache"
    )
    return ratio_figure(FIGURES[6], statistics.median(seconds), statistics.median(firsts), 0.1, how)
