/*
 * class_object — libmi's MI_Class: a class definition as the MI API hands it out
 * (MI_Session_GetClass, MI_Session_EnumerateClasses), with its qualifier and parameter
 * sets. It holds a reference to an mi_class and reads from it; nothing is copied.
 */
#ifndef MI_CORE_CLASS_OBJECT_H
#define MI_CORE_CLASS_OBJECT_H

#include "class.h"

#include <mi.h>

/* A new MI_Class over cls (referenced) in namespace ns; MI_Class_Delete frees it. */
MI_Result mi_class_object_new(mi_class *cls, const char *ns, MI_Class **out);

/* The class an MI_Class of this library holds (borrowed), or NULL for another's. */
mi_class *mi_class_object_class(const MI_Class *object);

#endif
