#!/usr/bin/env bash
# Fuzzes the MOF compiler with libFuzzer (clang, AddressSanitizer, UBSan).
#   scripts/fuzz.sh [SECONDS]     default 600
# Seeds: the error corpus, the regression inputs and (when ../shared is there) the vector
# models and a slice of the DMTF schema. New inputs collect in build-fuzz/corpus; a crash
# leaves crash-* in build-fuzz/ -- add it to tests/fuzz/regressions with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
scripts/deps.sh fuzz
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMI_FUZZ=ON >/dev/null
cmake --build build-fuzz --target fuzz_mof -j"$(nproc)"
mkdir -p build-fuzz/corpus build-fuzz/seeds
cp tests/data/mof_errors/*.mof tests/fuzz/regressions/* build-fuzz/seeds/ 2>/dev/null || true
shared=${MI_SHARED_DIR:-../shared}
if [ -d "$shared/spec/vectors" ]; then
    for model in "$shared"/spec/vectors/*/model.mof; do
        cp "$model" "build-fuzz/seeds/vector-$(basename "$(dirname "$model")").mof"
    done
    cp "$shared"/mof/cim_schema_2.49.0/Core/CIM_*Component*.mof build-fuzz/seeds/ 2>/dev/null || true
    cp "$shared"/mof/cim_schema_2.49.0/qualifiers.mof build-fuzz/seeds/ 2>/dev/null || true
fi
cd build-fuzz
./fuzz_mof -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -dict=../tests/fuzz/mof.dict -print_final_stats=1 corpus seeds
