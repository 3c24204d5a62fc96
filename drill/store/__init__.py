"""The SQLite store: opening it safely, recording answers durably, reading progress back."""

from drill.store.store import AnswerRecord, Review, Store

__all__ = ["AnswerRecord", "Review", "Store"]
