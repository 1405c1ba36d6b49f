"""Layer names and parameter labels from the registry, in the window's language.

The layer registry (:mod:`app.core.graph.registry`) is Qt-free and speaks English; its display names and
parameter labels are listed here for ``lupdate`` (context ``CoreText``, like :mod:`app.ui.core_texts`) so node
titles, node bodies and the summary table read in the window's language. A test checks every registered
name is listed.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.ui.core_texts import core_text

LAYER_NAMES = (
    QT_TRANSLATE_NOOP("CoreText", 'Input'),
    QT_TRANSLATE_NOOP("CoreText", 'Output'),
    QT_TRANSLATE_NOOP("CoreText", 'Dense (Linear)'),
    QT_TRANSLATE_NOOP("CoreText", 'Dropout'),
    QT_TRANSLATE_NOOP("CoreText", 'Flatten'),
    QT_TRANSLATE_NOOP("CoreText", 'Reshape'),
    QT_TRANSLATE_NOOP("CoreText", 'Conv1d'),
    QT_TRANSLATE_NOOP("CoreText", 'Conv2d'),
    QT_TRANSLATE_NOOP("CoreText", 'ConvTranspose2d'),
    QT_TRANSLATE_NOOP("CoreText", 'MaxPool1d'),
    QT_TRANSLATE_NOOP("CoreText", 'MaxPool2d'),
    QT_TRANSLATE_NOOP("CoreText", 'AvgPool2d'),
    QT_TRANSLATE_NOOP("CoreText", 'AdaptiveAvgPool2d'),
    QT_TRANSLATE_NOOP("CoreText", 'GlobalAvgPool'),
    QT_TRANSLATE_NOOP("CoreText", 'BatchNorm1d'),
    QT_TRANSLATE_NOOP("CoreText", 'BatchNorm2d'),
    QT_TRANSLATE_NOOP("CoreText", 'LayerNorm'),
    QT_TRANSLATE_NOOP("CoreText", 'ReLU'),
    QT_TRANSLATE_NOOP("CoreText", 'SiLU'),
    QT_TRANSLATE_NOOP("CoreText", 'Tanh'),
    QT_TRANSLATE_NOOP("CoreText", 'Sigmoid'),
    QT_TRANSLATE_NOOP("CoreText", 'LeakyReLU'),
    QT_TRANSLATE_NOOP("CoreText", 'GELU'),
    QT_TRANSLATE_NOOP("CoreText", 'Softmax'),
    QT_TRANSLATE_NOOP("CoreText", 'Embedding'),
    QT_TRANSLATE_NOOP("CoreText", 'Positional embedding (learned)'),
    QT_TRANSLATE_NOOP("CoreText", 'Positional encoding (sinusoidal)'),
    QT_TRANSLATE_NOOP("CoreText", 'LSTM'),
    QT_TRANSLATE_NOOP("CoreText", 'GRU'),
    QT_TRANSLATE_NOOP("CoreText", 'Multi-head self-attention'),
    QT_TRANSLATE_NOOP("CoreText", 'Transformer encoder layer'),
    QT_TRANSLATE_NOOP("CoreText", 'GPT decoder block'),
    QT_TRANSLATE_NOOP("CoreText", 'Sequence pooling'),
    QT_TRANSLATE_NOOP("CoreText", 'Add'),
    QT_TRANSLATE_NOOP("CoreText", 'Multiply'),
    QT_TRANSLATE_NOOP("CoreText", 'Concatenate'),
    QT_TRANSLATE_NOOP("CoreText", 'Classification head'),
    QT_TRANSLATE_NOOP("CoreText", 'LM head'),
    QT_TRANSLATE_NOOP("CoreText", 'Pretrained text encoder'),
    QT_TRANSLATE_NOOP("CoreText", 'Pretrained causal LM'),
)

PARAM_LABELS = (
    QT_TRANSLATE_NOOP("CoreText", 'Kind'),
    QT_TRANSLATE_NOOP("CoreText", 'Shape'),
    QT_TRANSLATE_NOOP("CoreText", 'Vocab size'),
    QT_TRANSLATE_NOOP("CoreText", 'Out features'),
    QT_TRANSLATE_NOOP("CoreText", 'Bias'),
    QT_TRANSLATE_NOOP("CoreText", 'Activation'),
    QT_TRANSLATE_NOOP("CoreText", 'P'),
    QT_TRANSLATE_NOOP("CoreText", 'Out channels'),
    QT_TRANSLATE_NOOP("CoreText", 'Kernel size'),
    QT_TRANSLATE_NOOP("CoreText", 'Stride'),
    QT_TRANSLATE_NOOP("CoreText", 'Padding'),
    QT_TRANSLATE_NOOP("CoreText", 'Dilation'),
    QT_TRANSLATE_NOOP("CoreText", 'Output padding'),
    QT_TRANSLATE_NOOP("CoreText", 'Output size'),
    QT_TRANSLATE_NOOP("CoreText", 'Eps'),
    QT_TRANSLATE_NOOP("CoreText", 'Momentum'),
    QT_TRANSLATE_NOOP("CoreText", 'Affine'),
    QT_TRANSLATE_NOOP("CoreText", 'Negative slope'),
    QT_TRANSLATE_NOOP("CoreText", 'Approximate'),
    QT_TRANSLATE_NOOP("CoreText", 'Dim'),
    QT_TRANSLATE_NOOP("CoreText", 'Num embeddings'),
    QT_TRANSLATE_NOOP("CoreText", 'Embedding dim'),
    QT_TRANSLATE_NOOP("CoreText", 'Max len'),
    QT_TRANSLATE_NOOP("CoreText", 'Hidden size'),
    QT_TRANSLATE_NOOP("CoreText", 'Num layers'),
    QT_TRANSLATE_NOOP("CoreText", 'Bidirectional'),
    QT_TRANSLATE_NOOP("CoreText", 'Return sequences'),
    QT_TRANSLATE_NOOP("CoreText", 'Dropout'),
    QT_TRANSLATE_NOOP("CoreText", 'Num heads'),
    QT_TRANSLATE_NOOP("CoreText", 'Causal'),
    QT_TRANSLATE_NOOP("CoreText", 'Nhead'),
    QT_TRANSLATE_NOOP("CoreText", 'Dim feedforward'),
    QT_TRANSLATE_NOOP("CoreText", 'Norm first'),
    QT_TRANSLATE_NOOP("CoreText", 'N head'),
    QT_TRANSLATE_NOOP("CoreText", 'Mlp ratio'),
    QT_TRANSLATE_NOOP("CoreText", 'Mode'),
    QT_TRANSLATE_NOOP("CoreText", 'Num classes'),
    QT_TRANSLATE_NOOP("CoreText", 'Tie to'),
    QT_TRANSLATE_NOOP("CoreText", 'Base'),
    QT_TRANSLATE_NOOP("CoreText", 'Strategy'),
    QT_TRANSLATE_NOOP("CoreText", 'Freeze blocks'),
    QT_TRANSLATE_NOOP("CoreText", 'Lr scale'),
    QT_TRANSLATE_NOOP("CoreText", 'Lr decay'),
    QT_TRANSLATE_NOOP("CoreText", 'Unfreeze every'),
    QT_TRANSLATE_NOOP("CoreText", 'Lora rank'),
    QT_TRANSLATE_NOOP("CoreText", 'Lora alpha'),
    QT_TRANSLATE_NOOP("CoreText", 'Lora dropout'),
    QT_TRANSLATE_NOOP("CoreText", 'Target modules'),
    QT_TRANSLATE_NOOP("CoreText", 'Gradient checkpointing'),
    QT_TRANSLATE_NOOP("CoreText", 'Pooling'),
)

ALL = frozenset(LAYER_NAMES + PARAM_LABELS)


def layer_name(spec) -> str:
    """The layer type's display name in the window's language."""
    return core_text(spec.display_name)


def param_label(param) -> str:
    """A parameter's label in the window's language."""
    return core_text(param.display_name)


def short_param_label(param) -> str:
    """The label as a node body writes it: lower case in English ("out features"), as translated otherwise."""
    label = param_label(param)
    return label.lower() if label == param.display_name else label
