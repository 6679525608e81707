"""Loss fixtures for LossTests.swift: values and input gradients from MONAI 1.6.1, fastMRI 0.3.0 and
PyTorch 2.11, plus an independent PyTorch implementation of the VAE regulariser of Myronenko (2018).

Run from the repository root: /work/main/.venv/bin/python Tests/TorchNNTests/Fixtures/make_loss_fixtures.py

Inputs are shared between cases to keep the file small. Each case `<name>` records `<name>.out` (the loss)
and `<name>.grad.<input>` (the gradient of `(out * g).sum()` with respect to that input, where `g` is
`linspace(-1, 1, out.numel())` shaped like `out` for unreduced losses and 1 for scalar losses; the Swift
test rebuilds the same `g`).
"""
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402
from fastmri.losses import SSIMLoss  # noqa: E402
from monai.losses import (  # noqa: E402
    DiceCELoss,
    DiceFocalLoss,
    DiceLoss,
    FocalLoss,
    GeneralizedDiceLoss,
    TverskyLoss,
)

torch.manual_seed(0)
out = {}

# Shared inputs. Class 2 is absent from item 0 of the 2-d labels, so generalised Dice meets an infinite weight.
logits2d = torch.randn(2, 3, 5, 5)
labels2d = torch.randint(0, 3, (2, 1, 5, 5)).float()
labels2d[0][labels2d[0] == 2] = 1
onehot2d = F.one_hot(labels2d[:, 0].long(), 3).permute(0, 3, 1, 2).float()
probs2d = torch.rand(2, 3, 5, 5)
logits3d = torch.randn(1, 2, 4, 5, 5)
labels3d = torch.randint(0, 2, (1, 1, 4, 5, 5)).float()
out.update(logits2d=logits2d, labels2d=labels2d, onehot2d=onehot2d, probs2d=probs2d, logits3d=logits3d,
           labels3d=labels3d)


def upstream(value):
    if value.dim() == 0:
        return torch.ones(())
    return torch.linspace(-1, 1, value.numel()).reshape(value.shape)


def case(name, fn, gradients=True, **inputs):
    """Records fn(**inputs) and, with `gradients`, its gradients with respect to the inputs given by name."""
    leaves = {k: v.clone().requires_grad_(gradients) for k, v in inputs.items()}
    value = fn(**leaves)
    out[f"{name}.out"] = value.detach()
    if gradients:
        (value * upstream(value)).sum().backward()
        for key, leaf in leaves.items():
            out[f"{name}.grad.{key}"] = leaf.grad


# Dice family (MONAI): sigmoid vs softmax, index targets, background, batch, squared, Jaccard, reductions, weights.
case("dice_softmax_onehot", lambda x: DiceLoss(softmax=True)(x, onehot2d), x=logits2d)
case("dice_sigmoid_labels_nobg_sum",
     lambda x: DiceLoss(sigmoid=True, to_onehot_y=True, include_background=False, reduction="sum")(x, labels2d),
     x=logits2d)
case("dice_softmax_batch_squared",
     lambda x: DiceLoss(softmax=True, to_onehot_y=True, batch=True, squared_pred=True)(x, labels2d), x=logits2d)
case("dice_probs_jaccard_weight_none",
     lambda x: DiceLoss(jaccard=True, weight=[0.2, 0.3, 0.5], reduction="none")(x, onehot2d), x=probs2d)
case("dice_smoothing_none",
     lambda x: DiceLoss(softmax=True, smooth_nr=0.5, smooth_dr=1.0, reduction="none")(x, onehot2d), x=logits2d)
case("dice_other_act", lambda x: DiceLoss(other_act=torch.tanh)(x, onehot2d), x=logits2d)
case("dice3d_softmax_labels_nobg",
     lambda x: DiceLoss(softmax=True, to_onehot_y=True, include_background=False)(x, labels3d), x=logits3d)

case("gdl_square_softmax_labels", lambda x: GeneralizedDiceLoss(softmax=True, to_onehot_y=True)(x, labels2d),
     x=logits2d)
case("gdl_simple_sigmoid_batch",
     lambda x: GeneralizedDiceLoss(sigmoid=True, w_type="simple", batch=True)(x, onehot2d), x=logits2d)
case("gdl_uniform_nobg_none",
     lambda x: GeneralizedDiceLoss(w_type="uniform", include_background=False, reduction="none")(x, onehot2d),
     x=probs2d)

case("dicece_softmax_labels",
     lambda x: DiceCELoss(softmax=True, to_onehot_y=True, weight=torch.tensor([0.5, 1.0, 2.0]), lambda_dice=0.4,
                          lambda_ce=0.6)(x, labels2d), x=logits2d)
case("dicece_onehot_nobg_sum",
     lambda x: DiceCELoss(softmax=True, include_background=False, weight=torch.tensor([0.5, 1.0, 2.0]),
                          reduction="sum", label_smoothing=0.1)(x, onehot2d), x=logits2d)
case("dicece_single_channel",
     lambda x: DiceCELoss(sigmoid=True, weight=torch.tensor([2.0]))(x, (labels2d > 0).float()),
     x=logits2d[:, :1].contiguous())

case("focal_sigmoid_alpha", lambda x: FocalLoss(alpha=0.25)(x, onehot2d), x=logits2d)
case("focal_softmax_labels_weight_sum",
     lambda x: FocalLoss(use_softmax=True, to_onehot_y=True, gamma=1.5, weight=[1.0, 2.0, 3.0],
                         reduction="sum")(x, labels2d), x=logits2d)
case("focal_softmax_nobg_none",
     lambda x: FocalLoss(use_softmax=True, include_background=False, alpha=0.25, reduction="none")(x, onehot2d),
     x=logits2d)
case("focal_sigmoid_class_alpha", lambda x: FocalLoss(alpha=[0.2, 0.3, 0.5])(x, onehot2d), x=logits2d)
case("focal_softmax_class_alpha_nobg",
     lambda x: FocalLoss(use_softmax=True, include_background=False, alpha=[0.4, 0.6])(x, onehot2d), x=logits2d)
case("focal3d_sigmoid_labels",
     lambda x: FocalLoss(to_onehot_y=True, gamma=0.5, alpha=0.75)(x, labels3d), x=logits3d)

case("dicefocal_softmax_labels",
     lambda x: DiceFocalLoss(softmax=True, to_onehot_y=True, gamma=2.0, weight=[1.0, 2.0, 0.5], lambda_dice=0.7,
                             lambda_focal=0.3)(x, labels2d), x=logits2d)

case("tversky_softmax_labels",
     lambda x: TverskyLoss(softmax=True, to_onehot_y=True, alpha=0.3, beta=0.7)(x, labels2d), x=logits2d)
case("tversky3d_sigmoid_batch_none",
     lambda x: TverskyLoss(sigmoid=True, to_onehot_y=True, batch=True, alpha=0.6, beta=0.4,
                           reduction="none")(x, labels3d), x=logits3d)

# SSIM (fastMRI): gradients with respect to both images; per-item data range.
ssim_x = torch.rand(2, 1, 10, 10)
ssim_y = (ssim_x + 0.2 * torch.randn(2, 1, 10, 10)).clamp(min=0)
ssim_range = torch.tensor([1.0, 1.4])
out.update({"ssim.x": ssim_x, "ssim.y": ssim_y, "ssim.range": ssim_range})
case("ssim", lambda x, y: SSIMLoss()(x, y, ssim_range), x=ssim_x, y=ssim_y)
case("ssim_win5_unreduced", lambda x: SSIMLoss(win_size=5, k1=0.02, k2=0.05)(x, ssim_y, ssim_range, reduced=False),
     x=ssim_x)
# The protocol form takes the data range from the target's per-item maximum.
case("ssim_target_range",
     lambda x: SSIMLoss()(x, ssim_y, ssim_y.amax(dim=(1, 2, 3))), x=ssim_x)

# VAE regulariser of Myronenko (2018), written here from the paper as an independent reference:
# L = w_L2 * mean((reconstruction - image)^2) + w_KL * (1/N) * sum(mu^2 + sigma^2 - log sigma^2 - 1),
# N = voxels of the image (batch x spatial, channels excluded).
vae_image = logits3d.detach()
vae_reconstruction = vae_image + 0.3 * torch.randn_like(vae_image)
vae_mean = 0.5 * torch.randn(1, 16)
vae_std = torch.rand(1, 16) + 0.5
out.update({"vae.image": vae_image, "vae.reconstruction": vae_reconstruction, "vae.mean": vae_mean,
            "vae.std": vae_std})


def vae_reference(reconstruction, mean, std, l2_weight, kl_weight):
    voxels = vae_image.numel() // vae_image.shape[1]
    l2 = ((reconstruction - vae_image) ** 2).mean()
    kl = (mean ** 2 + std ** 2 - torch.log(std ** 2) - 1).sum() / voxels
    return l2_weight * l2 + kl_weight * kl


case("vae", lambda reconstruction, mean, std: vae_reference(reconstruction, mean, std, 0.1, 0.1),
     reconstruction=vae_reconstruction, mean=vae_mean, std=vae_std)
case("vae_weights", lambda reconstruction, mean, std: vae_reference(reconstruction, mean, std, 1.0, 0.5),
     reconstruction=vae_reconstruction, mean=vae_mean, std=vae_std)

# Weighted sum as in seed 004: 0.3 * Dice + 0.7 * BCE, on logits.
case("dice_bce_weighted",
     lambda x: 0.3 * DiceLoss(sigmoid=True)(x, onehot2d) + 0.7 * torch.nn.BCEWithLogitsLoss()(x, onehot2d),
     x=logits2d)

# Module forms of the PyTorch losses: values only, as their gradients are Functional's, tested with it.
case("torch_l1", lambda x: torch.nn.L1Loss(reduction="sum")(x, probs2d), gradients=False, x=logits2d)
case("torch_mse", lambda x: torch.nn.MSELoss()(x, probs2d), gradients=False, x=logits2d)
case("torch_smooth_l1", lambda x: torch.nn.SmoothL1Loss(beta=0.5)(x, probs2d), gradients=False, x=logits2d)
case("torch_bce", lambda x: torch.nn.BCELoss(weight=torch.tensor([0.5]))(x, onehot2d), gradients=False, x=probs2d)
case("torch_bce_logits",
     lambda x: torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 2.0, 3.0]).view(3, 1, 1))(x, onehot2d),
     gradients=False, x=logits2d)
case("torch_cross_entropy",
     lambda x: torch.nn.CrossEntropyLoss(weight=torch.tensor([0.5, 1.0, 2.0]), label_smoothing=0.1)(
         x, labels2d[:, 0].long()), gradients=False, x=logits2d)
case("torch_nll",
     lambda x: torch.nn.NLLLoss(ignore_index=1, reduction="sum")(x.log_softmax(1), labels2d[:, 0].long()),
     gradients=False, x=logits2d)
case("torch_huber", lambda x: torch.nn.HuberLoss(reduction="sum", delta=0.5)(x, probs2d), gradients=False, x=logits2d)

fixture_io.save("Tests/TorchNNTests/Fixtures/losses.json", out)
