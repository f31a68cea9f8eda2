#!/usr/bin/env bash
# Module boundaries (docs/DESIGN.md, "Modules and who may include whom"): each module of
# src/ includes its own headers and those of the modules below it, nothing else:
#   core <- mof, catalog, repo, cimxml, wsman;  repo <- engine;  engine <- provider;
#   engine, provider, cimxml, wsman, mof, catalog <- client;  engine, provider, cimxml, wsman, mof, client <- server
# tools/mi and tools/common use <mi.h> and tools/common's headers only (the public API
# alone); tools/mid also the server's; examples use <mi.h> only. The checker runs on the
# tree, then on a copy with a forbidden include, which it must refuse.
set -uo pipefail
: "${MI_SOURCE_DIR:?}"

declare -A below=(
    [core]=""
    [mof]="core"
    [catalog]="core"
    [repo]="core"
    [cimxml]="core"
    [wsman]="core"
    [engine]="core repo"
    [provider]="core repo engine"
    [server]="core repo engine provider cimxml wsman mof catalog client"
    [client]="core repo engine provider cimxml wsman mof catalog"
)

# check ROOT: prints one FAIL line per include that crosses a line; exit 1 if any
check() {
    local root=$1 status=0 f inc header module dep own
    for module in "${!below[@]}"; do
        for f in "$root"/src/$module/*.c "$root"/src/$module/*.h; do
            [ -e "$f" ] || continue
            while IFS= read -r inc; do
                header=${inc#*\"}; header=${header%\"*}
                if [[ $header != */* ]]; then
                    [ -f "$root/src/$module/$header" ] && continue
                else
                    dep=${header%%/*}
                    if [[ " ${below[$module]} " == *" $dep "* ]] && [ -f "$root/src/$header" ]; then
                        continue
                    fi
                fi
                echo "FAIL: ${f#$root/} includes \"$header\": src/$module may include only its own headers and those of: ${below[$module]:-nothing}"
                status=1
            done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
        done
    done
    for f in "$root"/tools/mi/*.[ch] "$root"/tools/common/*.[ch] "$root"/tools/mid/*.[ch] "$root"/tools/mi-host/*.[ch] \
        "$root"/examples/*.c; do
        [ -e "$f" ] || continue
        own=$(dirname "$f")
        while IFS= read -r inc; do
            header=${inc#*\"}; header=${header%\"*}
            if [[ $header != */* ]] && { [ -f "$own/$header" ] || [ -f "$root/tools/common/$header" ]; } &&
                [[ $own != */examples ]]; then
                continue
            fi
            if [[ $own == */tools/mid && $header == server/* && -f "$root/src/$header" ]]; then
                continue
            fi
            # the provider host program runs the host side of isolation, nothing else
            if [[ $own == */tools/mi-host && $header == provider/host_process.h ]]; then
                continue
            fi
            echo "FAIL: ${f#$root/} includes \"$header\"; tools and examples use <mi.h> and their own headers only"
            status=1
        done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f")
    done
    return $status
}

check "$MI_SOURCE_DIR" || exit 1

# the checker itself: a forbidden include in a copy must be caught
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$MI_SOURCE_DIR/src" "$MI_SOURCE_DIR/tools" "$MI_SOURCE_DIR/examples" "$work/"
echo '#include "engine/engine.h"' >>"$work/src/cimxml/write.c"
check "$work" >"$work/out" && { echo "FAIL: cimxml including the engine went unnoticed"; exit 1; }
grep -q 'src/cimxml/write.c includes "engine/engine.h"' "$work/out" ||
    { echo "FAIL: the refusal does not name the file: $(cat "$work/out")"; exit 1; }
cp "$MI_SOURCE_DIR/src/cimxml/write.c" "$work/src/cimxml/write.c"
echo '#include "server/server.h"' >>"$work/src/client/session.c"
check "$work" >/dev/null && { echo "FAIL: the client including the server went unnoticed"; exit 1; }
echo "module boundaries: ok"
