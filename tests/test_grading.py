"""SPEC section 2: what is right, what times out, and which FSRS rating each answer earns."""

from __future__ import annotations

import pytest

from drill.deck.model import BreathingCard, Choice, ChoiceCard, Flashcard, OrderCard, TypedCard
from drill.grading import (
    Breathed,
    Ordered,
    Picked,
    Rating,
    Recalled,
    Skip,
    TimedOut,
    Typed,
    Unreadable,
    expected,
    first_number,
    grade,
    normalise,
    rating_for,
)

COMMON = {"explain": None, "time_limit": None, "line": 1}
CHOICE = ChoiceCard(id="c", prompt="P", choices=(Choice("a"), Choice("b"), Choice("c")),
                    answers=(0, 2), multiple=True, shuffle=True, **COMMON)  # fmt: skip
ORDER = OrderCard(id="o", prompt="P", steps=("one", "two", "three"), **COMMON)
TEXT = TypedCard(
    id="t", prompt="P", accepted=("您好", "Nin hao"), number=None, tolerance=0, **COMMON
)
NUMBER = TypedCard(id="n", prompt="P", accepted=("12",), number=12.0, tolerance=3, **COMMON)
FLASH = Flashcard(id="f", front="F", back="B", **COMMON)
BREATH = BreathingCard(id="b", prompt=None, pattern=(4.0, 7.0, 8.0), cycles=4, **COMMON)


@pytest.mark.parametrize(
    ("latency_ms", "limit_s", "rating"),
    [
        (7_500, 30, Rating.EASY),  # 0.25 L exactly is still easy
        (7_501, 30, Rating.GOOD),
        (22_500, 30, Rating.GOOD),  # 0.75 L exactly is still good
        (22_501, 30, Rating.HARD),
        (2_500, 10, Rating.EASY),
        (8_000, 10, Rating.HARD),
        (7_500, 0, Rating.EASY),  # untimed: L = 30 s
        (29_000, 0, Rating.HARD),
    ],
)
def test_speed_of_a_right_answer_sets_the_rating(latency_ms, limit_s, rating):
    assert rating_for(True, latency_ms, limit_s) == rating


def test_wrong_answer_is_again_however_fast():
    assert rating_for(False, 1, 30) == Rating.AGAIN


def test_right_answer_after_the_limit_is_wrong_and_timed_out():
    late = grade(NUMBER, Typed("12"), 30_001, 30)
    assert (late.correct, late.timed_out, late.rating) == (False, True, Rating.AGAIN)
    in_time = grade(NUMBER, Typed("12"), 30_000, 30)
    assert (in_time.correct, in_time.timed_out) == (True, False)


def test_untimed_card_never_times_out():
    result = grade(NUMBER, Typed("12"), 3_600_000, 0)
    assert result.correct and not result.timed_out and result.rating == Rating.HARD


def test_session_overtime_makes_a_right_answer_timed_out():
    result = grade(NUMBER, Typed("12"), 1_000, 30, overtime=True)
    assert (result.correct, result.timed_out, result.rating) == (False, True, Rating.AGAIN)


def test_choice_needs_the_exact_set():
    assert grade(CHOICE, Picked(frozenset({0, 2})), 1000, 30).correct
    assert not grade(CHOICE, Picked(frozenset({0})), 1000, 30).correct
    assert not grade(CHOICE, Picked(frozenset({0, 1, 2})), 1000, 30).correct


def test_order_is_right_only_fully_in_order():
    assert grade(ORDER, Ordered((0, 1, 2)), 1000, 30).correct
    assert not grade(ORDER, Ordered((0, 2, 1)), 1000, 30).correct


@pytest.mark.parametrize(
    ("reply", "right"),
    [
        ("您好", True),
        ("您好。", True),  # full-width full stop ignored
        ("  NIN   HAO!! ", True),  # case, outer and inner whitespace, trailing punctuation
        ("ｎｉｎ ｈａｏ", True),  # full-width letters (NFKC)
        ("nin-hao", False),
        ("你好", False),
    ],
)
def test_typed_text_is_normalised(reply, right):
    assert grade(TEXT, Typed(reply), 1000, 30).correct is right


@pytest.mark.parametrize(
    ("reply", "right"),
    [("12", True), ("about 9 calls", True), ("15", True), ("15.01", False), ("８", False),
     ("１０ 个", True), ("eight", False), ("1,000", False), ("-12", False)],
)  # fmt: skip
def test_typed_number_is_the_first_number_within_tolerance(reply, right):
    assert grade(NUMBER, Typed(reply), 1000, 30).correct is right


def test_first_number_reads_separators_and_full_width_digits():
    assert first_number("about 1,250.5 yuan") == 1250.5
    assert first_number("１５%") == 15
    assert first_number("none") is None


def test_normalise_keeps_leading_punctuation_and_inner_text():
    assert normalise("¿Qué?  Tal.") == "¿qué? tal"


def test_flashcard_uses_the_trainees_rating_and_again_is_wrong():
    good = grade(FLASH, Recalled(Rating.GOOD), 1000, 30)
    again = grade(FLASH, Recalled(Rating.AGAIN), 1000, 30)
    assert (good.correct, good.rating) == (True, Rating.GOOD)
    assert (again.correct, again.rating) == (False, Rating.AGAIN)


def test_skip_timeout_and_unreadable_are_wrong():
    for response in (Skip(), TimedOut(), Unreadable("x", "why")):
        result = grade(CHOICE, response, 100, 30)
        assert (result.correct, result.rating) == (False, Rating.AGAIN)
    assert grade(CHOICE, TimedOut(), 100, 30).timed_out
    assert grade(CHOICE, Unreadable("x", "why"), 100, 30).error == "why"


def test_breathing_is_never_graded():
    result = grade(BREATH, Breathed(True), 99_000, 0)
    assert (result.correct, result.rating, result.timed_out) == (None, None, False)


def test_expected_answers():
    assert expected(CHOICE) == ["a", "c"]
    assert expected(ORDER) == ["one", "two", "three"]
    assert expected(TEXT) == "您好"
    assert expected(NUMBER) == 12
    assert expected(FLASH) == "B"
    assert expected(BREATH) is None


def test_an_unreadable_answer_to_a_breathing_card_says_why():
    result = grade(BREATH, Unreadable("later", "a breathing card takes done or skip"), 10, 0)
    assert (result.correct, result.error) == (None, "a breathing card takes done or skip")


@pytest.mark.parametrize(
    ("reply", "right"),
    [
        ("twelve", True),
        ("Ten", True),  # within the tolerance of 3
        ("fifteen rings", True),
        ("sixteen", False),
        ("十二", True),
        ("十五", True),
        ("二十", False),
        ("一十二个", True),
        ("百分之十二", True),  # percent: the 百 of 百分之 is no number on its own
        ("百分之二十", False),
        ("１２", True),  # full-width digits, read as digits
        ("a dozen", False),
        ("", False),
    ],
)
def test_numbers_in_words_are_read(reply, right):
    assert grade(NUMBER, Typed(reply), 1000, 30).correct is right


def test_number_words_are_read_in_english_without_guessing():
    from drill.numbers import english_number

    assert english_number("twenty-five") == 25
    assert english_number("one hundred and five") == 105
    assert english_number("two thousand three hundred") == 2300
    assert english_number("a hundred") == 100
    assert english_number("minus four") == -4
    assert english_number("three four") == 3  # a unit cannot follow a unit
    assert english_number("and then") is None
    assert english_number("zero") == 0


def test_digits_never_load_the_chinese_reader():
    import subprocess
    import sys

    code = (
        "import sys; from tests.test_grading import NUMBER; from drill.grading import grade, Typed;"
        "grade(NUMBER, Typed('12'), 1, 30); grade(NUMBER, Typed('twelve'), 1, 30);"
        "assert 'cn2an' not in sys.modules; grade(NUMBER, Typed('十二'), 1, 30);"
        "assert 'cn2an' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_note_on_a_positional_answer_is_the_error_only_when_wrong():
    note = "letters follow the shuffle"
    assert grade(CHOICE, Picked(frozenset({1}), note), 1000, 30).error == note
    assert grade(CHOICE, Picked(frozenset({0, 2}), note), 1000, 30).error is None
    assert grade(ORDER, Ordered((2, 1, 0), note), 1000, 30).error == note


def test_text_typed_but_not_sent_is_timed_out_and_kept():
    from drill.grading import answer_text

    verdict = grade(NUMBER, TimedOut(Typed("12")), 31_000, 30)
    assert (verdict.correct, verdict.timed_out) == (False, True)
    assert answer_text(NUMBER, TimedOut(Typed("12"))) == "12"
    assert answer_text(NUMBER, TimedOut()) == ""


def test_a_huge_numeral_is_no_number_and_no_crash():
    assert grade(NUMBER, Typed("二" * 5000), 1000, 30).correct is False
    assert grade(NUMBER, Typed("seven " * 20000), 1000, 30).correct is False  # 7, not 777...
