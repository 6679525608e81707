"""Reference values for the centred FFT tests: fastMRI's fft2c/ifft2c (on a trailing real/imaginary
dimension) and numpy's centred orthonormal 3D FFT. Run from the repository root."""
import sys

import numpy as np
import torch

import fastmri

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

rng = np.random.default_rng(0)
image = (rng.standard_normal((2, 3, 6, 5)) + 1j * rng.standard_normal((2, 3, 6, 5))).astype(np.complex64)
volume = (rng.standard_normal((2, 2, 4, 6, 5)) + 1j * rng.standard_normal((2, 2, 4, 6, 5))).astype(np.complex64)

as_pairs = torch.view_as_real(torch.from_numpy(image))
fft2c = torch.view_as_complex(fastmri.fft2c(as_pairs).contiguous())
ifft2c = torch.view_as_complex(fastmri.ifft2c(as_pairs).contiguous())

axes = (-3, -2, -1)
fft3c = np.fft.fftshift(np.fft.fftn(np.fft.ifftshift(volume, axes=axes), axes=axes, norm="ortho"), axes=axes)

fixture_io.save("Tests/MRITests/Fixtures/centered_fft.json", {
    "image": torch.from_numpy(image),
    "volume": torch.from_numpy(volume),
    "fft2c": fft2c,
    "ifft2c": ifft2c,
    "fft3c": torch.from_numpy(fft3c.astype(np.complex64)),
})
