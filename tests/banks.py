"""Helpers shared by the import and xAPI tests: the bank fixtures and reading a deck back."""

from __future__ import annotations

from pathlib import Path

from drill.deck.loader import load_text

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"
DOCS = FIXTURES / "docs.gift"
"""Every construct of Moodle's GIFT documentation, one named question each."""
BANK_XML = FIXTURES / "bank.xml"
"""One question of each type Moodle XML exports."""


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of ``path`` where ``needle`` first appears."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def deck_of(text: str) -> dict:
    """The cards of an imported deck's YAML, by id, as drill's own loader reads them."""
    result = load_text(text, "imported.yaml")
    assert result.problems == (), result.problems
    assert result.deck is not None
    return {card.id: card for card in result.deck.cards}
