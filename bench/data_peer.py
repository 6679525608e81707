"""The fastMRI side of MRIKit's data benchmarks: the same files, read the same way, timed the same way.

  fastmri_slices  every slice of the multi-coil folder `--data` through fastmri.data.SliceDataset
                  (h5py: k-space slice, rss target, attributes and header metadata per sample);
                  seconds per slice. The folder is written by Sources/mrikit/Bench/DataBenchmarks.swift.

Prints one JSON line {"workload": ..., "seconds": [...], "slices": n}. Run with the Python that has
fastmri and h5py: .venv/bin/python bench/data_peer.py fastmri_slices --data DIR
"""
import argparse
import json
import sys
import time
import types

parser = argparse.ArgumentParser()
parser.add_argument("workload", choices=["fastmri_slices"])
parser.add_argument("--data", required=True)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--device", default="cpu")  # file reading only; accepted for a uniform command line
parser.add_argument("--threads", type=int, default=0)
args = parser.parse_args()

# fastmri.data imports pandas, requests and tqdm for its fastMRI+ annotations only; SliceDataset
# needs none of them, so absent ones are stubbed.
for name in ("pandas", "requests", "tqdm"):
    try:
        __import__(name)
    except ImportError:
        sys.modules[name] = types.ModuleType(name)
        if name == "pandas":
            sys.modules[name].Series = object
        if name == "tqdm":
            sys.modules[name].tqdm = None
from fastmri.data.mri_data import SliceDataset  # noqa: E402

dataset = SliceDataset(args.data, "multicoil")
times = []
for _ in range(args.repeats + 1):  # the first repeat warms up
    start = time.perf_counter()
    for index in range(len(dataset)):
        dataset[index]
    times.append((time.perf_counter() - start) / len(dataset))
print(json.dumps({"workload": args.workload, "seconds": times[1:], "slices": len(dataset)}))
