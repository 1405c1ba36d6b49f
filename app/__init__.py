"""Modelwright: build, train, fine-tune and export deep-learning models without code."""

__version__ = "0.1.0"
