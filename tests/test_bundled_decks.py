"""The training decks shipped in ``decks/``: six topics, each in English and Simplified Chinese.

Everything is checked the way a trainer would check it, through the real ``drill`` command (the
``drill`` fixture runs ``python -m drill`` in a subprocess with ``DRILL_HOME`` in a temporary
directory): the decks validate, are found by id, and can be answered right headless for a score of
1.0. The YAML is read directly only for what the command never shows: that the two languages of a
topic have the same cards, and that every card explains itself and every wrong choice says why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DECKS = REPO / "decks"
NOW = "2026-01-01T00:00:00Z"

TOPICS = [
    "kpi-qa",
    "escalation",
    "breathing-stress",
    "aida-sales",
    "phrasing",
    "self-service-10086",
]
SUFFIX = {"en": "", "zh-CN": "-zh"}  # deck id = topic + suffix; file = decks/LANG/TOPIC.yaml
BUNDLED = [(topic, lang) for topic in TOPICS for lang in SUFFIX]
BUNDLED_IDS = [f"{lang}/{topic}" for topic, lang in BUNDLED]


def deck_path(topic: str, lang: str) -> Path:
    return DECKS / lang / f"{topic}.yaml"


def load(topic: str, lang: str) -> dict[str, Any]:
    return yaml.safe_load(deck_path(topic, lang).read_text(encoding="utf-8"))


def choice_text(choice: Any) -> str:
    return str(choice["text"] if isinstance(choice, dict) else choice)


def deck_answer(card: dict[str, Any]) -> Any:
    """What the deck says is right, in the shape of the headless `expected` field (SPEC 4)."""
    kind = card["type"]
    if kind == "choice":
        answer = card["answer"]
        return sorted(map(str, answer)) if isinstance(answer, list) else str(answer)
    if kind == "order":
        return card["steps"]
    if kind == "typed":
        answer = card["answer"]
        return answer[0] if isinstance(answer, list) else answer
    if kind == "flashcard":
        return card["back"]
    return None  # breathing: nothing to get right


def right_answer(kind: str, expected: Any) -> Any:
    """The reply that answers a card right, given the `expected` of its result event."""
    return {"flashcard": "good", "breathing": "done"}.get(kind, expected)


def test_every_bundled_deck_validates(drill):
    for topic, lang in BUNDLED:
        assert deck_path(topic, lang).is_file(), f"missing bundled deck {lang}/{topic}.yaml"
    ran = drill("validate", str(DECKS))
    assert (ran.code, ran.out) == (0, ""), ran.out
    files = len(list(DECKS.rglob("*.yaml"))) + len(list(DECKS.rglob("*.yml")))
    assert f"{files} decks OK" in ran.err


def test_bundled_decks_are_found_by_id_with_their_language_and_cards(drill):
    ran = drill("decks", "--json")
    assert ran.code == 0, ran.err
    listed = {deck["id"]: deck for deck in json.loads(ran.out)}
    for topic, lang in BUNDLED:
        deck = listed[topic + SUFFIX[lang]]
        assert deck["language"] == lang
        assert deck["cards"] == len(load(topic, lang)["cards"])


@pytest.mark.parametrize("topic", TOPICS)
def test_each_english_deck_has_a_chinese_twin_with_the_same_cards(topic):
    en, zh = load(topic, "en"), load(topic, "zh-CN")
    assert (en["id"], en["language"]) == (topic, "en")
    assert (zh["id"], zh["language"]) == (topic + "-zh", "zh-CN")
    en_cards = [(card.get("id"), card.get("type")) for card in en["cards"]]
    zh_cards = [(card.get("id"), card.get("type")) for card in zh["cards"]]
    assert all(card_id and kind for card_id, kind in en_cards), "every card needs an explicit id"
    assert zh_cards == en_cards
    for en_card, zh_card in zip(en["cards"], zh["cards"], strict=True):
        if en_card["type"] == "choice":  # select-all in one language is select-all in the other
            multiple = isinstance(en_card["answer"], list), isinstance(zh_card["answer"], list)
            assert multiple[0] == multiple[1], en_card["id"]
        if en_card["type"] == "order":
            assert len(en_card["steps"]) == len(zh_card["steps"]), en_card["id"]


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_each_deck_answered_right_headless_scores_full_marks(drill, tmp_path, topic, lang):
    deck = load(topic, lang)
    cards = {card["id"]: card for card in deck["cards"]}
    run = ("run", deck["id"], "--mode", "drill", "--headless", "--no-save", "--seed", "1")
    run += ("--now", NOW)

    # Pass 1: skip every card to read what each one expects.
    first = drill(*run, input="skip\n" * len(cards))
    assert first.code == 0, first.err
    shown = {event["card"]: event for event in first.events if event["event"] == "card"}
    results = {event["card"]: event for event in first.events if event["event"] == "result"}
    assert sorted(shown) == sorted(cards) == sorted(results)
    assert first.events[-1]["event"] == "summary"
    assert first.events[-1]["score"] == 0.0  # skipped is wrong, so the 1.0 below is earned
    for card_id, result in results.items():
        expected = result["expected"]
        if isinstance(expected, list) and cards[card_id]["type"] == "choice":
            expected = sorted(expected)
        assert expected == deck_answer(cards[card_id]), card_id

    # Pass 2: answer every card with what it expects.
    answers = {card: right_answer(shown[card]["type"], results[card]["expected"]) for card in shown}
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    second = drill(*run, "--answers", str(answers_file))
    assert second.code == 0, second.err
    graded = [event for event in second.events if event["event"] == "result"]
    wrong = [(e["card"], e.get("error")) for e in graded if e["correct"] is False]
    assert wrong == []
    summary = second.events[-1]
    scored = sum(card["type"] != "breathing" for card in cards.values())
    assert summary["event"] == "summary"
    assert (summary["answered"], summary["correct"], summary["score"]) == (scored, scored, 1.0)


@pytest.mark.parametrize("lang", list(SUFFIX))
def test_the_stress_deck_opens_a_review_with_the_4_7_8_pacer_untimed(drill, lang):
    deck_id = "breathing-stress" + SUFFIX[lang]
    ran = drill("run", deck_id, "--headless", "--no-save", "--now", NOW, input="done\n")
    assert ran.code == 0, ran.err
    first_card = next(event for event in ran.events if event["event"] == "card")
    assert first_card["type"] == "breathing"
    assert first_card["pattern"] == [4, 7, 8]
    assert first_card["cycles"] == 4
    assert first_card["time_limit"] == 0  # untimed: nobody should be rushed through a pacer


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_every_card_explains_itself(topic, lang):
    silent = [
        card["id"]
        for card in load(topic, lang)["cards"]
        if not (isinstance(card.get("explain"), str) and card["explain"].strip())
    ]
    assert silent == []


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_every_wrong_choice_says_why(topic, lang):
    unexplained = []
    for card in load(topic, lang)["cards"]:
        if card["type"] != "choice":
            continue
        answer = card["answer"]
        right = set(map(str, answer)) if isinstance(answer, list) else {str(answer)}
        for choice in card["choices"]:
            why = choice.get("why") if isinstance(choice, dict) else None
            if choice_text(choice) not in right and not (isinstance(why, str) and why.strip()):
                unexplained.append(f"{card['id']}: {choice_text(choice)}")
    assert unexplained == []
