#!/usr/bin/env bash
# Writes the mi(1) manual page from the tool's own help texts, so the two cannot drift:
#   scripts/gen-man.sh [path/to/mi] > docs/mi.1
# tests/integration/test_mi_manpage.sh checks that docs/mi.1 is what this prints.
set -euo pipefail
mi="${1:-build/bin/mi}"
commands=(associators references get enumerate create modify delete class classes compile graph)

# help text as roff: verbatim lines, backslashes and leading dots escaped
roff() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }

cat <<'HEAD'
.TH MI 1 "" "libmi" "libmi manual"
.SH NAME
mi \- query and change CIM objects through the MI API
.SH SYNOPSIS
.nf
HEAD
"$mi" --help | roff
cat <<'MIDDLE'
.fi
.SH DESCRIPTION
.B mi
is a thin layer over the public MI API of libmi (include/mi.h): every command takes the
code path a program written against MI_Session takes. Its repository is the embedded one
(MI_REPOSITORY, else ~/.local/share/libmi/repository.db) unless \-\-repository names
another.
.SH COMMANDS
MIDDLE
for c in "${commands[@]}"; do
    echo ".SS $c"
    echo ".nf"
    "$mi" "$c" --help | roff
    echo ".fi"
done
cat <<'TAIL'
.SH OUTPUT
\-\-format json prints an array with one object per instance:
{"path", "class", "namespace", "properties": {NAME: {"type", "key", "value"}}}.
"type" is the CIM type name, with [] after it for an array; "value" is null for a NULL
property, a number for the numeric types, true or false for boolean, the object path
for a reference, an object of the same shape for an embedded instance, and a string
otherwise. \-\-format xml prints CIM\-XML VALUE.NAMEDINSTANCE elements inside one
IRETURNVALUE element.
.SH EXIT STATUS
0 success; 1 the operation failed (stderr: mi: MI_RESULT_NAME (number): message);
2 a usage error.
.SH ENVIRONMENT
.TP
.B MI_REPOSITORY
the repository file used when \-\-repository is not given.
TAIL
