"""The training decks shipped in ``decks/``: each topic in English and Simplified Chinese.

Everything a trainee can see is checked the way a trainer would check it, through the real
``drill`` command (the ``drill`` fixture runs ``python -m drill`` in a subprocess with
``DRILL_HOME`` in a temporary directory): the decks validate, are found by id, and can be answered
right headless for a score of 1.0. The YAML is read directly for what the command never shows:
that the two languages of a topic have the same cards and time limits, that every card explains
itself and names its source, that no card gives away another card's answer, that a wrong choice
is not given away by its length, and that every card leaves time to read it.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator
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
    "hard-call-lessons",
    "hotline-95598",
    "info-security",
    "calls",
]
SUFFIX = {"en": "", "zh-CN": "-zh"}  # deck id = topic + suffix; file = decks/LANG/TOPIC.yaml
BUNDLED = [(topic, lang) for topic in TOPICS for lang in SUFFIX]
BUNDLED_IDS = [f"{lang}/{topic}" for topic, lang in BUNDLED]
MIN_CARDS_PER_LANGUAGE = 180


def deck_path(topic: str, lang: str) -> Path:
    return DECKS / lang / f"{topic}.yaml"


def load(topic: str, lang: str) -> dict[str, Any]:
    return yaml.safe_load(deck_path(topic, lang).read_text(encoding="utf-8"))


def choice_text(choice: Any) -> str:
    return str(choice["text"] if isinstance(choice, dict) else choice)


def right_texts(card: dict[str, Any]) -> list[str]:
    answer = card["answer"]
    return [str(a) for a in answer] if isinstance(answer, list) else [str(answer)]


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
    if kind == "call":  # skipped at its first turn: no turn was taken, so no reply expected
        return []
    return None  # breathing: nothing to get right


def good_path(card: dict[str, Any]) -> list[str]:
    """A call's replies along its good path: the first good reply of each turn, from the first
    turn until a reply ends the call."""
    turns = {turn["id"]: turn for turn in card["turns"]}
    turn: dict[str, Any] | None = card["turns"][0]
    path = []
    while turn is not None:
        reply = next(r for r in turn["replies"] if r.get("good"))
        path.append(reply["text"])
        turn = turns.get(reply.get("next", ""))
    return path


def right_answer(kind: str, expected: Any) -> Any:
    """The reply that answers a card right, given the `expected` of its result event."""
    return {"flashcard": "good", "breathing": "done"}.get(kind, expected)


# --- through the real command ----------------------------------------------------------------


def test_every_bundled_deck_validates(drill):
    for topic, lang in BUNDLED:
        assert deck_path(topic, lang).is_file(), f"missing bundled deck {lang}/{topic}.yaml"
    on_disk = sorted(str(p.relative_to(DECKS).with_suffix("")) for p in DECKS.rglob("*.y*ml"))
    assert on_disk == sorted(BUNDLED_IDS), "a deck file is not listed in TOPICS"
    ran = drill("validate", str(DECKS))
    assert (ran.code, ran.out) == (0, ""), ran.out
    assert f"{len(on_disk)} decks OK" in ran.err


def test_bundled_decks_are_found_by_id_with_their_language_and_cards(drill):
    ran = drill("decks", "--json")
    assert ran.code == 0, ran.err
    listed = {deck["id"]: deck for deck in json.loads(ran.out)}
    for topic, lang in BUNDLED:
        deck = listed[topic + SUFFIX[lang]]
        assert deck["language"] == lang
        assert deck["cards"] == len(load(topic, lang)["cards"])


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
    answers = {
        card: good_path(cards[card])
        if shown[card]["type"] == "call"
        else right_answer(shown[card]["type"], results[card]["expected"])
        for card in shown
    }
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


# The answers an agent would type for a self-service command are accepted, in both languages,
# each read the way the grader reads a typed answer.
COMMAND_FORMS = ["CX YE", "cxye", "CXYE to 10086", "发送CXYE至10086", "send cxye to 10086."]


@pytest.mark.parametrize("lang", list(SUFFIX))
def test_a_self_service_command_is_right_in_the_forms_an_agent_types(drill, tmp_path, lang):
    deck_id = "self-service-10086" + SUFFIX[lang]
    run = ("run", deck_id, "--mode", "drill", "--headless", "--no-save", "--now", NOW)
    for form in COMMAND_FORMS:
        answers = tmp_path / "answers.json"
        answers.write_text(json.dumps({"cmd-cxye": form}, ensure_ascii=False), encoding="utf-8")
        ran = drill(*run, "--answers", str(answers))
        assert ran.code == 0, ran.err
        result = next(e for e in ran.events if e["event"] == "result" and e["card"] == "cmd-cxye")
        assert result["correct"] is True, form


# --- the two languages are twins ------------------------------------------------------------


@pytest.mark.parametrize("topic", TOPICS)
def test_each_english_deck_has_a_chinese_twin_with_the_same_cards_and_time_limits(topic):
    en, zh = load(topic, "en"), load(topic, "zh-CN")
    assert (en["id"], en["language"]) == (topic, "en")
    assert (zh["id"], zh["language"]) == (topic + "-zh", "zh-CN")
    en_cards = [(card.get("id"), card.get("type")) for card in en["cards"]]
    zh_cards = [(card.get("id"), card.get("type")) for card in zh["cards"]]
    assert all(card_id and kind for card_id, kind in en_cards), "every card needs an explicit id"
    assert zh_cards == en_cards
    assert en.get("time_limit", 30) == zh.get("time_limit", 30)
    for en_card, zh_card in zip(en["cards"], zh["cards"], strict=True):
        assert en_card.get("time_limit") == zh_card.get("time_limit"), en_card["id"]
        if en_card["type"] == "choice":  # select-all in one language is select-all in the other
            multiple = isinstance(en_card["answer"], list), isinstance(zh_card["answer"], list)
            assert multiple[0] == multiple[1], en_card["id"]
            assert len(en_card["choices"]) == len(zh_card["choices"]), en_card["id"]
            assert len(right_texts(en_card)) == len(right_texts(zh_card)), en_card["id"]
        if en_card["type"] == "order":
            assert len(en_card["steps"]) == len(zh_card["steps"]), en_card["id"]


@pytest.mark.parametrize("lang", list(SUFFIX))
def test_each_language_ships_at_least_180_cards(lang):
    total = sum(len(load(topic, lang)["cards"]) for topic in TOPICS)
    assert total >= MIN_CARDS_PER_LANGUAGE


@pytest.mark.parametrize("lang", list(SUFFIX))
def test_every_card_type_that_can_teach_is_used(lang):
    kinds = {card["type"] for topic in TOPICS for card in load(topic, lang)["cards"]}
    assert kinds >= {"flashcard", "choice", "order", "typed", "breathing", "call"}


# --- every card teaches and says where its facts come from ------------------------------------

SOURCE_MARKS = {"en": ("Source", "general knowledge"), "zh-CN": ("出处", "常识")}


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_every_card_explains_itself_and_names_its_source(topic, lang):
    silent, unsourced = [], []
    for card in load(topic, lang)["cards"]:
        explain = card.get("explain")
        if not (isinstance(explain, str) and explain.strip()):
            silent.append(card["id"])
        elif not any(mark in explain for mark in SOURCE_MARKS[lang]):
            unsourced.append(card["id"])
    assert silent == []
    assert unsourced == [], "say `Source: 00N` or label it general knowledge"


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_every_wrong_choice_says_why(topic, lang):
    unexplained = []
    for card in load(topic, lang)["cards"]:
        if card["type"] != "choice":
            continue
        right = set(right_texts(card))
        for choice in card["choices"]:
            why = choice.get("why") if isinstance(choice, dict) else None
            if choice_text(choice) not in right and not (isinstance(why, str) and why.strip()):
                unexplained.append(f"{card['id']}: {choice_text(choice)}")
    assert unexplained == []


# --- no card gives away another card's answer -------------------------------------------------
#
# A trainee sees every card's prompt (or front), its choices or steps, and after answering its
# back, explain and each chosen choice's `why`. None of that may answer another card of the same
# deck. An answer is given away when:
#
# - a LONG answer (a sentence, not a label: display width >= 24, or >= 16 with Chinese in it, a
#   CJK character counting 2) of a typed card, a choice card (each right choice, select-all included) or a flashcard's back
#   appears verbatim in another card's text, compared case-folded, NFKC, without quotes and
#   with whitespace collapsed;
# - a SHORT answer (a number, a command, a label such as "Pass" or "Nano SIM") of a typed card or
#   a single-answer choice card appears in the same sentence as one of that card's CUES. A short
#   answer alone proves nothing ("3" and "Voice quality" are everywhere in a KPI deck); next to
#   what the card asks about ("3" with "ring", "Voice quality" with "pace") it is the answer.
#   Numbers match as digits and as words ("three", "三", "两"); the technique's name "4-7-8" is
#   not a figure. A sentence ends at . ! ? ; 。！？； or a line break, and a choice's text and its
#   `why` are read as one sentence, since they are shown together.
# - The short members of a select-all answer are names other cards legitimately offer as choices
#   (the QA categories, the SIM types), so they are not checked; flashcards with a short back
#   are rated by the trainee, so only a long back is checked. Order cards have no text answer.
#
# Every card with a short answer must have its cues listed here, so a new card cannot slip past.

CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "kpi-qa": {
        "answer-within-rings": ("ring",),
        "qa-weight-knowledge": ("knowledge",),
        "qa-weight-courtesy": ("courtesy",),
        "qa-weight-voice": ("voice",),
        "qa-where-identity": ("identity", "verif", "confidential", "record"),
        "qa-where-courtesy": ("closing", "greeting", "honorific", "你"),
        "qa-where-voice": ("pace", "pronunciation", "volume", "tone", "swallow"),
        "qa-grade-excellent": ("excellent",),
        "qa-grade-79": ("79", "70 to", "70-"),
        "qa-grade-fail": ("fail",),
        "satisfaction-scale": ("keypad",),
        "silence-max": ("silence", "pause", "second"),
        "offer-options": ("confront", "control"),
        "peak-volume": ("volume", "as many calls", "peak"),
        "peak-satisfaction": ("satisf",),
        "outage-update-interval": ("update", "hour"),
        "outage-callback-days": ("follow-up", "call back", "callback", "days after"),
        "elderly-callback": ("elderly", "new plan", "her "),
        "leave-notice": ("leave", "notice"),
        "sim-fee": ("sim card", "replacement", "fee", "yuan"),
    },
    "kpi-qa-zh": {
        "answer-within-rings": ("响铃", "铃", "声内"),
        "qa-weight-knowledge": ("专业知识", "业务知识"),
        "qa-weight-courtesy": ("礼貌用语",),
        "qa-weight-voice": ("语音质量",),
        "qa-where-identity": ("身份", "核实", "保密", "记录"),
        "qa-where-courtesy": ("结束语", "问候语", "敬语", "你"),
        "qa-where-voice": ("语速", "语调", "音量", "发音", "吞音"),
        "qa-grade-excellent": ("优秀",),
        "qa-grade-79": ("79", "70-", "70到"),
        "qa-grade-fail": ("不合格",),
        "satisfaction-scale": ("按键",),
        "silence-max": ("沉默", "停顿", "秒"),
        "offer-options": ("对立", "掌控"),
        "peak-volume": ("呼叫量", "话务量", "高峰", "多接"),
        "peak-satisfaction": ("满意度",),
        "outage-update-interval": ("通报", "小时"),
        "outage-callback-days": ("回访", "天后"),
        "elderly-callback": ("老年", "新套餐", "她"),
        "leave-notice": ("休假", "请假", "提前"),
        "sim-fee": ("SIM", "工本费", "元"),
    },
    "escalation": {
        "who-hangs-up": ("hang",),
        "complaint-loyalty": ("loyal",),
    },
    "escalation-zh": {
        "who-hangs-up": ("挂",),
        "complaint-loyalty": ("忠诚",),
    },
    "breathing-stress": {
        "breath-cycle-length": ("round", "total", "cycle"),
        "focus-on-problem": ("attention", "insult"),
    },
    "breathing-stress-zh": {
        "breath-cycle-length": ("一轮", "一共", "总共"),
        "focus-on-problem": ("注意力", "骂"),
    },
    "aida-sales": {
        "aida-desire": ("aida", "stand for"),
        "cross-sell-bundle": ("together", "both", "combination", "bundle"),
        "broadband-speed": ("speed",),
        "broadband-saving": ("sav", "combined"),
        "purchase-stage-evaluation": ("compar", "weigh"),
        "needs-emotional": ("security", "peace of mind", "worry"),
        "needs-social": ("social app", "connect", "friends"),
    },
    "aida-sales-zh": {
        "aida-desire": ("AIDA", "代表"),
        "cross-sell-bundle": ("同时", "两项", "组合"),
        "broadband-speed": ("速率",),
        "broadband-saving": ("节省", "省", "综合"),
        "purchase-stage-evaluation": ("比较", "比一比", "掂量"),
        "needs-emotional": ("安全感", "安心", "担心"),
        "needs-social": ("社交软件", "联系", "朋友"),
    },
    "phrasing": {
        "nin-not-ni": ("你", "honorific", "polite form", "address"),
        "question-types": ("not sure", "unsure", "clarif"),
    },
    "phrasing-zh": {
        "nin-not-ni": ("你", "敬称", "称呼"),
        "question-types": ("说不清", "澄清"),
    },
    "self-service-10086": {
        "sms-number": ("sms", "text", "send"),
        "cmd-cxye": ("balance",),
        "cmd-cxll": ("data used", "usage", "how much data"),
        "cmd-ktlltc": ("subscribe", "data plan"),
        "cmd-cxsjlltc": ("ordered", "this month"),
        "cmd-cxgprs": ("setting",),
        "cmd-cxxe": ("plan detail", "details"),
        "cmd-mmcz": ("password", "reset"),
        "press-zero": ("human", "agent", "person"),
        "sim-nano": ("most modern", "modern smartphone"),
        "tier-light-range": ("light",),
        "tier-medium": ("video", "music", "social", "30 gb"),
        "tier-heavy-min": ("heavy",),
    },
    "self-service-10086-zh": {
        "sms-number": ("短信", "发送", "发到"),
        "cmd-cxye": ("余额",),
        "cmd-cxll": ("流量使用", "已用流量", "用量", "查询流量"),
        "cmd-ktlltc": ("开通流量套餐", "订"),
        "cmd-cxsjlltc": ("已订购", "本月"),
        "cmd-cxgprs": ("设置",),
        "cmd-cxxe": ("套餐详情", "详情"),
        "cmd-mmcz": ("密码", "重置"),
        "press-zero": ("人工",),
        "sim-nano": ("大多数", "现代智能手机"),
        "tier-light-range": ("轻量",),
        "tier-medium": ("视频", "音乐", "社交", "30GB"),
        "tier-heavy-min": ("大流量",),
        "brand-mzone": ("动感地带",),
    },
    "hard-call-lessons": {
        "callback-why": ("call back", "called back", "calls back", "dropped"),
    },
    "hard-call-lessons-zh": {
        "callback-why": ("回拨", "断线", "打回去"),
    },
    "hotline-95598": {
        "inquiry-largest": ("largest", "share"),
        "inquiry-most-common": ("most",),
        "repair-most-urgent": ("urgent",),
        "report-thank": ("first",),
    },
    "hotline-95598-zh": {
        "inquiry-largest": ("比例最大", "最大"),
        "inquiry-most-common": ("最多",),
        "repair-most-urgent": ("紧急",),
        "report-thank": ("第一",),
    },
    "info-security": {
        "lock-screen": ("step away", "leave", "workstation", "desk"),
        "passwords": ("password",),
    },
    "info-security-zh": {
        "lock-screen": ("离开", "工位", "座位"),
        "passwords": ("密码",),
        "nda": ("签",),
    },
}

_EN_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_EN_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty"}
_EN_TENS |= {90: "ninety", 100: "hundred"}
_ZH_DIGITS = "零一二三四五六七八九"
_ZH_NUMERAL = "零一二三四五六七八九十百千万两"


def number_words(n: int) -> list[str]:
    """How ``n`` may be written in words in a deck (enough for the figures the decks ask)."""
    words = []
    if n <= 20:
        words.append(_EN_NUMBERS[n])
    elif n in _EN_TENS:
        words.append(_EN_TENS[n])
    if n < 10:
        words.append(_ZH_DIGITS[n])
    elif n < 100:
        tens, ones = divmod(n, 10)
        words.append(
            ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] * bool(ones))
        )
    elif n == 100:
        words.append("一百")
    if n == 2:
        words.append("两")
    if n == 50:
        words += ["half", "一半", "半价"]
    return words


def number_pattern(n: int) -> re.Pattern[str]:
    latin = [w for w in number_words(n) if w.isascii()]
    chinese = [w for w in number_words(n) if not w.isascii()]
    parts = [rf"(?<![\d.]){n}(?!\d)"]
    parts += [rf"\b{w}\b" for w in latin]
    parts += [rf"(?<![{_ZH_NUMERAL}]){w}(?![{_ZH_NUMERAL}])" for w in chinese]
    return re.compile("|".join(parts), re.IGNORECASE)


def text_pattern(text: str) -> re.Pattern[str]:
    body = re.escape(fold(text))
    # Latin answers match as whole words, bounded by letters and digits only, since a Chinese
    # sentence runs its characters straight up against a command or a name.
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])" if text.isascii() else body)


def cue_pattern(cue: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(cue)}" if cue[:1].isascii() else re.escape(cue), re.I)


_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


def fold(text: str) -> str:
    """Text as compared for give-aways: NFKC, case-folded, no quotes, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(_QUOTES)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".。!！?？;；:：,， ")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


_SENTENCE_END = re.compile(r"[.!?;。！？；\n]+")


def sentences(text: str) -> list[str]:
    text = fold(text).replace("4-7-8", "~")  # the technique's name, not a figure
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def shown_texts(card: dict[str, Any]) -> Iterator[str]:
    """Every text of ``card`` a trainee sees, a choice's text together with its `why`."""
    for key in ("prompt", "front", "back", "explain"):
        if isinstance(card.get(key), str):
            yield card[key]
    for choice in card.get("choices", []):
        why = choice.get("why", "") if isinstance(choice, dict) else ""
        yield f"{choice_text(choice)}: {why}"
    yield from map(str, card.get("steps", []))


def is_long(text: str) -> bool:
    """A sentence rather than a label: 24 columns, or 16 with Chinese (which says more per column)."""
    return width(text) >= (24 if text.isascii() else 16)


def long_answers(card: dict[str, Any]) -> list[str]:
    if card["type"] == "typed":
        accepted = card["answer"] if isinstance(card["answer"], list) else [card["answer"]]
        return [str(a) for a in accepted if isinstance(a, str) and is_long(a)]
    if card["type"] == "choice":
        return [text for text in right_texts(card) if is_long(text)]
    if card["type"] == "flashcard" and is_long(card["back"]):
        return [card["back"]]
    return []


def short_answers(card: dict[str, Any]) -> list[re.Pattern[str]]:
    if card["type"] == "typed":
        accepted = card["answer"] if isinstance(card["answer"], list) else [card["answer"]]
        return [
            number_pattern(int(a)) if isinstance(a, int | float) else text_pattern(a)
            for a in accepted
            if not isinstance(a, str) or not is_long(a)
        ]
    if card["type"] == "choice" and not isinstance(card["answer"], list):
        text = str(card["answer"])
        return [] if is_long(text) else [text_pattern(text)]
    return []


def give_aways(deck: dict[str, Any]) -> list[str]:
    """Each place where a card of ``deck`` answers another card of it."""
    found = []
    cards = deck["cards"]
    cues = CUES.get(deck["id"], {})
    for card in cards:
        longs = [fold(a) for a in long_answers(card)]
        shorts = short_answers(card)
        card_cues = [cue_pattern(c) for c in cues.get(card["id"], ())]
        for other in cards:
            if other is card:
                continue
            for text in shown_texts(other):
                folded = fold(text)
                for answer in longs:
                    if answer in folded:
                        found.append(f"{other['id']} gives away {card['id']}: {text!r}")
                if not shorts:
                    continue
                for sentence in sentences(text):
                    if any(p.search(sentence) for p in shorts) and any(
                        c.search(sentence) for c in card_cues
                    ):
                        found.append(f"{other['id']} gives away {card['id']}: {sentence!r}")
    return found


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_every_short_answer_has_its_cues_listed(topic, lang):
    deck = load(topic, lang)
    needing = {card["id"] for card in deck["cards"] if short_answers(card)}
    listed = set(CUES.get(deck["id"], {}))
    assert sorted(needing - listed) == [], "add the cues of these cards to CUES"
    assert sorted(listed - needing) == [], "these CUES entries name no short-answer card"


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_no_card_gives_away_another_cards_answer(topic, lang):
    assert give_aways(load(topic, lang)) == []


def test_the_give_away_check_catches_what_the_audit_found():
    """The check is only worth having if it would have caught the audit's examples (issue 13)."""
    deck = {
        "id": "kpi-qa",
        "cards": [
            {"id": "qa-weight-voice", "type": "typed", "prompt": "Voice points?", "answer": 20},
            {"id": "answer-within-rings", "type": "typed", "prompt": "Rings?", "answer": 3},
            {
                "id": "qa-where-voice",
                "type": "choice",
                "prompt": "Which?",
                "answer": "Voice quality",
                "choices": ["Voice quality", "Product knowledge"],
            },
            {
                "id": "qa-categories",
                "type": "choice",
                "prompt": "Which categories?",
                "choices": [{"text": "Voice quality", "why": "Worth 20 points (pace, tone)."}],
                "answer": ["Voice quality"],
                "explain": "Answer within three rings, then greet.",
            },
        ],
    }
    found = give_aways(deck)
    assert any("gives away qa-weight-voice" in line for line in found)
    assert any("gives away answer-within-rings" in line for line in found)
    assert any("gives away qa-where-voice" in line for line in found)
    deck["cards"][3] = {"id": "x", "type": "flashcard", "front": "Rings?", "back": "Quickly."}
    deck["cards"][3]["explain"] = "Pick up quickly; three callers may be waiting."
    assert give_aways(deck) == []  # a number away from its cue is not the answer

    zh = {
        "id": "self-service-10086-zh",
        "cards": [
            {"id": "cmd-cxye", "type": "typed", "prompt": "查余额发什么？", "answer": "CXYE"},
            {
                "id": "x",
                "type": "flashcard",
                "front": "问",
                "back": "答",
                "explain": "发CXYE查余额。",
            },
        ],
    }
    assert any("gives away cmd-cxye" in line for line in give_aways(zh))
    zh["cards"][1]["explain"] = "余额可以发短信查。"
    assert give_aways(zh) == []


# --- a wrong choice is not given away by its length -------------------------------------------
#
# A trainee who learns that the longest choice is usually right stops reading. So: the right
# answer of a single-answer card is never longer than every wrong one by a wide margin (more than
# 40% and 10 columns longer than the longest wrong choice), and within a deck it is the strictly
# longest choice on at most half of the single-answer cards. In a select-all card the right
# choices are on average at most 40% longer than the wrong ones. Widths count a CJK character as 2.

WIDE_MARGIN = 1.4


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_the_right_choice_does_not_stand_out_by_its_length(topic, lang):
    standing_out, longest, single = [], 0, 0
    for card in load(topic, lang)["cards"]:
        if card["type"] != "choice":
            continue
        right = set(right_texts(card))
        right_w = [width(c) for c in map(choice_text, card["choices"]) if c in right]
        wrong_w = [width(c) for c in map(choice_text, card["choices"]) if c not in right]
        if isinstance(card["answer"], list):
            mean_right, mean_wrong = sum(right_w) / len(right_w), sum(wrong_w) / len(wrong_w)
            if mean_right > WIDE_MARGIN * mean_wrong:
                standing_out.append(f"{card['id']}: right {mean_right:.0f} vs {mean_wrong:.0f}")
            continue
        single += 1
        longest += right_w[0] > max(wrong_w)
        if right_w[0] > WIDE_MARGIN * max(wrong_w) and right_w[0] - max(wrong_w) >= 10:
            standing_out.append(f"{card['id']}: right {right_w[0]} vs {max(wrong_w)}")
    assert standing_out == []
    assert longest <= single / 2, f"the right choice is the longest on {longest}/{single} cards"


# --- time to read -----------------------------------------------------------------------------
#
# A card's limit must cover reading what it shows and answering. Reading: 14 columns a second
# (about 14 Latin letters or 7 Chinese characters, a comfortable reading pace for either), over
# the prompt or front and every choice or step. Answering: 10 s to type or to recall a flashcard;
# 5 s plus 2 s a choice to pick one (3 s a choice for select-all); 4 s a step to order. The twins
# share their limits, set by the slower of the two.


def reading_time(card: dict[str, Any]) -> float:
    shown = width(card.get("prompt") or card.get("front") or "")
    if card["type"] == "choice":
        shown += sum(width(choice_text(c)) for c in card["choices"])
        per_choice = 3 if isinstance(card["answer"], list) else 2
        act = 5 + per_choice * len(card["choices"])
    elif card["type"] == "order":
        shown += sum(width(step) for step in card["steps"])
        act = 4 * len(card["steps"])
    else:
        act = 10
    return shown / 14 + act


@pytest.mark.parametrize(("topic", "lang"), BUNDLED, ids=BUNDLED_IDS)
def test_every_card_leaves_time_to_read_and_answer_it(topic, lang):
    deck = load(topic, lang)
    rushed = []
    for card in deck["cards"]:
        if card["type"] == "breathing":
            continue
        limit = card.get("time_limit", deck.get("time_limit", 30))
        need = math.ceil(reading_time(card))
        if limit and limit < need:
            rushed.append(f"{card['id']}: {limit} s, needs {need} s")
    assert rushed == []


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def english_words(n: int) -> str:
    """A whole number below a million in English words, as a trainee would type it."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + english_words(rest))
    rest = n % 1000
    return english_words(n // 1000) + " thousand" + ("" if rest == 0 else " " + english_words(rest))


@pytest.mark.parametrize("lang", list(SUFFIX))
def test_every_numeric_card_is_right_with_the_number_in_words(lang):
    """Issue 13 asked for this once numbers in words landed (issue 12): every bundled typed
    card whose answer is a whole number is graded right when the trainee writes the number in
    words (English decks) or in Chinese numerals (zh-CN decks)."""
    import cn2an

    from drill.deck.loader import load_file
    from drill.deck.model import TypedCard
    from drill.grading import Typed, is_right

    checked = 0
    for topic in TOPICS:
        deck = load_file(str(deck_path(topic, lang))).deck
        assert deck is not None
        for card in deck.cards:
            if not isinstance(card, TypedCard) or card.number is None:
                continue
            number = card.number
            if not float(number).is_integer() or not 0 <= number < 1_000_000:
                continue
            words = english_words(int(number)) if lang == "en" else cn2an.an2cn(int(number))
            assert is_right(card, Typed(words)), (deck.id, card.id, words)
            checked += 1
    assert checked >= 10, checked
