"""SPEC section 4 end to end: a real ``drill run --headless`` process, JSON Lines out, answers in
from stdin or a file, and every printed result already durable in the store."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

NOW = "2026-03-01T09:00:00Z"
REPO = Path(__file__).resolve().parents[1]


def run_args(deck: Path, *extra: str) -> list[str]:
    return ["run", str(deck), "--headless", "--seed", "7", "--now", NOW, *extra]


def by_type(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e["event"] == kind]


def right_answer(card: dict, deck_expected: dict) -> str:
    """The right answer to a shown card, written the way a script would (letters, positions)."""
    expected = deck_expected[card["card"]]
    if card["type"] == "choice":
        wanted = expected if isinstance(expected, list) else [expected]
        return ",".join("ABCDEFGHIJ"[card["choices"].index(t)] for t in wanted)
    if card["type"] == "order":
        return ",".join(str(card["steps"].index(step) + 1) for step in expected)
    if card["type"] == "flashcard":
        return "good"
    if card["type"] == "breathing":
        return "done"
    return str(expected)


def expected_answers(drill, deck: Path) -> dict:
    skipped = drill(*run_args(deck, "--mode", "drill", "--no-save"), input="skip\n" * 50)
    return {e["card"]: e["expected"] for e in by_type(skipped.events, "result")}


def test_protocol_events_and_fields(drill, sample_deck):
    ran = drill(*run_args(sample_deck, "--mode", "drill"), input="skip\n" * 10)
    assert ran.code == 0 and ran.err == ""
    events = ran.events
    start, summary = events[0], events[-1]
    assert start == {"event": "start", "session": summary["session"], "mode": "drill",
                     "decks": ["sample"], "cards": 6}  # fmt: skip
    cards = by_type(events, "card")
    assert [c["index"] for c in cards] == [1, 2, 3, 4, 5, 6]
    assert cards[0]["type"] == "breathing"  # the warm-up opens the session
    assert cards[0] | {"index": 0} == {"event": "card", "index": 0, "deck": "sample", "card": "breathe",
        "type": "breathing", "prompt": None, "pattern": [4, 7, 8], "cycles": 2, "time_limit": 0}  # fmt: skip
    by_id = {c["card"]: c for c in cards}
    assert set(by_id["qa-parts"]["choices"]) == {
        "Voice quality",
        "Product knowledge",
        "Lunch breaks",
    }
    assert by_id["qa-parts"]["multiple"] is True and by_id["agree"]["multiple"] is False
    assert by_id["agree"]["choices"] == ["Yes", "No"]  # shuffle: false, and text stays text
    assert by_id["transfer"]["steps"] != ["Explain why", "Give the wait", "Log what you know",
                                          "Transfer and confirm"]  # fmt: skip
    assert by_id["never-say"]["prompt"] == 'Instead of "I don\'t know"'
    assert by_id["rings"]["time_limit"] == 20
    # Every card is followed by its result, in order.
    kinds = [e["event"] for e in events]
    assert kinds == ["start"] + ["card", "result"] * 6 + ["summary"]
    results = {r["card"]: r for r in by_type(events, "result")}
    assert results["rings"] == {"event": "result", "deck": "sample", "card": "rings", "correct": False,
        "rating": "again", "latency_ms": results["rings"]["latency_ms"], "timed_out": False,
        "skipped": True, "expected": 3, "explain": "Three rings is the service standard.", "error": None}  # fmt: skip
    assert results["qa-parts"]["expected"] == ["Voice quality", "Product knowledge"]
    assert results["transfer"]["expected"][0] == "Explain why"
    assert results["never-say"]["expected"] == "Let me check that for you"
    assert results["breathe"]["correct"] is None and results["breathe"]["rating"] is None
    assert summary["answered"] == 5 and summary["correct"] == 0 and summary["score"] == 0.0
    assert summary["passed"] is None and isinstance(summary["duration_ms"], int)


def test_right_answers_in_every_form_score_one(drill, drill_env, sample_deck):
    deck_expected = expected_answers(drill, sample_deck)
    proc = subprocess.Popen(
        [sys.executable, "-m", "drill", *run_args(sample_deck, "--mode", "drill")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO, env=drill_env,
    )  # fmt: skip
    events = [json.loads(proc.stdout.readline())]
    while True:
        event = json.loads(proc.stdout.readline())
        events.append(event)
        if event["event"] == "summary":
            break
        if event["event"] == "card":
            proc.stdin.write(right_answer(event, deck_expected) + "\n")
            proc.stdin.flush()
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0
    assert all(r["correct"] in (True, None) for r in by_type(events, "result"))
    assert events[-1]["score"] == 1.0 and events[-1]["answered"] == 5


def test_answers_file_by_card_or_deck_and_card_with_latency(drill, sample_deck, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "sample/rings: {answer: '3', latency_ms: 19000}\n"  # right but slow: hard
        "qa-parts: [Voice quality, Product knowledge]\n"
        "transfer: [Explain why, Give the wait, Log what you know, Transfer and confirm]\n"
        "never-say: easy\n"
        "agree: {answer: Yes, latency_ms: 21000}\n"  # right but over 20 s: timed out
        "ghost: A\n"
    )
    ran = drill(*run_args(sample_deck, "--mode", "drill", "--answers", str(answers)))
    results = {r["card"]: r for r in by_type(ran.events, "result")}
    assert (results["rings"]["correct"], results["rings"]["rating"]) == (True, "hard")
    assert results["rings"]["latency_ms"] == 19000
    assert results["qa-parts"]["correct"] and results["transfer"]["correct"]
    assert results["never-say"]["rating"] == "easy"
    assert (results["agree"]["correct"], results["agree"]["timed_out"]) == (False, True)
    assert results["breathe"]["correct"] is None  # missing from the file: skipped
    assert ran.events[-1]["correct"] == 4
    assert ran.err == "drill: warning: answers file: `ghost` is no card of this session\n"


def test_json_answer_lines_and_unreadable_answers(drill, sample_deck):
    lines = ["skip", json.dumps({"answer": "3", "latency_ms": 1000}), "not json {",
             json.dumps({"answer": [1, 2]}), "{broken", "maybe", "skip"]  # fmt: skip
    ran = drill(*run_args(sample_deck, "--mode", "drill"), input="\n".join(lines) + "\n")
    assert ran.code == 0
    results = by_type(ran.events, "result")
    assert len(results) == 6
    assert all(r["correct"] in (True, False, None) for r in results)
    errors = [r["error"] for r in results if r["error"]]
    assert any(e.startswith("invalid JSON") for e in errors)


def test_latency_decides_the_rating(drill, write_deck):
    deck = write_deck("id: one\ntitle: One\ncards:\n  - {id: q, prompt: Q, answer: yes}\n")
    ratings = []
    for latency in (1000, 15000, 29000, 31000):
        line = json.dumps({"answer": "yes", "latency_ms": latency})
        ran = drill(*run_args(deck, "--mode", "drill", "--no-save"), input=line + "\n")
        ratings.append(by_type(ran.events, "result")[0]["rating"])
    assert ratings == ["easy", "good", "hard", "again"]


def test_end_of_input_ends_early_with_a_summary_of_what_was_answered(drill, sample_deck):
    ran = drill(*run_args(sample_deck, "--mode", "drill"), input="done\nskip\n")
    assert ran.code == 0
    assert [e["event"] for e in ran.events][-2:] == ["card", "summary"]
    assert ran.events[-1]["answered"] == 1


def test_exam_exit_code_follows_the_pass_mark(drill, sample_deck):
    deck_expected = expected_answers(drill, sample_deck)
    failed = drill(*run_args(sample_deck, "--mode", "exam"), input="skip\n" * 6)
    assert failed.code == 1 and failed.events[-1]["passed"] is False
    answers = sample_deck.parent / "right.json"
    answers.write_text(json.dumps({k: v if v is not None else "done" for k, v in deck_expected.items()}
                                  | {"never-say": "good"}))  # fmt: skip
    passed = drill(*run_args(sample_deck, "--mode", "exam", "--answers", str(answers)))
    assert passed.code == 0 and passed.events[-1]["passed"] is True
    early = drill(*run_args(sample_deck, "--mode", "exam", "--pass-mark", "0.5"), input="done\n3\n")
    assert early.code == 1 and early.events[-1]["score"] == 1.0


def test_an_exam_ended_early_is_judged_against_its_planned_cards(drill, sample_deck):
    early = drill(*run_args(sample_deck, "--mode", "exam"), input="done\n3\n")
    summary = early.events[-1]
    assert (summary["answered"], summary["correct"], summary["planned"]) == (1, 1, 5)
    assert summary["exam_score"] == 0.2 and summary["passed"] is False
    drilled = drill(*run_args(sample_deck, "--mode", "drill", "--no-save"), input="done\n3\n")
    assert "planned" not in drilled.events[-1] and "exam_score" not in drilled.events[-1]


def test_an_exam_of_no_cards_is_a_usage_error(drill, sample_deck):
    ran = drill(*run_args(sample_deck, "--mode", "exam", "--limit", "0"))
    assert ran.code == 2 and ran.out == ""
    assert ran.err.startswith("drill: error: ") and ran.err.count("\n") == 1


def test_results_say_whether_the_card_was_skipped(drill, sample_deck):
    ran = drill(*run_args(sample_deck, "--mode", "drill", "--no-save"), input="skip\nskip\nnope\n")
    first, second, third = by_type(ran.events, "result")
    assert first["card"] == "breathe" and first["skipped"] is True
    assert (second["skipped"], second["correct"]) == (True, False)
    assert (third["skipped"], third["correct"]) == (False, False)


def test_numbers_in_words_are_read_in_english_and_chinese(drill, write_deck):
    deck = write_deck(
        "id: n\ntitle: N\ncards:\n  - {id: a, prompt: Q, answer: 25}\n"
        "  - {id: b, prompt: Q, answer: 3}\n"
    )
    for twenty_five, three in (("twenty-five", "three rings"), ("二十五", "三声"),
                               ("Twenty five", "３")):  # fmt: skip
        ran = drill(*run_args(deck, "--mode", "drill", "--no-save", "--seed", "1"),
                    input=f"{twenty_five}\n{three}\n")  # fmt: skip
        cards = [c["card"] for c in by_type(ran.events, "card")]
        if cards[0] == "b":
            ran = drill(*run_args(deck, "--mode", "drill", "--no-save", "--seed", "1"),
                        input=f"{three}\n{twenty_five}\n")  # fmt: skip
        assert [r["correct"] for r in by_type(ran.events, "result")] == [True, True], ran.out


def test_step_texts_separated_by_commas_are_read(drill, sample_deck):
    steps = "Explain why, Give the wait, Log what you know, Transfer and confirm"
    answers = sample_deck.parent / "commas.yaml"
    answers.write_text(f"transfer: '{steps}'\n")
    ran = drill(*run_args(sample_deck, "--mode", "drill", "--no-save", "--answers", str(answers)))
    results = {r["card"]: r for r in by_type(ran.events, "result")}
    assert results["transfer"]["correct"] is True and results["transfer"]["error"] is None


def test_a_wrong_letter_answer_from_a_file_says_letters_follow_the_shuffle(drill, sample_deck):
    answers = sample_deck.parent / "letters.yaml"
    answers.write_text("qa-parts: A\ntransfer: 1,2,3,4\nagree: A\n")
    ran = drill(*run_args(sample_deck, "--mode", "drill", "--no-save", "--answers", str(answers)))
    results = {r["card"]: r for r in by_type(ran.events, "result")}
    for card in ("qa-parts", "transfer"):
        assert results[card]["correct"] is False
        assert "shuffled order" in results[card]["error"], results[card]
    assert results["agree"]["correct"] is True and results["agree"]["error"] is None
    typed = drill(*run_args(sample_deck, "--mode", "drill", "--no-save"), input="done\nA\nA\nA\n")
    assert not any("shuffled" in (r["error"] or "") for r in by_type(typed.events, "result"))


def test_same_seed_and_now_repeat_the_session_exactly(drill, sample_deck):
    def cards(seed: str):
        ran = drill("run", str(sample_deck), "--headless", "--mode", "drill", "--seed", seed,
                    "--now", NOW, "--no-save", input="skip\n" * 10)  # fmt: skip
        return by_type(ran.events, "card")

    assert cards("11") == cards("11")
    assert any(cards("11") != cards(str(seed)) for seed in range(12, 20))


def test_a_killed_session_loses_no_answer_it_printed(sample_deck, tmp_path, drill_env):
    home = tmp_path / "killed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "drill", "--data-dir", str(home), *run_args(sample_deck, "--mode", "drill")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO, env=drill_env,
    )  # fmt: skip
    printed = []
    assert json.loads(proc.stdout.readline())["event"] == "start"
    for _ in range(4):
        assert json.loads(proc.stdout.readline())["event"] == "card"
        proc.stdin.write("skip\n")
        proc.stdin.flush()
        printed.append(json.loads(proc.stdout.readline()))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    conn = sqlite3.connect(home / "drill.sqlite3")
    stored = conn.execute("SELECT card, rating FROM answers ORDER BY id").fetchall()
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    labels = {None: None, 1: "again", 2: "hard", 3: "good", 4: "easy"}
    assert [(c, labels[r]) for c, r in stored][: len(printed)] == [
        (p["card"], p["rating"]) for p in printed
    ]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_interrupt_ends_with_a_summary_and_exit_130(sample_deck, tmp_path, drill_env, sig):
    proc = subprocess.Popen(
        [sys.executable, "-m", "drill", "--data-dir", str(tmp_path / "h"), *run_args(sample_deck)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=drill_env,
        preexec_fn=lambda: signal.signal(sig, signal.SIG_DFL),
    )  # fmt: skip  (the signal at its default, as in a terminal, even if this run ignores it)
    assert json.loads(proc.stdout.readline())["event"] == "start"
    assert json.loads(proc.stdout.readline())["event"] == "card"  # now waiting for an answer
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert json.loads(out.splitlines()[-1])["event"] == "summary"
    assert "Traceback" not in err


def test_under_nohup_a_hangup_is_ignored_and_the_session_goes_on(sample_deck, tmp_path, drill_env):
    """A signal the parent set to be ignored stays ignored (``nohup``): drill does not put its
    own handler in its place."""

    def ignore_hangups() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    proc = subprocess.Popen(
        [sys.executable, "-m", "drill", "--data-dir", str(tmp_path / "h"),
         *run_args(sample_deck, "--mode", "drill")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=REPO, env=drill_env, preexec_fn=ignore_hangups,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    assert json.loads(proc.stdout.readline())["event"] == "start"
    assert json.loads(proc.stdout.readline())["event"] == "card"  # now waiting for an answer
    proc.send_signal(signal.SIGHUP)
    proc.stdin.write("skip\nskip\n")
    proc.stdin.flush()
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    events = [json.loads(line)["event"] for line in out.splitlines()]
    assert events.count("result") == 2 and events[-1] == "summary", events


def test_each_result_line_is_written_only_after_its_answer_is_committed(tmp_path, sample_deck):
    """At the moment a result line is written, another connection already sees the answer."""
    import io
    from datetime import UTC, datetime

    from storehelp import sqlite_store

    from drill import headless
    from drill.clock import ManualClock
    from drill.deck.loader import load_file
    from drill.session import Options, Session

    store = sqlite_store(tmp_path / "h")
    observer = sqlite3.connect(tmp_path / "h" / "drill.sqlite3")
    seen_at_write: list[tuple[int, int]] = []

    class Watching(io.StringIO):
        def write(self, text: str) -> int:
            event = json.loads(text)
            if event["event"] == "result":
                (count,) = observer.execute("SELECT count(*) FROM answers").fetchone()
                seen_at_write.append((len(seen_at_write) + 1, count))
            return super().write(text)

    deck = load_file(str(sample_deck)).deck
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    session = Session([deck], Options(mode="drill", seed=1), clock, store)
    headless.run(session, io.StringIO("skip\n" * 6), Watching())
    assert seen_at_write == [(i, i) for i in range(1, 7)]


def test_a_result_reaches_the_pipe_with_the_card_after_it_even_when_python_is_unbuffered(
    tmp_path, sample_deck, monkeypatch
):
    """Under ``PYTHONUNBUFFERED`` (common in container images) stdout writes through at every
    ``write``; the headless command still hands each result to the pipe together with the line
    that follows it, one system call per answer rather than two."""
    import io
    from datetime import UTC, datetime

    from drill import headless
    from drill.clock import ManualClock
    from drill.commands import run
    from drill.deck.loader import load_file
    from drill.session import Options, Session
    from drill.store import EmptyStore

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.writes: list[bytes] = []

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:  # type: ignore[override]
            self.writes.append(bytes(data))
            return len(data)

    pipe = Pipe()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(pipe, write_through=True))  # as -u
    clock = ManualClock(datetime(2026, 3, 1, tzinfo=UTC))
    run._utf8_streams(clock)
    deck = load_file(str(sample_deck)).deck
    session = Session([deck], Options(mode="drill", seed=1, save=False), clock,
                      EmptyStore("").learner("me"))  # fmt: skip
    headless.run(session, io.StringIO("skip\n" * 6), sys.stdout)

    events = [[json.loads(line)["event"] for line in w.decode().splitlines()] for w in pipe.writes]
    assert events[0] == ["start"] and events[1] == ["card"]
    assert events[2:] == [["result", "card"]] * 5 + [["result", "summary"]]
