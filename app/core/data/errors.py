"""Errors about the user's data: each message names the file, the place and what to do."""

from __future__ import annotations

from app.core.errors import ModelwrightError


class DataError(ModelwrightError):
    """The data cannot be read or prepared as configured; the message says where and why."""


class DataConfigError(DataError):
    """The project's ``"data"`` section is malformed (a wrong key, value or combination)."""
