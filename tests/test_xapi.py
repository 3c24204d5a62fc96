"""``drill export --format xapi`` (SPEC 10): one xAPI 1.0.3 statement per answer with the right
interaction type, correct-response pattern, response, success and duration; one passed/failed
statement per finished exam with its scaled score; ids that two exports agree on.

Every statement is checked against the requirements of the xAPI 1.0.3 specification (Part Two,
"Experience API Data": sections 2.2, 2.4.1-2.4.7 and 4.2-4.6) by ``check_statement`` below, and
cross-checked with Ralph's maintained statement models where they are installed."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest

from drill.deck.loader import load_text
from drill.deck.model import Deck
from drill.interchange.xapi import (
    NAMESPACE,
    Answered,
    FinishedExam,
    Statements,
    component_ids,
    duration,
    homepage_of,
    in_time_order,
    registration,
)

# --- the specification's requirements, as checks ---------------------------------------------

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_DURATION = re.compile(  # ISO 8601:2004 4.4.3.2, at most 0.01 s precision (4.6)
    r"^P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?"
    r"(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$"
)
_TIMESTAMP = re.compile(  # RFC 3339 with at least millisecond precision and a zone (4.5)
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,}(?:Z|[+-]\d{2}:\d{2})$"
)
_LANGUAGE = re.compile(r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*|und)$")  # RFC 5646, simple
_NUMBER = r"-?\d+(?:\.\d+)?"
_INTERACTIONS = {
    "true-false": set(),
    "choice": {"choices"},
    "fill-in": set(),
    "long-fill-in": set(),
    "matching": {"source", "target"},
    "performance": {"steps"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "numeric": set(),
    "other": set(),
}
_STATEMENT = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
              "authority", "version", "attachments"}  # fmt: skip
_DEFINITION = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
               "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}  # fmt: skip
_RESULT = {"score", "success", "completion", "response", "duration", "extensions"}
_CONTEXT = {"registration", "instructor", "team", "contextActivities", "revision", "platform",
            "language", "statement", "extensions"}  # fmt: skip


def is_iri(value: Any) -> bool:
    """An absolute IRI: a scheme, then something, and no whitespace (4.3, 2.2: "IRI values
    without a scheme" are rejected)."""
    if not isinstance(value, str) or re.search(r"\s", value):
        return False
    parts = urlsplit(value)
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme)) and bool(
        parts.netloc or parts.path
    )


def is_irl(value: Any) -> bool:
    return (
        is_iri(value)
        and urlsplit(value).scheme in ("http", "https")
        and bool(urlsplit(value).netloc)
    )


def language_map(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(_LANGUAGE.match(k) and isinstance(v, str) for k, v in value.items())
    )


def walk(value: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    yield where, value
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "extensions":
                yield from walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from walk(item, f"{where}[{n}]")


def check_response(kind: str, response: str, definition: dict) -> None:
    """A response (or correct pattern) in the format of its interaction type (2.4.4.1,
    "Response Patterns")."""
    if kind in ("choice", "sequencing"):
        ids = {c["id"] for c in definition["choices"]}
        assert set(response.split("[,]")) <= ids, response
    elif kind == "numeric":
        assert re.fullmatch(rf"{_NUMBER}|(?:{_NUMBER})?\[:\](?:{_NUMBER})?", response), response
    elif kind == "performance":
        steps = {s["id"] for s in definition["steps"]}
        for item in response.split("[,]"):
            assert item.split("[.]", 1)[0] in steps, response
    elif kind == "true-false":
        assert response in ("true", "false")


def check_statement(statement: dict) -> None:
    """Fails unless ``statement`` meets xAPI 1.0.3's requirements for what it uses."""
    assert set(statement) <= _STATEMENT
    assert {"actor", "verb", "object"} <= set(statement)  # 2.2: MUST use them
    for where, value in walk(statement):  # 2.2: no nulls; no empty objects
        assert value is not None, f"null at {where}"
        assert value != {}, f"empty object at {where}"
    assert _UUID.match(statement["id"])  # 2.4.1: a UUID in standard form
    actor = statement["actor"]  # 2.4.2.1: an Agent with exactly one identifier
    assert actor.get("objectType", "Agent") == "Agent"
    assert len({"mbox", "mbox_sha1sum", "openid", "account"} & set(actor)) == 1
    assert set(actor["account"]) == {"homePage", "name"}  # 2.4.2.4
    assert is_irl(actor["account"]["homePage"]) and actor["account"]["name"]
    verb = statement["verb"]  # 2.4.3
    assert set(verb) <= {"id", "display"} and is_iri(verb["id"])
    assert language_map(verb["display"])
    activity = statement["object"]  # 2.4.4.1
    assert activity["objectType"] == "Activity" and is_iri(activity["id"])
    definition = activity.get("definition", {})
    assert set(definition) <= _DEFINITION
    for key in ("name", "description"):
        assert key not in definition or language_map(definition[key])
    assert "type" not in definition or is_iri(definition["type"])
    kind = definition.get("interactionType")
    lists = {"choices", "scale", "source", "target", "steps"} & set(definition)
    if kind is None:
        assert not lists and "correctResponsesPattern" not in definition
    else:
        assert kind in _INTERACTIONS and lists <= _INTERACTIONS[kind]
        for key in lists:  # interaction components: distinct ids without whitespace
            ids = [c["id"] for c in definition[key]]
            assert len(ids) == len(set(ids)) and not any(re.search(r"\s", i) for i in ids)
            assert all(set(c) <= {"id", "description"} for c in definition[key])
        for pattern in definition.get("correctResponsesPattern", []):
            assert isinstance(pattern, str)
            check_response(kind, pattern, definition)
    result = statement.get("result", {})  # 2.4.5
    assert set(result) <= _RESULT
    for key in ("success", "completion"):
        assert key not in result or isinstance(result[key], bool)
    if "response" in result:
        assert isinstance(result["response"], str)
        if kind is not None:
            check_response(kind, result["response"], definition)
    assert "duration" not in result or _DURATION.match(result["duration"]), result
    if "score" in result:  # 2.4.5.1
        score = result["score"]
        assert -1 <= score["scaled"] <= 1
        assert score["min"] < score["max"] and score["min"] <= score["raw"] <= score["max"]
    context = statement.get("context", {})  # 2.4.6
    assert set(context) <= _CONTEXT
    assert "registration" not in context or _UUID.match(context["registration"])
    assert "language" not in context or _LANGUAGE.match(context["language"])
    for key, activities in context.get("contextActivities", {}).items():  # 2.4.6.2
        assert key in ("parent", "grouping", "category", "other")
        assert isinstance(activities, list)
        assert all(is_iri(a["id"]) for a in activities)
    if "timestamp" in statement:  # 2.4.7 and 4.5: RFC 3339, ms, not in the future
        assert _TIMESTAMP.match(statement["timestamp"])
        when = datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00"))
        assert when <= datetime.now(UTC)


def check_with_ralph(statements: list[dict]) -> None:
    """The same statements through Ralph's xAPI models, a maintained validator on PyPI."""
    models = pytest.importorskip("ralph.models.xapi.base.statements")
    for statement in statements:
        models.BaseXapiStatement(**statement)


def test_the_checks_reject_what_the_specification_rejects():
    good = statement_for("pick-one", "Hold and check back")
    check_statement(good)
    broken = [
        {**good, "id": "not-a-uuid"},
        {**good, "result": {**good["result"], "duration": "4.2 seconds"}},
        {**good, "result": {**good["result"], "duration": "PT4.234S"}},
        {**good, "result": {**good["result"], "success": "true"}},
        {**good, "timestamp": "2026-03-01 09:00"},
        {**good, "actor": {"account": {"homePage": "drill", "name": "ana"}}},
        {**good, "object": {**good["object"], "id": "cards/pick-one"}},
        {**good, "result": {**good["result"], "response": "a choice nobody offered"}},
        {**good, "context": {"registration": None}},
        {**good, "verb": {"id": "answered"}},
    ]
    for statement in broken:
        with pytest.raises(AssertionError):
            check_statement(statement)


# --- statements for each card type -------------------------------------------------------------

DECK = """
id: sample
title: Sample deck
language: en
cards:
  - id: pick-one
    prompt: What do you say before a hold?
    choices:
      - Hold and check back
      - text: One moment
        why: The caller does not know how long.
      - text: Wait | please
    answer: Hold and check back
  - id: pick-all
    prompt: Which details confirm identity?
    choices: [Date of birth, Postcode, Shoe size]
    answer: [Date of birth, Postcode]
  - id: steps
    prompt: Order the transfer steps
    steps: [Explain why, Give the wait, Transfer]
  - id: word
    prompt: First word of the greeting?
    answer: [Hello, Hi]
  - id: rings
    prompt: Answer within how many rings?
    answer: 3
  - id: aht
    prompt: Handle-time target in minutes?
    answer: 4.5
    tolerance: 0.5
  - id: recall
    front: Instead of "I don't know"
    back: Let me check that for you
  - id: breathe
    type: breathing
    pattern: [4, 7, 8]
    cycles: 2
"""
HOMEPAGE = "https://lms.example.com/"


def sample_deck() -> Deck:
    result = load_text(DECK, "sample.yaml")
    assert result.deck is not None, result.problems
    return result.deck


def record(card: str, answer: str, correct: bool | None = True, **more: Any) -> Answered:
    fields = {
        "session": "20260301T090000-abcdef",
        "deck": "sample",
        "card": card,
        "answered_at": "2026-03-01T09:00:04.200Z",
        "correct": None if correct is None else int(correct),
        "rating": None if correct is None else ("good" if correct else "again"),
        "latency_ms": 4200,
        "answer": answer,
    }
    return Answered(**{**fields, **more})


def statement_for(card: str, answer: str, correct: bool | None = True, **more: Any) -> dict:
    deck = sample_deck()
    statement = Statements(HOMEPAGE, "login", {deck.id: deck}).answer(
        record(card, answer, correct, **more)
    )
    check_statement(statement)
    check_with_ralph([statement])
    return statement


def ids(*texts: str) -> tuple[str, ...]:
    return component_ids(texts)


def test_a_choice_card_is_a_choice_interaction_answered_with_choice_ids():
    statement = statement_for("pick-one", "One moment", correct=False)
    choice_ids = ids("Hold and check back", "One moment", "Wait | please")
    definition = statement["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert (definition["interactionType"], definition["correctResponsesPattern"]) == (
        "choice",
        [choice_ids[0]],
    )
    assert definition["choices"] == [
        {"id": i, "description": {"en": text}}
        for i, text in zip(
            choice_ids, ["Hold and check back", "One moment", "Wait | please"], strict=True
        )
    ]
    assert statement["result"] == {"success": False, "response": choice_ids[1],
                                   "duration": "PT4.2S"}  # fmt: skip
    # a choice whose text holds the separator is still one choice
    assert statement_for("pick-one", "Wait | please")["result"]["response"] == choice_ids[2]


def test_select_all_lists_every_right_choice_in_one_pattern():
    statement = statement_for("pick-all", "Date of birth | Postcode")
    choice_ids = ids("Date of birth", "Postcode", "Shoe size")
    definition = statement["object"]["definition"]
    assert definition["correctResponsesPattern"] == [f"{choice_ids[0]}[,]{choice_ids[1]}"]
    assert statement["result"]["response"] == f"{choice_ids[0]}[,]{choice_ids[1]}"


def test_an_order_card_is_sequencing_answered_with_the_order_given():
    statement = statement_for("steps", "Give the wait > Explain why > Transfer", correct=False)
    step_ids = ids("Explain why", "Give the wait", "Transfer")
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "sequencing"
    assert definition["correctResponsesPattern"] == ["[,]".join(step_ids)]
    assert statement["result"]["response"] == "[,]".join([step_ids[1], step_ids[0], step_ids[2]])


def test_a_typed_text_card_is_fill_in_with_every_accepted_answer():
    statement = statement_for("word", "hello!")
    definition = statement["object"]["definition"]
    assert (definition["interactionType"], definition["correctResponsesPattern"]) == (
        "fill-in",
        ["Hello", "Hi"],
    )
    assert statement["result"]["response"] == "hello!"


def test_a_typed_number_is_numeric_with_its_range():
    exact = statement_for("rings", "3 rings")
    assert exact["object"]["definition"]["interactionType"] == "numeric"
    assert exact["object"]["definition"]["correctResponsesPattern"] == ["3"]
    assert exact["result"]["response"] == "3"
    ranged = statement_for("aht", "about 4.7 minutes")
    assert ranged["object"]["definition"]["correctResponsesPattern"] == ["4[:]5"]
    assert ranged["result"]["response"] == "4.7"
    assert "response" not in statement_for("aht", "no idea", correct=False)["result"]


def test_a_flashcard_is_other_with_the_self_rating_as_response():
    statement = statement_for("recall", "good")
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "other" and "correctResponsesPattern" not in definition
    assert definition["description"] == {"en": 'Instead of "I don\'t know"'}
    assert statement["result"]["response"] == "good"
    assert statement_for("recall", "again", correct=False)["result"]["success"] is False


def test_a_breathing_exercise_is_attempted_with_completion_and_no_score():
    done = statement_for("breathe", "done", correct=None)
    assert done["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attempted"
    assert done["result"] == {"completion": True, "duration": "PT4.2S"}
    assert "interactionType" not in done["object"]["definition"]
    assert done["object"]["definition"]["name"] == {"en": "Breathing 4-7-8 x2"}
    skipped = statement_for("breathe", "skip", correct=None)
    assert skipped["result"]["completion"] is False


def test_a_skipped_card_has_no_response():
    assert statement_for("pick-one", "skip", correct=False)["result"] == {
        "success": False,
        "duration": "PT4.2S",
    }


def test_a_card_no_deck_holds_is_other_with_the_answer_as_stored():
    statement = statement_for("retired-card", "whatever was typed", correct=False)
    definition = statement["object"]["definition"]
    assert definition == {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "name": {"und": "retired-card"},
        "interactionType": "other",
    }
    assert statement["result"]["response"] == "whatever was typed"
    assert (
        statement["object"]["id"] == "https://lms.example.com/drill/decks/sample/cards/retired-card"
    )


class Reply(NamedTuple):  # the shape SPEC 9 gives a call card's replies and turns
    text: str
    good: bool
    why: str | None
    next: str | None


class Turn(NamedTuple):
    id: str
    customer: str
    replies: tuple[Reply, ...]


class CallCard(NamedTuple):
    id: str
    explain: str | None
    time_limit: float | None
    line: int
    prompt: str
    turns: tuple[Turn, ...]

    type = "call"

    @property
    def prompt_text(self) -> str:
        return self.prompt


def test_a_call_is_a_performance_whose_steps_are_its_turns():
    call = CallCard(
        "angry-caller", None, None, 1, "A caller lost money.",
        (
            Turn("open", "Why did nobody warn me?", (
                Reply("I'm sorry > let me look.", True, None, "look"),
                Reply("Nothing we can do.", False, "Closes the door.", None),
            )),
            Turn("look", "Well?", (Reply("Here is what happened.", True, None, None),
                                   Reply("Hold on.", False, None, None))),
        ),
    )  # fmt: skip
    deck = sample_deck()._replace(cards=(call,))
    statement = Statements(HOMEPAGE, "login", {"sample": deck}).answer(
        record("angry-caller", "I'm sorry > let me look. > Here is what happened.")
    )
    check_statement(statement)
    check_with_ralph([statement])
    definition = statement["object"]["definition"]
    assert definition["interactionType"] == "performance"
    assert definition["steps"] == [
        {"id": "open", "description": {"en": "Why did nobody warn me?"}},
        {"id": "look", "description": {"en": "Well?"}},
    ]
    assert "correctResponsesPattern" not in definition
    assert statement["result"]["response"] == (
        "open[.]I'm sorry > let me look.[,]look[.]Here is what happened."
    )


def test_the_actor_is_the_learner_on_the_home_page_else_the_login_name():
    named = statement_for("word", "Hi", learner="李娜")
    assert named["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": HOMEPAGE, "name": "李娜"},
    }
    assert statement_for("word", "Hi")["actor"]["account"]["name"] == "login"


def test_context_names_the_session_and_the_deck():
    statement = statement_for("word", "Hi")
    assert statement["context"] == {
        "registration": str(uuid.uuid5(NAMESPACE, "20260301T090000-abcdef")),
        "contextActivities": {
            "parent": [
                {
                    "objectType": "Activity",
                    "id": "https://lms.example.com/drill/decks/sample",
                    "definition": {"name": {"en": "Sample deck"}},
                }
            ]
        },
        "platform": "drill",
        "language": "en",
    }
    assert statement["timestamp"] == "2026-03-01T09:00:04.200Z"
    assert statement["verb"] == {
        "id": "http://adlnet.gov/expapi/verbs/answered",
        "display": {"en-US": "answered"},
    }


def test_statement_ids_are_uuid5s_of_the_answer_alone():
    first = statement_for("word", "Hi")
    assert uuid.UUID(first["id"]).version == 5
    assert statement_for("word", "Hi", learner="someone else")["id"] == first["id"]
    # the same instant written another way is the same answer
    assert (
        statement_for("word", "Hi", answered_at="2026-03-01T09:00:04.2+00:00")["id"]
        == (first["id"])
    )
    assert statement_for("word", "Hi", answered_at="2026-03-01T09:00:05.000Z")["id"] != first["id"]
    assert statement_for("rings", "3")["id"] != first["id"]
    assert registration("20260301T090000-abcdef") == first["context"]["registration"]


@pytest.mark.parametrize(
    ("milliseconds", "text"),
    [(0, "PT0S"), (4200, "PT4.2S"), (4234, "PT4.23S"), (65_000, "PT1M5S"),
     (3_600_000, "PT1H"), (3_725_500, "PT1H2M5.5S"), (10, "PT0.01S")],
)  # fmt: skip
def test_durations_are_iso_8601_to_the_hundredth(milliseconds, text):
    assert duration(milliseconds) == text
    assert _DURATION.match(text)


@pytest.mark.parametrize(
    "url",
    ["lms.example.com", "ftp://lms.example.com", "https://", "https://lms.example.com/?a=1",
     "https://lms.example.com/#top", "https://lms example.com"],
)  # fmt: skip
def test_a_home_page_must_be_a_plain_web_address(url):
    with pytest.raises(ValueError):
        homepage_of(url)


def test_exam_statements_carry_the_verdict_and_the_scaled_score():
    deck = sample_deck()
    build = Statements(HOMEPAGE, "login", {"sample": deck})
    exam = FinishedExam("20260301T090000-abcdef", "ana", ["sample"], "2026-03-01T09:00:00.000Z",
                        "2026-03-01T09:01:05.500Z", 7, 5, False)  # fmt: skip
    failed = build.exam(exam)
    passed = build.exam(exam._replace(correct=7, passed=True))
    for statement in (failed, passed):
        check_statement(statement)
    check_with_ralph([failed, passed])
    assert failed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed"
    assert failed["result"] == {
        "score": {"scaled": 5 / 7, "raw": 5, "min": 0, "max": 7},
        "success": False,
        "completion": True,
        "duration": "PT1M5.5S",
    }
    assert passed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert passed["result"]["score"]["scaled"] == 1.0
    assert failed["object"] == {
        "objectType": "Activity",
        "id": "https://lms.example.com/drill/decks/sample",
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/assessment",
            "name": {"en": "Sample deck"},
        },
    }
    assert failed["context"]["registration"] == registration(exam.session)
    assert failed["timestamp"] == "2026-03-01T09:01:05.500Z"
    assert failed["id"] == passed["id"] == str(uuid.uuid5(NAMESPACE, f"exam/{exam.session}"))


def test_an_exam_follows_its_answers_even_when_it_ends_in_the_same_millisecond():
    deck = sample_deck()
    build = Statements(HOMEPAGE, "login", {"sample": deck})
    answers = [
        record("word", "Hi", answered_at="2026-03-01T09:00:01.000Z"),
        record("rings", "3", answered_at="2026-03-01T09:00:02.000Z"),
        record("word", "Hi", session="later", answered_at="2026-03-01T09:00:02.001Z"),
    ]
    exam = FinishedExam("20260301T090000-abcdef", None, ["sample"], "2026-03-01T09:00:00.000Z",
                        "2026-03-01T09:00:02.000Z", 2, 2, True)  # fmt: skip
    order = [(s["verb"]["display"]["en-US"], s["object"]["id"].rsplit("/", 1)[1])
             for s in in_time_order(answers, [exam], build)]  # fmt: skip
    assert order == [("answered", "word"), ("answered", "rings"), ("passed", "sample"),
                     ("answered", "word")]  # fmt: skip


# --- the command -------------------------------------------------------------------------------

SKIP_ALL = "skip\n" * 10


def run(drill, deck_dir, answers: str, mode: str, now: str) -> dict:
    ran = drill("run", "sample", "--headless", "--mode", mode, "--seed", "1", "--now", now,
                input=answers, env={"DRILL_DECKS": str(deck_dir)})  # fmt: skip
    assert ran.code in (0, 1), ran.err
    return ran.events[-1]


def test_export_xapi_gives_every_answer_and_exam_with_the_same_ids_twice(
    drill, write_deck, tmp_path
):
    deck = write_deck(DECK, "sample.yaml")
    env = {"DRILL_DECKS": str(deck.parent)}
    right = tmp_path / "right.yaml"
    right.write_text(
        "pick-one: Hold and check back\npick-all: [Date of birth, Postcode]\n"
        "steps: [Explain why, Give the wait, Transfer]\nword: Hello\nrings: 3\naht: 4.5\n"
        "recall: easy\nbreathe: done\n"
    )
    passed = drill("run", "sample", "--headless", "--mode", "exam", "--answers", str(right),
                   "--seed", "1", "--now", "2026-03-01T09:00:00Z", env=env)  # fmt: skip
    failed = run(drill, deck.parent, SKIP_ALL, "exam", "2026-03-02T09:00:00Z")
    drilled = run(drill, deck.parent, SKIP_ALL, "drill", "2026-03-03T09:00:00Z")
    assert (passed.events[-1]["passed"], failed["passed"], drilled["passed"]) == (
        True,
        False,
        None,
    )
    first = drill("export", "--format", "xapi", "--xapi-homepage", HOMEPAGE, env=env)
    second = drill("export", "--format", "xapi", "--xapi-homepage", HOMEPAGE, env=env)
    assert first.code == 0 and first.err == ""
    assert first.out == second.out  # the same statements, ids and all
    statements = json.loads(first.out)
    for statement in statements:
        check_statement(statement)
    check_with_ralph(statements)
    assert len({s["id"] for s in statements}) == len(statements) == 3 * 8 + 2
    verbs = [s["verb"]["display"]["en-US"] for s in statements]
    assert verbs.count("passed") == verbs.count("failed") == 1
    assert verbs.count("attempted") == 3 and verbs.count("answered") == 21
    by_verb = {s["verb"]["display"]["en-US"]: s for s in statements}
    # the exam's score is right answers over the 7 graded cards it planned (SPEC 4)
    assert by_verb["passed"]["result"]["score"] == {"scaled": 1.0, "raw": 7, "min": 0, "max": 7}
    assert by_verb["failed"]["result"]["score"] == {"scaled": 0.0, "raw": 0, "min": 0, "max": 7}
    session = passed.events[0]["session"]
    registrations = {s["context"]["registration"] for s in statements[:8]}
    assert (
        registrations == {registration(session)} == {by_verb["passed"]["context"]["registration"]}
    )
    # the exam statement follows its session's answers, in time order
    assert [s["verb"]["display"]["en-US"] for s in statements[7:10]][1] == "passed"


def test_export_xapi_without_a_store_is_an_empty_array(drill):
    ran = drill("export", "--format", "xapi")
    assert (ran.code, ran.out, ran.err) == (0, "[]\n", "")


def test_a_bad_home_page_is_a_usage_error(drill, sample_deck):
    drill("run", str(sample_deck), "--headless", input=SKIP_ALL)
    ran = drill("export", "--format", "xapi", "--xapi-homepage", "lms.example.com")
    assert ran.code == 2 and ran.out == ""
    assert ran.err == (
        "drill: error: --xapi-homepage 'lms.example.com': it must be an http:// or https:// URL"
        " with a host\n"
    )
