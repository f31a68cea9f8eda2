#!/usr/bin/env bash
# Classes over CIM-XML: the DMTF CIM Schema served by mid reads the same through
# `mi --host` (GetClass and EnumerateClasses, each class built on its superclasses) as
# in-process: the names of every class, and the MOF of every 16th class with its
# qualifiers, properties, methods and parameters. Skipped without ../shared.
set -uo pipefail
: "${MI_BUILD_DIR:?}"
schema="${MI_SHARED_DIR:-}/mof/cim_schema_2.49.0/cim_schema_2.49.0.mof"
[ -f "$schema" ] || { echo "skipped: no CIM Schema at '$schema' (../shared is absent)"; exit 77; }
work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
mi="$MI_BUILD_DIR/bin/mi"
repo="$work/cim.db"
"$mi" --repository "$repo" compile "$schema" >/dev/null || fail "compile the schema"
"$MI_BUILD_DIR/bin/mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/port" \
    --access-log /dev/null 2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "mid did not start: $(cat "$work/log")"
host="http://127.0.0.1:$(cat "$work/port")"

"$mi" --repository "$repo" classes --deep >"$work/local" || fail "classes in-process"
"$mi" --host "$host" classes --deep >"$work/remote" || fail "classes through mid"
[ "$(wc -l <"$work/local")" -eq 1631 ] || fail "$(wc -l <"$work/local") classes in-process"
cmp -s "$work/local" "$work/remote" || fail "the class lists differ"
"$mi" --host "$host" classes CIM_LogicalDevice >"$work/remote" || fail "shallow classes"
"$mi" --repository "$repo" classes CIM_LogicalDevice | cmp -s - "$work/remote" \
    || fail "the subclasses of CIM_LogicalDevice differ"

compared=0
while read -r class; do
    "$mi" --repository "$repo" class "$class" >"$work/a" || fail "class $class in-process"
    "$mi" --host "$host" class "$class" >"$work/b" || fail "class $class through mid"
    cmp -s "$work/a" "$work/b" || fail "class $class differs: $(diff "$work/a" "$work/b" | head)"
    compared=$((compared + 1))
done < <(awk 'NR % 16 == 1' "$work/local")
"$mi" --host "$host" class CIM_NoSuchClass 2>"$work/err" && fail "an unknown class was found"
grep -q 'MI_RESULT_NOT_FOUND' "$work/err" || fail "unknown class: $(cat "$work/err")"
echo "$compared classes alike through mid and in-process"
