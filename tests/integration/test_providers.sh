#!/usr/bin/env bash
# Provider modules as their authors build them: the example provider of examples/provider
# (module, schema and class files, the OMI way) compiled as C and as C++, registered and
# used through a local session and through mid (whose host keeps the module loaded, so
# what is created there stays); and a module that misbehaves class by class (wrong
# class, missing key, wrong type, an error of its own, an answer that never comes):
# each such operation fails with an error naming the provider and the fault, and mid
# answers the next request normally.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; [ -f "$work/log" ] && tail -5 "$work/log"; exit 1; }
command -v cc >/dev/null || { echo "SKIP: no C compiler to build the provider modules"; exit 77; }
repo="$work/repo.db"
mi() {
    if [[ " $* " == *" --host "* ]]; then "$MI_BUILD_DIR/bin/mi" "$@"
    else "$MI_BUILD_DIR/bin/mi" --repository "$repo" "$@"; fi
}
inc="$MI_SOURCE_DIR/include"

# the example, built as the docs say, in C and in C++
cc -std=c11 -Wall -Wextra -Werror -shared -fPIC -I"$inc" "$MI_SOURCE_DIR"/examples/provider/*.c \
    -o "$work/libexample.so" -lpthread || fail "the example does not build as C"
if command -v c++ >/dev/null; then
    c++ -x c++ -Wall -Wextra -Werror -shared -fPIC -I"$inc" "$MI_SOURCE_DIR"/examples/provider/*.c \
        -o "$work/libexample_cpp.so" -lpthread || fail "the example does not build as C++"
    mi --repository "$work/cpp.db" provider register "$work/libexample_cpp.so" >/dev/null \
        || fail "register the C++ build"
    mi --repository "$work/cpp.db" enumerate Example_Widget --format paths | grep -q 'Id="w1"' \
        || fail "the C++ build serves no widget"
fi
mi provider register "$work/libexample.so" | grep -q "1 class served, 1 class stored" \
    || fail "register the example"
mi class Example_Widget | grep -q "\[Key\] string Id;" || fail "the example's class: $(mi class Example_Widget)"
mi get Example_Widget Id=w1 --format mof >"$work/w1" || fail "get w1"
grep -q 'Color = "blue";' "$work/w1" && grep -q 'Weight = 12;' "$work/w1" || fail "w1: $(cat "$work/w1")"
mi get Example_Widget Id=nothing 2>"$work/err" && fail "get of a missing widget"
grep -q 'MI_RESULT_NOT_FOUND (6): provider libexample.so: no such widget' "$work/err" \
    || fail "missing widget: $(cat "$work/err")"

"$MI_BUILD_DIR/bin/mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/port" \
    2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "mid did not start"
h=(--host "http://127.0.0.1:$(cat "$work/port")")
mi create Example_Widget Id=w2 Color=red "${h[@]}" | grep -q 'Example_Widget.Id="w2"' || fail "create"
mi get Example_Widget Id=w2 --format mof "${h[@]}" | grep -q 'Weight = 10;' \
    || fail "the class default did not reach the provider"
mi modify Example_Widget Id=w2 Weight=7 "${h[@]}" >/dev/null || fail "modify"
mi get Example_Widget Id=w2 --format mof "${h[@]}" >"$work/w2" || fail "get w2"
grep -q 'Weight = 7;' "$work/w2" && grep -q 'Color = "red";' "$work/w2" || fail "w2: $(cat "$work/w2")"
mi create Example_Widget Id=w2 "${h[@]}" 2>"$work/err" && fail "create twice"
grep -q ALREADY_EXISTS "$work/err" || fail "create twice: $(cat "$work/err")"
mi delete Example_Widget Id=w1 "${h[@]}" || fail "delete"
[ "$(mi enumerate Example_Widget --format paths "${h[@]}")" = 'root/cimv2:Example_Widget.Id="w2"' ] \
    || fail "after delete: $(mi enumerate Example_Widget --format paths "${h[@]}")"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

# the faulty module, through mid (whose idle setting refuses what is not seconds)
"$MI_BUILD_DIR/bin/mid" --repository "$repo" --provider-idle soon 2>"$work/err" \
    && fail "mid took --provider-idle soon"
grep -q "provider-idle takes seconds (0 to 86400), not 'soon'" "$work/err" \
    || fail "--provider-idle soon: $(cat "$work/err")"
"$MI_BUILD_DIR/libmi/mi-host" "$work/libexample.so" 3<&- 2>"$work/err" && fail "mi-host by hand"
grep -q "started by mid" "$work/err" || fail "mi-host by hand: $(cat "$work/err")"
cc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -shared -fPIC -I"$inc" \
    "$MI_SOURCE_DIR/tests/data/providers/faulty.c" -o "$work/libfaulty.so" || fail "build faulty"
mi provider register "$work/libfaulty.so" >/dev/null || fail "register faulty"
# what Faulty_Census finds through its local session: a provider's instance and a stored one
mi compile /dev/stdin >/dev/null <<'MOF' || fail "compile the census item"
class Census_Item { [Key] string Name; };
instance of Census_Item { Name = "stored"; };
MOF
counts() { # the module's loads, unloads and cancelled hangs, as Faulty_Loads tells them
    mi enumerate Faulty_Loads --format mof "${h[@]}" \
        | awk -F'"' '/Name = /{ n = $2 } /Count = /{ gsub(/[^0-9]/, ""); print n "=" $0 }' \
        | sort | tr '\n' ' '
}
invoke_echo() { # WHEN [ENV...]: Faulty_Good's Echo, typed parameters in, out parameters back
    local got where=(--repository "$repo")
    [ ${#h[@]} -gt 0 ] && where=("${h[@]}")
    got=$(env "${@:2}" "$MI_BUILD_DIR/bin/mi" "${where[@]}" invoke 'Faulty_Good.Name="fine"' \
        Echo Text=ab Times=3 2>&1) || fail "Echo $1: $got"
    grep -q 'ReturnValue = 3;' <<<"$got" && grep -q 'Said = "ababab";' <<<"$got" \
        || fail "Echo $1: $got"
    got=$(env "${@:2}" "$MI_BUILD_DIR/bin/mi" "${where[@]}" invoke Faulty_Good Echo \
        Times=lots 2>&1) && fail "Echo with a bad number $1"
    grep -q "TYPE_MISMATCH.*parameter Times is uint32: 'lots' is not" <<<"$got" \
        || fail "Echo with a bad number $1: $got"
}
census() { # WHEN
    local got
    got=$(mi enumerate Faulty_Census --format paths "${h[@]}" 2>&1) || fail "census $1: $got"
    [ "$got" = 'root/cimv2:Faulty_Census.Name="saw fine"
root/cimv2:Faulty_Census.Name="saw stored"' ] || fail "census $1: $got"
}
"$MI_BUILD_DIR/bin/mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/port2" \
    --provider-idle 3 \
    2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port2" ] && break; sleep 0.05; done
[ -s "$work/port2" ] || fail "mid did not start"
h=(--host "http://127.0.0.1:$(cat "$work/port2")")
good() { [ "$(mi enumerate Faulty_Good --format paths "${h[@]}")" = 'root/cimv2:Faulty_Good.Name="fine"' ] \
    || fail "after $1, the good class"; }
# a provider's AssociatorInstances: its answer stands when it fits; the engine applies the
# filters it ignores, refuses a class the association does not join, and walks the
# association itself when the provider says NOT_SUPPORTED (Faulty_Link has no
# EnumerateInstances: without AssociatorInstances it would have no associators)
check_links() {
    local how=${h[*]:+ through mid}
    link() { mi associators Faulty_Good "Name=$1" --format paths "${h[@]}" "${@:2}"; }
    [ "$(link fine)" = 'root/cimv2:Faulty_Good.Name="partner"' ] || fail "associators$how: $(link fine)"
    [ "$(link fine --result-class Faulty_Leak)" = "" ] || fail "ResultClass left to the provider$how"
    [ "$(link fine --result-role Nowhere)" = "" ] || fail "ResultRole left to the provider$how"
    [ "$(link fine --assoc-class Faulty_Link --result-role Left)" = \
        'root/cimv2:Faulty_Good.Name="partner"' ] || fail "associators by Faulty_Link, Left$how"
    [ "$(link fine --keys-only)" = 'root/cimv2:Faulty_Good.Name="partner"' ] \
        || fail "associator names$how"
    link wrong >/dev/null 2>"$work/err" && fail "associators of a class Faulty_Link does not join$how"
    grep -q "answered associators with an instance of Faulty_Leak, which Faulty_Link does not associate" \
        "$work/err" || fail "wrong associators$how: $(cat "$work/err")"
    local stub
    stub=$(link stub 2>"$work/err") || fail "associators of a stub$how: $(cat "$work/err")"
    [ -z "$stub" ] || fail "associators of a stub$how: $stub"
    # and references, through its ReferenceInstances
    refs() { mi references Faulty_Good "Name=$1" --format paths "${h[@]}" "${@:2}"; }
    local answer
    answer=$(refs fine) || fail "references$how"
    [ "$(grep -c . <<<"$answer")" = 1 ] && grep -q 'Faulty_Link\.' <<<"$answer" \
        && grep -q 'fine' <<<"$answer" && grep -q 'partner' <<<"$answer" \
        || fail "references$how: $answer"
    [ "$(refs fine --role Right)" = "" ] || fail "Role left to the provider$how"
    refs wrong >/dev/null 2>"$work/err" && fail "references that are no links$how"
    grep -q "posted an instance of class Faulty_Good when asked to give references of Faulty_Link" "$work/err" \
        || fail "wrong references$how: $(cat "$work/err")"
    stub=$(refs stub 2>"$work/err") || fail "references of a stub$how: $(cat "$work/err")"
    [ -z "$stub" ] || fail "references of a stub$how: $stub"
}
expect_fault() { # CLASS TEXT
    mi enumerate "$1" "${h[@]}" --timeout 2 >/dev/null 2>"$work/err" && fail "$1 succeeded"
    grep -q "$2" "$work/err" || fail "$1: $(cat "$work/err")"
    good "$1"
}
good "nothing"
check_links
expect_fault Faulty_WrongClass "provider libfaulty.so posted an instance of class Faulty_Good when asked to enumerate Faulty_WrongClass"
expect_fault Faulty_NoKey "provider libfaulty.so posted a bad instance: Faulty_NoKey: key property 'Name' has no value"
expect_fault Faulty_BadType "provider libfaulty.so posted a bad instance: Faulty_BadType.Count: a string value does not fit"
expect_fault Faulty_Error "MI_RESULT_ACCESS_DENIED (2): provider libfaulty.so: the widgets are locked"
start=$(date +%s%N)
expect_fault Faulty_Hang "timed out"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -lt 6000 ] || fail "a hanging provider held the client ${elapsed} ms"
# the client gave up at 2 s and went: mid saw it go and cancelled the provider, which
# notices by itself only after 3 s
sleep 1.2
[[ "$(counts)" == "cancels=1 "* ]] || fail "the hanging provider was not cancelled: $(counts)"
# isolated: a crash or an exit fails that operation, naming the module and how its host
# ended; the next request starts a new host (the good class is in the same module)
hosts() { pgrep -f "mi-host --idle [0-9]+ .*$work/libfaulty.so" | sort | tr '\n' ' '; }
first_host=$(hosts)
[ -n "$first_host" ] || fail "no mi-host process serves the faulty module"
expect_fault Faulty_Crash "provider libfaulty.so: its host process [0-9]* \(was ended by signal 11\|exited with status\)"
[ "$(hosts)" != "$first_host" ] || fail "the crashed host was not replaced: $(hosts)"
expect_fault Faulty_Exit "provider libfaulty.so: its host process [0-9]* exited with status 3 during enumerate of Faulty_Exit"
for _ in 1 2 3; do
    [ "$(mi enumerate Faulty_Leak --format paths "${h[@]}")" = 'root/cimv2:Faulty_Leak.Name="leaked"' ] \
        || fail "the leaking class"
done
good "a leak"
[ "$(hosts | wc -w)" = 1 ] || fail "hosts of the faulty module: $(hosts)"
# idle for --provider-idle: the host ends by itself (its module unloaded); the next
# operation starts a new one
for _ in $(seq 80); do [ -z "$(hosts)" ] && break; sleep 0.1; done
[ -z "$(hosts)" ] || fail "an idle host did not end: $(hosts)"
good "an idle host ended"
census "through mid (isolated)"
invoke_echo "through mid (isolated)"
# the same over WS-Management
h=(--host "http://127.0.0.1:$(cat "$work/port2")/wsman")
census "through mid over WS-Management"
invoke_echo "through mid over WS-Management"
h=(--host "http://127.0.0.1:$(cat "$work/port2")")
# and as a WBEM client calls a method (sblim's wbemcli: an extrinsic METHODCALL)
if command -v wbemcli >/dev/null; then
    said=$(wbemcli cm "http://127.0.0.1:$(cat "$work/port2")/root/cimv2:Faulty_Good.Name=\"fine\"" \
        Echo.Text=ab,Times=3 2>&1) || fail "wbemcli cm: $said"
    [[ $said == *"Echo: 3, Said (string): ababab"* ]] || fail "wbemcli cm said: $said"
else
    echo "note: wbemcli not installed: its method call not tried"
fi
# a provider that refuses to be unloaded keeps its host past the idle time
sticky_host=$(hosts)
[ "$(mi enumerate Faulty_Sticky --format paths "${h[@]}")" = 'root/cimv2:Faulty_Sticky.Name="sticky"' ] \
    || fail "the sticky class (isolated)"
sleep 4.5
[ "$(hosts)" = "$sticky_host" ] || fail "a host whose provider refused to unload ended: $(hosts)"
[ "$(hosts | wc -w)" = 1 ] || fail "hosts after the idle end: $(hosts)"
kill "$pid"; wait "$pid" 2>/dev/null; pid=
[ -z "$(hosts)" ] || fail "mid left its hosts running: $(hosts)"
# a module mid runs in-process reaches mid's own engine, and is unloaded when idle for
# --provider-idle (loaded again by the next operation) unless a provider refused it
mi provider register "$work/libfaulty.so" --in-process >/dev/null || fail "register in-process"
"$MI_BUILD_DIR/bin/mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/port3" \
    --provider-idle 1 2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port3" ] && break; sleep 0.05; done
[ -s "$work/port3" ] || fail "mid did not start"
h=(--host "http://127.0.0.1:$(cat "$work/port3")")
census "through mid (in-process)"
invoke_echo "through mid (in-process)"
[ "$(counts)" = "cancels=0 loads=1 unloads=0 " ] || fail "loads before idling: $(counts)"
sleep 2.5
[ "$(counts)" = "cancels=0 loads=2 unloads=1 " ] \
    || fail "an idle in-process module was not unloaded: $(counts)"
[ "$(mi enumerate Faulty_Sticky --format paths "${h[@]}")" = 'root/cimv2:Faulty_Sticky.Name="sticky"' ] \
    || fail "the sticky class"
sleep 2.5
[ "$(counts)" = "cancels=0 loads=2 unloads=1 " ] \
    || fail "a module that refused to unload was unloaded: $(counts)"
# in-process, a client that goes cancels the provider too
mi enumerate Faulty_Hang "${h[@]}" --timeout 1 >/dev/null 2>&1 && fail "Faulty_Hang in-process"
sleep 2.2
[ "$(counts)" = "cancels=1 loads=2 unloads=1 " ] \
    || fail "the hanging provider in mid was not cancelled: $(counts)"
# and so does one of a classic (streamed, not pulled) EnumerateInstances
python3 - "$(cat "$work/port3")" <<'PY' || fail "the classic enumeration of Faulty_Hang"
import http.client, socket, sys
body = ('<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0">'
        '<MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="EnumerateInstances">'
        '<LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH>'
        '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="Faulty_Hang"/></IPARAMVALUE>'
        '</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>')
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=1)
c.request("POST", "/cimom", body, {"Content-Type": 'application/xml; charset="utf-8"',
          "CIMOperation": "MethodCall", "CIMMethod": "EnumerateInstances", "CIMObject": "root/cimv2"})
try:
    c.getresponse().read()
    sys.exit("answered before the client gave up")
except (socket.timeout, TimeoutError):
    c.close()  # the client goes
PY
sleep 2.2
[ "$(counts)" = "cancels=2 loads=2 unloads=1 " ] \
    || fail "a classic enumeration's hanging provider was not cancelled: $(counts)"
[ -z "$(hosts)" ] || fail "an in-process module has a host process: $(hosts)"
kill "$pid"; wait "$pid" 2>/dev/null; pid=
# and locally: the same checks, in-process (registered isolated again: local sessions
# still run it in-process unless LIBMI_PROVIDER_HOSTING=registered)
mi provider register "$work/libfaulty.so" >/dev/null || fail "register isolated again"
h=()
expect_fault Faulty_NoKey "key property 'Name' has no value"
check_links # in-process
census "in-process"
invoke_echo "in-process"
invoke_echo "in mi-host" LIBMI_PROVIDER_HOSTING=registered
mi invoke Faulty_Good Explode 2>"$work/err" && fail "an undeclared method ran"
grep -q "METHOD_NOT_FOUND.*Faulty_Good.Explode: the class declares no such method" "$work/err" \
    || fail "undeclared method: $(cat "$work/err")"
echo "ok: providers"
