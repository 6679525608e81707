"""Reference masks for the mask tests: NumPy's legacy RandomState draws, fastMRI 0.3.0's five
mask functions, and the BME1312/Deep-MRI-Reconstruction variable-density cine mask (its
`cartesian_mask`, restated below as published). Run from the repository root with .venv."""
import sys
import types

import numpy as np
import torch

import fastmri

# fastmri.data's package init imports its dataset classes, which need pandas and requests (absent
# here, unused by the masks): register the package without running its __init__.
_data = types.ModuleType("fastmri.data")
_data.__path__ = [fastmri.__path__[0] + "/data"]
sys.modules["fastmri.data"] = _data
from fastmri.data import subsample  # noqa: E402

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

out = {}

# --- NumpyRandomState: raw words (past the 624-word regeneration), doubles, randint, choice.
seeds = {"int0": 0, "int42": 42, "intmax": 2**32 - 1, "file": tuple(map(ord, "file1000001.h5"))}
for name, seed in seeds.items():
    rs = np.random.RandomState(seed)
    out[f"rng_{name}_uint32"] = torch.tensor(rs.randint(0, 2**32, size=700, dtype=np.uint32).astype(np.int64))
    out[f"rng_{name}_double"] = torch.tensor(rs.random_sample(20), dtype=torch.float64)
    # randint(0, high), one draw each in this order: 32-bit masked, full 32-bit and 64-bit paths.
    highs = [1, 2, 3, 4, 7, 10, 368, 1000, 2**31 + 5, 2**32, 2**40 + 3]
    out[f"rng_{name}_randint"] = torch.tensor([rs.randint(0, h) for h in highs], dtype=torch.int64)
    p = np.exp(-0.05 * (np.arange(40) - 20.0) ** 2) + 0.1
    p /= p.sum()
    out[f"rng_{name}_choice"] = torch.tensor(rs.choice(40, 15, False, p), dtype=torch.int64)
out["randint_highs"] = torch.tensor(highs, dtype=torch.int64)

# --- fastMRI masks. Shapes are fastMRI's real-view k-space [..., H, W, 2]; num_cols = W.
classes = {
    "random": subsample.RandomMaskFunc,
    "equispaced": subsample.EquiSpacedMaskFunc,
    "equispaced_fraction": subsample.EquispacedMaskFractionFunc,
    "magic": subsample.MagicMaskFunc,
    "magic_fraction": subsample.MagicMaskFractionFunc,
}
configs = [
    # (label, center_fractions, accelerations, allow_any_combination, shape, call seeds)
    ("knee4x", [0.08], [4], False, (1, 640, 368, 2), ["file1000001.h5", "file1001059.h5"]),
    ("brain8x", [0.04], [8], False, (16, 320, 396, 2), ["file_brain_AXT2_200_2000019.h5", 7]),
    ("odd", [0.08, 0.04], [4, 8], False, (1, 16, 101, 2), ["a.h5", "file1000002.h5", 123]),
    ("any", [0.08, 0.04], [4, 8], True, (1, 16, 64, 2), ["file1000003.h5", 5]),
    # 100 · 0.025 = 2.5 and 100 / 8 = 12.5: Python's round-half-to-even gives 2 and 12.
    ("tie", [0.025], [8], False, (1, 8, 100, 2), ["file1000004.h5", 1]),
]
for kind, cls in classes.items():
    for label, fractions, accels, anyc, shape, call_seeds in configs:
        for k, seed in enumerate(call_seeds):
            fn = cls(fractions, accels, allow_any_combination=anyc, seed=0)
            mask, low = fn(shape, seed=tuple(map(ord, seed)) if isinstance(seed, str) else seed)
            out[f"{kind}_{label}_{k}"] = mask.reshape(-1)
            out[f"{kind}_{label}_{k}_low"] = low
        # unseeded calls draw from the function's own stream (seeded with 3), call after call
        fn = cls(fractions, accels, allow_any_combination=anyc, seed=3)
        for k in range(2):
            mask, low = fn(shape)
            out[f"{kind}_{label}_stream{k}"] = mask.reshape(-1)
            out[f"{kind}_{label}_stream{k}_low"] = low
    # a given offset overrides the random one
    fn = cls([0.08], [4], seed=0)
    mask, low = fn((1, 16, 64, 2), offset=1, seed=(1, 2, 3))
    out[f"{kind}_offset1"] = mask.reshape(-1)


# --- The cine mask, as published in Deep-MRI-Reconstruction (utils/compressed_sensing.py).
def normal_pdf(length, sensitivity):
    return np.exp(-sensitivity * (np.arange(length) - length / 2) ** 2)


def cartesian_mask(shape, acc, sample_n=10, centred=False):
    N, Nx, Ny = int(np.prod(shape[:-2])), shape[-2], shape[-1]
    pdf_x = normal_pdf(Nx, 0.5 / (Nx / 10.0) ** 2)
    lmda = Nx / (2.0 * acc)
    n_lines = int(Nx / acc)
    pdf_x += lmda * 1.0 / Nx
    if sample_n:
        pdf_x[Nx // 2 - sample_n // 2 : Nx // 2 + sample_n // 2] = 0
        pdf_x /= np.sum(pdf_x)
        n_lines -= sample_n
    mask = np.zeros((N, Nx))
    for i in range(N):
        idx = np.random.choice(Nx, n_lines, False, pdf_x)
        mask[i, idx] = 1
    if sample_n:
        mask[:, Nx // 2 - sample_n // 2 : Nx // 2 + sample_n // 2] = 1
    mask = np.broadcast_to(mask[:, :, None], (N, Nx, Ny)).reshape(shape)
    if not centred:
        mask = np.fft.ifftshift(mask, axes=(-1, -2))
    return mask


np.random.seed(11)
out["cine_centred"] = torch.tensor(cartesian_mask((1, 6, 96, 4), 6, sample_n=10, centred=True), dtype=torch.float32)
np.random.seed(2024)
out["cine_uncentred"] = torch.tensor(cartesian_mask((3, 40, 3), 4.5, sample_n=4, centred=False), dtype=torch.float32)

fixture_io.save("Tests/MRITests/Fixtures/masks.json", out)
