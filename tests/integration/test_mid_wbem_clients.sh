#!/usr/bin/env bash
# mid as pywbem and pywbemcli use it (their requests, sent by a small client of the
# standard library): DeepInheritance, PropertyList, ModifyInstance, what is not supported,
# the spelling of returned names; and a quick stop with a client still connected.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; [ -f "$work/log" ] && tail -5 "$work/log"; exit 1; }
repo="$work/dc.db"
"$MI_BUILD_DIR/bin/mi" --repository "$repo" compile "$MI_SOURCE_DIR/samples/datacenter.mof" >/dev/null \
    || fail "compile"
"$MI_BUILD_DIR/bin/mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/port" \
    2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "mid did not start"
port=$(cat "$work/port")
python3 "$MI_SOURCE_DIR/tests/integration/mid_as_wbem_clients_use_it.py" "$port" || fail "as WBEM clients use it"

# SIGTERM with a client still holding a keep-alive connection: mid is gone within a second
python3 - "$port" "$pid" <<'PY' || fail "mid was slow to stop"
import http.client, os, signal, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
body = ('<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" '
        'PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="EnumerateClassNames"><LOCALNAMESPACEPATH>'
        '<NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH></IMETHODCALL></SIMPLEREQ>'
        '</MESSAGE></CIM>')
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/cimom", body, {"CIMOperation": "MethodCall", "CIMMethod": "EnumerateClassNames"})
c.getresponse().read()
start = time.time()
os.kill(pid, signal.SIGTERM)
try:
    c.sock.settimeout(5)
    c.sock.recv(1)  # the server closes the connection as it stops
except OSError:
    pass
def gone():
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[1].split()[0] == "Z"  # exited, not yet waited for
    except FileNotFoundError:
        return True
while time.time() - start < 5 and not gone():
    time.sleep(0.01)
took = time.time() - start
print(f"mid stopped {took:.2f} s after SIGTERM")
sys.exit(0 if took < 1.0 else 1)
PY
wait "$pid"; rc=$?
pid=
[ $rc -eq 0 ] || fail "mid exited $rc after SIGTERM"
# a mid on a repository that does not exist yet: the interop namespace answers at once
"$MI_BUILD_DIR/bin/mid" --repository "$work/fresh.db" --listen 127.0.0.1:0 --ready-file "$work/port2" \
    2>>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port2" ] && break; sleep 0.05; done
[ -s "$work/port2" ] || fail "mid did not start on a fresh repository"
PYTHONPATH="$MI_SOURCE_DIR/tests/integration" python3 - "$(cat "$work/port2")" <<'PY' || fail "interop on a fresh repository"
import sys
from cimxml_client import Client, classname, keybindings, properties
c = Client(f"http://127.0.0.1:{sys.argv[1]}")
om = c.call("EnumerateInstances", "root/interop", ClassName=classname("CIM_ObjectManager"))
assert len(om) == 1 and properties(om[0].find("INSTANCE"))["ElementName"] == "libmi"
names = sorted(keybindings(n)["Name"] for n in
               c.call("EnumerateInstanceNames", "root/interop", ClassName=classname("CIM_Namespace")))
assert names == ["root/cimv2", "root/interop"], names
assert len(c.call("EnumerateInstances", "root/interop", ClassName=classname("CIM_RegisteredProfile"))) == 2
print("a fresh mid describes itself")
PY
kill "$pid"; wait "$pid"; pid=
echo "mid as WBEM clients use it: all checks passed"
