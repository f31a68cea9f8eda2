#!/usr/bin/env bash
# mid on loopback with the sample model: sblim-wbemcli's answers equal mi's in-process
# answers; Basic authentication; HTTPS with a self-signed certificate; the protocol
# errors of DSP0200 (not well-formed XML, an entity expansion attack, an unknown method,
# a body over the limit, header mismatches); an unknown namespace as an ERROR element; a
# client that leaves mid-response; a graceful stop on SIGTERM.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
for tool in wbemcli curl openssl; do
    command -v $tool >/dev/null || { echo "skipped: $tool is not installed (scripts/deps.sh)"; exit 77; }
done
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$work/log" ] && tail -5 "$work/log"; exit 1; }
# eventually CMD...: true once CMD succeeds, trying for up to 10 s (mid logs a request
# just after its reply is out, and a loaded machine may take its time)
eventually() {
    for _ in $(seq 200); do "$@" && return 0; sleep 0.05; done
    return 1
}
mi="$MI_BUILD_DIR/bin/mi"
mid="$MI_BUILD_DIR/bin/mid"
repo="$work/dc.db"
"$mi" --repository "$repo" compile "$MI_SOURCE_DIR/samples/datacenter.mof" >/dev/null || fail "compile"
MID_PASSWORD=s3cret "$mid" passwd alice --passwd "$work/passwd" >/dev/null || fail "mid passwd"
grep -q '^alice:\$y\$' "$work/passwd" || fail "the password file holds no yescrypt hash"
"$mid" passwd --help | grep -q '^usage: mid passwd USER --passwd FILE' || fail "mid passwd --help"
"$mid" passwd alice 2>"$work/err"; [ $? -eq 2 ] && grep -q 'give a user and --passwd FILE' "$work/err" \
    || fail "mid passwd without a file: $(cat "$work/err")"

# start_mid NAME ARGS...: starts mid on a free port; its port in $port
start_mid() {
    local name=$1
    shift
    rm -f "$work/$name.port"
    "$mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/$name.port" \
        --access-log "$work/log" "$@" 2>>"$work/log" &
    pids+=($!)
    for _ in $(seq 100); do [ -s "$work/$name.port" ] && break; sleep 0.05; done
    [ -s "$work/$name.port" ] || fail "mid did not start"
    port=$(cat "$work/$name.port")
}
start_mid plain --passwd "$work/passwd" --max-body 8192
url="http://alice:s3cret@127.0.0.1:$port/root/cimv2"
# lifecycle lines carry the time; a GET is 405 and says what is allowed
grep -Eq '^time=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z event=listening ' "$work/log" \
    || fail "no time on the listening line: $(grep event= "$work/log")"
curl -s -o /dev/null -D "$work/h405" -u alice:s3cret "http://127.0.0.1:$port/cimom"
grep -q '^HTTP/1.1 405' "$work/h405" && grep -qi '^Allow: POST' "$work/h405" \
    || fail "GET: $(cat "$work/h405")"
web1='CIM_ComputerSystem.CreationClassName="CIM_ComputerSystem",Name="web1"'
db1='CIM_ComputerSystem.CreationClassName="CIM_ComputerSystem",Name="db1"'

# wbemcli's paths (host stripped, properties cut at the first space outside quotes)
path_only='
import sys
def split_top(text, sep):
    parts, quoted, start = [], False, 0
    for i, c in enumerate(text):
        if c == "\"" and (i == 0 or text[i - 1] != "\\"):
            quoted = not quoted
        elif c == sep and not quoted:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
host = len(sys.argv) > 1
for line in sys.stdin:
    line = line.rstrip("\n")
    if host:
        line = line[line.index("/") + 1:]
    path = split_top(line, " ")[0]
    head, _, keys = path.partition(".")
    print(head + "." + ",".join(sorted(split_top(keys, ","), key=str.lower)))'
# wbemcli's paths against mi's, sorted
same_paths() { # same_paths WBEMCLI-ARGS... -- MI-ARGS...
    local w=() m=()
    while [ "$1" != "--" ]; do w+=("$1"); shift; done
    shift
    m=("$@")
    wbemcli "${w[@]}" 2>"$work/err" | python3 -c "$path_only" host | sort >"$work/w" \
        || fail "wbemcli ${w[*]}: $(cat "$work/err")"
    "$mi" --repository "$repo" "${m[@]}" --format paths | python3 -c "$path_only" | sort >"$work/m" \
        || fail "mi ${m[*]}"
    [ -s "$work/m" ] || fail "mi ${m[*]} gave nothing"
    diff "$work/w" "$work/m" >/dev/null || fail "wbemcli ${w[*]} differs from mi: $(diff "$work/w" "$work/m")"
}
same_paths ain "$url:$web1" -- associators "$web1" --keys-only
same_paths ai "$url:$web1" -- associators "$web1"
same_paths ain -ac CIM_SystemDevice "$url:$db1" -- associators "$db1" --assoc-class CIM_SystemDevice
same_paths ain -arc CIM_DiskDrive -ar GroupComponent -arr PartComponent "$url:$db1" -- \
    associators "$db1" --result-class CIM_DiskDrive --role GroupComponent --result-role PartComponent
same_paths ein "$url:CIM_LogicalDevice" -- enumerate CIM_LogicalDevice --keys-only
same_paths ei "$url:CIM_DiskDrive" -- enumerate CIM_DiskDrive
same_paths gi "$url:$db1" -- get "$db1"
n=$(wbemcli rin "$url:$web1" | wc -l)
[ "$n" -eq "$("$mi" --repository "$repo" references "$web1" | wc -l)" ] || fail "rin gave $n"
n=$(wbemcli ri -arc CIM_SystemDevice "$url:$web1" | grep -c 'CIM_SystemDevice')
[ "$n" -eq 2 ] || fail "ri -arc CIM_SystemDevice gave $n"
wbemcli gc "$url:CIM_SystemDevice" | grep -q 'CIM_SystemDevice' || fail "gc"
out=$(wbemcli ecn "$url:CIM_LogicalDevice" | sed 's/.*://' | sort | tr '\n' ' ')
[ "$out" = "CIM_DiskDrive CIM_LogicalPort CIM_MediaAccessDevice CIM_NetworkPort " ] \
    || fail "ecn: $out"
out=$(wbemcli gi "$url:CIM_ComputerSystem.CreationClassName=\"CIM_ComputerSystem\",Name=\"web1\"" )
[[ $out == *'PrimaryOwnerName="web team"'* ]] || fail "gi properties: $out"

# authentication
wbemcli ain "http://alice:wrong@127.0.0.1:$port/root/cimv2:$web1" >/dev/null 2>&1 && fail "a wrong password was accepted"
call() { # call BODY-FILE [curl args]: the status line and headers in $work/h, body in $work/b
    local body=$1
    shift
    curl -s -o "$work/b" -D "$work/h" -H 'Content-Type: application/xml; charset="utf-8"' \
        -H 'CIMProtocolVersion: 1.0' -H 'CIMOperation: MethodCall' "$@" \
        --data-binary @"$body" "http://127.0.0.1:$port/cimom"
}
request() { # request METHOD NAMESPACE-ELEMENTS PARAMS > file
    printf '<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="7" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="%s"><LOCALNAMESPACEPATH>%s</LOCALNAMESPACEPATH>%s</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>' "$1" "$2" "$3"
}
cimv2='<NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/>'
request EnumerateInstanceNames "$cimv2" '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="CIM_DiskDrive"/></IPARAMVALUE>' >"$work/ein.xml"
call "$work/ein.xml" -H 'CIMMethod: EnumerateInstanceNames'
grep -q '^HTTP/1.1 401' "$work/h" || fail "no credentials: $(head -1 "$work/h")"
grep -qi '^WWW-Authenticate: Basic' "$work/h" || fail "no Basic challenge"
call "$work/ein.xml" -H 'CIMMethod: EnumerateInstanceNames' -u alice:nope
grep -q '^HTTP/1.1 401' "$work/h" || fail "wrong password: $(head -1 "$work/h")"
call "$work/ein.xml" -H 'CIMMethod: EnumerateInstanceNames' -u alice:s3cret
grep -q '^HTTP/1.1 200' "$work/h" || fail "good request: $(head -1 "$work/h")"
grep -qi '^CIMOperation: MethodResponse' "$work/h" || fail "no CIMOperation header"
grep -qi '^Transfer-Encoding: chunked' "$work/h" || fail "the reply is not streamed"
[ "$(grep -o '<INSTANCENAME ' "$work/b" | wc -l)" -eq 5 ] || fail "five disks: $(cat "$work/b")"
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$work/b" || fail "reply not well-formed"
grep -q '<MESSAGE ID="7"' "$work/b" || fail "MESSAGE ID not echoed"

# protocol errors
expect_status() { # expect_status CODE CIMERROR BODY-FILE METHOD
    call "$3" -H "CIMMethod: $4" -u alice:s3cret
    grep -q "^HTTP/1.1 $1" "$work/h" || fail "$4: expected $1, got $(head -1 "$work/h")"
    [ -z "$2" ] || grep -qi "^CIMError: $2" "$work/h" || fail "$4: no CIMError $2: $(cat "$work/h")"
}
printf '<CIM><MESSAGE ID="1"><SIMPLEREQ><IMETHODCALL NAME="GetClass">' >"$work/bad.xml"
expect_status 400 request-not-well-formed "$work/bad.xml" GetClass
cat >"$work/bomb.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="GetClass"><LOCALNAMESPACEPATH><NAMESPACE NAME="&lol3;"/></LOCALNAMESPACEPATH></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>
XML
expect_status 400 request-not-well-formed "$work/bomb.xml" GetClass
request Frobnicate "$cimv2" '' >"$work/unknown.xml"
expect_status 200 "" "$work/unknown.xml" Frobnicate  # a CIM error a client can handle
grep -q '<ERROR CODE="7"' "$work/b" || fail "Frobnicate: not CIM_ERR_NOT_SUPPORTED: $(cat "$work/b")"
expect_status 400 header-mismatch "$work/ein.xml" GetClass
request GetClass "$cimv2" '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="CIM_DiskDrive"/></IPARAMVALUE>' >"$work/gc.xml"
curl -s -o "$work/b" -D "$work/h" -H 'CIMOperation: MethodResponse' -H 'CIMMethod: GetClass' \
    -u alice:s3cret --data-binary @"$work/gc.xml" "http://127.0.0.1:$port/cimom"
grep -q '^HTTP/1.1 400' "$work/h" && grep -qi '^CIMError: header-mismatch' "$work/h" \
    || fail "CIMOperation other than MethodCall: $(head -1 "$work/h")"
# a body over --max-body (8192): 413, nothing stored
big=$(head -c 9000 /dev/zero | tr '\0' x)
request CreateInstance "$cimv2" "<IPARAMVALUE NAME=\"NewInstance\"><INSTANCE CLASSNAME=\"CIM_SoftwareIdentity\"><PROPERTY NAME=\"InstanceID\" TYPE=\"string\"><VALUE>huge</VALUE></PROPERTY><PROPERTY NAME=\"Manufacturer\" TYPE=\"string\"><VALUE>$big</VALUE></PROPERTY></INSTANCE></IPARAMVALUE>" >"$work/huge.xml"
expect_status 413 "" "$work/huge.xml" CreateInstance
"$mi" --repository "$repo" get CIM_SoftwareIdentity InstanceID=huge >/dev/null 2>&1 && fail "the oversize instance was stored"
# an unknown namespace: HTTP 200 with ERROR CODE 3
request GetClass '<NAMESPACE NAME="root"/><NAMESPACE NAME="nowhere"/>' '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="CIM_DiskDrive"/></IPARAMVALUE>' >"$work/ns.xml"
call "$work/ns.xml" -H 'CIMMethod: GetClass' -u alice:s3cret
grep -q '^HTTP/1.1 200' "$work/h" && grep -q '<ERROR CODE="3"' "$work/b" || fail "unknown namespace: $(cat "$work/b")"
# create through CIM-XML, then read it back in-process
request CreateInstance "$cimv2" '<IPARAMVALUE NAME="NewInstance"><INSTANCE CLASSNAME="CIM_SoftwareIdentity"><PROPERTY NAME="InstanceID" TYPE="string"><VALUE>software:curl</VALUE></PROPERTY><PROPERTY NAME="VersionString" TYPE="string"><VALUE>7.88</VALUE></PROPERTY></INSTANCE></IPARAMVALUE>' >"$work/create.xml"
call "$work/create.xml" -H 'CIMMethod: CreateInstance' -u alice:s3cret
grep -q '<INSTANCENAME CLASSNAME="CIM_SoftwareIdentity"><KEYBINDING NAME="InstanceID">' "$work/b" || fail "create: $(cat "$work/b")"
"$mi" --repository "$repo" get CIM_SoftwareIdentity InstanceID=software:curl --format mof | grep -q 'VersionString = "7.88";' \
    || fail "the created instance is not in the repository"

# modify through wbemcli (ModifiedInstance as a VALUE.NAMEDINSTANCE)
wbemcli mi "$url:CIM_SoftwareIdentity.InstanceID=\"software:curl\"" \
    'InstanceID="software:curl",VersionString="7.89"' >/dev/null 2>"$work/err" || fail "wbemcli mi: $(cat "$work/err")"
"$mi" --repository "$repo" get CIM_SoftwareIdentity InstanceID=software:curl --format mof | grep -q 'VersionString = "7.89";' \
    || fail "the instance modified by wbemcli is not changed"

# a client that leaves mid-response; the server goes on serving
"$mi" --repository "$repo" compile /dev/stdin >/dev/null <<<"$(python3 -c '
print("class Many { [Key] uint32 N; string Text; };")
for i in range(20000): print("instance of Many { N = %d; Text = \"%s\"; };" % (i, "x" * 40))')" || fail "many"
request EnumerateInstances "$cimv2" '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="Many"/></IPARAMVALUE>' >"$work/many.xml"
curl -s -N -u alice:s3cret -H 'CIMOperation: MethodCall' -H 'CIMMethod: EnumerateInstances' \
    --data-binary @"$work/many.xml" "http://127.0.0.1:$port/cimom" | head -c 5000 >/dev/null
eventually grep -q 'method=EnumerateInstances .*ended=early' "$work/log" \
    || fail "the early end is not logged"
same_paths ain "$url:$web1" -- associators "$web1" --keys-only

# pull operations: an enumeration of 20,000 in batches, the end of the sequence, closing
python3 - "http://127.0.0.1:$port/cimom" <<'PY' || fail "pull operations"
import base64, sys, urllib.request, xml.etree.ElementTree as ET
url = sys.argv[1]
auth = "Basic " + base64.b64encode(b"alice:s3cret").decode()
def call(method, params):
    body = ('<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0">'
            '<MESSAGE ID="9" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="%s">'
            '<LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/>'
            '</LOCALNAMESPACEPATH>%s</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>' % (method, params))
    req = urllib.request.Request(url, body.encode(), {
        "Content-Type": "application/xml", "CIMOperation": "MethodCall", "CIMMethod": method,
        "Authorization": auth})
    root = ET.fromstring(urllib.request.urlopen(req).read())
    return root.find("MESSAGE/SIMPLERSP/IMETHODRESPONSE")
def param(name, value):
    return '<IPARAMVALUE NAME="%s"><VALUE>%s</VALUE></IPARAMVALUE>' % (name, value)
def outcome(resp):
    error = resp.find("ERROR")
    if error is not None:
        return None, None, None, int(error.get("CODE"))
    values = {p.get("NAME"): p.findtext("VALUE") for p in resp.findall("PARAMVALUE")}
    found = resp.find("IRETURNVALUE")
    return (list(found) if found is not None else [], values.get("EndOfSequence"),
            values.get("EnumerationContext"), 0)
cls = '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="Many"/></IPARAMVALUE>'
items, end, ctx, err = outcome(call("OpenEnumerateInstancePaths",
                                    cls + param("MaxObjectCount", 1000) + param("OperationTimeout", 30)))
assert err == 0 and end == "FALSE" and len(items) == 1000 and items[0].tag == "INSTANCEPATH", (err, end, len(items))
total, pulls = len(items), 0
while end == "FALSE":
    items, end, ctx, err = outcome(call("PullInstancePaths", param("EnumerationContext", ctx) + param("MaxObjectCount", 3000)))
    assert err == 0, err
    total += len(items)
    pulls += 1
assert total == 20000 and pulls == 7 and not ctx, (total, pulls, ctx)
# instances with their paths, a PropertyList, then closed early
items, end, ctx, err = outcome(call("OpenEnumerateInstances", cls + param("MaxObjectCount", 2)
    + '<IPARAMVALUE NAME="PropertyList"><VALUE.ARRAY><VALUE>N</VALUE></VALUE.ARRAY></IPARAMVALUE>'))
assert err == 0 and len(items) == 2 and items[0].tag == "VALUE.INSTANCEWITHPATH"
props = [p.get("NAME") for p in items[0].find("INSTANCE")]
assert props == ["N"], props
assert outcome(call("CloseEnumeration", param("EnumerationContext", ctx)))[3] == 0
assert outcome(call("PullInstancesWithPath", param("EnumerationContext", ctx) + param("MaxObjectCount", 5)))[3] == 21
assert outcome(call("PullInstancesWithPath", param("EnumerationContext", "nonsense") + param("MaxObjectCount", 5)))[3] == 21
# the associators of web1, two at a time
name = ('<IPARAMVALUE NAME="InstanceName"><INSTANCENAME CLASSNAME="CIM_ComputerSystem">'
        '<KEYBINDING NAME="CreationClassName"><KEYVALUE>CIM_ComputerSystem</KEYVALUE></KEYBINDING>'
        '<KEYBINDING NAME="Name"><KEYVALUE>web1</KEYVALUE></KEYBINDING></INSTANCENAME></IPARAMVALUE>')
items, end, ctx, err = outcome(call("OpenAssociatorInstances", name + param("MaxObjectCount", 2)))
seen = len(items)
while end == "FALSE":
    items, end, ctx, err = outcome(call("PullInstancesWithPath", param("EnumerationContext", ctx) + param("MaxObjectCount", 2)))
    seen += len(items)
assert seen == 6, seen
items, end, ctx, err = outcome(call("OpenReferenceInstancePaths", name + param("MaxObjectCount", 100)))
assert err == 0 and end == "TRUE" and len(items) == 7, (err, end, len(items))
# a filter query is refused as DSP0200 says
assert outcome(call("OpenEnumerateInstances", cls + param("FilterQueryLanguage", "DMTF:FQL") + param("FilterQuery", "N = 1")))[3] == 25
PY

# mi --host reads an enumeration through the pull operations, a batch at a time, and
# gets what it gets in-process
pulls() { grep -c "method=$1 " "$work/log"; }
opened=$(pulls OpenEnumerateInstancePaths)
pulled=$(pulls PullInstancePaths)
n=$(MI_PASSWORD=s3cret "$mi" --batch 3000 --host "http://127.0.0.1:$port" --user alice \
    enumerate Many --keys-only | wc -l)
[ "$n" -eq 20000 ] || fail "mi --host enumerate Many gave $n"
[ $(($(pulls OpenEnumerateInstancePaths) - opened)) -eq 1 ] || fail "no OpenEnumerateInstancePaths"
[ $(($(pulls PullInstancePaths) - pulled)) -eq 6 ] || fail "not 6 pulls of 3000 after the first"
opened=$(pulls OpenAssociatorInstances)
pulled=$(pulls PullInstancesWithPath)
MI_PASSWORD=s3cret "$mi" --batch 2 --host "http://127.0.0.1:$port" --user alice \
    associators "$web1" --format paths | sort >"$work/pulled"
"$mi" --repository "$repo" associators "$web1" --format paths | sort >"$work/local"
diff "$work/pulled" "$work/local" >/dev/null || fail "pulled associators differ: $(diff "$work/pulled" "$work/local")"
[ $(($(pulls OpenAssociatorInstances) - opened)) -eq 1 ] || fail "no OpenAssociatorInstances"
[ $(($(pulls PullInstancesWithPath) - pulled)) -eq 2 ] || fail "six results two at a time: not 2 pulls"
# create and modify through mi --host: the values are typed by the class, read with
# GetClass from the server
remote_mi() { MI_PASSWORD=s3cret "$mi" --host "http://127.0.0.1:$port" --user alice "$@"; }
remote_mi create CIM_SoftwareIdentity InstanceID=software:remote VersionString=1.0 >/dev/null \
    || fail "mi --host create"
remote_mi modify CIM_SoftwareIdentity InstanceID=software:remote VersionString=1.1 >/dev/null \
    || fail "mi --host modify"
"$mi" --repository "$repo" get CIM_SoftwareIdentity InstanceID=software:remote --format mof \
    | grep -q 'VersionString = "1.1";' || fail "the instance made through mid is not as asked"
remote_mi class CIM_DiskDrive >"$work/remote_class" || fail "mi --host class"
"$mi" --repository "$repo" class CIM_DiskDrive | cmp -s - "$work/remote_class" || fail "class differs"
remote_mi delete 'CIM_SoftwareIdentity.InstanceID="software:remote"' || fail "mi --host delete"
# compile needs a local repository: with --host it says so and reads nothing
printf 'class Nowhere { [Key] string K; };\n' >"$work/nowhere.mof"
MI_PASSWORD=s3cret "$mi" --host "http://127.0.0.1:$port" --user alice compile "$work/nowhere.mof" \
    >"$work/out" 2>"$work/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'MOF is compiled into a local repository' "$work/err" \
    && grep -q 'MI_RESULT_NOT_SUPPORTED' "$work/err" || fail "mi --host compile: rc $rc, $(cat "$work/err")"
# a client that stops reading closes the enumeration on the server
closed=$(pulls CloseEnumeration)
MI_PASSWORD=s3cret "$mi" --batch 100 --host "http://127.0.0.1:$port" --user alice \
    enumerate Many --keys-only | head -1 >/dev/null
closed_one() { [ $(($(pulls CloseEnumeration) - closed)) -eq 1 ]; }
eventually closed_one || fail "an enumeration left open was not closed"

# HTTPS with a self-signed certificate
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 || fail "openssl"
start_mid tls --passwd "$work/passwd" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"
curl -s -k -o "$work/b" -D "$work/h" -u alice:s3cret -H 'CIMOperation: MethodCall' \
    -H 'CIMMethod: EnumerateInstanceNames' --data-binary @"$work/ein.xml" "https://127.0.0.1:$port/cimom"
grep -q '^HTTP/1.1 200' "$work/h" && [ "$(grep -o '<INSTANCENAME ' "$work/b" | wc -l)" -eq 5 ] \
    || fail "HTTPS: $(head -1 "$work/h")"
curl -s -o /dev/null --cacert "$work/cert.pem" -u alice:s3cret -H 'CIMOperation: MethodCall' \
    -H 'CIMMethod: EnumerateInstanceNames' --data-binary @"$work/ein.xml" "https://127.0.0.1:$port/cimom" \
    || fail "HTTPS with the certificate as the trusted one"
curl -s -o /dev/null "http://127.0.0.1:$port/cimom" && fail "plain HTTP answered on the TLS port"
said_handshake() { grep -q 'event=tls-handshake-failed reason="a client did not complete the TLS handshake: plain HTTP sent to this HTTPS port' "$work/log"; }
eventually said_handshake || fail "a failed handshake is not logged for a person: $(tail -3 "$work/log")"
grep -q 'received handshake message out of context' "$work/log" && fail "the library's raw message reached the log"
# mi over HTTPS: an untrusted certificate is refused with what to do; --cacert trusts it
tls_mi() { MI_PASSWORD=s3cret "$mi" --user alice "$@" enumerate CIM_SoftwareIdentity --keys-only; }
tls_mi --host "https://127.0.0.1:$port" >/dev/null 2>"$work/err" && fail "an untrusted certificate was accepted"
grep -q "the server's certificate is not trusted" "$work/err" \
    && grep -q -- '--cacert FILE trusts the authority that signed it; --no-verify skips the check' "$work/err" \
    || fail "untrusted certificate: $(cat "$work/err")"
[ "$(tls_mi --host "https://127.0.0.1:$port" --cacert "$work/cert.pem" | wc -l)" -eq 5 ] \
    || fail "mi --cacert: $(tls_mi --host "https://127.0.0.1:$port" --cacert "$work/cert.pem" 2>&1)"
[ "$(tls_mi --host "https://127.0.0.1:$port" --no-verify | wc -l)" -eq 5 ] || fail "mi --no-verify"
printf 'not a certificate\n' >"$work/junk.pem"
tls_mi --host "https://127.0.0.1:$port" --cacert "$work/junk.pem" >/dev/null 2>"$work/err" \
    && fail "a CA file that holds no certificate was accepted"
grep -q "MI_RESULT_FAILED" "$work/err" || fail "junk CA file: $(cat "$work/err")"
tls_mi --host "http://127.0.0.1:$port" >/dev/null 2>"$work/err" && fail "http to the TLS port answered"
grep -q "closed the connection without an answer (an HTTPS port asked over http?)" "$work/err" \
    || fail "http to the TLS port: $(cat "$work/err")"
"$mi" --cacert "$work/cert.pem" classes >/dev/null 2>"$work/err" && fail "--cacert without --host"
grep -q -- "--cacert goes with --host" "$work/err" || fail "--cacert alone: $(cat "$work/err")"

# a non-loopback address needs TLS and users, unless --insecure
"$mid" --repository "$repo" --listen 0.0.0.0:0 2>"$work/err" && fail "listened on 0.0.0.0 without TLS"
grep -q 'not a loopback address' "$work/err" || fail "why not: $(cat "$work/err")"
# ports out of range or not numbers are refused, not bound somewhere else
for bad in 127.0.0.1:99999 127.0.0.1:65536 127.0.0.1:-1 127.0.0.1:80x 127.0.0.1:; do
    "$mid" --repository "$repo" --listen "$bad" 2>"$work/err" && fail "listened on $bad"
    grep -q 'a port from 0 to 65535' "$work/err" || fail "why not $bad: $(cat "$work/err")"
done

# 64 clients on keep-alive connections for 30 s: not one error
request AssociatorNames "$cimv2" '<IPARAMVALUE NAME="ObjectName"><INSTANCENAME CLASSNAME="CIM_ComputerSystem"><KEYBINDING NAME="CreationClassName"><KEYVALUE VALUETYPE="string">CIM_ComputerSystem</KEYVALUE></KEYBINDING><KEYBINDING NAME="Name"><KEYVALUE VALUETYPE="string">web1</KEYVALUE></KEYBINDING></INSTANCENAME></IPARAMVALUE>' >"$work/an.xml"
"$MI_BUILD_DIR/bench/mid_load" --url "http://127.0.0.1:$(cat "$work/plain.port")/cimom" \
    --user alice:s3cret --body "$work/an.xml" --clients 64 --seconds "${MID_LOAD_SECONDS:-30}" \
    --results 6 >"$work/load" || fail "under load: $(cat "$work/load")"
grep -q ' 0 errors' "$work/load" || fail "load: $(cat "$work/load")"
cat "$work/load"

# graceful stop
first=${pids[0]}
kill -TERM "$first"
for _ in $(seq 100); do kill -0 "$first" 2>/dev/null || break; sleep 0.05; done
kill -0 "$first" 2>/dev/null && fail "mid did not stop on SIGTERM"
wait "$first"
[ $? -eq 0 ] || fail "mid exited non-zero after SIGTERM"
grep -Eq '^time=[0-9-]{10}T[0-9:]{8}Z event=stopped' "$work/log" || fail "no stop in the log"
echo "mid: all checks passed"
