"""What a path is, told from its ``stat``: drill reads decks and its store only from regular
files. A named pipe opened for reading waits for a writer (forever, if there is none), a device
can be endless, a socket cannot be opened at all; each is refused by name instead, without
being opened for reading (SPEC 5)."""

from __future__ import annotations

import stat
from typing import Final

_KINDS: Final = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def not_a_file(mode: int) -> str | None:
    """What a file of ``mode`` is (``"a named pipe"``...) when it is not a regular file, else
    None: for a message that names it."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")
