#!/usr/bin/env bash
# Installs every Debian package icanscan needs to build, test and benchmark. Idempotent; run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libinsighttoolkit5-dev libvtk9-dev libdcmtk-dev libgtest-dev libomp-dev zlib1g-dev
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libspdlog-dev libssl-dev
  mricron-data dcm2niix elastix xvfb xauth time
  snakemake slurmctld slurmd slurm-client munge
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
