"""The Python a user runs to load a folder that has no script of its own (``hf``, ``safetensors``).

The model card shows it under "Using the export", and ``requirements.txt`` is made from its
imports (:mod:`.requirements`), so the snippet, the file and the folder agree. The snippets are
run from inside the export folder and load only local files, never running code from them.
"""

from __future__ import annotations


def hf_usage(run) -> str:
    """Loading a Hugging Face folder with plain transformers: pipeline and the model class."""
    if run.is_language_model:
        return "\n".join([
            "import torch",
            "from transformers import AutoModelForCausalLM, AutoTokenizer",
            "",
            'model = AutoModelForCausalLM.from_pretrained(".", trust_remote_code=False).eval()',
            'tokenizer = AutoTokenizer.from_pretrained(".", trust_remote_code=False)',
            'ids = tokenizer("The first words", return_tensors="pt")["input_ids"]',
            "with torch.no_grad():  # greedy: the tokens Modelwright's generate gives at temperature 0",
            "    out = model.generate(ids, max_new_tokens=40, do_sample=False, pad_token_id=model.config.eos_token_id)",
            "print(tokenizer.decode(out[0, ids.shape[1]:]))",
        ])
    from app.core.finetune.hf_export import max_length

    n = max_length(run)
    regression = run.info.task == "regression"
    apply = ', function_to_apply="none"' if regression else ", top_k=None"
    scores = "values = model(**batch).logits  # in the data's units" if regression else \
        "probabilities = model(**batch).logits.softmax(-1)  # columns in config.id2label order"
    return "\n".join([
        "import torch",
        "from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline",
        "",
        'texts = ["an example text", "another one"]',
        'classifier = pipeline("text-classification", model=".", trust_remote_code=False)',
        f"print(classifier(texts{apply}, truncation=True, max_length={n}))",
        "",
        "# or the model itself",
        'model = AutoModelForSequenceClassification.from_pretrained(".", trust_remote_code=False).eval()',
        'tokenizer = AutoTokenizer.from_pretrained(".", trust_remote_code=False)',
        f'batch = tokenizer(texts, padding=True, truncation=True, max_length={n}, return_tensors="pt")',
        "with torch.no_grad():",
        f"    {scores}",
    ])


def safetensors_usage(run) -> str:
    """Reading the weights and the network description they belong to."""
    return "\n".join([
        "import json",
        "",
        "import torch",
        "from safetensors.torch import load_file",
        "",
        'weights: dict[str, torch.Tensor] = load_file("model.safetensors")  # "<layer id>.<parameter>" -> tensor',
        'architecture = json.loads(open("architecture.json", encoding="utf-8").read())',
        'print([node["type"] for node in architecture["graph"]["nodes"]], sum(t.numel() for t in weights.values()))',
    ])
