"""The scikit-image side of MRIKit's SSIM benchmark: fastMRI's evaluate.ssim (skimage
structural_similarity per slice, data range = volume maximum) over a 30×256×256 float64 volume.

Prints one JSON line {"workload": "ssim", "seconds": [...], "ssim": value}. The volume is made by the
same formula as Sources/mrikit/Bench/MRIMetricBenchmarks.swift (no random numbers, so both sides see
identical data). Run with the scikit-image environment: .venv-mri/bin/python bench/mri_ssim_peer.py
"""
import argparse
import json
import time

import numpy as np
from skimage.metrics import structural_similarity


def volumes(slices: int, size: int):
    z, y, x = np.meshgrid(np.arange(slices), np.arange(size), np.arange(size), indexing="ij")
    target = 1 + np.sin(0.05 * x + 0.1 * z) * np.cos(0.07 * y)
    prediction = target + 0.1 * np.sin(1.3 * x + 0.7 * y + 0.3 * z)
    return target, prediction


def fastmri_ssim(gt, pred):
    """fastmri.evaluate.ssim, whose module needs torch; the same loop over slices."""
    maxval = gt.max()
    return sum(structural_similarity(g, p, data_range=maxval) for g, p in zip(gt, pred)) / gt.shape[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", nargs="?", default="ssim")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--slices", type=int, default=30)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--device", default="cpu")  # accepted for `mrikit bench`; skimage runs on the CPU
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    target, prediction = volumes(args.slices, args.size)
    times, value = [], None
    for _ in range(args.repeats + 1):  # the first repeat warms up
        start = time.perf_counter()
        value = fastmri_ssim(target, prediction)
        times.append(time.perf_counter() - start)
    print(json.dumps({"workload": args.workload, "seconds": times[1:], "ssim": float(value)}))


if __name__ == "__main__":
    main()
