#!/usr/bin/env bash
# Builds a release `mrikit` with the Swift runtime linked statically, strips it and
# compresses it into dist/mrikit.xz, for a machine that has PyTorch 2.11 but no Swift
# (e.g. a GPU machine). There:
#   xz -dk dist/mrikit.xz && chmod +x dist/mrikit
#   export LD_LIBRARY_PATH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
#   dist/mrikit info    # loads libtorch_cuda.so from that directory when present
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
export PKG_CONFIG_PATH="$PWD/.venv/pkgconfig"
swift build -c release --static-swift-stdlib --product mrikit
mkdir -p dist
cp .build/release/mrikit dist/mrikit
strip dist/mrikit
xz -f -T0 dist/mrikit
ls -l dist/mrikit.xz
