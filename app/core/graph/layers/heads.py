"""Output heads: the last layer that turns features into class scores or next-token scores."""

from __future__ import annotations

from math import prod

from app.core.graph.errors import ShapeError
from app.core.graph.layers.common import expect_rank, fmt_shape
from app.core.graph.registry import LayerSpec, ParamSpec, register_layer


def _classifier_rule(params, inputs):
    (x,) = inputs
    expect_rank("Classification head", x, (2, 3), "a (B, features) vector",
                "add a Flatten or a pooling layer before it" if len(x) > 3 else "")
    return (*x[:-1], params["num_classes"])


def _build_classifier(params, inputs):
    import torch.nn as nn

    return nn.Linear(inputs[0][-1], params["num_classes"], bias=params["bias"])


register_layer(LayerSpec(
    type_id="head.classifier", display_name="Classification head", category="Heads",
    description="Gives one score (logit) per class; the highest score is the predicted class.",
    params=(
        ParamSpec("num_classes", "int", 2, "How many classes to choose from.", min=1),
        ParamSpec("bias", "bool", True, "Learn an offset per class."),
    ),
    shape_rule=_classifier_rule, build=_build_classifier,
    count_params=lambda params, inputs, out: inputs[0][-1] * params["num_classes"]
    + (params["num_classes"] if params["bias"] else 0),
    count_flops=lambda params, inputs, out: prod(inputs[0][1:]) * params["num_classes"],
    id_prefix="classifier",
))


def _lm_rule(params, inputs):
    (x,) = inputs
    expect_rank("LM head", x, (3,), "a (B, sequence, features) sequence")
    return (x[0], x[1], params["vocab_size"])


def _lm_refs(params, inputs, referenced):
    if "tie_to" not in referenced:
        return
    type_id, emb = referenced["tie_to"]
    name = params["tie_to"]
    if type_id != "embed.embedding":
        raise ShapeError(f"LM head can only share weights with an Embedding, but '{name}' is not one.")
    width = inputs[0][-1]
    if emb["num_embeddings"] != params["vocab_size"] or emb["embedding_dim"] != width:
        raise ShapeError(
            f"LM head maps {width} features to {params['vocab_size']} tokens, but the Embedding '{name}' "
            f"it shares weights with is {emb['num_embeddings']} tokens x {emb['embedding_dim']} features "
            f"{fmt_shape(('B', 'T', width))}; make the sizes match or clear 'tie_to'."
        )


def _lm_count(params, inputs, out):
    v = params["vocab_size"]
    bias = v if params["bias"] else 0
    return bias if params["tie_to"] else inputs[0][-1] * v + bias


def _build_lm(params, inputs):
    import torch.nn as nn

    return nn.Linear(inputs[0][-1], params["vocab_size"], bias=params["bias"])


def _tie(module, params, modules):
    if params["tie_to"]:
        # One Parameter object in both places: the optimizer updates it once, and
        # model.parameters() lists it once.
        module.weight = modules[params["tie_to"]].weight


register_layer(LayerSpec(
    type_id="head.lm", display_name="LM head", category="Heads",
    description="Scores every word piece of the vocabulary as the next token (for text generation).",
    params=(
        ParamSpec("vocab_size", "int", 1000, "How many different tokens there are.", min=1),
        ParamSpec("tie_to", "node", "", "Id of the token Embedding to share weights with ('' for none); "
                  "saves parameters and usually helps."),
        ParamSpec("bias", "bool", False, "Learn an offset per token."),
    ),
    shape_rule=_lm_rule, build=_build_lm, count_params=_lm_count,
    count_flops=lambda params, inputs, out: inputs[0][1] * inputs[0][2] * params["vocab_size"],
    check_refs=_lm_refs, after_build=_tie, id_prefix="lm_head",
))
