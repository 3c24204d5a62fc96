"""How big and how often: the full run, and ``--quick`` for CI (well under a minute)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    cold_repeats: int
    tui_repeats: int
    big_deck_cards: int
    load_repeats: int
    catalog_decks: int
    catalog_cards: int
    catalog_repeats: int
    answers: int
    session_repeats: int
    store_answers: int
    store_decks: int
    store_cards: int
    query_repeats: int
    export_repeats: int


FULL = Sizes(
    cold_repeats=21,
    tui_repeats=5,
    big_deck_cards=10_000,
    load_repeats=5,
    catalog_decks=100,
    catalog_cards=100,
    catalog_repeats=5,
    answers=2_000,
    session_repeats=5,
    store_answers=1_000_000,
    store_decks=100,
    store_cards=1_000,
    query_repeats=5,
    export_repeats=3,
)
QUICK = Sizes(
    cold_repeats=5,
    tui_repeats=2,
    big_deck_cards=2_000,
    load_repeats=2,
    catalog_decks=20,
    catalog_cards=100,
    catalog_repeats=2,
    answers=300,
    session_repeats=2,
    store_answers=50_000,
    store_decks=10,
    store_cards=500,
    query_repeats=2,
    export_repeats=1,
)
