"""The fastMRI side of MRIKit's loader benchmark: an epoch of VarNet training samples read from the
fastMRI files in --data by fastMRI's SliceDataset, with its VarNetDataTransform (RandomMaskFunc
0.08/4x, seeded by file name) and a torch DataLoader with worker processes, batches collated.

Prints one JSON line {"workload": "loader", "seconds": [...]} with one time per repeat (one epoch).
`mrikit bench` writes the files (Sources/mrikit/Bench/LoaderBenchmarks.swift). Workers persist
between epochs (`persistent_workers=True`) and a first epoch warms them up, so process start-up is
not timed.
"""
import argparse
import json
import sys
import time
import types

import torch

# fastmri.data's modules import pandas, requests and tqdm for annotations, downloads and progress
# bars, none of which SliceDataset uses here (and none is installed): stand-ins let it import.
for _name in ("pandas", "requests"):
    sys.modules.setdefault(_name, types.ModuleType(_name))
sys.modules["pandas"].Series = object
_tqdm = types.ModuleType("tqdm")
_tqdm.tqdm = lambda iterable, **kwargs: iterable
sys.modules.setdefault("tqdm", _tqdm)
from fastmri.data.mri_data import SliceDataset  # noqa: E402
from fastmri.data.subsample import RandomMaskFunc  # noqa: E402
from fastmri.data.transforms import VarNetDataTransform  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", nargs="?", default="loader")
    parser.add_argument("--data", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--device", default="cpu")  # accepted for `mrikit bench`; the loader runs on the CPU
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    transform = VarNetDataTransform(mask_func=RandomMaskFunc(center_fractions=[0.08], accelerations=[4]))
    dataset = SliceDataset(args.data, challenge="multicoil", transform=transform)
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
