"""``drill import`` of Moodle XML banks (SPEC 10): each question type Moodle exports
(fixture ``tests/fixtures/interchange/bank.xml``) becomes the card SPEC 10 maps it to or is
warned about at its element; hostile XML (entity bombs, external entities, malformed or deeply
nested files) is refused fast with one located error line and nothing written."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from banks import BANK_XML, deck_of, line_of

from drill.commands.import_ import import_banks
from drill.deck.model import ChoiceCard, OrderCard, TypedCard
from drill.interchange.model import BankError
from drill.interchange.moodle_xml import read_moodle_xml


@pytest.fixture(scope="module")
def bank():
    outcome = import_banks([str(BANK_XML)])
    assert outcome.errors == 0, outcome.notices
    return deck_of(outcome.text), outcome


def texts(card: ChoiceCard) -> list[tuple[str, str | None]]:
    return [(choice.text, choice.why) for choice in card.choices]


def right(card: ChoiceCard) -> list[str]:
    return [card.choices[i].text for i in card.answers]


def xml(tmp_path: Path, body: str, name: str = "bank.xml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


# --- the mapping -------------------------------------------------------------------------------


def test_single_answer_multichoice_is_a_choice_card_with_html_reduced(bank):
    card = bank[0]["mc-single"]
    assert isinstance(card, ChoiceCard) and not card.multiple
    assert card.prompt == "Listen: [a greeting]\nWhich part of the greeting is missing?"
    assert texts(card) == [
        ("The agent's name", "Yes: callers want a person."),
        ("The weather", None),
        ("The date", "Not needed."),
    ]
    assert (right(card), card.shuffle) == (["The agent's name"], False)  # shuffleanswers false
    assert card.explain == "Name, company, offer of help."


def test_multiple_answer_multichoice_is_select_all_of_the_positive_answers(bank):
    card = bank[0]["mc-multiple"]
    assert card.multiple and card.shuffle
    assert right(card) == ["What happened next?", "How can I help?"]
    assert card.prompt == "Which of these are open questions?\nPick every one."
    assert texts(card)[2] == ("Is that all?", "Closed: yes or no.")


def test_true_false_is_an_unshuffled_choice_with_each_answers_feedback(bank):
    card = bank[0]["tf"]
    assert texts(card) == [
        ("True", "Right: say you are still there."),
        ("False", "Callers think they were cut off."),
    ]
    assert (right(card), card.shuffle) == (["True"], False)


def test_short_answer_keeps_every_full_credit_answer(bank):
    card = bank[0]["short"]
    assert isinstance(card, TypedCard)
    assert (card.accepted, card.explain) == (("Thanks", "Thank you"), "Thank the caller.")


def test_numerical_is_a_typed_number_with_its_tolerance(bank):
    card = bank[0]["numerical"]
    assert isinstance(card, TypedCard)
    assert (card.number, card.tolerance) == (80, 2.5)


def test_ordering_is_an_order_card_in_the_order_of_its_fractions(bank):
    card = bank[0]["ordering"]
    assert isinstance(card, OrderCard)
    assert card.steps == ("Listen", "Apologise", "Agree on a fix", "Follow up")
    assert card.explain == "Listen before you act."


def test_names_become_ids_and_categories_tags(bank):
    cards, outcome = bank
    assert "Control-characters" in cards  # "Control &amp; characters"
    assert 'tags: ["Quality"]' in outcome.text


def test_every_skipped_type_and_every_loss_is_warned_at_its_element(bank):
    _, outcome = bank

    def at(needle: str, col: int) -> str:
        return f"{BANK_XML}:{line_of(BANK_XML, needle) - 1}:{col}"  # the element before its name

    question, partial = 'type="multichoice"', 'fraction="33.33333"'
    assert outcome.notices == (
        f"{BANK_XML}:{line_of(BANK_XML, question)}:3: warning: its text shows an image,"
        " which drill cannot show",
        f"{BANK_XML}:{line_of(BANK_XML, partial)}:5: warning: partial credit"
        " (33%) for `The date` is not kept: drill counts that choice wrong",
        f"{at('<text>short</text>', 3)}: warning: its answers were case-sensitive; drill"
        " ignores case",
        f"{BANK_XML}:{line_of(BANK_XML, '<text>Bye</text>')}:5: warning: partial credit (50%)"
        " for `Bye` is not kept: drill accepts only full-credit answers",
        f"{BANK_XML}:{line_of(BANK_XML, '<text>Thank*</text>')}:5: warning: `Thank*` uses"
        " Moodle's `*` wildcard, which drill cannot match: left out",
        f"{at('<text>numerical</text>', 3)}: warning: its units are not kept: only the number"
        " is checked",
        f"{at('<text>essay</text>', 3)}: warning: an essay question cannot be asked in drill:"
        " skipped",
        f"{at('<text>matching</text>', 3)}: warning: a matching question cannot be asked in"
        " drill: skipped",
        f"{at('<text>cloze</text>', 3)}: warning: an embedded-answers (cloze) question cannot be"
        " asked in drill: skipped",
        f"{at('<text>calculated</text>', 3)}: warning: a calculated question cannot be asked in"
        " drill: skipped",
        f"{at('<text>drag-and-drop</text>', 3)}: warning: a drag-and-drop question cannot be"
        " asked in drill: skipped",
        f"{at('<text>description</text>', 3)}: warning: a description (text without a question)"
        " cannot be asked in drill: skipped",
        f"{at('<text>Control &amp; characters</text>', 3)}: warning: control character U+0085"
        " dropped",
        f"{BANK_XML}:{line_of(BANK_XML, 'A&#x7f;n')}:5: warning: control character U+007F dropped",
    )
    assert (outcome.imported, outcome.skipped) == (7, 6)


def test_control_characters_never_reach_the_deck(bank):
    cards, outcome = bank
    card = cards["Control-characters"]
    assert (card.prompt, right(card)) == ("Which linebreak is safe?", ["An ordinary one"])
    assert "\x85" not in outcome.text and "\x7f" not in outcome.text


def test_a_declared_encoding_other_than_utf8_is_read(tmp_path):
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz><question type="shortanswer">'
        "<name><text>caf\xe9</text></name><questiontext><text>Caf\xe9?</text></questiontext>"
        '<answer fraction="100"><text>cr\xe8me</text></answer></question></quiz>'
    )
    path = tmp_path / "latin1.xml"
    path.write_bytes(body.encode("latin-1"))
    (card,) = deck_of(import_banks([str(path)]).text).values()
    assert (card.prompt, card.accepted) == ("Café?", ("crème",))


def test_questions_that_cannot_become_cards_are_skipped_with_the_reason(tmp_path):
    def q(kind: str, answers: str, name: str) -> str:
        return (
            f'<question type="{kind}"><name><text>{name}</text></name>'
            f"<questiontext><text>{name}?</text></questiontext>{answers}</question>\n"
        )

    ans = '<answer fraction="{}"><text>{}</text></answer>'.format
    path = xml(
        tmp_path,
        "<quiz>\n"
        + q("multichoice", ans(100, "a") + ans(100, "b"), "two-right")
        + q("multichoice", ans(100, "a") + ans(0, "a"), "same-twice")
        + q("multichoice", ans(100, "only"), "one-choice")
        + q("multichoice", ans(0, "a") + ans(0, "b"), "none-right")
        + q("numerical", ans(100, "lots"), "not-a-number")
        + q("ordering", ans(1, "one"), "one-step")
        + q("truefalse", ans(100, "yes") + ans(0, "no"), "no-true")
        + '<question type="multichoice"><name><text>no-text</text></name>'
        '<questiontext format="html"><text><![CDATA[<img src="x.png">]]></text></questiontext>'
        + ans(100, "a")
        + ans(0, "b")
        + "</question>\n"
        + q("shortanswer", ans(100, "fine"), "fine")
        + "</quiz>\n",
    )
    outcome = import_banks([str(path)])
    messages = [line.split(": warning: ")[1] for line in outcome.notices]
    assert messages == [
        "several answers give full credit, each alone; a drill choice has one right answer"
        " (or needs all of them chosen): skipped",
        "two answers read `a`: skipped the question",
        "1 answers; drill takes 2 to 26: skipped",
        "no answer gives full credit: skipped",
        "`lots` with tolerance `0` is not a number drill can check: skipped",
        "1 items; drill takes 2 to 12: skipped",
        "a true/false question needs a `true` and a `false` answer: skipped",
        "the question has no text drill can show (images are not imported): skipped",
    ]
    assert (outcome.imported, outcome.skipped) == (1, 8)


# --- hostile and broken XML --------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + ']>\n<quiz><question type="shortanswer"><questiontext><text>&lol9;</text>'
    "</questiontext></question></quiz>\n"
)


@pytest.mark.parametrize(
    ("body", "line", "col", "message"),
    [
        (
            BILLION_LAUGHS,
            3,
            2,
            "XML entity `lol` refused: entities can expand without bound (billion laughs) or"
            " read other files, and Moodle XML has none",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY secret SYSTEM "file:///etc/passwd">'
            '\n]>\n<quiz><question type="shortanswer"><questiontext><text>&secret;</text>'
            "</questiontext></question></quiz>\n",
            3,
            1,
            "XML entity `secret` refused: entities can expand without bound (billion laughs) or"
            " read other files, and Moodle XML has none",
        ),
        ('<quiz>\n  <question type="essay">\n  </quiz>\n', 3, 5, "XML syntax: mismatched tag"),
        ("<quiz><q>&nope;</q></quiz>", 1, 10, "XML syntax: undefined entity"),
        ("", 1, 1, "XML syntax: no element found"),
        ("<html><body/></html>", 1, 1, "not Moodle XML: the root is <html>, not <quiz>"),
        (
            "<quiz><question>" + "<a>" * 40 + "</a>" * 40 + "</question></quiz>",
            1,
            107,
            "elements nested deeper than 32 levels",
        ),
        (
            '<quiz><question type="essay">' + "<a/>" * 20_001 + "</question></quiz>",
            1,
            80026,  # the 20,000th element, counting <question>
            "a question of more than 20,000 elements",
        ),
    ],
)
def test_hostile_and_broken_xml_is_refused_fast_at_its_place(body, line, col, message):
    started = time.perf_counter()
    with pytest.raises(BankError) as caught:
        read_moodle_xml(body.encode(), "bank.xml")
    assert time.perf_counter() - started < 1.0
    assert (caught.value.line, caught.value.col, caught.value.message) == (line, col, message)


def test_an_external_entity_is_one_error_line_and_nothing_is_read_or_written(drill, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is swordfish\n")
    path = xml(
        tmp_path,
        f'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        '<quiz><question type="shortanswer"><name><text>q</text></name><questiontext>'
        '<text>&s;</text></questiontext><answer fraction="100"><text>a</text></answer>'
        "</question></quiz>\n",
    )
    out = tmp_path / "deck.yaml"
    ran = drill("import", str(path), "-o", str(out))
    assert ran.code == 1 and not out.exists() and ran.out == ""
    assert "swordfish" not in ran.err
    first, summary = ran.err.splitlines()
    assert first.startswith(f"{path}:2:") and ": error: XML entity `s` refused" in first
    assert summary == "drill: 1 error, nothing written (would import 0, skip 0)"


def test_a_billion_laughs_file_is_refused_by_the_command_in_well_under_a_second(drill, tmp_path):
    path = xml(tmp_path, BILLION_LAUGHS)
    started = time.perf_counter()
    ran = drill("import", str(path))
    assert time.perf_counter() - started < 10  # the process; the parse itself is microseconds
    assert ran.code == 1 and ran.out == ""
    assert ran.err.splitlines()[0].startswith(f"{path}:3:2: error: XML entity `lol` refused")


def test_a_gift_and_an_xml_bank_make_one_deck(tmp_path):
    gift = tmp_path / "extra.gift"
    gift.write_text("::mc-single::Same name as in the XML?{T}\n", encoding="utf-8")
    outcome = import_banks([str(BANK_XML), str(gift)])
    cards = deck_of(outcome.text)
    assert "mc-single" in cards and "mc-single-2" in cards  # ids stay unique across files
    assert cards["mc-single-2"].prompt == "Same name as in the XML?"
