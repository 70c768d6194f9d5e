#!/usr/bin/env bash
# CTest fixture of BatchEndToEndTest: `icanscan batch` on 10 studies made from the e2e fixture's phantom studies (8
# that run to the end: DICOM with T2 or only FLAIR as reference, NIfTI, a path with a space and a non-ASCII letter,
# clinical input, a role override, a baseline and its follow-up; one whose only reference series is truncated; one
# with no T2 or FLAIR; each a different path through `batch`: the analyses themselves are tested in tests/e2e), 2 at a time, into WORK/out; exit code, stdout and stderr in WORK/{rc,stdout,stderr}.
# Usage: make_batch_run.sh ICANSCAN E2E_DIR WORK
set -euo pipefail
exe=$(realpath "$1")
e2e=$(realpath "$2")
work=$(realpath -m "$3")
rm -rf "$work"
mkdir -p "$work/studies"

copy_series() { # source-study destination series...
  local from=$1 to=$2
  shift 2
  mkdir -p "$to"
  for s in "$@"; do cp -rl "$from/$s" "$to/$s" 2>/dev/null || cp -r "$from/$s" "$to/$s"; done
}

# A path with a space and a non-ASCII letter: hard links, as the index does not follow folder symlinks.
copy_series "$e2e/focal_oedema/phantom/dicom" "$work/studies/focal oedème" 2_T2_AX 3_FLAIR_AX 4_DWI_TRACE_AX 5_ADC
# The only reference series (FLAIR, no T2) cut to half of each file: pixel data truncated.
mkdir -p "$work/studies/truncated"
cp -r "$e2e/thalamic_bilateral/phantom/dicom/3_FLAIR_AX" "$work/studies/truncated/3_FLAIR_AX"
copy_series "$e2e/thalamic_bilateral/phantom/dicom" "$work/studies/truncated" 4_DWI_TRACE_AX 5_ADC
find "$work/studies/truncated/3_FLAIR_AX" -type f | while read -r f; do truncate -s $(($(stat -c %s "$f") / 2)) "$f"; done
# Diffusion only: no T2 or FLAIR.
copy_series "$e2e/normal/phantom/dicom" "$work/studies/no_reference" 4_DWI_TRACE_AX 5_ADC

cat >"$work/clinical.json" <<'JSON'
{ "ice": { "orientation": 3, "naming": 2, "commands": 1, "writing": 1, "attention": 0 },
  "consciousness": "awakens_to_voice", "seizure": "none", "motor": "none", "papilloedema": false }
JSON

nifti=$e2e/thalamic_nifti/phantom/nifti
adc=$(basename "$(ls "$nifti"/*ADC*.nii.gz | head -1)" .nii.gz)
{
  echo "id,study,baseline,clinical,roles"
  echo "flair_only,$e2e/thalamic_flair_only/phantom/dicom,,,"
  echo "no_t2,$e2e/thalamic_no_t2/phantom/dicom,,,"
  echo "normal,$e2e/normal/phantom/dicom,,,"
  echo "thalamic,$e2e/thalamic_bilateral/phantom/dicom,,clinical.json,"
  echo "\"focal oedème\",studies/focal oedème,,,"
  echo "thalamic_nifti,$nifti,,,$adc=ADC"
  echo "followup,$e2e/baseline_followup/phantom/followup/dicom,baseline,,"
  echo "baseline,$e2e/baseline_followup/phantom/baseline/dicom,,,"
  echo "truncated,studies/truncated,,,"
  echo "no_reference,studies/no_reference,,,"
} >"$work/cohort.csv"

set +e
"$exe" batch "$work/cohort.csv" -o "$work/out" --jobs 2 --threads 1 >"$work/stdout" 2>"$work/stderr"
echo $? >"$work/rc"
set -e
echo "batch fixture: rc $(cat "$work/rc")"
cat "$work/stdout"
