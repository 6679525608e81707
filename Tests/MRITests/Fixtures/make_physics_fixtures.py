"""Reference values for the physics tests: fastMRI's rss / rss_complex / center_crop /
complex_center_crop, numpy formulas for the sensitivity-weighted combination and expansion,
and numpy's SVD for coil compression. Run from the repository root with .venv."""
import sys
import types

import numpy as np
import torch

import fastmri

# fastmri.data's package init imports its dataset classes, which need pandas and requests (absent
# here, unused by these functions): register the package without running its __init__.
_data = types.ModuleType("fastmri.data")
_data.__path__ = [fastmri.__path__[0] + "/data"]
sys.modules["fastmri.data"] = _data
from fastmri.data import transforms as T  # noqa: E402

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

rng = np.random.default_rng(7)


def complex_normal(*shape):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(np.complex64)


out = {}

# RSS: fastMRI's rss on a real tensor and rss_complex on the real view of a complex one.
real = rng.standard_normal((2, 4, 6, 5)).astype(np.float32)
coils = complex_normal(2, 4, 6, 5)
out["rss_input_real"] = torch.from_numpy(real)
out["rss_input_complex"] = torch.from_numpy(coils)
out["rss_real_dim1"] = fastmri.rss(torch.from_numpy(real), dim=1)
out["rss_complex_dim1"] = fastmri.rss_complex(torch.view_as_real(torch.from_numpy(coils)), dim=1)
out["rss_complex_dim0"] = fastmri.rss_complex(torch.view_as_real(torch.from_numpy(coils)), dim=0)

# Centre crops of even and odd sizes to even and odd sizes.
crop_input = complex_normal(2, 3, 9, 8)
out["crop_input"] = torch.from_numpy(crop_input)
for h, w in [(4, 4), (5, 3), (9, 8), (6, 7)]:
    view = torch.view_as_real(torch.from_numpy(crop_input))
    out[f"complex_crop_{h}x{w}"] = torch.view_as_complex(T.complex_center_crop(view, (h, w)).contiguous())
    out[f"real_crop_{h}x{w}"] = T.center_crop(torch.from_numpy(crop_input.real.copy()), (h, w))

# Sensitivity-weighted combination and expansion: sum_c conj(S_c) x_c and S_c x.
sens = complex_normal(2, 4, 6, 5)
image = complex_normal(2, 1, 6, 5)
out["sensitivities"] = torch.from_numpy(sens)
out["image"] = torch.from_numpy(image)
out["combined"] = torch.from_numpy((np.conj(sens) * coils).sum(axis=1, keepdims=True))
out["expanded"] = torch.from_numpy(sens * image)

# Coil compression: numpy SVD of each batch item's [coils, samples] matrix; the projector onto the
# first V left singular vectors is phase-independent, so the tests compare it.
kspace = complex_normal(2, 6, 8, 7)
mixing = complex_normal(6, 6)  # correlated coils, so the singular values spread
kspace = np.einsum("dc,bchw->bdhw", mixing, kspace).astype(np.complex64)
out["compression_kspace"] = torch.from_numpy(kspace)
for b in range(2):
    u, s, _ = np.linalg.svd(kspace[b].reshape(6, -1).astype(np.complex128), full_matrices=False)
    out[f"compression_singular_{b}"] = torch.from_numpy(s)
    out[f"compression_projector3_{b}"] = torch.from_numpy(u[:, :3] @ u[:, :3].conj().T)

fixture_io.save("Tests/MRITests/Fixtures/physics.json", out)
