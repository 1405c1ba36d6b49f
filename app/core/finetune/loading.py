"""Load a base's weights with ``transformers``: offline, float32, never by unpickling.

``model.safetensors`` (or a sharded safetensors set) goes through ``from_pretrained`` with
``use_safetensors=True``. An old ``pytorch_model.bin`` is read with
``torch.load(weights_only=True)``, which accepts plain tensors only: a pickle that would
run code is refused before anything in it executes. An earlier run as the base loads the
run's own fine-tuned encoder (with any LoRA adapters merged into the weights).

Every load passes ``trust_remote_code=False`` with stdin detached (:func:`.offline.no_prompts`),
and a checkpoint that leaves the architecture mostly at random values is refused
(:mod:`.coverage`). The folder itself was checked for shipped code by :func:`inspect_base`.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from app.core.finetune.bases import PICKLE_WEIGHTS, SAFE_WEIGHTS, BaseInfo, inspect_base
from app.core.finetune.coverage import check_weight_coverage
from app.core.finetune.errors import BaseModelError
from app.core.finetune.offline import no_prompts, transformers


def load_backbone(info: BaseInfo, causal: bool):
    """The base as a plain Hugging Face model in train mode (AutoModel, or AutoModelForCausalLM)."""
    import torch

    if info.run is not None:
        return _from_run(info, causal)
    tf = transformers()
    cls = tf.AutoModelForCausalLM if causal else tf.AutoModel
    try:
        if info.weights == "safetensors":
            with no_prompts():
                model, loading = cls.from_pretrained(str(info.path), trust_remote_code=False, local_files_only=True,
                                                     use_safetensors=True, dtype=torch.float32,
                                                     output_loading_info=True)
            check_weight_coverage(model, loading.get("missing_keys", ()), info, _safetensors_name(info))
        else:
            model = _from_pickle_file(cls, info)
    except BaseModelError:
        raise
    except (OSError, ValueError, KeyError, RuntimeError, TypeError, AttributeError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise BaseModelError(f"The base model in '{info.path.name}' cannot be loaded ({first}). Check that the "
                             "folder holds a complete Hugging Face model of a supported kind.") from None
    model.train()
    return model


def _safetensors_name(info: BaseInfo) -> str:
    return SAFE_WEIGHTS if (info.path / SAFE_WEIGHTS).is_file() else "The safetensors files"


def read_pickled_weights(path: Path) -> dict:
    """A ``pytorch_model.bin`` as tensors only (``weights_only=True``); anything else is refused."""
    import torch

    try:
        state = torch.load(str(path), map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError, AttributeError, TypeError) as exc:
        raise BaseModelError(
            f"'{path.parent.name}/{path.name}' is not a plain weights file: it holds Python objects that could run "
            "code when loaded, so Modelwright refused to open it (nothing in it was run). Use a model saved as "
            f"model.safetensors. ({type(exc).__name__})") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise BaseModelError(f"'{path.parent.name}/{path.name}' does not hold a table of weights.")
    return state


def _from_pickle_file(cls, info: BaseInfo):
    tf = transformers()
    state = read_pickled_weights(info.path / PICKLE_WEIGHTS)
    with no_prompts():
        config = tf.AutoConfig.from_pretrained(str(info.path), trust_remote_code=False, local_files_only=True)
        model = cls.from_config(config, trust_remote_code=False)
    own = set(model.state_dict())
    prefix = getattr(model, "base_model_prefix", "") + "."
    renamed = {}
    for key, value in state.items():
        if key not in own and key.startswith(prefix) and key[len(prefix):] in own:
            key = key[len(prefix):]
        elif key not in own and prefix + key in own:
            key = prefix + key
        renamed[key] = value
    result = model.load_state_dict(renamed, strict=False)
    model.tie_weights()
    check_weight_coverage(model, result.missing_keys, info, PICKLE_WEIGHTS)
    return model


def _from_run(info: BaseInfo, causal: bool):
    """Rebuild the run's pretrained node, load its trained weights, return the plain (merged) model."""
    from safetensors.torch import load_file

    from app.core.graph.registry import get_layer_spec
    from app.core.project import load_project

    project = load_project(info.run / "project.mwproj")
    node = project.graph.node(info.run_node)
    spec = get_layer_spec(node.type)
    module = spec.build(node.params, [])
    prefix = f"{node.id}."
    weights = {k[len(prefix):]: v for k, v in load_file(str(info.run / "model.safetensors")).items()
               if k.startswith(prefix)}
    try:
        module.load_state_dict(weights, strict=True)
    except RuntimeError as exc:
        raise BaseModelError(f"The weights of the run '{info.run.name}' do not fit its base model "
                             f"({str(exc).splitlines()[0]}).") from None
    backbone = module.plain_backbone()
    if causal != bool(getattr(module, "is_causal_lm", False)):
        raise BaseModelError(f"The run '{info.run.name}' holds a "
                             f"{'language model' if module.is_causal_lm else 'text encoder'}; it cannot be "
                             f"continued as a {'language model' if causal else 'text encoder'}.")
    for p in backbone.parameters():
        p.requires_grad_(True)
    backbone.train()
    return backbone
