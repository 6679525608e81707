"""Optimizer, schedule, clipping, EMA and GradScaler references for OptimizerTests,
ScheduleTests and TrainingUtilityTests. Run from the repo root:
    /work/main/.venv/bin/python Tests/TorchNNTests/Fixtures/make_optim_fixtures.py
"""
import math
import sys

import torch

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

OUT = "Tests/TorchNNTests/Fixtures/"
STEPS = 20
EPOCHS = 30


def problem():
    """A tiny MLP (3 -> 4 -> 1, tanh) on fixed data; named like a PyTorch state_dict."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(8, 3, generator=g)
    y = torch.randn(8, 1, generator=g)
    params = {
        "fc1.weight": torch.randn(4, 3, generator=g) * 0.5,
        "fc1.bias": torch.randn(4, generator=g) * 0.1,
        "fc2.weight": torch.randn(1, 4, generator=g) * 0.5,
        "fc2.bias": torch.randn(1, generator=g) * 0.1,
    }
    return x, y, params


def loss_fn(x, y, p):
    h = torch.tanh(x @ p["fc1.weight"].t() + p["fc1.bias"])
    return torch.nn.functional.mse_loss(h @ p["fc2.weight"].t() + p["fc2.bias"], y)


def flat(p):
    return torch.cat([t.detach().reshape(-1) for t in p.values()])


# name -> (constructor, options); "groups" splits fc1 / fc2 into two groups.
OPTIMIZERS = {
    "sgd": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_momentum_nesterov_wd": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    "sgd_momentum_dampening_maximize": (torch.optim.SGD, dict(lr=0.05, momentum=0.8, dampening=0.3, maximize=True)),
    "adam": (torch.optim.Adam, dict(lr=0.01)),
    "adam_amsgrad_wd": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.05, amsgrad=True)),
    "adamw": (torch.optim.AdamW, dict(lr=0.01)),
    "adamw_amsgrad": (torch.optim.AdamW, dict(lr=0.02, weight_decay=0.1, amsgrad=True, eps=1e-6)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=0.01)),
    "rmsprop_centered_momentum_wd": (
        torch.optim.RMSprop, dict(lr=0.005, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.02)),
    "adam_groups": (torch.optim.Adam, dict(lr=0.01)),
}

# name -> (constructor, options, max_lr) trained under OneCycleLR over STEPS steps with PyTorch's
# default momentum cycling (SGD's momentum, Adam's betas[0] between 0.85 and 0.95).
ONE_CYCLE = {
    "sgd_one_cycle": (torch.optim.SGD, dict(lr=0.1, momentum=0.9), 0.2),
    "adam_one_cycle": (torch.optim.Adam, dict(lr=0.01), 0.05),
}


def trajectory(name, ctor, options, max_lr=None, **extra):
    x, y, params = problem()
    for t in params.values():
        t.requires_grad_(True)
    if name.endswith("_groups"):
        groups = [
            {"params": [params["fc1.weight"], params["fc1.bias"]], "lr": 0.03, "weight_decay": 0.1},
            {"params": [params["fc2.weight"], params["fc2.bias"]]},
        ]
        opt = ctor(groups, **options, **extra)
    else:
        opt = ctor(list(params.values()), **options, **extra)
    sched = None if max_lr is None else torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, total_steps=STEPS)
    states, losses = [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(x, y, params)
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        losses.append(loss.detach())
        states.append(flat(params))
    return torch.stack(states), torch.stack(losses)


def optimizer_fixtures():
    x, y, params = problem()
    out = {"x": x, "y": y}
    out.update({f"init.{k}": v for k, v in params.items()})
    for name, (ctor, options) in OPTIMIZERS.items():
        states, losses = trajectory(name, ctor, options)
        out[f"{name}.params"] = states
        out[f"{name}.loss"] = losses
        if ctor in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW):
            fused, _ = trajectory(name, ctor, options, fused=True)
            print(f"{name}: max |default - fused| = {(fused - states).abs().max().item():.3g}")
    for name, (ctor, options, max_lr) in ONE_CYCLE.items():
        states, losses = trajectory(name, ctor, options, max_lr)
        out[f"{name}.params"] = states
        out[f"{name}.loss"] = losses
        if ctor is torch.optim.Adam:
            fused, _ = trajectory(name, ctor, options, max_lr, fused=True)
            print(f"{name}: max |default - fused| = {(fused - states).abs().max().item():.3g}")
    fixture_io.save(OUT + "optimizers.json", out)


def lr_sequence(make, epochs=EPOCHS, lr=0.1, metrics=None):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = make(opt)
    lrs = []
    for epoch in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[epoch])
    return torch.tensor(lrs, dtype=torch.float64)


def momentum_sequence(ctor, options, **one_cycle):
    """OneCycleLR's lr and cycled momentum (SGD's momentum, Adam's betas[0]) over EPOCHS steps."""
    p = torch.zeros(1, requires_grad=True)
    opt = ctor([p], **options)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, total_steps=EPOCHS, **one_cycle)
    lrs, momenta = [], []
    for _ in range(EPOCHS):
        group = opt.param_groups[0]
        lrs.append(group["lr"])
        momenta.append(group["betas"][0] if "betas" in group else group["momentum"])
        opt.step()
        sched.step()
    return torch.tensor(lrs, dtype=torch.float64), torch.tensor(momenta, dtype=torch.float64)


def schedule_fixtures():
    S = torch.optim.lr_scheduler
    out = {
        "step": lr_sequence(lambda o: S.StepLR(o, step_size=7, gamma=0.5)),
        "multistep": lr_sequence(lambda o: S.MultiStepLR(o, milestones=[5, 12, 20], gamma=0.3)),
        "exponential": lr_sequence(lambda o: S.ExponentialLR(o, gamma=0.9)),
        "cosine": lr_sequence(lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.001)),
        "warm_restarts": lr_sequence(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2, eta_min=0.002)),
        "warm_restarts_constant": lr_sequence(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=6)),
        "warmup_cosine": lr_sequence(lambda o: S.SequentialLR(o, [
            S.LinearLR(o, start_factor=0.1, total_iters=10),
            S.CosineAnnealingLR(o, T_max=20, eta_min=1e-4)], milestones=[10])),
        "one_cycle": lr_sequence(lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=EPOCHS, cycle_momentum=False)),
        "one_cycle_three_phase": lr_sequence(lambda o: S.OneCycleLR(
            o, max_lr=0.5, total_steps=EPOCHS, anneal_strategy="linear", three_phase=True, cycle_momentum=False)),
        "poly": lr_sequence(lambda o: S.PolynomialLR(o, total_iters=EPOCHS, power=0.9)),
    }
    cycled = {
        "sgd": momentum_sequence(torch.optim.SGD, dict(lr=0.1, momentum=0.9), max_lr=0.5),
        "adam_three_phase": momentum_sequence(
            torch.optim.Adam, dict(lr=0.01), max_lr=0.05, anneal_strategy="linear", three_phase=True,
            base_momentum=0.8, max_momentum=0.9),
    }
    for name, (lrs, momenta) in cycled.items():
        out[f"one_cycle_momentum.{name}.lr"] = lrs
        out[f"one_cycle_momentum.{name}.momentum"] = momenta
    metrics = [1.0, 0.9, 0.95, 0.95, 0.94, 0.96, 0.97, 0.85, 0.86, 0.86, 0.87, 0.88, 0.89, 0.84, 0.9,
               0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]
    out["plateau.metrics"] = torch.tensor(metrics, dtype=torch.float64)
    out["plateau.min_rel"] = lr_sequence(
        lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1, min_lr=0.004), metrics=metrics)
    out["plateau.max_abs"] = lr_sequence(
        lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.2, patience=1, threshold=0.01,
                                      threshold_mode="abs"), metrics=metrics)
    fixture_io.save(OUT + "schedules.json", out)


def training_fixtures():
    g = torch.Generator().manual_seed(1)
    grads = [torch.randn(3, 4, generator=g), torch.randn(5, generator=g) * 3, torch.randn(2, 2, generator=g)]
    out = {f"grad.{i}": t for i, t in enumerate(grads)}
    for norm_name, norm in (("2", 2.0), ("1", 1.0), ("inf", math.inf)):
        params = [torch.zeros_like(t, requires_grad=True) for t in grads]
        for p, t in zip(params, grads):
            p.grad = t.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm=1.5, norm_type=norm)
        out[f"clip_norm.{norm_name}.total"] = total
        for i, p in enumerate(params):
            out[f"clip_norm.{norm_name}.{i}"] = p.grad
    params = [torch.zeros_like(t, requires_grad=True) for t in grads]
    for p, t in zip(params, grads):
        p.grad = t.clone()
    torch.nn.utils.clip_grad_value_(params, clip_value=0.7)
    for i, p in enumerate(params):
        out[f"clip_value.{i}"] = p.grad

    # Weight EMA (timm ModelEmaV2): copy at start, then ema <- decay*ema + (1-decay)*param per update.
    weights = [torch.randn(3, 4, generator=g), torch.randn(5, generator=g)]
    ema = [w.clone() for w in weights]
    for i, w in enumerate(weights):
        out[f"ema.initial.{i}"] = w.clone()
    for step in range(5):
        for w in weights:
            w.add_(torch.randn(w.shape, generator=g) * 0.1)
        for i, w in enumerate(weights):
            out[f"ema.weights.{step}.{i}"] = w.clone()
        with torch.no_grad():
            for e, w in zip(ema, weights):
                e.mul_(0.9).add_(w, alpha=0.1)
        for i, e in enumerate(ema):
            out[f"ema.average.{step}.{i}"] = e.clone()
    fixture_io.save(OUT + "training_utilities.json", out)


if __name__ == "__main__":
    optimizer_fixtures()
    schedule_fixtures()
    training_fixtures()
