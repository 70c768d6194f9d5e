#!/usr/bin/env bash
# Set-up and the whole test suite: install, build, run every test (CTest; under a virtual X display for VTK).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && xvfb-run -a ctest --output-on-failure -j "$(nproc)")

# Second configuration: core, dicom and the study input (NIfTI import) built with AddressSanitizer +
# UndefinedBehaviorSanitizer; runs their unit tests, the malformed-input corpus and the fuzz harnesses' regression
# inputs under them (docs/hostile-input.md). -O1: fast to build, fast enough to run.
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" -DICANSCAN_SANITIZE=ON \
  -DICANSCAN_BUILD_BENCH=OFF ${ICANSCAN_CMAKE_ARGS:-}
cmake --build build-sanitize -j "$(nproc)"
cd build-sanitize
ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$PWD/../scripts/lsan-suppressions.txt ctest --output-on-failure -j "$(nproc)"
