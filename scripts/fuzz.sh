#!/usr/bin/env bash
# Fuzzes a parser with libFuzzer (clang, AddressSanitizer, UBSan).
#   scripts/fuzz.sh [TARGET] [SECONDS]   TARGET mof (the default), wql or wsman; SECONDS 600
# mof: the MOF compiler, seeded with the error corpus, the regression inputs and (when
# ../shared is there) the vector models and a slice of the DMTF schema. wql: the query
# parser and its evaluation, seeded with tests/fuzz/wql. wsman: a WS-Management message
# through mid's binding and the client's readers, seeded with tests/fuzz/wsman. New inputs collect in
# build-fuzz/corpus-TARGET; a crash leaves crash-* in build-fuzz/ -- add it to the seeds
# (tests/fuzz/regressions or tests/fuzz/wql) with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
target=mof
if [ $# -gt 0 ] && [[ ! $1 =~ ^[0-9]+$ ]]; then
    target=$1
    shift
fi
seconds=${1:-600}
case $target in
mof | wql | wsman) ;;
*) echo "fuzz.sh: TARGET is mof, wql or wsman, not '$target'" >&2; exit 2 ;;
esac
scripts/deps.sh fuzz
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMI_FUZZ=ON >/dev/null
cmake --build build-fuzz --target "fuzz_$target" -j"$(nproc)"
mkdir -p "build-fuzz/corpus-$target" "build-fuzz/seeds-$target"
if [ "$target" = mof ]; then
    cp tests/data/mof_errors/*.mof tests/fuzz/regressions/* build-fuzz/seeds-mof/ 2>/dev/null || true
    shared=${MI_SHARED_DIR:-../shared}
    if [ -d "$shared/spec/vectors" ]; then
        for model in "$shared"/spec/vectors/*/model.mof; do
            cp "$model" "build-fuzz/seeds-mof/vector-$(basename "$(dirname "$model")").mof"
        done
        cp "$shared"/mof/cim_schema_2.49.0/Core/CIM_*Component*.mof build-fuzz/seeds-mof/ 2>/dev/null || true
        cp "$shared"/mof/cim_schema_2.49.0/qualifiers.mof build-fuzz/seeds-mof/ 2>/dev/null || true
    fi
    max_len=16384
else
    cp "tests/fuzz/$target"/* "build-fuzz/seeds-$target/"
    max_len=$([ "$target" = wsman ] && echo 16384 || echo 4096)
fi
cd build-fuzz
"./fuzz_$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -dict="../tests/fuzz/$target.dict" -print_final_stats=1 "corpus-$target" "seeds-$target"
