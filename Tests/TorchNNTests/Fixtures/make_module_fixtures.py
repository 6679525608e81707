"""Fixtures for the TorchNN Module, layer, state-dict and initializer tests.

Run from the repository root: /work/main/.venv/bin/python Tests/TorchNNTests/Fixtures/make_module_fixtures.py

Writes into Tests/TorchNNTests/Fixtures/:
- module_init.json: default initialisation of layers (`torch.manual_seed(s)` then the constructor,
  so the global generator draws as MRIKit's `generator: Generator(seed: s)` does) and the
  torch.nn.init functions with a seeded `torch.Generator`.
- module_layers.json: per layer case `<case>.state.<key>` (the PyTorch layer's state dict, random
  values), `<case>.x` input, `<case>.out` output, `<case>.g` upstream gradient, `<case>.grad.x` and
  `<case>.grad.state.<key>` gradients, and `<case>.after.<key>` the buffers after the forward pass.
- module/composite.pt: `torch.save(net.state_dict())` of `Net` below (its key order is PyTorch's),
  the same state dict as module/composite.safetensors (`safetensors.torch.save_file`),
  and module_composite.json: its input and outputs in eval and train mode, with gradients.
- Verifies module/written_by_mrikit.pt, the composite state dict MRIKit saved (the Swift test
  "MRIKit writes the golden .pt" keeps it byte-identical): torch.load (weights_only) into `Net`
  strictly and the same eval output. Regenerate it with
  MRIKIT_WRITE_MODULE_GOLDEN=1 swift test --filter StateDictTests, then rerun this script.
"""
import collections
import math
import os
import sys

import torch
import torch.nn as nn
from safetensors.torch import save_file

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

OUT = "Tests/TorchNNTests/Fixtures"


# MARK: Initialisation

def init_fixtures():
    out = {}
    constructors = {
        "linear": lambda: nn.Linear(4, 3),
        "linear_nobias": lambda: nn.Linear(5, 2, bias=False),
        "conv1d": lambda: nn.Conv1d(2, 3, 3),
        "conv2d": lambda: nn.Conv2d(2, 4, 3, groups=2),
        "conv3d": lambda: nn.Conv3d(1, 2, 2),
        "conv_transpose2d": lambda: nn.ConvTranspose2d(2, 3, 3, stride=2),
        "conv_transpose3d": lambda: nn.ConvTranspose3d(2, 2, 2),
        "batch_norm2d": lambda: nn.BatchNorm2d(3),
        "group_norm": lambda: nn.GroupNorm(2, 4),
        "layer_norm": lambda: nn.LayerNorm([3, 2]),
        "prelu": lambda: nn.PReLU(3),
    }
    for name, make in constructors.items():
        torch.manual_seed(7)
        for key, value in make().state_dict().items():
            out[f"{name}.{key}"] = value

    def seeded(fn, shape=(5, 4)):
        t = torch.empty(shape)
        fn(t, torch.Generator().manual_seed(11))
        return t

    out["kaiming_uniform"] = seeded(lambda t, g: nn.init.kaiming_uniform_(t, generator=g))
    out["kaiming_uniform_fan_out_relu"] = seeded(
        lambda t, g: nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu", generator=g), (3, 2, 3, 3))
    out["kaiming_normal"] = seeded(lambda t, g: nn.init.kaiming_normal_(t, a=0.2, generator=g))
    out["xavier_uniform"] = seeded(lambda t, g: nn.init.xavier_uniform_(t, gain=2.0, generator=g), (4, 3, 2))
    out["xavier_normal"] = seeded(lambda t, g: nn.init.xavier_normal_(t, generator=g))
    out["orthogonal_tall"] = seeded(lambda t, g: nn.init.orthogonal_(t, gain=1.5, generator=g), (6, 3))
    out["orthogonal_wide"] = seeded(lambda t, g: nn.init.orthogonal_(t, generator=g), (3, 2, 4))
    out["uniform"] = seeded(lambda t, g: nn.init.uniform_(t, -2.0, 3.0, generator=g))
    out["normal"] = seeded(lambda t, g: nn.init.normal_(t, 1.0, 0.5, generator=g))
    for name, args in {"tanh": ("tanh",), "relu": ("relu",), "leaky_relu": ("leaky_relu",),
                       "leaky_relu_0.2": ("leaky_relu", 0.2), "selu": ("selu",), "sigmoid": ("sigmoid",)}.items():
        out[f"gain.{name}"] = nn.init.calculate_gain(*args)
    fixture_io.save(os.path.join(OUT, "module_init.json"), out)


# MARK: Layers

def randomize(module, gen):
    """Random parameters and buffers, so loading and using each one is visible in the outputs."""
    with torch.no_grad():
        for name, tensor in module.state_dict().items():
            if name.endswith("num_batches_tracked"):
                tensor.fill_(3)
            elif name.endswith("running_var"):
                tensor.copy_(torch.rand(tensor.shape, generator=gen) + 0.5)
            else:
                tensor.copy_(torch.randn(tensor.shape, generator=gen))


LAYERS = [
    # name, constructor, input shape, training mode
    ("linear", lambda: nn.Linear(4, 3), (2, 4), True),
    ("conv1d", lambda: nn.Conv1d(2, 3, 3, stride=2, padding=1), (2, 2, 7), True),
    ("conv2d", lambda: nn.Conv2d(2, 4, (3, 2), stride=(1, 2), padding=1, dilation=(2, 1), groups=2), (1, 2, 5, 4), True),
    ("conv3d", lambda: nn.Conv3d(2, 2, 2, padding=1, bias=False), (1, 2, 2, 3, 2), True),
    ("conv_transpose2d", lambda: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1), (1, 2, 3, 4), True),
    ("conv_transpose3d", lambda: nn.ConvTranspose3d(2, 2, 2, stride=2), (1, 2, 2, 2, 1), True),
    ("batch_norm1d_train", lambda: nn.BatchNorm1d(3), (4, 3, 5), True),
    ("batch_norm2d_train", lambda: nn.BatchNorm2d(3), (2, 3, 3, 3), True),
    ("batch_norm2d_eval", lambda: nn.BatchNorm2d(3), (2, 3, 3, 3), False),
    ("batch_norm2d_cumulative", lambda: nn.BatchNorm2d(3, momentum=None), (2, 3, 3, 3), True),
    ("batch_norm3d_train", lambda: nn.BatchNorm3d(2, affine=False, eps=1e-3, momentum=0.3), (2, 2, 3, 3, 2), True),
    ("batch_norm2d_untracked_eval", lambda: nn.BatchNorm2d(3, track_running_stats=False), (2, 3, 3, 3), False),
    ("instance_norm2d", lambda: nn.InstanceNorm2d(3), (2, 3, 3, 3), True),
    ("instance_norm2d_affine_tracked", lambda: nn.InstanceNorm2d(3, affine=True, track_running_stats=True), (2, 3, 3, 3), True),
    ("instance_norm3d_tracked_eval", lambda: nn.InstanceNorm3d(2, track_running_stats=True), (2, 2, 3, 3, 2), False),
    ("group_norm", lambda: nn.GroupNorm(2, 4), (2, 4, 3, 3), True),
    ("layer_norm", lambda: nn.LayerNorm([3, 4]), (2, 3, 4), True),
    ("relu", lambda: nn.ReLU(), (3, 4), True),
    ("leaky_relu", lambda: nn.LeakyReLU(0.2), (3, 4), True),
    ("prelu_shared", lambda: nn.PReLU(), (2, 3, 4), True),
    ("prelu_channels", lambda: nn.PReLU(3), (2, 3, 4), True),
    ("elu", lambda: nn.ELU(alpha=0.7), (3, 4), True),
    ("gelu", lambda: nn.GELU(), (3, 4), True),
    ("gelu_tanh", lambda: nn.GELU(approximate="tanh"), (3, 4), True),
    ("silu", lambda: nn.SiLU(), (3, 4), True),
    ("sigmoid", lambda: nn.Sigmoid(), (3, 4), True),
    ("tanh", lambda: nn.Tanh(), (3, 4), True),
    ("softmax", lambda: nn.Softmax(dim=1), (3, 4), True),
    ("max_pool2d", lambda: nn.MaxPool2d(3, stride=2, padding=1), (1, 2, 5, 6), True),
    ("max_pool3d", lambda: nn.MaxPool3d(2, ceil_mode=True), (1, 1, 3, 4, 3), True),
    ("avg_pool2d", lambda: nn.AvgPool2d(2, padding=1, count_include_pad=False), (1, 2, 5, 6), True),
    ("avg_pool3d", lambda: nn.AvgPool3d((2, 1, 2), stride=1), (1, 1, 3, 3, 4), True),
    ("adaptive_avg_pool2d", lambda: nn.AdaptiveAvgPool2d((2, 3)), (1, 2, 5, 7), True),
    ("adaptive_avg_pool3d", lambda: nn.AdaptiveAvgPool3d(2), (1, 1, 3, 5, 4), True),
    ("upsample_nearest", lambda: nn.Upsample(scale_factor=2), (1, 2, 3, 4), True),
    ("upsample_bilinear", lambda: nn.Upsample(size=(5, 7), mode="bilinear", align_corners=True), (1, 2, 3, 4), True),
    ("upsample_trilinear", lambda: nn.Upsample(scale_factor=(2, 1, 2), mode="trilinear"), (1, 1, 2, 3, 2), True),
    ("identity", lambda: nn.Identity(), (2, 3), True),
    ("flatten", lambda: nn.Flatten(), (2, 3, 2, 2), True),
]


def layer_fixtures():
    gen = torch.Generator().manual_seed(2024)
    out = {}
    for name, make, shape, training in LAYERS:
        layer = make()
        randomize(layer, gen)
        layer.train(training)
        for key, value in layer.state_dict().items():
            out[f"{name}.state.{key}"] = value.clone()
        out[f"{name}.state_count"] = len(layer.state_dict())
        x = torch.randn(shape, generator=gen, dtype=torch.float32).requires_grad_()
        y = layer(x)
        g = torch.randn(y.shape, generator=gen)
        y.backward(g)
        out[f"{name}.x"] = x
        out[f"{name}.out"] = y
        out[f"{name}.g"] = g
        out[f"{name}.grad.x"] = x.grad
        for key, param in layer.named_parameters():
            out[f"{name}.grad.state.{key}"] = param.grad
        for key, buffer in layer.named_buffers():
            out[f"{name}.after.{key}"] = buffer
    fixture_io.save(os.path.join(OUT, "module_layers.json"), out)


# MARK: Composite model and state-dict files

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3, padding=1)
        self.norm = nn.BatchNorm2d(2)

    def forward(self, x):
        return torch.relu(self.norm(self.conv(x))) + x


class Net(nn.Module):
    """The Swift test's `CompositeNet`: a custom-key parameter, a Sequential with a parameter-less
    layer between indexed ones, a ModuleList of nested blocks, and a head."""

    def __init__(self):
        super().__init__()
        self.dc_weight = nn.Parameter(torch.ones(1))
        self.stem = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(2))
        self.blocks = nn.ModuleList([Block(), Block()])
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(2 * 5 * 5, 3))

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.head(x) * self.dc_weight


def composite_fixtures():
    gen = torch.Generator().manual_seed(99)
    net = Net()
    randomize(net, gen)
    os.makedirs(os.path.join(OUT, "module"), exist_ok=True)
    torch.save(net.state_dict(), os.path.join(OUT, "module", "composite.pt"))
    save_file(net.state_dict(), os.path.join(OUT, "module", "composite.safetensors"))
    out = {}
    x = torch.randn(2, 1, 5, 5, generator=gen)
    net.eval()
    with torch.no_grad():
        out["eval.out"] = net(x)
    net.train()
    xg = x.clone().requires_grad_()
    y = net(xg)
    g = torch.randn(y.shape, generator=gen)
    y.backward(g)
    out["x"] = x
    out["train.out"] = y
    out["train.g"] = g
    out["train.grad.x"] = xg.grad
    for key, param in net.named_parameters():
        out[f"train.grad.{key}"] = param.grad
    for key, buffer in net.named_buffers():
        out[f"train.after.{key}"] = buffer
    fixture_io.save(os.path.join(OUT, "module_composite.json"), out)
    return x


def verify_golden(x):
    path = os.path.join(OUT, "module", "written_by_mrikit.pt")
    if not os.path.exists(path):
        print(f"{path} missing: run the Swift tests with MRIKIT_WRITE_MODULE_GOLDEN=1 first")
        return
    loaded = torch.load(path)  # weights_only=True by default
    assert isinstance(loaded, collections.OrderedDict)
    reference = torch.load(os.path.join(OUT, "module", "composite.pt"))
    assert list(loaded.keys()) == list(reference.keys()), (list(loaded.keys()), list(reference.keys()))
    for key, value in reference.items():
        assert loaded[key].dtype == value.dtype and torch.equal(loaded[key], value), key
    net = Net()
    net.load_state_dict(loaded, strict=True)
    net.eval()
    fresh = Net()
    fresh.load_state_dict(reference)
    fresh.eval()
    with torch.no_grad():
        assert torch.equal(net(x), fresh(x))
    print(f"verified {path} with torch.load and Net.load_state_dict(strict=True)")


if __name__ == "__main__":
    torch.set_num_threads(1)
    init_fixtures()
    layer_fixtures()
    verify_golden(composite_fixtures())
