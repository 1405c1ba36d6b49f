"""How much memory training a network takes: weights, gradients, optimizer state, activations.

An estimate from the graph alone (no model is built), cheap enough for the designer's
summary to call on every edit and for the fine-tuning wizard to compare strategies.

- weights: 4 bytes per parameter (mixed precision keeps fp32 master weights);
- gradients: 4 bytes per trainable parameter;
- optimizer state: Adam/AdamW 8 bytes per trainable parameter (two moments), SGD with
  momentum and RMSprop 4 (8 with momentum), Adagrad 4;
- activations kept for the backward pass: each layer's output (2 bytes per number in
  bf16/fp16, 4 in fp32) times how many tensors of that size the layer keeps inside: a GPT
  block keeps about 7 + 2 x mlp_ratio (its norms, q/k/v, attention output, residual,
  MLP hidden and GELU output; ``scaled_dot_product_attention`` keeps no T x T matrix), a
  Transformer encoder layer 7 + 2 x feed-forward/width, a dropout its mask, the loss a
  float32 log-softmax of the scores. With gradient checkpointing a block keeps only its
  input, plus one block's inside while it is recomputed.

Example::

    est = estimate_memory(graph, batch_size=12, seq_len=64, precision="bf16")
    est.describe()   # '~41 MiB for training: weights 3.1 MiB, gradients 3.1 MiB, ...'
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from app.core.errors import ModelwrightError

OPTIMIZER_STATE_BYTES = {"adam": 8, "adamw": 8, "sgd": 0, "sgd_momentum": 4, "rmsprop": 4,
                         "rmsprop_momentum": 8, "adagrad": 4}
DROPOUT_TYPES = ("core.dropout",)


class MemoryEstimateError(ModelwrightError):
    """The network's shapes do not work out, so its memory cannot be estimated."""


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes needed to train one step (see the module docstring for what each part counts)."""

    parameters: int
    trainable_parameters: int
    weights_bytes: int
    gradients_bytes: int
    optimizer_bytes: int
    activations_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.gradients_bytes + self.optimizer_bytes + self.activations_bytes

    @property
    def inference_bytes(self) -> int:
        """Weights only: what running the trained model needs, besides one layer's output at a time."""
        return self.weights_bytes

    def describe(self) -> str:
        return (f"~{format_bytes(self.total_bytes)} for training: weights {format_bytes(self.weights_bytes)}, "
                f"gradients {format_bytes(self.gradients_bytes)}, optimizer {format_bytes(self.optimizer_bytes)}, "
                f"activations {format_bytes(self.activations_bytes)}")

    def to_dict(self) -> dict:
        return {**asdict(self), "total_bytes": self.total_bytes}


def format_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"  # pragma: no cover


def optimizer_state_bytes(name: str, momentum: float = 0.0) -> int:
    """Bytes of optimizer state per trainable parameter."""
    key = f"{name}_momentum" if name in ("sgd", "rmsprop") and momentum > 0 else name
    if key not in OPTIMIZER_STATE_BYTES:
        raise MemoryEstimateError(f"Unknown optimizer '{name}'; expected one of adam, adamw, sgd, rmsprop, adagrad.")
    return OPTIMIZER_STATE_BYTES[key]


def _with_seq_len(graph, seq_len: int):
    """A copy of ``graph`` whose token inputs (and position tables, when shorter) take ``seq_len``."""
    from app.core.graph.graph import Graph

    d = graph.to_dict()
    for node in d["nodes"]:
        if node["type"] == "io.input" and node["params"].get("kind") == "tokens":
            node["params"]["shape"] = [int(seq_len)] + list(node["params"]["shape"][1:])
        if node["type"] in ("embed.positional", "embed.sinusoidal"):
            node["params"]["max_len"] = max(int(node["params"].get("max_len", seq_len)), int(seq_len))
    return Graph.from_dict(d)


def _kept_numbers(node, out_shape, batch_size: int, device: str) -> float:
    """How many numbers a layer keeps for the backward pass (in units of one activation)."""
    params = node.params
    out = _numel(out_shape, batch_size)
    width = int(out_shape[-1]) if out_shape else 1
    if node.type in ("attn.gpt_block", "attn.transformer_encoder_layer"):
        ratio = (params.get("mlp_ratio", 4) if node.type == "attn.gpt_block"
                 else params.get("dim_feedforward", 4 * width) / max(width, 1))
        kept = out * (7 + 2 * ratio)
        dropout = float(params.get("dropout", 0.0) or 0.0)
        if dropout > 0:
            kept += out * 0.75  # three one-byte dropout masks
            if device == "cpu" and len(out_shape) == 3:
                # On the CPU attention with dropout takes the plain path, which keeps the
                # (B, heads, T, T) scores, their softmax, its dropout mask and the dropped copy.
                heads = int(params.get("n_head", params.get("nhead", 1)))
                t = int(out_shape[1])
                kept += batch_size * heads * t * t * 3.25
        return kept
    if node.type in DROPOUT_TYPES:
        return out * 1.25  # the output and a one-byte mask (a quarter of a float32)
    return float(out)


def estimate_memory(graph, *, batch_size: int, seq_len: int | None = None, precision: str = "fp32",
                    optimizer: str = "adamw", momentum: float = 0.0, gradient_checkpointing: bool = False,
                    trainable_parameters: int | None = None, device: str = "cpu") -> MemoryEstimate:
    """Estimate the memory of one training step of ``graph`` (a :class:`~app.core.graph.graph.Graph`).

    ``seq_len`` overrides the token inputs' length (the context); ``trainable_parameters``
    (default: all) lets the fine-tuning wizard price a frozen base. ``device`` matters for
    attention with dropout, which keeps its T x T scores on the CPU but not on CUDA.
    """
    from app.core.graph.shapes import infer_shapes

    if seq_len is not None:
        graph = _with_seq_len(graph, seq_len)
    report = infer_shapes(graph)
    act_bytes = 2 if precision in ("bf16", "fp16") else 4
    total_params = 0
    blocks_inside: list[float] = []
    numbers = 0.0
    outputs = set(graph.output_ids())
    for node in graph.nodes:
        result = report[node.id]
        if result.error:
            raise MemoryEstimateError(f"Layer '{node.id}' does not fit ({result.error}); fix the network first.")
        total_params += int(result.params or 0)
        if node.type == "io.input" or node.type == "io.output":
            continue
        kept = _kept_numbers(node, result.shape, batch_size, device)
        if gradient_checkpointing and node.type.startswith("attn."):
            blocks_inside.append(kept)
            numbers += _numel(result.shape, batch_size)  # only the block's output (the next block's input)
        else:
            numbers += kept
    if blocks_inside:
        numbers += max(blocks_inside)  # one block's inside while it is recomputed
    for oid in outputs:
        numbers += _numel(report[oid].shape, batch_size) * 4 / act_bytes  # float32 log-softmax in the loss
    trainable = total_params if trainable_parameters is None else int(trainable_parameters)
    return MemoryEstimate(
        parameters=total_params,
        trainable_parameters=trainable,
        weights_bytes=4 * total_params,
        gradients_bytes=4 * trainable,
        optimizer_bytes=optimizer_state_bytes(optimizer, momentum) * trainable,
        activations_bytes=int(math.ceil(numbers * act_bytes)),
    )


def _numel(shape, batch_size: int) -> int:
    n = 1
    for d in shape or ():
        n *= batch_size if d == "B" else int(d)
    return n
