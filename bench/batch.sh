#!/usr/bin/env bash
# Benchmark (not a test): `icanscan batch` throughput on this machine with --jobs 1 and --jobs 2 (threads per study
# = cores / jobs, the batch default), and memory per job, on N synthetic clinical studies (default 4: normal,
# thalamic_bilateral, splenium_restricted, focal_oedema; more cases cycle with other seeds).
# Usage: bench/batch.sh [N] [JOBS...]   (build first: bash scripts/build.sh; default JOBS: 1 2)
# Prints per setting: wall time, studies per hour, mean and max peak memory per job (MiB), the batch's own peak.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-4}
shift || true
jobs_list=(1 2)
if (($#)); then jobs_list=("$@"); fi
exe=$(realpath build/app/icanscan)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=(normal thalamic_bilateral splenium_restricted focal_oedema)
ids=()
for ((k = 0; k < count; ++k)); do
  c=${cases[k % ${#cases[@]}]}
  "$exe" phantom "$c" -o "$work/phantoms/$k" --seed $((20 + k)) >/dev/null 2>&1
  ids+=("$k-$c,$work/phantoms/$k/dicom")
done
printf '%s\n' "id,study" "${ids[@]}" >"$work/cohort.csv"
echo "icanscan batch on $count clinical phantom studies, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %10s %14s %16s %15s %14s\n' jobs "wall (s)" "studies/hour" "mean job MiB" "max job MiB" "batch MiB"
for jobs in "${jobs_list[@]}"; do
  out=$work/out-$jobs
  /usr/bin/time -f "%e %M" -o "$work/time-$jobs" "$exe" batch "$work/cohort.csv" -o "$out" --jobs "$jobs" \
    >"$work/stdout-$jobs" 2>"$work/stderr-$jobs" || true
  read -r wall batchkb <"$work/time-$jobs"
  awk -F'\t' -v jobs="$jobs" -v wall="$wall" -v batchkb="$batchkb" -v n="$count" '
    NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
    $col["status"] != "failed" && $col["status"] != "skipped" { sum += $col["peak_memory_mb"]; ok++;
      if ($col["peak_memory_mb"] > max) max = $col["peak_memory_mb"] }
    END { printf "%-8s %10.1f %14.1f %16.0f %15.0f %14.0f\n", jobs, wall, n * 3600 / wall, ok ? sum / ok : 0, max,
          batchkb / 1024; if (ok < n) printf "  (%d of %d studies did not finish: see the summary)\n", n - ok, n }' \
    "$out/batch_summary.tsv"
done
