#!/usr/bin/env bash
# Builds libmi and runs the whole test suite with ctest.
#   scripts/test.sh          release build with debug info (build/)
#   scripts/test.sh asan     AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
case "${1:-release}" in
release) dir=build; options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DMI_SANITIZE=OFF) ;;
asan) dir=build-asan; options=(-DCMAKE_BUILD_TYPE=Debug -DMI_SANITIZE=ON) ;;
*) echo "usage: scripts/test.sh [release|asan]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${options[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)"
