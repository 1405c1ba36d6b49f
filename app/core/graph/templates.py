"""Ready-made networks sized to the user's data, with training settings that suit them.

A template decides the network's shape; the :class:`~app.core.data.info.DataInfo` decides
its sizes (input width, image size, classes, vocabulary, sequence length). Node positions run
top to bottom so the designer canvas shows a tidy column.

Example::

    info = DataInfo("vector", (4,), "classification", 3, class_names=("a", "b", "c"))
    graph = build_template_graph("mlp", info, hidden=[32, 32])
    training = template_training_defaults("mlp", info)     # a TrainConfig dict
"""

from __future__ import annotations

from typing import Any, Callable

from app.core.data.info import DataInfo
from app.core.errors import ModelwrightError
from app.core.graph.graph import Graph

ROW = 90.0  # vertical distance between nodes on the canvas


class TemplateError(ModelwrightError):
    """A template cannot be built for this data or with these options."""


class _Column:
    """Adds nodes one under the other, each fed by the previous one."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.last: str | None = None
        self.row = 0

    def add(self, type_id: str, params: dict | None = None, id: str | None = None) -> str:
        node = self.graph.add_node(type_id, params, id=id, position=(0.0, self.row * ROW))
        self.row += 1
        if self.last is not None:
            self.graph.connect(self.last, node.id)
        self.last = node.id
        return node.id


def _input(col: _Column, info: DataInfo) -> None:
    params: dict[str, Any] = {"kind": info.input_kind, "shape": list(info.input_shape)}
    if info.input_kind == "tokens":
        params["vocab_size"] = _vocab(info)
    col.add("io.input", params, id="input")


def _vocab(info: DataInfo) -> int:
    if not info.vocab_size:
        raise TemplateError("This text data has no vocabulary size; prepare the data again.")
    return int(info.vocab_size)


def _head(col: _Column, info: DataInfo) -> None:
    """Classes -> one logit each (binary: one logit); regression -> one value per target."""
    if info.task in ("classification", "binary"):
        col.add("head.classifier", {"num_classes": 1 if info.task == "binary" else info.n_outputs})
    elif info.task == "regression":
        col.add("core.linear", {"out_features": info.n_outputs})
    else:
        raise TemplateError(
            "This template predicts a class or a value; for next-token text generation use the 'gpt' template."
        )
    col.add("io.output", id="output")


def _need(name: str, info: DataInfo, kind: str, what: str) -> None:
    if info.input_kind != kind:
        raise TemplateError(f"The '{name}' template needs {what}, but this data gives {info.input_kind} inputs.")


# --- the templates ---------------------------------------------------------------------------


def _keras_seed(info: DataInfo) -> Graph:
    _need("keras-seed", info, "vector", "a table of numbers")
    if info.task != "binary":
        raise TemplateError("The 'keras-seed' template is the classic yes/no example; for "
                            f"{info.task} data use the 'mlp' template.")
    col = _Column(Graph())
    _input(col, info)
    col.add("core.linear", {"out_features": 3, "activation": "relu"})
    col.add("core.linear", {"out_features": 1, "activation": "sigmoid"})
    col.add("io.output", id="output")
    return col.graph


#: The mlp template's hidden layers and dropout per task: values (regression) get one layer with
#: more dropout, which beats a linear model on small tables where two layers overfit
#: (benchmarks/regression_vs_ridge.py); classes get two.
MLP_SHAPE = {"regression": ((64,), 0.2)}
MLP_SHAPE_DEFAULT = ((64, 64), 0.1)


def _mlp(info: DataInfo, hidden: list[int] | None = None, dropout: float | None = None) -> Graph:
    _need("mlp", info, "vector", "a table of numbers")
    default_hidden, default_dropout = MLP_SHAPE.get(info.task, MLP_SHAPE_DEFAULT)
    hidden = default_hidden if hidden is None else hidden
    dropout = default_dropout if dropout is None else dropout
    col = _Column(Graph())
    _input(col, info)
    for width in hidden:
        col.add("core.linear", {"out_features": int(width), "activation": "relu"})
        if dropout > 0:
            col.add("core.dropout", {"p": dropout})
    _head(col, info)
    return col.graph


def _cnn(info: DataInfo, channels: list[int] | None = None, dropout: float = 0.2) -> Graph:
    _need("cnn", info, "image", "images")
    _, h, w = info.input_shape
    if channels is None:
        channels = [32, 64, 128] if min(h, w) >= 16 else [32, 64]
    col = _Column(Graph())
    _input(col, info)
    size = min(h, w)
    for ch in channels:
        col.add("conv.conv2d", {"out_channels": int(ch), "kernel_size": 3, "padding": 1, "bias": False})
        col.add("norm.batch_norm2d")
        col.add("act.relu")
        if size >= 2:
            col.add("pool.max_pool2d", {"kernel_size": 2, "stride": 2})
            size //= 2
    col.add("pool.global_avg_pool2d")
    if dropout > 0:
        col.add("core.dropout", {"p": dropout})
    _head(col, info)
    return col.graph


def _lstm_text(info: DataInfo, embedding_dim: int = 64, hidden_size: int = 128,
               bidirectional: bool = False, dropout: float = 0.2) -> Graph:
    _need("lstm-text", info, "tokens", "text")
    col = _Column(Graph())
    _input(col, info)
    col.add("embed.embedding", {"num_embeddings": _vocab(info), "embedding_dim": embedding_dim})
    col.add("rnn.lstm", {"hidden_size": hidden_size, "bidirectional": bool(bidirectional)})
    if dropout > 0:
        col.add("core.dropout", {"p": dropout})
    _head(col, info)
    return col.graph


def _transformer_text(info: DataInfo, d_model: int = 64, n_layer: int = 2, n_head: int = 4,
                      dim_feedforward: int = 128, dropout: float = 0.1, pooling: str = "mean") -> Graph:
    _need("transformer-text", info, "tokens", "text")
    if pooling not in ("mean", "first", "max", "last"):
        raise TemplateError(f"Option 'pooling' must be mean, first, max or last, not {pooling!r}.")
    col = _Column(Graph())
    _input(col, info)
    col.add("embed.embedding", {"num_embeddings": _vocab(info), "embedding_dim": d_model})
    col.add("embed.positional", {"max_len": info.input_shape[0]})
    if dropout > 0:
        col.add("core.dropout", {"p": dropout})
    for _ in range(n_layer):
        col.add("attn.transformer_encoder_layer", {"nhead": n_head, "dim_feedforward": dim_feedforward,
                                                   "dropout": dropout, "norm_first": True})
    col.add("norm.layer_norm")
    col.add("seq.pool", {"mode": pooling})
    _head(col, info)
    return col.graph


def _gpt(info: DataInfo, n_layer: int = 4, n_embd: int = 128, n_head: int = 4, dropout: float = 0.1,
         block_size: int | None = None, bias: bool = True) -> Graph:
    _need("gpt", info, "tokens", "text")
    if info.task != "language-model":
        raise TemplateError("The 'gpt' template learns to continue text (language modelling); "
                            "for labelled text use 'transformer-text' or 'lstm-text'.")
    vocab = _vocab(info)
    seq_len = info.input_shape[0]
    col = _Column(Graph())
    _input(col, info)
    col.add("embed.embedding", {"num_embeddings": vocab, "embedding_dim": n_embd}, id="tok_emb")
    col.add("embed.positional", {"max_len": int(block_size or seq_len)}, id="pos_emb")
    if dropout > 0:
        col.add("core.dropout", {"p": dropout}, id="drop")
    for i in range(1, n_layer + 1):
        col.add("attn.gpt_block", {"n_head": n_head, "dropout": dropout, "bias": bool(bias)}, id=f"block_{i}")
    col.add("norm.layer_norm", id="ln_f")
    col.add("head.lm", {"vocab_size": vocab, "tie_to": "tok_emb", "bias": False}, id="lm_head")
    col.add("io.output", id="output")
    return col.graph


def _pretrained_params(info: DataInfo, base: str, strategy: str, options: dict) -> dict:
    from app.core.finetune.bases import inspect_base, resolve_reference
    from app.core.finetune.strategies import DEFAULT_LR_SCALE, STRATEGIES

    if strategy not in STRATEGIES:
        raise TemplateError(f"Option 'strategy' must be one of {', '.join(STRATEGIES)}, not {strategy!r}.")
    params = {"base": resolve_reference(base), "strategy": strategy}
    vocab = inspect_base(params["base"]).vocab_size
    if info.vocab_size != vocab:
        raise TemplateError(f"The text is split into {info.vocab_size} token ids, but the base knows {vocab}: a "
                            "pretrained base must read text with its own tokenizer. Create the project with the "
                            "fine-tuning wizard or 'new --template ... --base', which set that up.")
    if options.get("lr_scale") is None:
        options["lr_scale"] = DEFAULT_LR_SCALE[strategy]
    params.update(options)
    return params


def _finetune_text(info: DataInfo, base: str = "minilm", strategy: str = "full", pooling: str | None = None,
                   freeze_blocks: int = 0, lr_scale: float | None = None, lr_decay: float = 1.0,
                   unfreeze_every: int = 1, lora_rank: int = 8, lora_alpha: float = 16.0,
                   lora_dropout: float = 0.1, target_modules: str = "", gradient_checkpointing: bool = False,
                   dropout: float = 0.1) -> Graph:
    _need("finetune-text", info, "tokens", "text")
    if info.task == "language-model":
        raise TemplateError("The 'finetune-text' template classifies labelled text; to continue a language model "
                            "on a text file use 'finetune-lm'.")
    params = _pretrained_params(info, base, strategy, dict(
        pooling=pooling, freeze_blocks=freeze_blocks, lr_scale=lr_scale, lr_decay=lr_decay,
        unfreeze_every=unfreeze_every, lora_rank=lora_rank, lora_alpha=lora_alpha, lora_dropout=lora_dropout,
        target_modules=target_modules, gradient_checkpointing=gradient_checkpointing))
    if params["pooling"] is None:  # the base's native classification head when it has one (exports to hf)
        from app.core.finetune.native_head import default_pooling

        params["pooling"] = default_pooling(params["base"])
    col = _Column(Graph())
    _input(col, info)
    col.add("pretrained.text_encoder", params, id="encoder")
    if dropout > 0:
        col.add("core.dropout", {"p": dropout})
    _head(col, info)
    return col.graph


def _finetune_lm(info: DataInfo, base: str = "", strategy: str = "full", freeze_blocks: int = 0,
                 lr_scale: float | None = None, lr_decay: float = 1.0, unfreeze_every: int = 1,
                 lora_rank: int = 8, lora_alpha: float = 16.0, lora_dropout: float = 0.1,
                 target_modules: str = "", gradient_checkpointing: bool = False) -> Graph:
    _need("finetune-lm", info, "tokens", "text")
    if info.task != "language-model":
        raise TemplateError("The 'finetune-lm' template continues a language model on a plain text file; "
                            "for labelled text use 'finetune-text'.")
    if not base:
        raise TemplateError("The 'finetune-lm' template needs a GPT-style base: the folder of a Hugging Face "
                            "causal language model (option 'base').")
    return _causal_lm_graph(info, base, strategy, dict(
        freeze_blocks=freeze_blocks, lr_scale=lr_scale, lr_decay=lr_decay, unfreeze_every=unfreeze_every,
        lora_rank=lora_rank, lora_alpha=lora_alpha, lora_dropout=lora_dropout, target_modules=target_modules,
        gradient_checkpointing=gradient_checkpointing))


def _causal_lm_graph(info: DataInfo, base: str, strategy: str, options: dict) -> Graph:
    """Input -> a pretrained causal language model -> output: the graph of both LM fine-tuning templates."""
    col = _Column(Graph())
    _input(col, info)
    col.add("pretrained.causal_lm", _pretrained_params(info, base, strategy, options), id="base_lm")
    col.add("io.output", id="output")
    return col.graph


def _finetune_chat(info: DataInfo, base: str = "", strategy: str = "lora", freeze_blocks: int = 0,
                   lr_scale: float | None = None, lr_decay: float = 1.0, unfreeze_every: int = 1,
                   lora_rank: int = 8, lora_alpha: float = 16.0, lora_dropout: float = 0.05,
                   target_modules: str = "", gradient_checkpointing: bool = False) -> Graph:
    _need("finetune-chat", info, "tokens", "text")
    if info.task != "language-model":
        raise TemplateError("The 'finetune-chat' template teaches a language model to answer from chat data; "
                            "for labelled text use 'finetune-text'.")
    if not base:
        raise TemplateError("The 'finetune-chat' template needs a causal language model base: the folder of a "
                            "Hugging Face model (option 'base').")
    if strategy == "lora" and not target_modules:  # the model's own attention and MLP projections
        from app.core.finetune.bases import inspect_base, resolve_reference
        from app.core.finetune.lora_targets import chat_lora_targets

        target_modules = ",".join(chat_lora_targets(inspect_base(resolve_reference(base))))
    return _causal_lm_graph(info, base, strategy, dict(
        freeze_blocks=freeze_blocks, lr_scale=lr_scale, lr_decay=lr_decay, unfreeze_every=unfreeze_every,
        lora_rank=lora_rank, lora_alpha=lora_alpha, lora_dropout=lora_dropout, target_modules=target_modules,
        gradient_checkpointing=gradient_checkpointing))


_TEMPLATES: dict[str, tuple[Callable[..., Graph], str]] = {
    "keras-seed": (_keras_seed, "The classic first Keras network: 2 inputs -> Dense(3, relu) -> Dense(1, sigmoid)."),
    "mlp": (_mlp, "Tables: two hidden Dense layers with ReLU and Dropout, then classes (values: one hidden layer)."),
    "cnn": (_cnn, "Images: Conv-BatchNorm-ReLU-Pool blocks, global average pooling, then classes."),
    "lstm-text": (_lstm_text, "Labelled text: token Embedding -> LSTM (last state) -> classes."),
    "transformer-text": (_transformer_text,
                         "Labelled text: Embedding + positions -> 2 Transformer encoder layers -> mean pooling -> classes."),
    "gpt": (_gpt, "Text generation: a small GPT (4 causal decoder blocks, 128 wide) with a tied LM head."),
    "finetune-text": (_finetune_text, "Labelled text on a pretrained encoder (bundled MiniLM or a Hugging Face "
                      "folder): mean pooling -> classes or values."),
    "finetune-lm": (_finetune_lm, "Text generation: continue a pretrained GPT-style model (a Hugging Face folder) "
                    "on your text."),
    "finetune-chat": (_finetune_chat, "Chat: teach a pretrained causal language model (Llama, Qwen2 ... folder) to "
                      "answer, from Alpaca, ShareGPT or messages data, with LoRA."),
}


def template_names() -> list[str]:
    return list(_TEMPLATES)


def describe_template(name: str) -> str:
    return _get(name)[1]


def _get(name: str) -> tuple[Callable[..., Graph], str]:
    try:
        return _TEMPLATES[name]
    except KeyError:
        raise TemplateError(f"Unknown template '{name}'. Available: {', '.join(_TEMPLATES)}.") from None


def build_template_graph(name: str, info: DataInfo, **options: Any) -> Graph:
    """The template's network sized to ``info``; bad options or unsuitable data raise TemplateError."""
    import inspect

    builder, _ = _get(name)
    allowed = [p for p in inspect.signature(builder).parameters if p != "info"]
    for key in options:
        if key not in allowed:
            raise TemplateError(
                f"The '{name}' template has no option '{key}'"
                + (f"; its options are {', '.join(allowed)}." if allowed else " (it takes none).")
            )
    from app.core.graph.errors import GraphError

    try:
        graph = builder(info, **options)
    except (GraphError, TypeError, ValueError) as exc:
        raise TemplateError(f"The '{name}' template cannot be built with these options: {exc}") from exc
    problems = graph.problems()
    if problems:
        raise TemplateError(f"The '{name}' template does not fit this data: {problems[0]}")
    return graph


_METRICS = {
    "binary": ["accuracy", "f1"],
    "classification": ["accuracy", "f1_macro"],
    "regression": ["mae", "r2"],
    "language-model": ["perplexity"],
}
_LOSSES = {"binary": "bce_logits", "classification": "cross_entropy", "regression": "mse",
           "language-model": "lm_cross_entropy"}


#: Templates whose new projects stop early (tables and images; keras-seed stays the classic example).
EARLY_STOPPING_TEMPLATES = ("mlp", "cnn")


def template_training_defaults(name: str, info: DataInfo, n_train: int | None = None) -> dict:
    """Training settings (the project's ``"training"`` section) that suit the template and data.

    ``n_train`` (training rows, when known) sizes the early-stopping patience of table and
    image templates (see :func:`app.core.train.config.default_patience`).
    """
    _get(name)
    task = info.task
    base = {
        "epochs": 30,
        "batch_size": 32,
        "optimizer": {"name": "adam", "lr": 1e-3},
        "scheduler": {"name": "none"},
        "loss": {"name": _LOSSES[task]},
        "metrics": list(_METRICS[task]),
        "seed": 0,
    }
    if name == "keras-seed":
        base.update(epochs=200, batch_size=10, optimizer={"name": "sgd", "lr": 0.01, "momentum": 0.0},
                    loss={"name": "bce"}, metrics=["accuracy"])
    elif name == "mlp" and task == "regression":
        # Measured on scikit-learn's diabetes table (benchmarks/regression_vs_ridge.py): with the
        # one-layer network, larger batches (a smoother validation curve, so a better best
        # checkpoint) and weight decay, the default beats Ridge regression; early stopping ends
        # the run long before 200 epochs.
        base.update(epochs=200, batch_size=128, optimizer={"name": "adamw", "lr": 1e-3, "weight_decay": 1.0})
    elif name == "mlp":
        base.update(epochs=50)
    elif name == "cnn":
        base.update(epochs=15, batch_size=64)
    elif name == "lstm-text":
        base.update(epochs=10, grad_clip=1.0)
    elif name == "transformer-text":
        base.update(epochs=10, optimizer={"name": "adamw", "lr": 5e-4, "weight_decay": 0.01},
                    scheduler={"name": "cosine", "warmup_steps": 50}, grad_clip=1.0)
    elif name == "gpt":
        base.update(epochs=5, batch_size=32,
                    optimizer={"name": "adamw", "lr": 3e-4, "weight_decay": 0.1, "betas": [0.9, 0.95]},
                    scheduler={"name": "cosine", "warmup_steps": 100}, grad_clip=1.0)
    elif name in ("finetune-text", "finetune-lm", "finetune-chat"):
        # The project's rate is the head's; the base learns at the node's lr_scale times it.
        base.update(epochs=3, batch_size=16 if name == "finetune-text" else 8,
                    optimizer={"name": "adamw", "lr": 1e-3, "weight_decay": 0.01},
                    scheduler={"name": "cosine"}, grad_clip=1.0)
    if name in EARLY_STOPPING_TEMPLATES:
        from app.core.train.config import default_early_stopping

        base["early_stopping"] = default_early_stopping(base["epochs"], n_train, base["batch_size"])
    return base
