"""Allows ``python -m drill`` where the ``drill`` script is not on PATH."""

from drill.cli import run

run()
