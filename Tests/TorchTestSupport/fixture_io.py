"""Writes test fixtures: named PyTorch tensors as JSON the Swift tests read without Python.

Format: {"name": {"dtype": "float32", "shape": [2, 3], "data": [...]}, ...}; data is the
row-major flattening; complex tensors interleave real and imaginary parts. Values are
written with repr-exact float64 text, so float32 values round-trip exactly.
"""
import json
import torch


def encode(tensor: torch.Tensor) -> dict:
    t = tensor.detach().cpu().contiguous()
    dtype = str(t.dtype).replace("torch.", "")
    if t.is_complex():
        data = torch.view_as_real(t).reshape(-1).double().tolist()
    elif t.dtype == torch.bool:
        data = [int(v) for v in t.reshape(-1).tolist()]
    elif t.is_floating_point():
        data = t.reshape(-1).double().tolist()
    else:
        data = t.reshape(-1).tolist()
    return {"dtype": dtype, "shape": list(t.shape), "data": data}


def save(path: str, tensors: dict) -> None:
    """Saves a dict of name -> tensor (or int/float scalars, stored as 0-d float64)."""
    out = {}
    for name, value in tensors.items():
        if not isinstance(value, torch.Tensor):
            value = torch.tensor(value, dtype=torch.float64)
        out[name] = encode(value)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
