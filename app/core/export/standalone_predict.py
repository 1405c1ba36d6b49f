"""Predictions from a model exported by Modelwright, without Modelwright.

Usage::

    python predict.py INPUT OUTPUT [--tokens N]

INPUT is a CSV/TSV/Excel table (table and text models), an image or a folder of images
(image models), or a text file (language models continue it for N tokens). OUTPUT gets a
CSV with the input columns, ``prediction`` and, for classes, one ``prob_<label>`` column per
class (language models: the continued text). It needs numpy, and as the model needs them:
torch (pytorch, torchscript exports, plus safetensors for pytorch) or onnxruntime (onnx),
pandas for tables, Pillow for images, tokenizers for a fine-tuned base's tokenizer.

This file is copied into export folders as ``predict.py``; it reads ``export.json`` and
``preprocessing.json`` beside it, and must never import Modelwright. Lines between
``# >>> needs NAME`` and ``# <<< needs NAME`` import NAME: the export keeps them only when its
model uses them, so ``requirements.txt`` beside it lists exactly what the copy imports.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def write_atomically(target, write) -> None:
    """``write(temporary_path)`` then rename it over ``target``: an interrupted run never
    leaves a half-written output file (or destroys the previous one)."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


TRUE_WORDS = {"true", "yes", "y", "t", "是", "真", "1"}
FALSE_WORDS = {"false", "no", "n", "f", "否", "假", "0"}
WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|\w+|[^\w\s]", re.UNICODE)
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif", ".tif", ".tiff"}


# --- the model ----------------------------------------------------------------------------
def load_model(folder: Path):
    """A function: list of numpy inputs -> numpy outputs, for the exported format."""
    manifest = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    fmt = manifest["format"]
    # >>> needs onnxruntime
    if fmt == "onnx":
        import onnxruntime as ort

        session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]
        return lambda arrays: session.run(None, dict(zip(names, arrays)))[0]
    # <<< needs onnxruntime
    # >>> needs torch
    if fmt in ("torchscript", "pytorch"):
        return torch_model(folder, manifest)
    # <<< needs torch
    raise SystemExit(f"predict.py does not run '{fmt}' exports.")


# >>> needs torch
def torch_model(folder: Path, manifest: dict):
    """A TorchScript file, or model.py with the safetensors weights, as a numpy -> numpy function."""
    import torch

    fmt = manifest["format"]
    if fmt == "torchscript":
        model = torch.jit.load(str(folder / "model.pt"), map_location="cpu")
    # >>> needs safetensors
    if fmt == "pytorch":
        from safetensors.torch import load_file

        spec = importlib.util.spec_from_file_location("exported_model", folder / "model.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["exported_model"] = module
        spec.loader.exec_module(module)
        model = getattr(module, manifest["class_name"])()
        model.load_state_dict(load_file(str(folder / "model.safetensors")), strict=True)
    # <<< needs safetensors
    model.eval()

    def run(arrays):
        with torch.no_grad():
            return model(*[torch.from_numpy(np.ascontiguousarray(a)) for a in arrays]).float().numpy()
    return run
# <<< needs torch


def predict_batches(model, inputs: np.ndarray, batch_size: int = 256) -> np.ndarray:
    parts = [np.asarray(model([inputs[i:i + batch_size]])) for i in range(0, len(inputs), batch_size)]
    return np.concatenate(parts) if parts else np.zeros((0,), dtype=np.float32)


# --- preparation (the same steps as in training, from preprocessing.json) -----------------
def guess_delimiter(text: str, suffix: str) -> str:
    """The delimiter that splits the first records into the most fields, as many in each.

    Records are read with quotes respected, so a quoted column name holding ';', quotes or a
    line break stays one field; on a tie the file's own kind wins (',' for .csv, tab for .tsv).
    """
    preferred = "\t" if suffix in (".tsv", ".tab") else ","
    sample = text[:1 << 16]
    best, most = preferred, 1
    for delimiter in sorted(",;\t|", key=lambda d: d != preferred):
        try:
            rows = [row for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)][:21]
        except csv.Error:
            continue
        if len(text) > len(sample):
            rows = rows[:-1]  # the last record may be cut off by the sample
        counts = {len(row) for row in rows if row}
        if len(counts) == 1 and (fields := counts.pop()) > most:
            best, most = delimiter, fields
    return best


# >>> needs pandas
def read_table(path: Path):
    import pandas as pd

    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return pd.read_excel(path)
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return pd.read_csv(io.StringIO(text, newline=""), sep=guess_delimiter(text, path.suffix.lower()))
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise SystemExit(f"Cannot read '{path.name}' as a table ({str(exc).strip()}).") from None
    raise SystemExit(f"Cannot read '{path.name}': unknown text encoding; save it as UTF-8.")


def typed(frame, name: str, kind: str):
    import pandas as pd

    if name not in frame.columns:
        raise SystemExit(f"The column '{name}' is missing from the input; the model needs it.")
    series = frame[name]
    if kind in ("numeric", "boolean"):
        if pd.api.types.is_bool_dtype(series) or (pd.api.types.is_numeric_dtype(series)):
            return series.astype("float64")
        words = series.astype("string").str.strip()
        if kind == "boolean":
            lowered = words.str.lower()
            return pd.Series(np.where(lowered.isin(TRUE_WORDS), 1.0, np.where(lowered.isin(FALSE_WORDS), 0.0, np.nan)),
                             index=series.index)
        numbers = pd.to_numeric(words.where(words != ""), errors="coerce")
        bad = numbers.isna() & words.notna() & (words != "")
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise SystemExit(f"Column '{name}', row {row + 1}: '{words.iloc[row]}' is not a number.")
        return numbers.astype("float64")
    strings = series.astype("string").str.strip()
    strings = strings.mask(strings == "")
    return strings.astype(object).where(strings.notna(), None)


def scale(values: np.ndarray, scaler) -> np.ndarray:
    return values if not scaler else (values - scaler["center"]) / scaler["scale"]


def table_inputs(pre: dict, frame) -> np.ndarray:
    import pandas as pd

    blocks = []
    for entry in pre["features"]:
        values = typed(frame, entry["name"], entry["type"])
        if entry["type"] in ("numeric", "boolean"):
            numbers = values.astype("float64").fillna(entry["fill"]).to_numpy()
            blocks.append(scale(numbers, entry.get("scaling"))[:, None])
            continue
        strings = values.where(values.notna(), entry["fill"]).astype(str)
        codes = pd.Index(entry["categories"]).get_indexer(strings)
        if entry["encoding"] == "onehot":
            onehot = np.zeros((len(codes), len(entry["categories"])), dtype=np.float32)
            known = codes >= 0
            onehot[np.flatnonzero(known), codes[known]] = 1.0
            blocks.append(onehot)
        else:
            blocks.append(scale(codes.astype("float64"), entry.get("scaling"))[:, None])
    if not blocks:
        return np.zeros((len(frame), 0), dtype=np.float32)
    return np.concatenate(blocks, axis=1).astype(np.float32)
# <<< needs pandas


class Tokenizer:
    def __init__(self, spec: dict) -> None:
        self.level, self.lowercase = spec["type"], bool(spec.get("lowercase"))
        self.backend = None
        # >>> needs tokenizers
        if self.level == "pretrained":  # a fine-tuned base's own tokenizer (needs the 'tokenizers' package)
            from tokenizers import Tokenizer as Backend

            self.backend = Backend.from_str(spec["tokenizer_json"])
            self.backend.no_padding()
            self.backend.no_truncation()
            self.pad = spec.get("pad_id") or 0
            return
        # <<< needs tokenizers
        self.vocab = spec["vocab"]
        self.index = {tok: i for i, tok in enumerate(self.vocab)}

    def split(self, text: str) -> list[str]:
        text = text.lower() if self.lowercase else text
        return list(text) if self.level == "char" else WORD.findall(text)

    def encode(self, text: str) -> list[int]:
        if self.backend is not None:
            return self.backend.encode(text, add_special_tokens=False).ids
        return [self.index.get(tok, 1) for tok in self.split(text)]

    def decode(self, ids) -> str:
        if self.backend is not None:
            return self.backend.decode([int(i) for i in ids], skip_special_tokens=True)
        tokens = [self.vocab[i] if 0 <= i < len(self.vocab) else "<unk>" for i in ids if i != 0]
        return "".join(tokens) if self.level == "char" else " ".join(tokens)

    def padded(self, texts, seq_len: int) -> np.ndarray:
        if self.backend is not None:  # with the model's markers ([CLS] ... [SEP]); a cut text keeps its last one
            rows = []
            for enc in self.backend.encode_batch([t if isinstance(t, str) else "" for t in texts]):
                ids = enc.ids
                if len(ids) > seq_len:
                    ids = ids[:seq_len - 1] + ids[-1:] if enc.special_tokens_mask[-1] else ids[:seq_len]
                rows.append(ids + [self.pad] * (seq_len - len(ids)))
            return np.asarray(rows, dtype=np.int64).reshape(-1, seq_len)
        rows = []
        for text in texts:
            ids = self.encode(text)[:seq_len]
            rows.append(ids + [0] * (seq_len - len(ids)))
        return np.asarray(rows, dtype=np.int64).reshape(-1, seq_len)


# >>> needs PIL
def image_inputs(pre: dict, paths: list[Path]) -> np.ndarray:
    from PIL import Image

    h, w = pre["size"]
    mode = "L" if pre["channels"] == 1 else "RGB"
    arrays = []
    for path in paths:
        with Image.open(path) as img:
            img.draft(mode, (w, h))
            img = img.convert(mode)
            if (img.height, img.width) != (h, w):
                img = img.resize((w, h), Image.BILINEAR)
            a = np.asarray(img, dtype=np.uint8)
        arrays.append(a[None] if pre["channels"] == 1 else a.transpose(2, 0, 1))
    images = np.stack(arrays).astype(np.float32) / 255.0
    mean = np.asarray(pre["mean"], dtype=np.float32)[None, :, None, None]
    std = np.asarray(pre["std"], dtype=np.float32)[None, :, None, None]
    return ((images - mean) / std).astype(np.float32)
# <<< needs PIL


# --- outputs ------------------------------------------------------------------------------
def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def decode(pre: dict, outputs: np.ndarray, logits: bool):
    """(labels or values, probabilities or None) in the user's terms."""
    target, task = pre["target"], pre["info"]["task"]
    values = outputs.reshape(len(outputs), -1).astype(np.float64)
    if task == "regression":
        restored = np.stack([values[:, j] * s["scale"] + s["center"] for j, s in enumerate(target["scalers"])], axis=1)
        return restored, None
    if task == "binary":
        p = 1.0 / (1.0 + np.exp(-values[:, 0])) if logits else np.clip(values[:, 0], 0, 1)
        return [target["labels"][int(v >= 0.5)] for v in p], np.stack([1 - p, p], axis=1)
    probabilities = softmax(values) if logits else values
    return [target["labels"][i] for i in probabilities.argmax(1)], probabilities


def continue_text(model, pre: dict, text: str, tokens: int) -> str:
    tok = Tokenizer(pre["tokenizer"])
    ids = tok.encode(text) or [1]
    for _ in range(tokens):
        context = np.asarray([ids[-pre["seq_len"]:]], dtype=np.int64)
        scores = np.asarray(model([context]))
        ids.append(int(scores[0, -1].argmax()))
    return text + (" " if tok.level == "word" else "") + tok.decode(ids[len(tok.encode(text) or [1]):])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Predictions from this exported model.")
    parser.add_argument("input", type=Path, help="CSV/Excel table, image or image folder, or text file")
    parser.add_argument("output", type=Path, help="CSV to write (language models: a text file)")
    parser.add_argument("--tokens", type=int, default=100, help="language models: how many tokens to add")
    args = parser.parse_args(argv)
    pre = json.loads((HERE / "preprocessing.json").read_text(encoding="utf-8"))
    model = load_model(HERE)
    kind = pre["kind"]
    if kind == "language-model":
        text = args.input.read_text(encoding="utf-8")
        text = continue_text(model, pre, text, args.tokens)
        write_atomically(args.output, lambda path: Path(path).write_text(text, encoding="utf-8"))
        print(f"Continued text written to {args.output}")
        return 0
    # >>> needs pandas
    return predict_table(args, pre, model, kind)
    # <<< needs pandas
    raise SystemExit(f"predict.py does not read '{kind}' inputs.")


# >>> needs pandas
def predict_table(args, pre: dict, model, kind: str) -> int:
    """Tables, text columns and images: one prediction per row, written as CSV beside the input columns."""
    import pandas as pd

    if kind == "image":
        paths = ([args.input] if args.input.is_file() else
                 sorted(p for p in args.input.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES))
        frame = pd.DataFrame({"path": [str(p) for p in paths]})
        inputs = image_inputs(pre, paths)
    else:
        frame = read_table(args.input)
        if kind == "text":
            texts = typed(frame, pre["column"], "text")
            inputs = Tokenizer(pre["tokenizer"]).padded((t if t is not None else "" for t in texts), pre["seq_len"])
        else:
            inputs = table_inputs(pre, frame)
    outputs = predict_batches(model, inputs)
    labels, probabilities = decode(pre, outputs, pre["outputs_are_logits"])
    table = frame.copy()
    name = "prediction" if "prediction" not in table.columns else "predicted"
    if pre["info"]["task"] == "regression":
        columns = pre["target"]["columns"]
        if len(columns) == 1:
            table[name] = labels[:, 0]
        else:
            for j, column in enumerate(columns):
                table[f"{name}_{column}"] = labels[:, j]
    else:
        table[name] = labels
    if probabilities is not None:
        for j, label in enumerate(pre["target"]["labels"]):
            table[f"prob_{label}"] = probabilities[:, j]
    write_atomically(args.output, lambda path: table.to_csv(path, index=False))
    print(f"{len(table)} predictions written to {args.output}")
    return 0
# <<< needs pandas


if __name__ == "__main__":
    sys.exit(main())
