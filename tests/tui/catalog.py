"""Reading the TUI's translatable strings from its source, and a gettext ``.po`` file, for the
tests that keep the zh-CN catalog complete and its compiled ``.mo`` current."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "drill" / "tui"
PO = TUI.parent / "locale" / "zh_CN" / "LC_MESSAGES" / "drill.po"
MO = PO.with_suffix(".mo")


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def source_messages() -> set[str | tuple[str, str]]:
    """Every string the TUI translates: ``_``/``N_`` calls, ``ngettext`` pairs, and the
    descriptions of bindings and binding groups (translated when a node is built)."""
    found: set[str | tuple[str, str]] = set()
    for path in TUI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            args = node.args
            if name in ("_", "N_") and args and (text := _text(args[0])):
                found.add(text)
            elif name == "ngettext" and len(args) >= 2:
                one, many = _text(args[0]), _text(args[1])
                if one and many:
                    found.add((one, many))
            elif (name == "Binding" and len(args) >= 3 and (text := _text(args[2]))) or (
                name == "Group" and args and (text := _text(args[0]))
            ):
                found.add(text)
    return found


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _unquote(chunks: list[str]) -> str:
    return "".join(chunks).encode("latin-1", "backslashreplace").decode("unicode_escape")


def read_po(path: Path = PO) -> dict[str | tuple[str, str], str | list[str]]:
    """msgid (or (msgid, msgid_plural)) to msgstr (or the list of plural forms), header left out."""
    entries: dict[str | tuple[str, str], str | list[str]] = {}
    current: dict[str, list[str]] = {}
    field: str | None = None

    def flush() -> None:
        if "msgid" not in current:
            return
        msgid = _unquote(current["msgid"])
        if "msgid_plural" in current:
            forms = sorted(k for k in current if k.startswith("msgstr["))
            entries[(msgid, _unquote(current["msgid_plural"]))] = [
                _unquote(current[k]) for k in forms
            ]
        elif msgid:
            entries[msgid] = _unquote(current.get("msgstr", []))

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            flush()
            current, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert field is not None, line
            current[field].extend(_STRING.findall(line))
        else:
            field, _space, rest = line.partition(" ")
            current[field] = _STRING.findall(rest)
    return entries
