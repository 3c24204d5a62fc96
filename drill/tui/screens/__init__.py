"""Screens of the TUI, one per module; each is imported only when first shown."""
