# MONAI 1.6.1 sliding_window_inference on small 2-D and 3-D inputs with a fixed convolution +
# sigmoid as the predictor, for the SlidingWindowInference tests.
# Run from the repository root: .venv/bin/python Tests/MRITrainingTests/Fixtures/make_sliding_window_fixtures.py
import sys
import torch
import torch.nn.functional as F
from monai.inferers import sliding_window_inference

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io

torch.manual_seed(0)
out = {}
cases = {
    # name: (input shape, roi, overlap, mode, sw_batch_size)
    "volume_gaussian": ((2, 2, 11, 9, 7), (6, 6, 6), 0.25, "gaussian", 3),
    "volume_constant": ((1, 2, 10, 8, 7), (6, 6, 4), 0.5, "constant", 1),
    "image_padded": ((1, 2, 5, 19), (8, 8), 0.25, "gaussian", 2),
}
for name, (shape, roi, overlap, mode, batch) in cases.items():
    spatial = len(shape) - 2
    x = torch.randn(shape)
    weight = torch.randn((3, 2) + (3,) * spatial) * 0.3
    conv = F.conv3d if spatial == 3 else F.conv2d
    predictor = lambda patch: torch.sigmoid(conv(patch, weight, padding=1))
    y = sliding_window_inference(x, roi, batch, predictor, overlap=overlap, mode=mode)
    out[f"{name}_input"] = x
    out[f"{name}_weight"] = weight
    out[f"{name}_output"] = y.as_tensor() if hasattr(y, "as_tensor") else y
fixture_io.save("Tests/MRITrainingTests/Fixtures/sliding_window.json", out)
