"""Decks: the YAML format, its loader with positions, discovery and the load cache."""
