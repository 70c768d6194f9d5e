#!/usr/bin/env bash
# The sanitizer configuration, run by scripts/test.sh after the main suite (about 3 minutes cold on 2 cores: its build,
# uninstrumented Debian libraries, about 15 s of tests): core, dicom and the study input (NIfTI import) built with
# AddressSanitizer + UndefinedBehaviorSanitizer into build-sanitize; runs their unit tests, the malformed-input corpus
# (tests/hostile) and the fuzz harnesses' regression inputs under them (docs/hostile-input.md).
#   SANITIZE_JOBS (build and test jobs, default nproc), ICANSCAN_TESTDATA (default ../shared/testdata),
#   ICANSCAN_CMAKE_ARGS
# Exit status: CTest's (0 when every test passed without a sanitizer report).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${SANITIZE_JOBS:-$(nproc)}
export ICANSCAN_TESTDATA=${ICANSCAN_TESTDATA:-$PWD/../shared/testdata}
# -O1: fast to build, fast enough to run; Debian's libraries are not instrumented.
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" -DICANSCAN_SANITIZE=ON \
  -DICANSCAN_BUILD_BENCH=OFF -DICANSCAN_TESTDATA="$ICANSCAN_TESTDATA" ${ICANSCAN_CMAKE_ARGS:-} >/dev/null
cmake --build build-sanitize -j "$jobs"
cd build-sanitize
ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$PWD/../scripts/lsan-suppressions.txt ctest --output-on-failure -j "$jobs"
