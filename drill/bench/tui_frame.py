"""Run by the benchmark in a child process: ``drill``'s deck list, drawn headless, exits when
its first frame has been drawn (``frame``: the list's title, columns and keys), when the first
frame showing the decks found has been drawn (``listed``), when the app first falls idle after
start (``idle``: also waiting out the frames that follow, such as the clock tick every 0.1 s),
or once the decks are listed and every worker is done (``filled``, which prints the peak
memory).

The deck list opens exactly as ``drill`` opens it (``drill.tui.launch.open_deck_list``), except
that the app runs under Textual's test harness (``App.run_test``: no terminal needed) instead
of ``App.run``. Exits with ``startup.NOT_AVAILABLE`` and a reason when the TUI cannot be run.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

from drill.bench.peak import peak_mb

NOT_AVAILABLE = 3


def main() -> int:
    until = sys.argv[1]
    try:
        from drill.tui import launch
        from drill.tui.screens.deck_list import DeckListScreen

        launch.open_deck_list  # noqa: B018 - the entry point the benchmark relies on
        from textual.app import App

        App._display  # noqa: B018 - where a frame is handed to the terminal
    except (ImportError, AttributeError) as exc:
        print(f"drill.tui: {exc}")
        return NOT_AVAILABLE
    if not hasattr(launch, "_run"):
        print("drill.tui.launch has no _run(app) to drive headless")
        return NOT_AVAILABLE
    from textual.app import App
    from textual.widgets._footer import FooterKey

    from drill.tui.widgets.deck_table import DeckTable

    display, render_lines = App._display, DeckTable.render_lines
    rows_drawn = False

    def drawn_rows(table: Any, crop: Any) -> Any:
        nonlocal rows_drawn
        lines = render_lines(table, crop)
        rows_drawn = rows_drawn or table.row_count > 0
        return lines

    def displayed(app: Any, screen: Any, update: Any) -> None:
        """A frame handed to the terminal (Textual's one place for it): the end of the time
        measured, for ``frame`` the first of the deck list, for ``listed`` the first with its
        decks' rows drawn and its keys."""
        display(app, screen, update)
        if isinstance(screen, DeckListScreen) and (
            until == "frame" or (until == "listed" and rows_drawn and screen.query(FooterKey))
        ):
            os._exit(0)

    App._display = displayed  # type: ignore[method-assign,assignment]
    DeckTable.render_lines = drawn_rows  # type: ignore[method-assign,assignment]

    async def drive(app: Any) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            if until == "filled":
                await app.workers.wait_for_complete()
                await pilot.pause()
                print(f"{peak_mb():.2f}")
            sys.stdout.flush()
            os._exit(0)  # now: the time measured ends here, not after teardown

    # The benchmark replaces how the app is run (headless, ending at the first frame); it
    # returns no exit code, which open_deck_list then never gets to use.
    launch._run = lambda app: asyncio.run(drive(app))  # type: ignore[assignment,return-value]
    from drill.application import Application

    return launch.open_deck_list(Application(language="en"))


if __name__ == "__main__":
    raise SystemExit(main())
