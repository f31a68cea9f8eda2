#!/usr/bin/env bash
# include/mi.h compiles cleanly as C++ too: MI callers are C and C++ programs.
set -euo pipefail
: "${MI_SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/caller.cpp" <<'CPP'
#include <mi.h>
static void MI_CALL done(MI_Operation *, void *, const MI_Instance *, MI_Boolean, MI_Result,
                         const MI_Char *, const MI_Instance *, MI_Result(MI_CALL *)(MI_Operation *)) {}
int main()
{
    MI_Application app = MI_APPLICATION_NULL;
    MI_Session session = MI_SESSION_NULL;
    MI_Operation op = MI_OPERATION_NULL;
    MI_OperationCallbacks callbacks = MI_OPERATIONCALLBACKS_NULL;
    callbacks.instanceResult = done;
    MI_Instance *key = 0;
    MI_Application_NewInstance(&app, MI_T("CIM_ComputerSystem"), 0, &key);
    MI_Session_AssociatorInstances(&session, 0, 0, MI_T("root/cimv2"), key, 0, 0, 0, 0, MI_FALSE,
                                   &callbacks, &op);
    return 0;
}
CPP
g++ -std=c++11 -Wall -Wextra -Werror -Wno-unused-parameter -fsyntax-only \
    -I"$MI_SOURCE_DIR/include" "$work/caller.cpp"
echo "mi.h compiles as C++"
