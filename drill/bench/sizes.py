"""How big and how often: the full run, and ``--quick`` for CI (well under a minute)."""

from __future__ import annotations

from dataclasses import dataclass

from drill.bench.synth import Layout


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
    """Answers in the stores of the main figures (stats, due counts, report, export)."""
    steps: tuple[int, ...]
    """Smaller stores measured for the rows that show how stats, due counts and the report
    grow with the answers kept (the main size is the last row)."""
    query_repeats: int
    export_repeats: int
    team_learners: int
    """Learners in the store of the report's main figure."""

    def one_learner(self, answers: int) -> Layout:
        """One learner's store of ``answers`` answers and a tenth as many card states: stats,
        due counts and export (at the main size: 100 decks of 1,000 cards)."""
        decks, cards = (100, 1_000) if answers >= 1_000_000 else (max(1, answers // 1_000), 100)
        states = decks * cards
        if answers < 1_000_000 and states * 10 != answers:
            decks, cards = 1, max(10, answers // 10)
        return Layout(answers, 1, decks, cards, decks, cards)

    def team(self, answers: int) -> Layout:
        """A team's store of ``answers`` answers: learners working on two decks of 100 cards
        each (of 20), a tenth as many card states as answers; ``team_learners`` at the main
        size, as many as keep that shape below it."""
        learners = self.team_learners if answers == self.store_answers else answers // 2_000
        learners = max(1, learners)
        states_each = max(10, min(100, answers // (20 * learners)))
        return Layout(answers, learners, 20, 100, 2, states_each)


FULL = Sizes(
    cold_repeats=21,
    tui_repeats=7,
    big_deck_cards=10_000,
    load_repeats=5,
    catalog_decks=100,
    catalog_cards=100,
    catalog_repeats=5,
    answers=2_000,
    session_repeats=5,
    store_answers=1_000_000,
    steps=(1_000, 10_000, 100_000),
    query_repeats=5,
    export_repeats=3,
    team_learners=500,
)
QUICK = Sizes(
    cold_repeats=3,
    tui_repeats=2,
    big_deck_cards=2_000,
    load_repeats=2,
    catalog_decks=20,
    catalog_cards=100,
    catalog_repeats=2,
    answers=200,
    session_repeats=1,
    store_answers=20_000,
    steps=(1_000,),
    query_repeats=2,
    export_repeats=1,
    team_learners=10,
)
