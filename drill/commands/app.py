"""``drill`` with no command: the TUI, starting on the deck list."""

from __future__ import annotations

import argparse

from drill.application import Application


def main(app: Application, args: argparse.Namespace) -> int:
    from drill.tui.launch import open_deck_list

    return open_deck_list(app)
