#!/usr/bin/env bash
# Unpacks the MNI152 2009c T1 template and its gray/white-matter probability maps from the
# nilearn wheel on PyPI into data/mni152/ (the demo's real anatomy; about 5 MB). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
NILEARN_VERSION=0.14.1
target=data/mni152
files=(mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz
       mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz
       mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz)
missing=0
for file in "${files[@]}"; do [ -s "$target/$file" ] || missing=1; done
[ "$missing" = 0 ] && exit 0
echo "fetch-demo-data: unpacking the MNI152 template from nilearn==$NILEARN_VERSION" >&2
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
python3 -m pip download -q --disable-pip-version-check --no-deps "nilearn==$NILEARN_VERSION" -d "$download" >&2
mkdir -p "$target"
python3 - "$download"/nilearn-*.whl "$target" "${files[@]}" <<'PY'
import os, sys, zipfile
wheel, target, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as archive:
    for name in names:
        data = archive.read("nilearn/datasets/data/" + name)
        temporary = os.path.join(target, "." + name + ".tmp")
        with open(temporary, "wb") as out:
            out.write(data)
        os.replace(temporary, os.path.join(target, name))
PY
