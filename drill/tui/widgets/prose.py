"""Text that wraps like text should, Chinese included: the widget for deck content and longer
messages on every screen (prompts, choices, steps, answers, explanations, feedback).

Textual wraps a ``Static`` with Rich's line breaking, which lets a Chinese line start with
``，``; ``Prose`` breaks its lines with ``drill.tui.wrap.divide_line`` first, at the width it is
drawn at, and hands Textual lines that already fit. Its text is never read as markup: a deck's
``[red]`` is shown as written.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from drill.tui.wrap import divide_line


class BrokenLines(Visual):
    """``content`` with its lines broken by ``divide_line`` for the width it is drawn at."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._cache: tuple[int, Content] | None = None

    def __str__(self) -> str:
        return self.content.plain

    def broken(self, width: int) -> Content:
        """The content with a newline wherever a line must break at ``width`` cells."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        lines: list[Content] = []
        for paragraph in self.content.split("\n", allow_blank=True):
            pieces = paragraph.divide(divide_line(paragraph.plain, max(width, 1)))
            lines.extend(piece.rstrip() for piece in pieces[:-1])
            lines.append(pieces[-1])
        result = Content("\n").join(lines)
        self._cache = (width, result)
        return result

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        pad = options.rules.get("line_pad", 0) * 2
        return self.broken(width - pad).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        pad = rules.get("line_pad", 0) * 2
        return self.broken(width - pad).get_height(rules, width)


def as_content(text: str | Text | Content) -> Content:
    """Plain text (never markup), styled Rich ``Text``, or ``Content``, as ``Content``."""
    if isinstance(text, Content):
        return text
    if isinstance(text, Text):
        return Content.from_rich_text(text)
    return Content(text)


class Prose(Static):
    """A ``Static`` for text, wrapped so a line never starts with closing punctuation."""

    def __init__(
        self,
        text: str | Text | Content = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(BrokenLines(as_content(text)), id=id, classes=classes, markup=False)

    def set_text(self, text: str | Text | Content) -> None:
        """Show ``text`` instead."""
        self.update(BrokenLines(as_content(text)))

    @property
    def plain(self) -> str:
        """The text shown, without styles or line breaks."""
        return str(self.visual)
