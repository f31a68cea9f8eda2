/*
 * serializer — MI_Application_NewSerializer and NewDeserializer: the "MI_XML" format
 * (CIM-XML INSTANCE and CLASS elements).
 */
#ifndef MI_CLIENT_SERIALIZER_H
#define MI_CLIENT_SERIALIZER_H

#include <mi.h>

MI_Result mi_serializer_new(MI_Uint32 flags, const MI_Char *format, MI_Serializer *out);
MI_Result mi_deserializer_new(MI_Uint32 flags, const MI_Char *format, MI_Deserializer *out);

#endif
