# fastMRI's U-Net training as fastmri/pl_modules/unet_module.py (fastmri 0.3.0) runs it, without
# PyTorch Lightning: forward `unet(image.unsqueeze(1)).squeeze(1)` (UnetModule.forward), loss
# `F.l1_loss(output, batch.target)` (training_step), `torch.optim.RMSprop(params, lr, weight_decay)`
# and `StepLR(optim, lr_step_size, lr_gamma)` stepped once per epoch (configure_optimizers).
# Two epochs of two batches with lr 0.001, step size 1, gamma 0.5, for the U-Net recipe tests.
# Run from the repository root: .venv/bin/python Tests/MRITrainingTests/Fixtures/make_unet_recipe_fixtures.py
import sys
import types

import torch
import torch.nn.functional as F

import fastmri

# fastmri.data's package init imports its dataset classes, which need pandas (absent here, unused
# by the models): register the package without running its __init__.
_data = types.ModuleType("fastmri.data")
_data.__path__ = [fastmri.__path__[0] + "/data"]
sys.modules["fastmri.data"] = _data
from fastmri.models import Unet  # noqa: E402

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io

torch.manual_seed(0)
unet = Unet(in_chans=1, out_chans=1, chans=2, num_pool_layers=1, drop_prob=0.0)
out = {f"initial.{k}": v.clone() for k, v in unet.state_dict().items()}
batches = [(torch.randn(1, 16, 16), torch.randn(1, 16, 16)) for _ in range(2)]
for i, (image, target) in enumerate(batches):
    out[f"image{i}"], out[f"target{i}"] = image, target

optimizer = torch.optim.RMSprop(unet.parameters(), lr=0.001, weight_decay=0.0)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, 0.5)
unet.train()
for epoch in range(2):
    losses = []
    for image, target in batches:
        loss = F.l1_loss(unet(image.unsqueeze(1)).squeeze(1), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    out[f"epoch{epoch}_loss"] = torch.tensor(sum(losses) / len(losses), dtype=torch.float64)
    scheduler.step()
out.update({f"final.{k}": v.clone() for k, v in unet.state_dict().items()})
fixture_io.save("Tests/MRITrainingTests/Fixtures/unet_recipe_training.json", out)
