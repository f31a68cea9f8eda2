#!/usr/bin/env bash
# docs/mi.1 is exactly what scripts/gen-man.sh makes of the tool's help texts: the
# manual and `mi --help` cannot drift apart.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$MI_SOURCE_DIR/scripts/gen-man.sh" "$MI_BUILD_DIR/bin/mi" >"$work/mi.1" \
    || { echo "FAIL: gen-man.sh"; exit 1; }
if ! diff -u "$MI_SOURCE_DIR/docs/mi.1" "$work/mi.1"; then
    echo "FAIL: docs/mi.1 differs from the help; run scripts/gen-man.sh build/bin/mi > docs/mi.1"
    exit 1
fi
grep -q '^\.SS associators$' "$work/mi.1" || { echo "FAIL: no associators section"; exit 1; }
echo "mi.1 matches the help"
