#!/usr/bin/env bash
# The provider half of include/mi.h: a provider written the way WMIv2 and OMI providers
# are (tests/data/providers/greeter.c: schema, provider function table, MI_Context calls,
# MI_Main) compiles cleanly as C and as C++, and links into a shared module exporting
# MI_Main.
set -euo pipefail
: "${MI_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
provider="$MI_SOURCE_DIR/tests/data/providers/greeter.c"
cc -std=c11 -Wall -Wextra -Werror -fPIC -shared -I"$MI_SOURCE_DIR/include" "$provider" \
    -o "$work/libgreeter.so"
g++ -x c++ -std=c++11 -Wall -Wextra -Werror -fPIC -shared -I"$MI_SOURCE_DIR/include" "$provider" \
    -o "$work/libgreeter_cpp.so"
for module in "$work/libgreeter.so" "$work/libgreeter_cpp.so"; do
    nm -D --defined-only "$module" | grep -qw 'MI_Main' || { echo "FAIL: $module does not export MI_Main"; exit 1; }
done
echo "the provider half of mi.h compiles as C and C++"
