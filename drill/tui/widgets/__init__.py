"""Widgets of the TUI, one per module; each answer widget turns input into a ``Response``."""
