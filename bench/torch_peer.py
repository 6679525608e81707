"""The Python PyTorch side of `mrikit bench torch`: the same work, timed the same way.

Each workload prints one JSON line {"workload": ..., "seconds": [...]} with one time per
repeat; `mrikit bench` runs this script between its own repeats and prints the ratios.
Workloads (keep identical to Sources/mrikit/Bench/BenchCommand.swift, BenchmarkUNet2D.swift
and Sources/mrikit/TinyConvNet.swift):
  elementwise  a chain of small elementwise ops on a 16-element float32 tensor:
               x = tanh(((x + a) * b - c) / d), 5 ops per step; time per op.
  convstep     a conv-net training step: 4 conv layers (1-32-32-32-1, 3x3, padding 1, ReLU)
               on a [4, 1, 128, 128] batch, MSE loss, backward, SGD update.
  unetstep     a 2D U-Net (Buda et al., 16 features, BatchNorm) training step on a
               [4, 3, 128, 128] batch, BCE-with-logits loss, backward, Adam update.
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


class UNet2D(torch.nn.Module):
    """Buda et al.'s brain-segmentation U-Net, as Sources/mrikit/Bench/BenchmarkUNet2D.swift."""

    def __init__(self, in_channels=3, out_channels=1, features=16):
        super().__init__()

        def block(inputs, outputs):
            return torch.nn.Sequential(
                torch.nn.Conv2d(inputs, outputs, 3, padding=1, bias=False), torch.nn.BatchNorm2d(outputs),
                torch.nn.ReLU(),
                torch.nn.Conv2d(outputs, outputs, 3, padding=1, bias=False), torch.nn.BatchNorm2d(outputs),
                torch.nn.ReLU())

        f = features
        self.encoder1, self.encoder2 = block(in_channels, f), block(f, 2 * f)
        self.encoder3, self.encoder4 = block(2 * f, 4 * f), block(4 * f, 8 * f)
        self.bottleneck = block(8 * f, 16 * f)
        self.upconv4, self.decoder4 = torch.nn.ConvTranspose2d(16 * f, 8 * f, 2, stride=2), block(16 * f, 8 * f)
        self.upconv3, self.decoder3 = torch.nn.ConvTranspose2d(8 * f, 4 * f, 2, stride=2), block(8 * f, 4 * f)
        self.upconv2, self.decoder2 = torch.nn.ConvTranspose2d(4 * f, 2 * f, 2, stride=2), block(4 * f, 2 * f)
        self.upconv1, self.decoder1 = torch.nn.ConvTranspose2d(2 * f, f, 2, stride=2), block(2 * f, f)
        self.conv = torch.nn.Conv2d(f, out_channels, 1)

    def forward(self, x):
        pool = torch.nn.functional.max_pool2d
        e1 = self.encoder1(x)
        e2 = self.encoder2(pool(e1, 2))
        e3 = self.encoder3(pool(e2, 2))
        e4 = self.encoder4(pool(e3, 2))
        h = self.bottleneck(pool(e4, 2))
        h = self.decoder4(torch.cat([self.upconv4(h), e4], 1))
        h = self.decoder3(torch.cat([self.upconv3(h), e3], 1))
        h = self.decoder2(torch.cat([self.upconv2(h), e2], 1))
        h = self.decoder1(torch.cat([self.upconv1(h), e1], 1))
        return self.conv(h)


def unetstep(steps: int, repeats: int, device: str):
    generator = torch.Generator().manual_seed(2)
    x = torch.randn(4, 3, 128, 128, generator=generator).to(device)
    target = (torch.rand(4, 1, 128, 128, generator=generator) > 0.5).float().to(device)
    torch.manual_seed(2)
    network = UNet2D().to(device)
    optimizer = torch.optim.Adam(network.parameters(), lr=1e-4)

    def step():
        loss = torch.nn.functional.binary_cross_entropy_with_logits(network(x), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    return timed(step, steps, repeats, device)


def timed(step, steps: int, repeats: int, device: str):
    """Seconds per step for each repeat, after one warm-up repeat."""
    times = []
    for _ in range(repeats + 1):
        sync(device)
        start = time.perf_counter()
        for _ in range(steps):
            step()
        sync(device)
        times.append((time.perf_counter() - start) / steps)
    return times[1:]


def sync(device: str):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=["elementwise", "convstep", "unetstep"])
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    run = {"elementwise": elementwise, "convstep": convstep, "unetstep": unetstep}[args.workload]
    seconds = run(args.steps, args.repeats, args.device)
    print(json.dumps({"workload": args.workload, "seconds": seconds, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
