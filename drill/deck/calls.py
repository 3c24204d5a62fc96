"""A call card's ``turns`` as a deck file writes them, read and checked (SPEC section 9).

Two passes over the same nodes. The first reads each turn and reply with the ordinary field
machinery (unknown keys with their suggestion, types, 2-6 replies, duplicate reply texts). The
second checks the call as a graph: duplicate turn ids, a ``next`` that names no turn, a turn
without a good reply, a turn no path reaches, a path that comes back to a turn it passed. It
works from what could be read even where the first pass found problems, so a trainer sees every
problem of a card at once; a check that a broken node could make wrong (a misspelt ``nxt``
would make its target look unreachable) is held back until that node is fixed.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from drill.deck.fields import (
    INVALID,
    TEXT,
    Boolean,
    Kind,
    Report,
    Spec,
    Text,
    mapping_schema,
    quoted,
    read_mapping,
)
from drill.deck.model import Reply, Turn
from drill.deck.yamltree import MAPPING, SEQUENCE, Node

TURN_ID_PATTERN: Final = r"[A-Za-z0-9._-]{1,100}"
"""Turn ids are written like card ids."""
MAX_TURNS: Final = 20
GRAPH_LIMIT: Final = 100
"""Turns beyond which the graph is not checked: a call that long has one problem to fix first
(its length), and a hostile file's thousands of turns must not cost seconds of checking."""
MIN_REPLIES: Final = 2
MAX_REPLIES: Final = 6

TURN_ID: Final = Text(TURN_ID_PATTERN, "use letters, digits, `-`, `_` and `.` only")
GOOD: Final = Boolean()

REPLY_FIELDS: Final = {
    "text": Spec(TEXT, "What the trainee says.", required=True),
    "good": Spec(GOOD, "true for a good reply (default false); each turn needs at least one."),
    "why": Spec(TEXT, "Shown in the review after the call: why this reply is good or bad."),
    "next": Spec(TURN_ID, "The id of the turn that follows this reply; without it the call ends."),
}


class Replies(Kind):
    """A turn's 2-6 replies, each a mapping of ``REPLY_FIELDS``; texts differ within a turn."""

    def read(self, node: Node, key: str, report: Report) -> Any:
        if node.kind != SEQUENCE:
            what = "text" if node.kind != MAPPING else "a mapping"
            report(node, f"`{key}` must be a list of replies, not {what}")
            return INVALID
        items: list[Node] = node.value
        ok = _count_ok(node, key, len(items), MIN_REPLIES, MAX_REPLIES, "replies", report)
        replies: list[Reply] = []
        seen: set[str] = set()
        for item in items:
            values = read_mapping(item, REPLY_FIELDS, report, "a reply")
            if values is None:
                ok = False
                continue
            text = values["text"]
            if text in seen:
                report(item, f"duplicate reply {quoted(text)} in this turn")
                ok = False
            seen.add(text)
            replies.append(
                Reply(text, values.get("good", False), values.get("why"), values.get("next"))
            )
        return tuple(replies) if ok else INVALID

    def schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": MIN_REPLIES,
            "maxItems": MAX_REPLIES,
            "items": mapping_schema(REPLY_FIELDS),
        }


TURN_FIELDS: Final = {
    "id": Spec(TURN_ID, "Unique in the card; the `next` of a reply names it.", required=True),
    "customer": Spec(TEXT, "What the customer says at this turn.", required=True),
    "replies": Spec(
        Replies(), "2-6 replies to pick from; at least one `good: true`.", required=True
    ),
}


class Turns(Kind):
    """A call's 1-20 turns (the first opens the call), checked one by one and as a graph."""

    def read(self, node: Node, key: str, report: Report) -> Any:
        if node.kind != SEQUENCE:
            what = "text" if node.kind != MAPPING else "a mapping"
            report(node, f"`{key}` must be a list of turns, not {what}")
            return INVALID
        items: list[Node] = node.value
        ok = _count_ok(node, key, len(items), 1, MAX_TURNS, "turns", report)
        turns: list[Turn] = []
        for item in items:
            values = read_mapping(item, TURN_FIELDS, report, "a turn")
            if values is None:
                ok = False
                continue
            turns.append(Turn(values["id"], values["customer"], values["replies"]))
        if len(items) <= GRAPH_LIMIT:
            ok = _check_graph([_shape(item) for item in items], report) and ok
        return tuple(turns) if ok else INVALID

    def schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_TURNS,
            "items": mapping_schema(TURN_FIELDS),
        }


def _count_ok(
    node: Node, key: str, count: int, minimum: int, maximum: int, noun: str, report: Report
) -> bool:
    """Whether ``count`` items are allowed; reported at the list when not (reading goes on,
    so the items' own problems are found in the same pass)."""
    if count < minimum:
        report(node, f"`{key}` needs at least {minimum} {noun}, found {count}")
        return False
    if count > maximum:
        report(node, f"`{key}` allows at most {maximum} {noun}, found {count}")
        return False
    return True


# --- the call as a graph ---------------------------------------------------------------------


class _Edge(NamedTuple):
    """A reply's ``next``: the turn id it names, and the node where it is written."""

    target: str
    node: Node


class _Shape(NamedTuple):
    """What the graph checks need of one turn, read from its nodes as far as they can be.

    ``edges_known``: every reply of the turn was read clean enough that no ``next`` can be
    missing (no unknown key that might be a misspelt ``next``, no unreadable ``next``).
    ``good``: whether a reply is marked good; None when a reply's ``good`` cannot be read.
    """

    node: Node
    id: str | None
    id_node: Node | None
    replies_node: Node | None
    edges: tuple[_Edge, ...]
    edges_known: bool
    good: bool | None


def _silent(node: Node, message: str) -> None:
    """A report that drops the problem: the first pass has already reported it."""


def _peek(node: Node | None, kind: Kind) -> Any:
    """The value ``kind`` reads from ``node``, or None (no node, or one that does not read)."""
    if node is None:
        return None
    value = kind.read(node, "", _silent)
    return None if value is INVALID else value


def _fields(node: Node) -> dict[str, Node]:
    return {key.value: value for key, value in node.value}


def _shape(item: Node) -> _Shape:
    if item.kind != MAPPING:
        return _Shape(item, None, None, None, (), False, None)
    fields = _fields(item)
    id_node = fields.get("id")
    replies = fields.get("replies")
    if replies is None or replies.kind != SEQUENCE:  # missing, misspelt or not a list
        return _Shape(item, _peek(id_node, TURN_ID), id_node, None, (), False, None)
    edges: list[_Edge] = []
    known = True
    marked_good = False
    good_unreadable = False
    for reply in replies.value:
        if reply.kind != MAPPING:
            known = False
            continue
        reply_fields = _fields(reply)
        known = known and set(reply_fields) <= set(REPLY_FIELDS)
        target_node = reply_fields.get("next")
        if target_node is not None:
            target = _peek(target_node, TURN_ID)
            if target is None:
                known = False
            else:
                edges.append(_Edge(target, target_node))
        if "good" in reply_fields:
            marked = _peek(reply_fields["good"], GOOD)
            good_unreadable = good_unreadable or marked is None
            marked_good = marked_good or marked is True
    # A reply with an unknown key (`god: true`) or an unreadable `good` may be the good one.
    good = True if marked_good else None if good_unreadable or not known else False
    return _Shape(item, _peek(id_node, TURN_ID), id_node, replies, tuple(edges), known, good)


def _check_graph(shapes: list[_Shape], report: Report) -> bool:
    """Report every problem of the turns taken together; True when there is none."""
    ok = True
    first_of: dict[str, _Shape] = {}
    for shape in shapes:
        if shape.id is None:
            continue
        if shape.id in first_of:
            line = first_of[shape.id].node.line
            report(
                shape.id_node or shape.node,
                f"duplicate turn id `{shape.id}` (first used on line {line})",
            )
            ok = False
            continue
        first_of[shape.id] = shape
    for shape in shapes:
        if shape.good is False and shape.replies_node is not None:
            name = f"turn `{shape.id}`" if shape.id else "this turn"
            report(shape.replies_node, f"{name} has no good reply: mark one with `good: true`")
            ok = False
    ids_known = all(shape.id is not None for shape in shapes)
    dangling = False
    for shape in shapes:
        for edge in shape.edges:
            if edge.target not in first_of and ids_known:
                report(edge.node, _no_such_turn(edge.target, list(first_of)))
                ok, dangling = False, True
    ok = _check_cycles(shapes, first_of, report) and ok
    # A `next` naming no turn is most likely a misspelt turn id: its turn would look unreached.
    graph_known = (
        ids_known
        and not dangling
        and len(first_of) == len(shapes)
        and all(shape.edges_known for shape in shapes)
    )
    if graph_known and shapes:
        ok = _check_reachable(shapes, first_of, report) and ok
    return ok


def _no_such_turn(target: str, ids: list[str]) -> str:
    import difflib  # only on the error path: it is not free to import

    close = difflib.get_close_matches(target, ids, n=1, cutoff=0.6)
    listed = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
    hint = f"; did you mean `{close[0]}`?" if close else f" (turns: {listed})"
    return f"`next` names no turn of this call: `{target}`{hint}"


def _check_cycles(shapes: list[_Shape], first_of: dict[str, _Shape], report: Report) -> bool:
    """Report each ``next`` that leads back to a turn already passed on the way to it.

    A depth-first walk from the first turn, then from any turn it did not reach, so a loop
    among turns that nothing reaches is reported too. Every cycle has at least one such edge;
    each edge is looked at once. Iterative: a hostile file's thousands of turns cannot exhaust
    the stack.
    """
    ok = True
    done: set[str] = set()
    for start in shapes:
        if start.id is None or start.id in done or first_of.get(start.id) is not start:
            continue
        path = [start.id]
        on_path = {start.id}
        pending = [iter(start.edges)]
        while pending:
            edge = next(pending[-1], None)
            if edge is None:
                pending.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                continue
            target = edge.target
            if target not in first_of or target in done:
                continue
            if target in on_path:
                loop = " > ".join([*path[path.index(target) :], target])
                report(
                    edge.node,
                    f"`next: {target}` goes back to a turn this path already passed ({loop}):"
                    " every path through a call must come to an end",
                )
                ok = False
                continue
            path.append(target)
            on_path.add(target)
            pending.append(iter(first_of[target].edges))
    return ok


def _check_reachable(shapes: list[_Shape], first_of: dict[str, _Shape], report: Report) -> bool:
    """Report each turn that no path from the first turn reaches."""
    first = shapes[0].id
    assert first is not None
    reached = {first}
    waiting = [first]
    while waiting:
        for edge in first_of[waiting.pop()].edges:
            if edge.target in first_of and edge.target not in reached:
                reached.add(edge.target)
                waiting.append(edge.target)
    ok = True
    for shape in shapes:
        if shape.id not in reached:
            report(
                shape.id_node or shape.node,
                f"turn `{shape.id}` is never reached: no reply's `next` leads to it from the"
                f" first turn `{first}`",
            )
            ok = False
    return ok
