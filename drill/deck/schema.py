"""The JSON Schema of the deck format, for editors' YAML support (``drill schema``).

Built from the same field specs the loader reads with, so the two agree on every key, type and
range. What a schema cannot say (ids unique, an answer among the choices, tolerance only with a
numeric answer) only ``drill validate`` checks.
"""

from __future__ import annotations

from typing import Any

from drill.deck.fields import TEXT, mapping_schema
from drill.deck.loader import DECK_FIELDS

SCHEMA_ID = "https://drill.invalid/deck-format-1.schema.json"


def deck_schema() -> dict[str, Any]:
    """A draft-07 JSON Schema accepting the shapes of valid format-1 decks."""
    schema = mapping_schema(DECK_FIELDS)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "drill deck (format 1)",
        "description": "A deck of drill cards. See `drill validate` for the checks beyond shape.",
        **schema,
        "definitions": {
            "text": {
                "description": "Text. Unquoted numbers and yes/no/on/off stay the text written.",
                "type": ["string", "number", "boolean"],
                "pattern": r"\S",
                "maxLength": TEXT.max_length,
            }
        },
    }
