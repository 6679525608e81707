"""Expectations for pydicom's bundled MR test files (run from the repo root with the project's Python).

The files themselves are never committed: `make setup` installs the pydicom wheel into .venv, and
the Swift tests read MR_small*.dcm from its data/test_files folder. They are one 64x64 int16 MR
slice stored four ways (explicit VR little endian, implicit VR, explicit VR big endian, RLE
Lossless). This script writes what pydicom reads from them into pydicom_bundled.json: the volume
[columns, rows, 1] (pixel_array times slope plus intercept, here none), the RAS affine (DICOM's
LPS with x and y negated, as nibabel and dcm2niix), the slice step of a single slice being the
normal times SliceThickness, and the spacing.
"""
import sys

import numpy as np
import pydicom
import torch
from pydicom.data import get_testdata_file

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

NAMES = ["MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm"]
expected = {}
reference = None
for name in NAMES:
    ds = pydicom.dcmread(get_testdata_file(name))
    pixels = ds.pixel_array.astype(np.float64) * float(ds.get("RescaleSlope", 1)) + float(ds.get("RescaleIntercept", 0))
    orientation = np.array(ds.ImageOrientationPatient, float)
    normal = np.cross(orientation[:3], orientation[3:])
    row_spacing, column_spacing = (float(v) for v in ds.PixelSpacing)
    thickness = float(ds.get("SpacingBetweenSlices", ds.get("SliceThickness", 1)))
    lps = np.eye(4)
    lps[:3, 0] = orientation[:3] * column_spacing
    lps[:3, 1] = orientation[3:] * row_spacing
    lps[:3, 2] = normal * thickness
    lps[:3, 3] = np.array(ds.ImagePositionPatient, float)
    ras = np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps
    data = torch.from_numpy(pixels.T[:, :, None].astype(np.float32).copy())
    # All four encodings hold the same slice; one expectation serves them all.
    if reference is None:
        reference = data
        expected["mr_small_data"] = data
        expected["mr_small_affine"] = torch.from_numpy(ras)
        expected["mr_small_spacing"] = torch.tensor([column_spacing, row_spacing, thickness], dtype=torch.float64)
    assert torch.equal(reference, data), name

fixture_io.save("Tests/MRIDataTests/Fixtures/pydicom_bundled.json", expected)
