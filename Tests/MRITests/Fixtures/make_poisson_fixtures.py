# fixture-python: .venv-mri
"""sigpy's variable-density Poisson-disc masks, summarised: sigpy draws from its own RNG, so the
tests compare the radial sampling density, not the pattern. For 64×48, calibration 12×10 and
accelerations 4 and 8: the sampled fraction in bands of sigpy's normalised radius r
([0, 1/3), [1/3, 2/3), [2/3, 1), [1, ∞)), averaged over seeds 0-4. Run from the repository
root with .venv-mri (sigpy, numpy; no torch), so the JSON is written directly in fixture_io's format."""
import json

import numpy as np
import sigpy.mri

SHAPE = (64, 48)
CALIB = (12, 10)
EDGES = [0, 1 / 3, 2 / 3, 1, np.inf]


def radius(shape, calib):
    ny, nx = shape
    y, x = np.mgrid[:ny, :nx]
    x = np.maximum(abs(x - nx / 2) - calib[1] / 2, 0)
    y = np.maximum(abs(y - ny / 2) - calib[0] / 2, 0)
    return np.sqrt((x / x.max()) ** 2 + (y / y.max()) ** 2)


r = radius(SHAPE, CALIB)
out = {}
for acceleration in (4, 8):
    densities = []
    for seed in range(5):
        mask = sigpy.mri.poisson(SHAPE, acceleration, calib=CALIB, dtype=float, seed=seed)
        densities.append([mask[(r >= lo) & (r < hi)].mean() for lo, hi in zip(EDGES[:-1], EDGES[1:])])
    mean = np.mean(densities, axis=0)
    out[f"band_density_{acceleration}"] = {"dtype": "float64", "shape": [4], "data": [float(v) for v in mean]}

with open("Tests/MRITests/Fixtures/poisson.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
