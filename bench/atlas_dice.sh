#!/usr/bin/env bash
# Benchmark (not a test): atlas registration accuracy on another anatomy. Registers the program's atlas (Colin27 +
# AAL) to the MNI152NLin6 1 mm brain and reports Dice of thalamus and hippocampus against Harvard-Oxford and Hammers,
# plus the wall time. The elastix baseline of the issue (affine + B-spline, Mattes MI, 30 s on 2 cores): thalamus
# 0.78/0.78, hippocampus 0.69/0.66 (HO); thalamus 0.80/0.81, hippocampus 0.47/0.45 (Hammers).
# Usage: bench/atlas_dice.sh   (build first: bash scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${ICANSCAN_TESTDATA:-../shared/testdata}
atlas=/usr/share/mricron/templates
subject=$data/templates/mni152nlin6_neuroparc/MNI152NLin6_res-1x1x1_T1w_descr-brain.nii.gz
labels=$data/atlases/neuroparc_mni152nlin6
echo "Harvard-Oxford (AAL 77/78 thalamus L/R vs 4/15, 37/38 hippocampus L/R vs 9/19):"
/usr/bin/time -f "wall %e s, peak %M kB" ./build/bench/icanscan_bench_atlas "$atlas/ch2bet.nii.gz" "$atlas/aal.nii.gz" \
  "$subject" "$labels/HarvardOxfordsub-maxprob-thr25_space-MNI152NLin6_res-1x1x1.nii.gz" "77:4,78:15,37:9,38:19"
echo "Hammers (thalamus 40/41, hippocampus 2/1):"
./build/bench/icanscan_bench_atlas "$atlas/ch2bet.nii.gz" "$atlas/aal.nii.gz" \
  "$subject" "$labels/Hammersmith_space-MNI152NLin6_res-1x1x1.nii.gz" "77:40,78:41,37:2,38:1"
