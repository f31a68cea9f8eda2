/*
 * untyped — results as MI_OPERATIONFLAGS_NO_RTTI asks for them: every element a string
 * (an array of strings for an array), except references and embedded instances, whose
 * own elements are strings in the same way.
 */
#ifndef MI_CLIENT_UNTYPED_H
#define MI_CLIENT_UNTYPED_H

#include <mi.h>

/* A dynamic copy of in (class name, namespace, server name, key and null flags kept)
 * with its values as text; the caller deletes it. */
MI_Result mi_instance_untyped(const MI_Instance *in, MI_Instance **out);

#endif
