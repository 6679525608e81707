"""Reference values for the metric tests. Run from the repository root with the torch environment:
    .venv/bin/python Tests/MRITests/Fixtures/make_metric_fixtures.py [--skimage-python PY]
Image quality: fastMRI 0.3.0's evaluate.nmse/psnr/ssim on scikit-image (run in PY, an environment with
skimage; see metric_skimage_reference.py), HFEN from a numpy port of MATLAB's fspecial('log', 15, 1.5)
with scipy's zero-padded correlation. Segmentation: MONAI 1.6.1. Average precision: an independent numpy
step sum over distinct thresholds (scikit-learn's definition; sklearn is not installed)."""
import argparse
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import scipy.ndimage
import torch

import fastmri
import monai
from monai.metrics import (compute_average_surface_distance, compute_confusion_matrix_metric, compute_dice,
                           compute_hausdorff_distance, compute_iou, compute_roc_auc, get_confusion_matrix)
from monai.metrics.utils import do_metric_reduction

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

warnings.filterwarnings("ignore")
assert monai.__version__ == "1.6.1", monai.__version__
parser = argparse.ArgumentParser()
parser.add_argument("--skimage-python", default=".venv-mri/bin/python")
args = parser.parse_args()

rng = np.random.default_rng(4)
fixture = {}


def f64(value):
    return torch.tensor(np.asarray(value, dtype=np.float64))


# MARK: image quality
def phantom(shape):
    slices, height, width = shape
    y, x = np.meshgrid(np.linspace(-1, 1, height), np.linspace(-1, 1, width), indexing="ij")
    volume = []
    for s in range(slices):
        image = (x**2 / 0.6 + y**2 / 0.8 < 1) * (1.0 + 0.2 * s) + 0.5 * ((x - 0.2) ** 2 + (y + 0.1) ** 2 < 0.1)
        volume.append(image + 0.05 * rng.standard_normal((height, width)))
    return np.abs(np.stack(volume)).astype(np.float32)


images = {}
for name, shape in (("odd", (3, 21, 17)), ("even", (2, 16, 20))):
    target = phantom(shape)
    prediction = np.abs(target + 0.1 * rng.standard_normal(shape)).astype(np.float32)
    prediction = scipy.ndimage.uniform_filter(prediction, size=(1, 2, 2)).astype(np.float32)
    # Multiples of 2^-10 are exact in float32 and short in JSON.
    target, prediction = (np.round(v * 1024).astype(np.float32) / 1024 for v in (target, prediction))
    mask = (target > 0.5)
    images |= {f"{name}.target": target, f"{name}.prediction": prediction, f"{name}.mask": mask}
    fixture |= {f"{name}.target": torch.from_numpy(target), f"{name}.prediction": torch.from_numpy(prediction),
                f"{name}.mask": torch.from_numpy(mask)}


def fspecial_log(size=15, sigma=1.5):
    half = (size - 1) / 2
    y, x = np.mgrid[-half:half + 1, -half:half + 1]
    h = np.exp(-(x * x + y * y) / (2 * sigma**2))
    h[h < np.finfo(float).eps * h.max()] = 0
    h /= h.sum()
    h1 = h * (x * x + y * y - 2 * sigma**2) / sigma**4
    return h1 - h1.sum() / h1.size


with tempfile.TemporaryDirectory() as scratch:
    np.savez(os.path.join(scratch, "in.npz"), **images)
    evaluate = os.path.join(os.path.dirname(fastmri.__file__), "evaluate.py")
    subprocess.run([args.skimage_python, "Tests/MRITests/Fixtures/metric_skimage_reference.py", evaluate,
                    os.path.join(scratch, "in.npz"), os.path.join(scratch, "out.npz")], check=True)
    for key, value in np.load(os.path.join(scratch, "out.npz")).items():
        fixture[key] = f64(value)

kernel = fspecial_log()
for name in ("odd", "even"):
    gt = images[f"{name}.target"].astype(np.float64)
    pred = images[f"{name}.prediction"].astype(np.float64)
    log = lambda v: np.stack([scipy.ndimage.correlate(s, kernel, mode="constant") for s in v])  # noqa: E731
    fixture[f"{name}.hfen"] = f64(np.linalg.norm(log(pred) - log(gt)) / np.linalg.norm(log(gt)))


# MARK: segmentation
def one_hot(labels, classes):
    return torch.nn.functional.one_hot(torch.from_numpy(labels), classes).movedim(-1, 1).float()


def blobs(batch, shape, classes):
    grids = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
    labels = np.zeros((batch,) + shape, dtype=np.int64)
    for b in range(batch):
        for c in range(1, classes):
            centre = [rng.uniform(0.25 * n, 0.75 * n) for n in shape]
            radii = [rng.uniform(0.15 * n, 0.3 * n) for n in shape]
            inside = sum(((g - m) / r) ** 2 for g, m, r in zip(grids, centre, radii)) < 1
            labels[b][inside] = c
    return labels


def segmentation_case(name, shape, batch, spacing):
    classes = 3
    truth = blobs(batch, shape, classes)
    predicted = truth.copy()
    for b in range(batch):  # shift and erode the prediction a little
        predicted[b] = np.roll(truth[b], shift=1, axis=0)
        predicted[b][rng.random(shape) < 0.05] = 0
    truth[0][truth[0] == 2] = 0          # sample 0: class 2 absent from the ground truth only
    predicted[1][predicted[1] == 1] = 0  # sample 1: class 1 absent from the prediction only
    truth[2][truth[2] == 2] = 0          # sample 2: class 2 absent from both
    predicted[2][predicted[2] == 2] = 0
    y_pred, y = one_hot(predicted, classes), one_hot(truth, classes)
    out = {f"{name}.prediction": y_pred.bool(), f"{name}.target": y.bool()}
    for background in (True, False):
        tag = f"{name}.bg{int(background)}"
        for empty in (True, False):
            out[f"{tag}.dice.ignore{int(empty)}"] = compute_dice(y_pred, y, include_background=background,
                                                                ignore_empty=empty)
            out[f"{tag}.iou.ignore{int(empty)}"] = compute_iou(y_pred, y, include_background=background,
                                                              ignore_empty=empty)
        matrix = get_confusion_matrix(y_pred, y, include_background=background)
        out[f"{tag}.confusion"] = matrix
        for metric in ("sensitivity", "specificity", "precision", "negative predictive value", "f1 score",
                       "accuracy", "matthews correlation coefficient"):
            key = metric.replace(" ", "_")
            out[f"{tag}.{key}.sample"] = compute_confusion_matrix_metric(metric, matrix)
            out[f"{tag}.{key}.aggregate"] = compute_confusion_matrix_metric(metric, do_metric_reduction(matrix, "mean")[0])
        for percentile in (None, 95):
            for directed in (False, True):
                out[f"{tag}.hd{percentile or ''}.directed{int(directed)}"] = compute_hausdorff_distance(
                    y_pred, y, include_background=background, percentile=percentile, directed=directed,
                    spacing=spacing)
        for symmetric in (False, True):
            out[f"{tag}.asd.symmetric{int(symmetric)}"] = compute_average_surface_distance(
                y_pred, y, include_background=background, symmetric=symmetric, spacing=spacing)
    return out


fixture |= segmentation_case("seg2d", (23, 20), 3, [0.7, 1.3])
fixture |= segmentation_case("seg3d", (10, 12, 8), 3, [1.5, 0.8, 2.0])

features = rng.random((7, 9, 6)) < 0.04
fixture["edt.features"] = torch.from_numpy(features)
fixture["edt.distance"] = f64(scipy.ndimage.distance_transform_edt(~features, sampling=[1.5, 0.8, 2.0]))

table = torch.tensor([[0.5, float("nan"), 2.0], [float("nan"), float("nan"), float("nan")],
                      [1.0, 3.0, float("inf")], [4.0, float("nan"), 0.25]])
fixture["reduction.input"] = table
for reduction in ("mean", "sum", "mean_batch", "sum_batch", "mean_channel", "sum_channel"):
    fixture[f"reduction.{reduction}"] = do_metric_reduction(table.clone(), reduction)[0]


# MARK: ranking
scores = np.round(rng.random((40, 4)), 1)  # one decimal: many tied scores
labels = (rng.random((40, 4)) < scores * 0.8 + 0.1).astype(np.float64)
labels[:, 3] = 0  # a class without positives: undefined
fixture["ranking.scores"] = torch.from_numpy(scores)
fixture["ranking.labels"] = torch.from_numpy(labels)
for average in ("macro", "weighted", "micro", "none"):
    fixture[f"ranking.roc.{average}"] = f64(compute_roc_auc(torch.from_numpy(scores), torch.from_numpy(labels),
                                                            average=average))
fixture["ranking.roc.defined"] = f64(compute_roc_auc(torch.from_numpy(scores[:, :3]),
                                                     torch.from_numpy(labels[:, :3]), average="macro"))


def average_precision(score, label):
    """sum over distinct thresholds t (descending) of (recall(t) - recall(previous)) * precision(t)."""
    result, previous_recall = 0.0, 0.0
    for threshold in np.unique(score)[::-1]:
        chosen = score >= threshold
        recall = label[chosen].sum() / label.sum()
        result += (recall - previous_recall) * label[chosen].mean()
        previous_recall = recall
    return result


fixture["ranking.ap.none"] = f64([average_precision(scores[:, c], labels[:, c]) for c in range(3)])
fixture["ranking.ap.micro"] = f64(average_precision(scores[:, :3].ravel(), labels[:, :3].ravel()))

# JSON has no NaN or infinity: results store them as 0 plus the masks `<name>.nan` and `<name>.inf` (+∞).
inputs = (".prediction", ".target", ".mask", ".input", ".scores", ".labels")
for key in [k for k, v in fixture.items() if v.is_floating_point() and not k.endswith(inputs)]:
    value = fixture[key]
    fixture[key + ".nan"], fixture[key + ".inf"] = value.isnan(), value.isposinf()
    fixture[key] = torch.where(value.isfinite(), value, torch.zeros_like(value))
    assert not value.isneginf().any()
reduction_input = fixture["reduction.input"]
fixture["reduction.input.nan"] = reduction_input.isnan()
fixture["reduction.input.inf"] = reduction_input.isposinf()
fixture["reduction.input"] = torch.where(reduction_input.isfinite(), reduction_input, 0)

fixture_io.save("Tests/MRITests/Fixtures/metrics.json", fixture)
