#!/usr/bin/env bash
# Set-up and main job on the built-in demo study: install, build, write the demo DICOM study, index and convert it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
out=${ICANSCAN_DEMO_DIR:-out/demo}
rm -rf "$out"
./build/app/icanscan demo "$out/study"
./build/app/icanscan index "$out/study"
./build/app/icanscan convert "$out/study" -o "$out/nifti"
echo "demo outputs in $out/nifti"
