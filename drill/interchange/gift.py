"""drill's own reader of Moodle's GIFT format, keeping the line and column of every question and
every answer so that each warning and error names its place.

No maintained GIFT parser exists on the package index, and Moodle's own (``qformat_gift``) is the
definition: this reader follows it wherever a bank could notice a difference. Questions are
blocks of lines separated by blank lines; whole-line ``//`` comments are dropped (a
``[id:...]`` in one gives the question Moodle's id number);
``\\~ \\= \\# \\{ \\} \\: \\\\`` escape the control characters and ``\\n`` is a line break;
``$CATEGORY:`` sets the category; ``::name::`` names a question; ``[html]``, ``[moodle]``,
``[plain]`` and ``[markdown]`` set the format of the text they start; the first ``{...}`` holds
the answers (text after it makes a missing-word question, shown with ``_____``); ``####`` starts
the general feedback. What the answers look like decides the type, exactly as Moodle decides
it: ``{}`` an essay, ``{#...}`` numerical, any ``~`` multiple choice, ``=... -> ...`` matching,
``T``/``TRUE``/``F``/``FALSE`` true/false, anything else short answer.

Where Moodle would quietly import something other than what was meant (an unclosed ``::name``,
an answer block never closed, a number that is not one), this reader reports a syntax error at
its place instead, and the block is not imported.
"""

from __future__ import annotations

import bisect
import re
from decimal import Decimal
from typing import Final

from drill.interchange.model import Answer, Bank, BankError, Notice, Question
from drill.interchange.text import FORMAT_NAMES, TextFormat, decimal_of, number_text, plain_text

MAX_BYTES: Final = 64 * 1024 * 1024
"""Largest bank file read at all (GIFT and Moodle XML alike; XML carries images inline)."""

_CONTROL: Final = frozenset("~=#{}:")
_ESCAPED: Final = frozenset("~=#{}:\\")
_LINES: Final = re.compile(r"\r\n|\r|\n")
_WEIGHT: Final = re.compile(r"\s*%(-?[0-9]+(?:\.[0-9]*)?)%")
_FORMAT: Final = re.compile(r"\[([a-z_]+)\]")
_ID: Final = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
r"""Moodle's ``[id:...]`` in a question's comment lines (``\]`` for a bracket inside)."""
_STRAY_CLOSING: Final = "`}` without an opening `{` (write `\\}` for the character)"
_TRUE_FALSE: Final = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def decode(data: bytes, what: str) -> str:
    """UTF-8 text of a bank file (a BOM dropped); a binary file or invalid UTF-8 refused at its
    place. ``what`` names the format in messages."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = byte_position(data, nul)
        raise BankError(line, col, f"NUL byte: this is a binary file, not {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = byte_position(data, exc.start)
        message = f"invalid UTF-8 (byte 0x{data[exc.start]:02x}): {what} must be UTF-8"
        raise BankError(line, col, message) from None


def byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def read_gift(data: bytes, path: str) -> Bank:
    """Every question of a GIFT file. Raises ``BankError`` for a file that is not text; a block
    with a syntax error is reported as an error notice at its place and left out."""
    text = decode(data, "a GIFT file")
    questions: list[Question] = []
    notices: list[Notice] = []
    category: str | None = None
    for block in _blocks(text):
        try:
            category, question = _Reader(block, path, category).read()
        except _SyntaxError as exc:
            line, col = block.position(exc.offset)
            notices.append(Notice(path, line, col, exc.message, "error"))
            continue
        if question is not None:
            questions.append(question)
    return Bank(tuple(questions), tuple(notices))


# --- blocks and characters -------------------------------------------------------------------


class _Block:
    """One question's lines (comments left out), joined, with the file position of each char.

    Escapes are resolved once, up front: ``chars`` is the text with escapes replaced by the
    character they stand for, ``control[i]`` says whether ``chars[i]`` is an unescaped control
    character (so syntax), and ``origin[i]`` is its offset in the joined lines.
    """

    def __init__(self, lines: list[tuple[int, str]], comments: list[str]) -> None:
        self.comments = comments
        self._starts: list[int] = []
        self._numbers: list[int] = []
        offset = 0
        for number, line in lines:
            self._starts.append(offset)
            self._numbers.append(number)
            offset += len(line) + 1
        raw = "\n".join(line for _, line in lines)
        chars: list[str] = []
        control: list[bool] = []
        origin: list[int] = []
        i = 0
        while i < len(raw):
            c = raw[i]
            if c == "\\" and i + 1 < len(raw) and (raw[i + 1] in _ESCAPED or raw[i + 1] == "n"):
                chars.append("\n" if raw[i + 1] == "n" else raw[i + 1])
                control.append(False)
                origin.append(i)
                i += 2
                continue
            chars.append(c)
            control.append(c in _CONTROL)
            origin.append(i)
            i += 1
        self.chars = "".join(chars)
        self.control = control
        self.origin = origin

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column in the file of ``chars[index]`` (or of the block's end)."""
        if not self.origin:
            return self._numbers[0], 1
        offset = self.origin[min(index, len(self.origin) - 1)]
        row = bisect.bisect_right(self._starts, offset) - 1
        return self._numbers[row], offset - self._starts[row] + 1

    def find(self, char: str, start: int, end: int) -> int:
        """Index of the first unescaped control ``char`` in ``[start, end)``, or -1."""
        i = self.chars.find(char, start, end)
        while i >= 0 and not self.control[i]:
            i = self.chars.find(char, i + 1, end)
        return i

    def rfind(self, text: str, start: int, end: int) -> int:
        """Index of the last unescaped run ``text`` of control characters in the range, or -1."""
        i = self.chars.rfind(text, start, end)
        while i >= 0 and not all(self.control[i : i + len(text)]):
            i = self.chars.rfind(text, start, i + len(text) - 1)
        return i

    def skip_space(self, i: int, end: int) -> int:
        while i < end and self.chars[i].isspace():
            i += 1
        return i


def _blocks(text: str) -> list[_Block]:
    """The file's questions: runs of lines between blank lines, ``//`` comment lines dropped."""
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    comments: list[str] = []
    for number, line in enumerate(_LINES.split(text), 1):
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(_Block(current, comments))
            current, comments = [], []
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            current.append((number, line))
    if current:
        blocks.append(_Block(current, comments))
    return blocks


class _SyntaxError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


# --- one question ----------------------------------------------------------------------------


class _Reader:
    """Reads one block: a category line and/or one question."""

    def __init__(self, block: _Block, path: str, category: str | None) -> None:
        self.b = block
        self.path = path
        self.category = category

    def read(self) -> tuple[str | None, Question | None]:
        b = self.b
        end = len(b.chars)
        i = b.skip_space(0, end)
        if b.chars.startswith("$CATEGORY:", i):
            stop = b.chars.find("\n", i)
            stop = end if stop < 0 else stop
            self.category = b.chars[i + len("$CATEGORY:") : stop].strip() or None
            i = b.skip_space(stop, end)
            if i >= end:
                return self.category, None
        return self.category, self._question(i, end)

    def _question(self, start: int, end: int) -> Question:
        b = self.b
        name: str | None = None
        i = start
        if b.chars.startswith("::", i) and b.control[i] and b.control[i + 1]:
            close = b.find(":", i + 2, end)
            while close >= 0 and not (close + 1 < end and b.chars[close + 1] == ":"
                                      and b.control[close + 1]):  # fmt: skip
                close = b.find(":", close + 1, end)
            if close < 0:
                raise _SyntaxError(i, "the question name opened with `::` is not closed with `::`")
            name = b.chars[i + 2 : close].strip() or None
            i = b.skip_space(close + 2, end)
        opening = b.find("{", i, end)
        closing = b.find("}", i, end)
        if opening < 0 and closing < 0:
            fmt, text = _formatted(b.chars[i:end], "moodle")
            return self._make("description", name, text, fmt, (), None, start)
        if opening < 0 or 0 <= closing < opening:
            raise _SyntaxError(closing, _STRAY_CLOSING)
        if closing < 0:
            raise _SyntaxError(opening, "the answers opened with `{` are not closed with `}`")
        nested = b.find("{", opening + 1, closing)
        if nested >= 0:
            raise _SyntaxError(nested, "`{` inside the answers (write `\\{` for the character)")
        after = b.chars[closing + 1 : end]
        if b.find("{", closing + 1, end) >= 0:
            fmt, text = _formatted(b.chars[i:opening] + "_____" + after, "moodle")
            return self._make("cloze", name, text, fmt, (), None, start)
        stray = b.find("}", closing + 1, end)
        if stray >= 0:
            raise _SyntaxError(stray, _STRAY_CLOSING)
        blank = "_____" if after.strip() else ""
        fmt, text = _formatted(b.chars[i:opening] + blank + after, "moodle")
        answers_end = closing
        general: str | None = None
        hashes = b.rfind("####", opening + 1, closing)
        if hashes >= 0:
            general = self._plain(b.chars[hashes + 4 : closing], fmt)
            answers_end = hashes
        first = b.skip_space(opening + 1, answers_end)
        kind, answers = self._answers(first, answers_end, fmt)
        question = self._make(kind, name, text, fmt, answers, general, start)
        if kind == "multichoice":  # as in Moodle: several may be right unless one is marked `=`
            question = question._replace(single=b.find("=", first, answers_end) >= 0)
        return question

    def _make(
        self,
        kind: str,
        name: str | None,
        text: str,
        fmt: TextFormat,
        answers: tuple[Answer, ...],
        general: str | None,
        start: int,
    ) -> Question:
        plain, images = plain_text(text, fmt)
        line, col = self.b.position(start)
        notes = ("its text shows an image, which drill cannot show",) if images else ()
        found = next((m for c in self.b.comments if (m := _ID.search(c))), None)
        idnumber = found.group(1).replace("\\]", "]").strip() if found else None
        return Question(
            kind=kind,
            name=name,
            text=plain,
            answers=answers,
            general_feedback=general or None,
            path=self.path,
            line=line,
            col=col,
            category=self.category,
            notes=notes,
            idnumber=idnumber or None,
        )

    def _plain(self, text: str, default: TextFormat) -> str:
        fmt, body = _formatted(text, default)
        return plain_text(body, fmt)[0]

    # --- answers ---------------------------------------------------------------------------

    def _answers(self, start: int, end: int, fmt: TextFormat) -> tuple[str, tuple[Answer, ...]]:
        """The question's type, decided as Moodle decides it, and its answers."""
        b = self.b
        if start >= end:
            return "essay", ()
        if b.chars[start] == "#" and b.control[start]:
            return "numerical", self._numerical(start + 1, end, fmt)
        if b.find("~", start, end) >= 0:
            return "multichoice", _answers_of(self._split(start, end, fmt, "~=", False))
        if b.find("=", start, end) >= 0 and "->" in b.chars[start:end]:
            return "matching", ()
        hash_at = b.find("#", start, end)
        head = b.chars[start : end if hash_at < 0 else hash_at].strip()
        if head in _TRUE_FALSE:
            return "truefalse", self._true_false(start, end, _TRUE_FALSE[head], fmt)
        return "shortanswer", _answers_of(self._split(start, end, fmt, "=", True))

    def _markers(self, start: int, end: int, markers: str) -> list[int]:
        b = self.b
        return [i for i in range(start, end) if b.control[i] and b.chars[i] in markers]

    def _split(
        self, start: int, end: int, fmt: TextFormat, markers: str, before_first: bool
    ) -> list[tuple[int, Answer]]:
        """Answers each starting at a marker (``~`` wrong, ``=`` right), with an optional
        ``%weight%`` and ``#feedback``. A short answer may begin without ``=``, as in Moodle."""
        b = self.b
        at = self._markers(start, end, markers)
        segments: list[tuple[int, int, int]] = []  # (position, body start, body end)
        if not at or at[0] > start:
            if not before_first:
                message = "text before the first answer: start each answer with `~` or `=`"
                raise _SyntaxError(start, message)
            segments.append((start, start, at[0] if at else end))
        for n, marker in enumerate(at):
            segments.append((marker, marker + 1, at[n + 1] if n + 1 < len(at) else end))
        answers = []
        for position, body_start, body_end in segments:
            right = b.chars[position] == "=" or position == body_start
            fraction, body_start = self._weight(body_start, body_end, 1.0 if right else 0.0)
            hash_at = b.find("#", body_start, body_end)
            text_end = body_end if hash_at < 0 else hash_at
            feedback = None if hash_at < 0 else self._plain(b.chars[hash_at + 1 : body_end], fmt)
            line, col = b.position(position)
            text = self._plain(b.chars[body_start:text_end], fmt)
            answers.append((position, Answer(text, fraction, feedback or None, line, col)))
        return answers

    def _weight(self, start: int, end: int, default: float) -> tuple[float, int]:
        """A ``%n%`` credit at ``start`` (as a fraction), and where the answer text begins."""
        match = _WEIGHT.match(self.b.chars, start, end)
        if match is None:
            return default, start
        percent = float(match.group(1))
        if not -100 <= percent <= 100:
            raise _SyntaxError(start, f"answer weight {match.group(1)}% is not from -100% to 100%")
        return percent / 100, match.end()

    def _true_false(self, start: int, end: int, truth: bool, fmt: TextFormat) -> tuple[Answer, ...]:
        """``{T#wrong feedback#right feedback}`` as Moodle's two answers, true and false."""
        b = self.b
        parts: list[str] = []
        cut = start
        for _ in range(2):
            hash_at = b.find("#", cut, end)
            if hash_at < 0:
                break
            parts.append(b.chars[cut:hash_at])
            cut = hash_at + 1
        parts.append(b.chars[cut:end])
        wrong = self._plain(parts[1], fmt) if len(parts) > 1 else ""
        right = self._plain(parts[2], fmt) if len(parts) > 2 else ""
        line, col = b.position(start)
        return (
            Answer("true", 1.0 if truth else 0.0, (right if truth else wrong) or None, line, col),
            Answer("false", 0.0 if truth else 1.0, (wrong if truth else right) or None, line, col),
        )

    def _numerical(self, start: int, end: int, fmt: TextFormat) -> tuple[Answer, ...]:
        """``{#1822:5}``, ``{#3.141..3.142}`` or ``{# =1822:0 =%50%1822:2}``; a ``~`` part
        (Moodle's feedback for any wrong number) has no place in a deck and is left out."""
        b = self.b
        wrong = b.find("~", start, end)
        end = end if wrong < 0 else wrong
        start = b.skip_space(start, end)
        if start >= end:
            raise _SyntaxError(start, "a numerical question needs a number after `{#`")
        answers = []
        for position, answer in self._split(start, end, fmt, "=", True):
            number, tolerance = _number_and_tolerance(answer.text)
            if number is None:
                message = f"`{answer.text}` is not a number, `N:TOLERANCE` or `MIN..MAX`"
                raise _SyntaxError(position, message)
            answers.append(answer._replace(text=number, tolerance=tolerance))
        return tuple(answers)


def _answers_of(located: list[tuple[int, Answer]]) -> tuple[Answer, ...]:
    return tuple(answer for _, answer in located)


def _formatted(text: str, default: TextFormat) -> tuple[TextFormat, str]:
    """A text's ``[format]`` prefix, if it has a known one, and the text after it."""
    stripped = text.strip()
    match = _FORMAT.match(stripped)
    if match is not None and match.group(1) in ("html", "moodle", "plain", "markdown"):
        return FORMAT_NAMES[match.group(1)], stripped[match.end() :]
    return default, stripped


def _number_and_tolerance(text: str) -> tuple[str | None, str | None]:
    """GIFT's ``N``, ``N:TOLERANCE`` or ``MIN..MAX`` as a number and a tolerance, both as
    exact decimal text (a range's middle and half-width, as Moodle turns it into)."""
    if ".." in text:
        low_text, high_text = text.split("..", 1)
        low, high = decimal_of(low_text), decimal_of(high_text)
        if low is None or high is None or low > high:
            return None, None
        return number_text((low + high) / 2), number_text((high - low) / 2)
    number_part, _, tolerance_part = text.partition(":")
    number = decimal_of(number_part)
    tolerance = decimal_of(tolerance_part) if tolerance_part.strip() else Decimal(0)
    if number is None or tolerance is None or tolerance < 0:
        return None, None
    return number_text(number), number_text(tolerance)
