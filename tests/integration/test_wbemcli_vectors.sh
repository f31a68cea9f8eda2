#!/usr/bin/env bash
# sblim-wbemcli against mid on the association vector models: for every case of
# ../shared/spec/vectors (ai, ain, ri, rin with their filters), wbemcli's answer, turned
# into canonical paths, equals the expected answer, which is what the engine gives
# in-process (test_mi_vectors). Runs wbemcli_vectors.py; skipped without ../shared.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
vectors="${MI_SHARED_DIR:-}/spec/vectors"
[ -f "$vectors/qualifiers.mof" ] || { echo "skipped: no vectors at '$vectors' (../shared is absent)"; exit 77; }
for tool in wbemcli python3; do
    command -v $tool >/dev/null || { echo "skipped: $tool is not installed (scripts/deps.sh)"; exit 77; }
done
work=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
MID_PASSWORD=vectors "$MI_BUILD_DIR/bin/mid" passwd tester --passwd "$work/passwd" >/dev/null || fail "mid passwd"
status=0
for model in "$vectors"/*/model.mof; do
    dir=$(dirname "$model")
    name=$(basename "$dir")
    repo="$work/$name.db"
    "$MI_BUILD_DIR/bin/mi" --repository "$repo" -n root/test compile "$vectors/qualifiers.mof" \
        "$model" >/dev/null || fail "compile $name"
    rm -f "$work/port"
    "$MI_BUILD_DIR/bin/mid" --repository "$repo" --listen 127.0.0.1:0 --ready-file "$work/port" \
        --passwd "$work/passwd" --access-log /dev/null 2>"$work/log" &
    pid=$!
    for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
    [ -s "$work/port" ] || fail "mid did not start: $(cat "$work/log")"
    echo "== $name"
    python3 "$MI_SOURCE_DIR/tests/integration/wbemcli_vectors.py" \
        "http://tester:vectors@127.0.0.1:$(cat "$work/port")" "$dir/cases.txt" || status=1
    kill -TERM "$pid"
    wait "$pid"
    pid=
done
exit $status
