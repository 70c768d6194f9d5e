#!/usr/bin/env bash
# Benchmark (not a test): the elastix peer for atlas registration, on the same pair as bench/atlas_dice.sh
# (Colin27 ch2bet -> MNI152NLin6 1 mm brain, AAL labels propagated, Dice against Harvard-Oxford), with wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${ICANSCAN_TESTDATA:-../shared/testdata}
atlas=/usr/share/mricron/templates
subject=$data/templates/mni152nlin6_neuroparc/MNI152NLin6_res-1x1x1_T1w_descr-brain.nii.gz
ho=$data/atlases/neuroparc_mni152nlin6/HarvardOxfordsub-maxprob-thr25_space-MNI152NLin6_res-1x1x1.nii.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
elastix -f "$subject" -m "$atlas/ch2bet.nii.gz" -p bench/elastix_affine.txt -p bench/elastix_bspline.txt \
  -out "$work" -threads 2 > "$work/elastix.log"
end=$(date +%s.%N)
sed -e 's/(FinalBSplineInterpolationOrder 3)/(FinalBSplineInterpolationOrder 0)/' \
  -e 's/(ResultImagePixelType "[a-z]*")/(ResultImagePixelType "short")/' "$work/TransformParameters.1.txt" \
  > "$work/labels.txt"
sed -i 's|"./TransformParameters.0.txt"\|".*TransformParameters.0.txt"|"'"$work"'/TransformParameters.0.txt"|' "$work/labels.txt"
grep -q ResultImagePixelType "$work/labels.txt" || echo '(ResultImagePixelType "short")' >> "$work/labels.txt"
transformix -in "$atlas/aal.nii.gz" -tp "$work/labels.txt" -out "$work" > "$work/transformix.log"
echo "elastix wall $(echo "$end - $start" | bc) s"
./build/bench/icanscan_bench_atlas --dice-only "$work/result.nii.gz" "$ho" "77:4,78:15,37:9,38:19"
