"""The project's ``"data"`` section: where the data comes from and how it is prepared.

Everything that decides what the model sees is recorded here (column roles, cleaning,
encoding, scaling, split, tokenisation, image size), so a run can be repeated exactly and
``predict`` can apply the same steps to new files. ``DataConfig.from_dict`` validates and
says what is wrong in words; ``to_dict`` gives plain JSON.

Example (a CSV)::

    {"source": {"kind": "table", "path": "iris.csv", "format": "csv",
                "encoding": "utf-8", "delimiter": ","},
     "columns": [{"name": "sepal_length", "type": "numeric", "role": "feature"},
                 {"name": "species", "type": "categorical", "role": "target"}],
     "task": null,
     "preparation": {"drop_duplicates": false, "missing": "mean", "fill_value": null,
                     "categorical": "onehot", "scaling": "standard",
                     "target_scaling": "standard", "non_finite": "error"},
     "split": {"method": "stratified", "ratios": {"train": 0.8, "val": 0.1, "test": 0.1},
               "seed": 42, "column": null},
     "text": null, "image": null}
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from app.core.data.errors import DataConfigError
from app.core.data.info import TASKS

SOURCE_KINDS = ("table", "image_folder", "text", "synthetic", "chat")
TABLE_FORMATS = ("csv", "excel", "parquet", "jsonl")
TEXT_FORMATS = ("plain",)
COLUMN_TYPES = ("numeric", "categorical", "boolean", "text")
ROLES = ("feature", "target", "ignore")
MISSING_STRATEGIES = ("drop", "mean", "median", "mode", "constant")
#: What a number that is infinite or too large for a 32-bit model input does: stop the
#: import with the rows named ("error"), or count as a missing value ("missing").
NON_FINITE_POLICIES = ("error", "missing")
CATEGORICAL_ENCODINGS = ("onehot", "ordinal")
SCALINGS = ("standard", "minmax", "none")
SPLIT_METHODS = ("random", "stratified", "column")
TEXT_LEVELS = ("char", "word", "bpe", "pretrained")
SYNTHETIC_GENERATORS = ("keras-seed",)


def _where(section: str, key: str) -> str:
    return f"data.{section}.{key}" if section else f"data.{key}"


def _check_keys(d: Any, allowed: set[str], section: str) -> dict:
    if not isinstance(d, dict):
        raise DataConfigError(f"The '{_where('', section)}' setting must be an object (a JSON dict), not {type(d).__name__}.")
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise DataConfigError(
            f"Unknown setting '{_where(section, unknown[0])}' in the data section; "
            f"known settings are: {', '.join(sorted(allowed))}."
        )
    return d


def _choice(value: Any, options: tuple[str, ...], section: str, key: str) -> str:
    if value not in options:
        raise DataConfigError(f"'{_where(section, key)}' is '{value}', but must be one of: {', '.join(options)}.")
    return value


def _int(value: Any, section: str, key: str, *, minimum: int = 0, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DataConfigError(f"'{_where(section, key)}' must be a whole number of at least {minimum}, not {value!r}.")
    return int(value)


def _bool(value: Any, section: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise DataConfigError(f"'{_where(section, key)}' must be true or false, not {value!r}.")
    return value


@dataclass
class SourceConfig:
    """Where the data lives. ``path`` is relative to the project file's folder or absolute."""

    kind: str
    path: str | None = None
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    generator: str | None = None
    n_samples: int | None = None
    seed: int | None = None

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    @classmethod
    def from_dict(cls, d: Any) -> "SourceConfig":
        d = _check_keys(d, {f.name for f in fields(cls)}, "source")
        kind = _choice(d.get("kind"), SOURCE_KINDS, "source", "kind")
        src = cls(**d)
        if kind == "synthetic":
            _choice(src.generator, SYNTHETIC_GENERATORS, "source", "generator")
            src.n_samples = _int(src.n_samples if src.n_samples is not None else 1000, "source", "n_samples", minimum=10)
            src.seed = _int(src.seed if src.seed is not None else 7, "source", "seed")
            return src
        if not isinstance(src.path, str) or not src.path:
            raise DataConfigError(f"'data.source.path' is missing: a '{kind}' source needs the path of its file or folder.")
        if kind == "table" and src.format is not None:
            _choice(src.format, TABLE_FORMATS, "source", "format")
        if kind == "text" and src.format is not None:
            _choice(src.format, TEXT_FORMATS, "source", "format")
        if kind == "chat" and src.format is not None:  # the chat format detected when the project was made
            _choice(src.format, ("alpaca", "sharegpt", "messages"), "source", "format")
        if src.encoding is not None:
            import codecs

            if not isinstance(src.encoding, str):
                raise DataConfigError(f"'data.source.encoding' must be the name of a text encoding, not {src.encoding!r}.")

            try:
                codecs.lookup(src.encoding)
            except LookupError:
                raise DataConfigError(
                    f"Unknown text encoding '{src.encoding}' in 'data.source.encoding'. "
                    "Use a name such as utf-8, utf-8-sig, gb18030 or latin-1, or remove it to detect the encoding."
                ) from None
        if src.delimiter is not None and (not isinstance(src.delimiter, str) or len(src.delimiter) != 1):
            raise DataConfigError(f"'data.source.delimiter' must be a single character, not {src.delimiter!r}.")
        return src


@dataclass
class ColumnConfig:
    """One column of a table: its detected type and the role the user gave it."""

    name: str
    type: str
    role: str

    def to_dict(self) -> dict:
        return {"name": self.name, "type": self.type, "role": self.role}

    @classmethod
    def from_dict(cls, d: Any) -> "ColumnConfig":
        d = _check_keys(d, {"name", "type", "role"}, "columns[]")
        name = d.get("name")
        if not isinstance(name, str) or name == "":
            raise DataConfigError(f"Every entry of 'data.columns' needs a non-empty 'name'; got {name!r}.")
        return cls(
            name=name,
            type=_choice(d.get("type"), COLUMN_TYPES, f"columns['{name}']", "type"),
            role=_choice(d.get("role"), ROLES, f"columns['{name}']", "role"),
        )


@dataclass
class PreparationConfig:
    """Cleaning and encoding of table columns; fitted on the training split only."""

    drop_duplicates: bool = False
    missing: str = "mean"
    fill_value: float | str | None = None
    categorical: str = "onehot"
    scaling: str = "standard"
    target_scaling: str = "standard"
    non_finite: str = "error"

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: Any) -> "PreparationConfig":
        d = _check_keys(d, {f.name for f in fields(cls)}, "preparation")
        p = cls(**d)
        _bool(p.drop_duplicates, "preparation", "drop_duplicates")
        _choice(p.missing, MISSING_STRATEGIES, "preparation", "missing")
        _choice(p.categorical, CATEGORICAL_ENCODINGS, "preparation", "categorical")
        _choice(p.scaling, SCALINGS, "preparation", "scaling")
        _choice(p.target_scaling, SCALINGS, "preparation", "target_scaling")
        _choice(p.non_finite, NON_FINITE_POLICIES, "preparation", "non_finite")
        if p.missing == "constant" and p.fill_value is None:
            raise DataConfigError("'data.preparation.missing' is 'constant' but 'data.preparation.fill_value' is not set.")
        return p


@dataclass
class SplitConfig:
    """How rows are divided into train/val/test; the same seed always gives the same split."""

    method: str = "random"
    ratios: dict[str, float] = field(default_factory=lambda: {"train": 0.8, "val": 0.1, "test": 0.1})
    seed: int = 42
    column: str | None = None

    def to_dict(self) -> dict:
        return {"method": self.method, "ratios": dict(self.ratios), "seed": self.seed, "column": self.column}

    @classmethod
    def from_dict(cls, d: Any) -> "SplitConfig":
        d = _check_keys(d, {"method", "ratios", "seed", "column"}, "split")
        s = cls(**d)
        _choice(s.method, SPLIT_METHODS, "split", "method")
        s.seed = _int(s.seed, "split", "seed")
        ratios = s.ratios
        if isinstance(ratios, (list, tuple)) and len(ratios) in (2, 3):
            ratios = dict(zip(("train", "val", "test"), ratios))
        if not isinstance(ratios, dict) or not set(ratios) <= {"train", "val", "test"} or "train" not in ratios:
            raise DataConfigError("'data.split.ratios' must look like {\"train\": 0.8, \"val\": 0.1, \"test\": 0.1}.")
        clean = {}
        for k in ("train", "val", "test"):
            v = ratios.get(k, 0.0)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise DataConfigError(f"'data.split.ratios.{k}' must be a number between 0 and 1, not {v!r}.")
            clean[k] = float(v)
        total = sum(clean.values())
        if clean["train"] <= 0 or abs(total - 1.0) > 1e-6:
            raise DataConfigError(
                f"'data.split.ratios' must add up to 1 with a positive train share; they add up to {total:g}."
            )
        s.ratios = clean
        if s.method == "column" and not s.column:
            raise DataConfigError("'data.split.method' is 'column' but 'data.split.column' does not name a column.")
        return s


@dataclass
class TextConfig:
    """Tokenisation of a text column or of a language-modelling text file.

    Level ``"pretrained"`` uses the tokenizer of the base model named by ``pretrained``
    (``"minilm"`` or a model folder), so a fine-tuned model reads text as in pre-training.
    """

    level: str = "char"
    max_vocab: int = 20000
    seq_len: int = 64
    lowercase: bool = False
    windows_per_epoch: int | None = None
    pretrained: str | None = None

    def to_dict(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        if d["pretrained"] is None:
            del d["pretrained"]  # only fine-tuning projects carry it
        return d

    @classmethod
    def from_dict(cls, d: Any) -> "TextConfig":
        d = _check_keys(d, {f.name for f in fields(cls)}, "text")
        t = cls(**d)
        _choice(t.level, TEXT_LEVELS, "text", "level")
        if (t.level == "pretrained") != (t.pretrained is not None):
            raise DataConfigError("'data.text.level' 'pretrained' and 'data.text.pretrained' (the base model whose "
                                  "tokenizer to use) go together; set both or neither.")
        if t.pretrained is not None and (not isinstance(t.pretrained, str) or not t.pretrained):
            raise DataConfigError(f"'data.text.pretrained' must name a base model, not {t.pretrained!r}.")
        _int(t.max_vocab, "text", "max_vocab", minimum=3)
        _int(t.seq_len, "text", "seq_len", minimum=1)
        _bool(t.lowercase, "text", "lowercase")
        _int(t.windows_per_epoch, "text", "windows_per_epoch", minimum=1, optional=True)
        return t


@dataclass
class AugmentationConfig:
    """Train-time image augmentation; every option off means none."""

    flip: bool = False
    crop: int = 0
    rotation: float = 0.0
    color_jitter: float = 0.0

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def enabled(self) -> bool:
        return self.flip or self.crop > 0 or self.rotation > 0 or self.color_jitter > 0

    @classmethod
    def from_dict(cls, d: Any) -> "AugmentationConfig":
        d = _check_keys(d, {f.name for f in fields(cls)}, "image.augmentation")
        a = cls(**d)
        _bool(a.flip, "image.augmentation", "flip")
        _int(a.crop, "image.augmentation", "crop")
        for key in ("rotation", "color_jitter"):
            v = getattr(a, key)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise DataConfigError(f"'data.image.augmentation.{key}' must be a number of at least 0, not {v!r}.")
        if a.color_jitter >= 1:
            raise DataConfigError("'data.image.augmentation.color_jitter' must be below 1 (0.2 means ±20 %).")
        return a


@dataclass
class ImageConfig:
    """The size every image is resized to, its channels (1 grey, 3 RGB) and augmentation."""

    size: tuple[int, int] = (32, 32)
    channels: int = 3
    augmentation: AugmentationConfig = field(default_factory=AugmentationConfig)

    def to_dict(self) -> dict:
        return {"size": list(self.size), "channels": self.channels, "augmentation": self.augmentation.to_dict()}

    @classmethod
    def from_dict(cls, d: Any) -> "ImageConfig":
        d = _check_keys(d, {"size", "channels", "augmentation"}, "image")
        size = d.get("size", [32, 32])
        if (
            not isinstance(size, (list, tuple))
            or len(size) != 2
            or not all(isinstance(s, int) and not isinstance(s, bool) and 4 <= s <= 4096 for s in size)
        ):
            raise DataConfigError(f"'data.image.size' must be [height, width] in pixels (4 to 4096), not {size!r}.")
        channels = d.get("channels", 3)
        if channels not in (1, 3):
            raise DataConfigError(f"'data.image.channels' must be 1 (grey) or 3 (colour), not {channels!r}.")
        return cls(
            size=(int(size[0]), int(size[1])),
            channels=int(channels),
            augmentation=AugmentationConfig.from_dict(d.get("augmentation") or {}),
        )


def label_overrides_to_list(overrides: dict[int, str]) -> list[dict]:
    return [{"row": int(row), "label": str(label)} for row, label in sorted(overrides.items())]


def label_overrides_from_list(raw: Any) -> dict[int, str]:
    if not isinstance(raw, list):
        raise DataConfigError("'data.label_overrides' must be a list of {\"row\": n, \"label\": text} entries.")
    result: dict[int, str] = {}
    for entry in raw:
        row = entry.get("row") if isinstance(entry, dict) else None
        label = entry.get("label") if isinstance(entry, dict) else None
        if not isinstance(row, int) or isinstance(row, bool) or row < 0 or not isinstance(label, str):
            raise DataConfigError(
                f"A label override is malformed ({entry!r}); expected {{\"row\": 3, \"label\": \"cat\"}}."
            )
        result[row] = label
    return result


def _memory_limit(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise DataConfigError(f"'data.memory_limit_mb' must be a number of megabytes (0 or more), not {value!r}.")
    return value


def _cache_dir(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise DataConfigError(f"'data.cache_dir' must be the path of a folder, not {value!r}.")
    return value


@dataclass
class DataConfig:
    """The whole ``"data"`` section. ``warnings`` are notes from inspection; not saved."""

    source: SourceConfig
    columns: list[ColumnConfig] = field(default_factory=list)
    task: str | None = None
    preparation: PreparationConfig = field(default_factory=PreparationConfig)
    split: SplitConfig = field(default_factory=SplitConfig)
    text: TextConfig | None = None
    image: ImageConfig | None = None
    #: Labels the user typed over the target column: ``{row: label}`` with ``row`` the 0-based
    #: data row of the source as read. The source file itself is never changed.
    label_overrides: dict[int, str] = field(default_factory=dict)
    #: Prepared data larger than this many MB is kept on disk and streamed; None = half the free memory.
    memory_limit_mb: float | None = None
    #: Folder for data prepared to disk (relative to the project folder); None = next to the project.
    cache_dir: str | None = None
    warnings: list[str] = field(default_factory=list, compare=False, repr=False)

    def to_dict(self) -> dict:
        return {
            "source": self.source.to_dict(),
            "columns": [c.to_dict() for c in self.columns],
            "task": self.task,
            "preparation": self.preparation.to_dict(),
            "split": self.split.to_dict(),
            "text": self.text.to_dict() if self.text is not None else None,
            "image": self.image.to_dict() if self.image is not None else None,
            **({"label_overrides": label_overrides_to_list(self.label_overrides)} if self.label_overrides else {}),
            **({"memory_limit_mb": self.memory_limit_mb} if self.memory_limit_mb is not None else {}),
            **({"cache_dir": self.cache_dir} if self.cache_dir is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: Any) -> "DataConfig":
        d = _check_keys(d, {"source", "columns", "task", "preparation", "split", "text", "image", "label_overrides",
                            "memory_limit_mb", "cache_dir"}, "")
        if "source" not in d:
            raise DataConfigError("The data section has no 'source': say which file, folder or generator to use.")
        source = SourceConfig.from_dict(d["source"])
        if source.kind == "synthetic":
            # A generated data set needs only its source; the rest defaults to the generator's own.
            from app.core.data.synthetic import synthetic_config

            defaults = synthetic_config(source.generator, source.n_samples, source.seed).to_dict()
            d = {**defaults, **{k: v for k, v in d.items() if v is not None and v != []}}
        columns_raw = d.get("columns") or []
        if not isinstance(columns_raw, list):
            raise DataConfigError("'data.columns' must be a list of {name, type, role} entries.")
        columns = [ColumnConfig.from_dict(c) for c in columns_raw]
        names = [c.name for c in columns]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise DataConfigError(f"Column '{dupes[0]}' is listed twice in 'data.columns'.")
        task = d.get("task")
        if task is not None:
            _choice(task, TASKS, "", "task")
        config = cls(
            source=source,
            columns=columns,
            task=task,
            preparation=PreparationConfig.from_dict(d.get("preparation") or {}),
            split=SplitConfig.from_dict(d.get("split") or {}),
            text=TextConfig.from_dict(d["text"]) if d.get("text") is not None else None,
            image=ImageConfig.from_dict(d["image"]) if d.get("image") is not None else None,
            label_overrides=label_overrides_from_list(d.get("label_overrides") or []),
            memory_limit_mb=_memory_limit(d.get("memory_limit_mb")),
            cache_dir=_cache_dir(d.get("cache_dir")),
        )
        config._check_roles()
        if config.label_overrides and config.source.kind != "table":
            raise DataConfigError("'data.label_overrides' applies to tables only; relabel images by moving them between class folders.")
        return config

    def _check_roles(self) -> None:
        if self.source.kind not in ("table", "synthetic"):
            return
        if not self.columns:
            raise DataConfigError("'data.columns' is empty: a table needs its columns with a role each.")
        targets = [c for c in self.columns if c.role == "target"]
        features = [c for c in self.columns if c.role == "feature"]
        if not targets:
            raise DataConfigError("No column has the role 'target': choose the column the model should predict.")
        if not features:
            raise DataConfigError("No column has the role 'feature': choose at least one column the model reads.")
        if len(targets) > 1 and (self.task not in (None, "regression") or any(c.type != "numeric" for c in targets)):
            raise DataConfigError(
                "Several target columns are only possible for regression on numeric columns; "
                f"targets are: {', '.join(c.name for c in targets)}."
            )
        texts = [c for c in features if c.type == "text"]
        if texts and len(features) > 1:
            raise DataConfigError(
                f"The text column '{texts[0].name}' must be the only feature; set the other feature columns "
                f"({', '.join(c.name for c in features if c is not texts[0])}) to 'ignore'."
            )
        if texts and self.text is None:
            self.text = TextConfig(level="word", seq_len=64, lowercase=True)
        if self.split.method == "column" and self.split.column not in {c.name for c in self.columns}:
            raise DataConfigError(f"The split column '{self.split.column}' is not one of the table's columns.")

    def column(self, name: str) -> ColumnConfig:
        for c in self.columns:
            if c.name == name:
                return c
        raise DataConfigError(f"There is no column '{name}' in the data section.")

    def feature_columns(self) -> list[ColumnConfig]:
        return [c for c in self.columns if c.role == "feature"]

    def target_columns(self) -> list[ColumnConfig]:
        return [c for c in self.columns if c.role == "target"]
