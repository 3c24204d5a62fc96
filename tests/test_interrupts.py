"""Ctrl-C or SIGTERM during a store write waits for the write (``drill.interrupts``): on either
store, the answer in flight is stored whole, the session still closes, and the run ends with
its summary."""

from __future__ import annotations

import io
import json
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from drill import headless
from drill.clock import ManualClock
from drill.deck.loader import load_text
from drill.interrupts import Interrupts
from drill.session import Options, Session
from drill.store import LearnerStore, Scope, open_store

DECK = "id: d\ntitle: D\ncards:\n" + "".join(
    f"  - {{id: c{i}, prompt: Q{i}, answer: a{i}}}\n" for i in range(5)
)


@pytest.fixture
def interrupts() -> Iterator[Interrupts]:
    handlers = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    installed = Interrupts()
    installed.install()
    yield installed
    signal.signal(signal.SIGINT, handlers[0])
    signal.signal(signal.SIGTERM, handlers[1])


def test_a_signal_in_a_held_section_is_raised_when_it_ends(interrupts: Interrupts):
    finished = []
    with pytest.raises(KeyboardInterrupt), interrupts.held():
        signal.raise_signal(signal.SIGTERM)
        finished.append("the whole block ran")
    assert finished == ["the whole block ran"]
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)  # outside a held section: at once


class SignalledMidWrite(LearnerStore):
    """A real store view whose third answer is interrupted while it is being written."""

    writes = 0

    def record_answer(self, record, review):  # type: ignore[no-untyped-def]
        self.writes += 1
        if self.writes == 3:
            signal.raise_signal(signal.SIGTERM)
        super().record_answer(record, review)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_interrupt_mid_write_keeps_the_answer_and_closes_the_session(
    kind: str, interrupts: Interrupts, tmp_path: Path, request: pytest.FixtureRequest
):
    url = None if kind == "sqlite" else request.getfixturevalue("postgres_url")
    store = open_store(url, tmp_path / "home", True, lambda: "a")
    view = SignalledMidWrite(store, "a")
    deck = load_text(DECK, "d.yaml").deck
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    session = Session([deck], Options(mode="drill", seed=1), clock, view)  # type: ignore[list-item]
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        headless.run(session, io.StringIO("x\n" * 5), out, None, interrupts.held)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["event"] for e in events] == ["start", "card", "result", "card", "result", "card",
                                            "summary"]  # fmt: skip
    stored = [r.card for r in store.export_rows(Scope())]
    assert len(stored) == 3  # the third was stored whole; its result line was not printed
    (recent,) = store.learner("a").recent_sessions()
    assert recent.answered == 3
    store.close()
