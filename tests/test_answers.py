"""Every answer form SPEC section 4 accepts, read against the card as shown (shuffled), and
unreadable answers turned into a graded-wrong response with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from drill.answers import Given, load_answers_file, parse_line, read_response
from drill.deck.loader import load_text
from drill.errors import UsageError
from drill.grading import Breathed, Ordered, Picked, Rating, Recalled, Skip, Typed, Unreadable
from drill.planning import ShownCard

DECK = load_text(
    """
id: d
title: T
cards:
  - {id: pick, prompt: P, choices: [alpha, beta, gamma, delta], answer: [alpha, gamma]}
  - {id: seq, prompt: P, steps: [one, two, three]}
  - {id: word, prompt: P, answer: hello}
  - {id: flash, front: F, back: B}
  - {id: breath, pattern: [4, 7, 8]}
""",
    "d.yaml",
).deck


def shown(card_id: str, order: tuple[int, ...] = ()) -> ShownCard:
    card = DECK.card(card_id)
    return ShownCard(1, DECK, card, order, 30)


# choices shown as: A=delta, B=alpha, C=gamma, D=beta
PICK = shown("pick", (3, 0, 2, 1))
# steps shown as: 1=three, 2=one, 3=two
SEQ = shown("seq", (2, 0, 1))


@pytest.mark.parametrize(
    ("value", "indexes"),
    [
        ("B", {0}), ("b", {0}), ("B,C", {0, 2}), ("B C", {0, 2}), ("BC", {0, 2}), ("C、B", {0, 2}),
        ("2", {0}), ("2,3", {0, 2}), ("alpha", {0}), ("Alpha", {0}), ("alpha, gamma", {0, 2}),
        (["B", "C"], {0, 2}), ([2, 3], {0, 2}), (["alpha", "gamma"], {0, 2}), (2, {0}),
    ],
)  # fmt: skip
def test_choice_answers_by_letter_number_or_text(value, indexes):
    assert read_response(PICK, Given(value)) == Picked(frozenset(indexes))


@pytest.mark.parametrize("value", ["E", "5", "0", "epsilon", [], ["B", "Z"], True, None, {"a": 1}])
def test_unreadable_choice_answers_say_why(value):
    response = read_response(PICK, Given(value))
    assert isinstance(response, Unreadable)
    assert response.error


def test_choice_text_wins_over_a_letter_reading():
    deck = load_text(
        "id: d\ntitle: T\ncards:\n  - {prompt: P, choices: [B, A], answer: A}\n", "d"
    ).deck
    card = ShownCard(1, deck, deck.cards[0], (0, 1), 30)  # shown A=B, B=A
    assert read_response(card, Given("A")) == Picked(frozenset({1}))


@pytest.mark.parametrize(
    ("value", "sequence"),
    [
        ("2,3,1", (0, 1, 2)), ("2 3 1", (0, 1, 2)), ("231", (0, 1, 2)), ([2, 3, 1], (0, 1, 2)),
        (["one", "two", "three"], (0, 1, 2)), ("one\ntwo\nthree", (0, 1, 2)),
        ("one > two > three", (0, 1, 2)), ("1,2,3", (2, 0, 1)),
    ],
)  # fmt: skip
def test_order_answers_by_position_or_text(value, sequence):
    assert read_response(SEQ, Given(value)) == Ordered(sequence)


@pytest.mark.parametrize("value", ["1,2", "1,1,2", "1,2,4", "two", [1, 2], "abc"])
def test_order_answer_must_use_each_step_once(value):
    response = read_response(SEQ, Given(value))
    assert isinstance(response, Unreadable) and "once" in response.error


def test_typed_flashcard_breathing_and_skip():
    assert read_response(shown("word"), Given("Hello!")) == Typed("Hello!")
    assert read_response(shown("word"), Given(42)) == Typed("42")
    assert read_response(shown("flash"), Given("Easy")) == Recalled(Rating.EASY)
    assert read_response(shown("flash"), Given("2")) == Recalled(Rating.HARD)
    assert isinstance(read_response(shown("flash"), Given("great")), Unreadable)
    assert read_response(shown("breath"), Given("done")) == Breathed(True)
    for card in ("pick", "seq", "word", "flash", "breath"):
        assert read_response(shown(card), Given(" SKIP ")) == Skip()


def test_stdin_lines_plain_or_json():
    assert parse_line("B,C\n") == Given("B,C")
    assert parse_line('{"answer": ["B", "C"], "latency_ms": 1200}\n') == Given(["B", "C"], 1200.0)
    assert parse_line('{"answer": "x"}') == Given("x")


@pytest.mark.parametrize(
    "line",
    ['{"answer": "x"', '{"latency_ms": 3}', '{"answer": "x", "latency_ms": -1}',
     '{"answer": "x", "latency_ms": "fast"}', '{"answer": "x", "latency_ms": true}'],
)  # fmt: skip
def test_bad_json_lines_are_unreadable_not_fatal(line):
    response = read_response(PICK, parse_line(line))
    assert isinstance(response, Unreadable) and response.error


def test_answers_file_keeps_text_and_reads_latency(tmp_path: Path):
    path = tmp_path / "answers.yaml"
    path.write_text(
        "pick: [B, C]\nd/word: {answer: Yes, latency_ms: 1500}\nflash: 3\nbad: {latency_ms: 2}\n"
    )
    answers = load_answers_file(str(path))
    assert answers["pick"] == Given(["B", "C"])
    assert answers["d/word"] == Given("Yes", 1500)
    assert answers["flash"] == Given("3")
    assert answers["bad"].error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- a\n- b\n", "a.yaml:1:1: error: an answers file must map card ids"),
        ("a: [\n", "a.yaml:2:1: error: YAML syntax"),
        ("", "a.yaml:1:1: error: an answers file must map card ids"),
    ],
)
def test_unusable_answers_file_is_a_located_usage_error(tmp_path: Path, content, message):
    path = tmp_path / "a.yaml"
    path.write_text(content)
    with pytest.raises(UsageError) as caught:
        load_answers_file(str(path))
    assert str(caught.value).startswith(str(tmp_path / message))
