#!/usr/bin/env bash
# Fuzzing campaign (a bench, never part of the tests): builds the libFuzzer harnesses of fuzz/ with clang
# (-fsanitize=fuzzer,address,undefined; the icanscan libraries with fuzzer-no-link for coverage) into build-fuzz,
# seeds each corpus from the real sets in ../shared/testdata (copied into out/fuzz, never into the repository) plus
# the regression inputs generated in code, and runs each harness for FUZZ_RUNS executions or FUZZ_SECONDS, whichever
# comes first, FUZZ_PARALLEL at a time. Prints one line per harness: executions, exec/s, coverage (edges, features),
# corpus, findings.
#   FUZZ_RUNS (default 1000000), FUZZ_SECONDS (default 1200), FUZZ_HARNESSES (default: all six),
#   ICANSCAN_TESTDATA (default ../shared/testdata), FUZZ_OUT (default out/fuzz), FUZZ_JOBS (build jobs, default 2),
#   FUZZ_BUILD=0 (run the harnesses already in build-fuzz), FUZZ_PARALLEL (harnesses run at once, default nproc)
# A finding is written to $FUZZ_OUT/<harness>/crash-*; turn it into a regression input in fuzz/Regressions.cxx.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${FUZZ_RUNS:-1000000}
seconds=${FUZZ_SECONDS:-1200}
harnesses=${FUZZ_HARNESSES:-"dicom_header pixel_decode siemens_csa nifti_import config_toml clinical_json"}
testdata=${ICANSCAN_TESTDATA:-../shared/testdata}
out=${FUZZ_OUT:-out/fuzz}
jobs=${FUZZ_JOBS:-2}
parallel=${FUZZ_PARALLEL:-$(nproc)}
[ -d "$testdata/dicom" ] || { echo "fuzz.sh: $testdata/dicom not found (set ICANSCAN_TESTDATA)" >&2; exit 2; }

# Debian's ITK headers accept GCC only (itk_compiler_detection.h): clang is presented to them as GCC 10.
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
flags="$flags -O1 -gline-tables-only -U__clang__ -fgnuc-version=10.2 -Wno-builtin-macro-redefined"
if [ "${FUZZ_BUILD:-1}" = 1 ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} \
    -DICANSCAN_FUZZ_ENGINE=ON -DICANSCAN_BUILD_TESTS=OFF -DICANSCAN_BUILD_BENCH=OFF \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
  targets="fuzz_write_regressions"
  for h in $harnesses; do targets="$targets fuzz_$h"; done
  cmake --build build-fuzz -j "$jobs" --target $targets
fi

mkdir -p "$out"
./build-fuzz/fuzz/fuzz_write_regressions "$out/regressions"

seed() { # harness -> its seed folder, filled once
  local h=$1 dir="$out/$1/seeds"
  [ -d "$dir" ] && return
  mkdir -p "$dir"
  cp "$out/regressions/$h"/* "$dir"/ 2>/dev/null || true
  case $h in
    dicom_header)
      # a few files of every real set: classic, enhanced, mosaics, vendor private tags, DICOMDIR
      find "$testdata/dicom" -path '*/In/*' -type f -size -1024k | sort | awk 'NR % 7 == 1' | head -150 |
        while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-12)"; done ;;
    pixel_decode)
      cp "$testdata"/dicom/dcm_qa_ts/In/*.dcm "$dir"/
      find "$testdata/dicom" -path '*/In/*' -type f -size -600k | sort | awk 'NR % 40 == 1' |
        while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-12)"; done ;;
    siemens_csa)
      # the CSA image and series headers (0029,1010/1020) stored in the real Siemens files
      find "$testdata/dicom" -path '*/In/*' -type f -size -2048k -print0 |
        xargs -0 ./build-fuzz/fuzz/fuzz_write_regressions "$out/csa" --csa
      cp "$out/csa/siemens_csa"/csa-* "$dir"/ 2>/dev/null || true ;;
    nifti_import)
      # small NIfTI references with their sidecars (and b-values), in the harness's container format
      find "$testdata/dicom" -path '*/Ref/*' \( -name '*.nii' -o -name '*.nii.gz' \) -size -3M | sort | head -12 |
        while read -r f; do
          stem=${f%.gz}; stem=${stem%.nii}
          {
            cat "$f"
            if [ -f "$stem.json" ]; then printf '\n#SIDECAR\n'; cat "$stem.json"; fi
            if [ -f "$stem.bval" ]; then printf '\n#BVAL\n'; cat "$stem.bval"; fi
          } > "$dir/$(basename "$stem")"
        done ;;
    config_toml)
      printf '[detection]\nhyper_seed_z = 4.0\nhyper_grow_z = 2.5\n\n[oedema]\ncistern_ratio_max = 0.5\n' > "$dir/docs"
      # every section and key, as `icanscan config` writes them (when the main build is there)
      if [ -x build/app/icanscan ]; then build/app/icanscan config > "$dir/default_config"; fi ;;
    clinical_json)
      find "$testdata/dicom" -path '*/Ref/*' -name '*.json' -size -64k | sort | head -20 |
        while read -r f; do cp "$f" "$dir/$(echo "$f" | md5sum | cut -c1-12)"; done ;;
  esac
}

max_len() {
  case $1 in
    dicom_header | pixel_decode) echo 1048576 ;;
    nifti_import) echo 3145728 ;;
    *) echo 65536 ;;
  esac
}

export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan-suppressions.txt

campaign() { # harness -> runs it, writes its summary line to $out/<harness>/summary.txt
  local h=$1 log="$out/$1/fuzz.log" status execs speed last findings
  mkdir -p "$out/$h/corpus"
  set +e
  ./build-fuzz/fuzz/fuzz_$h -runs="$runs" -max_total_time="$seconds" -max_len="$(max_len "$h")" -timeout=60 \
    -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$out/$h/" "$out/$h/corpus" "$out/$h/seeds" >"$log" 2>&1
  status=$?
  set -e
  execs=$(awk '/stat::number_of_executed_units:/ {n = $2} END {print n}' "$log")
  speed=$(awk '/stat::average_exec_per_sec:/ {n = $2} END {print n}' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' | tail -1 || true)
  findings=$(find "$out/$h" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-14s %10s %8s %8s %8s %7s %s%s\n' "$h" "${execs:-?}" "${speed:-?}" "$(echo "$last" | awk '{print $2}')" \
    "$(echo "$last" | awk '{print $4}')" "$(echo "$last" | awk '{print $6}')" "$findings" \
    "$([ $status -ne 0 ] && echo " (exit $status, see $log)")" >"$out/$h/summary.txt"
}

for h in $harnesses; do
  set +o pipefail # the seeding pipelines end in head: sort's SIGPIPE is not a failure
  seed "$h"
  set -o pipefail
done
# FUZZ_PARALLEL harnesses at a time (default: one per core), each single-threaded
running=0
for h in $harnesses; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  campaign "$h" &
  running=$((running + 1))
done
wait || true
printf '%-14s %10s %8s %8s %8s %7s %s\n' harness executions exec/s edges features corpus findings
for h in $harnesses; do cat "$out/$h/summary.txt"; done
