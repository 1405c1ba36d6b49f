"""Words the Qt-free core hands to the window, translated on the window's side.

The core speaks English and never imports Qt, so the names it gives for layer categories,
export formats, templates, tasks and run statuses are listed here for ``lupdate`` (context ``CoreText``) and looked up
with :func:`core_text` where a view shows them. A text missing from the list is shown as the
core wrote it; a test lists the core's names so a new one is noticed. Error messages from
the core stay English.

Example::

    label.setText(core_text(spec.category))      # "Convolution" -> "卷积" in Chinese
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "CoreText"

LAYER_CATEGORIES = (
    QT_TRANSLATE_NOOP("CoreText", "Input/Output"), QT_TRANSLATE_NOOP("CoreText", "Core"),
    QT_TRANSLATE_NOOP("CoreText", "Convolution"), QT_TRANSLATE_NOOP("CoreText", "Pooling"),
    QT_TRANSLATE_NOOP("CoreText", "Normalization"), QT_TRANSLATE_NOOP("CoreText", "Activation"),
    QT_TRANSLATE_NOOP("CoreText", "Embedding"), QT_TRANSLATE_NOOP("CoreText", "Recurrent"),
    QT_TRANSLATE_NOOP("CoreText", "Attention"), QT_TRANSLATE_NOOP("CoreText", "Merge"),
    QT_TRANSLATE_NOOP("CoreText", "Sequence"), QT_TRANSLATE_NOOP("CoreText", "Heads"),
    QT_TRANSLATE_NOOP("CoreText", "Pretrained"),
)

TASKS = (
    QT_TRANSLATE_NOOP("CoreText", "binary"), QT_TRANSLATE_NOOP("CoreText", "classification"),
    QT_TRANSLATE_NOOP("CoreText", "regression"), QT_TRANSLATE_NOOP("CoreText", "language-model"),
)

EXPORT_FORMATS = (
    QT_TRANSLATE_NOOP("CoreText", "PyTorch code"),
    QT_TRANSLATE_NOOP("CoreText", "A readable model.py (an nn.Module with the preprocessing constants) and model.safetensors."),
    QT_TRANSLATE_NOOP("CoreText", "TorchScript"),
    QT_TRANSLATE_NOOP("CoreText", "model.pt: loads with torch.jit.load in any PyTorch program (C++ too), no model code needed."),
    QT_TRANSLATE_NOOP("CoreText", "ONNX"),
    QT_TRANSLATE_NOOP("CoreText", "model.onnx for onnxruntime, TensorRT, OpenVINO, web and mobile runtimes (checked with onnxruntime)."),
    QT_TRANSLATE_NOOP("CoreText", "safetensors + architecture"),
    QT_TRANSLATE_NOOP("CoreText", "model.safetensors (weights only, safe to load) and architecture.json (the network as JSON)."),
    QT_TRANSLATE_NOOP("CoreText", "Hugging Face folder"),
    QT_TRANSLATE_NOOP("CoreText", "For fine-tuned Hugging Face models: a folder that transformers loads (from_pretrained)."),
    QT_TRANSLATE_NOOP("CoreText", "torchrun training bundle"),
    QT_TRANSLATE_NOOP("CoreText", "project, data reference, launch.sh and the Modelwright core: train on several GPUs or machines with torchrun (DistributedDataParallel)."),
    QT_TRANSLATE_NOOP("CoreText", "LoRA adapter (peft)"),
    QT_TRANSLATE_NOOP("CoreText", "For LoRA fine-tuned language models: the adapter alone, loaded on the base with peft."),
    QT_TRANSLATE_NOOP("CoreText", "GGUF (llama.cpp, Ollama)"),
    QT_TRANSLATE_NOOP("CoreText", "For language models fine-tuned from a Llama-family base: one GGUF file and an Ollama Modelfile."),
)

TEMPLATES = (
    QT_TRANSLATE_NOOP("CoreText", "The classic first Keras network: 2 inputs -> Dense(3, relu) -> Dense(1, sigmoid)."),
    QT_TRANSLATE_NOOP("CoreText", "Tables: two hidden Dense layers with ReLU and Dropout, then classes (values: one hidden layer)."),
    QT_TRANSLATE_NOOP("CoreText", "Images: Conv-BatchNorm-ReLU-Pool blocks, global average pooling, then classes."),
    QT_TRANSLATE_NOOP("CoreText", "Labelled text: token Embedding -> LSTM (last state) -> classes."),
    QT_TRANSLATE_NOOP("CoreText", "Labelled text: Embedding + positions -> 2 Transformer encoder layers -> mean pooling -> classes."),
    QT_TRANSLATE_NOOP("CoreText", "Text generation: a small GPT (4 causal decoder blocks, 128 wide) with a tied LM head."),
    QT_TRANSLATE_NOOP("CoreText", "Labelled text on a pretrained encoder (bundled MiniLM or a Hugging Face folder): mean pooling -> classes or values."),
    QT_TRANSLATE_NOOP("CoreText", "Text generation: continue a pretrained GPT-style model (a Hugging Face folder) on your text."),
    QT_TRANSLATE_NOOP("CoreText", "Chat: teach a pretrained causal language model (Llama, Qwen2 ... folder) to answer, from Alpaca, ShareGPT or messages data, with LoRA."),
)

RUN_STATUSES = (  # summary.json's status word
    QT_TRANSLATE_NOOP("CoreText", "completed"), QT_TRANSLATE_NOOP("CoreText", "stopped"),
    QT_TRANSLATE_NOOP("CoreText", "failed"), QT_TRANSLATE_NOOP("CoreText", "running"),
    QT_TRANSLATE_NOOP("CoreText", "started"),
)

ALL = frozenset(LAYER_CATEGORIES + TASKS + EXPORT_FORMATS + TEMPLATES + RUN_STATUSES)


def core_text(text: str) -> str:
    """``text`` in the window's language (unchanged when it has no translation)."""
    return QCoreApplication.translate(CONTEXT, text) if text else text
