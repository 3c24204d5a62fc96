"""Moodle XML question banks, read safely and one question at a time.

The XML goes through ``defusedxml``'s parser (the standard library's expat, with entity
declarations and external references refused as soon as the parser meets them), so a
billion-laughs file or an external entity is one located error line within milliseconds, and no
file or URL is ever fetched. Questions are converted as each ``</question>`` closes and their
elements dropped, so memory stays that of one question however large the bank; the base64
images Moodle embeds (``<file>``) are skipped unread.

Each question and answer keeps the line and column of its element. What a question is made of
is read here; whether drill can ask it is the deck writer's call (``drill.interchange.deck``).
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from drill.interchange.model import Answer, Bank, BankError, Notice, Question
from drill.interchange.text import FORMAT_NAMES, TextFormat, plain_text

MAX_DEPTH: Final = 32
"""Deepest element nesting accepted; Moodle XML needs 5 (quiz, question, answer, feedback,
text), and the parser keeps one open element per level."""
MAX_ELEMENTS: Final = 20_000
"""Most elements one question may hold (a long ordering question has a few hundred)."""
_WHERE: Final = re.compile(r": line \d+, column \d+$")
_TRUE: Final = frozenset({"true", "1", "yes"})


class _Element:
    """One XML element: tag, attributes, text (its own, not its children's), children, place."""

    __slots__ = ("attrs", "children", "col", "line", "tag", "text")

    def __init__(self, tag: str, attrs: dict[str, str], line: int, col: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.line = line
        self.col = col
        self.text: list[str] = []
        self.children: list[_Element] = []

    def child(self, *path: str) -> _Element | None:
        """The first descendant along ``path`` of tag names."""
        node: _Element | None = self
        for tag in path:
            node = next((c for c in node.children if c.tag == tag), None) if node else None
        return node

    def value(self, *path: str) -> str | None:
        """The text of the descendant along ``path``, or None when it is absent."""
        node = self.child(*path)
        return None if node is None else "".join(node.text)


class _Builder:
    """The parser's target: builds each ``<question>`` and hands it on when it closes."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.parser: Any = None
        self.stack: list[_Element] = []
        self.elements = 0
        self.skipping = 0

    def _place(self) -> tuple[int, int]:
        expat = self.parser.parser
        return expat.CurrentLineNumber, expat.CurrentColumnNumber + 1

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        line, col = self._place()
        if len(self.stack) >= MAX_DEPTH:
            raise BankError(line, col, f"elements nested deeper than {MAX_DEPTH} levels")
        element = _Element(tag, attrs, line, col)
        if not self.stack:
            if tag != "quiz":
                raise BankError(line, col, f"not Moodle XML: the root is <{tag}>, not <quiz>")
        elif self.skipping or tag == "file":  # an embedded image: base64 drill never shows
            self.skipping += 1
        else:
            self.elements += 1
            if self.elements > MAX_ELEMENTS:
                raise BankError(line, col, f"a question of more than {MAX_ELEMENTS:,} elements")
            self.stack[-1].children.append(element)
        self.stack.append(element)

    def end(self, tag: str) -> None:
        element = self.stack.pop()
        if self.skipping:
            self.skipping -= 1
            return
        if len(self.stack) == 1 and element.tag == "question":
            self.stack[0].children.clear()
            self.elements = 0
            self.reader.question(element)

    def data(self, text: str) -> None:
        if self.stack and not self.skipping:
            self.stack[-1].text.append(text)

    def close(self) -> None:
        return None


def read_moodle_xml(data: bytes, path: str) -> Bank:
    """Every question of a Moodle XML file. Raises ``BankError`` for XML that is malformed or
    hostile; a question that is malformed in itself is reported and left out."""
    import defusedxml
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    reader = _Reader(path)
    builder = _Builder(reader)
    parser = DefusedXMLParser(target=builder)
    builder.parser = parser
    try:
        parser.feed(data)
        parser.close()
    except ParseError as exc:
        line, col = exc.position
        raise BankError(line, col + 1, f"XML syntax: {_WHERE.sub('', str(exc))}") from None
    except defusedxml.EntitiesForbidden as exc:
        line, col = _declaration_start(data, *builder._place())
        message = (
            f"XML entity `{exc.name}` refused: entities can expand without bound (billion "
            "laughs) or read other files, and Moodle XML has none"
        )
        raise BankError(line, col, message) from None
    except defusedxml.ExternalReferenceForbidden as exc:
        line, col = builder._place()
        message = f"external XML reference `{exc.sysid}` refused: a bank may not point elsewhere"
        raise BankError(line, col, message) from None
    except defusedxml.DefusedXmlException as exc:  # pragma: no cover - DTDs are not refused
        line, col = builder._place()
        raise BankError(line, col, f"XML refused: {exc}") from None
    except RecursionError:  # pragma: no cover - nesting is capped at MAX_DEPTH
        raise BankError(1, 1, "XML nested too deeply") from None
    return Bank(tuple(reader.questions), tuple(reader.notices))


def _declaration_start(data: bytes, line: int, col: int) -> tuple[int, int]:
    """Where the ``<!ENTITY`` declaration that expat is inside of starts on its line (expat
    reports the place of its value)."""
    lines = data.split(b"\n")
    if not 1 <= line <= len(lines):
        return line, col
    text = lines[line - 1].decode("utf-8", errors="replace")
    start = text.rfind("<!ENTITY", 0, col)
    return line, (start + 1 if start >= 0 else col)


class _Reader:
    """Turns each ``<question>`` element into a ``Question`` as the parser closes it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.category: str | None = None
        self.questions: list[Question] = []
        self.notices: list[Notice] = []

    def question(self, element: _Element) -> None:
        kind = element.attrs.get("type", "").strip()
        if kind == "category":
            category = element.value("category", "text")
            self.category = category.strip() if category and category.strip() else None
            return
        if not kind:
            message = "a <question> without a `type` attribute: skipped"
            self.notices.append(Notice(self.path, element.line, element.col, message))
            return
        notes: list[str] = []
        text = self._text(element.child("questiontext"), notes, "its text")
        answers = tuple(self._answers(element, kind, notes))
        if kind == "numerical" and element.child("units", "unit") is not None:
            notes.append("its units are not kept: only the number is checked")
        if kind == "shortanswer" and (element.value("usecase") or "").strip() in _TRUE:
            notes.append("its answers were case-sensitive; drill ignores case")
        self.questions.append(
            Question(
                kind=kind,
                name=(element.value("name", "text") or "").strip() or None,
                text=text,
                answers=answers,
                general_feedback=self._text(element.child("generalfeedback"), notes) or None,
                path=self.path,
                line=element.line,
                col=element.col,
                single=_flag(element.value("single"), True),
                shuffle=_flag(element.value("shuffleanswers"), True),
                category=self.category,
                notes=tuple(notes),
                idnumber=(element.value("idnumber") or "").strip() or None,
            )
        )

    def _answers(self, element: _Element, kind: str, notes: list[str]) -> list[Answer]:
        answers: list[tuple[float, Answer]] = []
        for child in element.children:
            if child.tag != "answer":
                continue
            raw = child.attrs.get("fraction", "0").strip()
            try:
                fraction = float(raw)
            except ValueError:
                fraction = math.nan
            if not math.isfinite(fraction):
                message = f"answer fraction `{raw}` is not a number: counted as 0%"
                self.notices.append(Notice(self.path, child.line, child.col, message))
                fraction = 0.0
            tolerance = None
            if kind == "numerical":  # the numbers as written: the deck writer checks them
                text = (child.value("text") or "").strip()
                tolerance = (child.value("tolerance") or "0").strip()
            else:
                text = self._text(child, notes, "an answer", child.attrs.get("format"))
            answer = Answer(
                text=text,
                fraction=fraction / 100 if kind != "ordering" else 1.0,
                feedback=self._text(child.child("feedback"), notes) or None,
                line=child.line,
                col=child.col,
                tolerance=tolerance,
            )
            answers.append((fraction, answer))
        if kind == "ordering":  # an ordering answer's fraction is its place in the right order
            answers.sort(key=lambda pair: pair[0])
        return [answer for _, answer in answers]

    @staticmethod
    def _text(
        element: _Element | None, notes: list[str], what: str = "", fmt: str | None = None
    ) -> str:
        """The plain text of a Moodle text field (``<x format=...><text>...</text></x>``)."""
        if element is None:
            return ""
        raw = element.value("text") or ""
        name = fmt if fmt is not None else element.attrs.get("format", "moodle_auto_format")
        text_format: TextFormat = FORMAT_NAMES.get(name.strip(), "html")
        text, images = plain_text(raw, text_format)
        if images and what:
            notes.append(f"{what} shows an image, which drill cannot show")
        return text


def _flag(text: str | None, default: bool) -> bool:
    if text is None or not text.strip():
        return default
    return text.strip().lower() in _TRUE
