"""What the Python benchmark peers share: Buda et al.'s U-Net (as MRIModels' BudaUNet) and the
timing loop every peer reports with."""
import time
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
