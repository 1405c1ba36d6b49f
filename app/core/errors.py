"""The base of every error a user is meant to read.

Core code raises subclasses of :class:`ModelwrightError` with a message written for the
person using the app (what is wrong and, where possible, what to do). The CLI prints the
message on one line and exits 1; the GUI shows it in a dialog. Anything else is a bug and
gets a traceback.
"""


class ModelwrightError(Exception):
    """An error whose message is meant for the user."""
