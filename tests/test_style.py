"""The code stays ruff-clean (lint and format), so style never drifts between contributors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff_is_clean(command):
    # ruff is a test dependency: run the one installed beside this Python (the virtual
    # environment need not be on PATH), and fail rather than skip if it is missing.
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "drill", "tests"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
