"""Background jobs of the data view: import a file or folder, load what the preview shows.

Plain functions taking ``progress=`` so they run under :func:`app.ui.workers.start_job`
(and in tests directly). They only read; the project changes when the GUI thread pushes an
undo command with the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.core.data.errors import DataError
from app.core.progress import Progress

TEXT_PREVIEW_BYTES = 64 * 1024


@dataclass
class Preview:
    """What the data view shows for a source: a table, images per class, or a text head."""

    kind: str
    frame: object | None = None  # pandas.DataFrame for tables
    arrays: tuple | None = None  # columns as numpy arrays + missing masks, made on the worker thread
    images: list[tuple[Path, str]] = field(default_factory=list)  # (path, class) for image folders
    text: str | None = None  # first part of a text file
    text_size: int = 0
    description: str = ""


@dataclass
class ImportResult:
    """A data section for a newly chosen file or folder, and its preview."""

    data: dict
    preview: Preview
    warnings: list[str] = field(default_factory=list)


def _sub(report: Progress, start: float, end: float):
    """A progress callable mapping 0..1 onto ``start..end`` of ``report`` (keeps cancel)."""

    def callback(fraction: float, message: str = "") -> None:
        report(start + (end - start) * fraction, message)

    return callback


def load_preview(source: dict, base_dir: Path, *, progress=None) -> Preview:
    """Read the source exactly as training reads it (the core's loaders, same options)."""
    from app.core.data.config import SourceConfig
    from app.core.data.sources import load_table, resolve_path

    report = progress if isinstance(progress, Progress) else Progress(progress)
    config = SourceConfig.from_dict(dict(source))
    if config.kind in ("table", "synthetic"):
        report(0.0, "Reading data")
        frame = load_table(config, base_dir, progress=report)
        name = Path(config.path).name if config.path else str(config.generator)
        from app.ui.data.table_model import column_arrays

        return Preview("table", frame=frame, arrays=column_arrays(frame), description=name)
    path = resolve_path(config, base_dir)
    if config.kind == "image_folder":
        from app.core.data.images import scan_image_folder

        report(0.0, "Listing images")
        paths, labels = scan_image_folder(path)
        labels = labels or [""] * len(paths)
        report(1.0, "Listing images")
        return Preview("image_folder", images=list(zip(paths, labels)), description=path.name)
    if config.kind == "text":
        from app.core.data import sniff

        head = sniff.read_head(path, TEXT_PREVIEW_BYTES)
        encoding = config.encoding or sniff.detect_encoding(path, head)
        text = head.decode(encoding, errors="replace")
        report(1.0, "Reading text")
        return Preview("text", text=text, text_size=path.stat().st_size, description=path.name)
    raise DataError(f"Unknown data source kind '{config.kind}'.")


def import_data(path: Path, *, target: str | None = None, progress=None) -> ImportResult:
    """Inspect ``path`` (kind, encoding, delimiter, column types, target) and load its preview."""
    from app.core.data import inspect_source

    report = progress if isinstance(progress, Progress) else Progress(progress)
    path = Path(path).resolve()
    if not path.exists():
        raise DataError(f"'{path}' does not exist.")
    config = inspect_source(path, target=target, progress=_sub(report, 0.0, 0.5))
    data = config.to_dict()
    preview = load_preview(data["source"], path.parent, progress=_sub(report, 0.5, 1.0))
    return ImportResult(data=data, preview=preview, warnings=list(getattr(config, "warnings", []) or []))
