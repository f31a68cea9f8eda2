#!/usr/bin/env bash
# Module boundaries: src/core includes only src/core headers, <mi.h> and system headers;
# src/mof and src/catalog use src/core and their own headers (the compiler reaches a
# store only through the mi_schema_store interface, so it never includes catalog/);
# tools/mi includes only <mi.h>, system headers, its own headers and tools/common's (the
# public API alone); tools/common includes only system headers and its own.
set -uo pipefail
: "${MI_SOURCE_DIR:?}"
cd "$MI_SOURCE_DIR"
status=0
for f in src/core/*.c src/core/*.h; do
    while IFS= read -r inc; do
        header=${inc#*\"}; header=${header%\"*}
        if [[ $header == */* || ! -f src/core/$header ]]; then
            echo "FAIL: $f includes \"$header\", which is outside src/core"
            status=1
        fi
    done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
done
for module in mof catalog; do
    for f in src/$module/*.c src/$module/*.h; do
        while IFS= read -r inc; do
            header=${inc#*\"}; header=${header%\"*}
            if [[ $header == core/* && -f src/$header ]] || [[ $header != */* && -f src/$module/$header ]]; then
                continue
            fi
            echo "FAIL: $f includes \"$header\", outside src/core and src/$module"
            status=1
        done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
    done
done
for f in tools/mi/*.c tools/mi/*.h tools/common/*.c tools/common/*.h; do
    own=$(dirname "$f")
    while IFS= read -r inc; do
        header=${inc#*\"}; header=${header%\"*}
        if [[ $header == */* ]] || { [ ! -f "$own/$header" ] && [ ! -f "tools/common/$header" ]; }; then
            echo "FAIL: $f includes \"$header\"; tools use <mi.h> and their own headers only"
            status=1
        fi
    done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
done
[ $status -eq 0 ] && echo "module boundaries: ok"
exit $status
