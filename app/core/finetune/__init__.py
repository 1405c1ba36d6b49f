"""Fine-tuning pretrained bases: the bundled MiniLM encoder, local Hugging Face folders, earlier runs.

A base is a layer of the graph (``pretrained.text_encoder``, ``pretrained.causal_lm``), so
compiling, training, evaluating, predicting and exporting work as for any network. This
package describes bases without torch (:mod:`.bases`), loads them offline and safely
(:mod:`.loading`), applies a strategy (:mod:`.strategies`), estimates a run before it starts
(:mod:`.estimate`), creates projects (:mod:`.project`) and writes Hugging Face folders
(:mod:`.hf_export`). Importing this package loads neither torch nor transformers.

Example::

    from app.core.finetune import create_finetune_project, inspect_base

    print(inspect_base("minilm").describe())
    create_finetune_project("finetune-text", base="minilm", data=Path("reviews.csv"), target="label",
                            out=Path("reviews.mwproj"), strategy="lora")
"""

from app.core.finetune.bases import BUNDLED, BaseInfo, inspect_base, resolve_reference
from app.core.finetune.errors import BaseModelError, FinetuneError
from app.core.finetune.project import FINETUNE_TEMPLATES, create_finetune_project
from app.core.finetune.strategies import STRATEGIES, STRATEGY_TITLES

__all__ = ["BUNDLED", "BaseInfo", "BaseModelError", "FINETUNE_TEMPLATES", "FinetuneError", "STRATEGIES",
           "STRATEGY_TITLES", "create_finetune_project", "inspect_base", "resolve_reference"]
