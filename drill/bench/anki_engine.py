"""Run by the benchmark in a child process: Anki's engine answering new cards Good.

``python -m drill.bench.anki_engine prepare N FOLDER`` makes a collection in FOLDER with N basic
notes, FSRS on and the v3 scheduler (as drill's benchmark writes its deck file beforehand).
``python -m drill.bench.anki_engine answer N FOLDER`` opens it, fetches N cards from its queue
and answers each Good, each answer its own committed operation (Anki's storage is SQLite in WAL
mode with ``synchronous=FULL``, checked here), and closes it: the benchmark times this process
from start to exit, as it times ``drill run --headless``. Prints one JSON line: answers,
seconds of the answering loop alone, peak memory and the storage settings seen. Exits with
``NOT_AVAILABLE`` when the ``anki`` package is missing.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from drill.bench.peak import peak_mb

NOT_AVAILABLE = 3


def prepare(count: int, folder: Path) -> None:
    from anki.collection import Collection  # first: anki.cards alone is a circular import

    col = Collection(str(folder / "collection.anki2"))
    col.set_config("fsrs", True)
    notetype = col.models.by_name("Basic")
    deck_id = col.decks.id("Benchmark")
    assert notetype is not None and deck_id is not None
    for n in range(count):
        note = col.new_note(notetype)
        note["Front"], note["Back"] = f"Question {n}", "Answer"
        col.add_note(note, deck_id)
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["new"]["perDay"] = config["rev"]["perDay"] = count  # new cards count against both
    col.decks.save(config)
    col.decks.select(deck_id)
    col.close()


def answer(count: int, folder: Path) -> dict[str, object]:
    from anki.cards import Card
    from anki.collection import Collection  # first: anki.cards alone is a circular import
    from anki.scheduler.v3 import CardAnswer, Scheduler

    col = Collection(str(folder / "collection.anki2"))
    db, sched = col.db, col.sched
    assert db is not None and isinstance(sched, Scheduler)
    settings = {
        "synchronous": db.scalar("PRAGMA synchronous"),
        "journal_mode": db.scalar("PRAGMA journal_mode"),
        "v3": col.v3_scheduler(),
        "fsrs": col.get_config("fsrs"),
    }
    start = time.perf_counter()
    answered = 0
    while answered < count:
        queued = sched.get_queued_cards().cards
        if not queued:
            break
        card = Card(col)
        card._load_from_backend_card(queued[0].card)
        card.start_timer()
        reply = sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.GOOD)
        sched.answer_card(reply)
        answered += 1
    seconds = time.perf_counter() - start
    reviews = db.scalar("SELECT count() FROM revlog")
    col.close()
    return {"answers": answered, "reviews": reviews, "seconds": seconds, "peak_mb": peak_mb(),
            **settings}  # fmt: skip


def main() -> int:
    mode, count, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    try:
        import anki.collection  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name != "anki":
            raise
        print("anki is not installed: pip install -e '.[bench]'")
        return NOT_AVAILABLE
    if mode == "prepare":
        prepare(count, folder)
    else:
        print(json.dumps(answer(count, folder)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
