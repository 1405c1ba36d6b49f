"""Reliability tests reuse the GUI fixtures (isolated settings, dialogs collected, not shown)."""

from tests.ui.conftest import crashes, iris_csv, iris_project, messages, settings, window  # noqa: F401
