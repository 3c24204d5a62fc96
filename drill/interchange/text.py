"""Question texts as drill shows them: plain text, whatever format the bank wrote them in.

Moodle texts come as HTML, as Moodle's auto-format (HTML where a line break is a line break), as
plain text or as Markdown. drill shows plain text in a terminal, so HTML is reduced to its text
(block elements and ``<br>`` become line breaks, entities are decoded, scripts and styles are
dropped, an image becomes its ``alt`` text in brackets) and Markdown is kept as written: it reads
well as it is. Control characters never reach a deck (SPEC 1); ``control_characters`` finds
them so the deck writer can drop them and say so.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Final, Literal

TextFormat = Literal["html", "moodle", "plain", "markdown"]

FORMAT_NAMES: Final[dict[str, TextFormat]] = {
    "html": "html",
    "moodle": "moodle",
    "moodle_auto_format": "moodle",
    "plain": "plain",
    "plain_text": "plain",
    "markdown": "markdown",
}
"""GIFT's ``[format]`` names and Moodle XML's ``format`` attribute values."""

_BLOCKS: Final = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
_HIDDEN: Final = frozenset({"script", "style", "head", "title", "template"})
_SPACES: Final = re.compile(r"[ \t\r\f\v]+")
_AROUND_BREAKS: Final = re.compile(r" *\n *")
_MANY_BREAKS: Final = re.compile(r"\n{3,}")
_NUMBER: Final = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_CONTROLS: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 controls and DEL, except tab and line feed (SPEC 1)."""


class _TextOf(HTMLParser):
    """Collects the text of an HTML fragment; a terminal shows no markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images = 0
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "img":
            self.images += 1
            alt = dict(attrs).get("alt")
            if alt and alt.strip():
                self.parts.append(f"[{alt.strip()}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _HIDDEN:
            self._hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:  # in HTML a line break in the source is a space
            self.parts.append(data.replace("\r", " ").replace("\n", " "))


def html_text(html: str) -> tuple[str, int]:
    """The text of an HTML fragment, and how many images it showed (drill shows none)."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return tidy("".join(parser.parts)), parser.images


def plain_text(text: str, fmt: TextFormat) -> tuple[str, int]:
    """``text`` written in ``fmt`` as drill shows it, and how many images were dropped."""
    if fmt == "html":
        return html_text(text)
    if fmt == "moodle":  # Moodle's auto-format: HTML, but a line break is a line break
        return html_text(text.replace("\r\n", "\n").replace("\n", "<br>"))
    return tidy(text), 0


def tidy(text: str) -> str:
    """Runs of spaces made one, no spaces around line breaks, at most one blank line, trimmed:
    indentation that only laid out a bank file is not part of the question."""
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))
    return _MANY_BREAKS.sub("\n\n", _AROUND_BREAKS.sub("\n", text)).strip()


def control_characters(text: str) -> list[str]:
    """The control characters in ``text`` that a deck may not hold, each as ``U+XXXX``."""
    return sorted({f"U+{ord(c):04X}" for c in _CONTROLS.findall(text)})


def without_controls(text: str) -> str:
    """``text`` with those control characters removed."""
    return _CONTROLS.sub("", text)


def decimal_of(text: str) -> Decimal | None:
    """The decimal number ``text`` spells (``12``, ``-0.5``, ``1e3``), or None.

    Only magnitudes from 1e-30 to below 1e15 (and zero) are numbers here: past 1e15 a float, which
    drill grades with, no longer holds every whole number, and a deck could not say exactly what
    a bank meant.
    """
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None
    if value and not -30 <= value.adjusted() < 15:  # `1e-999999999` would print a GB of zeros
        return None
    return value


def number_text(value: Decimal) -> str:
    """A decimal as plain digits (no exponent, no trailing zeros): how a deck writes it."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text
