"""Experiments: hyper-parameter search, learning-curve diagnosis and model explanations.

Qt-free like the rest of ``app.core``; the experiments view and the CLI's ``search``
command are thin doors onto these functions.
"""
