#!/usr/bin/env bash
# The mi tool on the sample datacenter model: every subcommand and output format, the
# JSON shape field by field, the DOT graph through Graphviz, and the errors and exit
# codes the help documents, with nothing changed on disk by a failed command.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
repo="$work/dc.db"
mi() { "$MI_BUILD_DIR/bin/mi" --repository "$repo" "$@"; }
web1=(CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1)
db1='CIM_ComputerSystem.CreationClassName="CIM_ComputerSystem",Name="db1"'

out=$(mi compile "$MI_SOURCE_DIR/samples/datacenter.mof") || fail "compile: $out"
[[ $out == "stored 1 file "*"29 classes, 60 instances, 0 errors, 0 warnings" ]] || fail "summary: $out"

# associators: paths (the default off a terminal), filters, keys-only
out=$(mi associators "${web1[@]}") || fail "associators"
[ "$(wc -l <<<"$out")" -eq 6 ] || fail "web1 has 6 associated instances, got: $out"
grep -q '^root/cimv2:CIM_DiskDrive.SystemCreationClassName="CIM_ComputerSystem",SystemName="web1",CreationClassName="CIM_DiskDrive",DeviceID="sda"$' <<<"$out" \
    || fail "disk path: $out"
out=$(mi associators "$db1" --assoc-class CIM_SystemDevice --result-class CIM_DiskDrive) || fail "filters"
[ "$(wc -l <<<"$out")" -eq 2 ] || fail "db1 has two disks: $out"
out=$(mi associators "$db1" --role GroupComponent --result-role PartComponent --keys-only) || fail "roles"
[ "$(wc -l <<<"$out")" -eq 6 ] || fail "db1 parts: $out"
out=$(mi associators "$db1" --assoc-class CIM_RunningOS) || fail "running os"
[[ $out == *CIM_OperatingSystem* && $(wc -l <<<"$out") -eq 1 ]] || fail "running os: $out"
out=$(mi associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=vm1 \
    --assoc-class CIM_HostedDependency --result-role Antecedent) || fail "host of vm1"
[[ $out == *'Name="host1"'* ]] || fail "vm1 is hosted on host1: $out"

# references
out=$(mi references "${web1[@]}" --result-class CIM_SystemDevice) || fail "references"
[ "$(wc -l <<<"$out")" -eq 2 ] || fail "web1 system devices: $out"
out=$(mi references "${web1[@]}" --role Dependent --keys-only) || fail "references role"
[ "$(wc -l <<<"$out")" -eq 1 ] || fail "web1 as Dependent (RunningOS): $out"

# get, enumerate, classes, class
out=$(mi get "$db1" --format mof) || fail "get"
grep -q '^    PrimaryOwnerName = "data team";$' <<<"$out" || fail "get as MOF: $out"
[ "$(mi enumerate CIM_LogicalDevice | wc -l)" -eq 8 ] || fail "deep enumeration of devices"
[ "$(mi enumerate CIM_LogicalDevice --shallow | wc -l)" -eq 0 ] || fail "shallow enumeration"
[ "$(mi enumerate CIM_DiskDrive --shallow | wc -l)" -eq 5 ] || fail "disks"
out=$(mi classes CIM_LogicalDevice) || fail "classes"
[ "$out" = $'CIM_MediaAccessDevice\nCIM_LogicalPort' ] || fail "subclasses: $out"
[ "$(mi classes --deep | wc -l)" -eq 29 ] || fail "all classes"
out=$(mi class CIM_SystemDevice) || fail "class"
grep -q 'class CIM_SystemDevice : CIM_SystemComponent' <<<"$out" || fail "class header: $out"
grep -q 'CIM_LogicalDevice REF PartComponent;' <<<"$out" || fail "class reference: $out"

# classes in every format: MOF that compiles back to the same classes, JSON, CIM-XML
mi classes --deep --format mof >"$work/classes.mof" || fail "classes as MOF"
out=$("$MI_BUILD_DIR/bin/mi" --repository "$work/classes.db" compile "$work/classes.mof") \
    || fail "the classes as MOF do not compile"
[[ $out == *"29 classes, 0 instances, 0 errors, 0 warnings" ]] || fail "classes MOF: $out"
[ "$("$MI_BUILD_DIR/bin/mi" --repository "$work/classes.db" classes --deep --format mof)" = \
  "$(cat "$work/classes.mof")" ] || fail "the classes do not come back the same"
mi class CIM_DiskDrive --format json | python3 -c '
import json, sys
[c] = json.load(sys.stdin)
assert c["name"] == "CIM_DiskDrive" and c["superclass"] == "CIM_MediaAccessDevice", c
p = c["properties"]
assert p["DeviceID"]["key"] is True and p["DeviceID"]["type"] == "string", p["DeviceID"]
assert p["MaxMediaSize"]["type"] == "uint64" and p["MaxMediaSize"]["default"] is None
assert p["OperationalStatus"]["type"] == "uint16[]"' || fail "class as JSON"
mi class CIM_SystemDevice --format json | python3 -c '
import json, sys
[c] = json.load(sys.stdin)
assert c["qualifiers"]["Association"] is True, c["qualifiers"]
g = c["properties"]["GroupComponent"]
assert g["type"] == "reference" and g["class"] == "CIM_System" and g["key"], g' \
    || fail "association class as JSON"
mi class CIM_SystemDevice --format xml | python3 -c '
import sys, xml.etree.ElementTree as ET
[c] = ET.parse(sys.stdin).getroot().findall("CLASS")
assert c.get("NAME") == "CIM_SystemDevice" and c.get("SUPERCLASS") == "CIM_SystemComponent"
refs = {r.get("NAME"): r.get("REFERENCECLASS") for r in c.findall("PROPERTY.REFERENCE")}
assert refs == {"GroupComponent": "CIM_System", "PartComponent": "CIM_LogicalDevice"}, refs' \
    || fail "class as CIM-XML"
# the sample's values mean what the CIM Schema says: Dedicated by its value map, sizes in KB
mi class CIM_ComputerSystem --format json | python3 -c '
import json, sys
[c] = json.load(sys.stdin)
q = c["properties"]["Dedicated"]["qualifiers"]
meaning = dict(zip(q["ValueMap"], q["Values"]))
assert meaning["39"] == "Server" and meaning["0"] == "Not Dedicated" and meaning["16"] == "File Server", meaning' \
    || fail "Dedicated value map"
mi get "$db1" --format json | python3 -c 'import json,sys; assert json.load(sys.stdin)[0]["properties"]["Dedicated"]["value"] == [39]' \
    || fail "db1 is a server (Dedicated 39)"
mi class CIM_DiskDrive --format json | python3 -c '
import json, sys
assert json.load(sys.stdin)[0]["properties"]["MaxMediaSize"]["qualifiers"]["PUnit"] == "byte * 10^3"' \
    || fail "MaxMediaSize is in kilobytes"
[ "$(mi classes --deep --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -eq 29 ] \
    || fail "classes as JSON"
[ "$(mi classes --format paths)" = "$(mi classes)" ] || fail "classes by name"
expect_usage() { "$@" >/dev/null 2>"$work/err"; [ $? -eq 2 ] || fail "$* must be a usage error"; }
expect_usage mi class CIM_DiskDrive --format table
expect_usage mi associators "${web1[@]}" --format dot
grep -q -- "--format takes table, mof, json, xml or paths, not 'dot'" "$work/err" || fail "$(cat "$work/err")"
# graph as JSON: the same nodes and edges as the DOT
mi graph "${web1[@]}" --depth 2 --format json >"$work/g.json" || fail "graph as JSON"
python3 - "$work/g.json" <<'PY' || fail "graph JSON: $(cat "$work/g.json")"
import json, sys
g = json.load(open(sys.argv[1]))
ids = {n["id"] for n in g["nodes"]}
assert len(g["nodes"]) == 7 and g["nodes"][0]["depth"] == 0, g["nodes"]
assert g["nodes"][0]["class"] == "CIM_ComputerSystem"
assert all(e["from"] in ids and e["to"] in ids for e in g["edges"])
assert any(e["association"] == "CIM_SystemDevice" and e["role"] == "GroupComponent" for e in g["edges"])
PY
# create prints what it made: its path, or the instance in the format asked for
out=$(cp "$repo" "$work/made.db" && "$MI_BUILD_DIR/bin/mi" --repository "$work/made.db" create \
    CIM_SoftwareIdentity InstanceID=made:1) || fail "create"
[ "$out" = 'root/cimv2:CIM_SoftwareIdentity.InstanceID="made:1"' ] || fail "create prints: $out"
"$MI_BUILD_DIR/bin/mi" --repository "$work/made.db" create CIM_SoftwareIdentity InstanceID=made:2 \
    --format json | python3 -c 'import json,sys; assert json.load(sys.stdin)[0]["properties"]["InstanceID"]["value"] == "made:2"' \
    || fail "create --format json"

# table
out=$(mi associators "${web1[@]}" --format table) || fail "table"
grep -q '^CIM_NetworkPort (1)$' <<<"$out" || fail "table title: $out"
grep -q '52:54:00:12:34:01' <<<"$out" || fail "table row: $out"
! grep -q ' $' <<<"$out" || fail "table lines end in spaces"
grep -q '^InstanceID  *ElementName  *VersionString  *Manufacturer$' <<<"$out" || fail "columns: $out"

# JSON, checked field by field
mi associators "$db1" --format json >"$work/out.json" || fail "json"
python3 - "$work/out.json" <<'PY' || fail "JSON shape"
import json, sys
items = json.load(open(sys.argv[1]))
assert len(items) == 8, len(items)
disks = [i for i in items if i["class"] == "CIM_DiskDrive"]
assert len(disks) == 2
d = [i for i in disks if i["properties"]["DeviceID"]["value"] == "sdb"][0]
assert d["namespace"] == "root/cimv2"
assert d["path"].startswith("root/cimv2:CIM_DiskDrive."), d["path"]
p = d["properties"]
assert p["DeviceID"] == {"type": "string", "key": True, "value": "sdb"}, p["DeviceID"]
assert p["MaxMediaSize"] == {"type": "uint64", "key": False, "value": 3840755982}  # KB
assert p["Caption"]["value"] is None
assert p["OperationalStatus"]["type"] == "uint16[]"
os_ = [i for i in items if i["class"] == "CIM_OperatingSystem"][0]["properties"]
assert os_["LastBootUpTime"] == {"type": "datetime", "key": False,
                                 "value": "20261020120000.000000+000"}
PY
out=$(mi get "$db1" --format json) || fail "json get"
python3 -c 'import json,sys; i=json.loads(sys.argv[1])[0]; assert i["properties"]["Roles"]["value"]==["database server"]' "$out" \
    || fail "string array: $out"

# XML: well formed, VALUE.NAMEDINSTANCE with the keys as KEYBINDINGs
mi associators "${web1[@]}" --format xml >"$work/out.xml" || fail "xml"
python3 - "$work/out.xml" <<'PY' || fail "XML shape"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
named = root.findall("VALUE.NAMEDINSTANCE")
assert len(named) == 6
disk = [n for n in named if n.find("INSTANCE").get("CLASSNAME") == "CIM_DiskDrive"][0]
keys = {k.get("NAME"): k.find("KEYVALUE").text for k in disk.find("INSTANCENAME")}
assert keys["DeviceID"] == "sda" and len(keys) == 4, keys
size = [p for p in disk.find("INSTANCE").findall("PROPERTY") if p.get("NAME") == "MaxMediaSize"][0]
assert size.get("TYPE") == "uint64" and size.find("VALUE").text == "480103981"
PY

# graph: DOT that Graphviz reads, each instance once
mi graph "${web1[@]}" --depth 2 >"$work/g.dot" || fail "graph"
if command -v dot >/dev/null; then
    dot -Tsvg "$work/g.dot" -o "$work/g.svg" || fail "dot rejects the graph: $(cat "$work/g.dot")"
    grep -q '<svg' "$work/g.svg" || fail "no SVG"
fi
[ "$(grep -c '\[label=.*style=bold\]' "$work/g.dot")" -eq 1 ] || fail "one start node"
nodes=$(grep -cE '^  n[0-9]+ \[label=' "$work/g.dot")
# web1, its 6 neighbours, and at depth 2 the OS/port/endpoint links lead back inside
[ "$nodes" -eq 7 ] || fail "7 nodes at depth 2, got $nodes: $(cat "$work/g.dot")"
grep -q 'n0 -> n[0-9]* \[label="CIM_SystemDevice' "$work/g.dot" || fail "edge label"
nodes=$(mi graph "$db1" --depth 1 --assoc-class CIM_SystemDevice | grep -cE '^  n[0-9]+ \[label=')
[ "$nodes" -eq 4 ] || fail "db1 and its 3 devices, got $nodes"

# create, modify, delete
cp "$repo" "$work/before.db"
mi create CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 \
    CreationClassName=CIM_DiskDrive DeviceID=sdb MaxMediaSize=1000 >/dev/null || fail "create"
mi modify CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 \
    CreationClassName=CIM_DiskDrive DeviceID=sdb MaxMediaSize=2000 || fail "modify"
out=$(mi get CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 \
    CreationClassName=CIM_DiskDrive DeviceID=sdb --format json)
[[ $out == *'"MaxMediaSize": {"type": "uint64", "key": false, "value": 2000}'* ]] || fail "modified: $out"
mi delete CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 \
    CreationClassName=CIM_DiskDrive DeviceID=sdb || fail "delete"
mi get CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 \
    CreationClassName=CIM_DiskDrive DeviceID=sdb 2>"$work/err"
[ $? -eq 1 ] && grep -q 'MI_RESULT_NOT_FOUND (6)' "$work/err" || fail "deleted: $(cat "$work/err")"

# array values: items in double quotes may hold commas, quotes and backslashes; {} is empty
mi create CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=t1 \
    'Roles={"web, cache", "say \"hi\" \\ok",db}' 'Dedicated={2, 3}' >/dev/null || fail "create with arrays"
mi get CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=t1 --format json | python3 -c '
import json, sys
p = json.load(sys.stdin)[0]["properties"]
assert p["Roles"]["value"] == ["web, cache", "say \"hi\" \\ok", "db"], p["Roles"]
assert p["Dedicated"]["value"] == [2, 3], p["Dedicated"]' || fail "array values as given"
mi modify CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=t1 'Roles={}' || fail "empty array"
mi get CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=t1 --format mof | grep -q 'Roles = {};' \
    || fail "Roles is not empty"
mi delete CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=t1 || fail "delete t1"

# errors and exit codes
expect() { # expect CODE PATTERN-ON-STDERR ARGS...
    local code=$1 pattern=$2
    shift 2
    "$@" >/dev/null 2>"$work/err"
    local got=$?
    [ $got -eq "$code" ] || fail "$* exited $got, not $code: $(cat "$work/err")"
    grep -q -- "$pattern" "$work/err" || fail "$*: no '$pattern' in: $(cat "$work/err")"
}
sum=$(md5sum <"$repo")
expect 2 "unknown option '--bogus'" mi associators "${web1[@]}" --bogus
expect 2 "unknown option '--assoc-class'" mi get "${web1[@]}" --assoc-class X
expect 2 "--format takes" mi associators "${web1[@]}" --format yaml
expect 2 "--timeout takes a number of seconds (0: never)" mi associators "${web1[@]}" --timeout -1
[ "$(mi associators "${web1[@]}" --timeout 0 | wc -l)" -eq 6 ] || fail "--timeout 0"
[ "$(mi associators "${web1[@]}" --timeout 30 | wc -l)" -eq 6 ] || fail "--timeout 30"
expect 2 "no instance given" mi associators
expect 2 "column" mi associators 'CIM_ComputerSystem.Name="unterminated'
expect 2 "expected KEY=VALUE" mi associators CIM_ComputerSystem Name
expect 1 "MI_RESULT_INVALID_PARAMETER (4)" mi associators NoSuchClass Name=x
expect 1 "MI_RESULT_INVALID_NAMESPACE (3)" mi associators "${web1[@]}" -n root/nowhere
expect 1 "MI_RESULT_NOT_FOUND (6): no repository at" \
    "$MI_BUILD_DIR/bin/mi" --repository "$work/missing.db" associators "${web1[@]}"
[ ! -e "$work/missing.db" ] || fail "a query created a repository"
expect 1 "MI_RESULT_INVALID_PARAMETER (4): --host and --repository exclude each other" \
    mi associators "${web1[@]}" --host http://127.0.0.1:5988
expect 1 "MI_RESULT_FAILED (1): http://127.0.0.1:1/cimom: " \
    "$MI_BUILD_DIR/bin/mi" --host http://127.0.0.1:1 associators "${web1[@]}"
expect 1 "http://127.0.0.1:5988/cimom: cannot connect" "$MI_BUILD_DIR/bin/mi" --host http://127.0.0.1 classes
expect 1 "https://127.0.0.1:5989/cimom: cannot connect" "$MI_BUILD_DIR/bin/mi" --host https://127.0.0.1/ classes
mkdir -p "$work/home"
env -u MI_REPOSITORY -u XDG_DATA_HOME HOME="$work/home" "$MI_BUILD_DIR/bin/mi" selfcheck >/dev/null \
    || fail "selfcheck"
[ -z "$(ls -A "$work/home")" ] || fail "selfcheck left files: $(find "$work/home")"
expect 1 "MI_RESULT_NOT_SUPPORTED (7): cannot open ftp://x: a remote destination is http" \
    "$MI_BUILD_DIR/bin/mi" --host ftp://x associators "${web1[@]}"
expect 1 "MI_RESULT_INVALID_PARAMETER (4): --user goes with --host" mi classes --user bob
echo "not a repository" >"$work/text.db"
expect 1 "MI_RESULT_FAILED (1): cannot open the repository: .*text.db is not a libmi repository" \
    "$MI_BUILD_DIR/bin/mi" --repository "$work/text.db" classes
[ "$(cat "$work/text.db")" = "not a repository" ] || fail "a foreign file was changed"
[ "$(md5sum <"$repo")" = "$sum" ] || fail "failed commands changed the repository"
# a read-only repository: queries work, changes are refused, the file stays as it was
ro="$work/ro"
mkdir "$ro" && cp "$repo" "$ro/dc.db" && chmod 444 "$ro/dc.db" && chmod 555 "$ro"
as_reader=()
if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$work"
    as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
ro_sum=$(md5sum <"$ro/dc.db")
out=$("${as_reader[@]}" "$MI_BUILD_DIR/bin/mi" --repository "$ro/dc.db" associators "${web1[@]}") \
    || fail "a read-only repository answers queries"
[ "$(wc -l <<<"$out")" -eq 6 ] || fail "read-only associators: $out"
expect 1 "MI_RESULT_ACCESS_DENIED (2): the repository .* is read-only" "${as_reader[@]}" \
    "$MI_BUILD_DIR/bin/mi" --repository "$ro/dc.db" create CIM_SoftwareIdentity InstanceID=x
expect 1 "MI_RESULT_ACCESS_DENIED (2)" "${as_reader[@]}" "$MI_BUILD_DIR/bin/mi" \
    --repository "$ro/dc.db" compile "$MI_SOURCE_DIR/samples/datacenter.mof"
[ "$(md5sum <"$ro/dc.db")" = "$ro_sum" ] || fail "the read-only repository changed"
[ "$(ls "$ro")" = "dc.db" ] || fail "files appeared beside the read-only repository: $(ls "$ro")"
chmod 755 "$ro"

# bad values and unknown properties: one message each, exit 1, nothing stored
expect 1 "MI_RESULT_TYPE_MISMATCH (13): 'big' is not a uint64 value, as property MaxMediaSize of class CIM_DiskDrive takes" \
    mi create CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 \
    CreationClassName=CIM_DiskDrive DeviceID=sdz MaxMediaSize=big
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "a bad value said more than one line: $(cat "$work/err")"
expect 1 "MI_RESULT_NO_SUCH_PROPERTY (12): class CIM_DiskDrive has no property 'Colour'" \
    mi create CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 \
    CreationClassName=CIM_DiskDrive DeviceID=sdz Colour=red
[ "$(wc -l <"$work/err")" -eq 1 ] || fail "an unknown property said more than one line: $(cat "$work/err")"
# associators of an object that does not exist: an empty success, and a note saying so
out=$(mi associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=ghost 2>"$work/err") \
    || fail "associators of a missing object must succeed (SEMANTICS.md)"
[ -z "$out" ] || fail "associators of a missing object: $out"
grep -q '^mi: note: no instance CIM_ComputerSystem.CreationClassName="CIM_ComputerSystem",Name="ghost" in namespace root/cimv2; nothing refers to it$' "$work/err" \
    || fail "no note for a missing source: $(cat "$work/err")"
mi references CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=ghost 2>&1 >/dev/null \
    | grep -q 'mi: note: no instance' || fail "references of a missing object"
[ -z "$(mi associators "${web1[@]}" --assoc-class CIM_RunningOS --role Dependent --result-role Dependent 2>&1)" ] \
    || fail "an empty answer about an object that exists says nothing"
# tables on a terminal: display columns (UTF-8), control characters shown, fitted to the width
if command -v script >/dev/null; then
    cp "$repo" "$work/table.db"
    tmi() { "$MI_BUILD_DIR/bin/mi" --repository "$work/table.db" "$@"; }
    tmi create CIM_SoftwareIdentity InstanceID=w:1 "ElementName=日本語 naïve" VersionString=1 >/dev/null
    tmi create CIM_SoftwareIdentity InstanceID=w:2 "ElementName=$(printf 'two\nlines\033[31m')" \
        VersionString=2 >/dev/null
    on_terminal() { script -qc "stty cols $1; COLUMNS=$1 '$MI_BUILD_DIR/bin/mi' --repository '$work/table.db' ${*:2}" /dev/null | tr -d '\r'; }
    out=$(on_terminal 200 enumerate CIM_SoftwareIdentity --wide)
    grep -q 'two\\nlines\\x1B\[31m' <<<"$out" || fail "control characters are not escaped: $(cat -v <<<"$out")"
    python3 - "$out" <<'PY' || fail "columns do not line up: $out"
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.argv[1].splitlines()
header = [l for l in lines if l.startswith("InstanceID")][0]
column = width(header[:header.index("VersionString")])
rows = [l for l in lines if l.startswith("w:")]  # their last cell is VersionString
assert len(rows) == 2, rows
for row in rows:
    assert width(row[:row.rindex(" ") + 1]) == column, (row, column)
PY
    out=$(on_terminal 50 enumerate CIM_SoftwareIdentity)
    widest() { python3 -c 'import sys; print(max(len(l) for l in sys.stdin.read().splitlines()))'; }
    [ "$(widest <<<"$out")" -le 50 ] || fail "a table wider than the terminal: $out"
    grep -q '…' <<<"$out" || fail "no cut cells in a narrow table: $out"
    grep -q 'software:postgresql:15.10' <<<"$out" || fail "a key was cut while other columns could shrink: $out"
    [ "$(on_terminal 80 enumerate CIM_SoftwareIdentity --wide | widest)" -gt 80 ] \
        || fail "--wide cut the table"
    [ "$(on_terminal 80 enumerate CIM_NetworkPort --shallow -n root/cimv2 | grep -c .)" -ge 1 ] || fail "table"
    [ "$(on_terminal 80 associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=ghost 2>/dev/null | head -1)" = "0 instances" ] \
        || fail "an empty table on a terminal says 0 instances"
fi

# a large compile on a terminal shows a progress line, wiped before the summary
if command -v script >/dev/null; then
    python3 -c '
print("class Big { [Key] string Id; uint32 N; };")
for i in range(200000): print("instance of Big { Id = \"b%d\"; N = %d; };" % (i, i))' >"$work/big.mof"
    script -qc "'$MI_BUILD_DIR/bin/mi' --repository '$work/big.db' compile '$work/big.mof'" /dev/null \
        >"$work/tty" || fail "large compile"
    grep -q 'storing: 1 file, [0-9.]* MB, 1 classes, 200000 instances' "$work/tty" \
        || fail "no progress line: $(cat -v "$work/tty")"
    grep -q "$(printf '\r\033\\[K')stored 1 file" "$work/tty" || fail "progress not wiped: $(cat -v "$work/tty")"
    out=$("$MI_BUILD_DIR/bin/mi" --repository "$work/big.db" enumerate Big | wc -l)
    [ "$out" -eq 200000 ] || fail "200000 instances stored, got $out"
fi

# help for the tool and every subcommand
"$MI_BUILD_DIR/bin/mi" --help | grep -q '^  associators INSTANCE' || fail "mi --help"
"$MI_BUILD_DIR/bin/mi" --help | grep -qE '=$' && fail "mi --help breaks a line inside a token"
"$MI_BUILD_DIR/bin/mi" --help | grep -q '^  mi associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1$' \
    || fail "mi --help example"
for c in associators references get enumerate create modify delete class classes compile graph; do
    "$MI_BUILD_DIR/bin/mi" "$c" --help | grep -q "^usage: mi $c" || fail "mi $c --help"
done
# output that cannot be written: exit 1 and why, for every command and format
if [ -w /dev/full ]; then
    unwritable() { # what, then the command
        local what=$1; shift
        "$@" >/dev/full 2>"$work/err"; local rc=$?
        [ $rc -eq 1 ] && grep -q 'mi: cannot write the output: No space left on device' "$work/err" \
            || fail "$what into /dev/full: rc $rc, $(cat "$work/err")"
        [ "$(grep -c 'cannot write' "$work/err")" -eq 1 ] || fail "$what: said more than once"
    }
    for f in table mof json xml paths; do
        unwritable "enumerate --format $f" mi enumerate CIM_LogicalDevice --format "$f"
        unwritable "associators --format $f" mi associators "${web1[@]}" --format "$f"
    done
    unwritable classes mi classes
    unwritable "classes --format json" mi classes --deep --format json
    unwritable class mi class CIM_DiskDrive
    unwritable "class --format xml" mi class CIM_DiskDrive --format xml
    unwritable "graph --format json" mi graph "${web1[@]}" --format json
    unwritable graph mi graph "${web1[@]}"
    unwritable version "$MI_BUILD_DIR/bin/mi" version
    unwritable --help "$MI_BUILD_DIR/bin/mi" --help
fi
# a reader that leaves (| head) ends every format the same way: exit 1, nothing said
bulk="$work/bulk.mof"
for i in $(seq 3000); do
    printf 'instance of CIM_DiskDrive { SystemCreationClassName = "x"; SystemName = "bulk"; CreationClassName = "CIM_DiskDrive"; DeviceID = "d%d"; };\n' "$i"
done >"$bulk"
mi compile "$bulk" >/dev/null || fail "bulk compile"
for f in table mof json xml paths; do
    mi enumerate CIM_DiskDrive --format "$f" 2>"$work/err" | head -1 >/dev/null
    rc=${PIPESTATUS[0]}
    [ "$rc" -eq 1 ] && [ ! -s "$work/err" ] || fail "| head with --format $f: rc $rc, $(cat "$work/err")"
done
for c in version selfcheck; do
    "$MI_BUILD_DIR/bin/mi" "$c" --help | grep -q "^usage: mi $c" || fail "mi $c --help"
done
# NOT_FOUND and ALREADY_EXISTS name the instance as the user wrote it
expect 1 'MI_RESULT_NOT_FOUND (6): no instance cim_computersystem.CreationClassName="CIM_ComputerSystem",Name="Nope" in namespace root/cimv2' \
    mi get cim_computersystem CreationClassName=CIM_ComputerSystem Name=Nope
expect 1 'MI_RESULT_ALREADY_EXISTS (11): instance CIM_ComputerSystem.Name="web1",CreationClassName="CIM_ComputerSystem" already exists' \
    mi create CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1
# a short option takes its value attached too
[ "$(mi associators "${web1[@]}" -fjson)" = "$(mi associators "${web1[@]}" -f json)" ] \
    || fail "-fjson differs from -f json"
[ -n "$(mi classes -nroot/cimv2)" ] && [ "$(mi classes -nroot/cimv2)" = "$(mi classes -n root/cimv2)" ] || fail "-nNS differs"
expect 1 "MI_RESULT_INVALID_NAMESPACE (3)" mi classes -nroot/nowhere
# deleting an instance takes the associations whose keys name it: nothing answers for it
cp "$repo" "$work/deleting.db"
del() { "$MI_BUILD_DIR/bin/mi" --repository "$work/deleting.db" "$@"; }
[ "$(del associators "${web1[@]}" --format paths | wc -l)" -eq 6 ] || fail "web1 before the delete"
del delete "${web1[@]}" || fail "delete web1"
[ -z "$(del associators "${web1[@]}" --format paths)" ] || fail "web1's neighbours answer after its delete"
[ -z "$(del references "${web1[@]}" --format paths)" ] || fail "web1's associations outlive it"
del associators CIM_DiskDrive SystemCreationClassName=CIM_ComputerSystem SystemName=web1 \
    CreationClassName=CIM_DiskDrive DeviceID=sda --format paths | grep -q 'Name="web1"' \
    && fail "a disk of web1 still names it"
echo "mi cli: all checks passed"
