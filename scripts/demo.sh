#!/usr/bin/env bash
# Set-up and main job: install, build, write a synthetic ICANS study (bilateral thalamic hyperintensity with swelling)
# and run the whole pipeline on it; prints the summary. Outputs in out/demo/run (report.html, report.json, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
out=${ICANSCAN_DEMO_DIR:-out/demo}
rm -rf "$out"
./build/app/icanscan phantom thalamic_bilateral -o "$out/study"
./build/app/icanscan run "$out/study/dicom" -o "$out/run"
echo "report: $out/run/report.html (truth of the synthetic study: $out/study/truth/truth.json)"
