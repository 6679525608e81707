"""Reference values for the custom-function, checkpoint and generator tests.

Run from the repository root: python Tests/TorchTests/Fixtures/make_autograd_fixtures.py
Writes Tests/TorchTests/Fixtures/autograd.json.
"""
import sys

import torch
import torch.utils.checkpoint

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

torch.manual_seed(0)
out = {}

# y = x^3 * w, loss = sum(y * v): gradients by PyTorch's autograd.
x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
w = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
v = torch.randn(3, 4, dtype=torch.float64)
(x**3 * w * v).sum().backward()
out.update(cube_x=x, cube_w=w, cube_v=v, cube_grad_x=x.grad, cube_grad_w=w.grad)

# Three layers tanh(h @ W_i) through PyTorch's own (reentrant) checkpoint.
h = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
weights = [torch.randn(5, 5, dtype=torch.float64, requires_grad=True) for _ in range(3)]
g = torch.randn(4, 5, dtype=torch.float64)


def segment(t):
    for weight in weights:
        t = torch.tanh(t @ weight)
    return t


y = torch.utils.checkpoint.checkpoint(segment, h, use_reentrant=True)
(y * g).sum().backward()
out.update(chain_h=h, chain_g=g, chain_y=y, chain_grad_h=h.grad)
for i, weight in enumerate(weights):
    out[f"chain_w{i}"] = weight
    out[f"chain_grad_w{i}"] = weight.grad

# Random streams: a seeded generator, and the global one after manual_seed.
out["randn_generator_seed42"] = torch.randn(3, 4, generator=torch.Generator().manual_seed(42))
torch.manual_seed(7)
out["randn_manual_seed7"] = torch.randn(5)

fixture_io.save("Tests/TorchTests/Fixtures/autograd.json", out)
