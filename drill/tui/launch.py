"""Where the commands enter the TUI: ``drill``, ``drill run DECK`` and ``drill breathe``.

Each function settles everything that can fail with a one-line error (the language, the store,
the session's first write) before the app starts, so a ``StoreError`` reaches the CLI as exit 2
with no screen drawn; then it runs the app and turns how it ended into the exit code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drill.tui import i18n

if TYPE_CHECKING:
    from drill.application import Application
    from drill.deck.discovery import Catalog
    from drill.deck.model import Deck
    from drill.session import Options
    from drill.tui.app import DrillApp


def _language(application: Application) -> None:
    i18n.set_language(i18n.resolve_language(application.language))


def _no_decks() -> Catalog:
    """``drill run`` and ``drill breathe`` never show the deck list."""
    raise AssertionError("no deck list here")


def _run(app: DrillApp) -> int:
    app.run()
    if app.failure is not None:
        raise app.failure
    return app.return_code or 0


def open_deck_list(application: Application) -> int:
    """``drill``: the deck list; sessions, stats and the pacer open from there."""
    _language(application)
    from drill.tui.app import DrillApp, Env
    from drill.tui.screens.deck_list import DeckListScreen

    store = application.learner_store(create=True)
    env = Env(store, application.clock, application.reload_catalog)
    ready = application.cached_catalog()  # a millisecond when every deck is in the cache
    return _run(DrillApp(env, lambda app: app.push_screen(DeckListScreen(env.load_catalog, ready))))


def run_session(application: Application, decks: list[Deck], options: Options) -> int:
    """``drill run DECK...``: one session, then its summary; exit 1 after a failed exam."""
    _language(application)
    from drill.session import Session
    from drill.tui.app import DrillApp, Env

    store = application.learner_store(create=options.save)
    env = Env(store, application.clock, _no_decks, standalone=True)
    if options.mode == "exam":  # the session starts after its setup screen
        return _run(DrillApp(env, lambda app: app.start_session(decks, options)))
    session = Session(decks, options, application.clock, store)
    return _run(DrillApp(env, lambda app: app.run_session(session)))


def breathe(application: Application, pattern: tuple[float, ...], cycles: int) -> int:
    """``drill breathe``: the pacer on its own; nothing is stored."""
    _language(application)
    from drill.store import EmptyStore
    from drill.tui.app import DrillApp, Env
    from drill.tui.screens.breathe import BreatheScreen

    env = Env(EmptyStore("").learner(""), application.clock, _no_decks, standalone=True)
    return _run(
        DrillApp(
            env, lambda app: app.push_screen(BreatheScreen(pattern, cycles), app.close_standalone)
        )
    )
