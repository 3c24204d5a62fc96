"""The breathing pacer: a bar that swells while breathing in, holds, and shrinks breathing out.

It is a pure function of the seconds elapsed since it started, so the card screen and the
standalone pacer drive it from the same clock that times everything else (a ``ManualClock``
in tests, which keeps its frames reproducible).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Digits, Label

from drill.tui.i18n import N_, _, ngettext


@dataclass(frozen=True, slots=True)
class Phase:
    """Where the pacer is: phase name (untranslated), seconds left in it, how full, which cycle."""

    name: str
    left: float
    fill: float
    cycle: int


PHASES = (
    (N_("Breathe in"), 0.0, 1.0),
    (N_("Hold"), 1.0, 1.0),
    (N_("Breathe out"), 1.0, 0.0),
    (N_("Hold"), 0.0, 0.0),
)
"""Name, fill at the start and fill at the end of each phase of a pattern, in order."""


def phase_at(pattern: tuple[float, ...], cycles: int, elapsed: float) -> Phase | None:
    """The phase ``elapsed`` seconds into the exercise; None once every cycle is done."""
    period = sum(pattern)
    if elapsed >= period * cycles:
        return None
    cycle, into = divmod(max(elapsed, 0.0), period)
    for (name, start, end), seconds in zip(PHASES, pattern, strict=False):
        if into < seconds:
            progress = into / seconds
            eased = (1 - math.cos(math.pi * progress)) / 2
            return Phase(name, seconds - into, start + (end - start) * eased, int(cycle) + 1)
        into -= seconds
    return Phase(PHASES[0][0], pattern[0], 0.0, int(cycle) + 1)  # float rounding at a boundary


MAX_CELLS = 64
"""The bar's widest, so that on a wide terminal it still reads as breathing, not a rule."""


class Lungs(Widget):
    """The swelling bar: as wide as the lungs are full, three rows high, centred."""

    def __init__(self) -> None:
        super().__init__()
        self.fill = 0.0

    def show_fill(self, fill: float) -> None:
        """Draw the bar ``fill`` (0-1) full."""
        if fill != self.fill:
            self.fill = fill
            self.refresh()

    def render(self) -> Text:
        width = max(4, min(self.size.width, MAX_CELLS))
        cells = 2 + round((width - 2) * self.fill / 2) * 2
        pad = " " * ((self.size.width - cells) // 2)
        return Text("\n".join(pad + ch * cells for ch in "▄█▀"))


class BreathingPacer(Vertical):
    """The animated exercise: phase, its countdown, the swelling bar and the breath count."""

    def __init__(self, pattern: tuple[float, ...], cycles: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pattern = pattern
        self.cycles = cycles
        self.phase: Phase | None = phase_at(pattern, cycles, 0.0)

    def compose(self) -> ComposeResult:
        yield Label("", classes="phase")
        yield Digits("", classes="count")
        yield Lungs()
        yield Label("", classes="cycle")

    def on_mount(self) -> None:
        self._draw()

    @property
    def total(self) -> float:
        """Seconds the whole exercise takes."""
        return sum(self.pattern) * self.cycles

    def show_elapsed(self, elapsed: float) -> bool:
        """Draw the exercise ``elapsed`` seconds in; True once it is complete."""
        phase = phase_at(self.pattern, self.cycles, elapsed)
        if phase != self.phase:
            self.phase = phase
            self._draw()
        return phase is None

    def _draw(self) -> None:
        phase = self.phase
        self.set_class(phase is None, "-done")
        if phase is None:
            self.query_one(".phase", Label).update(_("Well done."))
            self.query_one(Digits).update("")
            self.query_one(Lungs).show_fill(0.0)
            self.query_one(".cycle", Label).update("")
            return
        self.query_one(".phase", Label).update(_(phase.name))
        self.query_one(Digits).update(str(math.ceil(phase.left - 1e-9)))
        self.query_one(Lungs).show_fill(phase.fill)
        self.query_one(".cycle", Label).update(
            _("Breath {cycle} of {cycles}").format(cycle=phase.cycle, cycles=self.cycles)
        )


def pattern_label(pattern: tuple[float, ...], cycles: int) -> str:
    """``4-7-8 · 4 breaths``: the exercise in one line."""
    seconds = "-".join(f"{p:g}" for p in pattern)
    return seconds + " · " + ngettext("{n} breath", "{n} breaths", cycles).format(n=cycles)
