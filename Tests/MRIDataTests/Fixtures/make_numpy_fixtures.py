"""NumPy .npy/.npz fixtures for MRIDataTests (run from the repo root with the project's Python).

Writes arrays with numpy (np.save, np.savez, np.savez_compressed) into
Tests/MRIDataTests/Fixtures/numpy/, their values into numpy.json, and malformed files into
numpy/bad/.
"""
import io
import os
import sys
import zipfile

import numpy as np
import torch

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

out = "Tests/MRIDataTests/Fixtures/numpy"
os.makedirs(f"{out}/bad", exist_ok=True)
rng = np.random.default_rng(7)
expected = {}


def as_torch(array):
    """The tensor MRIKit reads: native byte order, C order, uint16/uint32 widened."""
    array = array.astype(array.dtype.newbyteorder("="), order="C")
    if array.dtype == np.uint16:
        array = array.astype(np.int32)
    elif array.dtype == np.uint32:
        array = array.astype(np.int64)
    return torch.from_numpy(array)


def complex_normal(shape, dtype):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


arrays = {
    "float32": rng.standard_normal((3, 4)).astype(np.float32),
    "float64_fortran": np.asfortranarray(rng.standard_normal((2, 3, 4))),
    "float16": rng.standard_normal((5,)).astype(np.float16),
    "int8": rng.integers(-128, 128, (2, 3)).astype(np.int8),
    "int16": rng.integers(-(2**15), 2**15, (2, 3)).astype(np.int16),
    "int32_fortran": np.asfortranarray(rng.integers(-(2**31), 2**31, (3, 2)).astype(np.int32)),
    "int64": rng.integers(-(2**52), 2**52, (4,)).astype(np.int64),  # exact through the JSON's float64
    "uint8": rng.integers(0, 256, (2, 2, 2)).astype(np.uint8),
    "uint16": rng.integers(0, 2**16, (3, 3)).astype(np.uint16),
    "uint32": rng.integers(0, 2**32, (3,)).astype(np.uint32),
    "bool": rng.random((3, 2)) > 0.5,
    "complex64": complex_normal((2, 3), np.complex64),
    "complex128_fortran": np.asfortranarray(complex_normal((3, 2, 2), np.complex128)),
    "float32_bigendian": rng.standard_normal((2, 3)).astype(">f4"),
    "complex64_bigendian": complex_normal((3,), ">c8"),
    "int64_bigendian": rng.integers(-1000, 1000, (2, 2)).astype(">i8"),
    "scalar": np.array(3.25, dtype=np.float64),
    "empty": np.zeros((0, 3), dtype=np.float32),
}
for name, array in arrays.items():
    np.save(f"{out}/{name}.npy", array)
    expected[name] = as_torch(array)

# np.savez (stored) and np.savez_compressed (deflated); the cine layout [nsamples, nt, nx, ny].
cine = complex_normal((2, 3, 4, 5), np.complex64)
mask = rng.random((4, 5)) > 0.5
np.savez(f"{out}/stored.npz", kspace=cine, mask=mask)
np.savez_compressed(f"{out}/cine.npz", kspace=cine, mask=mask, scale=np.float32(0.5))
expected["cine_kspace"] = as_torch(cine)
expected["cine_mask"] = as_torch(mask)
expected["cine_scale"] = torch.tensor(0.5, dtype=torch.float32)
fixture_io.save("Tests/MRIDataTests/Fixtures/numpy.json", expected)

# ---- malformed files ----
with open(f"{out}/float32.npy", "rb") as f:
    good = f.read()
header_end = good.index(b"\n") + 1


def bad(name, content):
    with open(f"{out}/bad/{name}", "wb") as f:
        f.write(content)


def with_header(text):
    """good's data behind a version-1 header dict `text`, padded as numpy pads it."""
    header = text.encode("latin1")
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header += b" " * pad + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + good[header_end:]


bad("truncated_data.npy", good[:-8])
bad("truncated_header.npy", good[:40])
bad("bad_magic.npy", b"\x93NUMPZ" + good[6:])
bad("empty.npy", b"")
bad("lying_shape.npy", with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (30, 4), }"))
bad("unsupported_dtype.npy", with_header("{'descr': '<U3', 'fortran_order': False, 'shape': (4,), }"))
bad("missing_descr.npy", with_header("{'fortran_order': False, 'shape': (3, 4), }"))
bad("bad_fortran_order.npy", with_header("{'descr': '<f4', 'fortran_order': 7, 'shape': (3, 4), }"))
bad("bad_shape.npy", with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, x), }"))
bad("bad_version.npy", good[:6] + b"\x09" + good[7:])

with open(f"{out}/cine.npz", "rb") as f:
    archive = f.read()
bad("truncated.npz", archive[: len(archive) // 2])
# Corrupt the first member's compressed bytes (not its header): inflate or the CRC-32 fails.
with zipfile.ZipFile(io.BytesIO(archive)) as z:
    info = z.infolist()[0]
start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
corrupt = bytearray(archive)
corrupt[start + 10 : start + 30] = bytes(20)
bad("corrupt_member.npz", bytes(corrupt))
member = io.BytesIO()
with zipfile.ZipFile(member, "w") as z:
    z.writestr("x.npy", good[:-8])
bad("truncated_member.npz", member.getvalue())
print("wrote", len(expected), "arrays and", len(os.listdir(f"{out}/bad")), "malformed files")
