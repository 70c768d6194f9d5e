#!/usr/bin/env bash
# Installs what is missing, then configures and builds icanscan (Release) into ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release ${ICANSCAN_CMAKE_ARGS:-}
cmake --build build -j "$(nproc)"
