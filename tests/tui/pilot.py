"""Driving the app the way a trainee does: keys, clicks, and the clock moving on."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from drill.clock import ManualClock
from drill.deck.model import ChoiceCard, OrderCard
from drill.tui.app import DrillApp


def screen(pilot: Pilot) -> str:
    """The class name of the screen on top."""
    return type(pilot.app.screen).__name__


async def wait(pilot: Pilot, seconds: float, clock: ManualClock) -> None:
    """Let ``seconds`` pass on the session clock, then let the app notice (one tick)."""
    clock.advance(seconds)
    app = pilot.app
    assert isinstance(app, DrillApp)
    app.tick()
    await pilot.pause()


def letters_for(pilot: Pilot, texts: set[str]) -> list[str]:
    """The keys that pick the choices with ``texts`` on the card on screen."""
    shown = pilot.app.screen.shown  # type: ignore[attr-defined]
    assert isinstance(shown.card, ChoiceCard)
    return [chr(ord("a") + p) for p, c in enumerate(shown.choices) if c.text in texts]


async def put_in_order(pilot: Pilot) -> None:
    """Move the steps of the order card on screen into the right order, with the keyboard."""
    shown = pilot.app.screen.shown  # type: ignore[attr-defined]
    assert isinstance(shown.card, OrderCard)
    arrangement = list(shown.order)  # deck indexes of the steps, as the widget shows them
    cursor = 0
    for target in range(len(arrangement)):
        place = arrangement.index(target)
        key = "down" if place > cursor else "up"
        await pilot.press(*[key] * abs(place - cursor))
        await pilot.press(*["shift+up"] * (place - target))
        arrangement.insert(target, arrangement.pop(place))
        cursor = target


async def decks_loaded(pilot: Pilot) -> None:
    """Wait until the deck list has read its deck files (in a worker started after the first
    frame) and filled its table: no sleeping, only the app's own events."""
    screen = pilot.app.screen
    for _turn in range(1000):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        if getattr(screen, "catalog", None) is not None:
            await pilot.pause()
            return
    raise AssertionError("the deck list never loaded")


async def answer_right(pilot: Pilot) -> None:
    """Answer the card on screen rightly, with the keys a trainee would press."""
    from drill.deck.model import Flashcard, TypedCard
    from drill.grading import expected

    shown = pilot.app.screen.shown  # type: ignore[attr-defined]
    card = shown.card
    if isinstance(card, Flashcard):
        await pilot.press("space", "4")
    elif isinstance(card, TypedCard):
        await pilot.press(*str(expected(card)), "enter")
    elif isinstance(card, OrderCard):
        await put_in_order(pilot)
        await pilot.press("enter")
    else:
        assert isinstance(card, ChoiceCard)
        right = expected(card)
        await pilot.press(*letters_for(pilot, set(right if isinstance(right, list) else [right])))
        await pilot.press("enter")


async def keys_together(pilot: Pilot, keys: list[str], until: Callable[[], bool]) -> None:
    """``keys`` arriving together, as a terminal read hands them over in one go (typing over a
    slow link, keys a script sends): every one queued before the app handles the first. Then
    wait, turn by turn of the app's own events (no sleeping), until ``until()`` holds."""
    from textual import events

    characters = {"backspace": "\x7f", "enter": "\r"}
    for key in keys:
        pilot.app.post_message(events.Key(key, characters.get(key, key)))
    for _turn in range(200):
        await pilot.pause()
        if until():
            return
    raise AssertionError(f"the app never got there after {keys}")
