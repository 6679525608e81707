"""The Python/BART side of the MRI reconstruction benchmarks: the same work, timed the same way.

Run with the numpy-only environment that has pygrappa (numpy < 2.3) and with `bart` on PATH.
Each workload prints one JSON line {"workload": ..., "seconds": [...], "nrmse": ...}; the data is
the acquisition `Sources/mrikit/Bench/MRIReconstructionBenchmarks.swift` writes to `--data`
(kspace.bin complex64 [8, 256, 256] fully sampled, mask.bin float32 [256], maps.bin complex64
[8, 256, 256]). Keep the workloads identical to that file:
  grappa   pygrappa.grappa, 5×5 kernel, lamda 0.01, calibration = the 24 centre columns
  espirit  bart ecalib -m1 (6×6 kernel, 24×24 calibration region: BART's defaults)
  cs       bart pics -l1 -r LAMBDA -w 1 -i 100 with maps.bin (no data scaling, as MRIKit)
NRMSE: ‖|x| − RSS(full)‖ / ‖RSS(full)‖ (GRAPPA: RSS of the filled k-space; ESPIRiT: none).
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("workload", choices=["grappa", "espirit", "cs"])
parser.add_argument("--data", required=True)
parser.add_argument("--lambda", dest="lam", type=float, required=True)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--device", default="cpu")  # CPU tools only; accepted for a uniform command line
parser.add_argument("--threads", type=int, default=0)
args = parser.parse_args()
if args.threads > 0:  # before numpy loads its BLAS; BART reads OMP_NUM_THREADS too
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)

import numpy as np  # noqa: E402
from pygrappa import grappa  # noqa: E402

N, COILS, ACS = 256, 8, 24


def load(name, dtype, shape):
    return np.fromfile(os.path.join(args.data, name + ".bin"), dtype=dtype).reshape(shape)


def ifft2c(x):
    return np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(x, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))


def rss(x):
    return np.sqrt((np.abs(x) ** 2).sum(0))


def write_cfl(path, array):
    with open(path + ".hdr", "w") as f:
        f.write("# Dimensions\n" + " ".join(str(d) for d in array.shape) + "\n")
    np.asarray(array, dtype=np.complex64).ravel(order="F").tofile(path + ".cfl")


def read_cfl(path):
    with open(path + ".hdr") as f:
        f.readline()
        dims = [int(d) for d in f.readline().split()]
    return np.fromfile(path + ".cfl", dtype=np.complex64).reshape(dims, order="F")


kspace = load("kspace", np.complex64, (COILS, N, N))
mask = load("mask", np.float32, (N,)) > 0
maps = load("maps", np.complex64, (COILS, N, N))
masked = kspace * mask
reference = rss(ifft2c(kspace))
acs = np.arange(N)[(N - ACS + 1) // 2:(N - ACS + 1) // 2 + ACS]


def nrmse(image):
    return float(np.linalg.norm(np.abs(image) - reference) / np.linalg.norm(reference))


times, error = [], None
with tempfile.TemporaryDirectory() as tmp:
    write_cfl(f"{tmp}/k", np.moveaxis(masked, 0, -1)[:, :, None, :])
    write_cfl(f"{tmp}/s", np.moveaxis(maps, 0, -1)[:, :, None, :])
    for _ in range(args.repeats):
        start = time.perf_counter()
        if args.workload == "grappa":
            filled = grappa(masked, masked[:, :, acs], kernel_size=(5, 5), coil_axis=0, lamda=0.01)
        elif args.workload == "espirit":
            subprocess.run(["bart", "ecalib", "-m1", f"{tmp}/k", f"{tmp}/e"], check=True, capture_output=True)
        else:
            subprocess.run(["bart", "pics", "-l1", "-r", str(args.lam), "-w", "1", "-i", "100",
                            f"{tmp}/k", f"{tmp}/s", f"{tmp}/x"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    if args.workload == "grappa":
        error = nrmse(rss(ifft2c(filled)))
    elif args.workload == "cs":
        error = nrmse(read_cfl(f"{tmp}/x").reshape(N, N))
print(json.dumps({"workload": args.workload, "seconds": times, "nrmse": error}))
