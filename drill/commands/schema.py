"""``drill schema``: the deck format's JSON Schema on stdout."""

from __future__ import annotations

import argparse
import json

from drill.application import Application
from drill.deck.schema import deck_schema


def main(app: Application, args: argparse.Namespace) -> int:
    print(json.dumps(deck_schema(), indent=2, ensure_ascii=False))
    return 0
