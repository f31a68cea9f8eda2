#!/usr/bin/env bash
# The manual pages docs/mi.1 and docs/mid.8: they render without a warning, have the
# sections a manual page has, and name every command, option and environment variable
# the tools have, so that the manual cannot fall behind the help.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
fail() { echo "FAIL: $*"; exit 1; }
mi="$MI_BUILD_DIR/bin/mi"
mid="$MI_BUILD_DIR/bin/mid"
mi1="$MI_SOURCE_DIR/docs/mi.1"
mid8="$MI_SOURCE_DIR/docs/mid.8"
command -v groff >/dev/null || { echo "SKIP: groff is not installed (scripts/deps.sh installs it)"; exit 77; }

for page in "$mi1" "$mid8"; do
    warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    [ -z "$warnings" ] || fail "$(basename "$page") renders with warnings: $warnings"
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES ENVIRONMENT FILES "EXIT STATUS" "SEE ALSO"; do
        grep -q "^\.SH \"\?$section\"\?$" "$page" || fail "$(basename "$page") has no $section section"
    done
done
grep -q '^\.SH COMMANDS$' "$mi1" || fail "mi.1 has no COMMANDS section"
# the text as a reader sees it
text() { groff -man -Tutf8 -P-cbou "$1" 2>/dev/null | sed 's/‐/-/g'; }
mi_text=$(text "$mi1")
mid_text=$(text "$mid8")

# every command of mi --help is described under COMMANDS
commands=$("$mi" --help | sed -n '/^commands:/,/^$/p' | awk 'NF && $1 != "commands:" { print $1 }')
[ "$(wc -l <<<"$commands")" -ge 13 ] || fail "commands from mi --help: $commands"
# (the section is read first: grep -q leaving a pipe early would fail it under pipefail)
commands_section=$(sed -n '/^\.SH COMMANDS/,/^\.SH OPTIONS/p' "$mi1")
for c in $commands; do
    grep -qE "^\.(B|BI|BR) \"?$c\b" <<<"$commands_section" \
        || fail "mi.1 does not describe the command $c"
done
# every option any mi help names is in mi.1; every mid option in mid.8
options=$(for c in "" $commands; do "$mi" $c --help; done | grep -oE -- '(^|[ ,(/])--[a-z][a-z-]*' \
    | grep -oE -- '--[a-z-]+' | sort -u)
for o in $options -f -n -h; do
    grep -qE -- "(^|[^a-z-])$o([^a-z-]|$)" <<<"$mi_text" || fail "mi.1 does not document $o"
done
for o in $("$mid" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u) passwd; do
    grep -qE -- "(^|[^a-z-])$o([^a-z-]|$)" <<<"$mid_text" || fail "mid.8 does not document $o"
done
# every environment variable the code reads is in the pages of the tools that read it
for v in $(grep -rhoE 'getenv\("[A-Z_]+"\)' "$MI_SOURCE_DIR/src" "$MI_SOURCE_DIR/tools/mi" \
    | grep -oE '[A-Z_]{3,}' | sort -u); do
    sed -n '/^\.SH ENVIRONMENT/,/^\.SH FILES/p' "$mi1" | grep -q "^\.B $v$" || fail "mi.1 ENVIRONMENT lacks $v"
done
for v in $(grep -rhoE 'getenv\("[A-Z_]+"\)' "$MI_SOURCE_DIR/src/repo" "$MI_SOURCE_DIR/tools/mid" \
    | grep -oE '[A-Z_]{3,}' | sort -u); do
    sed -n '/^\.SH ENVIRONMENT/,/^\.SH FILES/p' "$mid8" | grep -q "^\.B $v$" || fail "mid.8 ENVIRONMENT lacks $v"
done
# every MI_RESULT the manual names exists
for name in $(grep -ohE 'MI_RESULT_[A-Z_]+' "$mi1" "$mid8" | sort -u); do
    grep -q "$name\b" "$MI_SOURCE_DIR/include/mi.h" || fail "the manual names $name, which mi.h does not have"
done
echo "manual pages: all checks passed"
