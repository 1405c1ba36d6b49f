"""The fitted preparation of a run: new data in, model inputs out; model outputs back to labels.

A :class:`Preprocessor` is saved as plain JSON in the run directory (``to_dict``), so
``predict``, ``evaluate`` and exporters apply exactly the training-time steps to new files:
column order, fill values, one-hot categories, scaler constants, vocabularies, image size
and normalisation, and the original labels (for example 甲/乙/丙).

Example::

    pre = Preprocessor.from_dict(json.load(open(run_dir / "preprocessor.json")))
    new = pre.load_new_data("new_rows.csv")           # NewData(inputs, targets, frame)
    labels, probabilities = pre.decode(model(new.inputs), from_logits=True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from app.core.data.config import ColumnConfig
from app.core.data.errors import DataError
from app.core.data.images import load_image, scan_image_folder
from app.core.data.info import DataInfo
from app.core.data.preparation import TablePipeline, TargetEncoder, typed_column
from app.core.data.sources import detect_source
from app.core.data.tables import as_progress, read_table
from app.core.data.text import read_text_file
from app.core.data.tokenizers import Tokenizer, tokenizer_from_dict

FORMAT = "modelwright-preprocessor"
VERSION = 1


@dataclass
class NewData:
    """New data made ready for a trained model: ``targets`` is None when the file has no labels."""

    inputs: torch.Tensor
    targets: torch.Tensor | None
    frame: pd.DataFrame
    warnings: list[str]


class Preprocessor:
    """Base of the four kinds (table, text, image, language model); see the module docstring."""

    kind = ""

    def __init__(self, info: DataInfo, target: TargetEncoder | None) -> None:
        self.info = info
        self.target = target
        #: What infinite or too-large numbers in new data do: the training-time setting
        #: (``data.preparation.non_finite``), so predict never turns them into a silent answer.
        self.non_finite = "error"

    # --- saving -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        d = {"format": FORMAT, "version": VERSION, "kind": self.kind, "info": self.info.to_dict()}
        d["target"] = self.target.state if self.target is not None else None
        d.update(self._state())
        return d

    def _state(self) -> dict:
        raise NotImplementedError

    @staticmethod
    def from_dict(d: dict) -> "Preprocessor":
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise DataError("The saved data preparation is not a Modelwright preprocessor file.")
        if int(d.get("version", 0)) > VERSION:
            raise DataError("The saved data preparation comes from a newer Modelwright; update the app to use this run.")
        cls = {c.kind: c for c in (TablePreprocessor, TextPreprocessor, ImagePreprocessor, LanguageModelPreprocessor)}.get(d.get("kind"))
        if cls is None:
            raise DataError(f"Unknown kind of data preparation '{d.get('kind')}'.")
        try:
            return cls._from_state(d, DataInfo.from_dict(d["info"]), TargetEncoder(d["target"]) if d.get("target") else None)
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"The saved data preparation is incomplete or damaged ({exc}).") from None

    @classmethod
    def _from_state(cls, d: dict, info: DataInfo, target: TargetEncoder | None) -> "Preprocessor":
        raise NotImplementedError

    # --- new data -----------------------------------------------------------------------
    def transform_frame(self, df: pd.DataFrame, file_name: str = "the new data") -> torch.Tensor:
        """Model inputs for the rows of ``df`` (same steps as training)."""
        raise NotImplementedError

    def targets_from_frame(self, df: pd.DataFrame, file_name: str = "the new data") -> torch.Tensor:
        """Targets in the training form (class indices, 0/1, scaled values) for ``df``."""
        if self.target is None:
            raise DataError("This model has no target column to compare with.")
        columns = self.target.state["columns"]
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise DataError(f"The target column '{missing[0]}' is missing from {file_name}.")
        kind = "numeric" if self.target.task == "regression" else "categorical"
        typed = pd.DataFrame({c: typed_column(df, ColumnConfig(c, kind, "target"), file_name,
                                              non_finite=self.non_finite, new_data=True) for c in columns})
        return torch.from_numpy(self.target.transform(typed, file_name))

    def has_targets(self, df: pd.DataFrame) -> bool:
        return self.target is not None and all(c in df.columns for c in self.target.state["columns"])

    def read_frame(self, path: Path | str, progress=None) -> pd.DataFrame:
        """Rows of a new file in the form ``transform_frame`` takes."""
        path = Path(path)
        source = detect_source(path)
        if source.kind != "table":
            raise DataError(f"'{path.name}' is not a table; this model reads table rows.")
        return read_table(path, format=source.format, encoding=source.encoding, delimiter=source.delimiter, progress=progress)

    def load_new_data(self, path: Path | str, progress=None) -> NewData:
        """Read a new file or folder and prepare it as in training (targets when present)."""
        frame = self.read_frame(path, progress)
        name = f"'{Path(path).name}'"
        inputs = self.transform_frame(frame, name)
        targets = self.targets_from_frame(frame, name) if self.has_targets(frame) else None
        return NewData(inputs, targets, frame, list(frame.attrs.get("warnings", [])))

    # --- outputs ------------------------------------------------------------------------
    def decode(self, outputs: torch.Tensor, *, from_logits: bool | None = None) -> tuple[list, np.ndarray | None]:
        """Model outputs -> (labels in the user's terms, class probabilities (N, classes) or None).

        ``from_logits``: True for raw scores, False for probabilities (a final sigmoid or
        softmax), None to tell from the values.
        """
        raw = torch.as_tensor(outputs).detach().cpu()
        task = self.info.task
        if task == "language-model":
            return self._decode_tokens(raw)
        values = raw.to(torch.float32)
        if task == "regression":
            restored = self.target.inverse_regression(values.reshape(len(values), -1).numpy())
            labels = [float(r[0]) if restored.shape[1] == 1 else [float(v) for v in r] for r in restored]
            return labels, None
        if task == "binary":
            scores = values.reshape(len(values), -1)[:, 0]
            if from_logits is None:
                from_logits = bool(len(scores)) and (scores.min() < 0 or scores.max() > 1)
            p = torch.sigmoid(scores) if from_logits else scores.clamp(0, 1)
            probabilities = torch.stack([1 - p, p], dim=1).numpy()
            return [self.target.labels[int(v)] for v in (p >= 0.5).tolist()], probabilities
        if task == "classification":
            scores = values.reshape(len(values), -1)
            if from_logits is None:
                from_logits = bool(len(scores)) and not (
                    scores.min() >= 0 and torch.allclose(scores.sum(1), torch.ones(len(scores)), atol=1e-3)
                )
            probabilities = torch.softmax(scores, dim=1) if from_logits else scores
            return [self.target.labels[i] for i in probabilities.argmax(1).tolist()], probabilities.numpy()
        raise DataError(f"Unknown task '{task}'.")

    def _decode_tokens(self, values: torch.Tensor) -> tuple[list, np.ndarray | None]:
        raise DataError("This model does not produce tokens.")


class TablePreprocessor(Preprocessor):
    """Table rows -> float32 vectors (fill, encode, scale as fitted)."""

    kind = "table"

    def __init__(self, info: DataInfo, target: TargetEncoder | None, pipeline: TablePipeline,
                 non_finite: str = "error") -> None:
        super().__init__(info, target)
        self.pipeline = pipeline
        self.non_finite = non_finite

    @property
    def feature_names(self) -> list[str]:
        return self.pipeline.output_names

    def _state(self) -> dict:
        state = {"features": self.pipeline.state, "feature_names": self.feature_names}
        if self.non_finite != "error":  # files written before the setting existed read as "error"
            state["non_finite"] = self.non_finite
        return state

    @classmethod
    def _from_state(cls, d: dict, info: DataInfo, target: TargetEncoder | None) -> "TablePreprocessor":
        non_finite = d.get("non_finite", "error")
        if non_finite not in ("error", "missing"):
            raise ValueError(f"non_finite is {non_finite!r}")
        return cls(info, target, TablePipeline(list(d["features"])), non_finite)

    def transform_frame(self, df: pd.DataFrame, file_name: str = "the new data") -> torch.Tensor:
        columns = [ColumnConfig(e["name"], e["type"], "feature") for e in self.pipeline.state]
        typed = pd.DataFrame({c.name: typed_column(df, c, file_name, non_finite=self.non_finite, new_data=True)
                              for c in columns}, index=df.index)
        return torch.from_numpy(self.pipeline.transform(typed))


class TextPreprocessor(Preprocessor):
    """A text column -> (N, seq_len) token ids, padded with 0."""

    kind = "text"

    def __init__(self, info: DataInfo, target: TargetEncoder | None, column: str, tokenizer: Tokenizer, seq_len: int) -> None:
        super().__init__(info, target)
        self.column, self.tokenizer, self.seq_len = column, tokenizer, int(seq_len)

    def _state(self) -> dict:
        return {"column": self.column, "seq_len": self.seq_len, "tokenizer": self.tokenizer.to_dict()}

    @classmethod
    def _from_state(cls, d: dict, info: DataInfo, target: TargetEncoder | None) -> "TextPreprocessor":
        return cls(info, target, d["column"], tokenizer_from_dict(d["tokenizer"]), d["seq_len"])

    def transform_frame(self, df: pd.DataFrame, file_name: str = "the new data") -> torch.Tensor:
        typed = typed_column(df, ColumnConfig(self.column, "text", "feature"), file_name)
        return self.tokenizer.encode_padded((t if t is not None else "" for t in typed), self.seq_len)


class ImagePreprocessor(Preprocessor):
    """Image files (a frame with a ``path`` column) -> normalised float (N, C, H, W)."""

    kind = "image"

    def __init__(self, info: DataInfo, target: TargetEncoder | None, size: tuple[int, int], channels: int, mean: list[float], std: list[float]) -> None:
        super().__init__(info, target)
        self.size, self.channels = (int(size[0]), int(size[1])), int(channels)
        self.mean, self.std = [float(m) for m in mean], [float(s) for s in std]

    def _state(self) -> dict:
        return {"size": list(self.size), "channels": self.channels, "mean": self.mean, "std": self.std}

    @classmethod
    def _from_state(cls, d: dict, info: DataInfo, target: TargetEncoder | None) -> "ImagePreprocessor":
        return cls(info, target, tuple(d["size"]), d["channels"], d["mean"], d["std"])

    def normalise(self, images: torch.Tensor) -> torch.Tensor:
        mean = torch.tensor(self.mean)[None, :, None, None]
        std = torch.tensor(self.std)[None, :, None, None]
        return (images.to(torch.float32) / 255.0 - mean) / std

    def transform_frame(self, df: pd.DataFrame, file_name: str = "the new data") -> torch.Tensor:
        if "path" not in df.columns:
            raise DataError(f"{file_name} needs a 'path' column with the image files to read.")
        arrays = []
        for path in df["path"]:
            try:
                arrays.append(load_image(Path(path), self.size, self.channels))
            except Exception as exc:  # Pillow raises many types for unreadable files
                raise DataError(f"The image '{Path(path).name}' cannot be read ({type(exc).__name__}).") from None
        stacked = np.stack(arrays) if arrays else np.zeros((0, self.channels, *self.size), dtype=np.uint8)
        return self.normalise(torch.from_numpy(stacked))

    def read_frame(self, path: Path | str, progress=None) -> pd.DataFrame:
        """A frame of image paths (with the ``label`` from the sub-folder when there is one).

        Unreadable images are left out and named in ``frame.attrs["warnings"]``.
        """
        root = Path(path)
        if root.is_file():
            paths, labels = [root], None
        else:
            paths, labels = scan_image_folder(root)
        report = as_progress(progress)
        keep, warnings = [], []
        for i, p in enumerate(paths):
            report(i / max(len(paths), 1), "Checking images")
            try:
                load_image(p, (8, 8), 1)
                keep.append(i)
            except Exception as exc:  # skip and tell, as in training
                warnings.append(f"Skipped '{p.name}': it is not a readable image ({type(exc).__name__}).")
        frame = pd.DataFrame({"path": [str(paths[i]) for i in keep]})
        if labels is not None:
            frame["label"] = [labels[i] for i in keep]
        frame.attrs["warnings"] = warnings
        return frame

    def targets_from_frame(self, df: pd.DataFrame, file_name: str = "the new data") -> torch.Tensor:
        renamed = df.rename(columns={"label": self.target.state["columns"][0]})
        return super().targets_from_frame(renamed, file_name)

    def has_targets(self, df: pd.DataFrame) -> bool:
        if self.target is None or "label" not in df.columns:
            return False
        return set(df["label"]) <= {str(v) for v in self.target.labels}


class LanguageModelPreprocessor(Preprocessor):
    """Text <-> token ids for a language model; the vocabulary is the model's output space."""

    kind = "language-model"

    def __init__(self, info: DataInfo, tokenizer: Tokenizer, seq_len: int) -> None:
        super().__init__(info, None)
        self.tokenizer, self.seq_len = tokenizer, int(seq_len)

    def _state(self) -> dict:
        return {"seq_len": self.seq_len, "tokenizer": self.tokenizer.to_dict()}

    @classmethod
    def _from_state(cls, d: dict, info: DataInfo, target: TargetEncoder | None) -> "LanguageModelPreprocessor":
        return cls(info, tokenizer_from_dict(d["tokenizer"]), d["seq_len"])

    def encode_text(self, text: str) -> torch.Tensor:
        """A prompt as a (1, T) int64 tensor (for ``generate``)."""
        return torch.tensor([self.tokenizer.encode(text)], dtype=torch.long).reshape(1, -1)

    def decode_tokens(self, ids) -> str:
        return self.tokenizer.decode(torch.as_tensor(ids).reshape(-1).tolist())

    def transform_frame(self, df: pd.DataFrame, file_name: str = "the new data") -> torch.Tensor:
        if "text" not in df.columns:
            raise DataError(f"{file_name} needs a 'text' column.")
        return self.tokenizer.encode_padded(df["text"].fillna("").astype(str), self.seq_len)

    def read_frame(self, path: Path | str, progress=None) -> pd.DataFrame:
        return pd.DataFrame({"text": [read_text_file(Path(path), progress=progress)]})

    def load_new_data(self, path: Path | str, progress=None) -> NewData:
        """The whole file as one token stream (inputs) and its next tokens (targets), (1, T)."""
        frame = self.read_frame(path, progress)
        ids = torch.tensor(self.tokenizer.encode(frame["text"].iloc[0]), dtype=torch.long)
        return NewData(ids[None, :-1], ids[None, 1:], frame, [])

    def _decode_tokens(self, values: torch.Tensor) -> tuple[list, np.ndarray | None]:
        # Integer input is token ids (N, T); float input is scores (N, T, vocab) or (N, vocab).
        ids = values.to(torch.long) if not values.is_floating_point() else values.argmax(-1)
        ids = ids.reshape(len(ids), -1) if ids.dim() else ids.reshape(1, 1)
        return [self.tokenizer.decode(row.tolist()) for row in ids], None
