#!/usr/bin/env bash
# Benchmark (not a test): `icanscan convert` vs `dcm2niix -z y` on the Philips DWI set (544 files) and on a
# generated study of 2000+ files. Median wall time over interleaved runs and peak resident memory of each tool.
# Usage: bench/convert_vs_dcm2niix.sh [RUNS]   (build first: bash scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
icanscan=./build/app/icanscan
testdata=${ICANSCAN_TESTDATA:-../shared/testdata}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

generated="$work/generated"
for i in $(seq 1 17); do "$icanscan" demo "$generated/study$i" --seed "$i" > /dev/null; done
sets=("generated:$generated")
[ -d "$testdata/dicom/dcm_qa_philips_dwi/In" ] && sets=("philips_dwi:$testdata/dicom/dcm_qa_philips_dwi/In" "${sets[@]}")

measure() { # prints "seconds peak_kb"
  local log="$work/time.log"
  /usr/bin/time -f "%e %M" -o "$log" "$@" > /dev/null 2>&1 || true
  cat "$log"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf "%-12s %6s %10s %10s %8s %12s %12s\n" set files icanscan_s dcm2niix_s ratio icanscan_MB dcm2niix_MB
for entry in "${sets[@]}"; do
  name=${entry%%:*}; dir=${entry#*:}
  files=$(find "$dir" -type f | wc -l)
  : > "$work/a"; : > "$work/b"; : > "$work/am"; : > "$work/bm"
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/o1" "$work/o2"; mkdir -p "$work/o2"
    read -r s m < <(measure "$icanscan" convert "$dir" -o "$work/o1"); echo "$s" >> "$work/a"; echo "$m" >> "$work/am"
    read -r s m < <(measure dcm2niix -z y -o "$work/o2" "$dir"); echo "$s" >> "$work/b"; echo "$m" >> "$work/bm"
  done
  a=$(median < "$work/a"); b=$(median < "$work/b")
  am=$(sort -g "$work/am" | tail -1); bm=$(sort -g "$work/bm" | tail -1)
  printf "%-12s %6d %10.3f %10.3f %8.2f %12.1f %12.1f\n" "$name" "$files" "$a" "$b" "$(echo "$a $b" | awk '{print ($2>0)?$1/$2:0}')" \
    "$(echo "$am" | awk '{print $1/1024}')" "$(echo "$bm" | awk '{print $1/1024}')"
done
