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

# our own client over WS-Management (mi --host URL/wsman) agrees with CIM-XML
ws=(--host "http://127.0.0.1:$port/wsman")
for args in "enumerate CIM_ComputerSystem" \
    "associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1" \
    "references CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1 --role GroupComponent" \
    "get CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1"; do
    # shellcheck disable=SC2086 # the words are the arguments
    a=$("$mi" "${host[@]}" $args --format mof 2>&1) || fail "CIM-XML $args: $a"
    # shellcheck disable=SC2086
    b=$("$mi" "${ws[@]}" $args --format mof 2>&1) || fail "WS-Man $args: $b"
    [ "$a" = "$b" ] || fail "mi $args: WS-Man and CIM-XML differ: $(diff <(echo "$a") <(echo "$b") | head -5)"
done
q="SELECT Name, PrimaryOwnerName FROM CIM_ComputerSystem WHERE Name LIKE '%1'"
a=$("$mi" "${host[@]}" query "$q" --format mof) && b=$("$mi" "${ws[@]}" query "$q" --format mof) \
    || fail "query"
[ "$a" = "$b" ] && [ -n "$a" ] || fail "WQL over WS-Man and CIM-XML differ: $b"
"$mi" "${ws[@]}" create CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=ws1 \
    PrimaryOwnerName=first >/dev/null || fail "create over WS-Man"
"$mi" "${ws[@]}" modify CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=ws1 \
    PrimaryOwnerName=second >/dev/null || fail "modify over WS-Man"
got=$("$mi" "${host[@]}" get CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=ws1 --format mof)
grep -q 'PrimaryOwnerName = "second";' <<<"$got" || fail "the modification over WS-Man: $got"
"$mi" "${ws[@]}" delete 'CIM_ComputerSystem.CreationClassName="CIM_ComputerSystem",Name="ws1"' \
    >/dev/null || fail "delete over WS-Man"
"$mi" "${ws[@]}" get CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=ws1 2>"$work/err" \
    && fail "ws1 is still there"
grep -q NOT_FOUND "$work/err" || fail "get of a deleted instance: $(cat "$work/err")"
"$mi" "${ws[@]}" --batch 1 enumerate CIM_ComputerSystem --format paths | head -1 >/dev/null
echo "ok   mi over WS-Management: enumerate, associators, references, get, WQL, create, modify, delete"

py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3 # Debian's, with its python3-winrm
"$py" "$MI_SOURCE_DIR/tests/integration/wsman_clients.py" "$port" "$systems" "$devices" \
    || fail "WS-Management clients"
kill -0 "$pid" 2>/dev/null || fail "mid is gone"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

# authentication exactly as for CIM-XML: Basic against mid's password file
MID_PASSWORD=s3cret "$MI_BUILD_DIR/bin/mid" passwd alice --passwd "$work/passwd" >/dev/null \
    || fail "mid passwd"
"$MI_BUILD_DIR/bin/mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/port2" \
    --passwd "$work/passwd" 2>>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port2" ] && break; sleep 0.05; done
[ -s "$work/port2" ] || fail "mid did not start with users"
ws=(--host "http://127.0.0.1:$(cat "$work/port2")/wsman")
"$mi" "${ws[@]}" enumerate CIM_ComputerSystem 2>"$work/err" >/dev/null && fail "no credentials, yet answered"
grep -q ACCESS_DENIED "$work/err" || fail "without credentials: $(cat "$work/err")"
MI_PASSWORD=wrong "$mi" "${ws[@]}" --user alice enumerate CIM_ComputerSystem 2>"$work/err" >/dev/null \
    && fail "a wrong password, yet answered"
got=$(MI_PASSWORD=s3cret "$mi" "${ws[@]}" --user alice enumerate CIM_ComputerSystem --format paths | wc -l)
[ "$got" -eq "$(tr ',' '\n' <<<"$systems" | wc -l)" ] || fail "with credentials: $got systems"
echo "ok   Basic authentication over WS-Management"
echo "PASS"
