"""``drill import`` of GIFT banks (SPEC 10): every construct of Moodle's GIFT documentation
(fixture ``tests/fixtures/interchange/docs.gift``) becomes the card SPEC 10 maps it to, what
drill cannot ask is warned about at its line, syntax errors are located and write nothing, and
an imported bank drills to a perfect score when every card is answered right."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from banks import BANK_XML, DOCS, deck_of, line_of

from drill.commands.import_ import import_banks
from drill.deck.cards import derived_card_id
from drill.deck.loader import load_text
from drill.deck.model import ChoiceCard, OrderCard, TypedCard
from drill.interchange.gift import read_gift
from drill.interchange.model import BankError


def gift(tmp_path: Path, text: str, name: str = "bank.gift") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def docs():
    outcome = import_banks([str(DOCS)])
    assert outcome.errors == 0, outcome.notices
    return deck_of(outcome.text), outcome


def choices(card: ChoiceCard) -> list[str]:
    return [choice.text for choice in card.choices]


def right(card: ChoiceCard) -> list[str]:
    return [card.choices[i].text for i in card.answers]


# --- the mapping, construct by construct -------------------------------------------------------


def test_multiple_choice_with_one_right_answer_is_a_choice_card(docs):
    cards, _ = docs
    for card_id, expected in [
        ("mc-basic", ["The customer", "The supervisor", "The agent"]),
        ("mc-lines", ["five", "four", "three"]),  # answers on separate, indented lines
    ]:
        card = cards[card_id]
        assert isinstance(card, ChoiceCard)
        assert (choices(card), right(card), card.multiple) == (expected, [expected[-1]], False)
        assert card.prompt.endswith("?") and card.shuffle


def test_missing_word_questions_show_a_blank_where_the_answers_were(docs):
    cards, _ = docs
    assert cards["missing-word"].prompt == (
        "An agent should _____ while greeting, even on the phone."
    )
    assert right(cards["missing-word"]) == ["smile"]
    assert cards["short-missing"].prompt == "A call closes with a _____ of what was agreed."


def test_short_answer_is_a_typed_card_with_every_accepted_answer(docs):
    cards, _ = docs
    assert isinstance(cards["short"], TypedCard)
    assert (cards["short"].accepted, cards["short"].number) == (("Hello", "Hi"), None)
    assert cards["short-missing"].accepted == ("summary", "recap")


@pytest.mark.parametrize(
    ("card_id", "answer"),
    [("tf-t", "True"), ("tf-false", "False"), ("tf-true", "True"), ("tf-f", "False")],
)
def test_true_false_in_each_spelling_is_an_unshuffled_true_false_choice(docs, card_id, answer):
    card = docs[0][card_id]
    assert isinstance(card, ChoiceCard)
    assert (choices(card), right(card), card.shuffle) == (["True", "False"], [answer], False)


def test_true_false_feedback_goes_to_the_choice_it_answers(docs):
    card = docs[0]["tf-feedback"]
    # {TRUE#shown for the wrong answer#shown for the right one}, as Moodle reads it
    assert [(c.text, c.why) for c in card.choices] == [
        ("True", "Right: always ask first."),
        ("False", "It is the law in most places."),
    ]


@pytest.mark.parametrize(
    ("card_id", "number", "tolerance"),
    [
        ("num-exact", 20, 0),
        ("num-tolerance", 4.5, 0.5),  # {#4.5:0.5}
        ("num-range", 4.5, 0.5),  # {#4..5}: the middle, and half the width
        ("num-partial", 5, 0),  # the full-credit answer of several
        ("num-wrong-feedback", 45, 5),  # {#45:5~#feedback for any other number}
    ],
)
def test_numerical_is_a_typed_number_with_its_tolerance(docs, card_id, number, tolerance):
    card = docs[0][card_id]
    assert isinstance(card, TypedCard)
    assert (card.number, card.tolerance) == (number, tolerance)


def test_per_answer_feedback_becomes_why_and_general_feedback_explain(docs):
    cards, _ = docs
    assert [(c.text, c.why) for c in cards["feedback"].choices] == [
        ("Hold on.", "Too abrupt: say why and for how long."),
        ("May I put you on hold for two minutes while I check?", "Yes: reason, time, permission."),
        ("One moment.", "The caller does not know how long."),
    ]
    assert cards["general"].explain == "People calm down once they feel heard."
    assert choices(cards["general"]) == ["Let them finish", "Quote the policy"]


def test_weights_keep_the_full_credit_answer_right(docs):
    cards, _ = docs
    assert right(cards["weights"]) == ["Good morning, this is Ana at Acme. How can I help?"]
    assert cards["short-weights"].accepted == ("F12",)


def test_several_answers_of_positive_weight_are_select_all(docs):
    card = docs[0]["multi"]
    assert card.multiple
    assert right(card) == ["Date of birth", "Postcode"]
    assert choices(card)[2:] == ["Favourite colour", "Shoe size"]


def test_escapes_stand_for_their_characters(docs):
    cards, _ = docs
    assert cards["escapes"].prompt == (
        "Which are written with escapes: {braces}, ~tilde, =equals, #hash and \\?"
    )
    assert [(c.text, c.why) for c in cards["escapes"].choices] == [
        ("All of them = yes", "Right: every one was escaped."),
        ("None of them", None),
    ]
    assert cards["newline"].prompt == "First line\nsecond line of the prompt."


def test_format_prefixes_reduce_html_and_keep_markdown_and_plain_text(docs):
    cards, _ = docs
    assert cards["markdown"].prompt == "Which is **mandatory** in every call?"
    assert right(cards["markdown"]) == ["The *greeting*"]
    assert cards["html"].prompt == "Which form is urgent?"
    assert [(c.text, c.why) for c in cards["html"].choices] == [
        ("F12", "Yes & fast."),
        ("F <13>", None),  # [plain]: the text as written, not a tag
    ]
    assert cards["plain"].prompt == "Is <b> a tag here?"
    assert cards["moodle"].prompt == "Tom & Jerry work\nwhich shift?"


def test_a_question_over_several_lines_keeps_its_line_breaks(docs):
    assert docs[0]["multiline"].prompt == (
        "A caller asks for a refund\noutside the 30-day window.\nWhat do you offer?"
    )


def test_a_question_without_a_name_gets_the_id_drill_would_derive(docs):
    prompt = "Which channel is fastest for a password reset?"
    card = docs[0][derived_card_id("choice", prompt)]
    assert card.prompt == prompt and right(card) == ["Self-service"]


def test_without_a_name_the_id_number_in_a_comment_is_the_card_id(docs):
    card = docs[0]["CH-017"]
    assert (card.prompt, right(card)) == (
        "Which greeting is standard?",
        ["Good morning, Acme, Ana speaking"],
    )


def test_categories_become_tags_and_comments_are_left_out(docs):
    _, outcome = docs
    result = load_text(outcome.text, "x.yaml")
    assert result.deck.tags == ("Basics", "Complaints")
    assert "comment" not in outcome.text.replace("Imported", "")


def test_every_skipped_construct_and_every_loss_is_warned_at_its_place(docs):
    _, outcome = docs
    at = lambda needle: f"{DOCS}:{line_of(DOCS, needle)}"  # noqa: E731
    assert outcome.notices == (
        f"{at('::matching::')}:1: warning: a matching question cannot be asked in drill: skipped",
        f"{at('::num-partial::')}:1: warning: feedback on its answers is not kept: a typed card"
        " has only `explain`",
        f"{at('=%50%5:2')}:5: warning: partial credit (50%) for `5` is not kept: drill accepts"
        " only full-credit numbers",
        f"{at('~%50%Hello')}:5: warning: partial credit (50%) for `Hello, how can I help?` is not"
        " kept: drill counts that choice wrong",
        f"{at('::short-weights::')}:1: warning: feedback on its answers is not kept: a typed card"
        " has only `explain`",
        f"{at('=%50%F-12')}:5: warning: partial credit (50%) for `F-12` is not kept: drill"
        " accepts only full-credit answers",
        f"{at('::essay::')}:1: warning: an essay question cannot be asked in drill: skipped",
        f"{at('::description::')}:1: warning: a description (text without a question) cannot be"
        " asked in drill: skipped",
        f"{at('::two-blanks::')}:1: warning: an embedded-answers (cloze) question cannot be asked"
        " in drill: skipped",
    )
    assert (outcome.imported, outcome.skipped) == (29, 4)


# --- ids and text ------------------------------------------------------------------------------


def test_card_ids_are_made_valid_and_unique(tmp_path):
    path = gift(
        tmp_path,
        "::Jesus' hometown::Where?{=Nazareth ~Rome}\n\n"
        "::Jesus' hometown::Where, again?{=Nazareth ~Rome}\n\n"
        "::退款流程::怎么退款？{=原路退回 ~现金}\n\n"
        "::a/b c::Slash?{=yes ~no}\n",
    )
    outcome = import_banks([str(path)])
    cards = deck_of(outcome.text)
    assert list(cards) == [
        "Jesus-hometown",
        "Jesus-hometown-2",
        derived_card_id("choice", "怎么退款？"),
        "a-b-c",
    ]


def test_text_fields_stay_text_whatever_yaml_would_make_of_them(tmp_path):
    path = gift(
        tmp_path,
        "::yes::Agree?{=Yes ~No}\n\n::on::Switch?{=on ~off}\n\n::three::Rings?{=3}\n\n"
        "::null::Value?{=null ~true}\n",
    )
    cards = deck_of(import_banks([str(path)]).text)
    assert choices(cards["yes"]) == ["Yes", "No"]
    assert choices(cards["on"]) == ["on", "off"]
    assert (cards["three"].accepted, cards["three"].number) == (("3",), None)
    assert (choices(cards["null"]), right(cards["null"])) == (["null", "true"], ["null"])


def test_control_characters_are_dropped_and_reported_at_their_line(tmp_path):
    path = gift(tmp_path, "::bell::Ring\x07 the\x1b[31m bell?{=Yes\x9b ~No}\n")
    outcome = import_banks([str(path)])
    assert outcome.notices == (
        f"{path}:1:1: warning: control characters U+0007, U+001B dropped",
        f"{path}:1:30: warning: control character U+009B dropped",
    )
    card = deck_of(outcome.text)["bell"]
    assert (card.prompt, choices(card)) == ("Ring the[31m bell?", ["Yes", "No"])
    assert not any(0x7F <= ord(c) <= 0x9F or (ord(c) < 0x20 and c != "\n") for c in outcome.text)


def test_line_and_paragraph_separators_are_escaped_not_written_raw(tmp_path):
    path = gift(tmp_path, "::sep::One\u2028two\u2029three\x85?{=ok}\n")
    outcome = import_banks([str(path)])
    assert "\u2028" not in outcome.text and "\\u2028" in outcome.text
    assert deck_of(outcome.text)["sep"].prompt == "One\u2028two\u2029three?"


def test_windows_line_endings_and_a_byte_order_mark_read_the_same(tmp_path):
    text = "::a::First\nline?{\n=yes\n~no\n}\n\n::b::Second?{T}\n"
    unix = gift(tmp_path, text, "unix.gift")
    windows = gift(tmp_path, "\ufeff" + text.replace("\n", "\r\n"), "windows.gift")
    read = [import_banks([str(path)], "bank", "Bank").text for path in (unix, windows)]
    assert read[0] == read[1].replace("windows.gift", "unix.gift")
    assert deck_of(read[1])["a"].prompt == "First\nline?"


def test_a_chinese_deck_gets_chinese_true_false_labels(tmp_path):
    path = gift(tmp_path, "::退款::七天内可以退款。{T}\n")
    (card,) = deck_of(import_banks([str(path)], language="zh-CN").text).values()
    assert (choices(card), right(card)) == (["正确", "错误"], ["正确"])


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("::退款::七天内可以退款。{T}\n\n::工号::报工号时先说什么？{=您好}\n", "zh-CN"),
        ("::refund::Refunds within 7 days? {T}\n\n::id::Say what first? {=Hello}\n", "en"),
        ("::sla::SLA 是多少秒？{#20}\n\n::kpi::What is AHT? {=平均处理时长}\n", "zh-CN"),
    ],
    ids=["chinese", "english", "mixed"],
)
def test_without_language_the_deck_takes_the_language_its_questions_are_written_in(
    tmp_path, text, language
):
    """A Chinese bank imported without ``--language`` is a zh-CN deck (listed with the Chinese
    decks, its true/false choices in Chinese), not English; ``--language`` still decides."""
    path = gift(tmp_path, text)
    deck = load_text(import_banks([str(path)]).text or "", "bank.yaml").deck
    assert deck is not None and deck.language == language
    forced = load_text(import_banks([str(path)], language="en").text or "", "bank.yaml").deck
    assert forced is not None and forced.language == "en"


# --- broken files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("Q?{=a ~b\n", 1, 3, "the answers opened with `{` are not closed with `}`"),
        ("Q?}=a{\n", 1, 3, "`}` without an opening `{` (write `\\}` for the character)"),
        ("Q?{=a} more }\n", 1, 13, "`}` without an opening `{` (write `\\}` for the character)"),
        ("::name Q?{=a}\n", 1, 1, "the question name opened with `::` is not closed with `::`"),
        ("Q?{=a {~b}\n", 1, 7, "`{` inside the answers (write `\\{` for the character)"),
        ("Q?{#\n  =abc:1\n}\n", 2, 3, "`abc:1` is not a number, `N:TOLERANCE` or `MIN..MAX`"),
        ("Q?{#5..1}\n", 1, 5, "`5..1` is not a number, `N:TOLERANCE` or `MIN..MAX`"),
        ("Q?{#}\n", 1, 5, "a numerical question needs a number after `{#`"),
        ("Q?{a ~b =c}\n", 1, 4, "text before the first answer: start each answer with `~` or `=`"),
        ("Q?{~%150%a =b}\n", 1, 5, "answer weight 150% is not from -100% to 100%"),
    ],
)
def test_syntax_errors_are_located(text, line, col, message):
    bank = read_gift(("// a comment first\n\n" + text).encode(), "bank.gift")
    assert bank.questions == ()
    assert [(n.line - 2, n.col, n.message, n.severity) for n in bank.notices] == [
        (line, col, message, "error")
    ]


def test_one_broken_question_does_not_hide_the_others_errors(tmp_path):
    bank = read_gift(b"A?{=a\n\nB?{=b}\n\nC?{=c\n", "bank.gift")
    assert [q.text for q in bank.questions] == ["B?"]
    assert [(n.line, n.col) for n in bank.notices] == [(1, 3), (5, 3)]


@pytest.mark.parametrize(
    ("data", "line", "col", "message"),
    [
        (b"Q?{=a}\n\nR?\x00{=b}\n", 3, 3, "NUL byte: this is a binary file, not a GIFT file"),
        (
            b"Q?{=a}\n\nR?{=\xe9t\xe9}\n",
            3,
            5,
            "invalid UTF-8 (byte 0xe9): a GIFT file must be UTF-8",
        ),
    ],
)
def test_binary_and_invalid_utf8_files_are_refused_at_the_byte(data, line, col, message):
    with pytest.raises(BankError) as caught:
        read_gift(data, "bank.gift")
    assert (caught.value.line, caught.value.col, caught.value.message) == (line, col, message)


# --- the command -------------------------------------------------------------------------------


def test_import_writes_the_deck_and_warns_on_stderr(drill, tmp_path):
    out = tmp_path / "deck.yaml"
    ran = drill("import", str(DOCS), "-o", str(out), "--id", "basics", "--title", "Basics")
    assert ran.code == 0 and ran.out == ""
    assert ran.err.splitlines()[-1] == "drill: imported 29, skipped 4"
    assert len(ran.err.splitlines()) == 10
    assert all(": warning: " in line for line in ran.err.splitlines()[:-1])
    text = out.read_text(encoding="utf-8")
    assert '\nid: basics\ntitle: "Basics"\n' in text
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # readable as any new file, not private
    assert drill("validate", str(out)).code == 0


def test_without_o_the_deck_goes_to_stdout(drill, tmp_path):
    path = gift(tmp_path, "::q::Rings?{#3}\n")
    ran = drill("import", str(path))
    assert ran.code == 0
    assert deck_of(ran.out)["q"].number == 3
    assert ran.err == "drill: imported 1, skipped 0\n"


def test_a_syntax_error_exits_1_and_leaves_the_output_untouched(drill, tmp_path):
    out = tmp_path / "deck.yaml"
    out.write_text("the trainer's own deck\n")
    path = gift(tmp_path, "::ok::Fine?{T}\n\n::broken::Not closed?{=a ~b\n")
    ran = drill("import", str(path), "-o", str(out))
    assert ran.code == 1 and ran.out == ""
    assert ran.err == (
        f"{path}:3:22: error: the answers opened with `{{` are not closed with `}}`\n"
        "drill: 1 error, nothing written (would import 1, skip 0)\n"
    )
    assert out.read_text() == "the trainer's own deck\n"
    assert sorted(os.listdir(tmp_path)) == ["bank.gift", "deck.yaml"]


def test_strict_makes_every_warning_an_error(drill, tmp_path):
    path = gift(tmp_path, "::ok::Fine?{T}\n\n::essay::Tell me.{}\n")
    out = tmp_path / "deck.yaml"
    ran = drill("import", str(path), "-o", str(out), "--strict")
    assert ran.code == 1 and not out.exists()
    assert ran.err.splitlines()[0] == (
        f"{path}:3:1: error: an essay question cannot be asked in drill: skipped"
    )


def test_a_bank_with_nothing_drill_can_ask_writes_nothing(drill, tmp_path):
    path = gift(tmp_path, "::essay::Tell me.{}\n")
    ran = drill("import", str(path), "-o", str(tmp_path / "deck.yaml"))
    assert ran.code == 1
    assert f"{path}:1:1: error: no question could be imported" in ran.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "Not Valid"], "drill: error: --id 'Not Valid': use lowercase letters, digits"),
        (["--language", "english!"], "drill: error: --language 'english!' is not a BCP 47 tag"),
        (["--title", "bad\x1b[2J"], "drill: error: --title must be text without control"),
    ],
)
def test_bad_options_are_usage_errors(drill, tmp_path, args, message):
    ran = drill("import", str(gift(tmp_path, "Q?{T}\n")), *args)
    assert ran.code == 2 and ran.err.startswith(message) and ran.err.count("\n") == 1


def test_an_unreadable_file_exits_2(drill, tmp_path):
    ran = drill("import", str(tmp_path / "missing.gift"))
    assert (ran.code, ran.out) == (2, "")
    assert (
        ran.err
        == f"drill: error: cannot read {tmp_path / 'missing.gift'}: No such file or directory\n"
    )


def test_a_named_pipe_is_refused_not_waited_on(drill, tmp_path):
    fifo = tmp_path / "bank.gift"
    os.mkfifo(fifo)
    ran = drill("import", str(fifo))
    assert ran.code == 2 and ran.err == f"drill: error: cannot read {fifo}: not a regular file\n"


# --- the round trip ----------------------------------------------------------------------------


def right_answer(card) -> object:
    """What a trainee who knows the card answers, written as an answers file holds it."""
    if isinstance(card, ChoiceCard):
        texts = right(card)
        return texts if card.multiple else texts[0]
    if isinstance(card, OrderCard):
        return list(card.steps)
    if card.number is not None:
        return f"{card.number:g}"
    return card.accepted[-1]


def test_imported_banks_validate_and_drill_to_a_perfect_score(drill, tmp_path):
    deck = tmp_path / "imported.yaml"
    ran = drill("import", str(DOCS), str(BANK_XML), "-o", str(deck))
    assert ran.code == 0, ran.err
    assert drill("validate", str(deck)).code == 0
    cards = deck_of(deck.read_text(encoding="utf-8"))
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({i: right_answer(c) for i, c in cards.items()}), "utf-8")
    run = drill("run", str(deck), "--headless", "--mode", "drill", "--answers", str(answers),
                "--seed", "1", "--now", "2026-03-01T09:00:00Z")  # fmt: skip
    assert run.code == 0, run.err
    results = [e for e in run.events if e["event"] == "result"]
    assert [r["card"] for r in results if not r["correct"]] == []
    summary = run.events[-1]
    assert (summary["answered"], summary["score"]) == (len(cards), 1.0)
    assert {r["card"] for r in results} == set(cards)
    types = {type(c).__name__ for c in cards.values()}
    assert types == {"ChoiceCard", "TypedCard", "OrderCard"}
