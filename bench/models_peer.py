"""The Python side of `mrikit bench`'s model workloads (Sources/mrikit/Bench/ModelBenchmarks.swift):
one training step (forward, loss, backward, Adam) of the same network on the same batch, timed the
same way as bench/torch_peer.py, printing {"workload": ..., "seconds": [...]}.

Reconstruction workloads (keep identical to reconstructionModelWorkloads in ModelBenchmarks.swift):
  varnetstep       fastMRI VarNet (12 cascades, defaults) on single-coil 1×1×320×320 k-space under
                   an equispaced 4× mask with 26 centre columns: forward, L1 loss against a
                   320×320 target, backward, Adam step.
  fastmriunetstep  fastMRI Unet(1, 1, chans 32, 4 pools) on a 1×1×320×320 image: forward, L1
                   loss, backward, Adam step.

Segmentation workloads (keep identical to segmentationModelWorkloads in ModelBenchmarks.swift):
  segresnetvae  MONAI SegResNetVAE (defaults, 4 input channels, 3 outputs) on [1, 4, 96, 96, 96];
                loss BCE-with-logits of the segmentation + the model's VAE loss.
  vnet          MONAI VNet (defaults: 1 in, 1 out, ELU, dropout) on [1, 1, 64, 64, 64]; BCE-with-logits.
  segunet2d     Buda et al.'s 2D U-Net (32 features) on [1, 3, 256, 256]; BCE-with-logits of its scores.
"""
import argparse
import json
import sys
import time
import types
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


class BudaUNet(nn.Module):
    """brain-segmentation-pytorch's unet.py (as MRIModels' BudaUNet), returning the scores before the sigmoid."""

    def __init__(self, in_channels=3, out_channels=1, init_features=32):
        super().__init__()
        f = init_features
        self.encoder1, self.encoder2 = self._block(in_channels, f, "enc1"), self._block(f, 2 * f, "enc2")
        self.encoder3, self.encoder4 = self._block(2 * f, 4 * f, "enc3"), self._block(4 * f, 8 * f, "enc4")
        self.bottleneck = self._block(8 * f, 16 * f, "bottleneck")
        self.upconv4, self.decoder4 = nn.ConvTranspose2d(16 * f, 8 * f, 2, stride=2), self._block(16 * f, 8 * f, "dec4")
        self.upconv3, self.decoder3 = nn.ConvTranspose2d(8 * f, 4 * f, 2, stride=2), self._block(8 * f, 4 * f, "dec3")
        self.upconv2, self.decoder2 = nn.ConvTranspose2d(4 * f, 2 * f, 2, stride=2), self._block(4 * f, 2 * f, "dec2")
        self.upconv1, self.decoder1 = nn.ConvTranspose2d(2 * f, f, 2, stride=2), self._block(2 * f, f, "dec1")
        self.conv = nn.Conv2d(f, out_channels, 1)

    def forward(self, x):
        pool = F.max_pool2d
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

    @staticmethod
    def _block(inputs, features, name):
        return nn.Sequential(OrderedDict([
            (name + "conv1", nn.Conv2d(inputs, features, 3, padding=1, bias=False)),
            (name + "norm1", nn.BatchNorm2d(features)), (name + "relu1", nn.ReLU(inplace=True)),
            (name + "conv2", nn.Conv2d(features, features, 3, padding=1, bias=False)),
            (name + "norm2", nn.BatchNorm2d(features)), (name + "relu2", nn.ReLU(inplace=True))]))


def import_fastmri_models():
    """fastmri.models; fastmri.data's package init imports its dataset classes, which need pandas
    (absent here, unused by the models), so the package is registered without running it."""
    import fastmri

    if "fastmri.data" not in sys.modules:
        data = types.ModuleType("fastmri.data")
        data.__path__ = [fastmri.__path__[0] + "/data"]
        sys.modules["fastmri.data"] = data
    import fastmri.models

    return fastmri.models


def varnet_mask(width: int) -> torch.Tensor:
    """Every 4th column plus the 26 centre columns, as bool [1, 1, 1, W, 1] (fastMRI's layout)."""
    mask = torch.zeros(width, dtype=torch.bool)
    mask[::4] = True
    start = (width - 26 + 1) // 2
    mask[start:start + 26] = True
    return mask.view(1, 1, 1, width, 1)


def varnetstep(steps: int, repeats: int, device: str):
    torch.manual_seed(0)
    network = import_fastmri_models().VarNet(num_cascades=12).to(device)
    generator = torch.Generator().manual_seed(1)
    mask = varnet_mask(320).to(device)
    kspace = torch.randn(1, 1, 320, 320, 2, generator=generator).to(device) * mask
    target = torch.rand(1, 320, 320, generator=generator).to(device)

    return adam_steps(network, lambda: F.l1_loss(network(kspace, mask), target), steps, repeats, device, lr=3e-4)


def fastmriunetstep(steps: int, repeats: int, device: str):
    torch.manual_seed(0)
    network = import_fastmri_models().Unet(in_chans=1, out_chans=1, chans=32, num_pool_layers=4).to(device)
    generator = torch.Generator().manual_seed(1)
    image = torch.randn(1, 1, 320, 320, generator=generator).to(device)
    target = torch.randn(1, 1, 320, 320, generator=generator).to(device)

    return adam_steps(network, lambda: F.l1_loss(network(image), target), steps, repeats, device, lr=1e-3)


def segmentation_batch(shape, out_channels, device):
    generator = torch.Generator().manual_seed(3)
    x = torch.randn(*shape, generator=generator).to(device)
    target = (torch.rand(shape[0], out_channels, *shape[2:], generator=generator) > 0.5).float().to(device)
    return x, target


def segresnetvae(steps, repeats, device):
    from monai.networks.nets import SegResNetVAE
    torch.manual_seed(3)
    network = SegResNetVAE(input_image_size=(96, 96, 96), in_channels=4, out_channels=3).to(device).train()
    x, target = segmentation_batch((1, 4, 96, 96, 96), 3, device)

    def loss():
        segmentation, vae_loss = network(x)
        return F.binary_cross_entropy_with_logits(segmentation, target) + vae_loss

    return adam_steps(network, loss, steps, repeats, device)


def vnet(steps, repeats, device):
    from monai.networks.nets import VNet
    torch.manual_seed(3)
    network = VNet().to(device).train()
    x, target = segmentation_batch((1, 1, 64, 64, 64), 1, device)
    return adam_steps(network, lambda: F.binary_cross_entropy_with_logits(network(x), target), steps, repeats, device)


def segunet2d(steps, repeats, device):
    torch.manual_seed(3)
    network = BudaUNet().to(device).train()
    x, target = segmentation_batch((1, 3, 256, 256), 1, device)
    return adam_steps(network, lambda: F.binary_cross_entropy_with_logits(network(x), target), steps, repeats, device)


def adam_steps(network, loss, steps, repeats, device, lr=1e-4):
    optimizer = torch.optim.Adam(network.parameters(), lr=lr)

    def step():
        loss().backward()
        optimizer.step()
        optimizer.zero_grad()

    return timed(step, steps, repeats, device)


def timed(step, steps, repeats, device):
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


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


WORKLOADS = {"varnetstep": varnetstep, "fastmriunetstep": fastmriunetstep,
             "segresnetvae": segresnetvae, "vnet": vnet, "segunet2d": segunet2d}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    seconds = WORKLOADS[args.workload](args.steps, args.repeats, args.device)
    print(json.dumps({"workload": args.workload, "seconds": seconds, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
