"""DICOM fixtures for MRIDataTests (run from the repo root with the project's Python).

Writes tiny synthetic MR series with pydicom into Tests/MRIDataTests/Fixtures/dicom/<series>/
(files named in shuffled order, so the reader must sort them), the volume and affine expected
from them into dicom.json, and a corpus of malformed files into dicom/bad/.

The expectations are computed here from the tags pydicom reads back and its `pixel_array`,
independently of dcmtk: volume[i, j, k] = pixel (row j, column i) of the k-th slice along the
slice normal, times RescaleSlope plus RescaleIntercept; the affine maps (i, j, k, 1) to RAS
millimetres as nibabel / dcm2niix do (DICOM's LPS with x and y negated).
"""
import os
import shutil
import sys

import numpy as np
import pydicom
import torch
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import (
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    MRImageStorage,
    RLELossless,
)

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

out = "Tests/MRIDataTests/Fixtures/dicom"
shutil.rmtree(out, ignore_errors=True)
os.makedirs(f"{out}/bad", exist_ok=True)
rng = np.random.default_rng(7)
expected = {}


def uid(*parts):
    """A deterministic UID (fixtures must not change from run to run)."""
    return "1.2.826.0.1.3680043.8.498." + ".".join(str(p) for p in parts)


def decimal(values, digits=6):
    """DS strings (at most 16 characters each)."""
    return [f"{v:.{digits}f}" for v in values]


def make_slice(series, number, pixels, position, orientation, spacing, *, signed, bits_stored=None,
               rescale=None, transfer=ExplicitVRLittleEndian):
    """One MR image storage dataset holding `pixels` ([rows, columns])."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = MRImageStorage
    meta.MediaStorageSOPInstanceUID = uid(series, number)
    meta.TransferSyntaxUID = transfer
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = MRImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "MR"
    ds.StudyInstanceUID = uid(1)
    ds.SeriesInstanceUID = uid(series)
    ds.InstanceNumber = number
    ds.ImagePositionPatient = decimal(position)
    ds.ImageOrientationPatient = decimal(orientation, 8)
    ds.PixelSpacing = decimal(spacing)
    ds.SliceThickness = "2.5"
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = pixels.dtype.itemsize * 8
    ds.BitsStored = bits_stored or ds.BitsAllocated
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if rescale is not None:
        ds.RescaleSlope, ds.RescaleIntercept = decimal(rescale, 4)
    if transfer == RLELossless:
        ds.compress(RLELossless, pixels, encoding_plugin="pydicom", generate_instance_uid=False)
    else:
        ds.PixelData = pixels.tobytes()
    return ds


def rotation(axis, degrees):
    """The 3×3 rotation about unit vector `axis` by `degrees` (Rodrigues)."""
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    angle = np.radians(degrees)
    cross = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(angle) * cross + (1 - np.cos(angle)) * cross @ cross


def write_series(name, series, volume, *, rotate, origin, spacing, step, signed, bits_stored=None,
                 rescale=None, transfer=ExplicitVRLittleEndian):
    """Writes the slices of `volume` ([slices, rows, columns]) in shuffled file order; returns the paths."""
    os.makedirs(f"{out}/{name}", exist_ok=True)
    row_cosine, column_cosine, normal = rotate.T
    names = rng.permutation(len(volume))
    paths = []
    for k, pixels in enumerate(volume):
        position = np.asarray(origin) + k * step * normal
        ds = make_slice(series, k + 1, pixels, position, [*row_cosine, *column_cosine], spacing, signed=signed,
                        bits_stored=bits_stored, rescale=None if rescale is None else rescale(k), transfer=transfer)
        path = f"{out}/{name}/IM{names[k]}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    expect(name, sorted(paths))
    return paths


def expect(name, paths):
    """The volume, affine and spacing computed from the files as pydicom reads them back."""
    slices = [pydicom.dcmread(p) for p in paths]
    orientation = np.array(slices[0].ImageOrientationPatient, float)
    normal = np.cross(orientation[:3], orientation[3:])
    slices.sort(key=lambda ds: float(np.dot(np.array(ds.ImagePositionPatient, float), normal)))
    stack = np.stack([
        ds.pixel_array.astype(np.float64) * float(ds.get("RescaleSlope", 1)) + float(ds.get("RescaleIntercept", 0))
        for ds in slices])
    first = np.array(slices[0].ImagePositionPatient, float)
    last = np.array(slices[-1].ImagePositionPatient, float)
    row_spacing, column_spacing = (float(v) for v in slices[0].PixelSpacing)
    lps = np.eye(4)
    lps[:3, 0] = orientation[:3] * column_spacing
    lps[:3, 1] = orientation[3:] * row_spacing
    lps[:3, 2] = (last - first) / (len(slices) - 1)
    lps[:3, 3] = first
    ras = np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps
    expected[f"{name}_data"] = torch.from_numpy(stack.transpose(2, 1, 0).astype(np.float32))
    expected[f"{name}_affine"] = torch.from_numpy(ras)
    expected[f"{name}_spacing"] = torch.tensor(
        [column_spacing, row_spacing, float(np.linalg.norm(lps[:3, 2]))], dtype=torch.float64)
    # The files in slice order, by the number in their names.
    expected[f"{name}_order"] = torch.tensor([int(os.path.basename(ds.filename)[2:-4]) for ds in slices])


# Signed 16-bit, oblique, per-slice rescaling (slope and intercept differ between slices).
signed16 = rng.integers(-3000, 3000, size=(5, 6, 4)).astype(np.int16)
write_series("signed16", 10, signed16, rotate=rotation([1, 2, 3], 25), origin=[-40.5, 12.25, 30.0],
             spacing=[0.9, 1.1], step=2.5, signed=True, rescale=lambda k: [0.5 + 0.25 * k, -20.0 + 3 * k])
# Unsigned 8-bit, implicit VR, no rescale tags, slices stacked downwards along a sagittal normal.
unsigned8 = rng.integers(0, 256, size=(3, 5, 7)).astype(np.uint8)
write_series("unsigned8", 20, unsigned8, rotate=np.array([[0, 0, -1], [1, 0, 0], [0, -1, 0]], float).T,
             origin=[10.0, -5.0, 8.0], spacing=[1.5, 1.25], step=-3.0, signed=False, transfer=ImplicitVRLittleEndian)
# Unsigned 12-bit in 16 bits, RLE Lossless (dcmtk decodes it), coronal.
rle12 = rng.integers(0, 4096, size=(4, 8, 6)).astype(np.uint16)
write_series("rle12", 30, rle12, rotate=np.array([[1, 0, 0], [0, 0, 1], [0, -1, 0]], float),
             origin=[-3.0, 2.0, 1.0], spacing=[0.5, 0.75], step=1.25, signed=False, bits_stored=12,
             rescale=lambda k: [2.0, 1.0], transfer=RLELossless)


def bad_slice(number, **changes):
    """A copy of the signed series' first slice geometry, as a dataset to break."""
    pixels = changes.pop("pixels", signed16[0])
    position = changes.pop("position", [0.0, 0.0, 0.0])
    return make_slice(40, number, pixels, position, [1, 0, 0, 0, 1, 0], [1.0, 1.0], signed=True, **changes)


def save_bad(ds, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.save_as(path, enforce_file_format=True)


with open(f"{out}/bad/not_dicom.dcm", "w") as f:
    f.write("this is a text file, not DICOM\n" * 8)
save_bad(bad_slice(1), f"{out}/bad/truncated.dcm")
with open(f"{out}/bad/truncated.dcm", "rb") as f:
    whole = f.read()
with open(f"{out}/bad/truncated.dcm", "wb") as f:
    f.write(whole[:-20])  # cut inside the Pixel Data
no_pixels = bad_slice(2)
del no_pixels.PixelData
save_bad(no_pixels, f"{out}/bad/no_pixel_data.dcm")
no_position = bad_slice(3)
del no_position.ImagePositionPatient
save_bad(no_position, f"{out}/bad/no_position.dcm")
short = bad_slice(4)
short.PixelData = short.PixelData[:-8]  # Rows × Columns says 8 bytes more
save_bad(short, f"{out}/bad/short_pixel_data.dcm")
# A transfer syntax dcmtk has no decoder for: JPEG 2000, with an encapsulated fragment.
jpeg2000 = bad_slice(5)
jpeg2000.file_meta.TransferSyntaxUID = JPEG2000Lossless
jpeg2000.PixelData = encapsulate([b"\xff\x4f\xff\x51" + bytes(60)])
jpeg2000["PixelData"].VR = "OB"
save_bad(jpeg2000, f"{out}/bad/jpeg2000.dcm")
# A series whose second slice has fewer rows.
save_bad(bad_slice(6), f"{out}/bad/rows/a.dcm")
save_bad(bad_slice(7, pixels=signed16[0][:5], position=[0.0, 0.0, 2.5]), f"{out}/bad/rows/b.dcm")
# A series with a missing slice (positions 0, 2.5, 7.5 along the normal).
for number, z in enumerate([0.0, 2.5, 7.5]):
    save_bad(bad_slice(8 + number, position=[0.0, 0.0, z]), f"{out}/bad/gap/s{number}.dcm")

fixture_io.save("Tests/MRIDataTests/Fixtures/dicom.json", expected)
