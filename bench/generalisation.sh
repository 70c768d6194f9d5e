#!/usr/bin/env bash
# Benchmark (not a test): icanscan on another brain than its atlas. Writes every phantom case on the MNI152NLin6
# anatomy (synthetic/anatomies/mni152nlin6.toml over the shared test data) for seeds 1..SEEDS, runs `icanscan run` on
# each, two at a time, under GNU time, and scores the runs against the truth with icanscan_evaluate: per study, per
# case and pooled involvement sensitivity/specificity (JHU-truth structures apart), oedema flag and ASTCT oedema grade,
# lesion Dice and HD95 (T2/FLAIR, DWI), structure Dice, TRE per series, time and peak memory, the floors of the
# generalisation issue, and each run's oedema markers beside their truth.
# Usage: bench/generalisation.sh [SEEDS] [OUT]     (default 3 seeds, OUT bench-out/generalisation)
# Environment: ICANSCAN_TESTDATA (default ../shared/testdata), REUSE=1 keeps finished studies and runs, JOBS (2),
# CASES (a space-separated subset of the cases; all by default), FIRST_SEED (1: seeds FIRST_SEED..SEEDS), EXE (the
# icanscan executable; build/app/icanscan by default: a copy lets you rebuild while the benchmark runs).
# Build first (bash scripts/build.sh; icanscan_evaluate is built with the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-3}
out=$(realpath -m "${2:-bench-out/generalisation}")
testdata=$(realpath -m "${ICANSCAN_TESTDATA:-../shared/testdata}")
jobs=${JOBS:-2}
exe=$(realpath -m "${EXE:-build/app/icanscan}")
first=${FIRST_SEED:-1}
evaluate=$PWD/build/tests/e2e/icanscan_evaluate
descriptor=$PWD/synthetic/anatomies/mni152nlin6.toml
for f in "$exe" "$evaluate"; do
  [[ -x $f ]] || { echo "generalisation: $f not built (bash scripts/build.sh)" >&2; exit 1; }
done
[[ -d $testdata/templates/mni152nlin6_neuroparc ]] || { echo "generalisation: no test data in $testdata" >&2; exit 1; }
mkdir -p "$out"
cases=(normal normal_young normal_atrophic thalamic_bilateral thalamic_signal_only splenium_restricted
  hippocampal_bilateral white_matter_diffuse leukoencephalopathy focal_oedema chronic_infarct acute_infarct
  shine_through baseline_followup)
if [[ -n ${CASES:-} ]]; then read -r -a cases <<<"$CASES"; fi

study() { # case seed: phantom, then run
  local dir=$out/$1_s$2
  if [[ ${REUSE:-0} == 1 && -f $dir/rc ]]; then return 0; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  if ! /usr/bin/time -f "%e %M %U %S" -o "$dir/phantom_time.txt" "$exe" phantom "$1" -o "$dir/phantom" \
    --seed "$2" --anatomy "$descriptor" --anatomy-root "$testdata" >"$dir/phantom.log" 2>&1; then
    echo 99 >"$dir/rc"
    echo "generalisation: $1 seed $2: phantom failed (see $dir/phantom.log)"
    return 0
  fi
  local study=$dir/phantom/dicom args=()
  if [[ $1 == baseline_followup ]]; then
    study=$dir/phantom/followup/dicom
    args=(--baseline "$dir/phantom/baseline/dicom")
  fi
  set +e
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "$exe" run "$study" -o "$dir/run" --threads 1 "${args[@]}" \
    >"$dir/summary.txt" 2>"$dir/log"
  echo $? >"$dir/rc"
  set -e
  echo "generalisation: $1 seed $2: rc $(cat "$dir/rc"), $(cut -d' ' -f1 "$dir/time.txt") s"
}
export -f study
export out exe descriptor testdata
for seed in $(seq "$first" "$seeds"); do
  for c in "${cases[@]}"; do echo "$c $seed"; done
done | xargs -P "$jobs" -L 1 bash -c 'study "$@"' _
"$evaluate" "$out" --markers --json "$out/evaluation.json" | tee "$out/evaluation.txt"
