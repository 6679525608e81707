"""BART .cfl/.hdr fixtures for MRIDataTests (run from the repo root; needs `bart` on PATH).

BART writes the arrays into Tests/MRIDataTests/Fixtures/bart/; numpy reads them back (raw
complex64, first dimension fastest, trailing singleton dims dropped as BART's cfl.py does) into
bart.json. Malformed pairs go to bart/bad/.
"""
import os
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

out = "Tests/MRIDataTests/Fixtures/bart"
os.makedirs(f"{out}/bad", exist_ok=True)


def bart(*args):
    subprocess.run(["bart", *args], check=True, capture_output=True)


def numpy_read(base):
    with open(base + ".hdr") as f:
        lines = f.read().splitlines()
    dims = [int(d) for d in lines[lines.index("# Dimensions") + 1].split()]
    while len(dims) > 1 and dims[-1] == 1:
        dims.pop()
    data = np.fromfile(base + ".cfl", dtype="<c8")
    return data.reshape(dims, order="F")


bart("phantom", "-k", "-x", "6", "-s", "3", f"{out}/kspace")  # multi-coil k-space [6, 6, 1, 3]
bart("phantom", "-x", "5", f"{out}/image")  # one image [5, 5]
bart("vec", "1", "2", "3", "4", f"{out}/vector")  # a vector [4]
expected = {name: torch.from_numpy(np.ascontiguousarray(numpy_read(f"{out}/{name}"))) for name in ["kspace", "image", "vector"]}
fixture_io.save("Tests/MRIDataTests/Fixtures/bart.json", expected)

with open(f"{out}/image.cfl", "rb") as f:
    cfl = f.read()
with open(f"{out}/image.hdr") as f:
    hdr = f.read()


def bad(name, header, data):
    if header is not None:
        with open(f"{out}/bad/{name}.hdr", "w") as f:
            f.write(header)
    if data is not None:
        with open(f"{out}/bad/{name}.cfl", "wb") as f:
            f.write(data)


bad("truncated", hdr, cfl[:-8])
bad("lying_dims", hdr.replace("5 5", "5 6"), cfl)
bad("no_dims", "# Command\nbart phantom\n", cfl)
bad("bad_dims", "# Dimensions\n5 x 1\n", cfl)
bad("zero_dim", "# Dimensions\n5 0 1\n", cfl)
bad("missing_header", None, cfl)
bad("missing_data", hdr, None)
print("wrote", {k: tuple(v.shape) for k, v in expected.items()})
