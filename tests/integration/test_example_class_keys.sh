#!/usr/bin/env bash
# examples/class_keys.c: an instance named the documented way (GetClass, then
# NewInstanceFromClass, then its keys) and its associators, synchronously and with
# callbacks, in-process and through mid; the same answers both ways.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
example="$MI_BUILD_DIR/examples/class_keys"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export MI_REPOSITORY="$work/dc.db"
"$MI_BUILD_DIR/bin/mi" compile "$MI_SOURCE_DIR/samples/datacenter.mof" >/dev/null || fail "compile"
web1=(CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1)

local_out=$("$example" "${web1[@]}") || fail "in-process exited $?"
[ "$(head -1 <<<"$local_out")" = "class CIM_ComputerSystem: 10 properties" ] || fail "class: $local_out"
[ "$(grep -c '^sync ' <<<"$local_out")" -eq 6 ] || fail "sync results: $local_out"
[ "$(grep '^sync ' <<<"$local_out" | sed 's/^sync //')" = "$(grep '^async ' <<<"$local_out" | sed 's/^async //')" ] \
    || fail "sync and async differ: $local_out"
grep -qx 'sync CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 CreationClassName=CIM_DiskDrive DeviceID=sda' <<<"$local_out" \
    || fail "the disk: $local_out"
grep -qx 'invoke MI_RESULT_METHOD_NOT_FOUND' <<<"$local_out" || fail "invoke: $local_out"

"$MI_BUILD_DIR/bin/mid" --repository "$MI_REPOSITORY" --listen 127.0.0.1:0 --ready-file "$work/port" \
    2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "mid did not start"
remote_out=$("$example" "http://127.0.0.1:$(cat "$work/port")" "${web1[@]}") || fail "through mid exited $?"
[ "$remote_out" = "$local_out" ] || fail "through mid:
$remote_out
in-process:
$local_out"
# a class that is not there: the documented failure, not a crash
"$example" NoSuchClass Name=x >/dev/null 2>"$work/err" && fail "an unknown class succeeded"
grep -q 'MI_Session_GetClass failed: MI_RESULT_NOT_FOUND\|MI_Session_GetClass failed: MI_RESULT_INVALID_CLASS' "$work/err" \
    || fail "unknown class: $(cat "$work/err")"
echo "class_keys: all checks passed"
