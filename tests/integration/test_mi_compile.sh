#!/usr/bin/env bash
# mi compile: checks MOF through the public API, reports file:line:column diagnostics on
# stderr and a summary on stdout, with the documented exit codes.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
mi="$MI_BUILD_DIR/bin/mi"
corpus="$MI_SOURCE_DIR/tests/data/mof_errors"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat >"$work/good.mof" <<'MOF'
class Disk { [Key] string Id; uint64 Size; };
[Association] class Holds { [Key] Disk REF Outer; [Key] Disk REF Inner; };
instance of Disk as $a { Id = "a"; Size = 0x10; };
instance of Disk as $b { Id = "b"; };
instance of Holds { Outer = $a; Inner = $b; };
MOF
out=$("$mi" compile --check "$work/good.mof" 2>"$work/err") || fail "good MOF exited $?: $(cat "$work/err")"
[[ $out == "checked 1 file "*": 0 qualifier types, 2 classes, 3 instances, 0 errors, 0 warnings" ]] \
    || fail "summary: $out"
[ -s "$work/err" ] && fail "unexpected stderr: $(cat "$work/err")"

# errors: exit 1, each diagnostic as file:line:column: message, then the result name
cd "$corpus"
"$mi" compile --check several_errors_recovered.mof >"$work/out" 2>"$work/err"; rc=$?
[ $rc -eq 1 ] || fail "a MOF with errors must exit 1, got $rc"
head -n 3 "$work/err" | diff - several_errors_recovered.expect || fail "diagnostics differ"
tail -n 1 "$work/err" | grep -qx 'mi: MI_RESULT_FAILED (1): the MOF did not compile' \
    || fail "last stderr line: $(tail -n 1 "$work/err")"
grep -q ', 3 errors, 0 warnings$' "$work/out" || fail "summary: $(cat "$work/out")"

# diagnostics come in the order of the lines they name, whatever phase found them
printf 'class Late : Nowhere { };\ninstance of Late { K = "x" ;\n' >"$work/order.mof"
"$mi" compile --check "$work/order.mof" >/dev/null 2>"$work/err"
[ "$(grep -o '^[^:]*order.mof:[0-9]*' "$work/err" | cut -d: -f2 | tr "\n" " ")" = "1 3 " ] \
    || fail "diagnostics out of line order: $(cat "$work/err")"

# --max-errors stops early
"$mi" compile --check --max-errors 2 error_limit.mof >/dev/null 2>"$work/err"
[ "$(grep -c 'unknown superclass' "$work/err")" -eq 2 ] || fail "--max-errors 2: $(cat "$work/err")"

# several files are one unit: the second uses a class of the first
printf 'class Base { [Key] string K; };\n' >"$work/one.mof"
printf 'class Derived : Base { };\ninstance of Derived { K = "d"; };\n' >"$work/two.mof"
out=$("$mi" compile --check "$work/one.mof" "$work/two.mof") || fail "two files exited $?"
grep -q '2 classes, 1 instances' <<<"$out" || fail "two files: $out"

"$mi" compile --check "$work/absent.mof" >/dev/null 2>"$work/err"; rc=$?
[ $rc -eq 1 ] || fail "missing file must exit 1, got $rc"
grep -q "absent.mof: cannot read MOF file: No such file or directory" "$work/err" || fail "$(cat "$work/err")"
grep -q "MI_RESULT_NOT_FOUND (6)" "$work/err" || fail "$(cat "$work/err")"

"$mi" compile --check -n 'root/bad name' "$work/good.mof" >/dev/null 2>"$work/err"; rc=$?
[ $rc -eq 1 ] || fail "a bad namespace must exit 1, got $rc"
grep -qx "invalid namespace name 'root/bad name'" "$work/err" || fail "bad namespace: $(cat "$work/err")"
grep -q "MI_RESULT_INVALID_NAMESPACE (3)" "$work/err" || fail "bad namespace: $(cat "$work/err")"
out=$("$mi" compile --check -n root/other "$work/good.mof") || fail "-n root/other exited $?"

# usage errors exit 2; help exits 0
"$mi" compile --check >/dev/null 2>&1; [ $? -eq 2 ] || fail "no file must exit 2"
"$mi" compile --check --bogus x.mof >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option must exit 2"
"$mi" compile --check --max-errors 0 x.mof >/dev/null 2>&1; [ $? -eq 2 ] || fail "--max-errors 0 must exit 2"
"$mi" compile --help | grep -q -- '--check' || fail "compile --help"
# without --check the MOF goes into the repository, all of it or nothing
out=$(MI_REPOSITORY="$work/repo.db" "$mi" compile "$work/good.mof") || fail "storing exited $?"
[[ $out == "stored 1 file "*": 0 qualifier types, 2 classes, 3 instances, 0 errors, 0 warnings" ]] \
    || fail "stored summary: $out"
# the same MOF again is left as it is; a changed one updates in place; --create-only refuses
out=$(MI_REPOSITORY="$work/repo.db" "$mi" compile "$work/good.mof" 2>"$work/err") \
    || fail "storing twice exited $?: $(cat "$work/err")"
[[ $out == *"2 classes, 3 instances (5 unchanged, 0 updated), 0 errors, 0 warnings" ]] \
    || fail "storing twice: $out"
sed 's/Size = 0x10/Size = 0x20/' "$work/good.mof" >"$work/changed.mof"
out=$(MI_REPOSITORY="$work/repo.db" "$mi" compile "$work/changed.mof" 2>"$work/err") \
    || fail "storing a changed MOF exited $?: $(cat "$work/err")"
[[ $out == *"(4 unchanged, 1 updated)"* ]] || fail "storing a changed MOF: $out"
MI_REPOSITORY="$work/repo.db" "$mi" get Disk Id=a --format mof | grep -qx '    Size = 32;' \
    || fail "the instance was not replaced: $(MI_REPOSITORY="$work/repo.db" "$mi" get Disk Id=a)"
MI_REPOSITORY="$work/repo.db" "$mi" compile --create-only "$work/good.mof" >/dev/null 2>"$work/err"; rc=$?
[ $rc -eq 1 ] && grep -q "class 'Disk' already exists in namespace root/cimv2" "$work/err" \
    || fail "--create-only: rc $rc, $(cat "$work/err")"
# a change that does not fit what is stored refuses the whole compile, naming the instance
printf 'class Disk { [Key] string Id; string Size; };\ninstance of Disk { Id = "z"; };\n' \
    >"$work/misfit.mof"
MI_REPOSITORY="$work/repo.db" "$mi" compile "$work/misfit.mof" >"$work/out" 2>"$work/err"; rc=$?
[ $rc -eq 1 ] || fail "a misfit class change exited $rc"
grep -q 'class Disk cannot be updated in namespace root/cimv2: instance Disk.Id="a" is stored and its Size is uint64, which Disk now declares string' "$work/err" \
    || fail "misfit: $(cat "$work/err")"
grep -q "MI_RESULT_CLASS_HAS_INSTANCES (9)" "$work/err" || fail "misfit: $(cat "$work/err")"
grep -q ', 1 error, 0 warnings$' "$work/out" || fail "misfit summary: $(cat "$work/out")"
MI_REPOSITORY="$work/repo.db" "$mi" get Disk Id=z >/dev/null 2>&1 && fail "a refused compile stored an instance"
# sizes under a tenth of a megabyte are given in KB
grep -q '^stored 1 file (0\.[0-9] KB) in' <<<"$(MI_REPOSITORY="$work/repo.db" "$mi" compile "$work/good.mof")" \
    || fail "size in KB"
printf 'not a repository\n' >"$work/text.db"
MI_REPOSITORY="$work/text.db" "$mi" compile "$work/good.mof" >/dev/null 2>"$work/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot open the repository" "$work/err" || fail "text file: $(cat "$work/err")"
[ "$(cat "$work/text.db")" = "not a repository" ] || fail "a file that is not a repository was changed"

# --check compiles against the repository's classes, as the real compile does, and
# stores nothing
printf 'instance of Disk { Id = "c"; };\n' >"$work/only_instances.mof"
before=$(MI_REPOSITORY="$work/repo.db" "$mi" enumerate Disk --format paths | wc -l)
out=$(MI_REPOSITORY="$work/repo.db" "$mi" compile --check "$work/only_instances.mof" 2>"$work/err") \
    || fail "an instance-only MOF checked against the repository: $(cat "$work/err")"
[[ $out == "checked 1 file "*", 1 instances, 0 errors, 0 warnings" ]] || fail "check summary: $out"
after=$(MI_REPOSITORY="$work/repo.db" "$mi" enumerate Disk --format paths | wc -l)
[ "$before" -eq "$after" ] || fail "--check stored something: $before then $after instances"
MI_REPOSITORY="$work/repo.db" "$mi" compile "$work/only_instances.mof" >/dev/null \
    || fail "the instance-only MOF does not compile for real"
# without a repository, --check checks the MOF alone and creates none
"$mi" --repository "$work/absent.db" compile --check "$work/good.mof" >/dev/null \
    || fail "--check without a repository"
[ ! -e "$work/absent.db" ] || fail "--check created a repository"

# reads never create a repository, named or the default one
for read in "classes" "enumerate Disk" "class Disk"; do
    # shellcheck disable=SC2086
    MI_REPOSITORY="$work/new/dir/x.db" "$mi" $read >/dev/null 2>"$work/err"; rc=$?
    [ $rc -eq 1 ] && grep -q "no repository at $work/new/dir/x.db" "$work/err" \
        || fail "mi $read without a repository: rc $rc, $(cat "$work/err")"
    [ ! -e "$work/new" ] || fail "mi $read created $work/new"
    # shellcheck disable=SC2086
    env -u MI_REPOSITORY HOME="$work/home" XDG_DATA_HOME= "$mi" $read >/dev/null 2>&1
    [ ! -e "$work/home/.local/share/libmi" ] || fail "mi $read created the default repository"
done

schema="${MI_SHARED_DIR:-}/mof/cim_schema_2.49.0/cim_schema_2.49.0.mof"
if [ -f "$schema" ]; then
    out=$("$mi" compile --check "$schema") || fail "the CIM schema exited $?"
    grep -q '^checked 1634 files .*: [0-9]* qualifier types, 1631 classes, 0 instances, 0 errors, 0 warnings$' <<<"$out" \
        || fail "schema summary: $out"
fi
echo "mi compile: ok"
