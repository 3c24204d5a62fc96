"""The Textual front end: deck list, card screens, feedback, summary, stats, breathing pacer.

A thin adapter over ``drill.session.Session``: screens turn key presses into ``Response``
values and draw the ``Result`` that the session returns, so a session here shows the same cards
in the same order and grades them the same way as ``--headless``. Only ``drill.tui.launch``
is imported from outside, and only by the three commands that open a screen, so the rest of
drill never pays for Textual.
"""
