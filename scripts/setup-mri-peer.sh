#!/usr/bin/env bash
# Creates .venv-mri/: the Python peers of the MRI benchmarks and fixture scripts
# (scikit-image, pygrappa, sigpy). pygrappa is only correct with numpy < 2.3, so this
# environment pins numpy 2.2.6 and stays apart from .venv. BART (Debian's `bart`)
# is installed when missing. Not needed to build or test MRIKit.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v bart >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq bart >&2
fi
[ -x .venv-mri/bin/python ] || python3 -m venv .venv-mri
if ! .venv-mri/bin/python -c 'import numpy, skimage, pygrappa, sigpy, scipy' >/dev/null 2>&1; then
    echo "setup-mri-peer: installing numpy 2.2.6, scikit-image, pygrappa, sigpy into .venv-mri" >&2
    .venv-mri/bin/python -m pip install -q --disable-pip-version-check \
        numpy==2.2.6 scipy scikit-image pygrappa sigpy
fi
