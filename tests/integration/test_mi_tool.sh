#!/usr/bin/env bash
# The mi binary: version, help, self-check, and the documented exit codes.
set -uo pipefail
: "${MI_BUILD_DIR:?}"
mi="$MI_BUILD_DIR/bin/mi"
fail() { echo "FAIL: $*"; exit 1; }

out=$("$mi" --version) || fail "--version exited $?"
[[ $out =~ ^mi\ \(libmi\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed '$out'"
"$mi" --help | grep -q selfcheck || fail "--help does not list selfcheck"

out=$("$mi" selfcheck) || fail "selfcheck exited $?"
grep -q '^self-check passed$' <<<"$out" || fail "selfcheck output: $out"
grep -q 'MI_Session_AssociatorInstances *MI_RESULT_INVALID_PARAMETER: class CIM_ComputerSystem is not in namespace root/cimv2' <<<"$out" \
    || fail "selfcheck does not report the operation result: $out"

"$mi" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no arguments must exit 2"
err=$("$mi" frobnicate 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] || fail "unknown command must exit 2, got $rc"
grep -q "unknown command 'frobnicate'" <<<"$err" || fail "unknown command message: $err"
echo "mi tool: ok"
