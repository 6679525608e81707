"""Reference outputs of MONAI and SciPy transforms, and of TorchIO's k-space artefact formulas
(TorchIO is not installed: its Spike and Ghosting steps are written out below from its source).
Run from the repo root."""
import sys

import numpy as np
import torch
from monai.transforms import (
    AdjustContrast,
    ClipIntensityPercentiles,
    NormalizeIntensity,
    ResizeWithPadOrCrop,
    ScaleIntensity,
    ScaleIntensityRangePercentiles,
)
from monai.transforms.utils import correct_crop_centers
from scipy.ndimage import gaussian_filter

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

torch.manual_seed(3)
image = torch.rand(2, 9, 11) * 5 - 1
image[:, :2, :] = 0  # a zero background for the nonzero normalisation
volume = torch.rand(1, 5, 6, 7)
out = {"image": image.clone(), "volume": volume.clone()}
# Some MONAI transforms write into their input: each gets a copy.

out["normalize"] = NormalizeIntensity()(image.clone()).as_tensor()
out["normalize_nonzero"] = NormalizeIntensity(nonzero=True)(image.clone()).as_tensor()
out["normalize_channel_wise"] = NormalizeIntensity(channel_wise=True)(image.clone()).as_tensor()
out["scale"] = ScaleIntensity(minv=-1.0, maxv=2.0)(image.clone()).as_tensor()
out["scale_channel_wise"] = ScaleIntensity(channel_wise=True)(image.clone()).as_tensor()
out["clip_percentiles"] = ClipIntensityPercentiles(lower=5, upper=95)(image.clone()).as_tensor()
out["scale_percentiles"] = ScaleIntensityRangePercentiles(lower=2, upper=98, b_min=0, b_max=1, clip=True)(image.clone()).as_tensor()
out["gamma"] = AdjustContrast(gamma=1.7)(image.clone()).as_tensor()
out["pad_or_crop"] = ResizeWithPadOrCrop(spatial_size=(12, 6))(image.clone()).as_tensor()
out["pad_or_crop_volume"] = ResizeWithPadOrCrop(spatial_size=(8, 3, 7))(volume.clone()).as_tensor()
out["blur"] = torch.from_numpy(
    np.stack([gaussian_filter(c.double().numpy(), sigma=(1.2, 0.8), mode="constant", truncate=4.0) for c in image])
)

# MONAI's crop-centre correction for 10 x 7 labels and 4 x 5 crops.
centres = [[0, 0], [9, 6], [5, 3], [8, 1], [2, 6]]
out["centres"] = torch.tensor(centres)
out["corrected_centres"] = torch.tensor([[int(v) for v in correct_crop_centers(c, (4, 5), (10, 7))] for c in centres])


# TorchIO's FourierTransform: fftshift(fftn(x)) and its inverse, per channel.
def torchio_spike(channel, positions, intensity):
    spectrum = torch.fft.fftshift(torch.fft.fftn(channel))
    shape = np.array(spectrum.shape)
    for index in np.floor(positions * shape).astype(int):
        # NumPy's complex max orders by real part; TorchIO's in-place add of that NumPy complex
        # scalar keeps only its real part (torch casts it), written out here.
        spectrum[tuple(index)] += float(np.real(spectrum.numpy().max())) * intensity
    return torch.fft.ifftn(torch.fft.ifftshift(spectrum)).real.float()


def torchio_ghosting(channel, num_ghosts, axis, intensity, restore):
    spectrum = torch.fft.fftshift(torch.fft.fftn(channel))
    n = spectrum.shape[axis]
    mid = n // 2
    slices = [slice(None)] * spectrum.ndim
    if restore is None:
        slices[axis] = slice(mid, mid + 1)
    else:
        size = int(np.round(restore * n))
        slices[axis] = slice(mid - size // 2, mid + size // 2)
    kept = spectrum[tuple(slices)].clone()
    planes = [slice(None)] * spectrum.ndim
    planes[axis] = slice(None, None, num_ghosts)
    spectrum[tuple(planes)] *= 1 - intensity
    spectrum[tuple(slices)] = kept
    return torch.fft.ifftn(torch.fft.ifftshift(spectrum)).real.float()


positions = np.array([[0.1, 0.7], [0.55, 0.3]])
out["spike_positions"] = torch.from_numpy(positions)
out["spike"] = torch.stack([torchio_spike(c, positions, 1.5) for c in image])
out["ghosting"] = torch.stack([torchio_ghosting(c, 3, 1, 0.7, None) for c in image])
out["ghosting_restore"] = torch.stack([torchio_ghosting(c, 4, 0, 0.9, 0.3) for c in image])

fixture_io.save("Tests/MRIDataTests/Fixtures/transforms.json", out)
