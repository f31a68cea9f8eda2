#!/usr/bin/env bash
# mid over WS-Management: Debian's wsl shell client (identify, enum, get), then
# python3-winrm's transport and raw messages (wsman_clients.py): WinRM-shaped requests,
# the association filter with Pull and Release, and bad input answered with SOAP faults.
# Answers are checked against the same mid asked over CIM-XML by mi.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; [ -f "$work/log" ] && tail -5 "$work/log"; exit 1; }
mi="$MI_BUILD_DIR/bin/mi"
repo="$work/dc.db"
"$mi" --repository "$repo" compile "$MI_SOURCE_DIR/samples/datacenter.mof" >/dev/null || fail "compile"
"$MI_BUILD_DIR/bin/mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/port" \
    2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "mid did not start"
port=$(cat "$work/port")
host=(--host "http://127.0.0.1:$port")

# what CIM-XML says, to compare with
systems=$("$mi" "${host[@]}" enumerate CIM_ComputerSystem --format paths | sed -nE 's/.*[.,]Name="([^"]*)".*/\1/p' | sort | paste -sd,)
devices=$("$mi" "${host[@]}" associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1 \
    --assoc-class CIM_SystemDevice --format paths | sed -nE 's/.*DeviceID="([^"]*)".*/\1/p' | sort | paste -sd,)
[ -n "$systems" ] && [ -n "$devices" ] || fail "mi found nothing to compare with"

if command -v wsl >/dev/null 2>&1; then
    export WSENDPOINT="127.0.0.1:$port" WSNOSSL=1 WSUSER=u WSPASS=p WSAUTOMATED=1 OUTPREFIX="$work"
    (cd "$work" && wsl identify check >"$work/wsl.out" 2>&1) || fail "wsl identify"
    grep -q "<wsmid:ProductVendor>libmi</wsmid:ProductVendor>" "$work/response.xml" || fail "wsl identify: no vendor"
    (cd "$work" && wsl enum CIM_ComputerSystem >"$work/wsl.out" 2>&1) || fail "wsl enum"
    got=$(sed -nE 's/.*<p:Name t:t="string">([^<]*)<\/p:Name>.*/\1/p' "$work/response.xml" | sort | paste -sd,)
    [ "$got" = "$systems" ] || fail "wsl enum gives '$got', CIM-XML '$systems'"
    (cd "$work" && wsl get CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1 >"$work/wsl.out" 2>&1) \
        || fail "wsl get"
    grep -q '<p:Name t:t="string">web1</p:Name>' "$work/response.xml" || fail "wsl get: not web1"
    echo "ok   wsl identify, enum ($got), get"
else
    echo "SKIP wsl is not installed (Debian package wsl): its part is not run"
fi

py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3 # Debian's, with its python3-winrm
"$py" "$MI_SOURCE_DIR/tests/integration/wsman_clients.py" "$port" "$systems" "$devices" \
    || fail "WS-Management clients"
kill -0 "$pid" 2>/dev/null || fail "mid is gone"
echo "PASS"
