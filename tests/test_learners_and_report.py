"""SPEC 7 and 8 as a trainer and trainees use them on the embedded store: who is drilling,
their own progress, ``drill report`` (text and JSON), and export's learner columns and
filters. (The same store methods run on PostgreSQL in ``test_store_contract.py`` and
``test_team_store.py``.)"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

NOW = "2026-03-01T09:00:00Z"


def answers_file(deck: Path, text: str, name: str) -> Path:
    path = deck.parent / name
    path.write_text(text, encoding="utf-8")
    return path


def drill_as(drill, learner: str, deck: Path, answers: Path, *more: str, env=None):
    ran = drill("--learner", learner, "run", str(deck), "--headless", "--mode", "drill",
                "--seed", "1", "--now", NOW, "--answers", str(answers), *more, env=env)  # fmt: skip
    assert ran.code in (0, 1), ran.err
    return ran


@pytest.fixture
def team(drill, sample_deck):
    """Three learners' sessions on the sample deck: 陈静 right twice, 李明 and Ana wrong."""
    right = answers_file(sample_deck, "breathe: done\nrings: 3\nagree: 'Yes'\n", "right.yaml")
    wrong = answers_file(sample_deck, "rings: 4\nagree: 'No'\n", "wrong.yaml")
    drill_as(drill, "陈静", sample_deck, right)
    drill_as(drill, "李明", sample_deck, wrong)
    drill_as(drill, "Ana", sample_deck, wrong, "--mode", "exam")
    return {"DRILL_DECKS": str(sample_deck.parent)}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "cannot be empty"),
        ("   ", "cannot be empty"),
        ("a" * 65, "at most 64"),
        ("bad\x1bname", "printable"),
    ],
)
def test_a_learner_name_that_is_not_one_is_a_usage_error(drill, name, problem):
    ran = drill("--learner", name, "decks")
    assert ran.code == 2 and problem in ran.err and len(ran.err.strip().splitlines()) == 1
    ran = drill("decks", env={"DRILL_LEARNER": name}) if name.strip() else None
    if ran is not None:
        assert ran.code == 2 and "$DRILL_LEARNER" in ran.err


def test_names_are_trimmed_and_nfkc_normalised(drill, sample_deck):
    right = answers_file(sample_deck, "rings: 3\n", "right.yaml")
    drill_as(drill, "  Ｃｈｅｎ  ", sample_deck, right)
    rows = list(csv.DictReader(io.StringIO(drill("export").out)))
    assert {r["learner"] for r in rows} == {"Chen"}


def test_each_learner_sees_and_schedules_only_their_own_cards(drill, team, sample_deck):
    env = team
    chen = json.loads(drill("--learner", "陈静", "stats", "sample", "--json", env=env).out)
    li = json.loads(drill("--learner", "李明", "stats", "sample", "--json", env=env).out)
    assert (chen["decks"][0]["correct"], li["decks"][0]["correct"]) == (2, 0)
    nobody = json.loads(drill("--learner", "new", "decks", "--json", env=env).out)
    assert next(d for d in nobody if d["id"] == "sample")["new"] == 5
    decks = json.loads(drill("--learner", "陈静", "decks", "--json", "--now", NOW, env=env).out)
    assert next(d for d in decks if d["id"] == "sample")["new"] == 0
    # The login name (here DRILL_LEARNER of the test environment) is the default learner.
    assert json.loads(drill("stats", "--json", env=env).out)["sessions"] == []


def test_only_one_learner_drills_at_a_time(drill, sample_deck):
    ran = drill("--learner", "a", "--learner", "b", "stats")
    assert ran.code == 2 and "one learner" in ran.err


def test_report_json_has_learners_weakest_cards_and_who_is_at_risk(drill, team):
    report = json.loads(drill("report", "--json", "--now", "2026-03-02T09:00:00Z", env=team).out)
    assert set(report) == {"learners", "cards", "at_risk"}
    by_name = {entry["learner"]: entry for entry in report["learners"]}
    assert set(by_name) == {"陈静", "李明", "Ana"}
    chen = by_name["陈静"]["decks"][0]
    assert set(chen) == {"deck", "answers", "correct", "accuracy", "due", "last_exam",
                         "last_active"}  # fmt: skip
    assert (chen["deck"], chen["answers"], chen["correct"], chen["accuracy"]) == (
        "sample", 5, 2, 0.4)  # fmt: skip
    assert chen["last_exam"] is None and chen["last_active"].endswith("Z")
    ana = by_name["Ana"]["decks"][0]
    assert ana["last_exam"]["passed"] is False and ana["last_exam"]["score"] == 0.0
    cards = {c["card"]: c for c in report["cards"]}
    rings = cards["rings"]
    assert (rings["answers"], rings["correct"], rings["facility"]) == (3, 1, pytest.approx(1 / 3))
    assert rings["top_wrong"] == {"answer": "4", "count": 2}
    assert rings["prompt"] == "Answer within how many rings?"
    assert [c["facility"] for c in report["cards"]] == sorted(
        c["facility"] for c in report["cards"]
    )
    assert {r["learner"] for r in report["at_risk"]} == {"陈静", "李明", "Ana"}
    assert all(0 < r["retrievability"] <= 1 and r["overdue"] > 0 for r in report["at_risk"])


def test_report_filters_by_learner_deck_and_date(drill, team):
    only = json.loads(drill("report", "--json", "--learner", "李明", "--learner", "Ana",
                            env=team).out)  # fmt: skip
    assert {e["learner"] for e in only["learners"]} == {"李明", "Ana"}
    none = json.loads(drill("report", "nosuchdeck", "--json", env=team).out)
    assert none == {"learners": [], "cards": [], "at_risk": []}
    later = json.loads(drill("report", "--json", "--since", "2026-03-05", env=team).out)
    assert later["cards"] == []
    bad = drill("report", "--since", "yesterday", env=team)
    assert bad.code == 2 and "--since" in bad.err


def test_report_text_shows_the_three_parts(drill, team):
    ran = drill("report", "--now", "2026-03-02T09:00:00Z", env=team)
    assert ran.code == 0
    assert "Learners by deck" in ran.out and "Weakest cards" in ran.out
    assert "At risk (cards due now)" in ran.out and "陈静" in ran.out and "4 ×2" in ran.out


def test_report_on_a_machine_that_never_drilled_says_so_and_creates_nothing(drill, home):
    ran = drill("report")
    assert (ran.code, ran.out.strip()) == (0, "No answers recorded for this selection yet.")
    assert not home.exists()


def test_export_has_learner_and_timed_out_columns_and_filters(drill, team, tmp_path):
    rows = list(csv.DictReader(io.StringIO(drill("export").out)))
    assert list(rows[0])[-2:] == ["learner", "timed_out"]
    assert {r["learner"] for r in rows} == {"陈静", "李明", "Ana"}
    li = list(csv.DictReader(io.StringIO(drill("export", "--learner", "李明").out)))
    assert {r["learner"] for r in li} == {"李明"} and len(li) == 6
    assert drill("export", "--deck", "other").out.strip().count("\n") == 0  # the header only
    assert drill("export", "--since", "2026-03-02").out.strip().count("\n") == 0
    out = tmp_path / "x.json"
    assert drill("export", "--format", "json", "--learner", "Ana", "-o", str(out)).code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert {r["learner"] for r in exported} == {"Ana"}
    assert all(r["timed_out"] is False for r in exported)


def test_a_store_from_before_learners_becomes_the_migrating_learners(drill, home, tmp_path):
    import shutil
    import sqlite3

    fixture = Path(__file__).parent / "reliability" / "fixtures" / "schema-v1.sqlite3"
    home.mkdir()
    shutil.copy(fixture, home / "drill.sqlite3")
    with sqlite3.connect(home / "drill.sqlite3") as conn:
        (before,) = conn.execute("SELECT count(*) FROM answers").fetchone()
    mine = drill("--learner", "王芳", "stats", "--json")  # the first command: it migrates
    assert json.loads(mine.out)["sessions"] != []
    rows = list(csv.DictReader(io.StringIO(drill("export").out)))
    assert len(rows) == before > 0 and {r["learner"] for r in rows} == {"王芳"}
    other = drill("--learner", "someone-else", "stats", "--json")
    assert json.loads(other.out)["sessions"] == []


def test_a_stored_answer_never_drives_the_terminal_in_the_report(drill, sample_deck):
    hostile = "\x1b]0;pwned\x07\x1b[2J"
    answers = answers_file(sample_deck, json.dumps({"rings": hostile}), "hostile.json")
    drill_as(drill, "Eve", sample_deck, answers)
    env = {"DRILL_DECKS": str(sample_deck.parent)}
    text = drill("report", env=env).out
    assert "\x1b" not in text and "\x07" not in text and "\\x1b]0;pwned" in text
    raw = drill("report", "--json", env=env).out
    assert "\x1b" not in raw  # JSON escapes it ...
    rings = next(c for c in json.loads(raw)["cards"] if c["card"] == "rings")
    assert rings["top_wrong"]["answer"] == hostile  # ... and keeps it exactly


def test_a_long_wrong_answer_is_cut_in_the_report_but_its_count_stays(drill, sample_deck):
    """The most given wrong answer is cut to its column; the count after it never is."""
    long = "让客户先重启一下手机试试，还不行的话就请他过两天再打过来问问看吧" * 2
    answers = answers_file(sample_deck, json.dumps({"rings": long}), "long.json")
    drill_as(drill, "Eve", sample_deck, answers)
    drill_as(drill, "Bob", sample_deck, answers)
    text = drill("report", env={"DRILL_DECKS": str(sample_deck.parent)}).out
    (line,) = [line for line in text.splitlines() if " rings " in f" {line} "]
    assert line.endswith("… ×2"), line
    assert line.split()[-2].startswith("让客户先重启")
