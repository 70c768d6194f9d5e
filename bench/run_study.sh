#!/usr/bin/env bash
# Benchmark (not a test): `icanscan run` on a whole synthetic study, clinical 5 mm and 3D 1 mm geometry: wall time and
# peak memory (GNU time). Goal of the run issue: <= 60 s and <= 4 GB on 2 cores.
# Usage: bench/run_study.sh [CASE]   (build first: bash scripts/build.sh; default case thalamic_bilateral)
set -euo pipefail
cd "$(dirname "$0")/.."
case_name=${1:-thalamic_bilateral}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for geometry in clinical 3d; do
  ./build/app/icanscan phantom "$case_name" -o "$work/$geometry" --geometry "$geometry" --seed 5 >/dev/null 2>&1
  /usr/bin/time -f "$geometry: wall %e s, peak %M kB" ./build/app/icanscan run "$work/$geometry/dicom" \
    -o "$work/$geometry-run" >/dev/null 2>"$work/$geometry.log" || { tail -5 "$work/$geometry.log"; exit 1; }
  tail -1 "$work/$geometry.log"
  sed 's/^/  /' "$work/$geometry-run/timing.tsv"
done
