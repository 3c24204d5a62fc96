"""A position-keeping YAML tree built straight from libyaml's event stream.

``yaml.safe_load`` will not do for decks: its YAML 1.1 resolver turns ``Yes``/``No``/``on`` into
booleans (SPEC 1 wants the text the trainer wrote), it forgets where each value stood (errors must
say LINE:COL), its composer recurses (10,000 levels of nesting exhaust the stack) and its Python
resolver is most of its run time. Here every scalar stays text with its position and whether it
was written plain; the deck loader decides what a scalar means from the field it sits in.

Hostile input is refused early and in bounded time and memory: a byte cap before reading, NUL
bytes and invalid UTF-8 located to the character, a nesting cap, a cap on the size of the tree as
aliases would expand it (alias bombs), tags other than the core ones, duplicate keys, several
documents in one file.
"""

from __future__ import annotations

from typing import Final

import yaml

try:  # libyaml's event parser when PyYAML was built with it; the pure-Python one otherwise.
    from yaml._yaml import CParser as _EventParser
except ImportError:  # pragma: no cover - exercised only on PyYAML builds without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _PyReader
    from yaml.scanner import Scanner as _PyScanner

    class _EventParser(_PyReader, _PyScanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _PyReader.__init__(self, stream)
            _PyScanner.__init__(self)
            _PyParser.__init__(self)


MAX_BYTES: Final = 8 * 1024 * 1024
"""Largest file read at all; a 10,000-card deck is about 1.5 MB."""
MAX_DEPTH: Final = 32
"""Deepest nesting accepted; a deck needs 5 levels (deck, cards, card, choices, choice)."""
MAX_NODES: Final = 2_000_000
"""Largest tree, counted as aliases would expand it; stops alias bombs before they grow."""

SCALAR: Final = 0
SEQUENCE: Final = 1
MAPPING: Final = 2

_CORE_TAG_PREFIX: Final = "tag:yaml.org,2002:"
_ALLOWED_TAGS: Final = frozenset(
    {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "!"}
)


class Node:
    """One YAML node: a scalar's text, a sequence's items or a mapping's (key, value) pairs.

    ``line`` and ``col`` are 1-based and count characters. ``plain`` is true for a scalar written
    without quotes or block style: only plain scalars may be read as numbers, booleans or null.
    """

    __slots__ = ("col", "kind", "line", "plain", "size", "value")

    def __init__(self, kind: int, value: object, line: int, col: int, plain: bool) -> None:
        self.kind = kind
        self.value = value
        self.line = line
        self.col = col
        self.plain = plain
        self.size = 1


class YamlProblem(Exception):
    """The file is not YAML a deck can be read from; ``line``/``col`` locate the cause."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


def decode(data: bytes) -> str:
    """UTF-8 text of ``data`` (a leading BOM dropped); NUL and invalid bytes refused by place."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(data, nul)
        raise YamlProblem(line, col, "NUL byte: this is a binary file, not a YAML deck")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        raise YamlProblem(
            line, col, f"invalid UTF-8 (byte 0x{data[exc.start]:02x}): decks must be UTF-8"
        ) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def parse(text: str) -> Node | None:
    """The tree of the single YAML document in ``text``; None for an empty file."""
    parser = _EventParser(text)
    try:
        return _build(parser)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise YamlProblem(line, col, f"YAML syntax: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, f"YAML syntax: {exc}") from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _build(parser: _EventParser) -> Node | None:
    """Iterative tree construction: no recursion, so nesting depth costs no stack."""
    get_event = parser.get_event
    scalar_event = yaml.ScalarEvent
    mapping_start = yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    collection_end = (yaml.SequenceEndEvent, yaml.MappingEndEvent)

    anchors: dict[str, Node] = {}
    # Each open collection: [node, pending key (mappings), keys seen (mappings), size at start].
    stack: list[list] = []
    root: Node | None = None
    total = 0
    documents = 0

    while True:
        event = get_event()
        cls = type(event)
        node: Node | None
        if cls is scalar_event:
            mark = event.start_mark
            style = event.style
            plain = not style
            if event.tag is not None and event.tag not in _ALLOWED_TAGS:
                _refuse_tag(event)
            elif event.tag == "tag:yaml.org,2002:str":
                plain = False
            node = Node(SCALAR, event.value, mark.line + 1, mark.column + 1, plain)
            total += 1
        elif cls is mapping_start or cls is sequence_start:
            if event.tag is not None and event.tag not in _ALLOWED_TAGS:
                _refuse_tag(event)
            mark = event.start_mark
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(
                    mark.line + 1,
                    mark.column + 1,
                    f"nested more than {MAX_DEPTH} levels deep: not a deck",
                )
            kind = MAPPING if cls is mapping_start else SEQUENCE
            collection = Node(kind, [], mark.line + 1, mark.column + 1, False)
            total += 1
            if event.anchor is not None:
                anchors[event.anchor] = collection
            stack.append([collection, None, set() if kind == MAPPING else None, total])
            continue
        elif cls in collection_end:
            entry = stack.pop()
            node = entry[0]
            node.size = total - entry[3] + 1
        elif cls is yaml.AliasEvent:
            target = anchors.get(event.anchor)
            mark = event.start_mark
            if target is None:
                raise YamlProblem(
                    mark.line + 1, mark.column + 1, f"alias *{event.anchor} has no anchor"
                )
            node = target
            total += target.size
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise YamlProblem(
                    mark.line + 1,
                    mark.column + 1,
                    "a second YAML document: a deck file holds exactly one",
                )
            continue
        elif cls is yaml.StreamEndEvent:
            return root
        else:  # StreamStart, DocumentEnd
            continue

        if total > MAX_NODES:
            raise YamlProblem(
                node.line,
                node.col,
                f"more than {MAX_NODES:,} values once aliases are expanded: refused",
            )
        if cls is scalar_event and event.anchor is not None:
            anchors[event.anchor] = node

        if not stack:
            root = node
            continue
        parent = stack[-1]
        if parent[2] is None:  # sequence
            parent[0].value.append(node)
        elif parent[1] is None:  # a mapping key
            if node.kind != SCALAR:
                raise YamlProblem(node.line, node.col, "a mapping key must be plain text")
            if node.value in parent[2]:
                raise YamlProblem(node.line, node.col, f"duplicate key `{node.value}`")
            if node.value == "<<" and node.plain:
                raise YamlProblem(
                    node.line, node.col, "merge keys (<<) are not supported: write the keys out"
                )
            parent[2].add(node.value)
            parent[1] = node
        else:  # a mapping value
            parent[0].value.append((parent[1], node))
            parent[1] = None


def _refuse_tag(event: yaml.Event) -> None:
    mark = event.start_mark
    tag = event.tag or ""
    shown = "!!" + tag[len(_CORE_TAG_PREFIX) :] if tag.startswith(_CORE_TAG_PREFIX) else tag
    raise YamlProblem(
        mark.line + 1, mark.column + 1, f"YAML tag `{shown}` is not allowed in a deck"
    )
