"""Writes shape_fixtures.json, indexing_fixtures.json and functional_<family>_fixtures.json:
PyTorch's
outputs of shape, indexing, selection and torch.nn.functional ops on small seeded inputs, and
the gradients of each output (pulled back from a seeded upstream gradient `<case>.g`) with
respect to its differentiable inputs.

Run from the repository root: .venv/bin/python Tests/TorchTests/Fixtures/make_shape_nn_fixtures.py
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "TorchTestSupport"))
import fixture_io  # noqa: E402

OUT = os.path.dirname(__file__)
torch.manual_seed(0)


class Recorder:
    def __init__(self):
        self.tensors = {}

    def put(self, name, value):
        self.tensors[name] = value

    def case(self, name, fn, inputs, differentiable=None):
        """Stores inputs as `<name>.<input>`, the output as `<name>.out`, a random upstream gradient
        `<name>.g` and the gradients `<name>.grad.<input>` of the differentiable inputs."""
        differentiable = list(inputs) if differentiable is None else differentiable
        leaves = {}
        for key, value in inputs.items():
            leaf = value.detach().clone()
            if key in differentiable:
                leaf.requires_grad_(True)
            leaves[key] = leaf
            self.put(f"{name}.{key}", value)
        out = fn(**leaves)
        self.put(f"{name}.out", out)
        if differentiable:
            g = torch.randn_like(out)
            self.put(f"{name}.g", g)
            out.backward(g)
            for key in differentiable:
                self.put(f"{name}.grad.{key}", leaves[key].grad)
        return out

    def save(self, file):
        fixture_io.save(os.path.join(OUT, file), self.tensors)


def shape_fixtures():
    r = Recorder()
    x = torch.randn(2, 3, 4)
    r.put("x", x)
    r.put("reshape", x.reshape(4, -1))
    r.put("flatten", x.flatten(1))
    r.put("unflatten", x.unflatten(2, (2, -1)))
    r.put("permute", x.permute(2, 0, 1))
    r.put("transpose", x.transpose(0, 2))
    r.put("T", x[0].T)
    r.put("mT", x.mT)
    r.put("expand", x[:, :1].expand(3, 2, 3, 4))
    y = torch.randn(2, 1, 4)
    r.put("y", y)
    r.put("cat", torch.cat([x, y], dim=1))
    r.put("stack", torch.stack([x, x * 2], dim=-1))
    r.put("flip", x.flip(0, 2))
    r.put("roll", x.roll((1, -2), (1, 2)))
    r.put("rollFlat", x.roll(3))
    r.put("repeat", x.repeat(2, 1, 1, 2))
    r.put("tile", x.tile((2,)))
    r.put("narrow", x.narrow(2, 1, 2))
    image = torch.randn(1, 2, 3, 4)
    pads = {"constant": (1, 2, 0, 1), "reflect": (2, 1, 1, 2), "replicate": (3, 0, 2, 1), "circular": (1, 3, 2, 0)}
    for mode, padding in pads.items():
        value = 0.5 if mode == "constant" else None
        r.case(f"pad.{mode}", lambda x, m=mode, p=padding, v=value: F.pad(x, p, mode=m, value=v), {"x": image})
    r.case("pad.crop", lambda x: F.pad(x, (-1, 1, 0, -1)), {"x": image})
    r.save("shape_fixtures.json")


def indexing_fixtures():
    r = Recorder()
    x = torch.randn(4, 5, 6)
    r.put("x", x)
    mask = torch.rand(4, 5) > 0.5
    index = torch.tensor([3, 0, 3])
    index2 = torch.tensor([[1, 4], [0, 0]])
    r.put("mask", mask)
    r.put("index", index)
    r.put("index2", index2)
    r.put("get.int", x[1])
    r.put("get.negativeRange", x[-1, 1:3])
    r.put("get.ellipsis", x[..., 0])
    r.put("get.newAxis", x[:, None, 2])
    r.put("get.step", x[1:4:2, ::2])
    r.put("get.closedTail", x[2:, :, -3:])
    r.put("get.mask", x[mask])
    r.put("get.maskThenInt", x[mask, 0])
    r.put("get.index", x[index])
    r.put("get.index2", x[:, index2, 1])
    r.put("get.splitAdvanced", x[index, :, index])
    r.put("get.adjacentAdvanced", x[:, index, index])

    value = torch.randn(6)
    r.case("set.slice", lambda x, v: _assign(x, (1, slice(1, 3)), v), {"x": x, "v": value})
    r.case("set.mask", lambda x, v: _assign(x, (mask,), v), {"x": x, "v": value})
    rows = torch.randn(3, 1, 6)
    r.case("set.index", lambda x, v: _assign(x, (torch.tensor([2, 0, 1]),), v), {"x": x, "v": rows})
    filled = x.clone()
    filled[mask] = 0.25
    r.put("fill.mask", filled)
    filled = x.clone()
    filled[..., 1] = -2.0
    r.put("fill.ellipsis", filled)

    src = torch.randn(3, 4)
    gather_index = torch.tensor([[0, 2, 1, 2], [1, 0, 0, 1]])
    r.case("gather", lambda s: s.gather(0, gather_index), {"s": src})
    r.put("gather.index", gather_index)
    scatter_index = torch.tensor([[2, 0, 1, 0], [0, 1, 2, 2]])
    base = torch.randn(3, 4)
    updates = torch.randn(2, 4)
    r.put("scatter.index", scatter_index)
    r.case("scatter", lambda b, u: b.scatter(0, scatter_index, u), {"b": base, "u": updates})
    add_index = torch.tensor([[0, 1, 1, 3], [1, 1, 2, 0], [2, 3, 3, 3]])
    r.put("scatterAdd.index", add_index)
    r.case("scatterAdd", lambda b, u: b.scatter_add(1, add_index, u), {"b": base, "u": torch.randn(3, 4)})
    r.put("scatterValue", base.scatter(0, scatter_index, 1.5))
    select_index = torch.tensor([3, 1, 1])
    r.put("indexSelect.index", select_index)
    r.case("indexSelect", lambda s: s.index_select(1, select_index), {"s": src})
    condition = torch.rand(3, 4) > 0.5
    r.put("where.condition", condition)
    r.case("where", lambda a, b: torch.where(condition, a, b), {"a": src, "b": torch.randn(1, 4)})
    r.case("maskedFill", lambda a: a.masked_fill(condition, -1.0), {"a": src})
    r.put("maskedSelect", src.masked_select(condition))
    r.put("nonzero", condition.nonzero())
    r.save("indexing_fixtures.json")


def _assign(x, key, v):
    y = x.clone()
    y[key] = v
    return y


def functional_fixtures():
    r = Recorder()
    # Convolutions
    r.case("conv1d", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2),
           {"x": torch.randn(2, 3, 9), "w": torch.randn(4, 3, 3), "b": torch.randn(4)})
    r.case("conv2d", lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
           {"x": torch.randn(1, 4, 7, 6), "w": torch.randn(6, 2, 3, 3), "b": torch.randn(6)})
    r.case("conv3d", lambda x, w, b: F.conv3d(x, w, b, padding=1),
           {"x": torch.randn(1, 2, 4, 5, 4), "w": torch.randn(3, 2, 3, 3, 3), "b": torch.randn(3)})
    r.case("convTranspose1d", lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=2),
           {"x": torch.randn(2, 2, 5), "w": torch.randn(2, 3, 4), "b": torch.randn(3)})
    r.case("convTranspose2d",
           lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2, dilation=1),
           {"x": torch.randn(1, 4, 4, 5), "w": torch.randn(4, 3, 3, 3), "b": torch.randn(6)})
    r.case("convTranspose3d", lambda x, w: F.conv_transpose3d(x, w, stride=(1, 2, 2), padding=1),
           {"x": torch.randn(1, 2, 3, 3, 4), "w": torch.randn(2, 2, 3, 3, 3)})

    r.save("functional_convolution_fixtures.json")
    r = Recorder()

    # Pooling (random normal inputs have no ties, so max gradients are unambiguous)
    image = torch.randn(1, 3, 7, 7)
    volume = torch.randn(1, 2, 5, 6, 5)
    r.case("maxPool2d", lambda x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True), {"x": image})
    r.case("maxPool2d.dilated", lambda x: F.max_pool2d(x, 2, stride=1, dilation=2), {"x": image})
    r.case("maxPool3d", lambda x: F.max_pool3d(x, 2), {"x": volume})
    r.case("avgPool2d", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False), {"x": image})
    r.case("avgPool2d.ceil", lambda x: F.avg_pool2d(x, (2, 3), ceil_mode=True, divisor_override=4), {"x": image})
    r.case("avgPool3d", lambda x: F.avg_pool3d(x, 2, stride=(1, 2, 2), padding=1), {"x": volume})
    r.case("adaptiveAvgPool2d", lambda x: F.adaptive_avg_pool2d(x, (3, 2)), {"x": image})
    r.case("adaptiveAvgPool3d", lambda x: F.adaptive_avg_pool3d(x, (2, 4, 3)), {"x": volume})
    r.case("adaptiveMaxPool2d", lambda x: F.adaptive_max_pool2d(x, (3, 4)), {"x": image})
    r.case("adaptiveMaxPool3d", lambda x: F.adaptive_max_pool3d(x, (3, 2, 4)), {"x": volume})
    signal = torch.randn(2, 3, 9)
    r.case("maxPool1d", lambda x: F.max_pool1d(x, 3, stride=2, padding=1), {"x": signal})
    r.case("avgPool1d", lambda x: F.avg_pool1d(x, 4, stride=2, ceil_mode=True, count_include_pad=False), {"x": signal})
    r.case("adaptiveAvgPool1d", lambda x: F.adaptive_avg_pool1d(x, 4), {"x": signal})
    r.save("functional_pooling_fixtures.json")
    r = Recorder()

    # Interpolation
    small = torch.randn(1, 2, 4, 5)
    r.case("interpolate.nearestSize", lambda x: F.interpolate(x, size=(7, 8), mode="nearest"), {"x": small})
    r.case("interpolate.nearestScale", lambda x: F.interpolate(x, scale_factor=1.7, mode="nearest"), {"x": small})
    r.case("interpolate.nearestExact", lambda x: F.interpolate(x, size=(3, 8), mode="nearest-exact"), {"x": small})
    r.case("interpolate.bilinear", lambda x: F.interpolate(x, scale_factor=1.5, mode="bilinear"), {"x": small})
    r.case("interpolate.bilinearAligned",
           lambda x: F.interpolate(x, size=(6, 9), mode="bilinear", align_corners=True), {"x": small})
    r.case("interpolate.bicubic", lambda x: F.interpolate(x, size=(6, 7), mode="bicubic"), {"x": small})
    r.case("interpolate.linear", lambda x: F.interpolate(x, scale_factor=2.5, mode="linear", align_corners=True),
           {"x": torch.randn(2, 3, 4)})
    r.case("interpolate.trilinear", lambda x: F.interpolate(x, scale_factor=(2.0, 1.5, 1.0), mode="trilinear"),
           {"x": torch.randn(1, 2, 3, 4, 5)})

    r.save("functional_interpolation_fixtures.json")
    r = Recorder()

    # Normalisation
    batch = torch.randn(4, 3, 3, 3) * 2 + 1
    mean, var = torch.randn(3), torch.rand(3) + 0.5
    r.put("batchNorm.train.runningMean0", mean)
    r.put("batchNorm.train.runningVar0", var)
    running_mean, running_var = mean.clone(), var.clone()
    r.case("batchNorm.train",
           lambda x, w, b: F.batch_norm(x, running_mean, running_var, w, b, training=True, momentum=0.2, eps=1e-3),
           {"x": batch, "w": torch.randn(3), "b": torch.randn(3)})
    r.put("batchNorm.train.runningMean", running_mean)
    r.put("batchNorm.train.runningVar", running_var)
    r.case("batchNorm.eval", lambda x, w, b: F.batch_norm(x, mean, var, w, b, training=False),
           {"x": batch, "w": torch.randn(3), "b": torch.randn(3)})
    r.put("batchNorm.eval.runningMean", mean)
    r.put("batchNorm.eval.runningVar", var)
    r.case("groupNorm", lambda x, w, b: F.group_norm(x, 3, w, b), {"x": torch.randn(2, 6, 4, 4),
                                                                 "w": torch.randn(6), "b": torch.randn(6)})
    r.case("instanceNorm", lambda x, w, b: F.instance_norm(x, weight=w, bias=b),
           {"x": torch.randn(2, 3, 4, 4), "w": torch.randn(3), "b": torch.randn(3)})
    instance_mean, instance_var = torch.randn(3), torch.rand(3) + 0.5
    r.put("instanceNorm.running.runningMean0", instance_mean)
    r.put("instanceNorm.running.runningVar0", instance_var)
    running_mean, running_var = instance_mean.clone(), instance_var.clone()
    r.case("instanceNorm.running",
           lambda x: F.instance_norm(x, running_mean, running_var, use_input_stats=True, momentum=0.3),
           {"x": torch.randn(2, 3, 4, 4)})
    r.put("instanceNorm.running.runningMean", running_mean)
    r.put("instanceNorm.running.runningVar", running_var)
    r.case("instanceNorm.eval", lambda x: F.instance_norm(x, instance_mean, instance_var, use_input_stats=False),
           {"x": torch.randn(2, 3, 4, 4)})
    r.case("layerNorm", lambda x, w, b: F.layer_norm(x, (3, 4), w, b),
           {"x": torch.randn(2, 3, 4), "w": torch.randn(3, 4), "b": torch.randn(3, 4)})

    # Activations (inputs spread over [-6, 6] to reach the tails and the softplus threshold)
    a = torch.randn(3, 5) * 3
    r.case("relu", lambda x: F.relu(x), {"x": a})
    r.case("leakyRelu", lambda x: F.leaky_relu(x, 0.2), {"x": a})
    r.case("prelu", lambda x, w: F.prelu(x, w), {"x": a, "w": torch.rand(5)})
    r.case("elu", lambda x: F.elu(x, 0.7), {"x": a})
    r.case("selu", lambda x: F.selu(x), {"x": a})
    r.case("gelu", lambda x: F.gelu(x), {"x": a})
    r.case("gelu.tanh", lambda x: F.gelu(x, approximate="tanh"), {"x": a})
    r.case("silu", lambda x: F.silu(x), {"x": a})
    r.case("softplus", lambda x: F.softplus(x, beta=2, threshold=5), {"x": a})
    r.case("hardtanh", lambda x: F.hardtanh(x, -0.5, 1.5), {"x": a})
    r.case("softmax", lambda x: F.softmax(x, dim=1), {"x": a})
    r.case("logSoftmax", lambda x: F.log_softmax(x, dim=0), {"x": a})

    # Losses
    probabilities = torch.rand(4, 3) * 0.9 + 0.05
    targets = torch.rand(4, 3)
    r.case("bce", lambda x, t: F.binary_cross_entropy(x, t, weight=torch.tensor([1.0, 2.0, 0.5])),
           {"x": probabilities, "t": targets}, ["x"])
    r.case("bce.sum", lambda x, t: F.binary_cross_entropy(x, t, reduction="sum"), {"x": probabilities, "t": targets},
           ["x"])
    logits = torch.randn(4, 3) * 2
    r.case("bceLogits", lambda x, t, pw: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw),
           {"x": logits, "t": (targets > 0.5).float(), "pw": torch.tensor([0.5, 2.0, 3.0])}, ["x"])
    r.case("bceLogits.none", lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="none"),
           {"x": logits, "t": targets}, ["x"])
    class_logits = torch.randn(5, 4)
    labels = torch.tensor([0, 3, -100, 1, 3])
    class_weight = torch.tensor([1.0, 0.5, 2.0, 1.5])
    r.put("classWeight", class_weight)
    r.case("crossEntropy", lambda x, t: F.cross_entropy(x, t), {"x": class_logits, "t": torch.tensor([0, 3, 2, 1, 3])},
           ["x"])
    r.case("crossEntropy.weighted",
           lambda x, t: F.cross_entropy(x, t, weight=class_weight, ignore_index=-100, label_smoothing=0.1),
           {"x": class_logits, "t": labels}, ["x"])
    r.case("crossEntropy.ignore2", lambda x, t: F.cross_entropy(x, t, ignore_index=2, reduction="sum"),
           {"x": class_logits, "t": torch.tensor([0, 2, 2, 1, 3])}, ["x"])
    r.case("crossEntropy.probabilities", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.2),
           {"x": class_logits, "t": torch.softmax(torch.randn(5, 4), 1)}, ["x"])
    r.case("crossEntropy.spatial", lambda x, t: F.cross_entropy(x, t, reduction="none"),
           {"x": torch.randn(2, 3, 2, 2), "t": torch.randint(0, 3, (2, 2, 2))}, ["x"])
    r.case("nllLoss", lambda x, t: F.nll_loss(x, t, weight=class_weight),
           {"x": torch.log_softmax(class_logits, 1), "t": torch.tensor([0, 3, 2, 1, 3])}, ["x"])
    prediction, reference = torch.randn(3, 4), torch.randn(3, 4)
    r.case("l1Loss", lambda x, t: F.l1_loss(x, t), {"x": prediction, "t": reference}, ["x"])
    r.case("mseLoss", lambda x, t: F.mse_loss(x, t, reduction="sum"), {"x": prediction, "t": reference}, ["x"])
    r.case("mseLoss.none", lambda x, t: F.mse_loss(x, t, reduction="none"), {"x": prediction, "t": reference}, ["x"])
    r.case("smoothL1Loss", lambda x, t: F.smooth_l1_loss(x, t, beta=0.5), {"x": prediction, "t": reference}, ["x"])
    r.case("huberLoss", lambda x, t: F.huber_loss(x, t, delta=0.7), {"x": prediction, "t": reference}, ["x"])

    r.save("functional_norm_activation_loss_fixtures.json")
    r = Recorder()

    # Grid sampling: a rotation, scale and shift that sends part of the grid outside [-1, 1]
    theta = torch.tensor([[[0.9, -0.5, 0.2], [0.6, 1.1, -0.3]]])
    r.case("affineGrid", lambda theta: F.affine_grid(theta, [1, 2, 3, 4], align_corners=False), {"theta": theta})
    r.case("affineGrid.aligned", lambda theta: F.affine_grid(theta, [1, 2, 3, 4], align_corners=True),
           {"theta": theta})
    grid = F.affine_grid(theta, [1, 2, 3, 4], align_corners=False)
    samples = torch.randn(1, 2, 4, 5)
    for mode, padding, align in [("bilinear", "zeros", False), ("bilinear", "border", True),
                                 ("bilinear", "reflection", False), ("nearest", "zeros", True),
                                 ("nearest", "reflection", True), ("bicubic", "border", False)]:
        differentiable = ["x", "grid"] if mode != "nearest" else ["x"]
        r.case(f"gridSample.{mode}.{padding}.{align}",
               lambda x, grid, m=mode, p=padding, a=align: F.grid_sample(x, grid, m, p, a),
               {"x": samples, "grid": grid}, differentiable)
    theta3 = torch.tensor([[[0.8, 0.1, 0.0, 0.1], [-0.2, 1.0, 0.3, 0.0], [0.1, 0.0, 1.2, -0.2]]])
    grid3 = F.affine_grid(theta3, [1, 1, 2, 3, 4], align_corners=False)
    r.case("gridSample3d", lambda x, grid: F.grid_sample(x, grid, "bilinear", "zeros", False),
           {"x": torch.randn(1, 1, 3, 4, 4), "grid": grid3})
    r.save("functional_grid_sample_fixtures.json")


shape_fixtures()
indexing_fixtures()
functional_fixtures()
