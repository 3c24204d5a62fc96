"""A call is stored once, when it ends (SPEC 9): a SIGKILL between its turns leaves no row for
it (nor a memory state), while every answer printed before it stays stored and the store opens
again. A kill after the call's ``result`` line keeps the call."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path

import pytest

from .harness import (
    DB_NAME,
    NOW,
    REPO,
    Lines,
    Procs,
    clean_env,
    connect,
    drill_command,
    integrity,
    kill,
    send,
)

CALLS = REPO / "tests" / "call_decks" / "calls-en.yaml"
GOOD_PATH = [
    "I'm sorry, twice in one week is a real problem when you work from home. Let me check your line now.",
    "There's a fault at the street cabinet. An engineer is booked for tomorrow, 8 to 12.",
    "I understand. I can send a mobile data hub today at no charge, so you can work until then.",
    "It goes out by courier today; your reference is 4471. Is there anything else I can do?",
]  # fmt: skip
FIRST = "id: first\ntitle: First\ncards:\n  - {id: rings, prompt: How many rings?, answer: 3}\n"


def rows(db: Path, sql: str) -> list[tuple]:
    with contextlib.closing(connect(db)) as conn:
        return conn.execute(sql).fetchall()


def start(procs: Procs, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Lines, Path]:
    """A headless review of a typed card then the call, the typed card answered and stored."""
    first = tmp_path / "first.yaml"
    first.write_text(FIRST, encoding="utf-8")
    home = tmp_path / "home"
    args = ["run", str(first), str(CALLS), "--headless", "--seed", "3", "--now", NOW]
    proc = procs.spawn(drill_command(*args), clean_env(home))
    lines = Lines(proc)
    assert lines.until("card")["card"] == "rings"
    send(proc, "3\n")
    assert lines.until("result")["correct"] is True
    assert lines.until("card")["card"] == "line-down"
    return proc, lines, home / DB_NAME


@pytest.mark.parametrize("turns_taken", [1, 2, 3])
@pytest.mark.parametrize("wait_for_turn", [True, False], ids=["after the turn line", "mid-reply"])
def test_sigkill_between_turns_leaves_no_row_for_the_call(
    procs: Procs, tmp_path: Path, turns_taken: int, wait_for_turn: bool, figures
):
    proc, lines, db = start(procs, tmp_path)
    for number, text in enumerate(GOOD_PATH[:turns_taken], start=1):
        send(proc, json.dumps({"answer": text}) + "\n")
        if wait_for_turn or number < turns_taken:
            assert lines.until("turn") is not None
    assert kill(proc) == -9
    figures["calls killed between turns"] += 1
    assert integrity(db) == "ok"
    assert rows(db, "SELECT card, answer FROM answers") == [("rings", "3")]
    assert rows(db, "SELECT card FROM card_states") == [("rings",)]
    assert not any(e["event"] == "result" and e["card"] == "line-down" for e in lines.events)
    again = subprocess.run([*drill_command("stats", "--json")], env=clean_env(db.parent),
                           capture_output=True, text=True, cwd=REPO, timeout=60)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["sessions"][0]["answered"] == 1


def test_sigkill_after_the_calls_result_keeps_the_call(procs: Procs, tmp_path: Path):
    proc, lines, db = start(procs, tmp_path)
    for text in GOOD_PATH:
        send(proc, json.dumps({"answer": text}) + "\n")
    result = lines.until("result")
    assert result is not None and result["card"] == "line-down" and result["correct"] is True
    kill(proc)
    assert rows(db, "SELECT card, answer FROM answers ORDER BY id") == [
        ("rings", "3"), ("line-down", " > ".join(GOOD_PATH))]  # fmt: skip
