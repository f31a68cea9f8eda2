#!/usr/bin/env bash
# Module boundaries: src/core includes only src/core headers, <mi.h> and system headers;
# tools/mi includes only <mi.h> and system headers (it uses the public API alone).
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
for f in tools/mi/*.c; do
    if grep -qE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f"; then
        echo "FAIL: $f includes a project-internal header; tools use <mi.h> only"
        status=1
    fi
done
[ $status -eq 0 ] && echo "module boundaries: ok"
exit $status
