#!/usr/bin/env bash
# mid under load: for each size, a repository of N objects built by bench/associators
# (systems with 5 disks and 5 file systems each, joined by 10 associations: about N/2.1
# associations), served by mid; AssociatorNames and Associators of random systems
# (k = 10 results each) with 1 and 16 clients on keep-alive connections, over CIM-XML and
# over WS-Management (the association filter of DSP0227, the 10 results in the
# Enumerate response with OptimizeEnumeration); mid's peak resident memory.
#   bench/mid.sh [--seconds S] [N ...]        (default: 5 s, 21000 2100000)
# With --fanout R: one system with R disks instead; mid's resident memory after an
# Associators of R/100, R/10 and R results, each streamed to the client and timed.
#   bench/mid.sh --fanout 100000
set -euo pipefail
cd "$(dirname "$0")/.."
build=${MI_BUILD_DIR:-build}
seconds=5
sizes=()
fanout=0
while [ $# -gt 0 ]; do
    case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --fanout) fanout=$2; shift 2 ;;
    *) sizes+=("$1"); shift ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(21000 2100000)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT

start_mid() { # repository file
    "$build/bin/mid" --repository "$1" --listen 127.0.0.1:0 --ready-file "$work/port" \
        --access-log /dev/null &
    pid=$!
    for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
    port=$(cat "$work/port")
    rm -f "$work/port"
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

if [ "$fanout" -gt 0 ]; then
    # three systems with fanout/100, fanout/10 and fanout disks
    python3 - "$fanout" >"$work/fanout.mof" <<'PY'
import sys
n = int(sys.argv[1])
print('class Fan_System { [Key] string Name; };')
print('class Fan_Disk { [Key] string SystemName; [Key] string DeviceID; uint64 Capacity;'
      ' string Description; };')
print('[Association] class Fan_SystemDevice { [Key] Fan_System REF GroupComponent;'
      ' [Key] Fan_Disk REF PartComponent; };')
for size in (n // 100, n // 10, n):
    print(f'instance of Fan_System as $s{size} {{ Name = "fan{size}"; }};')
    for i in range(size):
        print(f'instance of Fan_Disk as $d{size}_{i} {{ SystemName = "fan{size}";'
              f' DeviceID = "disk{i:07d}"; Capacity = {i * 4096};'
              f' Description = "a disk of the fan-out benchmark, number {i}"; }};')
        print(f'instance of Fan_SystemDevice {{ GroupComponent = $s{size};'
              f' PartComponent = $d{size}_{i}; }};')
PY
    file="$work/fanout.db"
    "$build/bin/mi" --repository "$file" compile "$work/fanout.mof"
    start_mid "$file"
    echo "== fan-out: systems with $((fanout / 100)), $((fanout / 10)) and $fanout disks"
    echo "mid resident after start: $(rss_kb) kB"
    for size in $((fanout / 100)) $((fanout / 10)) "$fanout"; do
        printf '<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="Associators"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH><IPARAMVALUE NAME="ObjectName"><INSTANCENAME CLASSNAME="Fan_System"><KEYBINDING NAME="Name"><KEYVALUE VALUETYPE="string">fan%s</KEYVALUE></KEYBINDING></INSTANCENAME></IPARAMVALUE></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>' \
            "$size" >"$work/body.xml"
        curl -sS -o "$work/reply.xml" -w '%{size_download} %{time_total}\n' \
            -H 'Content-Type: application/xml; charset=utf-8' -H 'CIMOperation: MethodCall' \
            -H 'CIMMethod: Associators' -H 'CIMObject: root%2Fcimv2' \
            --data-binary "@$work/body.xml" "http://127.0.0.1:$port/cimom" >"$work/curl.txt"
        got=$(grep -o "<VALUE.OBJECTWITHPATH>" "$work/reply.xml" | wc -l)
        read -r bytes secs <"$work/curl.txt"
        [ "$got" -eq "$size" ] || { echo "expected $size results, got $got" >&2; exit 1; }
        echo "Associators of $size results: $((bytes / 1024)) kB in ${secs} s;" \
            "mid resident $(rss_kb) kB, peak $(awk '/^VmHWM/ {print $2}' /proc/$pid/status) kB"
    done
    # the largest again over WS-Management: Enumerate with the association filter, then
    # Pulls of 100 (mi's client), each page bounded
    start=$(date +%s.%N)
    got=$("$build/bin/mi" --host "http://127.0.0.1:$port/wsman" associators Fan_System \
        Name="fan$fanout" --format paths | wc -l)
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
    [ "$got" -eq "$fanout" ] || { echo "WS-Man: expected $fanout results, got $got" >&2; exit 1; }
    echo "WS-Man associators of $fanout results (Pulls of 100): ${secs} s;" \
        "mid resident $(rss_kb) kB, peak $(awk '/^VmHWM/ {print $2}' /proc/$pid/status) kB"
    kill -TERM "$pid"
    wait "$pid" || true
    echo "reproduce: bench/mid.sh --fanout $fanout"
    exit 0
fi
for n in "${sizes[@]}"; do
    "$build/bench/associators" --queries 10 --rounds 1 --keep "$n" >"$work/build.txt"
    file=$(sed -n 's/^kept \([^ ]*\) (\([0-9]*\) systems)$/\1/p' "$work/build.txt")
    systems=$(sed -n 's/^kept \([^ ]*\) (\([0-9]*\) systems)$/\2/p' "$work/build.txt")
    mb=$(du -m "$file" | cut -f1)
    start_mid "$file"
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
    cat >"$work/wsman.xml" <<'XML'
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsen="http://schemas.xmlsoap.org/ws/2004/09/enumeration" xmlns:wsman="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:wsmb="http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd"><s:Header><wsa:To>http://127.0.0.1/wsman</wsa:To><wsman:ResourceURI s:mustUnderstand="true">http://schemas.dmtf.org/wbem/wscim/1/*</wsman:ResourceURI><wsa:ReplyTo><wsa:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo><wsa:Action s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate</wsa:Action><wsa:MessageID>uuid:00000000-0000-4000-8000-0000000000a1</wsa:MessageID><wsman:MaxEnvelopeSize s:mustUnderstand="true">512000</wsman:MaxEnvelopeSize></s:Header><s:Body><wsen:Enumerate><wsman:OptimizeEnumeration/><wsman:MaxElements>32</wsman:MaxElements><wsman:Filter Dialect="http://schemas.dmtf.org/wbem/wsman/1/cimbinding/associationFilter"><wsmb:AssociatedInstances><wsmb:Object><wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address><wsa:ReferenceParameters><wsman:ResourceURI>http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/Bench_System</wsman:ResourceURI><wsman:SelectorSet><wsman:Selector Name="__cimnamespace">root/cimv2</wsman:Selector><wsman:Selector Name="Name">sys@N@</wsman:Selector></wsman:SelectorSet></wsa:ReferenceParameters></wsmb:Object></wsmb:AssociatedInstances></wsman:Filter></wsen:Enumerate></s:Body></s:Envelope>
XML
    for clients in 1 16; do
        "$build/bench/mid_load" --url "http://127.0.0.1:$port/wsman" --method WS-Man \
            --body "$work/wsman.xml" --vary "$systems" --results 10 --clients "$clients" \
            --seconds "$seconds"
    done
    echo "mid peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
    kill -TERM "$pid"
    wait "$pid" || true
    rm -f "$file" "$file-wal" "$file-shm"
done
echo "reproduce: bench/mid.sh --seconds $seconds ${sizes[*]}"
