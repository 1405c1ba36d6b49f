"""Why did the model answer that? Attributions over the inputs of a trained run (captum).

- images: saliency, integrated gradients, or Grad-CAM at the network's last spatial layer,
  as a heat map of the input's size scaled to [0, 1];
- tables: per-feature attributions of one row (integrated gradients from the training
  average, which the standard scaling makes all zeros) and permutation importance over a
  labelled split (how much the loss grows when a column's values are shuffled);
- texts: per-token attributions (how much the answer's score drops without each token).

The functions on models are plain; :class:`Explainer` applies them to a run directory with
the run's own preparation, as the playground and the evaluation gallery need.

Example::

    explainer = Explainer("runs/shapes-1")
    heat = explainer.image(path="circle.png", method="gradcam")
    heat.heatmap.shape, heat.label          # (24, 24), "circle"
    Explainer("runs/iris-1").permutation_importance()   # {"petal_length": 0.9, ...}
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from app.core.errors import ModelwrightError

IMAGE_METHODS = ("gradcam", "integrated_gradients", "saliency")
IG_STEPS = 32
SMOOTHGRAD_SAMPLES = 16


class ExplanationError(ModelwrightError):
    """The run's model or input cannot be explained this way."""


@dataclass
class ImageExplanation:
    heatmap: np.ndarray     # (H, W) float32 in [0, 1]
    target: int             # the class index explained
    label: str              # its name
    method: str
    pixels: np.ndarray      # the image as the model saw it: uint8 (C, H, W)


class _ClassScore(torch.nn.Module):
    """The model's score for each class; a one-output binary model becomes two scores
    (-logit, +logit) so both answers can be explained the same way."""

    def __init__(self, model: torch.nn.Module, binary: bool) -> None:
        super().__init__()
        self.model = model
        self.binary = binary

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.model(x)
        if self.binary:
            out = out.reshape(len(out), -1)[:, :1]
            return torch.cat([-out, out], dim=1)
        return out


def _normalised(values: torch.Tensor) -> np.ndarray:
    values = values.detach().float()
    values = values - values.min()
    top = values.max()
    return (values / top if top > 0 else values).cpu().numpy().astype(np.float32)


def last_spatial_layer(model: torch.nn.Module, graph, input_shape: tuple[int, ...]) -> torch.nn.Module:
    """The module of the last node whose output is still an image-like (B, C, H, W) map."""
    from app.core.graph.shapes import infer_shapes

    report = infer_shapes(graph)
    maps = []
    for node_id in graph.topological_order():
        shape = report[node_id].shape if node_id in report else None
        if shape is not None and len(shape) == 4 and node_id in model and min(shape[2], shape[3]) > 1:
            maps.append((node_id, min(shape[2], shape[3])))
    # The last map of at least 4×4: a final 2×2 or 3×3 map is too coarse to point at anything.
    detailed = [node_id for node_id, size in maps if size >= 4]
    chosen = detailed[-1] if detailed else (maps[-1][0] if maps else None)
    if chosen is None:
        raise ExplanationError("Grad-CAM needs a convolutional network (a layer with an image-like output); "
                               "use saliency or integrated gradients for this model.")
    return model[chosen]


def image_heatmap(model: torch.nn.Module, image: torch.Tensor, target: int, method: str, *,
                  binary: bool = False, layer: torch.nn.Module | None = None) -> np.ndarray:
    """Heat map (H, W) in [0, 1] of how much each pixel of ``image`` (C, H, W, prepared as
    in training) drives the score of class ``target``."""
    from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, NoiseTunnel, Saliency

    if method not in IMAGE_METHODS:
        raise ExplanationError(f"Unknown explanation method '{method}'; use one of {', '.join(IMAGE_METHODS)}.")
    scorer = _ClassScore(model, binary).eval()
    x = image.unsqueeze(0).float().requires_grad_(True)
    if method == "saliency":
        # SmoothGrad: plain gradients of a CNN are speckled by the background noise;
        # averaging them over noisy copies of the image shows the object instead.
        attr = NoiseTunnel(Saliency(scorer)).attribute(x, nt_type="smoothgrad", nt_samples=SMOOTHGRAD_SAMPLES,
                                                       stdevs=0.2, target=target, abs=True)
        return _normalised(attr[0].sum(0))
    if method == "integrated_gradients":
        attr = IntegratedGradients(scorer).attribute(x, baselines=torch.zeros_like(x), target=target, n_steps=IG_STEPS)
        return _normalised(attr[0].abs().sum(0))
    if layer is None:
        raise ExplanationError("Grad-CAM needs the layer to look at.")
    attr = LayerGradCam(scorer, layer).attribute(x, target=target, relu_attributions=True)
    attr = LayerAttribution.interpolate(attr, tuple(image.shape[-2:]), interpolate_mode="bilinear")
    return _normalised(attr[0].sum(0).clamp(min=0))


def feature_attributions(model: torch.nn.Module, inputs: torch.Tensor, target: int, *,
                         binary: bool = False) -> np.ndarray:
    """Integrated gradients of class ``target`` for each feature of each row (N, F), from an
    all-zeros baseline (the training average once features are standard-scaled)."""
    from captum.attr import IntegratedGradients

    scorer = _ClassScore(model, binary).eval()
    x = inputs.float()
    attr = IntegratedGradients(scorer).attribute(x, baselines=torch.zeros_like(x), target=target, n_steps=IG_STEPS)
    return attr.detach().cpu().numpy()


def permutation_importance(model: torch.nn.Module, inputs: torch.Tensor, targets: torch.Tensor, loss_fn, *,
                           groups: list[list[int]] | None = None, seed: int = 0) -> np.ndarray:
    """How much the mean loss grows when each feature (or group of one-hot columns) is
    shuffled across rows: captum's FeaturePermutation with the loss of the whole split
    as the score. One number per group; larger means the model relies on it more."""
    from captum.attr import FeaturePermutation

    x = inputs.float()
    n_features = x.shape[1]
    groups = groups or [[j] for j in range(n_features)]
    mask = torch.zeros(1, n_features, dtype=torch.long)
    for g, columns in enumerate(groups):
        mask[0, columns] = g

    def negative_loss(batch: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return -loss_fn(model(batch).float(), targets).reshape(1)

    torch.manual_seed(seed)
    model.eval()
    attr = FeaturePermutation(negative_loss).attribute(x, feature_mask=mask)
    # The score is one number for the batch: every row carries the same attribution.
    per_column = attr[0].detach().cpu().numpy()
    return np.array([float(per_column[columns[0]]) for columns in groups])


def token_attributions(model: torch.nn.Module, tokens: torch.Tensor, target: int, *, binary: bool = False,
                       pad_id: int = 0) -> np.ndarray:
    """How much the score of class ``target`` drops when each token of ``tokens`` (T,) is
    replaced by padding (captum's FeatureAblation): one signed number per position. Unlike
    gradients through an embedding, this reads the same for recurrent and attention models."""
    from captum.attr import FeatureAblation

    scorer = _ClassScore(model, binary).eval()
    x = tokens.long().unsqueeze(0)
    with torch.no_grad():
        attr = FeatureAblation(scorer).attribute(x, baselines=pad_id, target=target)
    return attr[0].detach().float().cpu().numpy()


def attention_maps(model: torch.nn.Module, tokens: torch.Tensor) -> list[tuple[str, np.ndarray]]:
    """The self-attention weights of every attention layer for one token sequence (T,), in
    the order the network runs them: ``(layer, (heads, T, T))``, where row i is how position i
    spread its attention over the positions (each row sums to 1).

    Covers the designer's multi-head attention and Transformer encoder layers; GPT blocks
    (fused attention, no weights) and pretrained bases are not read.
    """
    from app.core.graph.modules import SelfAttention

    maps: list[tuple[str, np.ndarray]] = []

    def keep(name: str, weights: torch.Tensor) -> None:
        maps.append((name.rsplit(".", 1)[-1], weights[0].detach().float().cpu().numpy()))

    handles, flagged = [], []
    for name, module in model.named_modules():
        if isinstance(module, SelfAttention):
            module.keep_weights = True
            flagged.append(module)
            handles.append(module.register_forward_hook(
                lambda m, _args, _out, name=name: keep(name, m.last_weights)))
        elif isinstance(module, torch.nn.TransformerEncoderLayer):
            attention = module.self_attn
            handles.append(attention.register_forward_pre_hook(
                lambda _m, args, kwargs: (args, {**kwargs, "need_weights": True, "average_attn_weights": False}),
                with_kwargs=True))
            handles.append(attention.register_forward_hook(
                lambda _m, _args, out, name=name: keep(name, out[1])))
    try:
        # With gradients on, nn.TransformerEncoderLayer skips its fused inference path, which
        # never calls self_attn (and so never has weights to give).
        with torch.enable_grad():
            model.eval()(tokens.long().unsqueeze(0))
    finally:
        for handle in handles:
            handle.remove()
        for module in flagged:
            module.keep_weights, module.last_weights = False, None
    return maps


# ---------------------------------------------------------------------------- runs
class Explainer:
    """A trained run ready to be explained (loads like the playground's predictor)."""

    def __init__(self, run_dir: str | os.PathLike) -> None:
        from app.core.train.inspection import Predictor

        self.predictor = Predictor(run_dir)
        self.run = self.predictor.run
        self.model = self.run.model.float().cpu().eval()
        self.task = self.run.info.task
        if self.task not in ("binary", "classification"):
            raise ExplanationError("Explanations are available for classifiers; this run is a "
                                   f"{self.task} model.")
        self.binary = self.task == "binary"
        self.class_names = [str(c) for c in (self.run.info.class_names
                                              or getattr(self.run.preprocessor.target, "labels", None) or [])]
        if self.binary and len(self.class_names) != 2:
            self.class_names = ["0", "1"]
        self._layer = None

    def _label(self, index: int) -> str:
        return self.class_names[index] if index < len(self.class_names) else str(index)

    def _predicted(self, x: torch.Tensor) -> int:
        with torch.no_grad():
            batch = x.unsqueeze(0)
            if batch.is_floating_point():
                batch = batch.float()
            return int(_ClassScore(self.model, self.binary)(batch).argmax(dim=1)[0])

    # -- images
    def image(self, *, path: str | os.PathLike | None = None, pixels: np.ndarray | None = None,
              method: str = "gradcam", target: int | None = None) -> ImageExplanation:
        """Explain one image: a file, or ``pixels`` as uint8 (C, H, W) like the evaluation's samples.
        ``target`` defaults to the class the model predicts."""
        pre = self.run.preprocessor
        if pre.kind != "image":
            raise ExplanationError("This run does not read images.")
        if pixels is None and path is not None:
            from app.core.data.images import load_image

            try:
                pixels = load_image(Path(path), pre.size, pre.channels)
            except Exception as exc:  # Pillow raises many types for unreadable files
                raise ExplanationError(f"'{Path(path).name}' is not a readable image ({type(exc).__name__}).") from None
        if pixels is None:
            raise ExplanationError("Give an image file or its pixels to explain.")
        pixels = np.ascontiguousarray(pixels)
        x = pre.normalise(torch.from_numpy(pixels)[None])[0]
        target = self._predicted(x) if target is None else int(target)
        layer = None
        if method == "gradcam":
            if self._layer is None:
                self._layer = last_spatial_layer(self.model, self.run.project.graph, tuple(x.shape))
            layer = self._layer
        heat = image_heatmap(self.model, x, target, method, binary=self.binary, layer=layer)
        return ImageExplanation(heat, target, self._label(target), method, pixels)

    # -- tables
    def _feature_groups(self) -> tuple[list[str], list[list[int]]]:
        """Original column names and, per column, its encoded feature indices (one-hot groups)."""
        names = list(self.predictor.preprocessor.feature_names)
        columns: dict[str, list[int]] = {}
        for j, name in enumerate(names):
            columns.setdefault(self._column_of(name), []).append(j)
        return list(columns), list(columns.values())

    def _column_of(self, encoded: str) -> str:
        known = [e["name"] for e in self.predictor.preprocessor.pipeline.state]
        if encoded in known:
            return encoded
        return next((k for k in known if encoded.startswith(f"{k}=")), encoded)

    def values(self, row: dict, target: int | None = None) -> dict:
        """Per-column attributions for one table row: ``{"target", "label", "attributions": {column: value}}``
        (positive values pushed the answer towards ``label``)."""
        import pandas as pd

        if self.predictor.kind != "table":
            raise ExplanationError("This run does not read table rows.")
        x = self.predictor.preprocessor.transform_frame(pd.DataFrame([row]), "the input")
        target = self._predicted(x[0]) if target is None else int(target)
        attr = feature_attributions(self.model, x, target, binary=self.binary)[0]
        names, groups = self._feature_groups()
        return {"target": target, "label": self._label(target),
                "attributions": {n: float(attr[g].sum()) for n, g in zip(names, groups)}}

    def permutation_importance(self, data_path: str | os.PathLike | None = None, seed: int = 0) -> dict[str, float]:
        """Loss increase per column when it is shuffled, on the run's test (or validation)
        split or on a labelled file; sorted from most to least important."""
        if self.predictor.kind != "table":
            raise ExplanationError("Permutation importance is computed for table models.")
        if data_path is not None:
            new = self.run.preprocessor.load_new_data(Path(data_path))
            if new.targets is None:
                raise ExplanationError(f"'{Path(data_path).name}' has no target column to measure the loss with.")
            inputs, targets = new.inputs, new.targets
        else:
            from app.core.train.api import _prepare

            prepared = _prepare(self.run.project)
            split = prepared.test if prepared.test is not None else prepared.val
            if split is None:
                raise ExplanationError("The project's data has no test or validation part to measure with.")
            inputs, targets = split.batch(torch.arange(len(split)))
        names, groups = self._feature_groups()
        loss_fn = self.run.trainer().loss_fn
        scores = permutation_importance(self.model, inputs, targets, loss_fn, groups=groups, seed=seed)
        # The attribution is the score lost by shuffling: the loss grew by that much.
        return dict(sorted(((n, float(s)) for n, s in zip(names, scores)), key=lambda kv: -kv[1]))

    # -- texts
    def text(self, text: str, target: int | None = None) -> dict:
        """``{"target", "label", "tokens": [(token text, attribution)...]}`` for a text classifier."""
        import pandas as pd

        pre = self.predictor.preprocessor
        if self.predictor.kind != "text":
            raise ExplanationError("This run does not read text.")
        x = pre.transform_frame(pd.DataFrame({pre.column: [text]}), "the input")[0]
        target = self._predicted(x) if target is None else int(target)
        scores = token_attributions(self.model, x, target, binary=self.binary)
        ids = x.tolist()
        tokens = [(pre.tokenizer.decode([t]), float(s)) for t, s in zip(ids, scores) if t != 0]
        kept = [i for i, t in enumerate(ids) if t != 0]  # the text's own tokens, not the padding
        attention = [{"layer": layer, "weights": weights[:, kept][:, :, kept]}
                     for layer, weights in attention_maps(self.model, x)]
        return {"target": target, "label": self._label(target), "tokens": tokens, "attention": attention}
