"""CSV export looks at rows in batches for cells a spreadsheet would run (SPEC 5): whichever
batch such a cell falls in, and whichever free-text column holds it, it is defused, and no
other cell changes."""

from __future__ import annotations

import csv
import io

import pytest

from drill.commands.export import COLUMNS, write_csv
from drill.store.records import ExportRow


def row(n: int, card: str = "card", answer: str = "fine", learner: str = "陈静") -> ExportRow:
    return ExportRow(
        f"s{n}", "deck", card, "2026-11-29T09:00:00.000Z", 1, "good", 900, answer, learner, 0,
        "typed",
    )  # fmt: skip


def exported(rows: list[ExportRow]) -> list[dict[str, str]]:
    out = io.StringIO()
    write_csv(iter(rows), out)
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))


@pytest.mark.parametrize("at", [0, 2047, 2048, 5000, 9999])
@pytest.mark.parametrize("column", ["card", "answer", "learner"])
def test_a_formula_cell_is_defused_in_whichever_batch_and_column_it_falls(at: int, column: str):
    rows = [row(n) for n in range(10_000)]
    rows[at] = rows[at]._replace(**{column: "=1+1"})
    written = exported(rows)
    assert list(written[0]) == list(COLUMNS)
    assert written[at][column] == "'=1+1"
    assert all(r == dict(zip(COLUMNS, map(str, rows[n][:10]), strict=True))
               for n, r in enumerate(written) if n != at)  # fmt: skip


def test_plain_numbers_and_a_breathing_answer_without_text_pass_as_they_are():
    rows = [row(1, answer="-5"), row(2, answer="+1.5e3"), row(3)._replace(answer=None)]
    written = exported(rows)  # type: ignore[arg-type]
    assert [r["answer"] for r in written] == ["-5", "+1.5e3", ""]
