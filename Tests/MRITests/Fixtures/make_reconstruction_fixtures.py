"""Reference values for the classic reconstruction tests, from independent tools on one small
multi-coil acquisition: fastMRI (zero-filled: ifft2c then RSS), pygrappa (GRAPPA), BART 0.8.0
(`ecalib -m1` ESPIRiT maps, `pics -l1` L1-wavelet CS, `pics -R T` total variation, `pics -l2`
Tikhonov SENSE) and numpy
(low-resolution ACS maps, conjugate-gradient SENSE with the same λ).

Run from the repository root with the numpy-only environment (pygrappa needs numpy < 2.3):
    /work/main/.venv-mri/bin/python Tests/MRITests/Fixtures/make_reconstruction_fixtures.py
fastMRI is called through the torch environment (/work/main/.venv) in a subprocess.

Data: a 48×48 Shepp–Logan with a smooth phase, 8 birdcage coils (sigpy), complex Gaussian
noise; k-space scaled and rounded to integers (stored exactly as complex64 with few digits, so
the fixture stays small; the rounding is just more noise that every tool sees). Mask: every 4th
column plus 12 centre (ACS) columns.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import sigpy.mri
from pygrappa import grappa
from skimage.data import shepp_logan_phantom
from skimage.transform import resize

OUT = "Tests/MRITests/Fixtures"
N, COILS, ACS, R = 48, 8, 12, 4


def fft2c(x):
    return np.fft.fftshift(np.fft.fft2(np.fft.ifftshift(x, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))


def ifft2c(x):
    return np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(x, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))


def rss(x):
    return np.sqrt((np.abs(x) ** 2).sum(0))


def nrmse(x, ref):
    return float(np.linalg.norm(x - ref) / np.linalg.norm(ref))


def entry(array):
    array = np.asarray(array)
    if np.iscomplexobj(array):
        flat = np.stack([array.real, array.imag], -1).reshape(-1).astype(np.float64)
        dtype = "complex64"
    elif array.dtype == bool:
        flat, dtype = array.reshape(-1).astype(np.int64), "bool"
    else:
        flat, dtype = array.reshape(-1).astype(np.float64), "float32"
    data = [int(v) if float(v).is_integer() else float(f"{v:.7g}") for v in flat]  # short text, float32 precision
    return {"dtype": dtype, "shape": list(array.shape), "data": data}


def save(name, tensors):
    with open(f"{OUT}/{name}.json", "w") as f:
        json.dump({k: entry(v) for k, v in tensors.items()}, f, separators=(",", ":"))


def rounded(x, digits):
    return np.round(x.real, digits) + 1j * np.round(x.imag, digits)


def write_cfl(path, array):
    array = np.asarray(array, dtype=np.complex64)
    with open(path + ".hdr", "w") as f:
        f.write("# Dimensions\n" + " ".join(str(d) for d in array.shape) + "\n")
    array.ravel(order="F").tofile(path + ".cfl")


def read_cfl(path):
    with open(path + ".hdr") as f:
        f.readline()
        dims = [int(d) for d in f.readline().split()]
    return np.fromfile(path + ".cfl", dtype=np.complex64).reshape(dims, order="F")


def bart(*args):
    # One thread: BART's OpenMP threads fight numpy's on a small machine (1000 TV iterations).
    env = dict(os.environ, OMP_NUM_THREADS="1")
    subprocess.run(["bart", *map(str, args)], check=True, capture_output=True, env=env)


rng = np.random.default_rng(4)
yy, xx = np.mgrid[-1:1:N * 1j, -1:1:N * 1j]
image = resize(shepp_logan_phantom(), (N, N), anti_aliasing=True) * np.exp(1j * 0.6 * (xx + 0.5 * yy))
maps_true = sigpy.mri.birdcage_maps((COILS, N, N), r=1.2)
kspace = fft2c(maps_true * image)
kspace += 0.002 * np.abs(kspace).max() * (rng.standard_normal(kspace.shape) + 1j * rng.standard_normal(kspace.shape))
kspace = rounded(kspace * (20000 / np.abs(kspace).max()), 0)
kspace[kspace == 0] = 1  # pygrappa finds the sampling pattern from non-zero samples
kspace = kspace.astype(np.complex64)

columns = np.arange(N)
acs_columns = np.abs(columns - N // 2 + 0.5) < ACS / 2
mask = (columns % R == 0) | acs_columns
masked = kspace * mask
reference = rss(ifft2c(kspace))

# fastMRI zero-filled: ifft2c then rss on the masked k-space.
with tempfile.TemporaryDirectory() as tmp:
    np.save(f"{tmp}/k.npy", masked[None])
    subprocess.run(["/work/main/.venv/bin/python", "-c", (
        "import numpy as np, torch, fastmri; k = torch.from_numpy(np.load('%s/k.npy'));"
        "img = fastmri.ifft2c(torch.view_as_real(k)); out = fastmri.rss(fastmri.complex_abs(img), dim=1);"
        "np.save('%s/zf.npy', out.numpy())") % (tmp, tmp)], check=True)
    zero_filled = np.load(f"{tmp}/zf.npy")

# pygrappa, 5×5 kernel, λ = 0.01 (coil axis first here, so coil_axis=0).
calib = kspace[:, :, acs_columns]
grappa_kspace = grappa(masked, calib, kernel_size=(5, 5), coil_axis=0, lamda=0.01)
grappa_rss = rss(ifft2c(grappa_kspace))

# Low-resolution ACS maps: ACS columns only, coil images divided by their RSS.
low = ifft2c(kspace * acs_columns)
acs_maps = low / np.maximum(rss(low), 1e-12 * rss(low).max())
acs_maps = rounded(acs_maps, 4).astype(np.complex64)  # the test feeds these to CG-SENSE and CS


def normal(x, lam):
    return (np.conj(acs_maps) * ifft2c(mask * fft2c(acs_maps * x))).sum(0) + lam * x


def cg(b, lam, iterations):
    x = np.zeros_like(b)
    r = b.copy()
    p = r.copy()
    rr = np.vdot(r, r).real
    residuals = [np.sqrt(rr)]
    for _ in range(iterations):
        q = normal(p, lam)
        alpha = rr / np.vdot(p, q).real
        x = x + alpha * p
        r = r - alpha * q
        rr_new = np.vdot(r, r).real
        p = r + (rr_new / rr) * p
        rr = rr_new
        residuals.append(np.sqrt(rr))
    return x, np.array(residuals)


SENSE_LAMBDA, SENSE_ITERATIONS = 0.01, 10
adjoint = (np.conj(acs_maps) * ifft2c(masked)).sum(0)
sense, sense_residuals = cg(adjoint, SENSE_LAMBDA, SENSE_ITERATIONS)

with tempfile.TemporaryDirectory() as tmp:
    write_cfl(f"{tmp}/k", np.moveaxis(masked, 0, -1)[:, :, None, :])
    write_cfl(f"{tmp}/s", np.moveaxis(acs_maps, 0, -1)[:, :, None, :])
    bart("ecalib", "-m1", "-r", f"{N}:{ACS}:1", f"{tmp}/k", f"{tmp}/e")
    espirit = np.moveaxis(read_cfl(f"{tmp}/e").reshape(N, N, COILS), -1, 0)
    CS_LAMBDA = 0.002 * np.abs(adjoint).max()
    bart("pics", "-l1", "-r", CS_LAMBDA, "-w", 1, "-i", 100, f"{tmp}/k", f"{tmp}/s", f"{tmp}/cs")
    bart_cs = read_cfl(f"{tmp}/cs").reshape(N, N)
    # TV (isotropic, periodic differences; BART picks ADMM for it). BART's ADMM is far from converged
    # after 100 iterations (NRMSE 0.119); 1000 reach the minimiser (objective within 1e-7 of a
    # 3000-iteration primal-dual solve), which is what MRIKit's solver is compared with.
    TV_LAMBDA = 0.002 * np.abs(adjoint).max()
    bart("pics", "-R", f"T:3:0:{TV_LAMBDA}", "-w", 1, "-i", 100, f"{tmp}/k", f"{tmp}/s", f"{tmp}/tv100")
    bart_tv_100 = read_cfl(f"{tmp}/tv100").reshape(N, N)
    bart("pics", "-R", f"T:3:0:{TV_LAMBDA}", "-w", 1, "-i", 1000, f"{tmp}/k", f"{tmp}/s", f"{tmp}/tv")
    bart_tv = read_cfl(f"{tmp}/tv").reshape(N, N)
    bart("pics", "-l2", "-r", SENSE_LAMBDA, "-w", 1, "-i", 100, f"{tmp}/k", f"{tmp}/s", f"{tmp}/l2")
    bart_l2 = read_cfl(f"{tmp}/l2").reshape(N, N)

support = reference > 0.05 * reference.max()
print("zero-filled NRMSE", nrmse(zero_filled[0], reference))
print("pygrappa NRMSE", nrmse(grappa_rss, reference))
print("SENSE CG vs BART l2", nrmse(sense, bart_l2), "NRMSE", nrmse(np.abs(sense), reference))
print("BART CS NRMSE", nrmse(np.abs(bart_cs), reference), "λ", CS_LAMBDA)
print("BART TV NRMSE", nrmse(np.abs(bart_tv), reference), "(100 ADMM iterations:", nrmse(np.abs(bart_tv_100), reference), ")")

save("reconstruction_data", {"kspace": kspace[None], "mask": mask.astype(np.float32)})
save("reconstruction_results", {
    "reference": reference.astype(np.float32)[None],
    "zero_filled": zero_filled,
    "grappa_nrmse": np.float64(nrmse(grappa_rss, reference)),
    "sense": rounded(sense, 3)[None],
    "sense_residuals": sense_residuals,
    "sense_lambda": np.float64(SENSE_LAMBDA),
    "cs_lambda": np.float64(CS_LAMBDA),
    "bart_cs_nrmse": np.float64(nrmse(np.abs(bart_cs), reference)),
    "tv_lambda": np.float64(TV_LAMBDA),
    "bart_tv_nrmse": np.float64(nrmse(np.abs(bart_tv), reference)),
    "bart_tv": rounded(bart_tv, 1)[None],
    "zero_filled_sense_nrmse": np.float64(nrmse(np.abs(adjoint), reference)),
    "acs_lines": np.float64(ACS),
})
# Maps on every second pixel keep the file small; the comparisons need no more.
save("reconstruction_maps", {
    "acs_maps_subgrid": acs_maps[None, :, ::2, ::2],
    "espirit_subgrid": rounded(espirit, 4)[None, :, ::2, ::2],
    "support_subgrid": support[None, ::2, ::2],
})
for name in ("reconstruction_data", "reconstruction_results", "reconstruction_maps"):
    print(name, os.path.getsize(f"{OUT}/{name}.json"), "bytes")
