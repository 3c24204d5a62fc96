"""Finding decks: the search folders, deck ids, and paths given on the command line (SPEC 3).

Search order is command line, then ``$DRILL_DECKS``, then the user decks folder, then the bundled
decks; when two files claim one deck id, the first found wins and the other is reported.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from drill.deck.model import Deck
from drill.deck.result import DECK_ID_PATTERN, LoadResult
from drill.errors import DeckError, Problem, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from drill.deck.cache import DeckCache

DECK_SUFFIXES = (".yaml", ".yml")


def bundled_decks_dir() -> Path:
    """The decks shipped with drill: inside the installed package, or beside it in a checkout."""
    from pathlib import Path  # here: ``drill validate`` never needs it

    package = Path(__file__).resolve().parents[1]
    installed = package / "decks"
    return installed if installed.is_dir() else package.parent / "decks"


def search_folders(user_decks: Path | None) -> list[Path]:
    """``$DRILL_DECKS`` folders, the user decks folder, then the bundled decks."""
    from pathlib import Path

    env = os.environ.get("DRILL_DECKS", "")
    folders = [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    if user_decks is not None:
        folders.append(user_decks)
    folders.append(bundled_decks_dir())
    return folders


def deck_files(folder: str | Path) -> list[str]:
    """Every ``.yaml``/``.yml`` file below ``folder``, sorted; hidden entries skipped.

    Symlinked folders are not followed (a link loop cannot trap the walk). A symlinked file is
    listed only when it leads to a place inside ``folder`` (SPEC 5): a deck folder is often
    shared or unpacked from elsewhere, and ``x.yaml -> /etc/shadow`` would otherwise have
    ``validate`` and the deck list quote a secret file line by line. A link inside that cannot
    be read is reported like any unreadable deck. What is not a file at all (a named pipe, a
    socket, a device) is passed over: opening a pipe with no writer would wait forever, and so
    would ``drill validate`` and the deck list.
    """
    found: list[str] = []
    inside = os.path.join(os.path.realpath(folder), "")
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            path
            for name in sorted(files)
            if name.endswith(DECK_SUFFIXES)
            and not name.startswith(".")
            and _leads_inside(path := os.path.join(root, name), inside)
            and not _special(path)
        )
    return found


def _leads_inside(path: str, inside: str) -> bool:
    """Whether ``path`` (a file found in a folder's walk) is no link, or a link to a place
    under ``inside`` (the folder's real path, ending in a separator)."""
    if not os.path.islink(path):
        return True
    return os.path.realpath(path).startswith(inside)


def _special(path: str) -> bool:
    """A pipe, socket or device (a link to one included); a path that cannot be looked at is
    not, so that a broken link is still listed and reported as unreadable."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


class Catalog:
    """Every deck file in the search folders, loaded: good decks by id, and the broken ones."""

    def __init__(self) -> None:
        self.results: list[LoadResult] = []
        """Every deck file's result, in search order."""
        self.decks: dict[str, Deck] = {}
        """Good decks by id; the first found wins."""
        self.warnings: list[str] = []
        """Deck ids hidden by an earlier deck with the same id."""

    @property
    def broken(self) -> list[LoadResult]:
        """Deck files that failed to load, each with its problems."""
        return [r for r in self.results if r.deck is None]


def _loader(cache: DeckCache | None) -> Callable[[str], LoadResult]:
    if cache is not None:
        return cache.load
    from drill.deck.loader import load_file

    return load_file


def load_catalog(folders: Iterable[Path], cache: DeckCache | None = None) -> Catalog:
    """Load every deck in ``folders``; the first deck with an id wins, later ones are reported.

    With ``cache``, files unchanged since they were last loaded are not parsed again.
    """
    catalog = _catalog(folders, _loader(cache))
    assert catalog is not None
    return catalog


def cached_catalog(folders: Iterable[Path], cache: DeckCache) -> Catalog | None:
    """``load_catalog`` if every deck file is in ``cache`` as it is now (no file is parsed),
    else None: what the deck list can show in its first frame without waiting on YAML."""
    return _catalog(folders, cache.cached)


def _catalog(folders: Iterable[Path], load: Callable[[str], LoadResult | None]) -> Catalog | None:
    catalog = Catalog()
    for folder in folders:
        if not os.path.isdir(folder):  # never raises (Path.is_dir does for a name too long)
            continue
        for path in deck_files(folder):
            result = load(path)
            if result is None:
                return None
            catalog.results.append(result)
            deck = result.deck
            if deck is None:
                continue
            if deck.id in catalog.decks:
                first = catalog.decks[deck.id].path
                catalog.warnings.append(f"deck id `{deck.id}` in {path} is hidden by {first}")
                continue
            catalog.decks[deck.id] = deck
    return catalog


def _load_path(arg: str, load: Callable[[str], LoadResult]) -> list[LoadResult]:
    from pathlib import Path

    path = Path(arg)
    if os.path.isdir(path):
        results = [load(p) for p in deck_files(path)]
        if not results:
            raise UsageError(f"no .yaml or .yml deck files in folder {arg}")
        return results
    result = load(arg)
    if result.unreadable:
        raise UsageError(
            f"cannot read deck {arg}: {result.problems[0].message.removeprefix('cannot read: ')}"
        )
    return [result]


def _looks_like_path(arg: str) -> bool:
    return os.sep in arg or "/" in arg or arg.endswith(DECK_SUFFIXES) or os.path.exists(arg)


def _did_you_mean(wanted: str, ids: list[str]) -> str:
    """``; did you mean `kpi-qa`?`` for the ids that start with ``wanted`` or are spelt like it."""
    import difflib  # only on the error path: it is not free to import

    close = [i for i in sorted(ids) if i.startswith(wanted)]
    close += [i for i in difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6) if i not in close]
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"`{i}`" for i in close[:3]) + "?"


def resolve(
    args: Sequence[str], folders: Iterable[Path], cache: DeckCache | None = None
) -> tuple[list[Deck], list[str]]:
    """The decks named by ``drill run DECK...`` (files, folders, or ids) and any warnings.

    Raises ``UsageError`` (exit 2) for a deck that cannot be found or read and ``DeckError``
    (exit 1) for decks with problems or a deck id given twice. ``cache`` as in ``load_catalog``.
    """
    import re

    load = _loader(cache)
    decks: list[Deck] = []
    problems: list[Problem] = []
    warnings: list[str] = []
    catalog: Catalog | None = None
    for arg in args:
        if _looks_like_path(arg):
            results = _load_path(arg, load)
        else:
            if not re.fullmatch(DECK_ID_PATTERN, arg):
                raise UsageError(f"no deck `{arg}`: not a file, a folder or a deck id")
            if catalog is None:
                catalog = load_catalog(folders, cache)
                warnings.extend(catalog.warnings)
            if arg not in catalog.decks:
                broken = len(catalog.broken)
                hint = _did_you_mean(arg, list(catalog.decks))
                if broken:
                    hint += f" ({broken} deck files failed to load; see `drill decks`)"
                raise UsageError(f"no deck with id `{arg}` in the deck folders{hint}")
            results = [LoadResult(arg, catalog.decks[arg], ())]
        for result in results:
            problems.extend(result.problems)
            if result.deck is not None:
                decks.append(result.deck)
    if problems:
        raise DeckError(problems)
    first: dict[str, Deck] = {}
    for deck in decks:
        if deck.id in first:
            raise DeckError(
                [
                    Problem(
                        deck.path,
                        1,
                        1,
                        f"deck id `{deck.id}` is also the id of {first[deck.id].path}",
                    )
                ]
            )
        first[deck.id] = deck
    return decks, warnings
