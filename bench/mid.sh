#!/usr/bin/env bash
# mid under load: for each size, a repository of N objects built by bench/associators
# (systems with 5 disks and 5 file systems each, joined by 10 associations: about N/2.1
# associations), served by mid; AssociatorNames and Associators of random systems
# (k = 10 results each) with 1 and 16 clients on keep-alive connections; mid's peak
# resident memory.
#   bench/mid.sh [--seconds S] [N ...]        (default: 5 s, 21000 2100000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${MI_BUILD_DIR:-build}
seconds=5
sizes=()
while [ $# -gt 0 ]; do
    case $1 in
    --seconds) seconds=$2; shift 2 ;;
    *) sizes+=("$1"); shift ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(21000 2100000)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
for n in "${sizes[@]}"; do
    "$build/bench/associators" --queries 10 --rounds 1 --keep "$n" >"$work/build.txt"
    file=$(sed -n 's/^kept \([^ ]*\) (\([0-9]*\) systems)$/\1/p' "$work/build.txt")
    systems=$(sed -n 's/^kept \([^ ]*\) (\([0-9]*\) systems)$/\2/p' "$work/build.txt")
    mb=$(du -m "$file" | cut -f1)
    "$build/bin/mid" --repository "$file" --listen 127.0.0.1:0 --ready-file "$work/port" \
        --access-log /dev/null &
    pid=$!
    for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
    port=$(cat "$work/port")
    rm -f "$work/port"
    echo "== $n objects, $systems systems, $((systems * 10)) associations, ${mb} MB"
    for method in AssociatorNames Associators; do
        printf '<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="%s"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH><IPARAMVALUE NAME="ObjectName"><INSTANCENAME CLASSNAME="Bench_System"><KEYBINDING NAME="Name"><KEYVALUE VALUETYPE="string">sys@N@</KEYVALUE></KEYBINDING></INSTANCENAME></IPARAMVALUE></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>' \
            "$method" >"$work/body.xml"
        for clients in 1 16; do
            "$build/bench/mid_load" --url "http://127.0.0.1:$port/cimom" --method "$method" \
                --body "$work/body.xml" --vary "$systems" --results 10 --clients "$clients" \
                --seconds "$seconds"
        done
    done
    echo "mid peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
    kill -TERM "$pid"
    wait "$pid" || true
    rm -f "$file" "$file-wal" "$file-shm"
done
echo "reproduce: bench/mid.sh --seconds $seconds ${sizes[*]}"
