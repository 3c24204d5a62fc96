"""Text bound for a terminal shows control characters as visible escapes, never raw (SPEC 6).

Deck text is checked when a deck loads (SPEC 1 makes control characters errors), but file names,
stored answers, store contents and command-line arguments reach the screen too, and any of them
can hold ``ESC [ 2 J`` (clear the screen), ``ESC ] 0 ;`` (retitle the window), an OSC 8 link or
a C1 control that some terminals obey. Every command's terminal output goes through here, and
so does every screen: one definition of what is shown raw.

- ``visible`` for human-readable text (tables, messages, problem lines, screens).
- ``json_text`` for JSON: the same data, exactly, with the characters JSON may carry raw but a
  terminal would act on written as ``\\uXXXX`` escapes.
- ``first_control`` for checks that refuse such text outright (deck fields).

A core module: the standard library only, no Rich or Textual.
"""

from __future__ import annotations

import re
from typing import Final

_CONTROL: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 controls, DEL, C1 controls, and lone surrogates (a file name's bytes that were not UTF-8,
as Python hands them over): what ``visible`` escapes."""
_FORBIDDEN: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""The control characters deck text may not hold: all but newline and tab (SPEC 1)."""
_JSON_RAW: Final = re.compile("[\x7f-\x9f\ud800-\udfff]")
"""What ``json.dumps(..., ensure_ascii=False)`` leaves raw that a terminal (or a UTF-8
encoder) cannot take: DEL, C1 controls and lone surrogates. C0 controls it escapes itself."""
_NAMED: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with control characters (and undecodable bytes) shown as ``\\x1b``, ``\\n``...

    ``keep`` names characters to leave as they are: ``"\\n\\t"`` where the text is laid out on
    several lines (a card's prompt on screen); by default even a newline is escaped, so one
    message stays one line and a file name cannot forge a second one.
    """
    if not _CONTROL.search(text):  # the usual case: no copy
        return text
    if keep:
        return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return _CONTROL.sub(_escape, text)


def json_text(document: str) -> str:
    """A JSON document (from ``json.dumps(..., ensure_ascii=False)``) safe to print: DEL, C1
    controls and lone surrogates inside its strings become ``\\uXXXX`` escapes, which decode to
    the very same text. JSON's structure is ASCII, so only string contents can hold them."""
    if not _JSON_RAW.search(document):
        return document
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def first_control(text: str) -> str | None:
    """The first control character in ``text`` that deck text may not hold, if any."""
    found = _FORBIDDEN.search(text)
    return None if found is None else found.group()
