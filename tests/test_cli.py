"""The commands of SPEC section 3 as a user runs them: output, exit codes, and one clear line
(never a traceback) for every bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

NOW = "2026-03-01T09:00:00Z"


def one_right(deck: Path) -> Path:
    """An answers file: the breathing card done, `rings` right, every other card skipped."""
    path = deck.parent / "one-right.yaml"
    path.write_text("breathe: done\nrings: 3\n")
    return path


def test_validate_prints_located_problems_and_exits_1(drill, write_deck):
    bad = write_deck(
        """
        id: bad
        title: Bad
        cards:
          - type: choice
            prompt: Pick
            choises: [a, b]
            answer: a
        """,
        "bad.yaml",
    )
    ran = drill("validate", str(bad))
    assert ran.code == 1
    assert ran.out == (  # the misspelling alone, not also a missing `choices`
        f"{bad}:6:5: error: unknown key `choises` in a choice card; did you mean `choices`?\n"
    )
    assert ran.err == "drill: 1 problem in 1 of 1 deck file\n"


def test_validate_a_folder_checks_every_deck_and_clashing_ids(drill, write_deck, sample_deck):
    write_deck("id: sample\ntitle: Again\ncards: [{prompt: P, answer: x}]\n", "sub/again.yml")
    write_deck("id: other\ntitle: Other\ncards: [{prompt: P, answer: x}]\n", "other.yaml")
    ran = drill("validate", str(sample_deck.parent))
    assert ran.code == 1
    # Files are checked in sorted order, so the clash is reported at the later one.
    again = sample_deck.parent / "sub" / "again.yml"
    assert ran.out == f"{again}:1:1: error: deck id `sample` is also the id of {sample_deck}\n"


def test_validate_good_decks_exits_0_with_a_summary(drill, sample_deck):
    ran = drill("validate", str(sample_deck))
    assert (ran.code, ran.out, ran.err) == (0, "", "drill: 1 deck OK (6 cards)\n")


def test_validate_unreadable_path_exits_2(drill, tmp_path):
    missing = tmp_path / "missing.yaml"
    ran = drill("validate", str(missing))
    assert ran.code == 2
    assert ran.out == f"{missing}:1:1: error: cannot read: No such file or directory\n"


def test_the_bundled_decks_validate(drill):
    ran = drill("validate", "decks")
    assert ran.code == 0, ran.out


def test_schema_is_json_schema_that_accepts_valid_decks_and_rejects_misspelt_keys(
    drill, sample_deck
):
    import jsonschema
    import yaml

    ran = drill("schema")
    schema = json.loads(ran.out)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    deck = yaml.safe_load(sample_deck.read_text())
    assert list(validator.iter_errors(deck)) == []
    deck["cards"][1]["choises"] = deck["cards"][1].pop("choices")
    assert list(validator.iter_errors(deck))
    for path in Path("decks").glob("*/*.yaml"):
        assert list(validator.iter_errors(yaml.safe_load(path.read_text()))) == [], path


def test_decks_json_lists_found_decks_with_due_and_new(drill, sample_deck, write_deck, home):
    write_deck("id: broken\ntitle: B\n", "broken.yaml")
    env = {"DRILL_DECKS": str(sample_deck.parent)}
    drill("run", "sample", "--headless", "--mode", "drill", "--now", NOW, "--answers",
          str(one_right(sample_deck)), env=env)  # fmt: skip
    ran = drill("decks", "--json", "--now", "2026-03-01T09:05:00Z", env=env)
    entries = json.loads(ran.out)
    sample = next(e for e in entries if e["id"] == "sample")
    assert sample["cards"] == 6 and sample["title"] == "Sample deck" and sample["language"] == "en"
    assert sample["new"] == 0 and sample["due"] == 4  # the four missed cards return within minutes
    assert sample["last_score"] == 0.2
    broken = next(e for e in entries if e["path"].endswith("broken.yaml"))
    assert broken["id"] is None and broken["error"].endswith("the deck is missing `cards`")
    assert {e["id"] for e in entries} >= {"sample", "kpi-qa"}


def test_stats_and_export_report_every_answer(drill, sample_deck, tmp_path):
    drill("run", str(sample_deck), "--headless", "--mode", "drill", "--now", NOW, "--answers",
          str(one_right(sample_deck)))  # fmt: skip
    env = {"DRILL_DECKS": str(sample_deck.parent)}
    gone = json.loads(drill("stats", "sample", "--json", "--now", "2026-03-01T09:05:00Z").out)
    assert (gone["decks"][0]["answers"], gone["decks"][0]["due"]) == (5, None)  # not found now
    stats = json.loads(
        drill("stats", "sample", "--json", "--now", "2026-03-01T09:05:00Z", env=env).out
    )
    assert stats["decks"] == [
        {
            "deck": "sample",
            "answers": 5,
            "correct": 1,
            "accuracy": 0.2,
            "due": 4,
            "new": 0,
            "sessions": 1,
        }
    ]
    (session,) = stats["sessions"]
    assert (session["mode"], session["decks"], session["answered"], session["correct"]) == (
        "drill", ["sample"], 5, 1)  # fmt: skip
    assert session["score"] == 0.2 and session["started_at"].startswith("2026-03-01T09:00:00")
    rows = list(csv.DictReader(io.StringIO(drill("export").out)))
    assert list(rows[0]) == [
        "session",
        "deck",
        "card",
        "answered_at",
        "correct",
        "rating",
        "latency_ms",
        "answer",
        "learner",
        "timed_out",
    ]
    assert {r["learner"] for r in rows} == {"tester"} and {r["timed_out"] for r in rows} == {"0"}
    assert len(rows) == 6 and rows[0]["card"] == "breathe" and rows[0]["correct"] == ""
    assert [r["correct"] for r in rows[1:]].count("1") == 1
    assert all(r["answered_at"].endswith("Z") for r in rows)
    out = tmp_path / "answers.json"
    assert drill("export", "--format", "json", "-o", str(out)).code == 0
    exported = json.loads(out.read_text())
    assert [r["card"] for r in exported] == [r["card"] for r in rows]
    assert exported[1]["correct"] in (True, False) and exported[0]["correct"] is None


def test_global_options_before_or_after_the_command(drill, tmp_path, sample_deck):
    for args in (["--data-dir", str(tmp_path / "a"), "run", str(sample_deck)],
                 ["run", str(sample_deck), "--data-dir", str(tmp_path / "b")]):  # fmt: skip
        ran = drill(*args, "--headless", "--mode", "drill", input="skip\n" * 6)
        assert ran.code == 0
    assert (tmp_path / "a" / "drill.sqlite3").exists() and (
        tmp_path / "b" / "drill.sqlite3"
    ).exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["run", "no-such-deck", "--headless"], 2, "drill: error: no deck with id `no-such-deck` in the deck folders"),
        (["run", "missing.yaml", "--headless"], 2, "drill: error: cannot read deck missing.yaml: No such file or directory"),
        (["run", "Not A Deck!", "--headless"], 2, "drill: error: no deck `Not A Deck!`: not a file, a folder or a deck id"),
        (["run", "kpi-qa", "--headless", "--now", "yesterday"], 2, "drill run: error: argument --now: 'yesterday' is not an ISO 8601 date and time"),
        # out of what a date (and the store) can hold: these were OverflowError tracebacks
        (["run", "kpi-qa", "--headless", "--now", "0001-01-01T00:00:00+14:00"], 2, "drill run: error: argument --now: '0001-01-01T00:00:00+14:00' is outside the dates drill keeps (1970 to 8999)"),
        (["run", "kpi-qa", "--headless", "--now", "9999-12-31T23:59:59"], 2, "drill run: error: argument --now: '9999-12-31T23:59:59' is outside the dates drill keeps (1970 to 8999)"),
        (["stats", "--now", "9999-12-31T23:59:59"], 2, "drill stats: error: argument --now: '9999-12-31T23:59:59' is outside"),
        (["decks", "--now", "0001-01-01"], 2, "drill decks: error: argument --now: '0001-01-01' is outside"),
        (["run", "kpi-qa", "--headless", "--seed", "9223372036854775808"], 2, "drill run: error: argument --seed: '9223372036854775808' is not a whole number from -9223372036854775808 to 9223372036854775807"),
        (["run", "kpi-qa", "--headless", "--seed", "-9223372036854775809"], 2, "drill run: error: argument --seed: '-9223372036854775809' is not a whole number"),
        (["run", "kpi-qa", "--headless", "--seed", "1e3"], 2, "drill run: error: argument --seed: '1e3' is not a whole number"),
        # an exam of no cards could only pass: refused before a store is made for it
        (["run", "kpi-qa", "--headless", "--mode", "exam", "--limit", "0"], 2, "drill: error: --limit 0: an exam needs at least one card"),
        (["run", "kpi-qa", "--limit", "-3"], 2, "drill run: error: argument --limit: invalid whole number value: '-3'"),
        (["run", "kpi-qa", "--pass-mark", "2"], 2, "drill run: error: argument --pass-mark: invalid fraction from 0 to 1 value: '2'"),
        (["run", "kpi-qa", "--mode", "cram"], 2, "drill run: error: argument --mode: invalid choice: 'cram'"),
        (["run", "kpi-qa", "--answers", "a.yaml"], 2, "drill: error: --answers works with --headless"),
        (["run", "kpi-qa", "--headless", "--answers", "nope.yaml"], 2, "drill: error: cannot read answers file nope.yaml: No such file or directory"),
        (["frobnicate"], 2, "drill: error: argument COMMAND: invalid choice: 'frobnicate'"),
        (["--lang", "fr", "decks"], 2, "drill: error: argument --lang: invalid choice: 'fr'"),
        (["export", "--format", "xml"], 2, "drill export: error: argument --format: invalid choice: 'xml'"),
        (["breathe", "--pattern", "4-x-8"], 2, "drill: error: --pattern '4-x-8': give in-hold-out or in-hold-out-hold seconds, e.g. 4-7-8"),
        (["breathe", "--pattern", "0-0-0"], 2, "drill: error: --pattern '0-0-0': give in-hold-out or in-hold-out-hold seconds, e.g. 4-7-8; each 0 to 60, breathing in and out above 0"),
        (["run", "kpi", "--headless"], 2, "drill: error: no deck with id `kpi` in the deck folders; did you mean `kpi-qa`"),
        (["run", "kpi-qa", "--headless", "--mode", "exam", "--limit", "0"], 2, "drill: error: --limit 0: an exam needs at least one card"),
    ],
)  # fmt: skip
def test_bad_input_gets_one_line_and_the_spec_exit_code(drill, args, code, message):
    ran = drill(*args)
    assert ran.code == code
    assert ran.err.startswith(message) and ran.err.count("\n") == 1, ran.err
    assert ran.out == ""


def test_export_to_an_unwritable_place_with_a_store(drill, sample_deck):
    drill("run", str(sample_deck), "--headless", input="")
    ran = drill("export", "-o", "/nonexistent/dir/out.csv")
    assert ran.code == 2 and ran.err.startswith(
        "drill: error: cannot write /nonexistent/dir/out.csv"
    )


def test_running_a_broken_deck_prints_its_problems_and_exits_1(drill, write_deck):
    bad = write_deck("id: bad\ntitle: Bad\ncards:\n  - {prompt: P, choices: [a, b], answer: c}\n")
    ran = drill("run", str(bad), "--headless")
    assert ran.code == 1
    assert ran.err == f"{bad}:4:42: error: answer `c` is not one of the choices\n"
    assert ran.out == ""


def test_a_deck_id_given_twice_is_an_error(drill, sample_deck, write_deck):
    twin = write_deck("id: sample\ntitle: Twin\ncards: [{prompt: P, answer: x}]\n", "twin.yaml")
    ran = drill("run", str(sample_deck), str(twin), "--headless")
    assert ran.code == 1 and f"deck id `sample` is also the id of {sample_deck}" in ran.err


def test_first_found_deck_id_wins_with_a_warning(drill, sample_deck, write_deck, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "kpi.yaml").write_text("id: kpi-qa\ntitle: Mine\ncards: [{prompt: P, answer: x}]\n")
    ran = drill(
        "run", "kpi-qa", "--headless", "--no-save", input="", env={"DRILL_DECKS": str(other)}
    )
    assert ran.code == 0
    assert ran.events[0]["cards"] == 1
    assert "drill: warning: deck id `kpi-qa` in" in ran.err and "is hidden by" in ran.err


def test_the_parser_never_searches_the_disk_for_argparse_translations(monkeypatch, capsys):
    """argparse's own strings ("options", "usage: ") are used as written: asking gettext for
    each searched the locale folders anew, 2 ms of every command's start."""
    import gettext

    from drill.cli import build_parser

    def searched(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"gettext searched for {args}")

    monkeypatch.setattr(gettext, "find", searched)
    parser = build_parser()
    assert "options:" in parser.format_help()
    with pytest.raises(SystemExit):
        parser.parse_args(["stats", "--no-such-flag"])
    assert "error: unrecognized arguments: --no-such-flag" in capsys.readouterr().err


def test_the_command_leaves_at_once_yet_runs_exit_functions_and_flushes_all_it_printed(
    drill_env, tmp_path
):
    """``drill.cli.run`` ends the process without Python's teardown (``os._exit``), but after
    what matters of it: functions registered with ``atexit`` run, stdout and stderr reach a
    pipe whole (here the JSON schema, then one error line), the exit code is the command's."""
    import subprocess
    import sys

    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('exit function ran\\n'))\n"
        "sys.stdout.write('x' * 100_000)  # pending in the buffer when the command starts\n"
        "from drill.cli import run\n"
        "run()\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script, "schema"], capture_output=True, env=drill_env, timeout=60
    )
    assert ran.returncode == 0
    assert ran.stdout.startswith(b"x" * 100_000)
    assert json.loads(ran.stdout[100_000:])["title"]
    assert ran.stderr == b"exit function ran\n"
    failed = subprocess.run(
        [sys.executable, "-c", script, "validate", str(tmp_path / "missing.yaml")],
        capture_output=True, env=drill_env, timeout=60,
    )  # fmt: skip
    assert failed.returncode == 2
    assert failed.stderr.endswith(b"drill: 1 problem in 1 of 1 deck file\nexit function ran\n")
