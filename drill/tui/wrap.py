"""Line breaking for text shown in the TUI, Chinese included (SPEC 6).

Rich and Textual wrap at spaces and fold a run without spaces (a Chinese sentence) at whatever
cell it reaches, so a line can start with ``，`` or ``。``. ``divide_line`` is a drop-in for
``rich._wrap.divide_line`` (same arguments, same answer for text without CJK characters) that
follows the usual Chinese rule: a line never starts with closing punctuation (``，。、；：！？）」``
and their kin) and never ends with opening punctuation (``（「``); the character before such a
mark moves down to the next line with it.
"""

from __future__ import annotations

import itertools
import unicodedata

from rich.cells import cell_len

CLOSING = frozenset("，。、；：！？）」』】》〉〕〗〙〛”’…‥・％,.;:!?)]}»")
"""Punctuation that closes or follows: never the first character of a line."""
OPENING = frozenset("（「『【《〈〔〖〘〚“‘([{«")
"""Punctuation that opens: never the last character of a line."""


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in "WF"


def break_allowed(text: str, index: int) -> bool:
    """Whether a line may start at ``text[index]`` (0 < index < len(text))."""
    before, here = text[index - 1], text[index]
    if here.isspace() or here in CLOSING or before in OPENING:
        return False
    if before.isspace():
        return True
    return _wide(before) or _wide(here)


def _units(text: str) -> list[tuple[int, int]]:
    """The spans between break opportunities: a word with its trailing spaces, or one CJK
    character with the punctuation glued to it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text)):
        if break_allowed(text, index):
            spans.append((start, index))
            start = index
    if text:
        spans.append((start, len(text)))
    return spans


def _fold(unit: str, width: int) -> list[str]:
    """``unit`` (wider than a line) cut into pieces of at most ``width`` cells, moving a cut
    back while it would start a piece with closing punctuation or end one with opening
    punctuation (as long as the piece keeps a character)."""
    pieces: list[str] = []
    start = 0
    while start < len(unit):
        end, used = start, 0
        while end < len(unit) and used + cell_len(unit[end]) <= width:
            used += cell_len(unit[end])
            end += 1
        end = max(end, start + 1)  # a character wider than the line still takes one
        cut = end
        while cut < len(unit) and cut - 1 > start and not break_allowed_anywhere(unit, cut):
            cut -= 1
        pieces.append(unit[start:cut])
        start = cut
    return pieces


def break_allowed_anywhere(text: str, index: int) -> bool:
    """Whether folding may cut ``text`` before ``index``: anywhere but before closing or after
    opening punctuation."""
    return text[index] not in CLOSING and text[index - 1] not in OPENING


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Offsets at which to break ``text`` (one line, no newline) so that each part fits in
    ``width`` cells, breaking only where ``break_allowed`` says; a unit wider than a whole line
    is folded (or, without ``fold``, cropped) as Rich does."""
    breaks: list[int] = []
    offset = 0
    for start, end in _units(text):
        unit = text[start:end]
        length = cell_len(unit.rstrip())
        if width - offset >= length:
            offset += cell_len(unit)
        elif length > width:
            if fold:
                pieces = _fold(unit, width)
                for position, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if position == len(pieces) - 1:
                        offset = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = cell_len(unit)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(unit)
    return breaks


def wrap_lines(text: str, width: int) -> list[str]:
    """``text`` as the lines it is shown in at ``width`` cells (trailing spaces dropped)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        cuts = [0, *divide_line(paragraph, width), len(paragraph)]
        lines.extend(paragraph[a:b].rstrip() for a, b in itertools.pairwise(cuts))
    return lines
