"""Commands without a screen never import Textual (it alone costs ~155 ms of start-up), and
each command loads only what it uses: the start-up budget, enforced the way harlequin does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("textual", "rich", "fsrs", "sqlite3", "platformdirs", "yaml", "psycopg")


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
        (["report", "--json"], {"yaml", "sqlite3", "fsrs"}),
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


def test_the_layers_hold(tmp_path):
    """import-linter's contracts (pyproject.toml): the core never imports the front ends, the
    CLI, Textual or Rich; the TUI and the headless runner never import each other; the TUI is
    driven through the application object; only the PostgreSQL store imports psycopg; nothing
    imports the benchmark."""
    proc = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command;"
         " lint_imports_command()", "--no-cache"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_types_check(tmp_path):
    """mypy --strict over the whole package (configured in pyproject.toml)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_postgresql_store_loads_psycopg_and_sqlite_commands_never_do(drill_env):
    env = {**drill_env, "DRILL_STORE": "postgresql://nobody@127.0.0.1:1/none"}
    assert "psycopg" in loaded_after(["report", "--json"], env)
