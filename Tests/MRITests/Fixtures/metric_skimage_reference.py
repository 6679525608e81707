"""The skimage half of make_metric_fixtures.py: fastMRI's own nmse/psnr/ssim (taken from the installed
fastmri/evaluate.py, whose module imports torch, so only these functions are loaded) on skimage, in the
numpy<2.3 + scikit-image environment. Usage: metric_skimage_reference.py <evaluate.py> <in.npz> <out.npz>."""
import ast
import sys
from typing import Optional

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

evaluate_path, in_path, out_path = sys.argv[1:4]
tree = ast.parse(open(evaluate_path).read())
wanted = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in ("nmse", "psnr", "ssim")]
namespace = {"np": np, "Optional": Optional, "peak_signal_noise_ratio": peak_signal_noise_ratio,
             "structural_similarity": structural_similarity}
exec(compile(ast.Module(body=wanted, type_ignores=[]), evaluate_path, "exec"), namespace)

inputs = np.load(in_path)
out = {}
for name in ("odd", "even"):
    # float64 inputs: skimage then computes in float64, the precision MRIKit's metrics use.
    gt = inputs[f"{name}.target"].astype(np.float64)
    pred = inputs[f"{name}.prediction"].astype(np.float64)
    out[f"{name}.nmse"] = namespace["nmse"](gt, pred)
    out[f"{name}.psnr"] = namespace["psnr"](gt, pred)
    out[f"{name}.ssim"] = namespace["ssim"](gt, pred)[0]
    out[f"{name}.ssim_range"] = namespace["ssim"](gt, pred, maxval=2.5)[0]
    # SSIM on a mask: skimage's full map, cropped by its (7 - 1) / 2 border, averaged over mask pixels.
    mask = inputs[f"{name}.mask"].astype(bool)
    maps = [structural_similarity(g, p, data_range=gt.max(), full=True)[1][3:-3, 3:-3] for g, p in zip(gt, pred)]
    out[f"{name}.masked_ssim"] = np.stack(maps)[mask[:, 3:-3, 3:-3]].mean()
np.savez(out_path, **out)
