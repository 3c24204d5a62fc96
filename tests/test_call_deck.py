"""Call cards in the deck format (SPEC 9): what a valid call loads as, every mistake a trainer
can make in one reported at its line and column, all of a card's mistakes in one pass, the
schema editors get, and the deck cache keeping turns and replies intact."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.deck import cache as cache_module
from drill.deck.cache import DeckCache
from drill.deck.loader import load_file, load_text
from drill.deck.model import CallCard, Reply
from drill.deck.schema import deck_schema

REPO = Path(__file__).resolve().parents[1]
CALL_DECKS = REPO / "tests" / "call_decks"

# A valid call; each case below changes one thing and names where the problem must be found.
CALL = """\
id: d
title: T
cards:
  - id: c
    prompt: A caller wants a refund.
    turns:
      - id: open
        customer: I want my money back.
        replies:
          - text: I'm sorry. Let me look at the order with you.
            good: true
            next: look
          - text: Refunds are not possible.
            why: Shuts the door.
            next: angry
      - id: angry
        customer: Then I'm leaving you.
        replies:
          - text: Please give me a minute to look at it.
            good: true
            next: look
          - text: As you wish.
      - id: look
        customer: Well?
        replies:
          - text: The refund is on its way.
            good: true
          - text: Nothing I can do.
"""


def load(text: str):
    return load_text(text, "d.yaml")


def problems(text: str) -> list[str]:
    result = load(text)
    assert result.deck is None, "expected the deck to be refused"
    return [f"{p.line}:{p.col}: {p.message}" for p in result.problems]


def at(text: str, needle: str, nth: int = 1) -> str:
    """LINE:COL (1-based) of the ``nth`` occurrence of ``needle`` in ``text``."""
    offset = -1
    for _ in range(nth):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{col}"


def edit(old: str, new: str, nth: int = 1) -> str:
    """``CALL`` with the ``nth`` occurrence of ``old`` replaced by ``new``."""
    parts = CALL.split(old)
    assert len(parts) > nth, f"{old!r} occurs fewer than {nth} times"
    return old.join(parts[:nth]) + new + old.join(parts[nth:])


def test_a_call_loads_with_its_type_inferred_from_turns():
    deck = load(CALL).deck
    assert deck is not None
    (card,) = deck.cards
    assert isinstance(card, CallCard) and card.type == "call"
    assert [t.id for t in card.turns] == ["open", "angry", "look"]
    assert card.turns[0].replies[1] == Reply(
        "Refunds are not possible.", False, "Shuts the door.", "angry"
    )
    assert card.turns[1].replies[1] == Reply("As you wish.", False, None, None)  # the call ends
    assert card.turns[0].good_replies == (card.turns[0].replies[0],)
    assert card.prompt_text == "A caller wants a refund." and card.turn_index("look") == 2


def test_a_derived_call_id_comes_from_the_scene():
    deck = load(CALL.replace("  - id: c\n    prompt", "  - prompt")).deck
    assert deck is not None and deck.cards[0].id.startswith("call-")


LOOP = "`next: {t}` goes back to a turn this path already passed ({path}): every path through a call must come to an end"

CASES = [
    pytest.param(
        edit("next: look", "next: lok"),
        [("lok", "`next` names no turn of this call: `lok`; did you mean `look`?")],
        id="next names no turn, with a suggestion",
    ),
    pytest.param(
        edit("next: angry", "next: angy"),
        [("angy", "`next` names no turn of this call: `angy`; did you mean `angry`?")],
        id="a misspelt next (and its turn is not called unreachable)",
    ),
    pytest.param(
        edit("next: look", "next: elsewhere"),
        [("elsewhere", "`next` names no turn of this call: `elsewhere` (turns: open, angry, look)")],
        id="next names no turn, nothing close",
    ),
    pytest.param(
        edit("next: angry", ""),
        [("angry\n        customer", "turn `angry` is never reached: no reply's `next` leads to it from the first turn `open`")],
        id="a turn no path reaches",
    ),
    pytest.param(
        edit("next: look", "next: open", 2),
        [("open", LOOP.format(t="open", path="open > angry > open"), 2)],
        id="a path that returns to a turn it passed",
    ),
    pytest.param(
        edit("          - text: Nothing I can do.\n", "          - text: Nothing I can do.\n            next: look\n"),
        [("look", LOOP.format(t="look", path="look > look"), 6)],
        id="a turn that leads to itself",
    ),
    pytest.param(
        edit("            good: true\n", "", 2),
        [("- text: Please", "turn `angry` has no good reply: mark one with `good: true`")],
        id="a turn without a good reply",
    ),
    pytest.param(
        edit("          - text: Nothing I can do.\n", ""),
        [("- text: The refund", "`replies` needs at least 2 replies, found 1")],
        id="fewer than 2 replies",
    ),
    pytest.param(
        edit("          - text: Nothing I can do.\n", "".join(f"          - text: No {i}\n" for i in range(6))),
        [("- text: The refund", "`replies` allows at most 6 replies, found 7")],
        id="more than 6 replies",
    ),
    pytest.param(
        CALL + "      - id: open\n        customer: Again?\n        replies:\n"
        "          - {text: A, good: true}\n          - {text: B}\n",
        [("open", "duplicate turn id `open` (first used on line 7)", 2)],
        id="duplicate turn ids",
    ),
    pytest.param(
        edit("          - text: As you wish.\n", "          - text: Please give me a minute to look at it.\n"),
        [("text: Please give", "duplicate reply `Please give me a minute to look at it.` in this turn", 2)],
        id="duplicate reply texts in a turn",
    ),
    pytest.param(
        edit("next: angry", "nxt: angry"),
        [("nxt", "unknown key `nxt` in a reply; did you mean `next`?")],
        id="a misspelt next (and its target is not called unreachable)",
    ),
    pytest.param(
        edit("good: true", "god: true", 3),
        [("god", "unknown key `god` in a reply; did you mean `good`?")],
        id="a misspelt good (and the turn is not called without a good reply)",
    ),
    pytest.param(
        edit("good: true", "good: yes"),
        [("yes", "`good` must be true or false")],
        id="good that is not true or false",
    ),
    pytest.param(
        CALL.split("    turns:\n")[0] + "    turns: open\n",
        [("open", "`turns` must be a list of turns, not text")],
        id="turns that are not a list",
    ),
    pytest.param(
        edit("id: angry", "id: angry call"),
        [("angry call", "`id` `angry call` is not valid: use letters, digits, `-`, `_` and `.` only")],
        id="a turn id with a space",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_call_mistake_is_reported_at_its_node(text: str, expected: list[tuple]):
    wanted = [f"{at(text, e[0], *e[2:])}: {e[1]}" for e in expected]
    assert problems(text) == wanted


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("customer: Well?", "custmer: Well?", "unknown key `custmer` in a turn; did you mean `customer`?"),
        ("    turns:\n", "    turn:\n", "unknown key `turn` in a call card; did you mean `turns`?"),
        ("- text: As you wish.", "- txt: As you wish.", "unknown key `txt` in a reply; did you mean `text`?"),
    ],
)  # fmt: skip
def test_a_misspelt_required_key_is_reported_with_its_suggestion(old, new, message):
    """(Whether "missing `customer`" is also said is the field machinery's business.)"""
    text = edit(old, new)
    assert f"{at(text, new.strip().lstrip('- ').split(':')[0])}: {message}" in problems(text)


def test_more_than_20_turns_is_reported_at_the_turns():
    extra = "".join(
        f"      - id: t{i}\n        customer: C\n        replies:\n"
        f"          - {{text: A, good: true, next: t{i + 1}}}\n          - {{text: B}}\n"
        for i in range(18)
    )
    text = edit(
        "      - id: look\n",
        extra + "      - id: t18\n        customer: C\n        replies:\n"
        "          - {text: A, good: true, next: look}\n          - {text: B}\n      - id: look\n",
    ).replace("next: look\n          - text: Refunds", "next: t0\n          - text: Refunds")
    assert problems(text) == [
        f"{at(text, '- id: open')}: `turns` allows at most 20 turns, found 22"
    ]


def test_every_problem_of_a_card_is_reported_in_one_pass():
    text = (
        CALL.replace("next: look", "next: lok", 1)  # names no turn
        .replace("            good: true\n            next: look\n", "            next: open\n", 1)  # a loop, and no good reply
        .replace("          - text: Nothing I can do.\n", "")  # one reply only
        .replace("why: Shuts the door.", "whyy: Shuts the door.")  # misspelt
    )  # fmt: skip
    assert problems(text) == [
        f"{at(text, 'lok')}: `next` names no turn of this call: `lok`; did you mean `look`?",
        f"{at(text, 'whyy')}: unknown key `whyy` in a reply; did you mean `why`?",
        f"{at(text, '- text: Please')}: turn `angry` has no good reply: mark one with `good: true`",
        f"{at(text, 'open', 2)}: " + LOOP.format(t="open", path="open > angry > open"),
        f"{at(text, '- text: The refund')}: `replies` needs at least 2 replies, found 1",
    ]


def test_validate_prints_each_call_problem_as_path_line_col(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(edit("next: look", "next: lok"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "drill", "validate", str(path)],
                          capture_output=True, text=True, cwd=REPO, timeout=60)  # fmt: skip
    assert proc.returncode == 1
    where = at(edit("next: look", "next: lok"), "lok")
    assert proc.stdout == (
        f"{path}:{where}: error: `next` names no turn of this call: `lok`; did you mean `look`?\n"
    )


# --- schema and cache ------------------------------------------------------------------------


def test_the_schema_describes_call_cards():
    schema = deck_schema()
    validator = jsonschema.Draft7Validator(schema)
    (call,) = [v for v in schema["properties"]["cards"]["items"]["anyOf"]
               if v["properties"]["type"] == {"const": "call"}]  # fmt: skip
    assert call["required"] == ["prompt", "turns"]
    turn = call["properties"]["turns"]["items"]
    assert call["properties"]["turns"]["maxItems"] == 20
    assert set(turn["properties"]) == {"id", "customer", "replies"}
    replies = turn["properties"]["replies"]
    assert (replies["minItems"], replies["maxItems"]) == (2, 6)
    assert set(replies["items"]["properties"]) == {"text", "good", "why", "next"}
    assert replies["items"]["additionalProperties"] is False
    import yaml

    for path in sorted(CALL_DECKS.glob("*.yaml")):
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    too_many = yaml.safe_load(edit("          - text: Nothing I can do.\n", "".join(
        f"          - text: No {i}\n" for i in range(6))))  # fmt: skip
    assert not validator.is_valid(too_many)
    misspelt = yaml.safe_load(edit("next: angry", "nxt: angry"))
    assert not validator.is_valid(misspelt)


def test_a_call_deck_reads_back_from_the_cache_equal(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cache_module, "RECENT_S", 0.0)
    home = tmp_path / "home"
    home.mkdir()
    path = str(CALL_DECKS / "calls-en.yaml")
    first = DeckCache(home).load(path)
    monkeypatch.setattr(cache_module, "load_file", lambda _: pytest.fail("parsed, not cached"))
    again = DeckCache(home).load(path)
    assert again == load_file(path) and repr(again) == repr(first)
    card = again.deck.cards[0]
    assert type(card.turns[0]).__name__ == "Turn" and type(card.turns[0].replies[0]) is Reply


def test_an_entry_of_the_previous_cache_format_is_not_used(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cache_module, "RECENT_S", 0.0)
    home = tmp_path / "home"
    home.mkdir()
    path = str(CALL_DECKS / "calls-en.yaml")
    DeckCache(home).load(path)
    monkeypatch.setattr(cache_module, "FORMAT", cache_module.FORMAT - 1)
    parsed = []
    monkeypatch.setattr(cache_module, "load_file", lambda p: parsed.append(p) or load_file(p))
    assert DeckCache(home).load(path).deck is not None and parsed == [path]


def test_fixture_and_readme_calls_are_valid():
    """The README's five-turn example is a deck a trainer can copy as it is."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    calls = [b for b in blocks if "type: call" in b]
    assert calls, "the README has no call example"
    for block in calls:
        result = load_text(block, "README.md")
        assert result.deck is not None, result.problems
        (card,) = [c for c in result.deck.cards if isinstance(c, CallCard)]
        assert len(card.turns) == 5
    for path in CALL_DECKS.glob("*.yaml"):
        assert load_file(str(path)).deck is not None
    assert json.loads(json.dumps(deck_schema()))  # plain JSON


# --- the graph checks against an independent oracle ------------------------------------------

TURN_IDS = ["a", "b", "c", "d", "e"]
VERDICTS: Counter[bool] = Counter()


@st.composite
def call_graphs(draw: st.DrawFn) -> list[dict]:
    """Random small calls, valid or broken in any of the ways the graph checks know: `next`
    mostly to a later turn (so many calls are valid), sometimes to any turn (loops), to no
    turn, or nowhere (the call ends); a duplicate id now and then; `good` at random."""
    ids = TURN_IDS[: draw(st.integers(1, 5))]
    if len(ids) > 1 and draw(st.integers(0, 9)) == 0:
        ids = [*ids[:-1], ids[0]]
    turns = []
    for i, turn_id in enumerate(ids):
        replies = []
        for j in range(draw(st.integers(2, 3))):
            kind = draw(st.sampled_from(["end", "later", "later", "later", "any", "none"]))
            later = ids[i + 1 :]
            target = {
                "end": None,
                "later": draw(st.sampled_from(later)) if later else None,
                "any": draw(st.sampled_from(ids)),
                "none": "zz",
            }[kind]
            good = draw(st.integers(0, 2)) > 0
            replies.append({"text": f"r{j}", "good": good, "next": target})
        turns.append({"id": turn_id, "customer": f"C{i}", "replies": replies})
    return turns


def oracle(turns: list[dict]) -> bool:
    """Valid by SPEC 9, checked the plain way: unique ids, every next a turn, every turn with
    a good reply, every turn reached from the first, and no cycle (Kahn's algorithm)."""
    ids = [t["id"] for t in turns]
    if len(set(ids)) != len(ids):
        return False
    edges = {t["id"]: [r["next"] for r in t["replies"] if r["next"]] for t in turns}
    if any(n not in edges for targets in edges.values() for n in targets):
        return False
    if not all(any(r["good"] for r in t["replies"]) for t in turns):
        return False
    reached, todo = {ids[0]}, [ids[0]]
    while todo:
        for n in edges[todo.pop()]:
            if n not in reached:
                reached.add(n)
                todo.append(n)
    if reached != set(ids):
        return False
    incoming = {i: 0 for i in ids}
    for targets in edges.values():
        for n in targets:
            incoming[n] += 1
    ready = [i for i in ids if incoming[i] == 0]
    removed = 0
    while ready:
        node = ready.pop()
        removed += 1
        for n in edges[node]:
            incoming[n] -= 1
            if incoming[n] == 0:
                ready.append(n)
    return removed == len(ids)


def as_yaml(turns: list[dict]) -> str:
    lines = ["id: d", "title: T", "cards:", "  - id: c", "    prompt: P", "    turns:"]
    for turn in turns:
        lines += [f"      - id: {turn['id']}", f"        customer: {turn['customer']}",
                  "        replies:"]  # fmt: skip
        for r in turn["replies"]:
            lines.append(f"          - text: {r['text']}")
            if r["good"]:
                lines.append("            good: true")
            if r["next"]:
                lines.append(f"            next: {r['next']}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(turns=call_graphs())
def test_the_loader_accepts_exactly_the_calls_the_oracle_accepts(turns: list[dict]):
    import yaml

    VERDICTS[oracle(turns)] += 1
    result = load(as_yaml(turns))
    assert (result.deck is not None) == oracle(turns), result.problems
    if result.deck is not None:
        jsonschema.Draft7Validator(deck_schema()).validate(yaml.safe_load(as_yaml(turns)))
    else:
        assert all(p.line > 6 for p in result.problems)  # located at the turns, not the card


def test_the_random_calls_are_both_valid_and_invalid():
    """Guard against a generator that quietly stopped producing valid (or broken) calls."""
    VERDICTS.clear()
    test_the_loader_accepts_exactly_the_calls_the_oracle_accepts()
    assert VERDICTS[True] >= 20 and VERDICTS[False] >= 100, VERDICTS


def test_a_call_of_thousands_of_turns_is_refused_for_its_length_alone():
    """A hostile (or generated) call of 5,000 turns is not walked as a graph: its length is
    the problem to fix, and checking every `next` against thousands of ids would take seconds."""
    turns = "".join(
        f"      - id: t{i}\n        customer: C\n        replies:\n"
        f"          - {{text: a, good: true, next: x{i}}}\n          - {{text: b}}\n"
        for i in range(5000)
    )
    text = "id: d\ntitle: T\ncards:\n  - id: c\n    prompt: P\n    turns:\n" + turns
    assert problems(text) == ["7:7: `turns` allows at most 20 turns, found 5000"]
