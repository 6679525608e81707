"""The nibabel side of MRIKit's NIfTI read benchmarks: nibabel.load(file).get_fdata(dtype=float32),
the scaled float32 [x, y, z] array MRIKit's NIfTIImage(contentsOf:) returns.

Prints one JSON line {"workload": ..., "seconds": [...]}. MRIKit writes the file (see
Sources/mrikit/Bench/NIfTIBenchmarks.swift); run with the project's Python:
.venv/bin/python bench/nifti_peer.py nifti --file volume.nii
"""
import argparse
import json
import time

import nibabel as nib
import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", nargs="?", default="nifti")
    parser.add_argument("--file", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu")  # accepted for `mrikit bench`; nibabel reads on the CPU
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    times = []
    for _ in range(args.repeats + 1):  # the first repeat warms up
        start = time.perf_counter()
        # A fresh load each time: nibabel caches get_fdata() on the image object.
        data = nib.load(args.file).get_fdata(dtype=np.float32)
        times.append(time.perf_counter() - start)
    assert data.shape == (240, 240, 155)
    print(json.dumps({"workload": args.workload, "seconds": times[1:]}))


if __name__ == "__main__":
    main()
