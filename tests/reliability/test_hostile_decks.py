"""SPEC 1 and 3: no deck file, however broken or hostile, makes ``drill validate`` crash, hang or
run away with memory. Each input gets exit 1 (or 2 when it cannot be read) and a
``PATH:LINE:COL: error:`` line pointing at the cause, within 2 seconds of CPU time and 200 MB,
and never a traceback.

The corpus is ``corpus/`` (small files, committed) plus inputs too big to commit, generated
into a temporary folder: a 50 MB file, 10,000 levels of nesting, files of the largest size a
deck may have but filled with the cheapest nodes, error-dense files, and a deck folder with
symlink loops, a named pipe and a device in it. ``tests/test_hostile_yaml.py`` checks the YAML
reader's refusals one by one in-process; this runs the real command, under the limits.

Each expectation is the first line ``validate`` prints after ``PATH:`` (a prefix of it).
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from drill.deck.discovery import resolve
from drill.errors import DeckError, UsageError

from .harness import REPO, clean_env

CORPUS = Path(__file__).parent / "corpus"
MEMORY_LIMIT = 200 * 1024 * 1024
TIME_LIMIT_S = 2.0
LOCATED = re.compile(r"^(?P<path>.+):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): error: \S")

EXPECTED: dict[str, tuple[int, str]] = {
    # YAML that is not YAML
    "syntax-bad-escape.yaml": (1, "2:13: error: YAML syntax: found unknown escape character"),
    "syntax-bad-indent.yaml": (1, "5:12: error: YAML syntax: mapping values are not allowed in this context"),
    "syntax-long-implicit-key.yaml": (1, "2:2001: error: YAML syntax: could not find expected ':'"),
    "syntax-stray-colon.yaml": (1, "1:6: error: YAML syntax: mapping values are not allowed in this context"),
    "syntax-tab-indent.yaml": (1, "5:1: error: YAML syntax: found a tab character that violates indentation"),
    "syntax-unclosed-flow.yaml": (1, "4:1: error: YAML syntax: did not find expected ',' or ']'"),
    "syntax-undefined-alias.yaml": (1, "2:8: error: alias *nope has no anchor"),
    "syntax-unterminated-quote.yaml": (1, "4:1: error: YAML syntax: found unexpected end of stream"),
    "syntax-yaml-1.3-directive.yaml": (1, "1:1: error: YAML syntax: found incompatible YAML document"),
    # every error of SPEC 1, one per file
    "spec-missing-id.yaml": (1, "1:1: error: the deck is missing `id`"),
    "spec-missing-title.yaml": (1, "1:1: error: the deck is missing `title`"),
    "spec-missing-cards.yaml": (1, "1:1: error: the deck is missing `cards`"),
    "spec-empty-cards.yaml": (1, "3:8: error: `cards` needs at least 1 cards, found 0"),
    "spec-cards-a-mapping.yaml": (1, "4:3: error: `cards` must be a list of cards, not a mapping"),
    "spec-bad-deck-id.yaml": (1, "1:5: error: `id` `Bad Id!` is not valid: use lowercase letters"),
    "spec-title-a-list.yaml": (1, "2:8: error: `title` must be text, not a list"),
    "spec-title-null.yaml": (1, "2:7: error: `title` has no value"),
    "spec-title-blank.yaml": (1, "2:8: error: `title` is empty"),
    "spec-time-limit-quoted.yaml": (1, "3:13: error: `time_limit` must be a number of seconds, not `30`"),
    "spec-time-limit-negative.yaml": (1, "3:13: error: `time_limit` must be between 0 and 3600"),
    "spec-time-limit-too-big.yaml": (1, "3:13: error: `time_limit` must be between 0 and 3600"),
    "spec-time-limit-infinite.yaml": (1, "3:13: error: `time_limit` must be a number of seconds, not `.inf`"),
    "spec-time-limit-overflow.yaml": (1, "3:13: error: `time_limit` must be a number of seconds, not `1e999`"),
    "spec-time-limit-5000-digits.yaml": (1, "3:13: error: `time_limit` must be a number of seconds, not `999"),
    "spec-language-bad.yaml": (1, "3:11: error: `language` `English (UK)` is not valid: a BCP 47 tag"),
    "spec-tags-a-string.yaml": (1, "3:7: error: `tags` must be a list of tags, not text"),
    "spec-unknown-deck-key.yaml": (1, "3:1: error: unknown key `author` in the deck"),
    "spec-unknown-card-key.yaml": (1, "4:28: error: unknown key `hint` in a typed card"),
    "spec-unknown-type.yaml": (1, "4:12: error: `type` `essay` is not valid: one of flashcard, choice"),
    "spec-ambiguous-type.yaml": (1, "4:5: error: cannot tell the card type: it has fields of choice and order cards; add `type:`"),
    "spec-untyped-card.yaml": (1, "4:5: error: cannot tell the card type; add `type:`"),
    "spec-card-not-a-mapping.yaml": (1, "4:5: error: a card must be a mapping of keys to values, not text"),
    "spec-duplicate-card-id.yaml": (1, "5:10: error: duplicate card id `q` (first used on line 4)"),
    "spec-duplicate-derived-id.yaml": (1, "5:5: error: duplicate card id `typed-"),
    "spec-card-id-space.yaml": (1, "4:10: error: `id` `has space` is not valid: use letters, digits"),
    "spec-card-id-slash.yaml": (1, "4:10: error: `id` `a/b` is not valid: use letters, digits"),
    "spec-answer-not-a-choice.yaml": (1, "4:45: error: answer `Maybe` is not one of the choices"),
    "spec-answer-list-not-choices.yaml": (1, "4:49: error: answer `d` is not one of the choices"),
    "spec-one-choice.yaml": (1, "4:26: error: `choices` needs at least 2 choices, found 1"),
    "spec-27-choices.yaml": (1, "5:14: error: `choices` allows at most 26 choices, found 27"),
    "spec-duplicate-choices.yaml": (1, "4:33: error: duplicate choice `a`"),
    "spec-duplicate-choice-text-and-mapping.yaml": (1, "5:18: error: duplicate choice `a`"),
    "spec-duplicate-answers.yaml": (1, "4:46: error: duplicate answer `a` in `answer`"),
    "spec-empty-answer-list.yaml": (1, "4:42: error: `answer` needs at least 1 answers, found 0"),
    "spec-shuffle-no.yaml": (1, "4:54: error: `shuffle` must be true or false"),
    "spec-choice-why-without-text.yaml": (1, "5:18: error: a choice is missing `text`"),
    "spec-one-step.yaml": (1, "4:24: error: `steps` needs at least 2 steps, found 1"),
    "spec-13-steps.yaml": (1, "5:12: error: `steps` allows at most 12 steps, found 13"),
    "spec-duplicate-steps.yaml": (1, "4:31: error: duplicate step `a` in `steps`"),
    "spec-tolerance-on-text.yaml": (1, "4:43: error: `tolerance` applies only to a numeric `answer`"),
    "spec-negative-tolerance.yaml": (1, "4:39: error: `tolerance` must be between 0 and 1e+12"),
    "spec-empty-typed-answer.yaml": (1, "4:25: error: `answer` is empty"),
    "spec-flashcard-without-back.yaml": (1, "4:5: error: a flashcard is missing `back`"),
    "spec-pattern-two-phases.yaml": (1, "4:32: error: `pattern` needs at least 3 phases, found 2"),
    "spec-pattern-zero-in.yaml": (1, "4:32: error: `pattern`: breathing in and out must each last more than 0 seconds"),
    "spec-cycles-zero.yaml": (1, "4:51: error: `cycles` must be between 1 and 100"),
    "spec-cycles-fraction.yaml": (1, "4:51: error: `cycles` must be a whole number, not `4.5`"),
    "spec-breathing-time-limit.yaml": (1, "4:43: error: unknown key `time_limit` in a breathing card (breathing cards are paced"),
    "spec-field-of-another-type.yaml": (1, "4:59: error: unknown key `steps` in a choice card (it belongs to order cards)"),
    "spec-prompt-too-long.yaml": (1, "4:14: error: `prompt` is longer than 10,000 characters"),
    "spec-two-documents.yaml": (1, "5:1: error: a second YAML document: a deck file holds exactly one"),
    "spec-empty-file.yaml": (1, "1:1: error: the file is empty: a deck needs `id`, `title` and `cards`"),
    "spec-comments-only.yaml": (1, "1:1: error: the file is empty: a deck needs `id`, `title` and `cards`"),
    "spec-top-level-list.yaml": (1, "1:1: error: the deck must be a mapping of keys to values, not a list"),
    "spec-top-level-scalar.yaml": (1, "1:1: error: the deck must be a mapping of keys to values, not text"),
    "spec-json-deck.yaml": (1, "1:36: error: `cards` needs at least 1 cards, found 0"),
    "spec-numeric-key.yaml": (1, "3:1: error: unknown key `1` in the deck"),
    "spec-null-key.yaml": (1, "3:2: error: unknown key `` in the deck"),
    # a number too long for a float is not a number: a typed answer reads it as text (it used
    # to crash the loader with int()'s digit limit)
    "spec-typed-answer-5000-digits.yaml": (0, ""),
    # misspelt keys: located, the intended key suggested, and (see MISSPELT) reported alone,
    # not also as that key missing
    "misspelt-titel.yaml": (1, "2:1: error: unknown key `titel` in the deck; did you mean `title`?"),
    "misspelt-choises.yaml": (1, "6:5: error: unknown key `choises` in a choice card; did you mean `choices`?"),
    "misspelt-answr.yaml": (1, "4:17: error: unknown key `answr` in a typed card; did you mean `answer`?"),
    "misspelt-promt.yaml": (1, "4:6: error: unknown key `promt` in a typed card; did you mean `prompt`?"),
    "misspelt-timelimit.yaml": (1, "3:1: error: unknown key `timelimit` in the deck; did you mean `time_limit`?"),
    "misspelt-typ.yaml": (1, "4:6: error: unknown key `typ` in an order card; did you mean `type`?"),
    "misspelt-stpes.yaml": (1, "4:17: error: unknown key `stpes` in an order card; did you mean `steps`?"),
    # built to hurt a parser
    "alias-bomb.yaml": (1, "5:5: error: more than 250,000 values once aliases are expanded: refused"),
    "alias-bomb-mappings.yaml": (1, "5:5: error: more than 250,000 values once aliases are expanded: refused"),
    "alias-bomb-in-cards.yaml": (1, "6:5: error: more than 250,000 values once aliases are expanded: refused"),
    "alias-recursive.yaml": (1, "3:12: error: alias *c is inside the collection it names: a loop"),
    "alias-recursive-mapping.yaml": (1, "4:43: error: alias *card is inside the collection it names: a loop"),
    "merge-key.yaml": (1, "3:1: error: merge keys (<<) are not supported: write the keys out"),
    "merge-key-in-card.yaml": (1, "5:6: error: merge keys (<<) are not supported: write the keys out"),
    "merge-key-quoted.yaml": (1, "3:1: error: unknown key `<<` in the deck"),
    "duplicate-keys.yaml": (1, "3:1: error: duplicate key `title`"),
    "duplicate-keys-in-card.yaml": (1, "6:5: error: duplicate key `answer`"),
    "tag-python-object-apply.yaml": (1, "1:5: error: YAML tag `!!python/object/apply:os.system` is not allowed in a deck"),
    "tag-python-name.yaml": (1, "2:8: error: YAML tag `!!python/name:os.system` is not allowed in a deck"),
    "tag-python-module.yaml": (1, "3:8: error: YAML tag `!!python/module:os` is not allowed in a deck"),
    "tag-custom.yaml": (1, "2:8: error: YAML tag `!secret` is not allowed in a deck"),
    "tag-verbatim.yaml": (1, "1:5: error: YAML tag `!!python/object/new:os.system` is not allowed in a deck"),
    "tag-directive.yaml": (1, "4:8: error: YAML tag `!!python/object/apply:os.system` is not allowed in a deck"),
    "tag-binary.yaml": (1, "2:8: error: YAML tag `!!binary` is not allowed in a deck"),
    "tag-set.yaml": (1, "3:7: error: YAML tag `!!set` is not allowed in a deck"),
    "tag-int.yaml": (1, "3:13: error: YAML tag `!!int` is not allowed in a deck"),
    "tag-timestamp.yaml": (1, "2:8: error: YAML tag `!!timestamp` is not allowed in a deck"),
    # bytes that are not UTF-8 text
    "bom-utf8-with-error.yaml": (1, "1:5: error: `id` `Bad!` is not valid"),  # the BOM is no column
    "bom-utf16le.yaml": (1, "1:4: error: NUL byte: this is a binary file, not a YAML deck"),
    "bom-utf16be.yaml": (1, "1:3: error: NUL byte: this is a binary file, not a YAML deck"),
    "bom-utf32.yaml": (1, "1:3: error: NUL byte: this is a binary file, not a YAML deck"),
    "invalid-utf8-latin1.yaml": (1, "2:11: error: invalid UTF-8 (byte 0xe9): decks must be UTF-8"),
    "invalid-utf8-cp1252-quotes.yaml": (1, "4:14: error: invalid UTF-8 (byte 0x93): decks must be UTF-8"),
    "invalid-utf8-overlong.yaml": (1, "2:8: error: invalid UTF-8 (byte 0xc0): decks must be UTF-8"),
    "invalid-utf8-surrogate.yaml": (1, "2:8: error: invalid UTF-8 (byte 0xed): decks must be UTF-8"),
    "invalid-utf8-cut-at-end.yaml": (1, "2:13: error: invalid UTF-8 (byte 0xe2): decks must be UTF-8"),
    "nul-byte.yaml": (1, "2:9: error: NUL byte: this is a binary file, not a YAML deck"),
    "nul-in-key.yaml": (1, "2:3: error: NUL byte: this is a binary file, not a YAML deck"),
    "control-character.yaml": (1, "2:13: error: YAML syntax: unacceptable character U+0007: control characters are not allowed"),
    "escape-sequence.yaml": (1, "2:8: error: YAML syntax: unacceptable character U+001B: control characters are not allowed"),
    # control characters written as YAML escapes: each an error at its node (SPEC 1)
    "escape-osc-window-title.yaml": (1, "2:8: error: `title` holds the control character U+001B"),
    "escape-clear-screen-in-choice.yaml": (1, "5:21: error: `choices` holds the control character U+001B"),
    "escape-osc8-link.yaml": (1, "6:14: error: `explain` holds the control character U+001B"),
    "c1-csi.yaml": (1, "4:14: error: `prompt` holds the control character U+009B"),
    "c1-next-line.yaml": (1, "4:32: error: `answer` holds the control character U+0085"),
    "del-in-tag.yaml": (1, "3:8: error: `tags` holds the control character U+007F"),
    "carriage-return-escape.yaml": (1, "4:22: error: `back` holds the control character U+000D"),
    "control-in-key.yaml": (1, "2:1: error: unknown key `ti\\x1btle` in the deck; did you mean `title`?"),
    "binary-png.yaml": (1, "3:1: error: NUL byte: this is a binary file, not a YAML deck"),
    "binary-gzip.yaml": (1, "1:4: error: NUL byte: this is a binary file, not a YAML deck"),
    # line ends and scripts: the position is the one an editor shows
    "crlf-with-error.yaml": (1, "4:42: error: answer `c` is not one of the choices"),
    "cr-only-with-error.yaml": (1, "4:42: error: answer `c` is not one of the choices"),
    "cjk-with-error.yaml": (1, "5:49: error: answer `先道歉` is not one of the choices"),  # columns count characters
    "zero-width-key.yaml": (1, "2:1: error: unknown key `title\u200b` in the deck; did you mean `title`?"),
    # libyaml (YAML 1.1) counts U+2028 as a line break, so the error is on the line after it
    "unicode-separators.yaml": (1, "4:1: error: YAML syntax: could not find expected ':'"),
}  # fmt: skip
MISSPELT = {
    "misspelt-titel.yaml": "unknown key `titel` in the deck; did you mean `title`?",
    "misspelt-choises.yaml": "unknown key `choises` in a choice card; did you mean `choices`?",
    "misspelt-answr.yaml": "unknown key `answr` in a typed card; did you mean `answer`?",
    "misspelt-promt.yaml": "unknown key `promt` in a typed card; did you mean `prompt`?",
    "misspelt-stpes.yaml": "unknown key `stpes` in an order card; did you mean `steps`?",
}


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def child_cpu_seconds() -> float:
    """CPU time (user + system) of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def validate(*paths: Path | str) -> tuple[subprocess.CompletedProcess[str], float]:
    """``drill validate PATHS`` under 200 MB of address space; returns it and the CPU seconds
    it took. CPU time, not wall-clock time: the bound is on drill's work (no input may make it
    quadratic), and on a loaded machine the clock also counts the time other processes had
    the CPU (a 0.3 s check once took 2.2 s of wall clock there and failed)."""
    before = child_cpu_seconds()
    proc = subprocess.run(
        [sys.executable, "-m", "drill", "validate", *map(str, paths)], capture_output=True,
        text=True, encoding="utf-8", env=clean_env(), cwd=REPO, timeout=30,
        preexec_fn=limit_memory,
    )  # fmt: skip
    return proc, child_cpu_seconds() - before


def assert_located(proc: subprocess.CompletedProcess[str], seconds: float, label: str) -> None:
    """Exit 1 or 2, every stdout line ``PATH:LINE:COL: error: ...``, a one-line summary, no
    traceback, within the time limit."""
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr, (label, proc.stderr)
    assert proc.returncode in (1, 2), (label, proc.returncode, proc.stderr)
    lines = proc.stdout.splitlines()
    assert lines, label
    assert all(LOCATED.match(line) for line in lines), (label, lines[:5])
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("drill: "), (label, proc.stderr)
    assert seconds < TIME_LIMIT_S, f"{label}: {seconds:.2f} s"


def test_the_corpus_is_exactly_the_table():
    """A file added to the corpus without an expectation (or the reverse) fails here."""
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_file_gets_a_located_error(name: str, figures: Counter[str]):
    code, expected = EXPECTED[name]
    path = CORPUS / name
    proc, seconds = validate(path)
    figures["hostile inputs tried"] += 1
    if code == 0:
        assert (proc.returncode, proc.stdout) == (0, ""), proc.stdout
        return
    assert_located(proc, seconds, name)
    assert proc.returncode == code
    assert proc.stdout.splitlines()[0].startswith(f"{path}:{expected}"), proc.stdout
    if name in MISSPELT:
        assert f"error: {MISSPELT[name]}" in proc.stdout
        assert "is missing" not in proc.stdout, proc.stdout  # the misspelling alone


def test_drill_run_refuses_each_corpus_file_with_its_first_problem():
    """``drill run`` (and the TUI's deck list, which loads the same way) stop at a broken deck
    with the same located problem ``validate`` gives first: checked in-process for speed."""
    for path in sorted(CORPUS.iterdir()):
        code, expected = EXPECTED[path.name]
        if code == 0:
            assert resolve([str(path)], [])[0], path
            continue
        with pytest.raises((DeckError, UsageError)) as caught:
            resolve([str(path)], [])
        assert isinstance(caught.value, DeckError), path
        assert str(caught.value.problems[0]).startswith(f"{path}:{expected}"), path


def test_the_deck_list_lists_every_corpus_file_as_broken(tmp_path: Path):
    """``drill decks`` over the whole corpus: one process, every file listed with its first
    error, and no crash (SPEC 6: a deck that fails to load is listed as broken)."""
    proc = subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", str(tmp_path / "home"), "decks", "--json"],
        capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=REPO,
        env=clean_env(DRILL_DECKS=str(CORPUS)),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    entries = {Path(e["path"]).name: e for e in json.loads(proc.stdout)}
    for name, (code, expected) in EXPECTED.items():
        entry = entries[name]
        if code == 0:
            assert entry["error"] is None
        else:
            assert entry["error"].startswith(f"{CORPUS / name}:{expected}"), entry


# --- generated inputs: too big, too deep or too special to commit ---------------------------

MIB = 1024 * 1024
DECK_HEAD = "id: big\ntitle: Big\ncards:\n"


def _sparse_50mb(folder: Path) -> Path:
    path = folder / "sparse-50mb.yaml"
    with open(path, "wb") as handle:
        handle.truncate(50 * MIB)
    return path


def _text_50mb(folder: Path) -> Path:
    path = folder / "text-50mb.yaml"
    block = "".join(f"  - {{prompt: Question {i}, answer: a}}\n" for i in range(1000)).encode()
    with open(path, "wb") as handle:
        handle.write(DECK_HEAD.encode())
        while handle.tell() < 50 * MIB:
            handle.write(block)
    return path


def _fill(folder: Path, name: str, head: str, item: str, tail: str = "") -> Path:
    """A file of ``item`` repeated to just under the size limit for decks."""
    count = (8 * MIB - len(head) - len(tail) - 1) // len(item)
    path = folder / name
    path.write_text(head + item * count + tail, encoding="utf-8")
    return path


def _tiny_items(folder: Path) -> Path:
    return _fill(folder, "tiny-items.yaml", DECK_HEAD, "- x\n")


def _tiny_flow_items(folder: Path) -> Path:
    return _fill(folder, "tiny-flow-items.yaml", "id: big\ncards: [", "x,", "]\n")


def _unknown_keys(folder: Path) -> Path:
    keys = "".join(f"k{i:07d}: 1\n" for i in range(8 * MIB // 12))
    path = folder / "unknown-keys.yaml"
    path.write_text(keys, encoding="utf-8")
    return path


def _broken_cards(folder: Path) -> Path:
    """Thousands of cards, each with several errors and misspelt keys to suggest for."""
    cards = "".join(f"  - {{prompt: P{i}, choises: [a, b], answr: a}}\n" for i in range(27_000))
    path = folder / "broken-cards.yaml"
    path.write_text(DECK_HEAD + cards, encoding="utf-8")
    return path


def _large_deck_one_error(folder: Path) -> Path:
    """The largest deck the node limit allows, every card read, one error in the last."""
    cards = "".join(f"  - {{id: c{i}, prompt: P{i}, answer: x}}\n" for i in range(34_000))
    path = folder / "large-deck.yaml"
    path.write_text(DECK_HEAD + cards + "  - {id: last, prompt: P, answer: x, oops: 1}\n")
    return path


def _long_line(folder: Path) -> Path:
    return _fill(folder, "long-line.yaml", "id: big\ntitle: ", "x", "\n")


def _flow_nesting(folder: Path) -> Path:
    path = folder / "nesting-flow.yaml"
    path.write_text("id: d\ncards: " + "[" * 10_000 + "]" * 10_000 + "\n")
    return path


def _block_nesting(folder: Path) -> Path:
    path = folder / "nesting-block.yaml"
    path.write_text("id: d\ncards:\n" + "- " * 10_000 + "x\n")
    return path


def _mapping_nesting(folder: Path) -> Path:
    path = folder / "nesting-mappings.yaml"
    path.write_text("id: d\ncards: " + "{a: " * 10_000 + "x" + "}" * 10_000 + "\n")
    return path


def _alias_chain(folder: Path) -> Path:
    """Each anchor a list holding the previous alias: quadratic once expanded."""
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 10_000)]
    path = folder / "alias-chain.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _many_anchors(folder: Path) -> Path:
    path = folder / "many-anchors.yaml"
    path.write_text("".join(f"k{i}: &a{i} v\n" for i in range(300_000)))
    return path


def _long_path(folder: Path) -> Path:
    return folder / ("x" * 300 + ".yaml")


GENERATED: list[tuple[Callable[[Path], Path], int, str]] = [
    (_sparse_50mb, 1, "1:1: error: file is 52,428,800 bytes; decks are limited to 8,388,608"),
    (_text_50mb, 1, "1:1: error: file is 52,4"),
    (_tiny_items, 1, "249997:3: error: more than 250,000 values"),
    (_tiny_flow_items, 1, "2:499999: error: more than 250,000 values"),
    (_unknown_keys, 1, "125000:11: error: more than 250,000 values"),
    (
        _broken_cards,
        1,
        "4:18: error: unknown key `choises` in a choice card; did you mean `choices`?",
    ),
    (_large_deck_one_error, 1, "34004:38: error: unknown key `oops` in a typed card"),
    (_long_line, 1, "1:1: error: the deck is missing `cards`"),
    (_flow_nesting, 1, "2:1007: error: YAML syntax: exceeded maximum nesting depth"),
    (_block_nesting, 1, "3:63: error: nested more than 32 levels deep: not a deck"),
    (_mapping_nesting, 1, "2:132: error: nested more than 32 levels deep: not a deck"),
    (_alias_chain, 1, "16:6: error: more than 250,000 values"),
    (_many_anchors, 1, "125000:10: error: more than 250,000 values"),
    (_long_path, 2, "1:1: error: cannot read: File name too long"),
]


@pytest.mark.parametrize(
    ("make", "code", "expected"), GENERATED, ids=lambda v: getattr(v, "__name__", "")
)
def test_each_generated_input_gets_a_located_error_in_bounded_time_and_memory(
    make: Callable[[Path], Path], code: int, expected: str, tmp_path: Path, figures: Counter[str]
):
    path = make(tmp_path)
    proc, seconds = validate(path)
    figures["hostile inputs tried"] += 1
    assert_located(proc, seconds, make.__name__)
    assert proc.returncode == code
    assert proc.stdout.splitlines()[0].startswith(f"{path}:{expected}"), proc.stdout[:300]


def test_error_output_is_capped(tmp_path: Path):
    """Thousands of problems stop at a hundred, with a last line saying checking stopped."""
    proc, _ = validate(_broken_cards(tmp_path))
    lines = proc.stdout.splitlines()
    assert len(lines) == 101
    assert lines[-1].endswith("error: checking stopped here after 100 problems: fix these first")


def test_a_hostile_deck_folder_terminates_with_a_line_per_unreadable_file(
    tmp_path: Path, figures: Counter[str]
):
    """Symlink loops (a folder linking to itself, a file linking to itself, two files linking to
    each other), a dangling link, a named pipe with no writer, a link to an endless device and a
    folder named like a deck: ``validate FOLDER`` walks it all, reports each unreadable file,
    checks the good deck, and ends (2: some paths could not be read)."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "loop").symlink_to(folder)
    (folder / "self.yaml").symlink_to(folder / "self.yaml")
    (folder / "a.yaml").symlink_to(folder / "b.yaml")
    (folder / "b.yaml").symlink_to(folder / "a.yaml")
    (folder / "gone.yaml").symlink_to(folder / "missing.yaml")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "dir.yaml").mkdir()
    (folder / "dir.yaml" / "inner.yml").write_text("id: inner\ntitle: I\ncards: []\n")
    (folder / "good.yaml").write_text("id: good\ntitle: G\ncards:\n  - {prompt: P, answer: x}\n")
    proc, seconds = validate(folder)
    figures["hostile inputs tried"] += 8
    assert_located(proc, seconds, "hostile folder")
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        f"{folder}/a.yaml:1:1: error: cannot read: Too many levels of symbolic links",
        f"{folder}/b.yaml:1:1: error: cannot read: Too many levels of symbolic links",
        f"{folder}/gone.yaml:1:1: error: cannot read: No such file or directory",
        f"{folder}/self.yaml:1:1: error: cannot read: Too many levels of symbolic links",
        f"{folder}/dir.yaml/inner.yml:3:8: error: `cards` needs at least 1 cards, found 0",
    ]
    assert proc.stderr == "drill: 5 problems in 5 of 6 deck files\n"


def test_an_endless_device_named_as_a_deck_is_refused():
    """Named on the command line, an endless device is refused by what it is, unread."""
    proc, seconds = validate("/dev/zero")
    assert_located(proc, seconds, "/dev/zero")
    assert proc.returncode == 2
    assert (
        proc.stdout == "/dev/zero:1:1: error: cannot read: a character device, not a regular file\n"
    )


@pytest.mark.parametrize("command", ["validate", "run --headless", "run (TUI)"])
def test_a_named_pipe_named_as_a_deck_is_refused_without_waiting_for_a_writer(
    command: str, tmp_path: Path, figures: Counter[str]
):
    """SPEC 5: a deck path must be a regular file. Opening a FIFO with no writer for reading
    waits forever: each command once hung here."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    args = {"validate": ["validate"], "run --headless": ["run", "--headless"], "run (TUI)": ["run"]}
    proc = subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", str(tmp_path / "home"), *args[command],
         str(fifo)],
        capture_output=True, text=True, encoding="utf-8", env=clean_env(), cwd=REPO, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    said = proc.stdout if command == "validate" else proc.stderr
    assert "a named pipe, not a regular file" in said and str(fifo) in said, said
    assert "Traceback" not in proc.stderr
    figures["hostile inputs tried"] += 1


def test_an_answers_file_may_still_be_a_pipe(tmp_path: Path):
    """``--answers <(...)`` and ``--answers /dev/stdin`` are pipes, and stay allowed."""
    deck = tmp_path / "d.yaml"
    deck.write_text("id: d\ntitle: D\ncards:\n  - {id: t, prompt: P, answer: x}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "drill", "run", str(deck), "--headless", "--no-save",
         "--answers", "/dev/stdin"],
        input="t: x\n", capture_output=True, text=True, encoding="utf-8", env=clean_env(),
        cwd=REPO, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1])["correct"] == 1


SECRET = "root:$6$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:19000:0:99999:7:::"


@pytest.fixture
def linked_out(tmp_path: Path) -> Path:
    """A deck folder holding a good deck, a link to a deck beside it (inside the folder) and
    links to files outside it: a secret-looking file, and a real deck."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "shadow"
    secret.write_text("".join(f"{SECRET.replace('root', f'user{i}')}: x\n" for i in range(5)))
    stray = outside / "stray.yaml"
    stray.write_text("id: stray\ntitle: S\ncards:\n  - {prompt: P, answer: x}\n")
    folder = tmp_path / "decks"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.yaml").write_text("id: good\ntitle: G\ncards:\n  - {prompt: P, answer: x}\n")
    (folder / "sub" / "alias.yaml").symlink_to("../good.yaml")
    (folder / "x.yaml").symlink_to(secret)
    (folder / "sub" / "up.yaml").symlink_to("../../outside/stray.yaml")
    return folder


def test_a_deck_folder_s_links_that_lead_outside_it_are_not_followed(linked_out: Path):
    """SPEC 5: ``validate`` and ``decks`` over the folder read the good deck and the link
    inside it, and neither file outside: nothing of the secret is printed."""
    proc, _ = validate(linked_out)
    assert "user" not in proc.stdout + proc.stderr and "stray" not in proc.stdout
    assert proc.returncode == 1  # the alias repeats the deck id of good.yaml
    assert proc.stdout.splitlines() == [
        f"{linked_out}/sub/alias.yaml:1:1: error: deck id `good` is also the id of"
        f" {linked_out}/good.yaml"
    ]
    listed = subprocess.run(
        [sys.executable, "-m", "drill", "--data-dir", str(linked_out.parent / "home"), "decks",
         "--json"],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=60,
        env=clean_env(DRILL_DECKS=str(linked_out)),
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    paths = {e["path"] for e in json.loads(listed.stdout)}
    assert f"{linked_out}/good.yaml" in paths
    assert f"{linked_out}/sub/alias.yaml is hidden by" in listed.stderr  # read, same deck id
    assert not any(p.endswith(("x.yaml", "up.yaml")) for p in paths), paths
    assert "user" not in listed.stdout + listed.stderr


def test_a_secret_file_named_as_a_deck_is_quoted_only_in_short_excerpts(tmp_path: Path):
    """Named on the command line, a file is read (the user asked), but a message quotes at
    most a short excerpt of a key: never a whole line of it."""
    secret = tmp_path / "shadow"
    secret.write_text(f"{SECRET}: x\nid: d\n")
    proc, _ = validate(secret)
    assert proc.returncode == 1
    assert SECRET[:30] not in proc.stdout, proc.stdout
    assert "unknown key `root:$6$salt$AAAAAAAAAA…`" in proc.stdout, proc.stdout
