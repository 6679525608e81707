"""Serialization fixtures: files PyTorch writes for MRIKit to read, and a check of files MRIKit writes.

Run from the repository root:  python Tests/TorchTests/Fixtures/make_serialization_fixtures.py

Read direction (PyTorch -> MRIKit). Writes into Tests/TorchTests/Fixtures/serialization/:
  torch_saved.pt            torch.save of a real nn.Module state_dict (an OrderedDict carrying
                            `_metadata`) plus every dtype and views sharing one storage
                            (transposed, sliced with a storage offset, a strided column)
  torch_nested.pt           torch.save of plain nested dicts with an nn.Parameter (keys flatten
                            to `model.weight`, ...)
  python_saved.safetensors  safetensors.torch.save_file of every dtype safetensors has, with metadata
and Tests/TorchTests/Fixtures/serialization_expected.json (fixture_io format) with the values
under `pt/<key>`, `nested/<key>` and `safetensors/<key>`, plus serialization_keys.json with each
file's key order.

Write direction (MRIKit -> PyTorch). `written_by_mrikit.pt` and `written_by_mrikit.safetensors`
in serialization/ are golden files that MRIKit's writers produced from the deterministic state
dict `golden_state_dict()` below (the Swift test `goldenStateDict()` builds the same values).
This script loads them with PyTorch — `torch.load(path)` with the default `weights_only=True`,
also memory-mapped with storage offsets computed from torch.save's layout, and
`safetensors.torch.load_file` — and asserts every name, dtype, shape and value. The Swift test
"the writers still produce the golden files byte for byte" keeps this check valid: any change
in MRIKit's output fails it. To regenerate the golden files after an intended format change, run
    MRIKIT_WRITE_SERIALIZATION_GOLDEN=1 swift test --filter Serialization   (with the usual rpath flags)
then run this script again so PyTorch re-checks them, and commit both golden files. The script
fails (AssertionError) when PyTorch reads a different name, dtype, shape or value.
"""
import collections
import json
import os
import sys

import torch
from safetensors.torch import load_file, safe_open, save_file

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "TorchTestSupport"))
import fixture_io  # noqa: E402

FIXTURES = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(FIXTURES, "serialization")

DTYPES = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16,
          torch.bfloat16, torch.float32, torch.float64, torch.complex64, torch.complex128]


def name_of(dtype):
    return str(dtype).replace("torch.", "")


def random_tensor(dtype, shape, generator):
    if dtype == torch.bool:
        return torch.rand(shape, generator=generator) > 0.5
    if dtype == torch.uint8:
        return torch.randint(0, 256, shape, generator=generator, dtype=torch.uint8)
    if not dtype.is_floating_point and not dtype.is_complex:
        return torch.randint(-100, 100, shape, generator=generator).to(dtype)
    if dtype.is_complex:
        real = torch.randn(shape + (2,), generator=generator, dtype=torch.float64)
        return torch.view_as_complex(real).to(dtype)
    return torch.randn(shape, generator=generator).to(dtype)


def write_read_fixtures():
    os.makedirs(OUT, exist_ok=True)
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2))
    model(torch.randn(2, 1, 5, 5))  # updates the running statistics and num_batches_tracked
    state = model.state_dict()
    base = torch.randn(4, 5, generator=generator)
    state["view.base"] = base
    state["view.transposed"] = base.t()
    state["view.slice"] = base[1:3, 2:]
    state["view.column"] = base[:, 1]
    state["scalar"] = torch.tensor(2.5, dtype=torch.float64)
    state["empty"] = torch.zeros(0, 3)
    for dtype in DTYPES:
        state[f"dtype.{name_of(dtype)}"] = random_tensor(dtype, (2, 3), generator)
    torch.save(state, os.path.join(OUT, "torch_saved.pt"))

    nested = {
        "model": {"weight": torch.nn.Parameter(torch.randn(2, 2, generator=generator)),
                  "bias": torch.randn(2, generator=generator)},
        "step": torch.tensor(7),
    }
    torch.save(nested, os.path.join(OUT, "torch_nested.pt"))

    tensors = {f"{name_of(d)}": random_tensor(d, (3, 2), generator) for d in DTYPES if d != torch.complex128}
    tensors["scalar"] = torch.tensor(-1.5)
    tensors["empty"] = torch.zeros(2, 0, dtype=torch.int32)
    save_file(tensors, os.path.join(OUT, "python_saved.safetensors"), metadata={"format": "pt", "note": "x\"y"})
    # The safetensors library orders data by dtype size, then name; MRIKit reports tensors in data order.
    with open(os.path.join(OUT, "python_saved.safetensors"), "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    header.pop("__metadata__")
    data_order = sorted(header, key=lambda k: (header[k]["data_offsets"][0], k))

    expected = {}
    expected.update({f"pt/{k}": v for k, v in state.items()})
    expected.update({"nested/model.weight": nested["model"]["weight"], "nested/model.bias": nested["model"]["bias"],
                     "nested/step": nested["step"]})
    expected.update({f"safetensors/{k}": v for k, v in tensors.items()})
    fixture_io.save(os.path.join(FIXTURES, "serialization_expected.json"), expected)
    keys = {"pt": list(state.keys()), "nested": ["model.weight", "model.bias", "step"],
            "safetensors": data_order, "safetensors_metadata": {"format": "pt", "note": "x\"y"}}
    with open(os.path.join(FIXTURES, "serialization_keys.json"), "w") as f:
        json.dump(keys, f, indent=1)


def golden_state_dict():
    """The state dict MRIKit's golden files hold; the Swift test `goldenStateDict()` builds it too.

    Every dtype as `t_<dtype>` of shape [2, 3] with element i: bool i % 3 == 0; uint8 50 i;
    other integers 7 i - 12; real floats (i - 2.5) * 0.75 (exact in float16/bfloat16); complex
    (i - 2.5) * 0.75 + 0.5 i j. Then `transposed` (t_float32 transposed, written from a
    non-contiguous tensor), `empty` (float32 [0, 3]; its record has no data descriptor, which
    torch.load's computed storage offsets must step over) and `scalar` (float64 2.5, 0-d).
    """
    i = torch.arange(6, dtype=torch.float64)
    state = collections.OrderedDict()
    for dtype in DTYPES:
        if dtype == torch.bool:
            values = (i % 3 == 0)
        elif dtype == torch.uint8:
            values = (50 * i).to(dtype)
        elif dtype.is_complex:
            values = torch.complex((i - 2.5) * 0.75, 0.5 * i).to(dtype)
        elif dtype.is_floating_point:
            values = ((i - 2.5) * 0.75).to(dtype)
        else:
            values = (7 * i - 12).to(dtype)
        state[f"t_{name_of(dtype)}"] = values.reshape(2, 3)
    state["transposed"] = state["t_float32"].t().contiguous()
    state["empty"] = torch.zeros(0, 3)
    state["scalar"] = torch.tensor(2.5, dtype=torch.float64)
    return state


def assert_same(loaded, expected, origin):
    assert list(loaded.keys()) == list(expected.keys()), f"{origin}: keys {list(loaded.keys())}"
    for key, value in expected.items():
        got = loaded[key]
        assert got.dtype == value.dtype, f"{origin} {key}: dtype {got.dtype} != {value.dtype}"
        assert got.shape == value.shape, f"{origin} {key}: shape {tuple(got.shape)} != {tuple(value.shape)}"
        assert torch.equal(got, value), f"{origin} {key}: values differ"


def verify_mrikit_files():
    expected = golden_state_dict()
    pt = os.path.join(OUT, "written_by_mrikit.pt")
    if os.path.exists(pt):
        loaded = torch.load(pt)  # weights_only=True is the default in PyTorch 2.6+
        assert isinstance(loaded, collections.OrderedDict)
        assert_same(loaded, expected, "torch.load")
        from torch.utils.serialization import config
        config.load.calculate_storage_offsets = True  # relies on torch.save's exact record layout
        assert_same(torch.load(pt, mmap=True, weights_only=True), expected, "torch.load(mmap=True)")
        config.load.calculate_storage_offsets = False
        print(f"verified {pt} with torch.load (weights_only=True, also mmap)")
    else:
        print(f"{pt} missing: run the Swift tests with MRIKIT_WRITE_SERIALIZATION_GOLDEN=1 first")
    st = os.path.join(OUT, "written_by_mrikit.safetensors")
    if os.path.exists(st):
        expected.pop("t_complex128")  # safetensors has no complex128
        loaded = load_file(st)
        loaded = collections.OrderedDict((k, loaded[k]) for k in expected)
        assert_same(loaded, expected, "safetensors.load_file")
        with safe_open(st, "pt") as f:
            assert f.metadata() == {"format": "pt", "source": "MRIKit"}, f.metadata()
        print(f"verified {st} with safetensors.torch.load_file")


if __name__ == "__main__":
    write_read_fixtures()
    verify_mrikit_files()
