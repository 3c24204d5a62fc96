"""Numbers written in words, for typed cards whose answer is a number (SPEC 4: ``three``,
``twenty-five``, ``三``, ``二十五``).

Read only when a reply has no digits at all, so the usual reply (``25``) never pays for this.
English number words are few and regular, so they are read here; Chinese numerals (with their
financial forms, 两, 万 and 亿) are read by ``cn2an``, imported only when a reply holds one:
the import costs about 90 ms, which a headless run's start-up must not carry.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

_UNITS = {
    word: value
    for value, word in enumerate(
        (
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen",
        )
    )
}  # fmt: skip
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), 2
    )
}
_SCALES = {"hundred": 100, "thousand": 1000}
_SIGNS = {"minus": -1, "negative": -1}
_WORD = re.compile(r"[a-z]+")

MAX_NUMERAL = 32
"""Longest Chinese numeral read (亿 and 万 make 32 characters more than any answer needs):
a reply of thousands of 二 is text, not a number to hand to cn2an."""
_DIGIT = "零〇一二两兩三四五六七八九十百千万萬亿億壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"
_TRIES = 3
"""Runs of numeral characters tried before a reply is read as holding no number."""
_CHINESE = re.compile(f"[负負]?[{_DIGIT}]+(?:[点點][零〇一二三四五六七八九]+)?")


def number_in_words(text: str) -> float | None:
    """The first number written in words in ``text`` (English or Chinese), if any."""
    text = unicodedata.normalize("NFKC", text).casefold()
    english = english_number(text)
    return float(english) if english is not None else chinese_number(text)


def english_number(text: str) -> int | None:
    """The first English number in ``text``: ``three``, ``twenty-five``, ``one hundred and
    five``, ``two thousand and twenty``, ``minus four``; None when there is none.

    Words are read while they continue a number (``three four`` is 3): a unit or teen can be
    followed only by a scale, tens by a unit, and ``and`` only after a scale.
    """
    words = _WORD.findall(text.casefold())
    for start, word in enumerate(words):
        sign = 1
        at = start
        if word in _SIGNS:
            sign, at = _SIGNS[word], start + 1
        value = _read_from(words, at)
        if value is not None:
            return sign * value
    return None


def _read_from(words: list[str], at: int) -> int | None:
    """The number whose words start at ``words[at]``, or None when none starts there."""
    total = current = 0
    last = ""  # what the previous word was: "", "unit", "tens", "scale" or "and"
    started = False
    for position in range(at, len(words)):
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else ""
        if word == "a" and not started and following in _SCALES:
            current, last, started = 1, "unit", True
        elif word in _UNITS and last in ("", "tens", "scale", "and"):
            if last == "tens" and not 0 < _UNITS[word] < 10:
                break
            current += _UNITS[word]
            last, started = "unit", True
        elif word in _TENS and last in ("", "scale", "and"):
            current += _TENS[word]
            last, started = "tens", True
        elif word == "hundred" and last in ("unit", "tens") and current % 100 == current:
            current *= 100
            last = "scale"
        elif word == "thousand" and last in ("unit", "tens", "scale") and total == 0:
            total, current = current * 1000, 0
            last = "scale"
        elif word == "and" and last == "scale" and following in (*_UNITS, *_TENS):
            last = "and"
        else:
            break
    return total + current if started else None


def chinese_number(text: str) -> float | None:
    """The first Chinese numeral in ``text`` (``三``, ``二十五``, ``一百零五``, ``三点五``).

    A run of numeral characters that is no number is passed over for the next (at most
    ``_TRIES``): in ``百分之五十`` (fifty percent) the 百 of 百分之 is read first, and alone it
    is no number; 五十 is the answer."""
    for match in itertools.islice(_CHINESE.finditer(text), _TRIES):
        if len(match.group()) > MAX_NUMERAL:
            return None
        import cn2an  # type: ignore[import-untyped]  # lazily: see the module docstring

        try:
            return float(cn2an.cn2an(match.group(), "smart"))
        except (ValueError, KeyError, IndexError, OverflowError):
            continue
    return None
