"""Fine-tuning throughput of the engine against a plain ``transformers`` + PyTorch loop.

Both arms fine-tune the bundled all-MiniLM-L6-v2 encoder with a mean-pooled linear head
on the same tokenised sentiment batches (same batch size, sequence length, optimizer with
the same two learning rates, gradient clipping, loss). The engine arm is what ``train``
runs: the project's graph compiled (the base as a ``pretrained.text_encoder`` node) and
the :class:`~app.core.train.engine.Trainer` loop, without a run directory. The plain arm is
``AutoModel.from_pretrained`` and a hand-written loop. Arms alternate; figures are medians
of ``--repeats`` epochs; the ratio is engine / plain samples per second (higher is better,
the goal is >= 0.95).

    python -m benchmarks.bench_finetune [--strategy full|lora] [--repeats 3] [--device cpu|cuda] [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import torch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _project(folder: Path, strategy: str, n: int, seq_len: int, batch: int, device: str):
    from app.core.data import prepare
    from app.core.finetune.project import create_finetune_project
    from app.core.project import load_project
    from tests.core.test_finetune_support import sentiment_csv

    data = sentiment_csv(folder / "reviews.csv", n=n, seed=3)
    path = folder / f"{strategy}.mwproj"
    create_finetune_project("finetune-text", base="minilm", data=data, target="sentiment", out=path,
                            strategy=strategy, seq_len=seq_len, overwrite=True,
                            training={"epochs": 1, "batch_size": batch, "device": device, "threads": 1,
                                      "scheduler": {"name": "none"}})
    project = load_project(path)
    return project, prepare(project.data, project.folder)


def engine_epoch(project, prepared) -> float:
    """Samples per second of one epoch through the engine (compile + Trainer.fit)."""
    from app.core.graph.compiler import compile_graph
    from app.core.train.config import TrainConfig
    from app.core.train.engine import Trainer

    torch.manual_seed(0)
    model = compile_graph(project.graph)
    trainer = Trainer(model, TrainConfig.from_dict(project.training), task=prepared.info.task,
                      n_outputs=prepared.info.n_outputs)
    start = time.perf_counter()
    trainer.fit(prepared.train)
    _sync(trainer.device)
    return len(prepared.train) / (time.perf_counter() - start)


def plain_epoch(project, prepared, strategy: str) -> float:
    """Samples per second of the same epoch written by hand with transformers and torch."""
    from app.core.finetune.bases import bundled_path
    from app.core.finetune.offline import transformers

    config = project.training
    device = torch.device(config["device"])
    node = project.graph.node("encoder")
    torch.manual_seed(0)
    encoder = transformers().AutoModel.from_pretrained(str(bundled_path()), local_files_only=True,
                                                       use_safetensors=True, dtype=torch.float32)
    if strategy == "lora":
        import peft

        with warnings.catch_warnings():  # peft reads a transformers property that warns about its rename
            warnings.simplefilter("ignore", FutureWarning)
            encoder = peft.get_peft_model(encoder, peft.LoraConfig(r=8, lora_alpha=16, lora_dropout=0.1,
                                                                   target_modules=["query", "value"]))
    head = torch.nn.Linear(encoder.config.hidden_size, 1)
    encoder.to(device).train()
    head.to(device).train()
    lr = config["optimizer"]["lr"]
    groups = [{"params": [p for p in encoder.parameters() if p.requires_grad], "lr": lr * node.params["lr_scale"]},
              {"params": list(head.parameters()), "lr": lr}]
    optimizer = torch.optim.AdamW(groups, lr=lr, weight_decay=config["optimizer"]["weight_decay"])
    params = [p for g in groups for p in g["params"]]
    loss_fn = torch.nn.BCEWithLogitsLoss()
    x_all, y_all = prepared.train.inputs, prepared.train.targets
    order = torch.randperm(len(x_all), generator=torch.Generator().manual_seed(0))
    x_all, y_all = x_all[order], y_all[order]
    bs = config["batch_size"]
    start = time.perf_counter()
    for i in range(0, len(x_all), bs):
        ids, y = x_all[i:i + bs].to(device), y_all[i:i + bs].to(device)
        mask = (ids != 0).long()
        hidden = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        loss = loss_fn(head((hidden * m).sum(1) / m.sum(1)), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    loss.item()
    _sync(device)
    return len(x_all) / (time.perf_counter() - start)


def _sync(device) -> None:
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategy", choices=("full", "lora"), default="full")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--samples", type=int, default=320)
    parser.add_argument("--seq-len", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--quick", action="store_true", help="fewer samples and repeats (a smoke run)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    samples, repeats = (96, 1) if args.quick else (args.samples, args.repeats)
    with tempfile.TemporaryDirectory() as tmp:
        project, prepared = _project(Path(tmp), args.strategy, samples, args.seq_len, args.batch_size, args.device)
        engine_epoch(project, prepared)  # warm both arms up (imports, allocator, kernels)
        plain_epoch(project, prepared, args.strategy)
        engine, plain = [], []
        for _ in range(repeats):
            engine.append(engine_epoch(project, prepared))
            plain.append(plain_epoch(project, prepared, args.strategy))
    e, p = statistics.median(engine), statistics.median(plain)
    print(f"Fine-tuning all-MiniLM-L6-v2 ({args.strategy}), {len(prepared.train)} samples per epoch, batch "
          f"{args.batch_size}, {args.seq_len} tokens, device {args.device}, 1 CPU thread, median of {repeats}:")
    print(f"  engine (compiled graph + Trainer): {e:8.1f} samples/s")
    print(f"  plain transformers + PyTorch loop: {p:8.1f} samples/s")
    print(f"  ratio engine / plain: {e / p:.3f}  (goal >= 0.95)")


if __name__ == "__main__":
    main()
