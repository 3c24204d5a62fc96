"""Run by the benchmark in a child process: ``drill``'s deck list, drawn headless, exits at
its first frame (``frame``) or once the decks are listed (``filled``).

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

        launch.open_deck_list  # noqa: B018 - the entry point the benchmark relies on
    except (ImportError, AttributeError) as exc:
        print(f"drill.tui.launch.open_deck_list: {exc}")
        return NOT_AVAILABLE
    if not hasattr(launch, "_run"):
        print("drill.tui.launch has no _run(app) to drive headless")
        return NOT_AVAILABLE

    async def drive(app: Any) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            if until == "filled":
                await app.workers.wait_for_complete()
                await pilot.pause()
                print(f"{peak_mb():.2f}")
            sys.stdout.flush()
            os._exit(0)  # now: the time measured ends at the frame, not after teardown

    # The benchmark replaces how the app is run (headless, ending at the first frame); it
    # returns no exit code, which open_deck_list then never gets to use.
    launch._run = lambda app: asyncio.run(drive(app))  # type: ignore[assignment,return-value]
    from drill.application import Application

    return launch.open_deck_list(Application(language="en"))


if __name__ == "__main__":
    raise SystemExit(main())
