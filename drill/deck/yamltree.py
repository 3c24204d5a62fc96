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

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import yaml


MAX_BYTES: Final = 8 * 1024 * 1024
"""Largest file read at all; a 10,000-card deck is about 1.5 MB."""
MAX_DEPTH: Final = 32
"""Deepest nesting accepted; a deck needs 5 levels (deck, cards, card, choices, choice)."""
MAX_NODES: Final = 250_000
"""Largest tree, counted as aliases would expand it; stops alias bombs before they grow. A card
of the bundled decks is about 28 nodes, so this is some 9,000 such cards (20,000 small ones),
and what bounds a hostile file's time and memory (about 200 bytes a node): a 2,000,000 cap let
an 8 MiB file of one-letter list items exhaust 200 MB and take seconds before being refused."""

SCALAR: Final = 0
SEQUENCE: Final = 1
MAPPING: Final = 2

_CORE_TAG_PREFIX: Final = "tag:yaml.org,2002:"
_STR_TAG: Final = "tag:yaml.org,2002:str"
_ALLOWED_TAGS: Final = frozenset(
    {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "!"}
)


class Node:
    """One YAML node: a scalar's text, a sequence's items or a mapping's (key, value) pairs.

    ``line`` and ``col`` are 1-based and count characters. ``plain`` is true for a scalar written
    without quotes or block style: only plain scalars may be read as numbers, booleans or null.
    """

    __slots__ = ("col", "kind", "line", "plain", "size", "value")

    def __init__(self, kind: int, value: Any, line: int, col: int, plain: bool) -> None:
        self.kind = kind
        self.value: Any = value
        """A scalar's text (``str``), a sequence's ``list[Node]`` or a mapping's
        ``list[tuple[Node, Node]]``, as ``kind`` says: ``Any``, since only ``kind`` tells which."""
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
    """The tree of the single YAML document in ``text``; None for an empty file.

    PyYAML is imported here, on the first parse, not with this module: a command whose decks
    all come from the load cache never loads it.
    """
    import yaml

    parser = _event_parser(text)
    try:
        return _build(parser)
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, e.g. a control code
        # libyaml gives its place as a byte offset into the UTF-8 text it was handed.
        line, col = _byte_position(text.encode("utf-8", "surrogatepass"), exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"YAML syntax: unacceptable character U+{char:04X}: {exc.reason}"
        raise YamlProblem(line, col, message) from None
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


def _event_parser(text: str) -> Any:
    """libyaml's event parser when PyYAML was built with it; the pure-Python one otherwise."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - exercised only on PyYAML builds without libyaml
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class PyParser(Reader, Scanner, Parser):
            def __init__(self, stream: str) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)

        return PyParser(text)
    return CParser(text)


def _build(parser: Any) -> Node | None:
    """Iterative tree construction: no recursion, so nesting depth costs no stack.

    The collection being filled is kept in local variables (the hot path: a scalar added to
    it touches nothing else); the enclosing ones wait on ``stack`` until it ends.
    """
    import yaml

    get_event = parser.get_event
    scalar_event = yaml.ScalarEvent
    mapping_start = yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    mapping_end = yaml.MappingEndEvent
    sequence_end = yaml.SequenceEndEvent
    alias_event = yaml.AliasEvent
    document_start = yaml.DocumentStartEvent
    stream_end = yaml.StreamEndEvent
    allowed_tags = _ALLOWED_TAGS

    anchors: dict[str, Node] = {}
    stack: list[tuple[Any, ...]] = []
    """The enclosing collections' state, as in the five variables below."""
    collection: Node | None = None
    """The collection being filled; None at the top level."""
    items: list[Any] = []
    """Its items (a sequence) or (key, value) pairs (a mapping)."""
    keys: set[str] | None = None
    """A mapping's keys so far; None for a sequence."""
    key: Node | None = None
    """A mapping's key waiting for its value."""
    start = 0
    """``total`` when the collection began (for its size)."""
    root: Node | None = None
    total = 0
    documents = 0

    while True:
        event = get_event()
        cls = type(event)
        node: Node
        if cls is scalar_event:
            tag = event.tag
            plain = not event.style
            if tag is not None:
                if tag not in allowed_tags:
                    _refuse_tag(event)
                if tag == _STR_TAG:
                    plain = False
            mark = event.start_mark
            node = Node(SCALAR, event.value, mark.line + 1, mark.column + 1, plain)
            total += 1
            if total > MAX_NODES:
                _too_many(node)
            if event.anchor is not None:
                anchors[event.anchor] = node
        elif cls is mapping_end or cls is sequence_end:
            node = collection  # type: ignore[assignment]
            node.size = total - start + 1
            collection, items, keys, key, start = stack.pop()
            if total > MAX_NODES:
                _too_many(node)
        elif cls is mapping_start or cls is sequence_start:
            if event.tag is not None and event.tag not in allowed_tags:
                _refuse_tag(event)
            mark = event.start_mark
            if len(stack) >= MAX_DEPTH:
                raise YamlProblem(
                    mark.line + 1,
                    mark.column + 1,
                    f"nested more than {MAX_DEPTH} levels deep: not a deck",
                )
            kind = MAPPING if cls is mapping_start else SEQUENCE
            opened = Node(kind, [], mark.line + 1, mark.column + 1, False)
            total += 1
            if event.anchor is not None:
                anchors[event.anchor] = opened
            stack.append((collection, items, keys, key, start))
            collection, items, key, start = opened, opened.value, None, total
            keys = set() if kind == MAPPING else None
            continue
        elif cls is alias_event:
            target = anchors.get(event.anchor)
            if target is None:
                mark = event.start_mark
                raise YamlProblem(
                    mark.line + 1, mark.column + 1, f"alias *{event.anchor} has no anchor"
                )
            if target is collection or any(entry[0] is target for entry in stack):
                mark = event.start_mark
                raise YamlProblem(
                    mark.line + 1,
                    mark.column + 1,
                    f"alias *{event.anchor} is inside the collection it names: a loop",
                )
            node = target
            total += target.size
            if total > MAX_NODES:
                _too_many(node)
        elif cls is document_start:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise YamlProblem(
                    mark.line + 1,
                    mark.column + 1,
                    "a second YAML document: a deck file holds exactly one",
                )
            continue
        elif cls is stream_end:
            return root
        else:  # StreamStart, DocumentEnd
            continue

        if collection is None:
            root = node
        elif keys is None:  # a sequence item
            items.append(node)
        elif key is None:  # a mapping key
            if node.kind != SCALAR:
                raise YamlProblem(node.line, node.col, "a mapping key must be plain text")
            if node.value in keys:
                raise YamlProblem(node.line, node.col, f"duplicate key `{_excerpt(node.value)}`")
            if node.value == "<<" and node.plain:
                raise YamlProblem(
                    node.line, node.col, "merge keys (<<) are not supported: write the keys out"
                )
            keys.add(node.value)
            key = node
        else:  # a mapping value
            items.append((key, node))
            key = None


def _excerpt(key: str) -> str:
    """A key as quoted in a message: short, and with control characters escaped (a file read
    as a deck by mistake must not be echoed back, nor drive the terminal)."""
    from drill.escapes import visible

    return visible(key if len(key) <= 24 else key[:23] + "…")


def _too_many(node: Node) -> None:
    raise YamlProblem(
        node.line,
        node.col,
        f"more than {MAX_NODES:,} values once aliases are expanded: refused",
    )


def _refuse_tag(event: yaml.Event) -> None:
    mark = event.start_mark
    assert mark is not None  # libyaml marks every event it parses
    tag = getattr(event, "tag", None) or ""  # only node events have tags; only they reach here
    shown = "!!" + tag[len(_CORE_TAG_PREFIX) :] if tag.startswith(_CORE_TAG_PREFIX) else tag
    raise YamlProblem(
        mark.line + 1, mark.column + 1, f"YAML tag `{shown}` is not allowed in a deck"
    )
