"""Trainers' formats (SPEC 10): question banks in (GIFT, Moodle XML) and results out (xAPI).

Part of the core: nothing here knows the command line, Textual or Rich. The readers turn a file
into the shared question model of ``drill.interchange.model``, each question and answer with the
line and column it came from, so every warning and error names its place; ``deck_writer`` turns
those questions into deck YAML that ``drill validate`` accepts; ``xapi`` builds statements from
recorded answers as pure functions.
"""
