#!/usr/bin/env bash
# Installs the build into a scratch prefix, then compiles and runs a program that uses only
# documented MI names against it, finding the library through pkg-config.
set -euo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$MI_BUILD_DIR" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name libmi.pc | head -n1)")
export PKG_CONFIG_PATH="$pcdir"
cflags=$(pkg-config --cflags libmi)
libs=$(pkg-config --libs libmi)
libdir=$(pkg-config --variable=libdir libmi)
test -f "$prefix/include/mi.h"
# the manual pages come with the tools
cmp "$prefix/share/man/man1/mi.1" "$MI_SOURCE_DIR/docs/mi.1"
cmp "$prefix/share/man/man8/mid.8" "$MI_SOURCE_DIR/docs/mid.8"
test -e "$libdir/libmi.so" && test -e "$libdir/libmi.a"
# shellcheck disable=SC2086
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror ${MI_SANITIZE_FLAGS//;/ } $cflags \
    "$MI_SOURCE_DIR/tests/integration/consumer.c" $libs -o "$prefix/consumer"
LD_LIBRARY_PATH="$libdir" "$prefix/consumer"
# the same program links statically too, with what pkg-config --static says it needs
static_libs=$(pkg-config --static --libs-only-l libmi | sed 's/-lmi//')
# shellcheck disable=SC2086
"${CC:-cc}" -std=c11 -Wall -Wextra -Werror ${MI_SANITIZE_FLAGS//;/ } $cflags \
    "$MI_SOURCE_DIR/tests/integration/consumer.c" "$libdir/libmi.a" $static_libs \
    -o "$prefix/consumer-static"
"$prefix/consumer-static"
# the installed tools run as they are, without LD_LIBRARY_PATH, wherever the prefix is
env -u LD_LIBRARY_PATH "$prefix/bin/mi" --version >/dev/null || { echo "FAIL: the installed mi does not run"; exit 1; }
mv "$prefix" "$prefix.moved" && prefix="$prefix.moved"
trap 'rm -rf "$prefix"' EXIT
env -u LD_LIBRARY_PATH "$prefix/bin/mi" --version >/dev/null ||
    { echo "FAIL: the installed mi does not run once its prefix moved"; exit 1; }
env -u LD_LIBRARY_PATH "$prefix/bin/mid" --help >/dev/null || { echo "FAIL: the installed mid does not run"; exit 1; }
