"""Files that are not decks, or are built to hurt a parser, are refused with one located problem
(never a traceback, never unbounded time or memory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drill.deck.loader import load_file, load_text
from drill.deck.yamltree import MAX_BYTES, MAX_DEPTH

GOOD = "id: d\ntitle: T\ncards:\n  - {prompt: P, answer: x}\n"


def only_problem(path: Path) -> str:
    result = load_file(str(path))
    assert result.deck is None
    assert len(result.problems) == 1
    p = result.problems[0]
    return f"{p.line}:{p.col}: {p.message}"


def test_alias_bomb_is_refused_before_it_expands(tmp_path: Path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert only_problem(path).endswith("values once aliases are expanded: refused")


def test_small_aliases_are_fine():
    text = (
        "id: d\ntitle: T\ncards:\n"
        "  - {prompt: A, choices: &yn [Yes, No], answer: Yes}\n"
        "  - {prompt: B, choices: *yn, answer: No}\n"
    )
    deck = load_text(text, "d.yaml").deck
    assert [c.text for c in deck.cards[1].choices] == ["Yes", "No"]


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: costs no disk
    assert (
        only_problem(path)
        == f"1:1: file is {MAX_BYTES + 1:,} bytes; decks are limited to {MAX_BYTES:,}"
    )


def test_deep_nesting_is_refused(tmp_path: Path):
    path = tmp_path / "deep.yaml"
    path.write_text("a:\n" + "".join("  " * i + "- \n" for i in range(1, MAX_DEPTH + 5)))
    assert "nested more than 32 levels deep" in only_problem(path)


def test_flow_nesting_ten_thousand_deep_is_refused(tmp_path: Path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    problem = only_problem(path)
    assert problem.startswith("1:") and ("nest" in problem)


def test_nul_byte_is_located(tmp_path: Path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"id: d\ntitle: a\x00b\n")
    assert only_problem(path) == "2:9: NUL byte: this is a binary file, not a YAML deck"


def test_invalid_utf8_is_located(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: d\ntitle: caf" + b"\xe9\n")
    assert only_problem(path) == "2:11: invalid UTF-8 (byte 0xe9): decks must be UTF-8"


def test_utf8_bom_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_file(str(path)).deck is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: d\nid: e\n", "2:1: duplicate key `id`"),
        ("id: !!python/object/apply:os.system [ls]\n", "1:5: YAML tag `!!python/object/apply:os.system` is not allowed in a deck"),
        ("id: !custom x\n", "1:5: YAML tag `!custom` is not allowed in a deck"),
        ("base: &b {title: T}\n<<: *b\n", "2:1: merge keys (<<) are not supported: write the keys out"),
        (GOOD + "---\n" + GOOD, "5:1: a second YAML document: a deck file holds exactly one"),
        ("id: [unclosed\n", "2:1: YAML syntax: did not find expected ',' or ']'"),
        ("? [a, b]\n: c\n", "1:3: a mapping key must be plain text"),
        ("a: *nowhere\n", "1:4: alias *nowhere has no anchor"),
    ],
)  # fmt: skip
def test_yaml_refusals_are_located(tmp_path: Path, text: str, expected: str):
    path = tmp_path / "d.yaml"
    path.write_text(text)
    assert only_problem(path) == expected


def test_unreadable_path_is_marked_unreadable(tmp_path: Path):
    result = load_file(str(tmp_path / "missing.yaml"))
    assert result.unreadable and result.problems[0].message.startswith("cannot read")


def test_symlink_loop_is_unreadable_not_a_hang(tmp_path: Path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = load_file(str(loop))
    assert result.unreadable
