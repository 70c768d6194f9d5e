#!/usr/bin/env bash
# CTest fixture of the generalisation tests: one phantom study per case built on another anatomy than the program's
# atlas (the MNI152NLin6 descriptor over the shared test data), each run once by `icanscan run`, two at a time, into
# OUT/<case>/{phantom,run,rc,log,time.txt}. Writes OUT/skipped (and succeeds) when the test data is absent.
# Usage: make_generalisation_runs.sh ICANSCAN OUT DESCRIPTOR TESTDATA
#        (ICANSCAN_E2E_REUSE=1 keeps finished runs of an earlier call)
set -euo pipefail
exe=$1
out=$2
descriptor=$3
testdata=${4:-}
mkdir -p "$out"
rm -f "$out/skipped"
if [[ ! -f $testdata/templates/mni152nlin6_neuroparc/MNI152NLin6_res-1x1x1_T1w_descr-brain.nii.gz ]]; then
  echo "test data absent: $testdata (no MNI152NLin6 template)" >"$out/skipped"
  echo "generalisation: $(cat "$out/skipped"); nothing made"
  exit 0
fi

# One fixed seed per case; the seeds cycle so the three age groups and the drawn vendors all occur.
cases=(normal:1 normal_young:2 normal_atrophic:3 thalamic_bilateral:1 thalamic_signal_only:2 splenium_restricted:3
  hippocampal_bilateral:1 white_matter_diffuse:2 leukoencephalopathy:3 focal_oedema:1 chronic_infarct:2
  acute_infarct:3 shine_through:1 baseline_followup:2)

make_case() { # case seed
  local dir=$out/$1
  if [[ ${ICANSCAN_E2E_REUSE:-0} == 1 && -f $dir/rc ]]; then return 0; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  set +e
  /usr/bin/time -f "%e %M %U %S" -o "$dir/phantom_time.txt" "$exe" phantom "$1" -o "$dir/phantom" --seed "$2" \
    --anatomy "$descriptor" --anatomy-root "$testdata" >"$dir/phantom.log" 2>&1
  echo $? >"$dir/phantom.rc"
  set -e
}
export -f make_case
export exe out descriptor testdata
printf '%s\n' "${cases[@]}" | tr ':' ' ' | xargs -P 2 -L 1 bash -c 'make_case "$@"' _

run_one() { # case
  local dir=$out/$1
  if [[ ${ICANSCAN_E2E_REUSE:-0} == 1 && -f $dir/rc ]]; then return 0; fi
  local study=$dir/phantom/dicom args=()
  if [[ $1 == baseline_followup ]]; then
    study=$dir/phantom/followup/dicom
    args=(--baseline "$dir/phantom/baseline/dicom")
  fi
  rm -rf "$dir/run"
  if [[ $(cat "$dir/phantom.rc") != 0 ]]; then
    echo 99 >"$dir/rc"
    echo "generalisation: $1 phantom failed (see $dir/phantom.log)"
    return 0
  fi
  set +e
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "$exe" run "$study" -o "$dir/run" --threads 1 "${args[@]}" \
    >"$dir/summary.txt" 2>"$dir/log"
  echo $? >"$dir/rc"
  set -e
  echo "generalisation: $1 rc $(cat "$dir/rc")"
}
export -f run_one
printf '%s\n' "${cases[@]}" | cut -d: -f1 | xargs -P 2 -I{} bash -c 'run_one "$@"' _ {}
