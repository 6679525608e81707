#!/usr/bin/env bash
# Builds a release `mrikit` for a Linux x86-64 machine that has PyTorch 2.11 but neither Swift nor
# the Debian format libraries (e.g. a GPU machine): the Swift runtime is linked statically, and
# every shared library the binary needs besides libtorch and the C/C++ runtime (HDF5, nifti_clib,
# libtiff, libpng, libdeflate, dcmtk, libismrmrd and what those load) is copied into lib/ next to
# it, found through an RPATH of $ORIGIN/lib. The result is dist/mrikit-linux-x86_64.tar.xz:
#   tar xJf mrikit-linux-x86_64.tar.xz
#   export LD_LIBRARY_PATH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
#   mrikit-linux-x86_64/mrikit info    # loads libtorch_cuda.so from that directory when present
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
command -v patchelf >/dev/null || { apt-get install -y -qq patchelf >&2 || sudo apt-get install -y -qq patchelf >&2; }
export PKG_CONFIG_PATH="$PWD/.venv/pkgconfig"
swift build -c release --static-swift-stdlib --product mrikit

name=mrikit-linux-x86_64
bundle=dist/$name
rm -rf "$bundle" && mkdir -p "$bundle/lib"
cp .build/release/mrikit "$bundle/mrikit"
strip "$bundle/mrikit"
# What the target machine provides itself: glibc, the C++ runtime, and libtorch (from its wheel).
system='^(linux-vdso|ld-linux|libc|libm|libdl|libpthread|librt|libresolv|libstdc\+\+|libgcc_s)\.so'
torch_lib=$(sed -n 's/^prefix=//p' .venv/pkgconfig/libtorch.pc)/lib
ldd .build/release/mrikit | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r library path; do
    [[ $library =~ $system || $path == "$torch_lib"/* ]] && continue
    cp -L "$path" "$bundle/lib/$library"
done
# DT_RPATH (not RUNPATH) so that the libraries' own dependencies are found in lib/ too.
patchelf --force-rpath --set-rpath '$ORIGIN/lib' "$bundle/mrikit"
for library in "$bundle"/lib/*.so*; do patchelf --force-rpath --set-rpath '$ORIGIN' "$library"; done
# Every bundled library must resolve inside the bundle or the system set above.
if LD_LIBRARY_PATH="$torch_lib" ldd "$bundle/mrikit" | grep -q "not found"; then
    echo "build-portable: unresolved libraries:" >&2
    LD_LIBRARY_PATH="$torch_lib" ldd "$bundle/mrikit" | grep "not found" >&2
    exit 1
fi
tar -C dist -cJf "dist/$name.tar.xz" "$name"
ls -l "dist/$name.tar.xz"
echo "bundled $(ls "$bundle/lib" | wc -l) libraries: $(ls "$bundle/lib" | tr '\n' ' ')"
