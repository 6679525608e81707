"""Dataset fixtures for MRIDataTests (run from the repo root with the project's Python).

Writes tiny example folders in each source's real layout into Tests/MRIDataTests/Fixtures/datasets/
(cine.npz; kaggle_3m patient folders of TIFFs; BraTS case folders and an nnU-Net v2 folder of
NIfTIs), malformed variants of them, and the values the Swift datasets must produce into
datasets.json: undersampled cine samples (masks as Deep-MRI-Reconstruction's `cartesian_mask`),
min-max scaled LGG slices and their lesion weights (seed 004's formulas), MONAI-normalised BraTS
modalities and MONAI's BraTS regions, nnU-Net samples, and split membership
(torch.randperm with a seeded generator, as GroupSplit).
"""
import gzip
import json
import os
import shutil
import sys

import nibabel as nib
import numpy as np
import tifffile
import torch
from monai.transforms import ConvertToMultiChannelBasedOnBratsClasses, NormalizeIntensity

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

root = "Tests/MRIDataTests/Fixtures/datasets"
shutil.rmtree(root, ignore_errors=True)
os.makedirs(root)
rng = np.random.default_rng(11)
expected = {}


def group_split(groups, counts, seed):
    """GroupSplit's dealing: groups (in first-appearance order) shuffled by randperm(seed)."""
    order = torch.randperm(len(groups), generator=torch.Generator().manual_seed(seed)).tolist()
    parts, start = [], 0
    for count in counts:
        parts.append(sorted(i for g in order[start:start + count] for i in groups[g]))
        start += count
    return parts


def membership(parts, total):
    """[total] float: the part of each sample (-1 for none)."""
    where = torch.full((total,), -1.0)
    for part, indices in enumerate(parts):
        where[indices] = float(part)
    return where


def write_nifti(path, array):
    """Writes array as path (.nii.gz) with a zero gzip timestamp, so the bytes are reproducible."""
    nib.save(nib.Nifti1Image(array, np.diag([1.0, 1.0, 1.5, 1.0])), path[:-3])
    with open(path[:-3], "rb") as f:
        raw = f.read()
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
        z.write(raw)
    os.remove(path[:-3])


# --- Cine (seed 001): cine.npz [nsamples, nt, nx, ny] complex -------------------------------------

def cartesian_mask(shape, acc, sample_n, seed):
    """Deep-MRI-Reconstruction's cartesian_mask(shape, acc, sample_n, centred=True) after np.random.seed(seed)."""
    np.random.seed(seed)
    n, nx, ny = int(np.prod(shape[:-2])), shape[-2], shape[-1]
    pdf = np.exp(-(0.5 / (nx / 10.0) ** 2) * (np.arange(nx) - nx / 2) ** 2) + (nx / (2.0 * acc)) / nx
    lines = int(nx / acc)
    pdf[nx // 2 - sample_n // 2: nx // 2 + sample_n // 2] = 0
    pdf /= pdf.sum()
    lines -= sample_n
    mask = np.zeros((n, nx))
    for i in range(n):
        mask[i, np.random.choice(nx, lines, False, pdf)] = 1
    mask[:, nx // 2 - sample_n // 2: nx // 2 + sample_n // 2] = 1
    return np.broadcast_to(mask[:, :, None], (n, nx, ny)).reshape(shape)


def fft2c(x):
    return torch.fft.fftshift(torch.fft.fft2(torch.fft.ifftshift(x, dim=(-2, -1)), norm="ortho"), dim=(-2, -1))


def ifft2c(k):
    return torch.fft.fftshift(torch.fft.ifft2(torch.fft.ifftshift(k, dim=(-2, -1)), norm="ortho"), dim=(-2, -1))


cine = (rng.standard_normal((7, 2, 16, 4)) + 1j * rng.standard_normal((7, 2, 16, 4))).astype(np.complex64)
np.savez(f"{root}/cine.npz", dataset=cine)
np.savez(f"{root}/cine_no_dataset.npz", images=cine[:1])
np.savez(f"{root}/cine_3d.npz", dataset=cine[0])
target = torch.from_numpy(cine[3])
mask = torch.tensor(cartesian_mask((2, 16, 4), 2, 4, seed=3), dtype=torch.float32)
kspace = fft2c(target) * mask
expected.update(cine_target=target, cine_mask=mask, cine_kspace=kspace, cine_image=ifft2c(kspace))
expected["cine_split"] = membership(group_split([[i] for i in range(7)], [4, 1, 2], seed=5), 7)

# --- LGG kaggle_3m (seed 004): patient folders of RGB slices and masks ----------------------------

lgg = f"{root}/kaggle_3m"
patients = {"TCGA_CS_4941_19960909": [1, 2, 10], "TCGA_DU_5855_19951217": [1, 2], "TCGA_HT_7602_19951103": [1, 2]}
os.makedirs(lgg)
with open(f"{lgg}/data.csv", "w") as f:
    f.write("Patient,RNASeqCluster\n")
slices = []
for patient, numbers in patients.items():
    os.makedirs(f"{lgg}/{patient}")
    for n in numbers:
        image = rng.integers(10, 240, (8, 8, 3), dtype=np.uint8)
        lesion = np.zeros((8, 8), dtype=np.uint8)
        size = int(rng.integers(0, 4))
        lesion[2:2 + size, 3:3 + size + 1] = 255 if size else 0
        tifffile.imwrite(f"{lgg}/{patient}/{patient}_{n}.tif", image, photometric="rgb")
        tifffile.imwrite(f"{lgg}/{patient}/{patient}_{n}_mask.tif", lesion, photometric="minisblack")
        slices.append((patient, image, lesion))
# Samples are ordered by patient, then numerically by slice: sample 2 is TCGA_CS_4941's slice 10.
image = torch.from_numpy(slices[2][1]).permute(2, 0, 1).float() / 255
expected["lgg_image"] = (image - image.min()) / (image.max() - image.min() + 1e-5)
expected["lgg_mask"] = torch.from_numpy(slices[2][2]).float().unsqueeze(0) / 255
areas = np.array([(s[2] / 255).sum() for s in slices])
expected["lgg_weights"] = torch.tensor((areas + areas.sum() * 0.1 / len(areas)) / (areas.sum() * 1.1))
groups = [[0, 1, 2], [3, 4], [5, 6]]
expected["lgg_split"] = membership(group_split(groups, [2, 1], seed=3), 7)

bad = f"{root}/kaggle_3m_missing_mask/TCGA_CS_4941_19960909"
os.makedirs(bad)
tifffile.imwrite(f"{bad}/TCGA_CS_4941_19960909_1.tif", slices[0][1], photometric="rgb")
bad = f"{root}/kaggle_3m_bad_mask/TCGA_CS_4941_19960909"
os.makedirs(bad)
tifffile.imwrite(f"{bad}/TCGA_CS_4941_19960909_1.tif", slices[0][1], photometric="rgb")
tifffile.imwrite(f"{bad}/TCGA_CS_4941_19960909_1_mask.tif", np.zeros((6, 8), np.uint8), photometric="minisblack")
# A good slice beside the bad one: a loader skipping bad samples still gets it.
tifffile.imwrite(f"{bad}/TCGA_CS_4941_19960909_2.tif", slices[1][1], photometric="rgb")
tifffile.imwrite(f"{bad}/TCGA_CS_4941_19960909_2_mask.tif", slices[1][2], photometric="minisblack")

# --- BraTS (seed 002): case folders of four modalities and a segmentation -------------------------

modalities = ["t1", "t1ce", "flair", "t2"]


def brats_case(folder, name, shape=(6, 5, 4), seg_shape=None, skip=None, seg_values=(0, 1, 2, 4)):
    os.makedirs(f"{folder}/{name}")
    brain = np.zeros(shape, dtype=bool)
    brain[1:-1, 1:-1, :] = True
    volumes = []
    for modality in modalities:
        volume = np.where(brain, rng.integers(50, 900, shape), 0).astype(np.int16)
        volumes.append(volume)
        if modality != skip:
            write_nifti(f"{folder}/{name}/{name}_{modality}.nii.gz", volume)
    seg = np.where(brain, rng.choice(seg_values, shape), 0).astype(np.uint8)
    write_nifti(f"{folder}/{name}/{name}_seg.nii.gz", seg if seg_shape is None else seg[: seg_shape[0]])
    return np.stack(volumes), seg


brats = f"{root}/brats"
cases = {name: brats_case(brats, name) for name in ["BraTS19_2013_0_1", "BraTS19_2013_1_1", "BraTS19_CBICA_AAB_1"]}
images, seg = cases["BraTS19_2013_1_1"]
expected["brats_image"] = NormalizeIntensity(nonzero=True, channel_wise=True)(torch.from_numpy(images).float())
expected["brats_label"] = ConvertToMultiChannelBasedOnBratsClasses()(torch.from_numpy(seg)[None]).float()
expected["brats_split"] = membership(group_split([[0], [1], [2]], [2, 1], seed=7), 3)
brats_case(f"{root}/brats_missing_modality", "BraTS19_2013_2_1", skip="t2")
brats_case(f"{root}/brats_bad_shape", "BraTS19_2013_3_1", seg_shape=(5,))
brats_case(f"{root}/brats_bad_labels", "BraTS19_2013_4_1", seg_values=(0, 1, 3))

# --- nnU-Net v2 raw folder: dataset.json, imagesTr/<case>_000C, labelsTr/<case> --------------------

description = {
    "channel_names": {"0": "T2", "1": "ADC"},
    "labels": {"background": 0, "PZ": 1, "TZ": 2},
    "numTraining": 2,
    "file_ending": ".nii.gz",
}


def nnunet_folder(folder, description, label_shape=(5, 4, 3)):
    os.makedirs(f"{folder}/imagesTr")
    os.makedirs(f"{folder}/labelsTr")
    with open(f"{folder}/dataset.json", "w") as f:
        json.dump(description, f, indent=1)
    for case in ["prostate_00", "prostate_01"]:
        channels = [rng.standard_normal((5, 4, 3)).astype(np.float32) for _ in range(2)]
        for c, channel in enumerate(channels):
            write_nifti(f"{folder}/imagesTr/{case}_{c:04d}.nii.gz", channel)
        label = rng.integers(0, 3, label_shape).astype(np.uint8)
        write_nifti(f"{folder}/labelsTr/{case}.nii.gz", label)
    return np.stack(channels), label


nnunet = f"{root}/Dataset005_Prostate"
channels, label = nnunet_folder(nnunet, description)
expected["nnunet_image"] = torch.from_numpy(channels)
expected["nnunet_label"] = torch.from_numpy(label).long()[None].float()
nnunet_folder(f"{root}/nnunet_bad_shape", description, label_shape=(5, 4, 2))
nnunet_folder(f"{root}/nnunet_bad_count", {**description, "numTraining": 3})
nnunet_folder(f"{root}/nnunet_bad_labels", {**description, "labels": {"background": 0, "PZ": "one"}})
nnunet_folder(f"{root}/nnunet_bad_channels", {**description, "channel_names": {"1": "T2"}})

fixture_io.save("Tests/MRIDataTests/Fixtures/datasets.json", expected)
