"""What a call looks like at 80x24, pinned as SVG snapshots: a turn in the middle of a call
(transcript, countdown, a reply picked) and the review after it, in English and Chinese.

Deterministic like the other snapshots: a ``ManualClock``, a fixed seed, fixture decks. Update
with ``pytest tests/tui/test_call_snapshots.py --snapshot-update`` after looking at them.
"""

from __future__ import annotations

import pytest

from drill.tui import i18n
from drill.tui.widgets.reply_list import ReplyList

from .pilot import wait
from .test_calls import COURIER, NOT_AT_ALL, ROUTER, YOUR_ROUTER, calls

EARLIEST = "That's the earliest slot, sorry."

SIZE = (80, 24)


async def say(pilot, text: str, seconds: float, clock) -> None:
    """Pick the reply ``text`` on screen, let ``seconds`` pass, and say it."""
    position = pilot.app.screen.query_one(ReplyList).texts.index(text)
    await pilot.press("abcdef"[position])
    await wait(pilot, seconds, clock)
    await pilot.press("enter")


class TestCallEnglish:
    def test_a_turn_mid_call_with_a_reply_picked(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await say(pilot, ROUTER, 6, clock)
            await pilot.press("down")  # the arrow picks the first reply
            await wait(pilot, 9, clock)

        app = session_app([calls()], mode="drill")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_a_long_call_keeps_its_newest_line_in_view(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await say(pilot, ROUTER, 6, clock)
            await say(pilot, NOT_AT_ALL, 5, clock)
            await say(pilot, YOUR_ROUTER, 4, clock)

        app = session_app([calls()], mode="drill")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_the_review_after_a_call(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            for text in (ROUTER, NOT_AT_ALL, YOUR_ROUTER, EARLIEST, COURIER):
                await say(pilot, text, 5, clock)

        app = session_app([calls()], mode="drill")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestCallChinese:
    @pytest.fixture(autouse=True)
    def chinese(self):
        i18n.set_language("zh-CN")

    def test_zh_cn_turn_mid_call(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await say(pilot, "您重启过路由器吗？", 6, clock)
            await pilot.press("b")
            await wait(pilot, 23, clock)  # under a quarter of the turn's time left: the bar turns

        app = session_app([calls("zh")], mode="drill")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_zh_cn_review_after_a_call(self, snap_compare, session_app, clock):
        async def run_before(pilot):
            await say(pilot, "非常抱歉，一周断两次确实影响您工作。我现在就帮您查线路。", 5, clock)
            await say(pilot, "可能是您的路由器坏了。", 5, clock)

        app = session_app([calls("zh")], mode="drill")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
