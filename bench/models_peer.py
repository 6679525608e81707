"""The Python side of `mrikit bench`'s model workloads (Sources/mrikit/Bench/ModelBenchmarks.swift):
one training step (forward, loss, backward, Adam) of the same network on the same batch, timed the
same way as bench/torch_peer.py, printing {"workload": ..., "seconds": [...]}.

Reconstruction workloads (keep identical to reconstructionModelWorkloads in ModelBenchmarks.swift):
  varnetstep       fastMRI VarNet (12 cascades, defaults) on single-coil 1×1×320×320 k-space under
                   an equispaced 4× mask with 26 centre columns: forward, L1 loss against a
                   320×320 target, backward, Adam step.
  varnetstep-ckpt  the same with each cascade under torch.utils.checkpoint (reentrant).
  fastmriunetstep  fastMRI Unet(1, 1, chans 32, 4 pools) on a 1×1×320×320 image: forward, L1
                   loss, backward, Adam step.
  rcanstep         seed 000's RCAN (the fixture script's definition; 160 features, 4 groups of
                   25 blocks, reduction 16, res_scale 0.125) on a 1×2×128×128 image pair, plain.
  rcanstep-ckpt    the same with each residual group checkpointed (the seed's way).
Each report also carries the process's peak resident memory ("max_rss_mb").

Segmentation workloads (keep identical to segmentationModelWorkloads in ModelBenchmarks.swift):
  segresnetvae  MONAI SegResNetVAE (defaults, 4 input channels, 3 outputs) on [1, 4, 96, 96, 96];
                loss BCE-with-logits of the segmentation + the model's VAE loss.
  vnet          MONAI VNet (defaults: 1 in, 1 out, ELU, dropout) on [1, 1, 64, 64, 64]; BCE-with-logits.
  segunet2d     Buda et al.'s 2D U-Net (32 features) on [1, 3, 256, 256]; BCE-with-logits of its scores.
"""
import argparse
import json
import resource
import sys
import types

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint

from peer_common import BudaUNet, timed


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


class CheckpointedCascade(torch.nn.Module):
    """A VarNet cascade run under reentrant gradient checkpointing."""

    def __init__(self, cascade):
        super().__init__()
        self.cascade = cascade

    def forward(self, current_kspace, ref_kspace, mask, sens_maps):
        return torch.utils.checkpoint.checkpoint(
            self.cascade, current_kspace, ref_kspace, mask, sens_maps, use_reentrant=True)


def varnetstep(steps: int, repeats: int, device: str, checkpointed: bool = False):
    torch.manual_seed(0)
    network = import_fastmri_models().VarNet(num_cascades=12).to(device)
    if checkpointed:
        network.cascades = torch.nn.ModuleList(CheckpointedCascade(cascade) for cascade in network.cascades)
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


def rcanstep(steps: int, repeats: int, device: str, checkpointed: bool = False):
    sys.path.insert(0, "Tests/MRIModelsTests/Fixtures")
    from make_recon_model_fixtures import RCAN

    torch.manual_seed(0)
    network = RCAN(2, 1, n_feats=160, n_resblocks=25, n_resgroups=4, reduction=16, res_scale=0.125).to(device)
    for group in network.body[:-1]:
        group.checkpointed = checkpointed
    generator = torch.Generator().manual_seed(1)
    image = torch.randn(1, 2, 128, 128, generator=generator).to(device)
    target = torch.randn(1, 1, 128, 128, generator=generator).to(device)
    return adam_steps(network, lambda: F.l1_loss(network(image), target), steps, repeats, device)


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


WORKLOADS = {"varnetstep": varnetstep, "varnetstep-ckpt": lambda *args: varnetstep(*args, checkpointed=True),
             "fastmriunetstep": fastmriunetstep, "rcanstep": rcanstep,
             "rcanstep-ckpt": lambda *args: rcanstep(*args, checkpointed=True),
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
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"workload": args.workload, "seconds": seconds, "max_rss_mb": max_rss_mb,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
