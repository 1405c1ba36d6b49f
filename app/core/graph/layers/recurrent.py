"""Recurrent layers (LSTM, GRU): read a sequence step by step, carrying a memory along."""

from __future__ import annotations

from app.core.graph.layers.common import expect_rank
from app.core.graph.registry import LayerSpec, ParamSpec, register_layer


def _rnn_params():
    return (
        ParamSpec("hidden_size", "int", 64, "Size of the memory carried from step to step.", min=1),
        ParamSpec("num_layers", "int", 1, "How many recurrent layers are stacked.", min=1),
        ParamSpec("bidirectional", "bool", False, "Also read the sequence backwards and join both."),
        ParamSpec("return_sequences", "bool", False, "Output every step (B, T, H) instead of only the "
                  "final state (B, H)."),
        ParamSpec("dropout", "float", 0.0, "Dropout between stacked layers (needs 2+ layers).", min=0.0, max=1.0),
    )


def _rnn_rule(name):
    def rule(params, inputs):
        (x,) = inputs
        expect_rank(name, x, (3,), "a (B, sequence, features) sequence",
                    "put an Embedding before it for token ids" if len(x) == 2 else "")
        width = params["hidden_size"] * (2 if params["bidirectional"] else 1)
        return (x[0], x[1], width) if params["return_sequences"] else ("B", width)
    return rule


def _layer_inputs(params, inputs):
    h, dirs = params["hidden_size"], 2 if params["bidirectional"] else 1
    return [inputs[0][-1] if i == 0 else h * dirs for i in range(params["num_layers"])], h, dirs


def _rnn_count(gates):
    def count(params, inputs, out):
        sizes, h, dirs = _layer_inputs(params, inputs)
        return sum(dirs * gates * (h * n + h * h + 2 * h) for n in sizes)
    return count


def _rnn_flops(gates):
    def count(params, inputs, out):
        sizes, h, dirs = _layer_inputs(params, inputs)
        return inputs[0][1] * sum(dirs * gates * (h * n + h * h) for n in sizes)
    return count


def _build_rnn(cls_name):
    def build(params, inputs):
        from app.core.graph import modules

        return getattr(modules, cls_name)(
            inputs[0][-1], params["hidden_size"], num_layers=params["num_layers"],
            bidirectional=params["bidirectional"], return_sequences=params["return_sequences"],
            dropout=params["dropout"] if params["num_layers"] > 1 else 0.0,
        )
    return build


register_layer(LayerSpec(
    type_id="rnn.lstm", display_name="LSTM", category="Recurrent",
    description="Reads a sequence one step at a time with a gated memory that handles long contexts.",
    params=_rnn_params(), shape_rule=_rnn_rule("LSTM"), build=_build_rnn("LSTMLayer"),
    count_params=_rnn_count(4), count_flops=_rnn_flops(4), id_prefix="lstm",
))

register_layer(LayerSpec(
    type_id="rnn.gru", display_name="GRU", category="Recurrent",
    description="A lighter LSTM: reads a sequence step by step with a gated memory.",
    params=_rnn_params(), shape_rule=_rnn_rule("GRU"), build=_build_rnn("GRULayer"),
    count_params=_rnn_count(3), count_flops=_rnn_flops(3), id_prefix="gru",
))
