"""Adversarial tests of SPEC sections 1, 4 and 5: crashes, concurrency, refusals, hostile decks,
fuzzing and upgrades (issue 6). Shared helpers live in ``harness``."""
