"""drill: timed terminal drills with spaced repetition for call-centre staff.

The package is split so that what needs no screen never pays for one: ``drill.deck``,
``drill.grading``, ``drill.scheduling``, ``drill.store`` and ``drill.session`` are the core and
never import Textual; ``drill.headless`` and ``drill.tui`` are two thin front ends over
``drill.session``; ``drill.cli`` only parses arguments and dispatches.
"""

__version__ = "0.1.0"
