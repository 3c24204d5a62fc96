"""Textual's private API is used in one place only (``drill.tui.base``), against the Textual
version pinned in ``pyproject.toml``: the one to check when Textual is upgraded."""

from __future__ import annotations

import re
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "drill" / "tui"
PRIVATE = re.compile(r"\._bindings\b|key_to_bindings|_handle_exception|\._merged_bindings")


def test_only_the_base_class_touches_textual_private_api():
    users = sorted(
        str(path.relative_to(TUI))
        for path in TUI.rglob("*.py")
        if PRIVATE.search(path.read_text(encoding="utf-8"))
    )
    assert users == ["base.py"]


def test_textual_is_pinned_to_the_version_the_tests_prove():
    import textual

    pyproject = (TUI.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"textual=={textual.__version__}"' in pyproject
