"""The Python side of the MRIModels workloads of `mrikit bench`: the same training steps in
PyTorch / fastMRI, timed the same way (one JSON line {"workload": ..., "seconds": [...]}).

Workloads (keep identical to Sources/mrikit/Bench/ModelBenchmarks.swift):
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
"""
import argparse
import json
import resource
import sys
import time
import types

import torch
import torch.utils.checkpoint


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
    optimizer = torch.optim.Adam(network.parameters(), lr=3e-4)
    generator = torch.Generator().manual_seed(1)
    mask = varnet_mask(320).to(device)
    kspace = torch.randn(1, 1, 320, 320, 2, generator=generator).to(device) * mask
    target = torch.rand(1, 320, 320, generator=generator).to(device)

    def step():
        loss = torch.nn.functional.l1_loss(network(kspace, mask), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    return timed(step, steps, repeats, device)


def fastmriunetstep(steps: int, repeats: int, device: str):
    torch.manual_seed(0)
    network = import_fastmri_models().Unet(in_chans=1, out_chans=1, chans=32, num_pool_layers=4).to(device)
    optimizer = torch.optim.Adam(network.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(1)
    image = torch.randn(1, 1, 320, 320, generator=generator).to(device)
    target = torch.randn(1, 1, 320, 320, generator=generator).to(device)

    def step():
        loss = torch.nn.functional.l1_loss(network(image), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    return timed(step, steps, repeats, device)


def rcanstep(steps: int, repeats: int, device: str, checkpointed: bool = False):
    sys.path.insert(0, "Tests/MRIModelsTests/Fixtures")
    from make_recon_model_fixtures import RCAN

    torch.manual_seed(0)
    network = RCAN(2, 1, n_feats=160, n_resblocks=25, n_resgroups=4, reduction=16, res_scale=0.125).to(device)
    for group in network.body[:-1]:
        group.checkpointed = checkpointed
    optimizer = torch.optim.Adam(network.parameters(), lr=1e-4)
    generator = torch.Generator().manual_seed(1)
    image = torch.randn(1, 2, 128, 128, generator=generator).to(device)
    target = torch.randn(1, 1, 128, 128, generator=generator).to(device)

    def step():
        loss = torch.nn.functional.l1_loss(network(image), target)
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


WORKLOADS = {
    "varnetstep": varnetstep,
    "varnetstep-ckpt": lambda *args: varnetstep(*args, checkpointed=True),
    "fastmriunetstep": fastmriunetstep,
    "rcanstep": rcanstep,
    "rcanstep-ckpt": lambda *args: rcanstep(*args, checkpointed=True),
}


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
