"""The TUI speaks English and Simplified Chinese: the language is chosen as SPEC 3 says, the
zh-CN catalog covers every string the TUI translates, and the shipped ``.mo`` matches the
``.po`` it is compiled from."""

from __future__ import annotations

import gettext

import pytest

from drill.application import Application
from drill.tui import i18n
from drill.tui.launch import _language

from .catalog import MO, PO, read_po, source_messages
from .conftest import only
from .pilot import screen


@pytest.mark.parametrize(
    ("flag", "environ", "expected"),
    [
        (None, {}, "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh-CN"),
        (None, {"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_ALL": "", "LANG": "zh_CN.GB18030"}, "zh-CN"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        ("zh-CN", {"LANG": "en_GB.UTF-8"}, "zh-CN"),
    ],
)
def test_language_from_flag_then_locale(flag, environ, expected):
    assert i18n.resolve_language(flag, environ) == expected


def test_the_launchers_read_the_environment(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    _language(Application())
    assert i18n.language() == "zh-CN" and i18n._("Skip") == "跳过"
    _language(Application(language="en"))
    assert i18n._("Skip") == "Skip"


def test_every_string_of_the_tui_has_a_chinese_translation():
    catalog = read_po()
    missing = [m for m in source_messages() if not catalog.get(m)]
    assert not missing, f"add to {PO.name}: {missing}"
    unused = [m for m in catalog if m not in source_messages()]
    assert not unused, f"no longer in drill/tui, remove from {PO.name}: {unused}"


def test_the_compiled_catalog_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in read_po().items():
        if isinstance(msgid, tuple):
            assert compiled.ngettext(*msgid, 1) == msgstr[0], f"{MO} is stale: run msgfmt"
        else:
            assert compiled.gettext(msgid) == msgstr, f"{MO} is stale: run msgfmt"
    assert len(compiled._catalog) - 1 == sum(  # type: ignore[attr-defined]
        len(v) if isinstance(v, list) else 1 for v in read_po().values()
    ), f"{MO} has entries the .po no longer has: run msgfmt"


async def test_the_app_chrome_is_chinese_and_deck_content_as_written(session_app):
    i18n.set_language("zh-CN")
    app = session_app([only("choice")])
    async with app.run_test(size=(80, 24)) as pilot:
        footer = {b.binding.description for b in app.screen.active_bindings.values()}
        assert {"跳过", "结束", "退出", "提交", "选择"} <= footer
        assert str(app.screen.query_one(".kind").render()) == "单选"
        assert "Which word should you avoid" in str(app.screen.query_one("#prompt").render())
        await pilot.press("ctrl+s")
        assert screen(pilot) == "FeedbackScreen"
        assert "已跳过" in str(app.screen.query_one("#verdict").render())
