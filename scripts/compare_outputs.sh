#!/usr/bin/env bash
# Builds two revisions of icanscan and compares what `icanscan run` writes for the end-to-end phantom studies (the
# cases of tests/e2e/make_phantom_runs.sh, seed 11). Run outputs that must not change: every NIfTI volume and mask
# (compared decompressed, voxel for voxel and header), every transform, findings.csv, and report.json apart from
# `methods`, `timings` and `icanscan_version`. Other differences (report.html, config.toml, labels tables) are listed.
#
# Usage: scripts/compare_outputs.sh OLD NEW [WORK]
#   OLD, NEW  git revisions (e.g. b20dcf1 HEAD); WORK a scratch folder (default /tmp/icanscan-compare)
#   ICANSCAN_COMPARE_REUSE=1 keeps builds and runs that WORK already holds.
#        scripts/compare_outputs.sh --runs OLD_DIR NEW_DIR
#   compares two finished make_phantom_runs.sh folders (run on the same studies) without building.
# Exit status: 0 when every must-not-change output is identical, 1 otherwise.
set -euo pipefail
top=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
reuse=${ICANSCAN_COMPARE_REUSE:-0}
build() { # rev -> prints the built executable
  local rev=$1 sha dir
  sha=$(git -C "$top" rev-parse --short "$rev")
  dir=$work/src-$sha
  if [[ ! -d $dir ]]; then
    git -C "$top" worktree add --detach -f "$dir" "$sha" >/dev/null 2>&1
  fi
  if [[ $reuse != 1 || ! -x $dir/build/app/icanscan ]]; then
    cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DICANSCAN_BUILD_TESTS=OFF \
      -DICANSCAN_BUILD_BENCH=OFF ${ICANSCAN_CMAKE_ARGS:-} >"$dir/cmake.log" 2>&1
    cmake --build "$dir/build" --target icanscan -j "$(nproc)" >"$dir/build.log" 2>&1 ||
      { echo "compare: build of $rev failed, see $dir/build.log" >&2; exit 2; }
  fi
  echo "$dir/build/app/icanscan"
}

if [[ ${1:-} == --runs ]]; then
  old_runs=${2:?usage: compare_outputs.sh --runs OLD_DIR NEW_DIR}
  new_runs=${3:?usage: compare_outputs.sh --runs OLD_DIR NEW_DIR}
else
  old=${1:?usage: compare_outputs.sh OLD NEW [WORK]}
  new=${2:?usage: compare_outputs.sh OLD NEW [WORK]}
  work=${3:-/tmp/icanscan-compare}
  mkdir -p "$work"
  old_exe=$(build "$old")
  new_exe=$(build "$new")
  echo "compare: OLD $old ($old_exe)"
  echo "compare: NEW $new ($new_exe)"
  # The studies are made once, by NEW; both revisions run on the very same files.
  echo "compare: NEW writes the studies and runs on them"
  ICANSCAN_E2E_REUSE=$reuse bash "$top/tests/e2e/make_phantom_runs.sh" "$new_exe" "$work/new" >/dev/null
  echo "compare: OLD runs on the same studies"
  ICANSCAN_E2E_REUSE=$reuse ICANSCAN_E2E_STUDIES=$work/new bash "$top/tests/e2e/make_phantom_runs.sh" "$old_exe" \
    "$work/old" >/dev/null
  old_runs=$work/old
  new_runs=$work/new
fi

status=0
report() { printf '%-28s %-44s %s\n' "$1" "$2" "$3"; }
for run in "$new_runs"/*/run; do
  case_name=$(basename "$(dirname "$run")")
  other=$old_runs/$case_name/run
  if [[ ! -d $other ]]; then
    report "$case_name" "(no OLD run)" "MISSING"
    status=1
    continue
  fi
  while IFS= read -r -d '' file; do
    rel=${file#"$run"/}
    theirs=$other/$rel
    if [[ ! -e $theirs ]]; then
      report "$case_name" "$rel" "only in NEW"
      [[ $rel == *.nii.gz || $rel == *.tfm || $rel == findings.csv || $rel == report.json ]] && status=1
      continue
    fi
    case $rel in
      *.nii.gz)
        if cmp -s <(gzip -dc "$file") <(gzip -dc "$theirs"); then verdict=same; else verdict=DIFFERENT; status=1; fi ;;
      report.json)
        if python3 - "$file" "$theirs" <<'EOF'; then verdict="same (methods, timings, version not compared)"; else verdict=DIFFERENT; status=1; fi
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    for key in ("methods", "timings", "icanscan_version"):
        r.pop(key, None)
if a != b:
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            print("  report.json differs in", key, file=sys.stderr)
    sys.exit(1)
EOF
        ;;
      *.tfm | findings.csv)
        if cmp -s "$file" "$theirs"; then verdict=same; else verdict=DIFFERENT; status=1; fi ;;
      timing.tsv) continue ;;
      *)
        if cmp -s "$file" "$theirs"; then continue; else verdict="differs (allowed: not a result)"; fi ;;
    esac
    [[ $verdict == same* ]] || report "$case_name" "$rel" "$verdict"
  done < <(find "$run" -type f -print0 | sort -z)
  for theirs in $(cd "$other" && find . -type f | sed 's|^\./||'); do
    [[ -e $run/$theirs ]] || report "$case_name" "$theirs" "only in OLD"
  done
done
if ((status == 0)); then
  echo "compare: every volume, mask, transform, findings.csv and report.json (but methods, timings, version) is identical"
else
  echo "compare: results differ (see above)"
fi
exit $status
