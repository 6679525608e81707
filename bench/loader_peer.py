"""The fastMRI side of MRIKit's loader benchmark: an epoch of VarNet training samples through
fastMRI's VarNetDataTransform (RandomMaskFunc 0.08/4x, seeded by file name) and a torch DataLoader
with worker processes, batch collation included, from multi-coil k-space slices held in memory (no
file reading: it times the pipeline, not the disk).

Prints one JSON line {"workload": "loader", "seconds": [...]} with one time per repeat (one epoch).
The slices are made by the same formula as Sources/mrikit/Bench/LoaderBenchmarks.swift. Workers
persist between epochs (`persistent_workers=True`) and a first epoch warms them up, so process
start-up is not timed.
"""
import argparse
import json
import sys
import time
import types

import numpy as np
import torch

import fastmri

# fastmri.data's package init imports its dataset classes, which need pandas (absent here, unused
# by the transforms): register the package without running its __init__.
_data = types.ModuleType("fastmri.data")
_data.__path__ = [fastmri.__path__[0] + "/data"]
sys.modules["fastmri.data"] = _data
from fastmri.data.subsample import RandomMaskFunc  # noqa: E402
from fastmri.data.transforms import VarNetDataTransform  # noqa: E402


def kspace_slice(index: int, coils: int, size: int) -> np.ndarray:
    c, y, x = np.meshgrid(np.arange(coils), np.arange(size), np.arange(size), indexing="ij")
    real = np.cos(0.01 * x * (c + 1) + 0.02 * y + index)
    imaginary = np.sin(0.03 * y - 0.01 * x + index)
    return (real + 1j * imaginary).astype(np.complex64)


def target_image(index: int, size: int) -> np.ndarray:
    y, x = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    return (1 + np.sin(0.05 * x + 0.1 * index) * np.cos(0.07 * y)).astype(np.float32)


class SliceDataset(torch.utils.data.Dataset):
    """Slices of `slices // 8` volumes of 8 slices, transformed as fastMRI's SliceDataset does."""

    def __init__(self, slices: int, coils: int, size: int):
        self.kspace = [kspace_slice(i, coils, size) for i in range(slices)]
        self.targets = [target_image(i, size) for i in range(slices)]
        self.attrs = {"max": 2.0, "padding_left": 0, "padding_right": size, "recon_size": (size, size, 1)}
        self.transform = VarNetDataTransform(mask_func=RandomMaskFunc(center_fractions=[0.08], accelerations=[4]))

    def __len__(self):
        return len(self.kspace)

    def __getitem__(self, i):
        return self.transform(self.kspace[i], None, self.targets[i], self.attrs, f"file{i // 8}.h5", i % 8)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", nargs="?", default="loader")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--slices", type=int, default=32)
    parser.add_argument("--coils", type=int, default=4)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--device", default="cpu")  # accepted for `mrikit bench`; the loader runs on the CPU
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    dataset = SliceDataset(args.slices, args.coils, args.size)
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=args.batch, num_workers=args.workers, persistent_workers=args.workers > 0
    )
    times = []
    for _ in range(args.repeats + 1):  # the first epoch warms up (and starts the workers)
        start = time.perf_counter()
        for _batch in loader:
            pass
        times.append(time.perf_counter() - start)
    print(json.dumps({"workload": args.workload, "seconds": times[1:]}))


if __name__ == "__main__":
    main()
