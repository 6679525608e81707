"""fastMRI's VarNetDataTransform and UnetDataTransform on small random k-space (run from the repo root)."""
import sys
import types

import numpy as np
import torch

import fastmri

# fastmri.data's package init imports its dataset classes, which need pandas and requests (absent
# here, unused by the transforms): register the package without running its __init__.
_data = types.ModuleType("fastmri.data")
_data.__path__ = [fastmri.__path__[0] + "/data"]
sys.modules["fastmri.data"] = _data
from fastmri.data.subsample import EquispacedMaskFractionFunc, RandomMaskFunc  # noqa: E402
from fastmri.data.transforms import UnetDataTransform, VarNetDataTransform  # noqa: E402

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

rng = np.random.default_rng(5)


def complex_array(*shape):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(np.complex64)


fname = "file1000123.h5"
attrs = {"max": 2.5, "padding_left": 3, "padding_right": 17, "recon_size": (10, 10, 1)}
multicoil = complex_array(2, 16, 20)
singlecoil = complex_array(16, 20)
target = rng.random((10, 10)).astype(np.float32) * 2
file_mask = (rng.random(20) < 0.4).astype(np.float32)

out = {
    "multicoil_kspace": torch.from_numpy(multicoil),
    "singlecoil_kspace": torch.from_numpy(singlecoil),
    "target": torch.from_numpy(target),
    "file_mask": torch.from_numpy(file_mask),
}

masks = {
    "random": RandomMaskFunc(center_fractions=[0.1], accelerations=[2]),
    "equispaced": EquispacedMaskFractionFunc(center_fractions=[0.1], accelerations=[2]),
}
for name, mask_func in masks.items():
    sample = VarNetDataTransform(mask_func=mask_func)(multicoil, None, target, attrs, fname, 7)
    out[f"varnet_{name}_kspace"] = torch.view_as_complex(sample.masked_kspace.contiguous())
    out[f"varnet_{name}_mask"] = sample.mask[..., 0]
    out[f"varnet_{name}_low"] = sample.num_low_frequencies

sample = VarNetDataTransform()(multicoil, file_mask, target, attrs, fname, 7)
out["varnet_file_mask"] = sample.mask[..., 0]

for challenge, kspace in (("multicoil", multicoil), ("singlecoil", singlecoil)):
    sample = UnetDataTransform(challenge, mask_func=masks["random"])(kspace, None, target, attrs, fname, 7)
    out[f"unet_{challenge}_image"] = sample.image
    out[f"unet_{challenge}_target"] = sample.target
    out[f"unet_{challenge}_mean"] = sample.mean
    out[f"unet_{challenge}_std"] = sample.std

# FLAIR 203 guard: no target and an image narrower than recon_size crops to a square.
short = multicoil[:, :, :8]
sample = UnetDataTransform("multicoil", mask_func=masks["random"])(short, None, None, attrs, fname, 7)
out["unet_short_image"] = sample.image

fixture_io.save("Tests/MRIDataTests/Fixtures/fastmri_transforms.json", out)
