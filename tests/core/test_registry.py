"""The layer registry: complete entries only, unique namespaced ids, aliases, parameter checks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.core.graph import Graph, LayerSpec, ParamSpec, UnknownLayerError, get_layer_spec, layer_specs, registry
from app.core.graph.errors import InvalidParamError, RegistryError, UnknownParamError
from app.core.graph.registry import no_flops, no_params, normalize_params, register_alias, register_layer


@pytest.fixture(autouse=True)
def scratch_registry(monkeypatch):
    """Layer types registered by a test vanish after it, so other tests see only the built-ins."""
    layer_specs()
    monkeypatch.setattr(registry, "_SPECS", dict(registry._SPECS))
    monkeypatch.setattr(registry, "_ALIASES", dict(registry._ALIASES))


def _spec(type_id="test.thing", **over):
    fields = dict(
        type_id=type_id, display_name="Thing", category="Test", description="A test layer.",
        params=(ParamSpec("size", "int", 2, "How big.", min=1),),
        shape_rule=lambda params, inputs: inputs[0], build=lambda params, inputs: None,
        count_params=no_params, count_flops=no_flops, id_prefix="thing",
    )
    fields.update(over)
    return LayerSpec(**fields)


def test_builtin_layers_are_complete_and_namespaced():
    specs = layer_specs()
    ids = [s.type_id for s in specs]
    assert len(ids) == len(set(ids))
    for required in ("io.input", "io.output", "core.linear", "conv.conv2d", "rnn.lstm", "attn.gpt_block",
                     "merge.add", "merge.concat", "head.lm", "seq.pool", "embed.positional", "embed.sinusoidal"):
        assert required in ids
    for s in specs:
        assert "." in s.type_id and s.description.endswith(".") and s.category
        for p in s.params:
            assert p.help, (s.type_id, p.name)
            assert p.coerce(p.default) == p.default
    assert ids[:2] == ["io.input", "io.output"]  # palette order: Input/Output first


@pytest.mark.parametrize("missing", ["build", "shape_rule", "count_params", "count_flops"])
def test_registry_refuses_incomplete_entries(missing):
    with pytest.raises(RegistryError, match=missing.replace("_", " ")):
        register_layer(_spec(f"test.no_{missing}", **{missing: None}))
    with pytest.raises(UnknownLayerError):
        get_layer_spec(f"test.no_{missing}")


def test_registry_refuses_duplicate_and_malformed_ids():
    with pytest.raises(RegistryError, match="already registered"):
        register_layer(_spec("core.linear"))
    with pytest.raises(RegistryError, match="namespaced"):
        register_layer(_spec("Linear"))
    with pytest.raises(RegistryError, match="default"):
        register_layer(_spec("test.bad_default", params=(ParamSpec("size", "int", 0, "How big.", min=1),)))
    with pytest.raises(RegistryError, match="help"):
        register_layer(_spec("test.no_help", params=(ParamSpec("size", "int", 1, ""),)))


def test_alias_resolves_to_the_renamed_type_and_old_files_load():
    register_layer(_spec("test.renamed_new"))
    register_alias("test.renamed_old", "test.renamed_new")
    assert get_layer_spec("test.renamed_old").type_id == "test.renamed_new"
    g = Graph.from_dict({"nodes": [{"id": "t", "type": "test.renamed_old", "params": {"size": 3}}], "edges": []})
    assert g.node("t").type == "test.renamed_new"  # saved back under the current id
    with pytest.raises(RegistryError):
        register_alias("test.renamed_old", "core.linear")  # an id is never reused
    with pytest.raises(RegistryError):
        register_alias("test.other_old", "test.nowhere")


def test_unknown_layer_type_gives_a_clear_error():
    with pytest.raises(UnknownLayerError, match="Unknown layer type 'core.warp_drive'"):
        get_layer_spec("core.warp_drive")


def test_param_values_are_checked_and_coerced():
    spec = get_layer_spec("core.linear")
    assert normalize_params(spec, {"out_features": 3.0}) == {"out_features": 3, "bias": True, "activation": "none"}
    with pytest.raises(InvalidParamError, match="at least 1"):
        normalize_params(spec, {"out_features": 0})
    with pytest.raises(InvalidParamError, match="whole number"):
        normalize_params(spec, {"out_features": 2.5})
    with pytest.raises(InvalidParamError, match="whole number"):
        normalize_params(spec, {"out_features": True})
    with pytest.raises(InvalidParamError, match="one of"):
        normalize_params(spec, {"activation": "swishy"})
    with pytest.raises(InvalidParamError, match="true or false"):
        normalize_params(spec, {"bias": "yes"})
    with pytest.raises(UnknownParamError, match="no parameter 'units'.*out_features"):
        normalize_params(spec, {"units": 3})
    shape = get_layer_spec("io.input").param("shape")
    assert shape.coerce((3, 8.0, 8)) == [3, 8, 8]
    with pytest.raises(InvalidParamError):
        shape.coerce([3, 0])
    with pytest.raises(InvalidParamError, match="number"):
        get_layer_spec("core.dropout").param("p").coerce("0.5")


def test_defaults_are_fresh_copies():
    spec = get_layer_spec("io.input")
    a = spec.default_params()
    a["shape"].append(9)
    assert spec.default_params()["shape"] == [2]


def test_registry_graph_and_shapes_do_not_import_torch():
    code = (
        "import sys\n"
        "from app.core.graph import Graph, registry, infer_shapes, layer_specs\n"
        "from app.core.graph.templates import build_template_graph\n"
        "from app.core.graph.summary import layer_table\n"
        "from app.core.data.info import DataInfo\n"
        "layer_specs()\n"
        "g = build_template_graph('gpt', DataInfo('tokens', (16,), 'language-model', 50, vocab_size=50))\n"
        "layer_table(g)\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=__file__.rsplit("/tests/", 1)[0])
