"""Errors of the fine-tuning package, each with a message a user can act on."""

from app.core.errors import ModelwrightError


class BaseModelError(ModelwrightError):
    """A pretrained base cannot be used: missing, incomplete, damaged or unsafe files."""


class FinetuneError(ModelwrightError):
    """A fine-tuning setting or combination that cannot work (strategy, data, template)."""
