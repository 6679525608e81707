#!/usr/bin/env bash
# Makes `import torch` work in .venv, for the benchmarks' Python peer and for
# regenerating fixtures (which also use safetensors, MONAI, fastMRI, nibabel, tifffile, pydicom and Pillow). Not needed to build or test MRIKit. libtorch's Python
# module loads every CUDA library at import, so the wheels of all of them come in
# (about 3.4 GB), each with --no-deps so pip never replaces the pinned torch.
set -euo pipefail
cd "$(dirname "$0")/.."
if .venv/bin/python -c 'import torch, numpy, safetensors, monai, fastmri, nibabel, tifffile, pydicom, PIL' >/dev/null 2>&1; then exit 0; fi
echo "setup-python-peer: installing PyTorch's CUDA wheels and helpers into .venv" >&2
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps \
    nvidia-cublas==13.1.0.3 nvidia-cufft==12.0.0.61 nvidia-cufile==1.15.1.6 \
    nvidia-curand==10.4.0.35 nvidia-cusparse==12.6.3.3 nvidia-nvjitlink==13.0.88 \
    nvidia-cusparselt-cu13==0.8.0 nvidia-nccl-cu13==2.28.9 nvidia-cudnn-cu13==9.19.0.56 \
    nvidia-nvshmem-cu13==3.4.5 \
    typing_extensions sympy mpmath filelock fsspec networkx jinja2 markupsafe numpy safetensors \
    monai==1.6.1 fastmri==0.3.0 h5py pyyaml runstats scipy \
    nibabel==5.4.2 tifffile==2026.3.3 pydicom==3.0.2 pillow==13.0.0 packaging importlib_resources
