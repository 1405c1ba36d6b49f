"""Language-model training parts: GPT initialisation, weight-decay groups, activation
checkpointing, distributed sharding and the new training settings."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from app.core.data.info import DataInfo
from app.core.graph.compiler import compile_graph
from app.core.graph.templates import build_template_graph
from app.core.lm.init import initialise_gpt
from app.core.train.activation_checkpointing import enable_activation_checkpointing
from app.core.train.config import TrainConfig, TrainConfigError
from app.core.train.distributed import shard_order
from app.core.train.optim import build_optimizer, weight_decay_groups

VOCAB = 300
INFO = DataInfo("tokens", (32,), "language-model", VOCAB, VOCAB, None)


def _gpt(dropout=0.0, **options):
    torch.manual_seed(0)
    return compile_graph(build_template_graph("gpt", INFO, n_layer=2, n_embd=64, n_head=4, dropout=dropout, **options))


def _loss(model, x):
    out = model(x[:, :-1])
    return F.cross_entropy(out.reshape(-1, VOCAB), x[:, 1:].reshape(-1))


def test_a_fresh_gpt_starts_near_the_loss_of_guessing():
    model = _gpt()
    x = torch.randint(2, VOCAB, (8, 33), generator=torch.Generator().manual_seed(1))
    assert _loss(model, x).item() > 2 * math.log(VOCAB)  # torch's N(0, 1) embedding, tied to the head
    assert initialise_gpt(model)
    assert _loss(model, x).item() == pytest.approx(math.log(VOCAB), abs=0.3)
    assert model["block_1"].attn.c_proj.weight.std().item() == pytest.approx(0.02 / math.sqrt(4), rel=0.15)
    assert not initialise_gpt(torch.nn.Sequential(torch.nn.Linear(3, 3)))  # only GPT networks


def test_weight_decay_skips_biases_norms_and_embeddings_including_the_tied_head():
    model = _gpt()
    decay, no_decay = weight_decay_groups(model, 0.1)
    names = {id(p): n for n, p in model.named_parameters()}
    decayed = {names[id(p)] for p in decay["params"]}
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert decayed == {f"block_{i}.{part}.weight" for i in (1, 2)
                       for part in ("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj")}
    assert model["lm_head"].weight is model["tok_emb"].weight
    counted = sum(p.numel() for g in (decay, no_decay) for p in g["params"])
    assert counted == sum(p.numel() for p in model.parameters())  # every parameter once
    opt = build_optimizer(model, TrainConfig.from_dict({"optimizer": {"name": "adamw", "weight_decay": 0.1}}).optimizer)
    assert [g["weight_decay"] for g in opt.param_groups] == [0.1, 0.0]
    plain = build_optimizer(model, TrainConfig.from_dict({"optimizer": {"name": "adamw"}}).optimizer)
    assert len(plain.param_groups) == 1


def test_checkpointed_blocks_give_the_same_gradients_and_keep_less():
    x = torch.randint(2, VOCAB, (4, 33), generator=torch.Generator().manual_seed(2))
    plain, ckpt = _gpt(dropout=0.1), _gpt(dropout=0.1)
    assert enable_activation_checkpointing(ckpt) == 2
    grads = []
    kept = []
    for model in (plain, ckpt):
        model.train()
        saved = []
        torch.manual_seed(5)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: saved.append(t.untyped_storage().nbytes()) or t,
                                                      lambda t: t):
            loss = _loss(model, x)
        loss.backward()
        grads.append({n: p.grad.clone() for n, p in model.named_parameters()})
        kept.append(sum(saved))
    for name, g in grads[0].items():
        torch.testing.assert_close(grads[1][name], g, rtol=1e-4, atol=1e-6)
    assert kept[1] < 0.5 * kept[0]
    assert set(dict(ckpt.state_dict())) == set(dict(plain.state_dict()))  # names untouched


def test_each_process_gets_an_equal_share_of_the_whole_epoch():
    order = torch.randperm(11, generator=torch.Generator().manual_seed(0))
    shares = [shard_order(order, r, 3) for r in range(3)]
    assert [len(s) for s in shares] == [4, 4, 4]
    assert set(torch.cat(shares).tolist()) == set(order.tolist())
    assert torch.equal(shard_order(order, 1, 3), shares[1])
    assert torch.equal(shard_order(order, 0, 1), order)


def test_compile_and_checkpointing_settings_round_trip_and_are_checked():
    cfg = TrainConfig.from_dict({"compile": True, "gradient_checkpointing": True})
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg and cfg.compile and cfg.gradient_checkpointing
    assert not TrainConfig.from_dict({}).compile
    with pytest.raises(TrainConfigError, match="'gradient_checkpointing' is 'yes'; expected true or false"):
        TrainConfig.from_dict({"gradient_checkpointing": "yes"})


def test_a_checkpointed_gpt_trains_in_the_engine(tmp_path):
    from app.core.train.api import train_project
    from app.core.runs import read_metrics
    from tests.core.lm_helpers import tiny_gpt_project
    import json

    project = tiny_gpt_project(tmp_path, seq_len=16, steps=30)
    d = json.loads(project.read_text())
    d["training"].update(gradient_checkpointing=True, grad_accum=2)
    project.write_text(json.dumps(d))
    run = train_project(project, out=tmp_path / "run")
    rows = read_metrics(run)
    assert rows[-1]["step"] == 30 and rows[-1]["val_loss"] < rows[0]["val_loss"] - 0.3
