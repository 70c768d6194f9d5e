#!/usr/bin/env bash
# Benchmark (not a test): icanscan's rigid registration vs elastix (bench/elastix_rigid.txt) on synthetic thick-slice
# pairs with a known motion of 1-3 degrees and 1-3 mm: T2 0.45 x 0.45 x 5 mm (fixed) against FLAIR 1.8 x 1.8 x 5 mm
# (odd seeds) or DWI b0 2 x 2 x 5 mm (even seeds), slices offset by half a slice. Both get the fixed brain mask.
# Reports the target registration error (mean over brain points, mm) and the wall time of each tool per pair.
# Usage: bench/rigid_vs_elastix.sh [PAIRS]   (build first; BUILD_DIR defaults to ./build)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-6}
build=${BUILD_DIR:-build}
tool=$build/bench/icanscan_bench_rigid
params=bench/elastix_rigid.txt
threads=${THREADS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf "%-5s %-6s %12s %12s %12s %12s\n" pair moving ours_tre_mm ours_s elastix_tre_mm elastix_s
for seed in $(seq 1 "$pairs"); do
  dir=$work/pair$seed
  kind=$("$tool" make-pair "$dir" "$seed" | awk '{print $4}')

  t0=$(now)
  ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS=$threads "$tool" register "$dir" > /dev/null
  t1=$(now)
  ours_s=$(elapsed "$t0" "$t1")
  ours_tre=$("$tool" tre "$dir" "$dir/ours.tfm" | awk '{print $2}')

  mkdir -p "$dir/elastix"
  t0=$(now)
  elastix -f "$dir/fixed.nii.gz" -m "$dir/moving.nii.gz" -fMask "$dir/fixed_mask.nii.gz" -p "$params" \
    -out "$dir/elastix" -threads "$threads" > /dev/null
  t1=$(now)
  elastix_s=$(elapsed "$t0" "$t1")
  transformix -def "$dir/points.txt" -tp "$dir/elastix/TransformParameters.0.txt" -out "$dir/elastix" > /dev/null
  elastix_tre=$("$tool" tre "$dir" "$dir/elastix/outputpoints.txt" | awk '{print $2}')

  printf "%-5s %-6s %12.3f %12s %12.3f %12s\n" "$seed" "$kind" "$ours_tre" "$ours_s" "$elastix_tre" "$elastix_s"
  echo "$ours_tre $ours_s $elastix_tre $elastix_s" >> "$work/results"
done
printf "%-12s %12.3f %12s %12.3f %12s\n" median \
  "$(awk '{print $1}' "$work/results" | median)" "$(awk '{print $2}' "$work/results" | median)" \
  "$(awk '{print $3}' "$work/results" | median)" "$(awk '{print $4}' "$work/results" | median)"
