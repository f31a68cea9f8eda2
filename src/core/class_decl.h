/*
 * class_decl — classes from the static declarations providers and generated code carry
 * (MI_ClassDecl and its property, method, parameter and qualifier declarations), built
 * on their superclass declarations as the repository builds classes.
 */
#ifndef MI_CORE_CLASS_DECL_H
#define MI_CORE_CLASS_DECL_H

#include "class.h"
#include "error.h"

#include <mi.h>

/* A new class (one reference) for decl; MI_RESULT_INVALID_PARAMETER naming what is wrong
 * in a declaration that does not make a class. */
MI_Result mi_class_from_decl(const MI_ClassDecl *decl, mi_class **out, mi_error *err);

#endif
