#!/usr/bin/env bash
# CTest fixture of WorkflowTest: runs workflow/Snakefile (Debian's snakemake 7.21) on 3 studies of the e2e fixture
# (one analysed: FLAIR only, the cheapest; one without T2 or FLAIR that fails at ingest; one whose only reference
# is truncated) twice: locally (WORK/local) and through a one-node Slurm cluster started here (WORK/slurm, with
# slurm_cluster.sh; stopped at the end, also on failure). Exit codes and logs in WORK/*.rc and WORK/*.log. When Slurm
# cannot start, the reason goes to WORK/slurm_skip and the fixture still succeeds; WorkflowTest skips then, or fails
# under CI=true.
# Usage: run_workflows.sh ICANSCAN E2E_DIR WORK
set -uo pipefail
exe=$(realpath "$1")
e2e=$(realpath "$2")
work=$(realpath -m "$3")
here=$(cd "$(dirname "$0")" && pwd)
snakefile=$(cd "$here/../../workflow" && pwd)/Snakefile
profile=$(cd "$here/../../workflow/profiles/slurm" && pwd)
rm -rf "$work"
mkdir -p "$work/studies/no_reference" "$work/studies/truncated"
cp -rl "$e2e/normal/phantom/dicom/4_DWI_TRACE_AX" "$work/studies/no_reference/" 2>/dev/null ||
  cp -r "$e2e/normal/phantom/dicom/4_DWI_TRACE_AX" "$work/studies/no_reference/"
cp -r "$e2e/thalamic_flair_only/phantom/dicom/3_FLAIR_AX" "$work/studies/truncated/"
find "$work/studies/truncated" -type f | while read -r f; do truncate -s $(($(stat -c %s "$f") / 2)) "$f"; done
cat >"$work/cohort.tsv" <<TSV
id	study
analysed	$e2e/thalamic_flair_only/phantom/dicom
no_reference	studies/no_reference
truncated	studies/truncated
TSV

command -v snakemake >/dev/null || { echo "snakemake is not installed" >"$work/snakemake_missing"; exit 0; }

run_workflow() { # name extra-args...
  local name=$1
  shift
  mkdir -p "$work/$name-wd"
  (cd "$work/$name-wd" && snakemake -s "$snakefile" --config input="$work/cohort.tsv" out="$work/$name" \
    icanscan="$exe" threads=1 mem_mb=1500 runtime=20 "$@") >"$work/$name.log" 2>&1
  echo $? >"$work/$name.rc"
  echo "workflow fixture: $name rc $(cat "$work/$name.rc")"
}

run_workflow local --cores 2 --keep-going

cluster=$work/cluster
stop_cluster() { bash "$here/slurm_cluster.sh" stop "$cluster"; }
trap stop_cluster EXIT
if ! env_line=$(bash "$here/slurm_cluster.sh" start "$cluster" 2>"$work/slurm_start.err"); then
  cp "$work/slurm_start.err" "$work/slurm_skip"
  echo "workflow fixture: Slurm did not start: $(cat "$work/slurm_skip")"
  exit 0
fi
eval "$env_line"
# Snakemake 7.21's Slurm support reads USER to look for an account.
export USER=${USER:-$(id -un)}
run_workflow slurm --profile "$profile"
squeue -h >"$work/squeue.txt" 2>&1
