"""The training memory estimate against what torch really keeps for the backward pass."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from app.core.data.info import DataInfo
from app.core.graph.compiler import compile_graph
from app.core.graph.templates import build_template_graph
from app.core.lm.memory import estimate_memory, format_bytes

INFO = DataInfo("tokens", (32,), "language-model", 50, 50, None)


def _saved_bytes(model, batch, seq_len, vocab=50):
    """Bytes of the tensors autograd keeps for backward (parameters excluded)."""
    seen = {}
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}

    def pack(t):
        seen[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return t

    x = torch.randint(0, vocab, (batch, seq_len))
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = model(x)
        F.cross_entropy(out.reshape(-1, vocab), x.reshape(-1))
    return sum(v for k, v in seen.items() if k not in params)


@pytest.mark.parametrize("options", [
    {"n_layer": 2, "n_embd": 32, "n_head": 4, "dropout": 0.0},
    {"n_layer": 2, "n_embd": 32, "n_head": 4, "dropout": 0.1},
    {"n_layer": 3, "n_embd": 64, "n_head": 2, "dropout": 0.2},
])
def test_activation_estimate_is_within_ten_percent_of_what_torch_keeps(options):
    torch.manual_seed(0)
    graph = build_template_graph("gpt", INFO, **options)
    model = compile_graph(graph).train()
    measured = _saved_bytes(model, 8, 32)
    est = estimate_memory(graph, batch_size=8)
    assert est.activations_bytes == pytest.approx(measured, rel=0.10)
    assert est.parameters == sum(p.numel() for p in model.parameters())
    assert est.weights_bytes == est.gradients_bytes == 4 * est.parameters
    assert est.optimizer_bytes == 8 * est.parameters  # AdamW: two moments


def test_context_batch_precision_and_checkpointing_move_the_estimate_as_expected():
    graph = build_template_graph("gpt", INFO, n_layer=4, n_embd=64, n_head=4, dropout=0.0)
    base = estimate_memory(graph, batch_size=8)
    assert estimate_memory(graph, batch_size=16).activations_bytes == pytest.approx(2 * base.activations_bytes, rel=0.01)
    longer = estimate_memory(graph, batch_size=8, seq_len=64)
    assert longer.activations_bytes == pytest.approx(2 * base.activations_bytes, rel=0.01)
    assert longer.parameters > base.parameters  # the position table grows with the context
    half = estimate_memory(graph, batch_size=8, precision="bf16")
    assert half.activations_bytes < 0.7 * base.activations_bytes and half.weights_bytes == base.weights_bytes
    saved = estimate_memory(graph, batch_size=8, gradient_checkpointing=True)
    assert saved.activations_bytes < 0.6 * base.activations_bytes
    assert estimate_memory(graph, batch_size=8, optimizer="sgd").optimizer_bytes == 0
    frozen = estimate_memory(graph, batch_size=8, trainable_parameters=1000)
    assert frozen.gradients_bytes == 4000 and frozen.optimizer_bytes == 8000


def test_the_description_reads_in_units():
    graph = build_template_graph("gpt", INFO, n_layer=1, n_embd=32, n_head=2)
    text = estimate_memory(graph, batch_size=4).describe()
    assert text.startswith("~") and "weights" in text and "activations" in text and "KiB" in text
    assert format_bytes(3 * 1024**3) == "3.0 GiB" and format_bytes(512) == "512 B"
