#!/usr/bin/env bash
# The main job: install dependencies, build libmi and the mi tool, and run mi.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
build/bin/mi --version
build/bin/mi selfcheck
