"""The deck format of SPEC section 1: what loads, what each card becomes, and every error with
the line and column of the node that caused it."""

from __future__ import annotations

import textwrap

import pytest

from drill.deck.cards import derived_card_id
from drill.deck.loader import load_text
from drill.deck.model import BreathingCard, ChoiceCard, Flashcard, OrderCard, TypedCard


def load(text: str):
    return load_text(textwrap.dedent(text).lstrip("\n"), "d.yaml")


def problems(text: str) -> list[str]:
    result = load(text)
    assert result.deck is None, "expected the deck to be refused"
    return [f"{p.line}:{p.col}: {p.message}" for p in result.problems]


HEAD = "id: d\ntitle: T\ncards:\n"


def test_every_card_type_loads_with_types_inferred_from_fields():
    deck = load(
        HEAD
        + """\
  - front: F
    back: B
  - prompt: P
    choices: [a, b]
    answer: a
  - prompt: P
    steps: [a, b]
  - prompt: P
    answer: text
  - pattern: [4, 7, 8]
"""
    ).deck
    assert deck is not None
    assert [type(c) for c in deck.cards] == [
        Flashcard,
        ChoiceCard,
        OrderCard,
        TypedCard,
        BreathingCard,
    ]
    assert deck.language == "en" and deck.time_limit == 30
    assert deck.cards[4].cycles == 4


def test_yaml_1_1_booleans_stay_the_text_written():
    deck = load(
        HEAD
        + """\
  - prompt: Agree?
    choices: [Yes, No, on, off]
    answer: on
  - prompt: Word?
    answer: No
"""
    ).deck
    assert [c.text for c in deck.cards[0].choices] == ["Yes", "No", "on", "off"]
    assert deck.cards[0].answers == (2,)
    assert deck.cards[1].accepted == ("No",)


def test_numbers_are_numbers_only_where_a_number_is_expected():
    deck = load(
        HEAD
        + """\
  - prompt: Rings?
    answer: 3
    tolerance: 0.5
  - prompt: Code?
    answer: "3"
  - prompt: Pick
    choices: [1, 2, 3]
    answer: 2
"""
    ).deck
    assert deck.cards[0].number == 3.0 and deck.cards[0].tolerance == 0.5
    assert deck.cards[1].number is None and deck.cards[1].accepted == ("3",)
    assert [c.text for c in deck.cards[2].choices] == ["1", "2", "3"]


def test_select_all_answer_is_multiple_and_single_is_not():
    deck = load(
        HEAD
        + """\
  - prompt: P
    choices: [a, b, c]
    answer: [c, a]
  - prompt: Q
    choices: [a, b, c]
    answer: b
"""
    ).deck
    assert deck.cards[0].multiple and deck.cards[0].answers == (0, 2)
    assert not deck.cards[1].multiple and deck.cards[1].answers == (1,)


def test_derived_ids_depend_only_on_type_and_prompt():
    first = load(HEAD + "  - prompt: How many?\n    answer: 3\n").deck.cards[0]
    edited = load(HEAD + "  - prompt: How many?\n    answer: 4\n    explain: x\n").deck.cards[0]
    other = load(HEAD + "  - prompt: How many now?\n    answer: 3\n").deck.cards[0]
    assert first.id == edited.id == derived_card_id("typed", "How many?")
    assert first.id.startswith("typed-") and other.id != first.id


def test_card_time_limit_overrides_deck_and_breathing_is_untimed():
    deck = load(
        "id: d\ntitle: T\ntime_limit: 20\ncards:\n"
        "  - {prompt: P, answer: a, time_limit: 0}\n"
        "  - {prompt: Q, answer: a}\n"
        "  - {pattern: [4, 7, 8]}\n"
    ).deck
    assert [deck.card_time_limit(c) for c in deck.cards] == [0, 20, 0]


def at(text: str, needle: str) -> str:
    """LINE:COL (1-based) of the first occurrence of ``needle`` in ``text``."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{col}"


T = "id: d\ntitle: T\ncards:\n  - "
# Each case: the deck text, then (text at the offending node, message) for every problem.
CASES = [
    ("id: d\ntitel: T\ncards: [{prompt: P, answer: a}]\n",
     [("titel", "unknown key `titel` in the deck; did you mean `title`?")]),
    ("id: d\ncards: [{prompt: P, answer: a}]\n", [("id: d", "the deck is missing `title`")]),
    (T + "prompt: P\n    choises: [a, b]\n    answer: a\n",  # the misspelling alone
     [("choises", "unknown key `choises` in a choice card; did you mean `choices`?")]),
    (T + "prompt: P\n    choices: [a, b]\n    answr: a\n",
     [("answr", "unknown key `answr` in a choice card; did you mean `answer`?")]),
    ("id: Bad_Id\ntitle: T\ncards: [{prompt: P, answer: a}]\n",
     [("Bad_Id", "`id` `Bad_Id` is not valid: use lowercase letters, digits and `-`, starting "
                 "with a letter or digit")]),
    ("id: d\ntitle: T\ncards: []\n", [("[]", "`cards` needs at least 1 cards, found 0")]),
    (T + "{prompt: P, choices: [a], answer: a}\n",
     [("[a]", "`choices` needs at least 2 choices, found 1")]),
    (T + "{prompt: P, choices: [a, b, a], answer: a}\n", [("a]", "duplicate choice `a`")]),
    (T + "{prompt: P, choices: [a, b], answer: c}\n",
     [("c}", "answer `c` is not one of the choices")]),
    (T + "{prompt: P, choices: [apple, pear], answer: [apple, paer]}\n",
     [("paer", "answer `paer` is not one of the choices; did you mean `pear`?")]),
    (T + "{prompt: P, steps: [a]}\n", [("[a]", "`steps` needs at least 2 steps, found 1")]),
    (T + "{prompt: P, steps: [a, b, a]}\n", [("a]", "duplicate step `a` in `steps`")]),
    (T + "{prompt: P, steps: [a, b, c, d, e, f, g, h, i, j, k, l, m]}\n",
     [("[a,", "`steps` allows at most 12 steps, found 13")]),
    (T + "{prompt: P, answer: text, tolerance: 1}\n",
     [("1}", "`tolerance` applies only to a numeric `answer`")]),
    (T + "{id: a, prompt: P, answer: x}\n  - {id: a, prompt: Q, answer: y}\n",
     [("a, prompt: Q", "duplicate card id `a` (first used on line 4)")]),
    (T + "{prompt: P, answer: x}\n  - {prompt: P, answer: y}\n",
     [("{prompt: P, answer: y", f"duplicate card id `{derived_card_id('typed', 'P')}` "
                                "(first used on line 4)")]),
    (T + "{id: has space, prompt: P, answer: x}\n",
     [("has space", "`id` `has space` is not valid: use letters, digits, `-`, `_` and `.` only")]),
    (T + "{prompt: P, answer: x, time_limit: '30'}\n",
     [("'30'", "`time_limit` must be a number of seconds, not `30`")]),
    (T + "{prompt: P, answer: x, time_limit: -1}\n",
     [("-1", "`time_limit` must be between 0 and 3600")]),
    (T + "{prompt: P, choices: [a, b], answer: a, shuffle: no}\n",
     [("no}", "`shuffle` must be true or false")]),
    (T + "{prompt: [P], answer: x}\n", [("[P]", "`prompt` must be text, not a list")]),
    (T + "{prompt: , answer: x}\n", [(", answer", "`prompt` has no value")]),
    (T + "{prompt: '  ', answer: x}\n", [("'  '", "`prompt` is empty")]),
    (T + "{pattern: [4, 7]}\n", [("[4, 7]", "`pattern` needs at least 3 phases, found 2")]),
    (T + "{pattern: [0, 7, 8]}\n",
     [("[0", "`pattern`: breathing in and out must each last more than 0 seconds")]),
    (T + "{pattern: [4, 7, 8], cycles: 2.5}\n",
     [("2.5", "`cycles` must be a whole number, not `2.5`")]),
    (T + "{pattern: [4, 7, 8], time_limit: 9}\n",
     [("time_limit", "unknown key `time_limit` in a breathing card (breathing cards are paced "
                     "by `pattern`, never timed)")]),
    (T + "{front: F, back: B, steps: [a, b]}\n",
     [("{front", "cannot tell the card type: it has fields of flashcard and order cards; "
                 "add `type:`")]),
    (T + "{type: flashcard, front: F, back: B, steps: [a, b]}\n",
     [("steps", "unknown key `steps` in a flashcard (it belongs to order cards)")]),
    (T + "{type: quiz, prompt: P}\n",
     [("quiz", "`type` `quiz` is not valid: one of flashcard, choice, order, typed, breathing, "
               "call")]),
    (T + "{explain: E}\n",
     [("{explain", "cannot tell the card type; add `type:` (one of flashcard, choice, order, "
                   "typed, breathing, call)")]),
    (T + "just text\n", [("just", "a card must be a mapping of keys to values, not text")]),
    ("- a\n- b\n", [("- a", "the deck must be a mapping of keys to values, not a list")]),
    ("", [("", "the file is empty: a deck needs `id`, `title` and `cards`")]),
    ("id: d\ntitle: T\nlanguage: english!\ncards: [{prompt: P, answer: x}]\n",
     [("english!", "`language` `english!` is not valid: a BCP 47 tag such as en or zh-CN")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_each_deck_error_is_reported_at_its_node(text: str, expected: list[tuple[str, str]]):
    assert problems(text) == [f"{at(text, needle)}: {message}" for needle, message in expected]


def test_all_problems_of_a_file_are_reported_in_one_pass():
    found = problems(
        HEAD
        + "  - {prompt: P, choices: [a, b], answer: c}\n"
        + "  - {prompt: Q, steps: [a]}\n"
        + "  - {front: F}\n"
    )
    assert [f.split(":")[0] for f in found] == ["4", "5", "6"]


def test_text_is_trimmed_and_zh_cn_text_is_kept():
    deck = load(
        "id: zh\ntitle: 投诉处理\nlanguage: zh-CN\ncards:\n"
        "  - front: '  不行  '\n    back: 我们可以尝试其他方案。\n"
    ).deck
    assert deck.title == "投诉处理" and deck.language == "zh-CN"
    assert deck.cards[0].front == "不行" and deck.cards[0].back == "我们可以尝试其他方案。"


def test_a_huge_bad_value_is_cut_short_in_its_message():
    (message,) = problems(HEAD + "  - {prompt: P, answer: x, time_limit: " + "9" * 5000 + "}\n")
    assert len(message) < 200 and message.endswith("…`")
