"""Where drill keeps its data: ``--data-dir``, else ``$DRILL_HOME``, else the platform's user
data directory (SPEC 3). The user decks folder lives inside it."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir(flag: str | None) -> Path:
    """The data directory chosen by flag, environment or platform (nothing is created here)."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get("DRILL_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when needed: it is the slowest import on the way to the store

    return platformdirs.user_data_path("drill", appauthor=False)


def user_decks_dir(data: Path) -> Path:
    """Decks a user adds by dropping files here."""
    return data / "decks"
