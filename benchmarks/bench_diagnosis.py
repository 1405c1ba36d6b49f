"""The learning-curve diagnosis against its labelled corpus: precision and recall per finding
and the confusion table (see benchmarks/diagnosis_confusion.py)."""

from benchmarks.diagnosis_confusion import main

__all__ = ["main"]
