"""GGUF export checked in llama.cpp itself: greedy tokens and next-token scores equal transformers'.

Builds tiny random Llama, Mistral and Qwen2 folders (64 wide, 2 blocks, grouped-query attention,
a byte-level BPE tokenizer with a ChatML template; and a Llama with a SentencePiece-style
byte-fallback tokenizer), writes each as GGUF (f16 and q8_0), loads
the file with ``llama-cpp-python`` and compares with ``transformers`` on the same prompt:

* the prompt's token ids (llama.cpp's tokenizer against the Hugging Face one),
* the next-token scores after the prompt (largest difference, relative to the largest score),
* the greedy continuation of 16 tokens (all of them for f16; q8_0 may part after the first).

llama-cpp-python is not a Modelwright dependency (it compiles llama.cpp), so it runs in its own
environment, named by ``LLAMA_CPP_PYTHON`` (default ``/tmp/llamacpp-venv/bin/python``), in a
child process that prints JSON; this script runs in Modelwright's environment.

    python -m benchmarks.gguf_llamacpp_check        (exit 0: every check passed)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROMPT = "the model reads the text and the"
NEW_TOKENS = 16
LLAMA_CPP_PYTHON = os.environ.get("LLAMA_CPP_PYTHON", "/tmp/llamacpp-venv/bin/python")
# q8_0 rounds every weight, which moves the scores of a random model by a few percent of their range.
SCORE_TOLERANCE = {"f16": 0.01, "q8_0": 0.05}
# f16 must continue exactly as transformers; q8_0's rounding may flip a later near-tie of a random model.
NEEDED_GREEDY = {"f16": NEW_TOKENS, "q8_0": 1}

_CHILD = r"""
import json, sys
import numpy as np
from llama_cpp import Llama
path, prompt, n_new = sys.argv[1], sys.argv[2], int(sys.argv[3])
llm = Llama(model_path=path, n_ctx=128, logits_all=True, verbose=False, n_threads=1, seed=0)
ids = llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=False)
llm.reset()
llm.eval(ids)
scores = np.asarray(llm.scores[len(ids) - 1], dtype=np.float64).tolist()
llm.reset()
out = []
for token in llm.generate(ids, top_k=1, top_p=1.0, temp=0.0, repeat_penalty=1.0, reset=True):
    out.append(int(token))
    if len(out) == n_new:
        break
print(json.dumps({"ids": [int(i) for i in ids], "scores": scores, "greedy": out}))
"""


def _reference(folder: Path):
    """(prompt ids, next-token scores, greedy continuation) from transformers."""
    import torch
    import transformers as tf

    tokenizer = tf.AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model = tf.AutoModelForCausalLM.from_pretrained(str(folder), local_files_only=True).eval()
    ids = tokenizer(PROMPT, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        scores = model(torch.tensor([ids])).logits[0, -1].double().numpy()
        greedy = model.generate(torch.tensor([ids]), max_new_tokens=NEW_TOKENS, do_sample=False,
                                eos_token_id=None, pad_token_id=0)[0, len(ids):].tolist()
    return ids, scores, greedy


def _in_llama_cpp(path: Path) -> dict:
    done = subprocess.run([LLAMA_CPP_PYTHON, "-c", _CHILD, str(path), PROMPT, str(NEW_TOKENS)],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"llama.cpp could not load {path.name}: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def check(kind: str, quant: str, root: Path) -> bool:
    import numpy as np

    from app.core.export.gguf_writer import write_gguf
    from tests.core.test_gguf_export import _bpe_tokenizer, tiny_byte_fallback_llama, tiny_llama_family

    folder = root / kind
    if not folder.exists():
        if kind == "llama-spm":
            tiny_byte_fallback_llama(folder)
        else:
            tiny_llama_family(folder, kind, _bpe_tokenizer())
        _sharpen(folder)
    path = write_gguf(folder, root / f"{kind}-{quant}.gguf", quant=quant).path
    ids, scores, greedy = _reference(folder)
    got = _in_llama_cpp(path)
    diff = float(np.abs(np.asarray(got["scores"]) - scores).max() / np.abs(scores).max())
    same_ids = got["ids"] == ids
    shared = next((i for i, (a, b) in enumerate(zip(got["greedy"], greedy)) if a != b), NEW_TOKENS)
    ok = same_ids and shared >= NEEDED_GREEDY[quant] and diff <= SCORE_TOLERANCE[quant]
    print(f"{kind:9s} {quant:5s} prompt ids equal: {same_ids}  greedy tokens equal: {shared}/{NEW_TOKENS} "
          f"(needed {NEEDED_GREEDY[quant]})  next-token scores max diff {diff:.2e} of the largest "
          f"(tolerance {SCORE_TOLERANCE[quant]:.0e})  {'ok' if ok else 'FAILED'}")
    if shared < NEW_TOKENS:
        print(f"    transformers {greedy}\n    llama.cpp    {got['greedy']}")
    return ok


def _sharpen(folder: Path) -> None:
    """Scale the random weights up so the next token is a clear choice (no near-ties for greedy decoding)."""
    from safetensors.torch import load_file, save_file

    path = folder / "model.safetensors"
    weights = load_file(str(path))
    weights = {k: (v * 4 if v.ndim == 2 else v).contiguous() for k, v in weights.items()}
    save_file(weights, str(path), metadata={"format": "pt"})


def main() -> int:
    if not Path(LLAMA_CPP_PYTHON).exists():
        print(f"llama-cpp-python not found at {LLAMA_CPP_PYTHON}; set LLAMA_CPP_PYTHON to a Python that has it.")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        results = [check(kind, quant, Path(tmp)) for kind in ("llama", "mistral", "qwen2", "llama-spm")
                   for quant in ("f16", "q8_0")]
    print("all checks passed" if all(results) else "SOME CHECKS FAILED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
