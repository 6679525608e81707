"""The Python PyTorch side of `mrikit bench torch`: the same work, timed the same way.

Each workload prints one JSON line {"workload": ..., "seconds": [...]} with one time per
repeat; `mrikit bench` runs this script between its own repeats and prints the ratios.
Workloads (keep identical to Sources/mrikit/Bench/TorchBenchmarks.swift):
  elementwise  a chain of small elementwise ops on a 16-element float32 tensor:
               x = tanh(((x + a) * b - c) / d), 5 ops per step; time per op.
  convstep     a conv-net training step: 4 conv layers (1-32-32-32-1, 3x3, padding 1, ReLU)
               on a [4, 1, 128, 128] batch, MSE loss, backward, SGD update.
"""
import argparse
import json
import time

import torch


def elementwise(steps: int, repeats: int, device: str):
    a = torch.full((16,), 0.5, device=device)
    b = torch.full((16,), 0.9, device=device)
    c = torch.full((16,), 0.1, device=device)
    d = torch.full((16,), 1.1, device=device)
    x = torch.ones(16, device=device)
    times = []
    for _ in range(repeats + 1):  # the first repeat warms up
        sync(device)
        start = time.perf_counter()
        for _ in range(steps):
            x = torch.tanh(((x + a) * b - c) / d)
        sync(device)
        times.append((time.perf_counter() - start) / (steps * 5))
    return times[1:]


def conv_parameters(device: str):
    generator = torch.Generator().manual_seed(0)
    shapes = [(32, 1), (32, 32), (32, 32), (1, 32)]
    params = []
    for out_channels, in_channels in shapes:
        weight = torch.randn(out_channels, in_channels, 3, 3, generator=generator) * (2.0 / (9 * in_channels)) ** 0.5
        bias = torch.zeros(out_channels)
        params += [weight.to(device).requires_grad_(), bias.to(device).requires_grad_()]
    return params


def conv_step(x, target, params, lr=1e-3):
    h = x
    for layer in range(4):
        h = torch.nn.functional.conv2d(h, params[2 * layer], params[2 * layer + 1], padding=1)
        if layer < 3:
            h = torch.relu(h)
    loss = torch.nn.functional.mse_loss(h, target)
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
            p.grad = None
    return loss


def convstep(steps: int, repeats: int, device: str):
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(4, 1, 128, 128, generator=generator).to(device)
    target = torch.randn(4, 1, 128, 128, generator=generator).to(device)
    params = conv_parameters(device)
    times = []
    for _ in range(repeats + 1):
        sync(device)
        start = time.perf_counter()
        for _ in range(steps):
            conv_step(x, target, params)
        sync(device)
        times.append((time.perf_counter() - start) / steps)
    return times[1:]


def sync(device: str):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=["elementwise", "convstep"])
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    run = elementwise if args.workload == "elementwise" else convstep
    seconds = run(args.steps, args.repeats, args.device)
    print(json.dumps({"workload": args.workload, "seconds": seconds, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
