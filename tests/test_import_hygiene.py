"""Commands without a screen never import Textual (it alone costs ~155 ms of start-up), and
each command loads only what it uses: the start-up budget, enforced the way harlequin does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("textual", "rich", "fsrs", "sqlite3", "platformdirs", "yaml")


def loaded_after(args: list[str], env: dict[str, str], stdin: str = "") -> set[str]:
    script = (
        "import sys, json\n"
        "from drill.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "finally:\n"
        f"    mods = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "    sys.stderr.write('\\nMODULES ' + json.dumps(mods) + '\\n')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], input=stdin, capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=60)  # fmt: skip
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith("MODULES "), proc.stderr
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["validate", "decks"], {"yaml"}),
        (["schema"], {"yaml"}),
        (["decks", "--json"], {"yaml", "sqlite3"}),
        (["stats", "--json"], {"yaml", "sqlite3"}),
        (["export"], {"yaml", "sqlite3"}),
        (["export", "--format", "xapi"], {"yaml", "sqlite3"}),
        (
            [
                "import",
                "tests/fixtures/interchange/docs.gift",
                "tests/fixtures/interchange/bank.xml",
            ],
            {"yaml"},
        ),
        (["run", "kpi-qa", "--headless", "--mode", "drill"], {"yaml", "sqlite3", "fsrs"}),
    ],
)
def test_commands_import_only_what_they_need(args, allowed, drill_env, sample_deck):
    drill_env = {**drill_env}
    # A store with answers in it, so the store-reading commands really read.
    subprocess.run([sys.executable, "-m", "drill", "run", str(sample_deck), "--headless"],
                   input="skip\n" * 6, env=drill_env, cwd=REPO, check=True, capture_output=True,
                   text=True)  # fmt: skip
    loaded = loaded_after(args, drill_env, stdin="skip\n" * 3)
    assert "textual" not in loaded and "rich" not in loaded
    assert loaded <= allowed, loaded - allowed


def test_the_core_never_imports_the_tui():
    """Only the three launchers in drill/commands may reach into drill.tui, and only lazily."""
    imports = re.compile(r"^\s*(?:from|import)\s+(textual|rich|drill\.tui)\b", re.MULTILINE)
    launchers = {"run.py", "app.py", "breathe.py"}
    for path in (REPO / "drill").rglob("*.py"):
        relative = path.relative_to(REPO / "drill")
        if relative.parts[0] in ("tui", "bench"):  # the benchmark drives the TUI, as a tool
            continue
        found = set(imports.findall(path.read_text()))
        if relative.parts[0] == "commands" and relative.name in launchers:
            found.discard("drill.tui")
        assert not found, f"{relative} imports {found}"


def test_nothing_imports_the_benchmark():
    """``drill.bench`` is a tool run on its own (``python -m drill.bench``), never a part."""
    imports = re.compile(
        r"^\s*(?:from|import)\s+drill\.bench\b|from drill import bench", re.MULTILINE
    )
    for path in (REPO / "drill").rglob("*.py"):
        relative = path.relative_to(REPO / "drill")
        if relative.parts[0] != "bench":
            assert not imports.search(path.read_text()), f"{relative} imports drill.bench"
