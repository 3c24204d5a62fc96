"""Run by the benchmark in a child process: Anki's engine answering new cards Good.

``python -m drill.bench.anki_engine N FOLDER``: a new collection in FOLDER with N basic notes,
FSRS on, the v3 scheduler, then N cards fetched from its queue and answered Good, each answer
its own committed operation (Anki's storage is SQLite in WAL mode with ``synchronous=FULL``,
checked here). Prints one JSON line: answers, seconds of the answering loop alone, and the
storage settings seen. Exits with ``NOT_AVAILABLE`` when the ``anki`` package is missing.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from drill.bench.peak import peak_mb

NOT_AVAILABLE = 3


def main() -> int:
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    try:
        from anki.collection import Collection  # first: anki.cards alone is a circular import
    except ModuleNotFoundError as exc:
        if exc.name != "anki":
            raise
        print("anki is not installed: pip install 'drill[bench]'")
        return NOT_AVAILABLE
    from anki.cards import Card
    from anki.scheduler.v3 import CardAnswer

    col = Collection(str(folder / "collection.anki2"))
    settings = {
        "synchronous": col.db.scalar("PRAGMA synchronous"),
        "journal_mode": col.db.scalar("PRAGMA journal_mode"),
        "v3": col.v3_scheduler(),
    }
    col.set_config("fsrs", True)
    notetype = col.models.by_name("Basic")
    deck_id = col.decks.id("Benchmark")
    for n in range(count):
        note = col.new_note(notetype)
        note["Front"], note["Back"] = f"Question {n}", "Answer"
        col.add_note(note, deck_id)
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["new"]["perDay"] = config["rev"]["perDay"] = count  # new cards count against both
    col.decks.save(config)
    col.decks.select(deck_id)
    settings["fsrs"] = col.get_config("fsrs")

    start = time.perf_counter()
    answered = 0
    while answered < count:
        queued = col.sched.get_queued_cards().cards
        if not queued:
            break
        card = Card(col)
        card._load_from_backend_card(queued[0].card)
        card.start_timer()
        answer = col.sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.GOOD)
        col.sched.answer_card(answer)
        answered += 1
    seconds = time.perf_counter() - start
    reviews = col.db.scalar("SELECT count() FROM revlog")
    col.close()
    report = {"answers": answered, "reviews": reviews, "seconds": seconds, "peak_mb": peak_mb()}
    print(json.dumps({**report, **settings}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
