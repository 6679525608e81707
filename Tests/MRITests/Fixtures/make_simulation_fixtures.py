"""Reference phantoms for the simulation tests: BART's 2D `phantom -x N` (modified Shepp-Logan,
image domain) for an even and an odd size, and the 3D modified Shepp-Logan (Kak-Slaney axes,
Toft intensities, in-plane rotations only) rendered with numpy on the same grid. BART 0.8's
`phantom -3` uses another intensity table, so it is not the 3D reference.
Run from the repository root with .venv (bart on PATH)."""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402


def bart_phantom(n):
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "phantom")
        subprocess.run(["bart", "phantom", "-x", str(n), base], check=True)
        dims = [int(d) for d in open(base + ".hdr").read().split("\n")[1].split()]
        data = np.fromfile(base + ".cfl", dtype=np.complex64).reshape(dims[:2], order="F")
    # BART's first dimension runs down the image rows; the phantom is real.
    return data.real.copy()


# A, semi-axes (x, y, z), centre (x, y, z), in-plane angle (degrees)
ELLIPSOIDS = [
    (1.0, (0.69, 0.92, 0.81), (0, 0, 0), 0),
    (-0.8, (0.6624, 0.874, 0.78), (0, -0.0184, 0), 0),
    (-0.2, (0.11, 0.31, 0.22), (0.22, 0, 0), -18),
    (-0.2, (0.16, 0.41, 0.28), (-0.22, 0, 0), 18),
    (0.1, (0.21, 0.25, 0.41), (0, 0.35, -0.15), 0),
    (0.1, (0.046, 0.046, 0.05), (0, 0.1, 0.25), 0),
    (0.1, (0.046, 0.046, 0.05), (0, -0.1, 0.25), 0),
    (0.1, (0.046, 0.023, 0.05), (-0.08, -0.605, 0), 0),
    (0.1, (0.023, 0.023, 0.02), (0, -0.606, 0), 0),
    (0.1, (0.023, 0.046, 0.02), (0.06, -0.605, 0), 0),
]


def shepp_logan_3d(shape):
    axes = [(np.arange(n) - n // 2) / (n / 2) for n in shape]
    z, y, x = np.meshgrid(axes[0], -axes[1], axes[2], indexing="ij")
    volume = np.zeros(shape)
    for amplitude, (a, b, c), (x0, y0, z0), angle in ELLIPSOIDS:
        t = np.deg2rad(angle)
        dx, dy, dz = x - x0, y - y0, z - z0
        u = dx * np.cos(t) + dy * np.sin(t)
        v = -dx * np.sin(t) + dy * np.cos(t)
        volume[(u / a) ** 2 + (v / b) ** 2 + (dz / c) ** 2 <= 1] += amplitude
    return volume


fixture_io.save("Tests/MRITests/Fixtures/simulation.json", {
    "bart_phantom_64": torch.tensor(bart_phantom(64), dtype=torch.float32),
    "bart_phantom_63": torch.tensor(bart_phantom(63), dtype=torch.float32),
    "shepp_logan_3d": torch.tensor(shepp_logan_3d((12, 20, 16)), dtype=torch.float32),
})
