"""Reference check of the GPT template against nanoGPT's published CPU result, and its speed
against a minimal hand-written PyTorch GPT measured in the same run.

nanoGPT's README trains a character-level GPT on tiny Shakespeare on a CPU with
``--block_size=64 --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128 --max_iters=2000
--lr_decay_iters=2000 --dropout=0.0`` (learning rate 1e-3 falling to 1e-4 on a cosine
after 100 warm-up steps, AdamW betas (0.9, 0.99), weight decay 0.1, gradient clipping 1.0)
and reports a validation loss of about 1.88.

- engine arm: a project built from the ``gpt`` template with that configuration, trained by
  ``train_project`` (data preparation, the compiled graph, the engine, the run directory);
- plain arm: a ~60-line GPT of the same shape and the same optimisation, trained by a bare
  loop on the same token stream.

Both use one torch thread. The validation loss is the mean over every non-overlapping
64-character window of the last 10 % of the text (nanoGPT estimates it from 20 random
batches). Tokens per second count training tokens (batch x context x steps) over the
training loop alone; the plain arm runs before and after the engine's and counts their mean.

    python -m benchmarks.bench_gpt [--iters 2000] [--data /path/to/tinyshakespeare.txt]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "tinyshakespeare.txt"
N_LAYER, N_HEAD, N_EMBD, BLOCK, BATCH = 4, 4, 128, 64, 12
LR, MIN_LR, WARMUP, BETAS, WEIGHT_DECAY, CLIP = 1e-3, 1e-4, 100, (0.9, 0.99), 0.1, 1.0
PUBLISHED_VAL_LOSS = 1.88


# ------------------------------------------------------------------------ engine arm
def engine_arm(text_path: Path, iters: int, seed: int) -> dict:
    from app.core.data import prepare
    from app.core.data.config import DataConfig
    from app.core.graph.templates import build_template_graph
    from app.core.project import Project, save_project
    from app.core.runs import read_summary
    from app.core.train.api import train_project
    from app.core.train.callbacks import Callback

    data = {"source": {"kind": "text", "path": str(text_path)},
            "split": {"method": "random", "ratios": {"train": 0.9, "val": 0.1, "test": 0.0}},
            "text": {"level": "char", "seq_len": BLOCK}}
    info = prepare(DataConfig.from_dict(data)).info
    graph = build_template_graph("gpt", info, n_layer=N_LAYER, n_head=N_HEAD, n_embd=N_EMBD, dropout=0.0,
                                 bias=False)
    training = {"steps": iters, "eval_every": iters, "batch_size": BATCH, "seed": seed, "threads": 1,
                "optimizer": {"name": "adamw", "lr": LR, "betas": list(BETAS), "weight_decay": WEIGHT_DECAY},
                "scheduler": {"name": "cosine", "warmup_steps": WARMUP, "min_lr": MIN_LR},
                "loss": {"name": "lm_cross_entropy"}, "metrics": ["perplexity"], "grad_clip": CLIP}

    class Clock(Callback):
        def on_fit_start(self, trainer, state, control):
            self.start = time.perf_counter()

        def on_batch_end(self, trainer, state, control, batch):
            if batch.step == iters:
                self.end = time.perf_counter()

    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "shakespeare.mwproj"
        save_project(Project(name="shakespeare", graph=graph, data=data, training=training), project)
        run = train_project(project, out=Path(tmp) / "run", callbacks=[clock])
        summary = read_summary(run)
    seconds = clock.end - clock.start
    return {"val_loss": summary["final"]["val_loss"], "seconds": seconds,
            "tokens_per_s": iters * BATCH * BLOCK / seconds, "parameters": summary["parameters"],
            "vocab": info.vocab_size}


# ------------------------------------------------------------------------- plain arm
class Block(nn.Module):
    def __init__(self, d: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.ln_1, self.ln_2 = nn.LayerNorm(d, bias=False), nn.LayerNorm(d, bias=False)
        self.qkv, self.proj = nn.Linear(d, 3 * d, bias=False), nn.Linear(d, d, bias=False)
        self.fc, self.out = nn.Linear(d, 4 * d, bias=False), nn.Linear(4 * d, d, bias=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln_2(x))))


class PlainGPT(nn.Module):
    def __init__(self, vocab: int) -> None:
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, N_EMBD), nn.Parameter(torch.zeros(BLOCK, N_EMBD))
        self.blocks = nn.ModuleList(Block(N_EMBD, N_HEAD) for _ in range(N_LAYER))
        self.ln_f = nn.LayerNorm(N_EMBD)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
        nn.init.normal_(self.wpe, std=0.02)
        for block in self.blocks:
            for m in (block.proj, block.out):
                nn.init.normal_(m.weight, std=0.02 / math.sqrt(2 * N_LAYER))

    def forward(self, idx):
        x = self.wte(idx) + self.wpe[: idx.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.T


def plain_arm(text: str, iters: int, seed: int) -> dict:
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    train, val = data[:n], data[n:]
    torch.manual_seed(seed)
    model = PlainGPT(len(chars))
    decay = [p for p in model.parameters() if p.dim() >= 2 and p is not model.wte.weight and p is not model.wpe]
    rest = [p for p in model.parameters() if all(p is not d for d in decay)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": rest, "weight_decay": 0.0}],
                            lr=LR, betas=BETAS)
    gen = torch.Generator().manual_seed(seed)
    offsets = torch.arange(BLOCK + 1)

    def lr_at(step):
        if step < WARMUP:
            return LR * (step + 1) / WARMUP
        t = min((step - WARMUP) / max(iters - WARMUP, 1), 1.0)
        return MIN_LR + (LR - MIN_LR) * 0.5 * (1 + math.cos(math.pi * t))

    start = time.perf_counter()
    for step in range(iters):
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        windows = train[torch.randint(0, len(train) - BLOCK, (BATCH,), generator=gen)[:, None] + offsets]
        x, y = windows[:, :-1], windows[:, 1:]
        loss = F.cross_entropy(model(x).reshape(-1, len(chars)), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        opt.step()
        opt.zero_grad(set_to_none=True)
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        starts = torch.arange((len(val) - 1) // BLOCK) * BLOCK
        total, count = 0.0, 0
        for i in range(0, len(starts), 256):
            w = val[starts[i:i + 256, None] + offsets]
            total += F.cross_entropy(model(w[:, :-1]).reshape(-1, len(chars)), w[:, 1:].reshape(-1), reduction="sum").item()
            count += w[:, 1:].numel()
    return {"val_loss": total / count, "seconds": seconds, "tokens_per_s": iters * BATCH * BLOCK / seconds,
            "parameters": sum(p.numel() for p in model.parameters()), "vocab": len(chars)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iters", type=int, default=2000, help="training steps per arm (nanoGPT: 2000)")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=1337)
    args = parser.parse_args([] if argv is None else argv)
    if not args.data.is_file():
        print(f"skipped: {args.data} is missing (the tiny Shakespeare reference text).")
        return
    text = args.data.read_text(encoding="utf-8")
    print(f"tiny Shakespeare: {len(text):,} characters; {N_LAYER} layers, {N_HEAD} heads, width {N_EMBD}, "
          f"context {BLOCK}, batch {BATCH}, {args.iters} iterations, one thread")
    # Plain, engine, plain again: the machine's load drifts, so the plain figure is the mean of
    # the runs on either side of the engine's.
    plain = plain_arm(text, args.iters, args.seed)
    engine = engine_arm(args.data, args.iters, args.seed)
    again = plain_arm(text, args.iters, args.seed)
    plain["tokens_per_s"] = (plain["tokens_per_s"] + again["tokens_per_s"]) / 2
    plain["seconds"] = (plain["seconds"] + again["seconds"]) / 2
    for name, r in (("plain PyTorch GPT", plain), ("Modelwright gpt template", engine)):
        print(f"{name:<26} val_loss {r['val_loss']:.3f}  {r['tokens_per_s']:,.0f} tokens/s  "
              f"({r['seconds']:.1f} s, {r['parameters']:,} parameters, vocabulary {r['vocab']})")
    print(f"published nanoGPT CPU val_loss ~{PUBLISHED_VAL_LOSS} at 2000 iterations")
    print(f"tokens/s ratio engine / plain: {engine['tokens_per_s'] / plain['tokens_per_s']:.3f} (target >= 0.95)")


if __name__ == "__main__":
    main(sys.argv[1:])
