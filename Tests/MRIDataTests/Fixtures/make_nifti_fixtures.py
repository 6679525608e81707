"""NIfTI fixtures for MRIDataTests (run from the repo root with the project's Python).

Writes small .nii/.nii.gz files with nibabel into Tests/MRIDataTests/Fixtures/nifti/, the values
nibabel reads back from them (get_fdata(), the raw stored array, get_best_affine(), the zooms)
into nifti.json, and a corpus of malformed files into nifti/bad/.
"""
import gzip
import os
import sys
import zlib

import nibabel as nib
import numpy as np
import torch

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

out = "Tests/MRIDataTests/Fixtures/nifti"
os.makedirs(f"{out}/bad", exist_ok=True)
rng = np.random.default_rng(5)
expected = {}


def gzip_file(path):
    """gzips path to path + '.gz' with a zero timestamp (deterministic bytes), removing path."""
    with open(path, "rb") as f:
        raw = f.read()
    with open(path + ".gz", "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
            z.write(raw)
    os.remove(path)


def save(name, img, gz=False):
    path = f"{out}/{name}.nii"
    nib.save(img, path)
    if gz:
        gzip_file(path)
        path += ".gz"
    back = nib.load(path)
    raw = back.dataobj.get_unscaled()
    key = name
    if np.iscomplexobj(raw):
        expected[f"{key}_scaled"] = torch.from_numpy(raw.astype(np.complex64))
    else:
        expected[f"{key}_scaled"] = torch.from_numpy(back.get_fdata())
    if raw.dtype == np.uint16:
        raw = raw.astype(np.int32)
    elif raw.dtype == np.uint32:
        raw = raw.astype(np.int64)
    expected[f"{key}_raw"] = torch.from_numpy(np.ascontiguousarray(raw))
    expected[f"{key}_affine"] = torch.from_numpy(back.header.get_best_affine().astype(np.float64))
    expected[f"{key}_spacing"] = torch.tensor(back.header.get_zooms(), dtype=torch.float64)
    # The loaded header's scl fields are reset; the array proxy keeps the file's scaling
    # (1 and 0 when the file has none).
    expected[f"{key}_slope"] = float(back.dataobj.slope)
    expected[f"{key}_inter"] = float(back.dataobj.inter)


def rotation_affine(spacing, offset):
    angle = 0.3
    rot = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
    aff = np.eye(4)
    aff[:3, :3] = rot @ np.diag(spacing)
    aff[:3, 3] = offset
    return aff


# Scaled int16 with a rotated sform (code 1, scanner) and a different qform: the sform wins.
data = rng.integers(-300, 300, size=(5, 4, 3)).astype(np.int16)
img = nib.Nifti1Image(data, rotation_affine([1.5, 2.0, 3.0], [-10, 20, 5]))
img.header.set_slope_inter(2.5, -3.0)
img.header.set_qform(np.diag([1.0, 1.0, 1.0, 1.0]), code=1)
img.header.set_sform(img.affine, code=1)
save("int16_scaled", img, gz=True)

# 4D float32 with only a qform (sform code 0): the qform wins.
data = rng.standard_normal((4, 3, 2, 2)).astype(np.float32)
img = nib.Nifti1Image(data, None)
img.header.set_qform(rotation_affine([0.8, 0.9, 1.1], [1, 2, 3]), code=1)
img.header.set_sform(None, code=0)
img.header.set_zooms((0.8, 0.9, 1.1, 2.5))
save("float32_qform", img)

# Neither qform nor sform: nibabel's base affine (x flipped, centred).
data = rng.standard_normal((3, 4, 5)).astype(np.float64)
img = nib.Nifti1Image(data, None)
img.header.set_qform(None, code=0)
img.header.set_sform(None, code=0)
img.header.set_zooms((2.0, 3.0, 4.0))
save("float64_noxform", img)

# One small file per remaining datatype (affine: diagonal spacing, sform code 2).
for dtype, maker in [
    (np.uint8, lambda s: rng.integers(0, 256, s)),
    (np.int8, lambda s: rng.integers(-128, 128, s)),
    (np.uint16, lambda s: rng.integers(0, 65536, s)),
    (np.int32, lambda s: rng.integers(-(2**31), 2**31, s)),
    (np.uint32, lambda s: rng.integers(0, 2**32, s)),
    (np.int64, lambda s: rng.integers(-(2**52), 2**52, s)),  # exact through the JSON fixture's float64
    (np.complex64, lambda s: rng.standard_normal(s) + 1j * rng.standard_normal(s)),
    (np.complex128, lambda s: rng.standard_normal(s) + 1j * rng.standard_normal(s)),
]:
    data = maker((3, 2, 4)).astype(dtype)
    img = nib.Nifti1Image(data, np.diag([0.5, 0.75, 1.25, 1.0]), dtype=dtype)
    img.header.set_slope_inter(1.0, 0.0)
    save(np.dtype(dtype).name, img)

# NIfTI-2, gzipped, float32 with scaling and a rotated sform.
data = rng.standard_normal((6, 5, 4)).astype(np.float32)
img = nib.Nifti2Image(data, rotation_affine([1.0, 1.2, 1.4], [3, -4, 5]))
img.header.set_slope_inter(0.5, 10.0)
save("nifti2_float32", img, gz=True)

# Big-endian int16 (nibabel writes the byte order it is given).
data = rng.integers(-1000, 1000, size=(4, 3, 2)).astype(">i2")
img = nib.Nifti1Image(data, np.diag([1.0, 2.0, 3.0, 1.0]))
img.header.set_slope_inter(1.0, 0.0)
save("int16_bigendian", img)

fixture_io.save("Tests/MRIDataTests/Fixtures/nifti.json", expected)

# ---- malformed files (each a variant of a valid one) ----
with open(f"{out}/float32_qform.nii", "rb") as f:
    good = bytearray(f.read())


def bad(name, content, gz=False):
    path = f"{out}/bad/{name}"
    if gz:
        with open(path, "wb") as f:
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
                z.write(bytes(content))
    else:
        with open(path, "wb") as f:
            f.write(bytes(content))


def patched(offset, fmt, value, base=None):
    b = bytearray(good if base is None else base)
    b[offset : offset + np.dtype(fmt).itemsize] = np.array([value], dtype=fmt).tobytes()
    return b


bad("truncated_data.nii", good[: len(good) - 20])  # data cut short
bad("truncated_header.nii", good[:200])  # header cut short
bad("lying_dims.nii", patched(42, "<i2", 40))  # dim[1] 4 -> 40: more voxels than the file holds
bad("unsupported_datatype.nii", patched(70, "<i2", 128))  # RGB24, valid NIfTI, not supported
bad("unknown_datatype.nii", patched(70, "<i2", 9999))
bad("bad_ndim.nii", patched(40, "<i2", 9))  # dim[0] = 9
bad("negative_dim.nii", patched(44, "<i2", -3))  # dim[2] = -3
bad("bad_magic.nii", good[:344] + b"xyz\0" + good[348:])
bad("bad_scl_inter.nii", patched(116, "<f4", np.inf, base=patched(112, "<f4", 2.0)))  # slope 2, intercept inf
bad("empty.nii", b"")
with_nan = rng.standard_normal((3, 3, 2)).astype(np.float32)
with_nan[1, 2, 0] = np.nan
nib.save(nib.Nifti1Image(with_nan, np.eye(4)), f"{out}/bad/nan.nii")
bad("not_nifti.nii", b"this is not a NIfTI file, just text " * 20)
bad("truncated_gzip.nii.gz", gzip.compress(bytes(good), mtime=0)[:-200])
# Damage the deflate stream after the header, where zlib notices it (libnifti, like nibabel,
# reads only the bytes it needs and so never reaches the gzip CRC-32 at the end).
compressed = gzip.compress(bytes(good), mtime=0)
for start in range(len(compressed) - 20, 0, -1):
    corrupt = bytearray(compressed)
    corrupt[start : start + 6] = b"\xff" * 6
    decoder = zlib.decompressobj(31)
    try:
        head = decoder.decompress(bytes(corrupt), 348)
        decoder.decompress(decoder.unconsumed_tail)
    except zlib.error:
        if head == bytes(good[:348]):
            break
bad("corrupt_gzip.nii.gz", corrupt)
print("wrote", len(expected), "expected values")
