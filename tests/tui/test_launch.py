"""How the commands enter the TUI: failures before any screen is drawn, and a deck list whose
first frame does not wait for modules it does not draw with."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DECKS

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "args", [[], ["run", str(DECKS / "tui-mixed.yaml")], ["run", "tui-mixed", "--mode", "exam"]]
)
def test_an_unusable_store_is_one_line_and_exit_2_before_any_screen(tmp_path, args):
    home = tmp_path / "home"
    home.mkdir()
    (home / "drill.sqlite3").write_bytes(b"this is not a database" * 100)
    proc = subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"DRILL_DECKS": str(DECKS), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("drill: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "\x1b" not in proc.stderr  # no screen was ever drawn
    assert (home / "drill.sqlite3").read_bytes().startswith(b"this is not a database")


def test_the_deck_list_frame_needs_no_stats_session_or_deck_loader():
    script = (
        "import sys, json\n"
        "import drill.tui.launch, drill.tui.app, drill.tui.screens.deck_list\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, check=True, timeout=60)  # fmt: skip
    loaded = set(json.loads(proc.stdout))
    # Stats (and its charts), sessions (the engine, fsrs) and YAML parsing load when first
    # needed; deck files are read in a worker thread after the first frame.
    for heavy in ("drill.tui.screens.stats", "drill.progress", "drill.session", "fsrs", "yaml"):
        assert heavy not in loaded, heavy
