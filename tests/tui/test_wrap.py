"""Chinese line breaking (SPEC 6): a line never starts with closing punctuation, in the
helper and on screen, while text without CJK wraps exactly as Rich wraps it."""

from __future__ import annotations

import itertools
import random

import pytest
from rich._wrap import divide_line as rich_divide_line
from textual.app import App, ComposeResult

from drill.tui.widgets.prose import Prose
from drill.tui.wrap import CLOSING, OPENING, divide_line, wrap_lines

PROMPT = "客户提出的要求暂时无法满足时，哪种说法最合适？请选择最规范的一项，注意不要使用否定和推诿的语气。"
MIXED = "先说「您好」，再报工号（比如 1024）：Hello, this is drill. 然后问：「有什么可以帮您？」"


def starts_badly(lines: list[str]) -> list[str]:
    return [line for line in lines[1:] if line[:1] in CLOSING]


def ends_badly(lines: list[str]) -> list[str]:
    return [line for line in lines[:-1] if line[-1:] in OPENING]


@pytest.mark.parametrize("width", range(8, 60))  # narrower cannot hold 「您好」，
@pytest.mark.parametrize("text", [PROMPT, MIXED])
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text, width):
    lines = wrap_lines(text, width)
    assert not starts_badly(lines) and not ends_badly(lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert all(sum(2 if ord(c) > 0x2E7F else 1 for c in line) <= width for line in lines)


def test_rich_alone_would_start_a_line_with_a_comma():
    """The case the rule is for: at 14 cells Rich puts ``，`` first on a line."""
    cuts = [0, *rich_divide_line(PROMPT, 14), len(PROMPT)]
    rich_lines = [PROMPT[a:b] for a, b in itertools.pairwise(cuts)]
    assert starts_badly(rich_lines)
    assert not starts_badly(wrap_lines(PROMPT, 14))


@pytest.mark.parametrize("width", [5, 10, 17, 30, 80])
def test_text_without_cjk_wraps_as_rich_wraps_it(width):
    text = "Explain why, then give the wait; log what you know (all of it) before transferring."
    assert divide_line(text, width) == rich_divide_line(text, width)


async def test_prose_on_screen_never_starts_a_line_with_closing_punctuation():
    class Show(App[None]):
        def compose(self) -> ComposeResult:
            yield Prose(PROMPT, id="p")

    app = Show()
    async with app.run_test(size=(16, 12)) as pilot:
        await pilot.pause()
        prose = app.query_one("#p", Prose)
        lines = [strip.text.rstrip() for strip in prose.render_lines(prose.region.reset_offset)]
        lines = [line for line in lines if line]
        assert "".join(lines) == PROMPT
        assert not starts_badly(lines), lines


def _clauses() -> str:
    rng = random.Random(0)
    return "".join("好" * rng.randint(1, 3) + "，" for _ in range(80))


CLAUSES = _clauses()
"""244 characters of Chinese without a space, clauses of one to three characters (seed 0):
folded where a line fills, as Rich folds it, some line starts with ``，`` at every width from
20 to 89 cells (each use below checks so at the width it is drawn at)."""


def rich_would_start_badly(text: str, width: int) -> bool:
    cuts = [0, *rich_divide_line(text, width), len(text)]
    return bool(starts_badly([text[a:b] for a, b in itertools.pairwise(cuts)]))


def drawn(widget) -> list[str]:
    """The lines ``widget`` draws, without the bar beside a speaker's line."""
    lines = [strip.text.strip("▌▐ ") for strip in widget.render_lines(widget.region.reset_offset)]
    return [line for line in lines if line]


def check_lines(widget) -> None:
    """``widget`` draws all its text, where Rich alone would start a line with ``，``, and no
    line of it starts with closing punctuation."""
    text, lines = str(widget.render()), drawn(widget)
    assert "".join(lines).replace(" ", "") == text.replace(" ", ""), lines
    assert rich_would_start_badly(text, widget.content_region.width)
    assert not starts_badly(lines), lines


async def test_a_call_and_its_review_never_start_a_line_with_closing_punctuation(
    session_app, clock, tmp_path
):
    """The call screen and the review after it break Chinese lines as every other screen:
    the call's situation, the customer's lines, the replies on offer, what was said and why."""
    from drill.deck.loader import load_file

    from .pilot import wait

    path = tmp_path / "call.yaml"
    path.write_text(
        f"""id: wrap-call
title: 换行
language: zh-CN
time_limit: 60
cards:
  - id: call
    type: call
    prompt: {CLAUSES}
    explain: {CLAUSES}
    turns:
      - id: open
        customer: {CLAUSES}
        replies:
          - text: {CLAUSES}
            good: true
          - text: 不行。
            why: {CLAUSES}
""",
        encoding="utf-8",
    )
    deck = load_file(str(path)).deck
    assert deck is not None
    app = session_app([deck], mode="drill")
    async with app.run_test(size=(80, 100)) as pilot:
        texts = [w for w in app.screen.query("Static") if CLAUSES in str(w.render())]
        assert sorted(w.id or " ".join(w.classes) for w in texts) == [
            "prompt",
            "say-customer",
            "text",
        ]
        for widget in texts:
            check_lines(widget)
        await pilot.press("b")  # 不行。, so the review has a why under it
        await wait(pilot, 5, clock)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallReviewScreen"
        review = [w for w in app.screen.query("Static") if CLAUSES in str(w.render())]
        assert len(review) >= 4  # situation, customer, why, explanation
        for widget in review:
            check_lines(widget)
