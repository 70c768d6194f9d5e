#!/usr/bin/env bash
# CTest fixture of the end-to-end tests: writes every phantom case (and missing-series variants) and runs
# `icanscan run` on each, two at a time, into OUT/<case>/{study,truth,run,rc,log}. The tests read the results.
# Usage: make_phantom_runs.sh ICANSCAN OUT        (ICANSCAN_E2E_REUSE=1 keeps finished runs of an earlier call;
#        ICANSCAN_E2E_STUDIES=DIR runs on the studies of an earlier call's OUT instead of writing new ones)
set -euo pipefail
exe=$1
out=$2
mkdir -p "$out"
seed=11
studies=${ICANSCAN_E2E_STUDIES:-}

# With ICANSCAN_E2E_STUDIES, every case's phantom folder is that earlier call's (the same files, e.g. to compare two
# builds); returns 1 when it did so.
link_study() { # name
  [[ -z $studies ]] && return 0
  mkdir -p "$out/$1"
  ln -sfn "$studies/$1/phantom" "$out/$1/phantom"
  return 1
}

make_case() { # name case
  local dir=$out/$1
  if [[ ${ICANSCAN_E2E_REUSE:-0} == 1 && -f $dir/rc ]]; then return; fi
  rm -rf "$dir"
  link_study "$1" || return 0
  "$exe" phantom "$2" -o "$dir/phantom" --seed $seed >/dev/null
}

variant() { # name source-case folders-to-keep...
  local name=$1 source=$2
  shift 2
  local dir=$out/$name
  if [[ ${ICANSCAN_E2E_REUSE:-0} == 1 && -f $dir/rc ]]; then return; fi
  rm -rf "$dir"
  link_study "$name" || return 0
  mkdir -p "$dir/phantom/dicom"
  ln -s "$out/$source/phantom/truth" "$dir/phantom/truth"
  copy_series "$out/$source/phantom/dicom" "$dir/phantom/dicom" "$@"
}

copy_series() { # from-folder to-folder series-folders...
  local from=$1 to=$2
  shift 2
  for keep in "$@"; do # hard links: the index does not follow folder symlinks
    cp -rl "$from/$keep" "$to/$keep" 2>/dev/null || cp -r "$from/$keep" "$to/$keep"
  done
}

cases=(normal thalamic_bilateral splenium_restricted hippocampal_bilateral white_matter_diffuse focal_oedema
  shine_through thalamic_signal_only)
for c in "${cases[@]}"; do make_case "$c" "$c"; done
make_case baseline_followup baseline_followup
variant normal_no_dwi normal 2_T2_AX 3_FLAIR_AX
variant thalamic_no_t2 thalamic_bilateral 3_FLAIR_AX 4_DWI_TRACE_AX 5_ADC
variant thalamic_flair_only thalamic_bilateral 3_FLAIR_AX
# The follow-up without its T2 against the whole baseline: registered as FLAIR to the baseline's FLAIR, which is not
# the baseline's reference (T2), so the change since baseline also goes through the baseline's FLAIR registration.
followup_no_t2() {
  local dir=$out/baseline_followup_no_t2 source=$out/baseline_followup/phantom
  if [[ ${ICANSCAN_E2E_REUSE:-0} == 1 && -f $dir/rc ]]; then return; fi
  rm -rf "$dir"
  link_study baseline_followup_no_t2 || return 0
  mkdir -p "$dir/phantom/followup/dicom"
  ln -s "$source/followup/truth" "$dir/phantom/followup/truth"
  ln -s "$source/baseline" "$dir/phantom/baseline"
  copy_series "$source/followup/dicom" "$dir/phantom/followup/dicom" 3_FLAIR_AX 4_DWI_TRACE_AX 5_ADC
}
followup_no_t2

# The same study as NIfTI + JSON sidecars + bval/bvec, written by dcm2niix (a Debian package; skipped without it).
nifti_variant() { # name source-case
  local dir=$out/$1
  if [[ ${ICANSCAN_E2E_REUSE:-0} == 1 && -f $dir/rc ]]; then return; fi
  rm -rf "$dir"
  link_study "$1" || return 0
  command -v dcm2niix >/dev/null || { echo "e2e: dcm2niix not installed, $1 not made"; return; }
  mkdir -p "$dir/phantom/nifti"
  ln -s "$out/$2/phantom/truth" "$dir/phantom/truth"
  dcm2niix -b y -z y -f %s_%d -o "$dir/phantom/nifti" "$out/$2/phantom/dicom" >"$dir/dcm2niix.log" 2>&1
}
nifti_variant thalamic_nifti thalamic_bilateral

jobs=()
for c in "${cases[@]}" normal_no_dwi thalamic_no_t2 thalamic_flair_only; do
  jobs+=("$c|$out/$c/phantom/dicom|")
done
[[ -d $out/thalamic_nifti/phantom/nifti ]] && jobs+=("thalamic_nifti|$out/thalamic_nifti/phantom/nifti|")
jobs+=("baseline_followup|$out/baseline_followup/phantom/followup/dicom|$out/baseline_followup/phantom/baseline/dicom")
jobs+=("baseline_followup_no_t2|$out/baseline_followup_no_t2/phantom/followup/dicom|$out/baseline_followup/phantom/baseline/dicom")

run_one() {
  local name=${1%%|*} rest=${1#*|}
  local study=${rest%%|*} baseline=${rest#*|}
  local dir=$out/$name
  # thalamic_bilateral also writes OUT/dicom (run --dicom-out); tests/export reads it.
  local dicom=0
  [[ $name == thalamic_bilateral ]] && dicom=1
  if [[ ${ICANSCAN_E2E_REUSE:-0} == 1 && -f $dir/rc && ($dicom == 0 || -d $dir/run/dicom) ]]; then return 0; fi
  local args=(run "$study" -o "$dir/run" --threads 1)
  [[ -n $baseline ]] && args+=(--baseline "$baseline")
  ((dicom)) && args+=(--dicom-out)
  rm -rf "$dir/run"
  set +e
  "$exe" "${args[@]}" >"$dir/summary.txt" 2>"$dir/log"
  echo $? >"$dir/rc"
  set -e
  echo "e2e: $name rc $(cat "$dir/rc")"
}
export -f run_one
export exe out
printf '%s\n' "${jobs[@]}" | xargs -P 2 -I{} bash -c 'run_one "$@"' _ {}
