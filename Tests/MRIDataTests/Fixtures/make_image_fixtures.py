"""TIFF and PNG fixtures for MRIDataTests (run from the repo root with the project's Python).

TIFF files as the LGG kaggle_3m dataset has them (RGB image, single-channel mask), plus the
other sample sizes and compressions MRIKit reads, written by tifffile and Pillow; PNG files
written by Pillow; their pixels ([channels, H, W]) into images.json; malformed files into
images/bad/. Also the overlay MRIKit should draw, computed here with numpy.
"""
import os
import sys

import numpy as np
import tifffile
import torch
from PIL import Image

sys.path.insert(0, "Tests/TorchTestSupport")
import fixture_io  # noqa: E402

out = "Tests/MRIDataTests/Fixtures/images"
os.makedirs(f"{out}/bad", exist_ok=True)
rng = np.random.default_rng(11)
expected = {}


def chw(array):
    """[H, W] or [H, W, C] -> [C, H, W], uint16 widened to int32 (MRIKit's layout and types)."""
    if array.ndim == 2:
        array = array[:, :, None]
    array = np.ascontiguousarray(array.transpose(2, 0, 1))
    return torch.from_numpy(array.astype(np.int32) if array.dtype == np.uint16 else array.copy())


rgb = rng.integers(0, 256, (12, 10, 3), dtype=np.uint8)
mask = (rng.random((12, 10)) > 0.7).astype(np.uint8) * 255
gray16 = rng.integers(0, 65536, (9, 7), dtype=np.uint16)
two = rng.integers(0, 256, (6, 5, 2), dtype=np.uint8)
rgb16 = rng.integers(0, 65536, (5, 4, 3), dtype=np.uint16)
tiffs = {
    "gray16_deflate": (gray16, dict(photometric="minisblack", compression="zlib")),
    "rgb_uncompressed": (rgb, dict(photometric="rgb")),
    "rgb_planar": (np.ascontiguousarray(rgb.transpose(2, 0, 1)), dict(photometric="rgb", planarconfig="separate", compression="zlib")),
    "two_channel": (two, dict(photometric="minisblack", planarconfig="contig", extrasamples=[0])),
    "rgb16_deflate": (rgb16, dict(photometric="rgb", compression="zlib")),
}
for name, (array, options) in tiffs.items():
    tifffile.imwrite(f"{out}/{name}.tif", array, **options)
    back = tifffile.imread(f"{out}/{name}.tif")
    # Separate planes read as [C, H, W] already.
    expected[name] = torch.from_numpy(back) if options.get("planarconfig") == "separate" else chw(back)
# LZW (the kaggle_3m images' compression) and PackBits through Pillow's libtiff: tifffile needs
# imagecodecs for them.
Image.fromarray(rgb).save(f"{out}/rgb_lzw.tif", compression="tiff_lzw")
Image.fromarray(mask).save(f"{out}/mask_lzw.tif", compression="tiff_lzw")
expected["rgb_lzw"] = chw(np.asarray(Image.open(f"{out}/rgb_lzw.tif")))
expected["mask_lzw"] = chw(np.asarray(Image.open(f"{out}/mask_lzw.tif")))
Image.fromarray(mask).save(f"{out}/mask_packbits.tif", compression="packbits")
expected["mask_packbits"] = chw(np.asarray(Image.open(f"{out}/mask_packbits.tif")))

# PNGs from Pillow: 8-bit gray, 16-bit gray, RGB.
Image.fromarray(mask).save(f"{out}/gray8.png")
Image.fromarray(gray16).save(f"{out}/gray16.png")
Image.fromarray(rgb).save(f"{out}/rgb.png")
expected["gray8"] = chw(np.asarray(Image.open(f"{out}/gray8.png")))
expected["gray16"] = chw(np.asarray(Image.open(f"{out}/gray16.png")).astype(np.uint16))
expected["rgb"] = chw(np.asarray(Image.open(f"{out}/rgb.png")))

# The overlay: min-max scaled gray, labels blended with red/green/blue... at opacity 0.4.
image = rng.standard_normal((6, 8)).astype(np.float32)
labels = rng.integers(0, 8, (6, 8))
colors = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255], [255, 0, 255]], np.float64)
gray = (image.astype(np.float64) - image.min()) / (image.max() - image.min()) * 255
picture = np.repeat(gray[None], 3, axis=0)
for y in range(6):
    for x in range(8):
        if labels[y, x] > 0:
            picture[:, y, x] = 0.6 * gray[y, x] + 0.4 * colors[(labels[y, x] - 1) % 6]
expected["overlay_image"] = torch.from_numpy(image)
expected["overlay_labels"] = torch.from_numpy(labels)
expected["overlay"] = torch.from_numpy(np.clip(np.round(picture), 0, 255).astype(np.uint8))
fixture_io.save("Tests/MRIDataTests/Fixtures/images.json", expected)

# ---- malformed files ----
with open(f"{out}/rgb_lzw.tif", "rb") as f:
    tif = f.read()
with open(f"{out}/rgb.png", "rb") as f:
    png = f.read()


def bad(name, content):
    with open(f"{out}/bad/{name}", "wb") as f:
        f.write(content)


bad("truncated.tif", tif[: len(tif) // 2])  # Pillow puts the directory last: it is lost
with open(f"{out}/rgb_uncompressed.tif", "rb") as f:
    bad("truncated_data.tif", f.read()[:-100])  # tifffile puts the directory first: the pixels are cut
bad("not_tiff.tif", b"not a TIFF at all" * 10)
bad("empty.tif", b"")
tifffile.imwrite(f"{out}/bad/float32.tif", rng.standard_normal((4, 4)).astype(np.float32))
tifffile.imwrite(f"{out}/bad/int16.tif", rng.integers(-5, 5, (4, 4)).astype(np.int16))
tifffile.imwrite(f"{out}/bad/bits32.tif", rng.integers(0, 5, (4, 4)).astype(np.uint32))
tifffile.imwrite(f"{out}/bad/tiled.tif", rng.integers(0, 255, (32, 32)).astype(np.uint8), tile=(16, 16))
tifffile.imwrite(f"{out}/bad/five_channels.tif", rng.integers(0, 255, (5, 4, 4)).astype(np.uint8), photometric="minisblack", planarconfig="separate")
Image.fromarray(rgb).convert("P").save(f"{out}/bad/palette.tif")
bad("truncated.png", png[: len(png) // 2])
bad("not_png.png", b"not a PNG" * 10)
print("wrote", len(expected), "expected images")
