"""Fixtures for the reconstruction networks (Tests/MRIModelsTests/Reconstruction*Tests.swift).

Run from the repository root: /work/main/.venv/bin/python \
    Tests/MRIModelsTests/Fixtures/make_recon_model_fixtures.py

fastMRI's own Unet and VarNet are the references for those models; RCAN (seed 000's bottleneck
variant), the cine network (seed 001) and DC-CNN have no package, so they are written here from
their papers and the seeds' descriptions. Each model is built with torch.manual_seed, its state
dict is saved (a torch.save .pt for the fastMRI models, so the fastMRI checkpoint path is tested,
safetensors for the others) and its outputs on fixed inputs go to JSON.
"""
import sys
import types

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint
from safetensors.torch import save_file

import fastmri

# fastmri.data's package init imports its dataset classes, which need pandas and requests (absent
# here, unused by the models): register the package without running its __init__.
_data = types.ModuleType("fastmri.data")
_data.__path__ = [fastmri.__path__[0] + "/data"]
sys.modules["fastmri.data"] = _data
from fastmri.data import transforms  # noqa: E402
from fastmri.data.subsample import EquispacedMaskFractionFunc  # noqa: E402
from fastmri.models import Unet, VarNet  # noqa: E402

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

OUT = "Tests/MRIModelsTests/Fixtures/"


# --- RCAN as seed 000 modifies it (Zhang et al., ECCV 2018 layout and key names; bottleneck blocks).


class CALayer(nn.Module):
    def __init__(self, channel, reduction):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.conv_du = nn.Sequential(
            nn.Conv2d(channel, channel // reduction, 1, padding=0, bias=True), nn.ReLU(inplace=True),
            nn.Conv2d(channel // reduction, channel, 1, padding=0, bias=True), nn.Sigmoid())

    def forward(self, x):
        return x * self.conv_du(self.avg_pool(x))


class RCAB(nn.Module):
    """Seed 000's bottleneck residual block (1×1 → 3×3 → 1×1 at n_feats/4, ReLU) with channel
    attention at the end of the body, as RCAN's RCAB, scaled by res_scale."""

    def __init__(self, n_feats, reduction, res_scale):
        super().__init__()
        mid = n_feats // 4
        self.body = nn.Sequential(
            nn.Conv2d(n_feats, mid, 1), nn.ReLU(inplace=True),
            nn.Conv2d(mid, mid, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(mid, n_feats, 1), CALayer(n_feats, reduction))
        self.res_scale = res_scale

    def forward(self, x):
        return self.body(x).mul(self.res_scale) + x


class ResidualGroup(nn.Module):
    def __init__(self, n_feats, reduction, res_scale, n_resblocks):
        super().__init__()
        blocks = [RCAB(n_feats, reduction, res_scale) for _ in range(n_resblocks)]
        self.body = nn.Sequential(*blocks, nn.Conv2d(n_feats, n_feats, 3, padding=1))

    def forward(self, x):
        if self.training and torch.is_grad_enabled():
            return checkpoint(self.body, x, use_reentrant=True) + x
        return self.body(x) + x


class RCAN(nn.Module):
    def __init__(self, in_channels, out_channels, n_feats, n_resblocks, n_resgroups, reduction, res_scale):
        super().__init__()
        self.head = nn.Sequential(nn.Conv2d(in_channels, n_feats, 3, padding=1))
        groups = [ResidualGroup(n_feats, reduction, res_scale, n_resblocks) for _ in range(n_resgroups)]
        self.body = nn.Sequential(*groups, nn.Conv2d(n_feats, n_feats, 3, padding=1))
        self.tail = nn.Sequential(nn.Conv2d(n_feats, out_channels, 3, padding=1))

    def forward(self, x):
        x = self.head(x)
        return self.tail(self.body(x) + x)


class VarNetRCAN(nn.Module):
    """Seed 000's hybrid: frozen VarNet image and GRAPPA image, stacked as channels, refined by RCAN."""

    def __init__(self, varnet, rcan):
        super().__init__()
        self.varnet = varnet
        self.rcan = rcan

    def refine(self, image, grappa):
        return self.rcan(torch.stack((image, grappa), dim=1)).squeeze(1)

    def forward(self, masked_kspace, mask, grappa):
        with torch.no_grad():
            image = self.varnet(masked_kspace, mask)
        return self.refine(image, grappa)

    def self_ensemble(self, masked_kspace, mask, grappa):
        with torch.no_grad():
            image = self.varnet(masked_kspace, mask)
        flipped = self.refine(image.flip(-1), grappa.flip(-1)).flip(-1)
        return (self.refine(image, grappa) + flipped) / 2


# --- Seed 001's cine network and Schlemper et al.'s DC-CNN.


def bn_block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class BatchNormUNet(nn.Module):
    def __init__(self, in_channels, out_channels, init_features, num_pool_layers):
        super().__init__()
        f, n = init_features, num_pool_layers
        self.encoders = nn.ModuleList(
            [bn_block(in_channels, f)] + [bn_block(f * 2**i, f * 2 ** (i + 1)) for i in range(n - 1)])
        self.bottleneck = bn_block(f * 2 ** (n - 1), f * 2**n)
        self.upconvs = nn.ModuleList(
            [nn.ConvTranspose2d(f * 2 ** (i + 1), f * 2**i, 2, stride=2) for i in reversed(range(n))])
        self.decoders = nn.ModuleList([bn_block(f * 2 ** (i + 1), f * 2**i) for i in reversed(range(n))])
        self.conv = nn.Conv2d(f, out_channels, 1)

    def forward(self, x):
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottleneck(x)
        for upconv, decoder in zip(self.upconvs, self.decoders):
            x = decoder(torch.cat([upconv(x), skips.pop()], dim=1))
        return self.conv(x)


class ResidualBlock(nn.Module):
    def __init__(self, n_feats):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(n_feats, n_feats, 3, padding=1, bias=False), nn.BatchNorm2d(n_feats), nn.ReLU(inplace=True),
            nn.Conv2d(n_feats, n_feats, 3, padding=1, bias=False), nn.BatchNorm2d(n_feats))

    def forward(self, x):
        return F.relu(self.body(x) + x)


class ResNetRefinement(nn.Module):
    def __init__(self, channels, n_feats, n_resblocks):
        super().__init__()
        self.head = nn.Conv2d(channels, n_feats, 3, padding=1)
        self.body = nn.Sequential(*[ResidualBlock(n_feats) for _ in range(n_resblocks)])
        self.tail = nn.Conv2d(n_feats, channels, 3, padding=1)

    def forward(self, x):
        return x + self.tail(self.body(F.relu(self.head(x))))


def data_consistency(image, kspace, mask, noise_lvl=None):
    """Schlemper et al.'s DC layer on centred k-space: measured samples replace (or, with a noise
    level v, are averaged into) the prediction's."""
    k = fft2c(image)
    if noise_lvl is None:
        k = (1 - mask) * k + mask * kspace
    else:
        k = (1 - mask) * k + mask * (k + noise_lvl * kspace) / (1 + noise_lvl)
    return ifft2c(k)


def fft2c(x):
    return torch.fft.fftshift(torch.fft.fftn(torch.fft.ifftshift(x, dim=(-2, -1)), dim=(-2, -1), norm="ortho"),
                              dim=(-2, -1))


def ifft2c(x):
    return torch.fft.fftshift(torch.fft.ifftn(torch.fft.ifftshift(x, dim=(-2, -1)), dim=(-2, -1), norm="ortho"),
                              dim=(-2, -1))


class CineNet(nn.Module):
    def __init__(self, frames, init_features, num_pool_layers, n_feats, n_resblocks):
        super().__init__()
        self.real_unet = BatchNormUNet(frames, frames, init_features, num_pool_layers)
        self.imag_unet = BatchNormUNet(frames, frames, init_features, num_pool_layers)
        self.resnet = ResNetRefinement(2 * frames, n_feats, n_resblocks)

    def forward(self, image, kspace=None, mask=None):
        x = torch.cat([self.real_unet(image.real), self.imag_unet(image.imag)], dim=1)
        x = self.resnet(x)
        out = torch.complex(*x.chunk(2, dim=1))
        return out if kspace is None else data_consistency(out, kspace, mask)


def conv_block(n_ch, nd, nf, ks):
    layers = [nn.Conv2d(n_ch, nf, ks, padding=ks // 2), nn.LeakyReLU(0.01, inplace=True)]
    for _ in range(nd - 2):
        layers += [nn.Conv2d(nf, nf, ks, padding=ks // 2), nn.LeakyReLU(0.01, inplace=True)]
    layers.append(nn.Conv2d(nf, n_ch, ks, padding=ks // 2))
    return nn.Sequential(*layers)


class DnCn(nn.Module):
    def __init__(self, n_channels, nc, nd, nf, ks, noise_lvl=None):
        super().__init__()
        self.conv_blocks = nn.ModuleList([conv_block(n_channels, nd, nf, ks) for _ in range(nc)])
        self.noise_lvl = noise_lvl

    def forward(self, image, kspace, mask):
        for block in self.conv_blocks:
            x = torch.cat([image.real, image.imag], dim=1)
            x = x + block(x)
            image = data_consistency(torch.complex(*x.chunk(2, dim=1)), kspace, mask, self.noise_lvl)
        return image


def unet_fixture():
    """Odd sizes (21×27) exercise the reflect padding after the transposed convolutions."""
    torch.manual_seed(0)
    model = Unet(in_chans=2, out_chans=3, chans=4, num_pool_layers=3, drop_prob=0.0).eval()
    image = torch.randn(1, 2, 21, 27)
    with torch.no_grad():
        output = model(image)
    torch.save(model.state_dict(), OUT + "recon_unet.pt")
    fixture_io.save(OUT + "recon_unet.json", {"image": image, "output": output})


def varnet_fixture():
    """A small VarNet on 4-coil 32×24 k-space under a fastMRI equispaced mask: low frequencies
    detected from the mask, given, and with the centre left unmasked (same weights)."""
    torch.manual_seed(1)
    model = VarNet(num_cascades=2, sens_chans=4, sens_pools=2, chans=6, pools=2).eval()
    for index, cascade in enumerate(model.cascades):
        cascade.dc_weight.data.fill_(0.5 + index)  # not the initial 1, so a wrong weight shows
    image = torch.randn(1, 4, 32, 24, dtype=torch.complex64)
    kspace = fastmri.fft2c(torch.view_as_real(image))
    mask_func = EquispacedMaskFractionFunc(center_fractions=[0.25], accelerations=[3])
    masked, mask, num_low = transforms.apply_mask(kspace, mask_func, seed=123)
    mask = mask.bool()
    with torch.no_grad():
        detected = model(masked, mask)
        given = model(masked, mask, num_low_frequencies=4)
        model.sens_net.mask_center = False
        unmasked = model(masked, mask)
        sens_maps = model.sens_net(masked, mask)
    torch.save(model.state_dict(), OUT + "recon_varnet.pt")
    fixture_io.save(OUT + "recon_varnet.json", {
        "masked_kspace": torch.view_as_complex(masked.contiguous()),
        "mask": mask.reshape(1, 1, 1, -1).float(),
        "num_low_frequencies": float(num_low),
        "output_detected": detected,
        "output_given_4": given,
        "output_unmasked_centre": unmasked,
        "sensitivities_unmasked_centre": torch.view_as_complex(sens_maps.contiguous()),
    })


def parameter_count_fixture():
    """fastMRI's parameter counts at its default sizes (the Swift test builds the same models)."""
    def count(model):
        return sum(p.numel() for p in model.parameters())

    fixture_io.save(OUT + "recon_parameter_counts.json", {
        "varnet_default": count(VarNet()),
        "unet_1_1_32_4": count(Unet(in_chans=1, out_chans=1, chans=32, num_pool_layers=4)),
    })


def rcan_fixture():
    """RCAN's output in evaluation, and its gradients in training, where each residual group is
    checkpointed."""
    torch.manual_seed(2)
    model = RCAN(2, 1, n_feats=16, n_resblocks=2, n_resgroups=2, reduction=4, res_scale=0.125)
    image = torch.randn(1, 2, 12, 10)
    with torch.no_grad():
        output = model.eval()(image)
    model.train()
    model(image).square().mean().backward()
    save_file(model.state_dict(), OUT + "recon_rcan.safetensors")
    fixture_io.save(OUT + "recon_rcan.json", {
        "image": image, "output": output,
        "grad_head": model.head[0].weight.grad,
        "grad_inner": model.body[0].body[0].body[2].weight.grad,
        "grad_tail_bias": model.tail[0].bias.grad,
    })


def hybrid_fixture():
    """Seed 000's VarNet + GRAPPA + RCAN on 2-coil k-space, with and without the
    flip self-ensemble; the GRAPPA image is a stand-in (any image of the slice's size)."""
    torch.manual_seed(3)
    varnet = VarNet(num_cascades=1, sens_chans=2, sens_pools=2, chans=4, pools=2)
    rcan = RCAN(2, 1, n_feats=8, n_resblocks=1, n_resgroups=2, reduction=4, res_scale=0.125)
    model = VarNetRCAN(varnet, rcan).eval()
    image = torch.randn(1, 2, 32, 24, dtype=torch.complex64)
    kspace = fastmri.fft2c(torch.view_as_real(image))
    mask_func = EquispacedMaskFractionFunc(center_fractions=[0.25], accelerations=[3])
    masked, mask, _ = transforms.apply_mask(kspace, mask_func, seed=7)
    grappa = torch.rand(1, 32, 24) * 3
    with torch.no_grad():
        output = model(masked, mask.bool(), grappa)
        ensemble = model.self_ensemble(masked, mask.bool(), grappa)
    save_file(model.state_dict(), OUT + "recon_varnet_rcan.safetensors")
    fixture_io.save(OUT + "recon_varnet_rcan.json", {
        "masked_kspace": torch.view_as_complex(masked.contiguous()),
        "mask": mask.reshape(1, 1, 1, -1).float(),
        "grappa": grappa, "output": output, "self_ensemble": ensemble,
    })


def cine_inputs():
    """Zero-filled 4-frame 12×12 cine images under a per-frame random line mask."""
    full = torch.randn(1, 4, 12, 12, dtype=torch.complex64)
    mask = (torch.rand(1, 4, 1, 12) < 0.4).float()
    mask[..., 5:7] = 1
    kspace = fft2c(full) * mask
    return ifft2c(kspace), kspace, mask


def cine_fixture():
    """Seed 001's network: outputs in evaluation (running statistics after two training passes),
    with and without data consistency, and in training (batch statistics)."""
    torch.manual_seed(4)
    model = CineNet(frames=4, init_features=4, num_pool_layers=2, n_feats=8, n_resblocks=2)
    image, kspace, mask = cine_inputs()
    with torch.no_grad():
        for _ in range(2):
            model(image * 1.5)
        model.eval()
        output = model(image)
        output_dc = model(image, kspace, mask)
        save_file(model.state_dict(), OUT + "recon_cine.safetensors")
        model.train()
        output_train = model(image)
    fixture_io.save(OUT + "recon_cine.json", {
        "image": image, "kspace": kspace, "mask": mask,
        "output": output, "output_dc": output_dc, "output_train": output_train,
    })


def dccnn_fixture():
    """DC-CNN (2 cascades of 3-layer CNNs) on the cine inputs, frames as channels; exact and noisy DC."""
    torch.manual_seed(5)
    model = DnCn(n_channels=8, nc=2, nd=3, nf=8, ks=3)
    image, kspace, mask = cine_inputs()
    with torch.no_grad():
        output = model(image, kspace, mask)
        model.noise_lvl = 0.5
        output_noisy = model(image, kspace, mask)
    save_file(model.state_dict(), OUT + "recon_dccnn.safetensors")
    fixture_io.save(OUT + "recon_dccnn.json", {
        "image": image, "kspace": kspace, "mask": mask, "output": output, "output_noise_0_5": output_noisy,
    })


if __name__ == "__main__":
    parameter_count_fixture()
    unet_fixture()
    varnet_fixture()
    rcan_fixture()
    hybrid_fixture()
    cine_fixture()
    dccnn_fixture()
