"""Training speed of the engine against a hand-written PyTorch loop, measured in the same run.

(a) The Keras first example (2-3-1 MLP, sigmoid output, binary cross-entropy, SGD lr 0.01,
    200 epochs of batch 10 over 800 training rows, validation on 200 each epoch):
    - in process: ``train_project`` on a keras-seed project (data preparation, compile,
      training, run directory) vs a plain loop over the same tensors doing the same work;
    - whole process: ``python main.py train`` vs ``python plain_loop.py`` (generating the
      same data with numpy, training, saving weights).
(b) An MLP 784-512-256-10 on 60,000 random samples: samples per second of the Trainer vs
    the plain loop (2 epochs each; Adam, batch 128).

Both arms use one torch thread and alternate run by run, so they see the same load (the
load average is printed; the machine may be shared). Figures are medians of ``--repeats``
runs (default 5); ratios are engine / plain for time (lower is better) and engine / plain
for throughput (higher is better). The whole-process arms also report CPU time (user +
system of the child process), which a busy machine disturbs less than wall time.

Where the engine gains on the plain script: its process imports torch, torch._dynamo and
pandas with the garbage collector paused (``app.core.train.startup``; the plain script pays
about a second of full collections during those imports), a chain network runs like
``nn.Sequential``, and on CPU Adam/AdamW/Adagrad/SGD-with-momentum use torch's fused
kernels (the plain loop keeps torch's slower CPU default, as a hand-written script does).

    python -m benchmarks.bench_training [--repeats 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import torch  # noqa: E402

torch.set_num_threads(1)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLAIN_SCRIPT = textwrap.dedent('''
    """A hand-written PyTorch version of the Keras first example (the baseline)."""
    import sys
    import numpy as np
    import torch
    from torch import nn

    torch.set_num_threads(1)
    torch.manual_seed(0)
    epochs = int(sys.argv[2])
    rng = np.random.default_rng(7)
    x = rng.random((1000, 2))
    y = (x.sum(axis=1) > 1.0).astype(np.float32)
    X = torch.tensor(x, dtype=torch.float32)
    Y = torch.tensor(y).unsqueeze(1)
    perm = torch.randperm(1000, generator=torch.Generator().manual_seed(0))
    xt, yt, xv, yv = X[perm[:800]], Y[perm[:800]], X[perm[800:]], Y[perm[800:]]
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1), nn.Sigmoid())
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.BCELoss()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(800)
        total = 0.0
        for i in range(0, 800, 10):
            idx = order[i:i + 10]
            xb, yb = xt[idx], yt[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out = model(xv)
            val_loss = loss_fn(out, yv).item()
            val_acc = ((out > 0.5).float() == yv).float().mean().item()
        print(f"epoch {epoch + 1} loss {total / 800:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")
    torch.save(model.state_dict(), sys.argv[1])
''')


def plain_loop(train, val, epochs: int, batch_size: int, make_model, make_opt, loss_fn, classes: bool) -> float:
    """The baseline: slicing a shuffled index, the usual five lines per step, .item() for the
    running loss, and a validation pass per epoch. Returns seconds."""
    xt, yt = train
    xv, yv = val
    torch.manual_seed(0)
    model = make_model()
    opt = make_opt(model.parameters())
    n = len(xt)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n)
        total = 0.0
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size]
            xb, yb = xt[idx], yt[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out = model(xv)
            loss_fn(out, yv).item()
            (out.argmax(1) == yv).float().mean().item() if classes else ((out > 0.5).float() == yv).float().mean().item()
    return time.perf_counter() - start


def keras_seed_project(folder: Path, epochs: int) -> Path:
    from app.core.data import prepare, synthetic_config
    from app.core.graph.templates import build_template_graph, template_training_defaults
    from app.core.project import Project, save_project

    config = synthetic_config("keras-seed")
    info = prepare(config, folder).info
    training = template_training_defaults("keras-seed", info)
    training["epochs"] = epochs
    path = folder / "keras-seed.mwproj"
    save_project(Project(name="keras-seed", graph=build_template_graph("keras-seed", info), data=config.to_dict(),
                         training=training), path)
    return path


def bench_keras_seed(repeats: int, epochs: int) -> None:
    from app.core.data import prepare, synthetic_config
    from app.core.train.api import train_project

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = keras_seed_project(tmp, epochs)
        prepared = prepare(synthetic_config("keras-seed"), tmp)
        tr, va = prepared.train, prepared.val
        train = (tr.inputs, tr.targets.float())
        val = (va.inputs, va.targets.float())

        def make_model():
            return torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1),
                                       torch.nn.Sigmoid())

        ours, plain, ours_loop = [], [], []
        for r in range(repeats):
            plain.append(plain_loop(train, val, epochs, 10, make_model,
                                    lambda p: torch.optim.SGD(p, lr=0.01), torch.nn.BCELoss(), classes=False))
            t = time.perf_counter()
            run = train_project(project, out=tmp / f"run{r}")
            ours.append(time.perf_counter() - t)
            from app.core.runs import read_summary
            ours_loop.append(read_summary(run)["elapsed_seconds"])
        p, o, ol = statistics.median(plain), statistics.median(ours), statistics.median(ours_loop)
        print(f"(a) keras-seed, {epochs} epochs, in process")
        print(f"    plain loop                 {p:7.3f} s")
        print(f"    train_project (whole job)  {o:7.3f} s   ratio {o / p:.3f}")
        print(f"    engine training loop only  {ol:7.3f} s   ratio {ol / p:.3f}")

        script = tmp / "plain_loop.py"
        script.write_text(PLAIN_SCRIPT)
        env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONPATH=str(ROOT))
        whole_plain, whole_ours = [], []
        for r in range(repeats):
            whole_plain.append(run_process([sys.executable, str(script), str(tmp / "plain.pt"), str(epochs)], env))
            whole_ours.append(run_process([sys.executable, str(ROOT / "main.py"), "train", str(project), "--out",
                                           str(tmp / f"cli{r}")], env))
        wp, wo = (statistics.median(w for w, _ in runs) for runs in (whole_plain, whole_ours))
        cp, co = (statistics.median(c for _, c in runs) for runs in (whole_plain, whole_ours))
        print(f"(a) keras-seed, {epochs} epochs, whole process (wall; CPU)")
        print(f"    python plain_loop.py       {wp:7.3f} s; {cp:7.3f} s")
        print(f"    python main.py train       {wo:7.3f} s; {co:7.3f} s   ratio {wo / wp:.3f}; {co / cp:.3f}")


def run_process(command: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_mlp(repeats: int, n: int, epochs: int) -> None:
    from app.core.data.datasets import TensorSplit
    from app.core.train.config import TrainConfig
    from app.core.train.engine import Trainer

    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 784, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    xv, yv = x[:2000].clone(), y[:2000].clone()

    def make_model():
        return torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 256),
                                   torch.nn.ReLU(), torch.nn.Linear(256, 10))

    config = TrainConfig.from_dict({"epochs": epochs, "batch_size": 128, "optimizer": {"name": "adam", "lr": 1e-3},
                                    "loss": {"name": "cross_entropy"}, "metrics": ["accuracy"], "device": "cpu",
                                    "threads": 1})
    ours, plain = [], []
    for _ in range(repeats):
        plain.append(plain_loop((x, y), (xv, yv), epochs, 128, make_model, lambda p: torch.optim.Adam(p, lr=1e-3),
                                torch.nn.CrossEntropyLoss(), classes=True))
        torch.manual_seed(0)
        trainer = Trainer(make_model(), config, task="classification", n_outputs=10)
        state = trainer.fit(TensorSplit(x, y), TensorSplit(xv, yv))
        ours.append(state.elapsed_seconds)
    samples = n * epochs
    p, o = samples / statistics.median(plain), samples / statistics.median(ours)
    print(f"(b) MLP 784-512-256-10, {n} samples x {epochs} epochs, batch 128, Adam")
    print(f"    plain loop                 {p:9.0f} samples/s")
    print(f"    Trainer                    {o:9.0f} samples/s   ratio {o / p:.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer epochs and samples (a smoke run)")
    args = parser.parse_args(argv if argv is not None else [])
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, medians of {args.repeats} runs, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    bench_keras_seed(args.repeats, 20 if args.quick else 200)
    bench_mlp(args.repeats, 6000 if args.quick else 60000, 1 if args.quick else 2)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
