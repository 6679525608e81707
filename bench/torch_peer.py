"""The Python PyTorch side of `mrikit bench torch`: the same work, timed the same way.

Each workload prints one JSON line {"workload": ..., "seconds": [...]} with one time per
repeat; `mrikit bench` runs this script between its own repeats and prints the ratios.
Workloads (keep identical to Sources/mrikit/Bench/BenchCommand.swift, ModelBenchmarks.swift
and TinyConvNet.swift):
  elementwise  a chain of small elementwise ops on a 16-element float32 tensor:
               x = tanh(((x + a) * b - c) / d), 5 ops per step; time per op.
  convstep     a conv-net training step: 4 conv layers (1-32-32-32-1, 3x3, padding 1, ReLU)
               on a [4, 1, 128, 128] batch, MSE loss, backward, SGD update.
  unetstep     a 2D U-Net (Buda et al., 16 features, BatchNorm) training step on a
               [4, 3, 128, 128] batch, BCE-with-logits loss, backward, Adam update.
  conv3x3      forward and backward (input and weight gradients) of the wide "same" 3×3
               convolutions of a U-Net's middle levels, no bias: 64→64 on 160², 128→128 on
               80², 256→256 on 40² and 512→256 on 40², each [1, C, H, W] with a given output
               gradient; time per pass over the four layers.
"""
import argparse
import json

import torch

from peer_common import BudaUNet, timed


def elementwise(steps: int, repeats: int, device: str):
    a = torch.full((16,), 0.5, device=device)
    b = torch.full((16,), 0.9, device=device)
    c = torch.full((16,), 0.1, device=device)
    d = torch.full((16,), 1.1, device=device)
    x = torch.ones(16, device=device)

    def step():
        nonlocal x
        x = torch.tanh(((x + a) * b - c) / d)

    return [seconds / 5 for seconds in timed(step, steps, repeats, device)]


def convstep(steps: int, repeats: int, device: str):
    torch.manual_seed(0)
    layers = []
    for in_channels, out_channels in [(1, 32), (32, 32), (32, 32), (32, 1)]:
        layers += [torch.nn.Conv2d(in_channels, out_channels, 3, padding=1), torch.nn.ReLU()]
    network = torch.nn.Sequential(*layers[:-1]).to(device)
    optimizer = torch.optim.SGD(network.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(4, 1, 128, 128, generator=generator).to(device)
    target = torch.randn(4, 1, 128, 128, generator=generator).to(device)

    def step():
        loss = torch.nn.functional.mse_loss(network(x), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    return timed(step, steps, repeats, device)


def unetstep(steps: int, repeats: int, device: str):
    generator = torch.Generator().manual_seed(2)
    x = torch.randn(4, 3, 128, 128, generator=generator).to(device)
    target = (torch.rand(4, 1, 128, 128, generator=generator) > 0.5).float().to(device)
    torch.manual_seed(2)
    network = BudaUNet(init_features=16).to(device)
    optimizer = torch.optim.Adam(network.parameters(), lr=1e-4)

    def step():
        loss = torch.nn.functional.binary_cross_entropy_with_logits(network(x), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    return timed(step, steps, repeats, device)


CONV3X3_LAYERS = [(64, 64, 160), (128, 128, 80), (256, 256, 40), (512, 256, 40)]


def conv3x3(steps: int, repeats: int, device: str):
    torch.manual_seed(4)
    cases = []
    for in_channels, out_channels, size in CONV3X3_LAYERS:
        layer = torch.nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False).to(device)
        x = torch.randn(1, in_channels, size, size, device=device, requires_grad=True)
        cases.append((layer, x, torch.randn(1, out_channels, size, size, device=device)))

    def step():
        for layer, x, gradient in cases:
            layer(x).backward(gradient)
            layer.weight.grad = None
            x.grad = None

    return timed(step, steps, repeats, device)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=["elementwise", "convstep", "unetstep", "conv3x3"])
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    run = {"elementwise": elementwise, "convstep": convstep, "unetstep": unetstep, "conv3x3": conv3x3}[args.workload]
    seconds = run(args.steps, args.repeats, args.device)
    print(json.dumps({"workload": args.workload, "seconds": seconds, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
