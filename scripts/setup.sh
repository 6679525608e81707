#!/usr/bin/env bash
# Idempotent set-up for building MRIKit on Debian (run as root or with sudo available).
#   - Debian packages the build needs (pkg-config, python3-venv, the -dev packages of the C
#     libraries behind the file formats, dcmtk and libismrmrd included), only when absent;
#   - .venv/ with the pinned libtorch wheel (torch 2.11.0, CPU use needs only the CUDA
#     runtime and CUPTI wheels besides it), unless LIBTORCH=/dir names a libtorch, plus the
#     pydicom wheel for the real MR files it carries (the DICOM tests read them);
#   - .venv/pkgconfig/libtorch.pc, through which Package.swift finds libtorch, and nifti2.pc
#     for nifti_clib, which Debian ships without one;
#   - data/mni152/, the demo's brain template (scripts/fetch-demo-data.sh; a failure only warns).
# Prints the libtorch directory on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH_VERSION=2.11.0
CUDA_RUNTIME_VERSION=13.0.96
CUPTI_VERSION=13.0.85
PYDICOM_VERSION=3.0.2

need_apt=()
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
# The C libraries behind MRIData's file formats (HDF5, NIfTI, TIFF, PNG, zlib, DICOM, ISMRMRD),
# libdeflate for fast whole-file gzip reads, and Gloo's headers for CTorch's c10d process groups
# (the torch wheel ships Gloo's code but not its headers).
for package in libhdf5-dev libnifti2-dev libtiff-dev libpng-dev zlib1g-dev libdcmtk-dev libismrmrd-dev \
    libdeflate-dev libgloo-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || need_apt+=("$package")
done
if ((${#need_apt[@]})); then
    echo "setup: installing Debian packages: ${need_apt[*]}" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ -n "${LIBTORCH:-}" ]; then
    torch_dir="$LIBTORCH"
    [ -f "$torch_dir/lib/libtorch_cpu.so" ] || { echo "setup: LIBTORCH=$torch_dir has no lib/libtorch_cpu.so" >&2; exit 1; }
    [ -d "$torch_dir/include/ATen" ] || { echo "setup: LIBTORCH=$torch_dir has no include/ATen" >&2; exit 1; }
    mkdir -p .venv
else
    [ -x .venv/bin/python ] || python3 -m venv .venv >&2
    installed=$(.venv/bin/python -m pip list --format=freeze 2>/dev/null || true)
    if ! grep -qx "torch==$TORCH_VERSION" <<<"$installed" \
        || ! grep -qx "nvidia-cuda-runtime==$CUDA_RUNTIME_VERSION" <<<"$installed" \
        || ! grep -qx "nvidia-cuda-cupti==$CUPTI_VERSION" <<<"$installed"; then
        echo "setup: installing torch==$TORCH_VERSION (libtorch) into .venv" >&2
        .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps \
            "torch==$TORCH_VERSION" "nvidia-cuda-runtime==$CUDA_RUNTIME_VERSION" \
            "nvidia-cuda-cupti==$CUPTI_VERSION" >&2
    fi
    # pydicom's wheel carries small real MR files (MR_small*.dcm) the DICOM tests read; its
    # Python code is not used. Never committed: fetched here.
    if ! grep -qx "pydicom==$PYDICOM_VERSION" <<<"$installed"; then
        echo "setup: installing pydicom==$PYDICOM_VERSION (its bundled MR test files) into .venv" >&2
        .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps "pydicom==$PYDICOM_VERSION" >&2
    fi
    torch_dir=$(cd .venv/lib/python3*/site-packages/torch && pwd)
fi

mkdir -p .venv/pkgconfig
pc=.venv/pkgconfig/libtorch.pc
content="prefix=$torch_dir
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libtorch
Description: PyTorch C++ library (CPU core; CUDA is loaded at run time when present)
Version: $TORCH_VERSION
Cflags: -I\${includedir} -I\${includedir}/torch/csrc/api/include
Libs: -L\${libdir} -ltorch_cpu -lc10"
if [ ! -f "$pc" ] || [ "$(cat "$pc")" != "$content" ]; then
    printf '%s\n' "$content" >"$pc"
fi

# nifti_clib (libnifti2-dev) ships no pkg-config file; Package.swift's CNIfTI target finds it through this one.
nifti_lib=$(dirname "$(find /usr/lib /usr/local/lib -name 'libnifti2.so' 2>/dev/null | head -n 1)")
nifti_pc=.venv/pkgconfig/nifti2.pc
nifti_content="libdir=$nifti_lib
includedir=/usr/include/nifti

Name: nifti2
Description: NIfTI-1 and NIfTI-2 file I/O (nifti_clib)
Version: $(dpkg-query -W -f='${Version}' libnifti2-dev | cut -d- -f1)
Libs: -L\${libdir} -lnifti2 -lznz
Cflags: -I\${includedir}"
if [ ! -f "$nifti_pc" ] || [ "$(cat "$nifti_pc")" != "$nifti_content" ]; then
    printf '%s\n' "$nifti_content" >"$nifti_pc"
fi
scripts/fetch-demo-data.sh || echo "setup: warning: could not fetch the demo's MNI152 template (only 'make demo' needs it)" >&2
echo "$torch_dir"
