"""Sampler reference orders from PyTorch's own samplers (run from the repo root)."""
import sys

import torch
from torch.utils.data import DistributedSampler, WeightedRandomSampler

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

out = {}
# RandomSampler/DistributedSampler order of epoch e: randperm from manual_seed(seed + e).
for epoch in range(2):
    out[f"randperm_seed7_epoch{epoch}"] = torch.randperm(13, generator=torch.Generator().manual_seed(7 + epoch))

# DistributedSampler, padded and drop-last, 10 samples over 4 ranks, epoch 1.
for drop_last in (False, True):
    for rank in range(4):
        sampler = DistributedSampler(range(10), num_replicas=4, rank=rank, shuffle=True, seed=3, drop_last=drop_last)
        sampler.set_epoch(1)
        out[f"distributed_drop{int(drop_last)}_rank{rank}"] = torch.tensor(list(sampler))
    unshuffled = DistributedSampler(range(10), num_replicas=4, rank=1, shuffle=False, drop_last=drop_last)
    out[f"distributed_plain_drop{int(drop_last)}_rank1"] = torch.tensor(list(unshuffled))

# WeightedRandomSampler with an explicit generator seeded like our epoch 2 (seed 5 + 2).
weights = [0.1, 2.0, 0.0, 1.0, 3.5, 0.4]
for replacement in (True, False):
    generator = torch.Generator().manual_seed(5 + 2)
    sampler = WeightedRandomSampler(weights, num_samples=5, replacement=replacement, generator=generator)
    out[f"weighted_replacement{int(replacement)}"] = torch.tensor(list(sampler))
out["weights"] = torch.tensor(weights, dtype=torch.float64)

fixture_io.save("Tests/MRIDataTests/Fixtures/samplers.json", out)
