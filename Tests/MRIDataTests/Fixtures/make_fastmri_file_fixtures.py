"""Writes small fastMRI-layout HDF5 files with h5py, as the fastMRI dataset stores them, and
the values MRIKit must read from them.

Run from the repository root:
    /work/main/.venv/bin/python Tests/MRIDataTests/Fixtures/make_fastmri_file_fixtures.py

Writes, under Tests/MRIDataTests/Fixtures/:
  fastmri/multicoil_train/   two volumes (4 and 2 coils): complex64 kspace [slices, coils, H, W],
                             reconstruction_rss, attributes acquisition/max/norm/patient_id
  fastmri/singlecoil_val/    one volume: kspace [slices, H, W], reconstruction_esc and _rss;
                             its ismrmrd_header is fixed-length bytes (h5py's np.bytes_), the
                             others' variable-length str, so both string layouts are read
  fastmri/multicoil_test/    one volume: masked kspace, bool mask [W], acceleration and
                             num_low_frequency, no target and no max/norm (as the test split)
  fastmri/malformed/         one defect per file (see MALFORMED below)
  fastmri_files.json         the tensors (fixture_io), per file and slice
  fastmri_files_metadata.json  attributes and fastMRI's own SliceDataset metadata per file

K-space values are multiples of 1/16 so the JSON stays short and every value is exact in float32.
"""
import json
import os
import sys
import types

import h5py
import numpy as np
import torch

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

# fastmri.data imports pandas, requests and tqdm for its fastMRI+ annotation dataset only;
# they are not installed, and SliceDataset needs none of them.
for name in ("pandas", "requests", "tqdm"):
    try:
        __import__(name)
    except ImportError:
        sys.modules[name] = types.ModuleType(name)
sys.modules["pandas"].Series = object
sys.modules["tqdm"].tqdm = None
from fastmri.data.mri_data import SliceDataset  # noqa: E402

ROOT = "Tests/MRIDataTests/Fixtures"
BASE = os.path.join(ROOT, "fastmri")
rng = np.random.default_rng(20261121)

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<ismrmrdHeader xmlns="http://www.ismrm.org/ISMRMRD" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" xsi:schemaLocation="http://www.ismrm.org/ISMRMRD ismrmrd.xsd">
   <studyInformation>
      <studyTime>12:00:00</studyTime>
   </studyInformation>
   <measurementInformation>
      <measurementID>45160_1234567_1234568_123</measurementID>
      <patientPosition>FFS</patientPosition>
      <protocolName>AX FLAIR_FBB</protocolName>
   </measurementInformation>
   <acquisitionSystemInformation>
      <systemVendor>SIEMENS</systemVendor>
      <systemModel>Skyra</systemModel>
      <systemFieldStrength_T>2.89362</systemFieldStrength_T>
      <receiverChannels>{coils}</receiverChannels>
   </acquisitionSystemInformation>
   <experimentalConditions>
      <H1resonanceFrequency_Hz>123251815</H1resonanceFrequency_Hz>
   </experimentalConditions>
   <encoding>
      <encodedSpace>
         <matrixSize>
            <x>{enc_x}</x>
            <y>{enc_y}</y>
            <z>1</z>
         </matrixSize>
         <fieldOfView_mm>
            <x>440</x>
            <y>220.0</y>
            <z>7.5</z>
         </fieldOfView_mm>
      </encodedSpace>
      <reconSpace>
         <matrixSize>
            <x>{rec_x}</x>
            <y>{rec_y}</y>
            <z>1</z>
         </matrixSize>
         <fieldOfView_mm>
            <x>220</x>
            <y>220</y>
            <z>5</z>
         </fieldOfView_mm>
      </reconSpace>
      <trajectory>cartesian</trajectory>
      <encodingLimits>
         <kspace_encoding_step_1>
            <minimum>0</minimum>
            <maximum>{maximum}</maximum>
            <center>{center}</center>
         </kspace_encoding_step_1>
         <kspace_encoding_step_2>
            <minimum>0</minimum>
            <maximum>0</maximum>
            <center>0</center>
         </kspace_encoding_step_2>
         <slice>
            <minimum>0</minimum>
            <maximum>{last_slice}</maximum>
            <center>0</center>
         </slice>
      </encodingLimits>
   </encoding>
</ismrmrdHeader>
"""


def quantized(shape):
    return np.round(rng.standard_normal(shape) * 16) / 16


def kspace(shape):
    return (quantized(shape) + 1j * quantized(shape)).astype(np.complex64)


def header(coils, slices, enc, rec, maximum, center):
    return HEADER.format(
        coils=coils, enc_x=enc[0], enc_y=enc[1], rec_x=rec[0], rec_y=rec[1],
        maximum=maximum, center=center, last_slice=slices - 1)


def write(path, datasets, attrs, header_text, header_as_bytes=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with h5py.File(path, "w") as hf:
        if header_text is not None:
            hf["ismrmrd_header"] = np.bytes_(header_text.encode()) if header_as_bytes else header_text
        for name, value in datasets.items():
            hf.create_dataset(name, data=value)
        for name, value in attrs.items():
            hf.attrs[name] = value


def rss_target(k, rec):
    """A real float32 target [slices, rec_x, rec_y]: the RSS of the centred-FFT image, cropped."""
    image = np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(k, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))
    magnitude = np.abs(image)
    if magnitude.ndim == 4:
        magnitude = np.sqrt((magnitude**2).sum(axis=1))
    h, w = magnitude.shape[-2:]
    top, left = (h - rec[0]) // 2, (w - rec[1]) // 2
    return np.ascontiguousarray(magnitude[:, top:top + rec[0], left:left + rec[1]]).astype(np.float32)


FILES = {}  # relative path -> (datasets, attrs)

# Multi-coil training volumes (knee-like geometry, scaled down: enc 16x12, recon 8x8); the
# second has fewer coils, as brain volumes vary in coil count.
for name, slices, coils, center, maximum in (("file1000001.h5", 2, 4, 5, 10), ("file1000002.h5", 3, 2, 6, 11)):
    k = kspace((slices, coils, 16, 12))
    target = rss_target(k, (8, 8))
    attrs = {"acquisition": "CORPDFS_FBK", "max": float(target.max()), "norm": float(np.linalg.norm(target)),
             "patient_id": "a1b2c3d4" + name[4:11]}
    path = os.path.join("multicoil_train", name)
    write(os.path.join(BASE, path), {"kspace": k, "reconstruction_rss": target}, attrs,
          header(coils, slices, (16, 12), (8, 8), maximum, center))
    FILES[path] = ({"kspace": k, "reconstruction_rss": target}, attrs)

# Single-coil validation volume: esc and rss targets, header as fixed-length bytes.
k = kspace((2, 16, 12))
esc = rss_target(k, (8, 8))
rss = (esc * 1.25).astype(np.float32)
attrs = {"acquisition": "CORPD_FBK", "max": float(esc.max()), "norm": float(np.linalg.norm(esc)),
         "patient_id": "e5f6a7b8c9"}
path = os.path.join("singlecoil_val", "file1000003.h5")
write(os.path.join(BASE, path), {"kspace": k, "reconstruction_esc": esc, "reconstruction_rss": rss}, attrs,
      header(1, 2, (16, 12), (8, 8), 10, 6), header_as_bytes=True)
FILES[path] = ({"kspace": k, "reconstruction_esc": esc, "reconstruction_rss": rss}, attrs)

# Multi-coil test volume: k-space already undersampled, with its column mask.
mask = np.zeros(12, dtype=bool)
mask[::4] = True
mask[5:8] = True
k = kspace((2, 4, 16, 12)) * mask
attrs = {"acquisition": "AXT2", "patient_id": "0f1e2d3c", "acceleration": 4, "num_low_frequency": 6}
path = os.path.join("multicoil_test", "file1000004.h5")
write(os.path.join(BASE, path), {"kspace": k, "mask": mask}, attrs, header(4, 2, (16, 12), (8, 8), 10, 5))
FILES[path] = ({"kspace": k, "mask": mask}, attrs)

# Expected values: the tensors, then fastMRI's SliceDataset metadata for every file.
tensors = {}
metadata = {}
for challenge in ("multicoil_train", "singlecoil_val", "multicoil_test"):
    dataset = SliceDataset(os.path.join(BASE, challenge), challenge.split("_")[0])
    for kspace_slice, mask_array, target, sample_attrs, fname, slice_index in dataset:
        key = f"{challenge}/{fname}"
        tensors[f"{key}/kspace/{slice_index}"] = torch.from_numpy(kspace_slice)
        if target is not None:
            tensors[f"{key}/target/{slice_index}"] = torch.from_numpy(target)
        if mask_array is not None:
            tensors[f"{key}/mask"] = torch.from_numpy(mask_array)
        entry = metadata.setdefault(key, {"slices": 0})
        entry["slices"] += 1
        for field, value in sample_attrs.items():
            entry[field] = list(value) if isinstance(value, tuple) else value.item() if hasattr(value, "item") else value
# SliceDataset gives single-coil files' esc target only; their rss target is checked too.
tensors["singlecoil_val/file1000003.h5/reconstruction_rss"] = torch.from_numpy(rss)
fixture_io.save(os.path.join(ROOT, "fastmri_files.json"), tensors)
with open(os.path.join(ROOT, "fastmri_files_metadata.json"), "w") as f:
    json.dump(metadata, f, indent=1, sort_keys=True)

# Malformed corpus: each file has one defect that readers must name.
good = os.path.join(BASE, "multicoil_train", "file1000001.h5")
bad = os.path.join(BASE, "malformed")
os.makedirs(bad, exist_ok=True)
with open(good, "rb") as f:
    data = f.read()
with open(os.path.join(bad, "truncated.h5"), "wb") as f:
    f.write(data[: len(data) // 2])
with open(os.path.join(bad, "not_hdf5.h5"), "w") as f:
    f.write("this is not an HDF5 file\n")
good_header = header(4, 2, (16, 12), (8, 8), 10, 5)
good_kspace = kspace((2, 2, 8, 12))
good_attrs = {"acquisition": "CORPD_FBK", "max": 1.0, "norm": 2.0, "patient_id": "x"}
target = np.ones((2, 8, 8), dtype=np.float32)
nan_kspace = good_kspace.copy()
nan_kspace[1, 1, 3, 4] = np.nan
MALFORMED = {
    "missing_kspace.h5": ({"reconstruction_rss": target}, good_attrs, good_header),
    "wrong_dtype.h5": ({"kspace": good_kspace.real.astype(np.float32)}, good_attrs, good_header),
    "wrong_rank.h5": ({"kspace": good_kspace[0, 0]}, good_attrs, good_header),
    "missing_max.h5": ({"kspace": good_kspace, "reconstruction_rss": target},
                       {k: v for k, v in good_attrs.items() if k != "max"}, good_header),
    "wrong_attribute_type.h5": ({"kspace": good_kspace}, {**good_attrs, "max": "large"}, good_header),
    "malformed_header.h5": ({"kspace": good_kspace}, good_attrs, good_header[: len(good_header) // 2]),
    "header_without_limits.h5": ({"kspace": good_kspace}, good_attrs,
                                 good_header.replace("kspace_encoding_step_1", "kspace_encoding_step_0")),
    "missing_header.h5": ({"kspace": good_kspace}, good_attrs, None),
    "nan_kspace.h5": ({"kspace": nan_kspace}, good_attrs, good_header),
    "target_slices_mismatch.h5": ({"kspace": good_kspace, "reconstruction_rss": target[:1]}, good_attrs,
                                  good_header),
}
for name, (datasets, attrs, header_text) in MALFORMED.items():
    write(os.path.join(bad, name), datasets, attrs, header_text)
