"""File ▸ Examples: the bundled example projects, opened from a private copy.

The examples ship read-only with the app (``resources/examples``); training writes runs
next to the project, so an example is first copied to ``Documents/Modelwright/examples/<name>``
and the copy is opened. A copy made earlier is opened as it is, with the user's changes
and runs. The GPT example's corpus is not shipped: it is written into the copy from
Python's own help topics when missing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from app.core.errors import ModelwrightError

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "examples"
# Files that belong to the bundled folder but not to a user's copy.
SKIP = shutil.ignore_patterns("runs", "__pycache__", "*.tmp", "make_*.py", ".gitignore")


@dataclass(frozen=True)
class Example:
    project: str  # path under resources/examples
    title: str  # English; shown through translate("Examples", title)
    description: str

    @property
    def folder(self) -> str:
        return self.project.split("/")[0]


EXAMPLES = (
    Example("iris/iris.mwproj", QT_TRANSLATE_NOOP("Examples", "Iris flowers (table, MLP)"),
            QT_TRANSLATE_NOOP("Examples", "150 flowers, 4 measurements, 3 species: classification of a table.")),
    Example("keras-seed/keras-seed.mwproj", QT_TRANSLATE_NOOP("Examples", "Keras first network (generated data)"),
            QT_TRANSLATE_NOOP("Examples", "The classic 2-3-1 network on 1,000 generated points; no file needed.")),
    Example("shapes/shapes.mwproj", QT_TRANSLATE_NOOP("Examples", "Shapes (images, CNN)"),
            QT_TRANSLATE_NOOP("Examples", "120 small pictures of circles, squares and triangles.")),
    Example("reviews/reviews-lstm.mwproj", QT_TRANSLATE_NOOP("Examples", "Product reviews (text, LSTM)"),
            QT_TRANSLATE_NOOP("Examples", "300 short reviews, positive or negative.")),
    Example("reviews/reviews-transformer.mwproj", QT_TRANSLATE_NOOP("Examples", "Product reviews (text, Transformer)"),
            QT_TRANSLATE_NOOP("Examples", "The same reviews with a small Transformer encoder.")),
    Example("reviews/reviews-minilm.mwproj", QT_TRANSLATE_NOOP("Examples", "Product reviews (fine-tune MiniLM)"),
            QT_TRANSLATE_NOOP("Examples", "The bundled pretrained MiniLM sentence encoder fine-tuned on the reviews.")),
    Example("gpt/gpt.mwproj", QT_TRANSLATE_NOOP("Examples", "Python docs GPT (text generation)"),
            QT_TRANSLATE_NOOP("Examples", "A small GPT trained from scratch on Python's help pages.")),
)


def translated(text: str) -> str:
    return QCoreApplication.translate("Examples", text)


def available_examples(root: Path = EXAMPLES_DIR) -> list[Example]:
    """The examples whose project file is bundled with this installation."""
    return [example for example in EXAMPLES if (root / example.project).exists()]


def examples_home() -> Path:
    from app.ui.user_folders import user_home

    return user_home() / "examples"


def working_copy(example: Example, home: Path | None = None, root: Path = EXAMPLES_DIR) -> Path:
    """The project file of the user's copy of ``example``, made first when there is none."""
    home = home if home is not None else examples_home()
    target = home / example.folder
    project = home / example.project
    if not project.exists():
        source = root / example.folder
        staging = home / f".{example.folder}.partial"
        try:
            shutil.rmtree(staging, ignore_errors=True)
            home.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, staging, ignore=SKIP)
            if example.folder == "gpt" and not (staging / "python_docs.txt").exists():
                from app.core.lm.corpus import write_python_docs

                write_python_docs(staging / "python_docs.txt")
            if target.exists():  # a copy from an older version without this project: keep its files
                for item in staging.iterdir():
                    if not (target / item.name).exists():
                        shutil.move(str(item), str(target / item.name))
                shutil.rmtree(staging, ignore_errors=True)
            else:
                staging.replace(target)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise ModelwrightError(
                f"Could not copy the example to {target}: {exc.strerror or exc}. "
                "Check that the folder is writable, or copy resources/examples yourself.") from exc
    return project
