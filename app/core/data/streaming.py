"""Data larger than memory: prepared once into ``.npy`` files on disk, read batch by batch.

When the prepared tensors of a table or an image folder would exceed the memory budget
(``data.memory_limit_mb``, by default half of the memory available), :func:`prepare`
writes them once into a cache folder (``data.cache_dir``, by default ``.modelwright-cache``
next to the project, or the temp folder when that is not writable) and trains from there:

- tables (CSV, Parquet) are read in chunks and pass through the same fitted pipeline, so
  the raw table is never wholly in memory; the features go into one float32 memmap;
- images are decoded and resized once into one uint8 memmap.

A cache entry is named by a hash of the data section and of the source's size and
modification time, so a changed file is prepared again; it is built in a temporary folder
and renamed into place, so an interrupted preparation leaves nothing half-written.

Fitting needs a pass over the training rows. Category sets, minimum/maximum, mean and
standard deviation are computed over all training rows, chunk by chunk (mean and variance
with Chan's parallel formula); a median or a most-frequent fill value comes from a sample
of at most :data:`FIT_SAMPLE_ROWS` training rows, drawn from the split seed. When the
training rows fit in the sample, the fit is exactly the in-memory one.

A :class:`StreamingSplit` keeps the :class:`~app.core.data.datasets.TrainingSplit` protocol.
It reads ahead: when a batch request continues the epoch order it handed out (or walks the
rows in order, as evaluation does), the following batches of that run are fetched through a
``torch.utils.data.DataLoader`` over that plan, by reader processes (see
:func:`default_workers`) while the model trains on the current batch. Any other request is
read directly, so results never depend on the read-ahead.

Example::

    split = StreamingSplit(cache / "x.npy", rows, targets, image=None)
    order = split.epoch_order(epoch, seed=7, shuffle=True)
    x, y = split.batch(order[:32], train=True, seed=7, step=0)   # workers fetch the next ones
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from app.core.data.config import AugmentationConfig, ColumnConfig, DataConfig, PreparationConfig
from app.core.data.datasets import image_batch
from app.core.data.errors import DataError
from app.core.data.info import DataInfo
from app.core.data.preparation import NonFiniteTally, TablePipeline, TargetEncoder, _fit_scaler, typed_column
from app.core.data.preprocessor import Preprocessor, TablePreprocessor
from app.core.data.seeding import generator
from app.core.data.split import SPLIT_NAMES

#: Share of the memory available when preparation starts that prepared data may take.
DEFAULT_MEMORY_FRACTION = 0.5
#: Training rows whose values a median or most-frequent fill value is computed from.
FIT_SAMPLE_ROWS = 200_000
#: Bytes of the source file read per chunk (at most; a tiny budget reads smaller chunks).
CHUNK_BYTES = 16 * 2**20
#: Raise when the data section or the on-disk layout changes meaning.
CACHE_FORMAT = 1
CACHE_FOLDER = ".modelwright-cache"
STREAMABLE_TABLE_FORMATS = ("csv", "parquet")


# ----------------------------------------------------------------------------- budget
def memory_budget(config: DataConfig) -> int:
    """Bytes prepared data may take in memory: the configured limit or a share of what is free."""
    if config.memory_limit_mb is not None:
        return int(config.memory_limit_mb * 2**20)
    try:
        import psutil

        available = psutil.virtual_memory().available
    except Exception:  # pragma: no cover - psutil is a dependency; this guards odd platforms
        available = 8 * 2**30
    return int(available * DEFAULT_MEMORY_FRACTION)


def default_workers() -> int:
    """Reader processes per split.

    None inside a daemon process (the GUI's training child: it may not have children) and
    none on two cores or fewer: measured there (``benchmarks/bench_streaming.py``), handing a
    batch between processes costs more than reading it from the page cache, and a reader
    process halved training speed. On more cores, one reader per four cores, at most four.
    """
    if multiprocessing.current_process().daemon:
        return 0
    cores = os.cpu_count() or 1
    return 0 if cores <= 2 else max(1, min(4, cores // 4))


# ----------------------------------------------------------------------------- splits
class _Rows:
    """Rows of one split in a ``.npy`` file, opened lazily (once per process) as a memmap."""

    def __init__(self, path: Path, rows: np.ndarray, targets: torch.Tensor, image: dict | None) -> None:
        self.path, self.rows, self.targets, self.image = Path(path), rows, targets, image
        self._array: np.ndarray | None = None
        self._pid = -1
        if image is not None:
            self._mean = torch.tensor(image["mean"], dtype=torch.float32)[None, :, None, None]
            self._std = torch.tensor(image["std"], dtype=torch.float32)[None, :, None, None]
            self._augmentation = AugmentationConfig.from_dict(image["augmentation"] or {})

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_array"], state["_pid"] = None, -1
        return state

    @property
    def array(self) -> np.ndarray:
        if self._array is None or self._pid != os.getpid():
            self._array, self._pid = np.load(self.path, mmap_mode="r"), os.getpid()
        return self._array

    def gather(self, indices: torch.Tensor) -> np.ndarray:
        """The stored rows of these split positions, read in file order for locality."""
        wanted = self.rows[indices.numpy()]
        order = np.argsort(wanted, kind="stable")
        values = self.array[wanted[order]]
        out = np.empty_like(values)
        out[order] = values
        return out

    def read(self, indices, train: bool, seed: int, step: int) -> tuple[torch.Tensor, torch.Tensor]:
        indices = torch.as_tensor(indices).to(torch.long)
        inputs = torch.from_numpy(self.gather(indices))
        if self.image is not None:
            inputs = image_batch(inputs, self._mean, self._std, self._augmentation, train=train, seed=seed, step=step)
        return inputs, self.targets[indices]


class _PlannedBatches(Dataset):
    """Each item is one whole batch, named by ``(indices, train, seed, step)``."""

    def __init__(self, rows: _Rows) -> None:
        self.rows = rows

    def __getitem__(self, key):
        indices, train, seed, step = key
        return self.rows.read(indices, train, seed, step)


@dataclass(frozen=True)
class _Plan:
    """The batches a run of requests is expected to ask for: ``order`` cut into ``size`` from ``start``."""

    order: torch.Tensor
    start: int
    size: int
    train: bool
    seed: int
    step: int

    def __len__(self) -> int:
        return -(-(len(self.order) - self.start) // self.size)

    def key(self, i: int) -> tuple:
        s = self.start + i * self.size
        return self.order[s:s + self.size], self.train, self.seed, self.step + i


class _PlanSampler(Sampler):
    """Yields the batch keys of the current read-ahead plan; the plan changes between runs."""

    def __init__(self) -> None:
        self.plan: _Plan | None = None

    def __iter__(self):
        # Indices travel to the workers as small numpy arrays (a tensor would be moved to shared memory).
        plan = self.plan
        for i in range(len(plan) if plan is not None else 0):
            indices, train, seed, step = plan.key(i)
            yield indices.numpy().copy(), train, seed, step

    def __len__(self) -> int:
        return len(self.plan) if self.plan is not None else 0


def _as_is(batch):
    return batch


class RowView:
    """Read-only, sliceable view of a split's stored inputs (for previews of a few samples)."""

    def __init__(self, rows: _Rows) -> None:
        self._rows = rows

    @property
    def dtype(self) -> torch.dtype:
        return torch.from_numpy(np.empty(0, dtype=self._rows.array.dtype)).dtype

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self._rows.rows), *self._rows.array.shape[1:])

    def __len__(self) -> int:
        return len(self._rows.rows)

    def __getitem__(self, item) -> torch.Tensor:
        positions = torch.arange(len(self))[item]
        return torch.from_numpy(self._rows.gather(positions.reshape(-1))).reshape(*positions.shape, *self.shape[1:])


class StreamingSplit:
    """A train/val/test part stored on disk; batches as with the in-memory splits (see module docstring).

    ``rows[i]`` is the file row of split sample ``i``; ``targets`` stay in memory (one
    number or a few per sample). ``image`` holds ``mean``, ``std`` and ``augmentation``
    for image data (batches are normalised and augmented exactly as ``ImageSplit`` does).
    """

    def __init__(self, path: Path | str, rows: np.ndarray, targets: torch.Tensor, *, image: dict | None = None,
                 workers: int | None = None, prefetch: int = 4) -> None:
        if len(rows) != len(targets):
            raise ValueError(f"rows ({len(rows)}) and targets ({len(targets)}) differ in length")
        self._rows = _Rows(Path(path), np.asarray(rows, dtype=np.int64), targets, image)
        self.workers = default_workers() if workers is None else int(workers)
        self.prefetch = prefetch
        self._loader: DataLoader | None = None
        self._sampler = _PlanSampler()
        self._iter: Iterator | None = None
        self._expected: _Plan | None = None
        self._next = 0
        self._order: torch.Tensor | None = None
        self._position: torch.Tensor | None = None

    # --- the TrainingSplit protocol --------------------------------------------------
    def __len__(self) -> int:
        return len(self._rows.rows)

    def epoch_order(self, epoch: int, seed: int, shuffle: bool) -> torch.LongTensor:
        order = (torch.randperm(len(self), generator=generator(seed, epoch)) if shuffle
                 else torch.arange(len(self), dtype=torch.long))
        self._order, self._position = order, None
        return order

    def batch(self, indices: torch.LongTensor, *, train: bool = False, seed: int = 0, step: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
        if self._iter is not None and self._expected is not None and self._next < len(self._expected):
            expected = self._expected.key(self._next)
            if expected[1] == train and (not train or (expected[2], expected[3]) == (seed, step)) \
                    and torch.equal(expected[0], indices):
                self._next += 1
                return next(self._iter)
        plan = self._plan(indices, train, seed, step)
        if plan is None or len(plan) < 2:
            return self._rows.read(indices, train, seed, step)
        self._start(plan)
        self._next = 1
        return next(self._iter)

    # --- extras ----------------------------------------------------------------------
    @property
    def inputs(self) -> RowView:
        return RowView(self._rows)

    @property
    def targets(self) -> torch.Tensor:
        return self._rows.targets

    def close(self) -> None:
        """Stop the reader processes (they also stop when the split is garbage collected)."""
        self._iter = None
        self._expected = None
        if self._loader is not None:
            iterator = getattr(self._loader, "_iterator", None)
            if iterator is not None and hasattr(iterator, "_shutdown_workers"):
                iterator._shutdown_workers()
            self._loader = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.update(_loader=None, _iter=None, _expected=None, _next=0, _sampler=_PlanSampler())
        return state

    # --- read-ahead ------------------------------------------------------------------
    def _plan(self, indices: torch.Tensor, train: bool, seed: int, step: int) -> _Plan | None:
        """The batches that follow ``indices`` in the last epoch order, or in row order."""
        n = len(indices)
        if n == 0:
            return None
        order = self._order
        if order is not None and len(order) == len(self):
            if self._position is None:
                self._position = torch.empty_like(order)
                self._position[order] = torch.arange(len(order))
            p = int(self._position[int(indices[0])])
            if torch.equal(order[p:p + n], indices):
                return _Plan(order, p, n, train, seed, step)
        first = int(indices[0])
        if first + n <= len(self) and torch.equal(indices, torch.arange(first, first + n)):
            return _Plan(torch.arange(len(self)), first, n, train, seed, step)
        return None

    def _start(self, plan: _Plan) -> None:
        if self._loader is None:
            workers = self.workers
            self._loader = DataLoader(
                _PlannedBatches(self._rows), sampler=self._sampler, batch_size=None, collate_fn=_as_is,
                num_workers=workers, persistent_workers=workers > 0,
                prefetch_factor=self.prefetch if workers > 0 else None,
            )
        self._sampler.plan = plan
        self._expected = plan
        self._iter = iter(self._loader)


# ----------------------------------------------------------------------------- cache
def _fingerprint(path: Path) -> list:
    """Size and modification time of a file, or of every file under a folder."""
    if path.is_file():
        st = path.stat()
        return [st.st_size, st.st_mtime_ns]
    files = sorted(p for p in path.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for p in files:
        st = p.stat()
        digest.update(f"{p.relative_to(path).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return [len(files), digest.hexdigest()]


def cache_key(config: DataConfig, source: Path | None) -> str:
    """A name for the prepared data: changes with the data section and with the source file."""
    section = {k: v for k, v in config.to_dict().items() if k not in ("memory_limit_mb", "cache_dir")}
    fingerprint = [str(source.resolve()), _fingerprint(source)] if source is not None else None
    text = json.dumps({"format": CACHE_FORMAT, "data": section, "source": fingerprint}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def cache_root(config: DataConfig, base_dir: Path | str | None) -> Path:
    """``data.cache_dir`` (relative to the project folder), else next to the project, else temp."""
    if config.cache_dir:
        root = Path(config.cache_dir).expanduser()
        if not root.is_absolute() and base_dir is not None:
            root = Path(base_dir) / root
        return root
    if base_dir is not None and os.access(base_dir, os.W_OK):
        return Path(base_dir) / CACHE_FOLDER
    return Path(tempfile.gettempdir()) / "modelwright-cache"


def _check_disk(root: Path, needed: int, what: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    if needed > free:
        raise DataError(
            f"{what} needs {needed / 1e9:.1f} GB on disk to prepare, but '{root}' has only {free / 1e9:.1f} GB free. "
            "Free some space, choose another 'data.cache_dir', or a smaller image size."
        )


def _build(root: Path, key: str, source: Path | None, write) -> Path:
    """Run ``write(folder)`` into a temporary folder and rename it into place."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / key
    if (final / "meta.json").is_file():
        return final
    tmp = root / f".{key}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.mkdir()
    try:
        meta = write(tmp)
        meta.update(format=CACHE_FORMAT, source=str(source.resolve()) if source is not None else None)
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        try:
            os.replace(tmp, final)
        except OSError:  # another process finished the same entry first
            if not (final / "meta.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(root, key, meta["source"])
    return final


def _prune(root: Path, keep: str, source: str | None) -> None:
    """Remove older entries prepared from the same source (a changed file or settings)."""
    if source is None:
        return
    for entry in root.iterdir():
        if entry.name == keep or entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("source") == source:
            shutil.rmtree(entry, ignore_errors=True)


def open_prepared(folder: Path, *, workers: int | None = None):
    """The :class:`PreparedData` of a finished cache entry."""
    from app.core.data.pipeline import PreparedData

    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    info = DataInfo.from_dict(meta["info"])
    targets = torch.from_numpy(np.load(folder / "y.npy"))
    splits: dict[str, StreamingSplit | None] = {}
    for k in SPLIT_NAMES:
        rows = np.load(folder / f"{k}_rows.npy")
        image = meta.get("image")
        if image is not None and k != "train":
            image = {**image, "augmentation": None}
        splits[k] = StreamingSplit(folder / "x.npy", rows, targets[torch.from_numpy(rows)], image=image,
                                   workers=workers) if len(rows) else None
    preprocessor = Preprocessor.from_dict(meta["preprocessor"])
    return PreparedData(info, splits["train"], splits["val"], splits["test"], preprocessor, list(meta["warnings"]),
                        dict(meta["sizes"]))


def _save_parts(folder: Path, parts: dict[str, np.ndarray], targets: np.ndarray) -> None:
    for k in SPLIT_NAMES:
        np.save(folder / f"{k}_rows.npy", np.asarray(parts[k], dtype=np.int64))
    np.save(folder / "y.npy", targets)


# ----------------------------------------------------------------------------- images
def prepare_images_streaming(config: DataConfig, base_dir, root: Path, paths: list[Path], folder_labels: list[str],
                             image, report, *, workers: int | None = None):
    """Decode every image once into a uint8 memmap; the rest as in the in-memory path."""
    from app.core.data.images import load_image
    from app.core.data.pipeline import _image_task, _split_parts, channel_stats
    from app.core.data.preprocessor import ImagePreprocessor

    needed = len(paths) * image.channels * image.size[0] * image.size[1]
    store = cache_root(config, base_dir)
    key = cache_key(config, root)

    def write(folder: Path) -> dict:
        _check_disk(store, needed, f"'{root.name}'")
        pixels = np.lib.format.open_memmap(folder / "x.npy", mode="w+", dtype=np.uint8,
                                           shape=(len(paths), image.channels, *image.size))
        ok: list[int] = []
        warnings: list[str] = []
        for i, path in enumerate(paths):
            if i % 64 == 0:
                report(0.8 * i / max(len(paths), 1), f"Decoding images ({i}/{len(paths)})")
            try:
                pixels[len(ok)] = load_image(path, image.size, image.channels)
                ok.append(i)
            except Exception as exc:  # Pillow raises many types for broken files: skip and tell
                name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
                warnings.append(f"Skipped '{name}': it is not a readable image ({type(exc).__name__}).")
        if not ok:
            raise DataError("None of the images could be read; check that the files are PNG, JPEG, BMP or WebP images.")
        pixels.flush()
        labels = np.asarray(folder_labels, dtype=object)[np.asarray(ok)]
        frame = pd.DataFrame({"label": labels})
        task = _image_task(config, labels, root)
        parts = _split_parts(config, frame, labels if config.split.method == "stratified" else None)
        report(0.85, "Computing image statistics")
        target = TargetEncoder.fit(frame, [ColumnConfig("label", "categorical", "target")], task, PreparationConfig())
        mean, std = channel_stats(pixels[: len(ok)], parts["train"])
        del pixels
        info = DataInfo("image", (image.channels, *image.size), task, target.n_outputs, None, target.class_names)
        preprocessor = ImagePreprocessor(info, target, image.size, image.channels, mean, std)
        _save_parts(folder, parts, target.transform(frame, f"'{root.name}'"))
        return {"info": info.to_dict(), "preprocessor": preprocessor.to_dict(), "warnings": warnings,
                "sizes": {k: len(v) for k, v in parts.items()},
                "image": {"mean": mean, "std": std, "augmentation": image.augmentation.to_dict()}}

    return open_prepared(_build(store, key, root, write), workers=workers)


# ----------------------------------------------------------------------------- tables
def table_streamable(config: DataConfig, base_dir) -> Path | None:
    """The source path when this table can be read in chunks, else None."""
    from app.core.data.sources import resolve_path
    from app.core.data.tables import table_format

    source = config.source
    if source.kind != "table" or any(c.type == "text" for c in config.feature_columns()):
        return None
    path = resolve_path(source, base_dir)
    fmt = source.format or table_format(path)
    return path if fmt in STREAMABLE_TABLE_FORMATS else None


def estimate_table_bytes(config: DataConfig, path: Path) -> int:
    """Rough memory the in-memory path would take: raw table, typed columns, encoded matrix."""
    used = len([c for c in config.columns if c.role != "ignore"]) or 1
    if (config.source.format or path.suffix.lower().lstrip(".")) in ("parquet", "pq"):
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(path).metadata.num_rows
        return rows * used * 24
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    lines = max(head.count(b"\n"), 1)
    rows = int(size / (len(head) / lines))
    return max(3 * size, rows * used * 24)


class _ChunkReader:
    """Chunks of a CSV or Parquet table as DataFrames, with the columns the data section uses.

    CSV: numeric columns are read as numbers by pyarrow (as the in-memory reader does), the
    others as text; if a numeric column holds a word, every column is read as text and the
    typing step names the bad value.
    """

    def __init__(self, config: DataConfig, path: Path, chunk_bytes: int) -> None:
        self.config, self.path, self.chunk_bytes = config, path, chunk_bytes
        self.columns = [c.name for c in config.columns if c.role != "ignore"]
        if config.split.method == "column" and config.split.column not in self.columns:
            self.columns.append(config.split.column)
        self.as_text = False
        self.newlines_in_values = False

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Every chunk in file order."""
        fmt = self.config.source.format or ("parquet" if self.path.suffix.lower() in (".parquet", ".pq") else "csv")
        return self._parquet() if fmt == "parquet" else self._csv()

    def retry_or_raise(self, exc: Exception) -> None:
        """After a failed pass: read more leniently next time, or raise the user's error."""
        import pyarrow as pa

        from app.core.data.tables import _wrong_encoding, locate_csv_problem

        if isinstance(exc, UnicodeDecodeError):
            raise _wrong_encoding(self.path, self._encoding()) from None
        if not isinstance(exc, pa.ArrowInvalid):
            raise exc
        if not self.as_text:
            self.as_text = True  # a numeric column holds a word: let the typing step name it
        elif not self.newlines_in_values:
            self.newlines_in_values = True
        else:
            raise locate_csv_problem(self.path, self._encoding(), self._delimiter(), exc) from None

    def check_columns(self) -> None:
        """The columns the data section names must be in the file's header."""
        import pyarrow.parquet as pq

        from app.core.data import limits

        if self.path.suffix.lower() in (".parquet", ".pq") or self.config.source.format == "parquet":
            schema = pq.ParquetFile(self.path).schema_arrow
            limits.check_arrow_schema(schema, self.path.name)
            names = schema.names
        else:
            from app.core.data import sniff

            limits.check_csv_header(self.path, self._encoding(), self._delimiter())
            head = sniff.decode_head(self.path, self._encoding(), sniff.read_head(self.path))
            first = next(iter(head.splitlines()), "").lstrip("\ufeff")
            try:
                names = next(csv.reader([first], delimiter=self._delimiter()), [])
            except csv.Error:  # a name longer than the csv module's field limit: no column matches it
                names = first.split(self._delimiter())
        missing = [c for c in self.columns if c not in names]
        if missing:
            raise DataError(
                f"The column '{missing[0]}' is missing from '{self.path.name}'. The data settings name it; "
                f"the file has: {', '.join(map(str, names[:12]))}."
            )

    def _encoding(self) -> str:
        from app.core.data import sniff

        return self.config.source.encoding or sniff.detect_encoding(self.path, sniff.read_head(self.path))

    def _delimiter(self) -> str:
        return self.config.source.delimiter or ","

    def _csv(self) -> Iterator[pd.DataFrame]:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        from app.core.data.tables import _arrow_encoding

        numeric = {c.name for c in self.config.columns if c.type == "numeric"}
        types = {name: pa.string() if self.as_text or name not in numeric else pa.float64() for name in self.columns}
        reader = pacsv.open_csv(
            self.path,
            read_options=pacsv.ReadOptions(encoding=_arrow_encoding(self._encoding()),
                                           block_size=max(self.chunk_bytes, 64 * 1024)),
            parse_options=pacsv.ParseOptions(delimiter=self._delimiter(), newlines_in_values=self.newlines_in_values),
            convert_options=pacsv.ConvertOptions(strings_can_be_null=True, column_types=types,
                                                 include_columns=self.columns),
        )
        for batch in reader:
            yield batch.to_pandas()

    def _parquet(self) -> Iterator[pd.DataFrame]:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(self.path)
        rows = max(1024, self.chunk_bytes // max(1, 16 * len(self.columns)))
        for batch in pf.iter_batches(batch_size=rows, columns=self.columns):
            yield batch.to_pandas()


def read_chunks(reader: _ChunkReader) -> Iterator[pd.DataFrame]:
    """The chunks of one pass over the table (a seam for tests that watch chunk sizes)."""
    return reader.chunks()


_ROW_WORDS = re.compile(r"\b(row|line) (\d+)")


def _shifted(error: DataError, offset: int) -> DataError:
    """A typing error of a chunk, with row and line numbers counted from the file's start."""
    text = _ROW_WORDS.sub(lambda m: f"{m.group(1)} {int(m.group(2)) + offset}", str(error))
    return DataError(text)


@dataclass
class _Cleaned:
    typed: pd.DataFrame  # typed feature and target columns of the kept rows of the chunk
    kept: np.ndarray  # bool per raw row of the chunk
    raw: pd.DataFrame  # the raw chunk (for the split column)


class _Cleaner:
    """Row-level cleaning of :func:`~app.core.data.preparation.clean_rows`, chunk by chunk.

    Duplicate rows are found across chunks by a 64-bit hash of the typed row.
    """

    def __init__(self, config: DataConfig, name: str) -> None:
        self.config, self.name = config, name
        self.features, self.targets = config.feature_columns(), config.target_columns()
        self.target_types = [ColumnConfig(c.name, "categorical" if c.type == "boolean" else c.type, c.role)
                             for c in self.targets]
        self.offset = 0
        self.seen = np.zeros(0, dtype=np.uint64)
        self.counts = {"rows": 0, "no_target": 0, "duplicates": 0, "incomplete": 0, "complete": 0}
        # Infinite or too-large numbers become missing while reading, so the whole file is
        # counted; finish() then refuses them when the setting says "error".
        self.non_finite = NonFiniteTally()

    def clean(self, chunk: pd.DataFrame) -> _Cleaned:
        from app.core.data.labels import apply_label_overrides

        n = len(chunk)
        chunk.index = pd.RangeIndex(self.offset, self.offset + n)
        overrides = {r - self.offset: v for r, v in self.config.label_overrides.items() if self.offset <= r < self.offset + n}
        if overrides:
            chunk = apply_label_overrides(chunk.reset_index(drop=True), self.targets[0].name, overrides, self.name)
            chunk.index = pd.RangeIndex(self.offset, self.offset + n)
        try:
            typed = pd.DataFrame({c.name: typed_column(chunk, c, self.name, non_finite="missing",
                                                       tally=self.non_finite, offset=self.offset)
                                  for c in self.features + self.target_types}, index=chunk.index)
        except DataError as exc:
            raise _shifted(exc, self.offset) from None
        keep = ~typed[[c.name for c in self.targets]].isna().any(axis=1).to_numpy()
        self.counts["no_target"] += int((~keep).sum())
        if self.config.preparation.drop_duplicates:
            hashes = pd.util.hash_pandas_object(typed, index=False).to_numpy()
            dup = pd.Series(hashes).duplicated().to_numpy() | np.isin(hashes, self.seen)
            dup &= keep
            self.counts["duplicates"] += int(dup.sum())
            self.seen = np.union1d(self.seen, hashes[keep])
            keep &= ~dup
        if self.config.preparation.missing == "drop":
            incomplete = typed.isna().any(axis=1).to_numpy() & keep
            self.counts["incomplete"] += int(incomplete.sum())
            keep &= ~incomplete
        self.counts["complete"] += int(keep.sum())
        self.counts["rows"] += n
        self.offset += n
        return _Cleaned(typed[keep], keep, chunk)

    def finish(self) -> list[str]:
        """The warnings of :func:`clean_rows`, and its errors for a table left empty."""
        counts, name = self.counts, self.name
        if self.config.preparation.non_finite == "error" and self.non_finite.error(name) is not None:
            raise self.non_finite.error(name)
        beyond = [row for row in self.config.label_overrides if row >= counts["rows"]]
        if beyond:
            raise DataError(
                f"{len(beyond)} edited label(s) refer to rows past the end of {name} (it has {counts['rows']} rows, "
                f"first missing row {min(beyond) + 1}); the file has changed since it was labelled."
            )
        if counts["no_target"] == counts["rows"]:
            names = ", ".join(c.name for c in self.targets)
            raise DataError(f"The target column '{names}' of {name} has no values: every row is empty there.")
        if counts["complete"] == 0 and counts["incomplete"]:
            raise DataError(
                f"Every row of {name} has a missing value in some feature column, so dropping incomplete "
                "rows leaves nothing. Fill missing values (mean, median, mode) instead, or ignore the sparse columns."
            )
        warnings = [self.non_finite.warning()] if self.non_finite.warning() else []
        if counts["no_target"]:
            warnings.append(f"{counts['no_target']} rows without a value in the target column were left out.")
        if counts["duplicates"]:
            warnings.append(f"{counts['duplicates']} duplicate rows were removed.")
        if counts["incomplete"]:
            warnings.append(f"{counts['incomplete']} rows with missing values were dropped.")
        return warnings


class _RunningStats:
    """Count, mean and sum of squared deviations of a column, combined chunk by chunk (Chan et al.)."""

    def __init__(self) -> None:
        self.n, self.mean, self.m2 = 0, 0.0, 0.0
        self.low, self.high = np.inf, -np.inf

    def add(self, values: np.ndarray) -> None:
        if len(values) == 0:
            return
        n, mean = len(values), float(values.mean())
        m2 = float(((values - mean) ** 2).sum())
        self.add_summary(n, mean, m2)
        self.low, self.high = min(self.low, float(values.min())), max(self.high, float(values.max()))

    def add_summary(self, n: int, mean: float, m2: float) -> None:
        total = self.n + n
        delta = mean - self.mean
        self.m2 += m2 + delta * delta * self.n * n / total
        self.mean += delta * n / total
        self.n = total


def _full_pass_fit(pipeline: TablePipeline, stats: dict, categories: dict, prep) -> None:
    """Replace sample-based constants by those of all training rows where a chunked pass gives them."""
    for entry in pipeline.state:
        name = entry["name"]
        if entry["type"] == "numeric":
            s = stats[name]
            if s.n == 0:
                continue
            if prep.missing in ("mean", "drop"):
                entry["fill"] = s.mean
            method = entry["scaling"]["method"]
            if method == "standard":
                center, scale = s.mean, float(np.sqrt(s.m2 / s.n))
            elif method == "minmax":
                center, scale = s.low, s.high - s.low
            else:
                continue
            entry["scaling"] = {"method": method, "center": center, "scale": scale if scale > 1e-12 else 1.0}
        elif entry["type"] == "categorical":
            entry["categories"] = sorted(categories[name] | {entry["fill"]})
            if entry.get("encoding") == "ordinal":
                entry["scaling"] = _fit_scaler(pd.Series(range(len(entry["categories"])), dtype="float64"),
                                               prep.scaling)


def prepare_table_streaming(config: DataConfig, base_dir, path: Path, budget: int, report, *,
                            workers: int | None = None):
    """A table read in chunks into a float32 memmap; three passes (clean, fit, encode)."""
    store = cache_root(config, base_dir)
    key = cache_key(config, path)
    chunk_bytes = int(min(CHUNK_BYTES, max(64 * 1024, budget // 16)))

    def write(folder: Path) -> dict:
        from app.core.data.pipeline import _checked_task, _source_name, _split_parts

        name = _source_name(config)
        features, targets = config.feature_columns(), config.target_columns()
        reader = _ChunkReader(config, path, chunk_bytes)
        size = max(path.stat().st_size, 1)

        # Pass 1: clean every row; keep the targets (and the split column) of the kept rows.
        reader.check_columns()
        while True:
            try:
                cleaner, target_parts, split_parts = _Cleaner(config, name), [], []
                read = 0
                for chunk in read_chunks(reader):
                    cleaned = cleaner.clean(chunk)
                    target_parts.append(cleaned.typed[[c.name for c in targets]])
                    if config.split.method == "column":
                        split_parts.append(cleaned.raw.loc[cleaned.kept, [config.split.column]])
                    read += len(chunk)
                    report(min(0.3, 0.3 * read * 64 / size), f"Reading {path.name} (pass 1 of 3)")
                break
            except DataError:
                raise
            except Exception as exc:  # pyarrow's parse and conversion errors: retry leniently or explain
                reader.retry_or_raise(exc)
        warnings = cleaner.finish()
        target_frame = pd.concat(target_parts, ignore_index=True)
        del target_parts
        task = _checked_task(config, target_frame, name)
        labels = target_frame[targets[0].name].map(str).to_numpy() if task != "regression" else None
        split_frame = pd.concat(split_parts, ignore_index=True) if split_parts else target_frame
        parts = _split_parts(config, split_frame, labels)
        del split_frame, labels
        train_rows = parts["train"]
        target = TargetEncoder.fit(target_frame.iloc[train_rows] if task == "regression" else target_frame,
                                   targets, task, config.preparation)
        outputs = target.transform(target_frame, name)
        n_kept = len(target_frame)
        del target_frame

        # Pass 2: fit the feature pipeline on the training rows (a seeded sample when many).
        report(0.35, "Fitting the preparation (pass 2 of 3)")
        is_train = np.zeros(n_kept, dtype=bool)
        is_train[train_rows] = True
        sampled = len(train_rows) > FIT_SAMPLE_ROWS
        in_sample = is_train
        if sampled:
            chosen = np.random.default_rng(config.split.seed).choice(train_rows, FIT_SAMPLE_ROWS, replace=False)
            in_sample = np.zeros(n_kept, dtype=bool)
            in_sample[chosen] = True
        numeric = [c.name for c in features if c.type == "numeric"]
        categorical = [c.name for c in features if c.type == "categorical"]
        stats = {n: _RunningStats() for n in numeric}
        seen_categories: dict[str, set] = {n: set() for n in categorical}
        sample_parts = []
        position = 0
        cleaner = _Cleaner(config, name)
        for chunk in read_chunks(reader):
            typed = cleaner.clean(chunk).typed
            rows = slice(position, position + len(typed))
            position += len(typed)
            sample_parts.append(typed.loc[in_sample[rows], [c.name for c in features]])
            if sampled:
                train = typed.loc[is_train[rows]]
                for n in numeric:
                    values = train[n].to_numpy(dtype="float64")
                    stats[n].add(values[~np.isnan(values)])
                for n in categorical:
                    seen_categories[n].update(train[n].dropna().astype(str).unique())
        sample = pd.concat(sample_parts)
        del sample_parts
        pipeline = TablePipeline.fit(sample, features, config.preparation)
        del sample
        if sampled:
            _full_pass_fit(pipeline, stats, seen_categories, config.preparation)
            warnings.append(f"Fill values by median or most frequent value were taken from a sample of "
                            f"{FIT_SAMPLE_ROWS} of the {len(train_rows)} training rows.")

        # Pass 3: encode every kept row into the memmap, in order.
        width = len(pipeline.output_names)
        _check_disk(store, n_kept * width * 4, name)
        matrix = np.lib.format.open_memmap(folder / "x.npy", mode="w+", dtype=np.float32, shape=(n_kept, width))
        position = 0
        cleaner = _Cleaner(config, name)
        for chunk in read_chunks(reader):
            typed = cleaner.clean(chunk).typed
            matrix[position:position + len(typed)] = pipeline.transform(typed)
            position += len(typed)
            report(0.4 + 0.55 * position / max(n_kept, 1), f"Encoding {path.name} (pass 3 of 3)")
        matrix.flush()
        del matrix
        info = DataInfo("vector", (width,), task, target.n_outputs, None, target.class_names)
        preprocessor = TablePreprocessor(info, target, pipeline, config.preparation.non_finite)
        _save_parts(folder, parts, outputs)
        return {"info": info.to_dict(), "preprocessor": preprocessor.to_dict(), "warnings": warnings,
                "sizes": {k: len(v) for k, v in parts.items()}, "image": None}

    return open_prepared(_build(store, key, path, write), workers=workers)
