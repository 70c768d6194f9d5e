#!/usr/bin/env bash
# Set-up and the whole test suite: install, build, run every test (CTest; under a virtual X display for VTK).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
xvfb-run -a ctest --output-on-failure -j "$(nproc)"
