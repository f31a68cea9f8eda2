/*
 * mi.h — the public interface of libmi.
 *
 * The Management Infrastructure (MI) client API: the same type names, numeric values,
 * structure layouts and parameter orders as Microsoft's documented MI API, so that code
 * written against it compiles unchanged. MI_Char is `char` holding UTF-8 and MI_T(x) is x.
 *
 * Objects handed out by the library are reached through function tables (`ft`); the
 * inline wrappers below check for a NULL object or table and answer
 * MI_RESULT_INVALID_PARAMETER instead of crashing.
 *
 * Ownership: an object returned through `**out` belongs to the caller and has its own
 * delete/close function; a pointer returned through `*out` of a getter is borrowed from
 * its parent and lives as long as the parent does.
 */
#ifndef MI_H
#define MI_H

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------
 * Calling conventions and helper macros
 * ------------------------------------------------------------------------------------- */

#define MI_CALL
#define MI_MAIN_CALL
#if defined(__GNUC__)
#define MI_EXPORT __attribute__((visibility("default")))
#define MI_INLINE static __inline
#else
#define MI_EXPORT
#define MI_INLINE static inline
#endif
#define MI_IMPORT
/* Declares an object with C linkage, as generated provider code declares its RTTI. */
#ifdef __cplusplus
#define MI_EXTERN_C extern "C"
#else
#define MI_EXTERN_C extern
#endif
#ifndef MI_CONST
#define MI_CONST const
#endif
#define MI_CHAR_TYPE 1
#define MI_T(STR) STR
#define MI_LL(X) X##LL
#define MI_ULL(X) X##ULL
#define MI_COUNT(X) (sizeof(X) / sizeof(X[0]))
#define MI_UNREFERENCED_PARAMETER(P) (void)(P)

#define MI_MAJOR ((MI_Uint32)1)
#define MI_MINOR ((MI_Uint32)1)
#define MI_REVISION ((MI_Uint32)0)
#define MI_MAKE_VERSION(MAJ, MIN, REV) ((MAJ << 16) | (MIN << 8) | REV)
#define MI_VERSION MI_MAKE_VERSION(MI_MAJOR, MI_MINOR, MI_REVISION)

/* ---------------------------------------------------------------------------------------
 * Result codes: the CIM_ERR numbers of DSP0200
 * ------------------------------------------------------------------------------------- */

typedef enum _MI_Result {
    MI_RESULT_OK = 0,
    MI_RESULT_FAILED = 1,
    MI_RESULT_ACCESS_DENIED = 2,
    MI_RESULT_INVALID_NAMESPACE = 3,
    MI_RESULT_INVALID_PARAMETER = 4,
    MI_RESULT_INVALID_CLASS = 5,
    MI_RESULT_NOT_FOUND = 6,
    MI_RESULT_NOT_SUPPORTED = 7,
    MI_RESULT_CLASS_HAS_CHILDREN = 8,
    MI_RESULT_CLASS_HAS_INSTANCES = 9,
    MI_RESULT_INVALID_SUPERCLASS = 10,
    MI_RESULT_ALREADY_EXISTS = 11,
    MI_RESULT_NO_SUCH_PROPERTY = 12,
    MI_RESULT_TYPE_MISMATCH = 13,
    MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED = 14,
    MI_RESULT_INVALID_QUERY = 15,
    MI_RESULT_METHOD_NOT_AVAILABLE = 16,
    MI_RESULT_METHOD_NOT_FOUND = 17,
    MI_RESULT_NAMESPACE_NOT_EMPTY = 20,
    MI_RESULT_INVALID_ENUMERATION_CONTEXT = 21,
    MI_RESULT_INVALID_OPERATION_TIMEOUT = 22,
    MI_RESULT_PULL_HAS_BEEN_ABANDONED = 23,
    MI_RESULT_PULL_CANNOT_BE_ABANDONED = 24,
    MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED = 25,
    MI_RESULT_CONTINUATION_ON_ERROR_NOT_SUPPORTED = 26,
    MI_RESULT_SERVER_LIMITS_EXCEEDED = 27,
    MI_RESULT_SERVER_IS_SHUTTING_DOWN = 28
} MI_Result;

typedef enum _MI_ErrorCategory {
    MI_ERRORCATEGORY_NOT_SPECIFIED = 0,
    MI_ERRORCATEGORY_OPEN_ERROR = 1,
    MI_ERRORCATEGORY_CLOS_EERROR = 2,
    MI_ERRORCATEGORY_DEVICE_ERROR = 3,
    MI_ERRORCATEGORY_DEADLOCK_DETECTED = 4,
    MI_ERRORCATEGORY_INVALID_ARGUMENT = 5,
    MI_ERRORCATEGORY_INVALID_DATA = 6,
    MI_ERRORCATEGORY_INVALID_OPERATION = 7,
    MI_ERRORCATEGORY_INVALID_RESULT = 8,
    MI_ERRORCATEGORY_INVALID_TYPE = 9,
    MI_ERRORCATEGORY_METADATA_ERROR = 10,
    MI_ERRORCATEGORY_NOT_IMPLEMENTED = 11,
    MI_ERRORCATEGORY_NOT_INSTALLED = 12,
    MI_ERRORCATEGORY_OBJECT_NOT_FOUND = 13,
    MI_ERRORCATEGORY_OPERATION_STOPPED = 14,
    MI_ERRORCATEGORY_OPERATION_TIMEOUT = 15,
    MI_ERRORCATEGORY_SYNTAX_ERROR = 16,
    MI_ERRORCATEGORY_PARSER_ERROR = 17,
    MI_ERRORCATEGORY_ACCESS_DENIED = 18,
    MI_ERRORCATEGORY_RESOURCE_BUSY = 19,
    MI_ERRORCATEGORY_RESOURCE_EXISTS = 20,
    MI_ERRORCATEGORY_RESOURCE_UNAVAILABLE = 21,
    MI_ERRORCATEGORY_READ_ERROR = 22,
    MI_ERRORCATEGORY_WRITE_ERROR = 23,
    MI_ERRORCATEGORY_FROM_STDERR = 24,
    MI_ERRORCATEGORY_SECURITY_ERROR = 25,
    MI_ERRORCATEGORY_PROTOCOL_ERROR = 26,
    MI_ERRORCATEGORY_CONNECTION_ERROR = 27,
    MI_ERRORCATEGORY_AUTHENTICATION_ERROR = 28,
    MI_ERRORCATEGORY_LIMITS_EXCEEDED = 29,
    MI_ERRORCATEGORY_QUOTA_EXCEEDED = 30,
    MI_ERRORCATEGORY_NOT_ENABLED = 31
} MI_ErrorCategory;

/* The kinds of error codes MI_Utilities_* take. */
#define MI_RESULT_TYPE_MI MI_T("MI")
#define MI_RESULT_TYPE_ERRNO MI_T("ERRNO")
#define MI_RESULT_TYPE_HRESULT MI_T("HRESULT")
#define MI_RESULT_TYPE_WIN32 MI_T("Win32")

typedef enum _MI_PromptType { MI_PROMPTTYPE_NORMAL, MI_PROMPTTYPE_CRITICAL } MI_PromptType;

typedef enum _MI_CallbackMode {
    MI_CALLBACKMODE_REPORT,
    MI_CALLBACKMODE_INQUIRE,
    MI_CALLBACKMODE_IGNORE
} MI_CallbackMode;

typedef enum _MI_CancellationReason {
    MI_REASON_NONE = 0,
    MI_REASON_TIMEOUT = 1,
    MI_REASON_SHUTDOWN = 2,
    MI_REASON_SERVICESTOP = 3
} MI_CancellationReason;

#define MI_QUERY_DIALECT_WQL MI_T("WQL")
#define MI_QUERY_DIALECT_CQL MI_T("CQL")

/* ---------------------------------------------------------------------------------------
 * Flags: meta types (qualifier scopes), qualifier flavors, boolean qualifiers, value state
 * ------------------------------------------------------------------------------------- */

#define MI_FLAG_CLASS (1 << 0)
#define MI_FLAG_METHOD (1 << 1)
#define MI_FLAG_PROPERTY (1 << 2)
#define MI_FLAG_PARAMETER (1 << 3)
#define MI_FLAG_ASSOCIATION (1 << 4)
#define MI_FLAG_INDICATION (1 << 5)
#define MI_FLAG_REFERENCE (1 << 6)
#define MI_FLAG_ANY (1 | 2 | 4 | 8 | 16 | 32 | 64)

#define MI_FLAG_ENABLEOVERRIDE (1 << 7)
#define MI_FLAG_DISABLEOVERRIDE (1 << 8)
#define MI_FLAG_RESTRICTED (1 << 9)
#define MI_FLAG_TOSUBCLASS (1 << 10)
#define MI_FLAG_TRANSLATABLE (1 << 11)

#define MI_FLAG_KEY (1 << 12)
#define MI_FLAG_IN (1 << 13)
#define MI_FLAG_OUT (1 << 14)
#define MI_FLAG_REQUIRED (1 << 15)
#define MI_FLAG_STATIC (1 << 16)
#define MI_FLAG_ABSTRACT (1 << 17)
#define MI_FLAG_TERMINAL (1 << 18)
#define MI_FLAG_EXPENSIVE (1 << 19)
#define MI_FLAG_STREAM (1 << 20)
#define MI_FLAG_READONLY (1 << 21)

#define MI_FLAG_TOINSTANCE (1 << 22)
#define MI_FLAG_NOT_MODIFIED (1 << 25)
#define MI_FLAG_VERSION (1 << 26 | 1 << 27 | 1 << 28)
#define MI_FLAG_NULL (1 << 29)
#define MI_FLAG_BORROW (1 << 30)
#define MI_FLAG_ADOPT ((MI_Uint32)((MI_Uint32)1 << 31))

/* ---------------------------------------------------------------------------------------
 * CIM types and values
 * ------------------------------------------------------------------------------------- */

typedef enum _MI_Type {
    MI_BOOLEAN = 0,
    MI_UINT8 = 1,
    MI_SINT8 = 2,
    MI_UINT16 = 3,
    MI_SINT16 = 4,
    MI_UINT32 = 5,
    MI_SINT32 = 6,
    MI_UINT64 = 7,
    MI_SINT64 = 8,
    MI_REAL32 = 9,
    MI_REAL64 = 10,
    MI_CHAR16 = 11,
    MI_DATETIME = 12,
    MI_STRING = 13,
    MI_REFERENCE = 14,
    MI_INSTANCE = 15,
    MI_BOOLEANA = 16,
    MI_UINT8A = 17,
    MI_SINT8A = 18,
    MI_UINT16A = 19,
    MI_SINT16A = 20,
    MI_UINT32A = 21,
    MI_SINT32A = 22,
    MI_UINT64A = 23,
    MI_SINT64A = 24,
    MI_REAL32A = 25,
    MI_REAL64A = 26,
    MI_CHAR16A = 27,
    MI_DATETIMEA = 28,
    MI_STRINGA = 29,
    MI_REFERENCEA = 30,
    MI_INSTANCEA = 31,
    MI_ARRAY = 16
} MI_Type;

typedef unsigned char MI_Boolean;
typedef unsigned char MI_Uint8;
typedef signed char MI_Sint8;
typedef unsigned short MI_Uint16;
typedef signed short MI_Sint16;
typedef unsigned int MI_Uint32;
typedef signed int MI_Sint32;
typedef unsigned long long MI_Uint64;
typedef signed long long MI_Sint64;
typedef float MI_Real32;
typedef double MI_Real64;
typedef unsigned short MI_Char16;
typedef char MI_Char;
typedef const MI_Char *MI_ConstStringPtr;

#define MI_TRUE ((MI_Boolean)1)
#define MI_FALSE ((MI_Boolean)0)

/* A point in time, DSP0004 form yyyymmddhhmmss.mmmmmmsutc; utc is the offset in minutes. */
typedef struct _MI_Timestamp {
    MI_Uint32 year;
    MI_Uint32 month;
    MI_Uint32 day;
    MI_Uint32 hour;
    MI_Uint32 minute;
    MI_Uint32 second;
    MI_Uint32 microseconds;
    MI_Sint32 utc;
} MI_Timestamp;

/* A duration, DSP0004 form ddddddddhhmmss.mmmmmm:000; padded to the size of a timestamp. */
typedef struct _MI_Interval {
    MI_Uint32 days;
    MI_Uint32 hours;
    MI_Uint32 minutes;
    MI_Uint32 seconds;
    MI_Uint32 microseconds;
    MI_Uint32 __padding1;
    MI_Uint32 __padding2;
    MI_Uint32 __padding3;
} MI_Interval;

typedef struct _MI_Datetime {
    MI_Uint32 isTimestamp;
    union {
        MI_Timestamp timestamp;
        MI_Interval interval;
    } u;
} MI_Datetime;

typedef struct _MI_ClassDecl MI_ClassDecl;
typedef struct _MI_Instance MI_Instance;
typedef struct _MI_InstanceFT MI_InstanceFT;
typedef struct _MI_Class MI_Class;
typedef struct _MI_Qualifier MI_Qualifier;
typedef struct _MI_Server MI_Server;
typedef struct _MI_Context MI_Context;
typedef struct _MI_ProviderFT MI_ProviderFT;
typedef struct _MI_Session MI_Session;

#define MI_DECLARE_ARRAY(NAME, TYPE)                                                               \
    typedef struct _##NAME {                                                                       \
        TYPE *data;                                                                                \
        MI_Uint32 size;                                                                            \
    } NAME
#define MI_DECLARE_CONST_ARRAY(NAME, TYPE)                                                         \
    typedef struct _##NAME {                                                                       \
        MI_CONST TYPE *data;                                                                       \
        MI_Uint32 size;                                                                            \
    } NAME

MI_DECLARE_ARRAY(MI_BooleanA, MI_Boolean);
MI_DECLARE_ARRAY(MI_Uint8A, MI_Uint8);
MI_DECLARE_ARRAY(MI_Sint8A, MI_Sint8);
MI_DECLARE_ARRAY(MI_Uint16A, MI_Uint16);
MI_DECLARE_ARRAY(MI_Sint16A, MI_Sint16);
MI_DECLARE_ARRAY(MI_Uint32A, MI_Uint32);
MI_DECLARE_ARRAY(MI_Sint32A, MI_Sint32);
MI_DECLARE_ARRAY(MI_Uint64A, MI_Uint64);
MI_DECLARE_ARRAY(MI_Sint64A, MI_Sint64);
MI_DECLARE_ARRAY(MI_Real32A, MI_Real32);
MI_DECLARE_ARRAY(MI_Real64A, MI_Real64);
MI_DECLARE_ARRAY(MI_Char16A, MI_Char16);
MI_DECLARE_ARRAY(MI_DatetimeA, MI_Datetime);
MI_DECLARE_ARRAY(MI_StringA, MI_Char *);
MI_DECLARE_ARRAY(MI_ReferenceA, struct _MI_Instance *);
MI_DECLARE_ARRAY(MI_InstanceA, MI_Instance *);
MI_DECLARE_ARRAY(MI_Array, void);

MI_DECLARE_CONST_ARRAY(MI_ConstBooleanA, MI_Boolean);
MI_DECLARE_CONST_ARRAY(MI_ConstUint8A, MI_Uint8);
MI_DECLARE_CONST_ARRAY(MI_ConstSint8A, MI_Sint8);
MI_DECLARE_CONST_ARRAY(MI_ConstUint16A, MI_Uint16);
MI_DECLARE_CONST_ARRAY(MI_ConstSint16A, MI_Sint16);
MI_DECLARE_CONST_ARRAY(MI_ConstUint32A, MI_Uint32);
MI_DECLARE_CONST_ARRAY(MI_ConstSint32A, MI_Sint32);
MI_DECLARE_CONST_ARRAY(MI_ConstUint64A, MI_Uint64);
MI_DECLARE_CONST_ARRAY(MI_ConstSint64A, MI_Sint64);
MI_DECLARE_CONST_ARRAY(MI_ConstReal32A, MI_Real32);
MI_DECLARE_CONST_ARRAY(MI_ConstReal64A, MI_Real64);
MI_DECLARE_CONST_ARRAY(MI_ConstChar16A, MI_Char16);
MI_DECLARE_CONST_ARRAY(MI_ConstDatetimeA, MI_Datetime);
MI_DECLARE_CONST_ARRAY(MI_ConstStringA, MI_Char *MI_CONST);
MI_DECLARE_CONST_ARRAY(MI_ConstReferenceA, MI_Instance *MI_CONST);
MI_DECLARE_CONST_ARRAY(MI_ConstInstanceA, MI_Instance *MI_CONST);

typedef union _MI_Value {
    MI_Boolean boolean;
    MI_Uint8 uint8;
    MI_Sint8 sint8;
    MI_Uint16 uint16;
    MI_Sint16 sint16;
    MI_Uint32 uint32;
    MI_Sint32 sint32;
    MI_Uint64 uint64;
    MI_Sint64 sint64;
    MI_Real32 real32;
    MI_Real64 real64;
    MI_Char16 char16;
    MI_Datetime datetime;
    MI_Char *string;
    MI_Instance *instance;
    MI_Instance *reference;
    MI_BooleanA booleana;
    MI_Uint8A uint8a;
    MI_Sint8A sint8a;
    MI_Uint16A uint16a;
    MI_Sint16A sint16a;
    MI_Uint32A uint32a;
    MI_Sint32A sint32a;
    MI_Uint64A uint64a;
    MI_Sint64A sint64a;
    MI_Real32A real32a;
    MI_Real64A real64a;
    MI_Char16A char16a;
    MI_DatetimeA datetimea;
    MI_StringA stringa;
    MI_ReferenceA referencea;
    MI_InstanceA instancea;
    MI_Array array;
} MI_Value;

/* ---------------------------------------------------------------------------------------
 * Fields: how generated provider code lays out a property inside its instance structure
 * (at the offset its MI_PropertyDecl gives). exists is nonzero when the value is not
 * NULL; flags are the library's.
 * ------------------------------------------------------------------------------------- */

#define MI_DECLARE_FIELD(NAME, TYPE)                                                               \
    typedef struct _##NAME {                                                                       \
        TYPE value;                                                                                \
        MI_Boolean exists;                                                                         \
        MI_Uint8 flags;                                                                            \
    } NAME
MI_DECLARE_FIELD(MI_BooleanField, MI_Boolean);
MI_DECLARE_FIELD(MI_Sint8Field, MI_Sint8);
MI_DECLARE_FIELD(MI_Uint8Field, MI_Uint8);
MI_DECLARE_FIELD(MI_Sint16Field, MI_Sint16);
MI_DECLARE_FIELD(MI_Uint16Field, MI_Uint16);
MI_DECLARE_FIELD(MI_Sint32Field, MI_Sint32);
MI_DECLARE_FIELD(MI_Uint32Field, MI_Uint32);
MI_DECLARE_FIELD(MI_Sint64Field, MI_Sint64);
MI_DECLARE_FIELD(MI_Uint64Field, MI_Uint64);
MI_DECLARE_FIELD(MI_Real32Field, MI_Real32);
MI_DECLARE_FIELD(MI_Real64Field, MI_Real64);
MI_DECLARE_FIELD(MI_Char16Field, MI_Char16);
MI_DECLARE_FIELD(MI_DatetimeField, MI_Datetime);
MI_DECLARE_FIELD(MI_StringField, MI_Char *);
MI_DECLARE_FIELD(MI_ReferenceField, struct _MI_Instance *);
MI_DECLARE_FIELD(MI_InstanceField, struct _MI_Instance *);
MI_DECLARE_FIELD(MI_BooleanAField, MI_BooleanA);
MI_DECLARE_FIELD(MI_Uint8AField, MI_Uint8A);
MI_DECLARE_FIELD(MI_Sint8AField, MI_Sint8A);
MI_DECLARE_FIELD(MI_Uint16AField, MI_Uint16A);
MI_DECLARE_FIELD(MI_Sint16AField, MI_Sint16A);
MI_DECLARE_FIELD(MI_Uint32AField, MI_Uint32A);
MI_DECLARE_FIELD(MI_Sint32AField, MI_Sint32A);
MI_DECLARE_FIELD(MI_Uint64AField, MI_Uint64A);
MI_DECLARE_FIELD(MI_Sint64AField, MI_Sint64A);
MI_DECLARE_FIELD(MI_Real32AField, MI_Real32A);
MI_DECLARE_FIELD(MI_Real64AField, MI_Real64A);
MI_DECLARE_FIELD(MI_Char16AField, MI_Char16A);
MI_DECLARE_FIELD(MI_DatetimeAField, MI_DatetimeA);
MI_DECLARE_FIELD(MI_StringAField, MI_StringA);
MI_DECLARE_FIELD(MI_ReferenceAField, MI_ReferenceA);
MI_DECLARE_FIELD(MI_InstanceAField, MI_InstanceA);
MI_DECLARE_FIELD(MI_ArrayField, MI_Array);

MI_DECLARE_FIELD(MI_ConstBooleanField, MI_Boolean);
MI_DECLARE_FIELD(MI_ConstSint8Field, MI_Sint8);
MI_DECLARE_FIELD(MI_ConstUint8Field, MI_Uint8);
MI_DECLARE_FIELD(MI_ConstSint16Field, MI_Sint16);
MI_DECLARE_FIELD(MI_ConstUint16Field, MI_Uint16);
MI_DECLARE_FIELD(MI_ConstSint32Field, MI_Sint32);
MI_DECLARE_FIELD(MI_ConstUint32Field, MI_Uint32);
MI_DECLARE_FIELD(MI_ConstSint64Field, MI_Sint64);
MI_DECLARE_FIELD(MI_ConstUint64Field, MI_Uint64);
MI_DECLARE_FIELD(MI_ConstReal32Field, MI_Real32);
MI_DECLARE_FIELD(MI_ConstReal64Field, MI_Real64);
MI_DECLARE_FIELD(MI_ConstChar16Field, MI_Char16);
MI_DECLARE_FIELD(MI_ConstDatetimeField, MI_Datetime);
MI_DECLARE_FIELD(MI_ConstStringField, MI_CONST MI_Char *);
MI_DECLARE_FIELD(MI_ConstReferenceField, MI_CONST struct _MI_Instance *);
MI_DECLARE_FIELD(MI_ConstInstanceField, MI_CONST struct _MI_Instance *);
MI_DECLARE_FIELD(MI_ConstBooleanAField, MI_ConstBooleanA);
MI_DECLARE_FIELD(MI_ConstUint8AField, MI_ConstUint8A);
MI_DECLARE_FIELD(MI_ConstSint8AField, MI_ConstSint8A);
MI_DECLARE_FIELD(MI_ConstUint16AField, MI_ConstUint16A);
MI_DECLARE_FIELD(MI_ConstSint16AField, MI_ConstSint16A);
MI_DECLARE_FIELD(MI_ConstUint32AField, MI_ConstUint32A);
MI_DECLARE_FIELD(MI_ConstSint32AField, MI_ConstSint32A);
MI_DECLARE_FIELD(MI_ConstUint64AField, MI_ConstUint64A);
MI_DECLARE_FIELD(MI_ConstSint64AField, MI_ConstSint64A);
MI_DECLARE_FIELD(MI_ConstReal32AField, MI_ConstReal32A);
MI_DECLARE_FIELD(MI_ConstReal64AField, MI_ConstReal64A);
MI_DECLARE_FIELD(MI_ConstChar16AField, MI_ConstChar16A);
MI_DECLARE_FIELD(MI_ConstDatetimeAField, MI_ConstDatetimeA);
MI_DECLARE_FIELD(MI_ConstStringAField, MI_ConstStringA);
MI_DECLARE_FIELD(MI_ConstReferenceAField, MI_ConstReferenceA);
MI_DECLARE_FIELD(MI_ConstInstanceAField, MI_ConstInstanceA);

/* ---------------------------------------------------------------------------------------
 * Static class declarations (run-time type information)
 * ------------------------------------------------------------------------------------- */

struct _MI_Qualifier {
    MI_CONST MI_Char *name;
    MI_Uint32 type;
    MI_Uint32 flavor;
    MI_CONST void *value;
};

typedef struct _MI_QualifierDecl {
    MI_CONST MI_Char *name;
    MI_Uint32 type;
    MI_Uint32 scope;
    MI_Uint32 flavor;
    MI_Uint32 subscript;
    MI_CONST void *value;
} MI_QualifierDecl;

typedef struct _MI_FeatureDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char *name;
    MI_Qualifier MI_CONST *MI_CONST *qualifiers;
    MI_Uint32 numQualifiers;
} MI_FeatureDecl;

typedef struct _MI_ParameterDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char *name;
    MI_Qualifier MI_CONST *MI_CONST *qualifiers;
    MI_Uint32 numQualifiers;
    MI_Uint32 type;
    MI_CONST MI_Char *className;
    MI_Uint32 subscript;
    MI_Uint32 offset;
} MI_ParameterDecl;

typedef struct _MI_PropertyDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char *name;
    MI_Qualifier MI_CONST *MI_CONST *qualifiers;
    MI_Uint32 numQualifiers;
    MI_Uint32 type;
    MI_CONST MI_Char *className;
    MI_Uint32 subscript;
    MI_Uint32 offset;
    MI_CONST MI_Char *origin;
    MI_CONST MI_Char *propagator;
    MI_CONST void *value;
} MI_PropertyDecl;

typedef struct _MI_ObjectDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char *name;
    MI_Qualifier MI_CONST *MI_CONST *qualifiers;
    MI_Uint32 numQualifiers;
    MI_PropertyDecl MI_CONST *MI_CONST *properties;
    MI_Uint32 numProperties;
    MI_Uint32 size;
} MI_ObjectDecl;

typedef void(MI_CALL *MI_MethodDecl_Invoke)(void *self, MI_Context *context,
                                            const MI_Char *nameSpace, const MI_Char *className,
                                            const MI_Char *methodName,
                                            const MI_Instance *instanceName,
                                            const MI_Instance *parameters);

typedef struct _MI_MethodDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char *name;
    MI_Qualifier MI_CONST *MI_CONST *qualifiers;
    MI_Uint32 numQualifiers;
    MI_ParameterDecl MI_CONST *MI_CONST *parameters;
    MI_Uint32 numParameters;
    MI_Uint32 size;
    MI_Uint32 returnType;
    MI_CONST MI_Char *origin;
    MI_CONST MI_Char *propagator;
    struct _MI_SchemaDecl MI_CONST *schema;
    MI_MethodDecl_Invoke function;
} MI_MethodDecl;

struct _MI_ClassDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char *name;
    MI_Qualifier MI_CONST *MI_CONST *qualifiers;
    MI_Uint32 numQualifiers;
    MI_PropertyDecl MI_CONST *MI_CONST *properties;
    MI_Uint32 numProperties;
    MI_Uint32 size;
    MI_CONST MI_Char *superClass;
    MI_ClassDecl MI_CONST *superClassDecl;
    MI_MethodDecl MI_CONST *MI_CONST *methods;
    MI_Uint32 numMethods;
    struct _MI_SchemaDecl MI_CONST *schema;
    MI_CONST MI_ProviderFT *providerFT;
    MI_Class *owningClass;
};

typedef struct _MI_SchemaDecl {
    MI_QualifierDecl MI_CONST *MI_CONST *qualifierDecls;
    MI_Uint32 numQualifierDecls;
    MI_ClassDecl MI_CONST *MI_CONST *classDecls;
    MI_Uint32 numClassDecls;
} MI_SchemaDecl;

/* ---------------------------------------------------------------------------------------
 * MI_Instance
 * ------------------------------------------------------------------------------------- */

struct _MI_InstanceFT {
    MI_Result(MI_CALL *Clone)(const MI_Instance *self, MI_Instance **newInstance);
    MI_Result(MI_CALL *Destruct)(MI_Instance *self);
    MI_Result(MI_CALL *Delete)(MI_Instance *self);
    MI_Result(MI_CALL *IsA)(const MI_Instance *self, const MI_ClassDecl *classDecl,
                            MI_Boolean *flag);
    MI_Result(MI_CALL *GetClassName)(const MI_Instance *self, const MI_Char **className);
    MI_Result(MI_CALL *SetNameSpace)(MI_Instance *self, const MI_Char *nameSpace);
    MI_Result(MI_CALL *GetNameSpace)(const MI_Instance *self, const MI_Char **nameSpace);
    MI_Result(MI_CALL *GetElementCount)(const MI_Instance *self, MI_Uint32 *count);
    MI_Result(MI_CALL *AddElement)(MI_Instance *self, const MI_Char *name, const MI_Value *value,
                                   MI_Type type, MI_Uint32 flags);
    MI_Result(MI_CALL *SetElement)(MI_Instance *self, const MI_Char *name, const MI_Value *value,
                                   MI_Type type, MI_Uint32 flags);
    MI_Result(MI_CALL *SetElementAt)(MI_Instance *self, MI_Uint32 index, const MI_Value *value,
                                     MI_Type type, MI_Uint32 flags);
    MI_Result(MI_CALL *GetElement)(const MI_Instance *self, const MI_Char *name, MI_Value *value,
                                   MI_Type *type, MI_Uint32 *flags, MI_Uint32 *index);
    MI_Result(MI_CALL *GetElementAt)(const MI_Instance *self, MI_Uint32 index, const MI_Char **name,
                                     MI_Value *value, MI_Type *type, MI_Uint32 *flags);
    MI_Result(MI_CALL *ClearElement)(MI_Instance *self, const MI_Char *name);
    MI_Result(MI_CALL *ClearElementAt)(MI_Instance *self, MI_Uint32 index);
    MI_Result(MI_CALL *GetServerName)(const MI_Instance *self, const MI_Char **name);
    MI_Result(MI_CALL *SetServerName)(MI_Instance *self, const MI_Char *name);
    MI_Result(MI_CALL *GetClass)(const MI_Instance *self, MI_Class **instanceClass);
};

struct _MI_Instance {
    const MI_InstanceFT *ft;
    const MI_ClassDecl *classDecl;
    const MI_Char *serverName;
    const MI_Char *nameSpace;
    ptrdiff_t reserved[4];
};

#define MI_INSTANCE_CALL(SELF, FN, ...)                                                            \
    ((SELF) && (SELF)->ft ? (SELF)->ft->FN(SELF, __VA_ARGS__) : MI_RESULT_INVALID_PARAMETER)

/* Copies `self` and everything it holds; the copy is the caller's (MI_Instance_Delete). */
MI_INLINE MI_Result MI_CALL MI_Instance_Clone(const MI_Instance *self, MI_Instance **newInstance)
{
    return MI_INSTANCE_CALL(self, Clone, newInstance);
}

MI_INLINE MI_Result MI_CALL MI_Instance_Destruct(MI_Instance *self)
{
    return (self && self->ft) ? self->ft->Destruct(self) : MI_RESULT_INVALID_PARAMETER;
}

/* Releases an instance the caller owns. */
MI_INLINE MI_Result MI_CALL MI_Instance_Delete(MI_Instance *self)
{
    return (self && self->ft) ? self->ft->Delete(self) : MI_RESULT_INVALID_PARAMETER;
}

/* Whether the instance's class is classDecl's class or derives from it (names compared). */
MI_INLINE MI_Result MI_CALL MI_Instance_IsA(const MI_Instance *self, const MI_ClassDecl *classDecl,
                                            MI_Boolean *flag)
{
    return MI_INSTANCE_CALL(self, IsA, classDecl, flag);
}

MI_INLINE MI_Result MI_CALL MI_Instance_GetClassName(const MI_Instance *self,
                                                     const MI_Char **className)
{
    return MI_INSTANCE_CALL(self, GetClassName, className);
}

MI_INLINE MI_Result MI_CALL MI_Instance_SetNameSpace(MI_Instance *self, const MI_Char *nameSpace)
{
    return MI_INSTANCE_CALL(self, SetNameSpace, nameSpace);
}

MI_INLINE MI_Result MI_CALL MI_Instance_GetNameSpace(const MI_Instance *self,
                                                     const MI_Char **nameSpace)
{
    return MI_INSTANCE_CALL(self, GetNameSpace, nameSpace);
}

MI_INLINE MI_Result MI_CALL MI_Instance_GetElementCount(const MI_Instance *self, MI_Uint32 *count)
{
    return MI_INSTANCE_CALL(self, GetElementCount, count);
}

/* Adds a property. The value is copied unless flags has MI_FLAG_BORROW (kept as given) or
 * MI_FLAG_ADOPT (ownership passes to the instance). MI_FLAG_NULL or a NULL value adds a
 * NULL property; MI_FLAG_KEY marks a key. */
MI_INLINE MI_Result MI_CALL MI_Instance_AddElement(MI_Instance *self, const MI_Char *name,
                                                   const MI_Value *value, MI_Type type,
                                                   MI_Uint32 flags)
{
    return MI_INSTANCE_CALL(self, AddElement, name, value, type, flags);
}

MI_INLINE MI_Result MI_CALL MI_Instance_SetElement(MI_Instance *self, const MI_Char *name,
                                                   const MI_Value *value, MI_Type type,
                                                   MI_Uint32 flags)
{
    return MI_INSTANCE_CALL(self, SetElement, name, value, type, flags);
}

MI_INLINE MI_Result MI_CALL MI_Instance_SetElementAt(MI_Instance *self, MI_Uint32 index,
                                                     const MI_Value *value, MI_Type type,
                                                     MI_Uint32 flags)
{
    return MI_INSTANCE_CALL(self, SetElementAt, index, value, type, flags);
}

/* The value returned is borrowed from the instance. */
MI_INLINE MI_Result MI_CALL MI_Instance_GetElement(const MI_Instance *self, const MI_Char *name,
                                                   MI_Value *value, MI_Type *type, MI_Uint32 *flags,
                                                   MI_Uint32 *index)
{
    return MI_INSTANCE_CALL(self, GetElement, name, value, type, flags, index);
}

MI_INLINE MI_Result MI_CALL MI_Instance_GetElementAt(const MI_Instance *self, MI_Uint32 index,
                                                     const MI_Char **name, MI_Value *value,
                                                     MI_Type *type, MI_Uint32 *flags)
{
    return MI_INSTANCE_CALL(self, GetElementAt, index, name, value, type, flags);
}

MI_INLINE MI_Result MI_CALL MI_Instance_ClearElement(MI_Instance *self, const MI_Char *name)
{
    return MI_INSTANCE_CALL(self, ClearElement, name);
}

MI_INLINE MI_Result MI_CALL MI_Instance_ClearElementAt(MI_Instance *self, MI_Uint32 index)
{
    return MI_INSTANCE_CALL(self, ClearElementAt, index);
}

MI_INLINE MI_Result MI_CALL MI_Instance_GetServerName(const MI_Instance *self, const MI_Char **name)
{
    return MI_INSTANCE_CALL(self, GetServerName, name);
}

MI_INLINE MI_Result MI_CALL MI_Instance_SetServerName(MI_Instance *self, const MI_Char *name)
{
    return MI_INSTANCE_CALL(self, SetServerName, name);
}

MI_INLINE MI_Result MI_CALL MI_Instance_GetClass(const MI_Instance *self, MI_Class **instanceClass)
{
    return MI_INSTANCE_CALL(self, GetClass, instanceClass);
}

/* The extended function table every instance of this library has: MI_InstanceFT, then
 * Normalize. */
typedef struct _MI_InstanceExFT {
    MI_InstanceFT parent;
    MI_Result(MI_CALL *Normalize)(MI_Instance **self);
} MI_InstanceExFT;

/* Makes *self an instance in the library's own form (this library's always are). */
MI_INLINE MI_Result MI_CALL MI_Instance_Normalize(MI_Instance **self)
{
    if (!self || !*self || !(*self)->ft)
        return MI_RESULT_INVALID_PARAMETER;
    const MI_InstanceExFT *ft = (const MI_InstanceExFT *)(const void *)(*self)->ft;
    return ft->Normalize ? ft->Normalize(self) : MI_RESULT_OK;
}

/* The class of an instance made in classToGet (OMI's form of MI_Instance_GetClass: no
 * allocation of the MI_Class itself); MI_Class_Delete releases what it holds. */
MI_EXPORT MI_Result MI_CALL MI_Instance_GetClassExt(const MI_Instance *self, MI_Class *classToGet);

/* ---------------------------------------------------------------------------------------
 * MI_Class (class objects returned by GetClass operations)
 * ------------------------------------------------------------------------------------- */

typedef struct _MI_QualifierSet MI_QualifierSet;
typedef struct _MI_QualifierSetFT {
    MI_Result(MI_CALL *GetQualifierCount)(const MI_QualifierSet *self, MI_Uint32 *count);
    MI_Result(MI_CALL *GetQualifierAt)(const MI_QualifierSet *self, MI_Uint32 index,
                                       const MI_Char **name, MI_Type *qualifierType,
                                       MI_Uint32 *qualifierFlags, MI_Value *qualifierValue);
    MI_Result(MI_CALL *GetQualifier)(const MI_QualifierSet *self, const MI_Char *name,
                                     MI_Type *qualifierType, MI_Uint32 *qualifierFlags,
                                     MI_Value *qualifierValue, MI_Uint32 *index);
} MI_QualifierSetFT;

struct _MI_QualifierSet {
    MI_Uint64 reserved1;
    ptrdiff_t reserved2;
    const MI_QualifierSetFT *ft;
};

typedef struct _MI_ParameterSet MI_ParameterSet;
typedef struct _MI_ParameterSetFT {
    MI_Result(MI_CALL *GetMethodReturnType)(const MI_ParameterSet *self, MI_Type *returnType,
                                            MI_QualifierSet *qualifierSet);
    MI_Result(MI_CALL *GetParameterCount)(const MI_ParameterSet *self, MI_Uint32 *count);
    MI_Result(MI_CALL *GetParameterAt)(const MI_ParameterSet *self, MI_Uint32 index,
                                       const MI_Char **name, MI_Type *parameterType,
                                       MI_Char **referenceClass, MI_QualifierSet *qualifierSet);
    MI_Result(MI_CALL *GetParameter)(const MI_ParameterSet *self, const MI_Char *name,
                                     MI_Type *parameterType, MI_Char **referenceClass,
                                     MI_QualifierSet *qualifierSet, MI_Uint32 *index);
} MI_ParameterSetFT;

struct _MI_ParameterSet {
    MI_Uint64 reserved1;
    ptrdiff_t reserved2;
    const MI_ParameterSetFT *ft;
};

typedef struct _MI_ClassFT {
    MI_Result(MI_CALL *GetClassName)(const MI_Class *self, const MI_Char **className);
    MI_Result(MI_CALL *GetNameSpace)(const MI_Class *self, const MI_Char **nameSpace);
    MI_Result(MI_CALL *GetServerName)(const MI_Class *self, const MI_Char **serverName);
    MI_Result(MI_CALL *GetElementCount)(const MI_Class *self, MI_Uint32 *count);
    MI_Result(MI_CALL *GetElement)(const MI_Class *self, const MI_Char *name, MI_Value *value,
                                   MI_Boolean *valueExists, MI_Type *type, MI_Char **referenceClass,
                                   MI_QualifierSet *qualifierSet, MI_Uint32 *flags,
                                   MI_Uint32 *index);
    MI_Result(MI_CALL *GetElementAt)(const MI_Class *self, MI_Uint32 index, const MI_Char **name,
                                     MI_Value *value, MI_Boolean *valueExists, MI_Type *type,
                                     MI_Char **referenceClass, MI_QualifierSet *qualifierSet,
                                     MI_Uint32 *flags);
    MI_Result(MI_CALL *GetClassQualifierSet)(const MI_Class *self, MI_QualifierSet *qualifierSet);
    MI_Result(MI_CALL *GetMethodCount)(const MI_Class *self, MI_Uint32 *count);
    MI_Result(MI_CALL *GetMethodAt)(const MI_Class *self, MI_Uint32 index, const MI_Char **name,
                                    MI_QualifierSet *qualifierSet, MI_ParameterSet *parameterSet);
    MI_Result(MI_CALL *GetMethod)(const MI_Class *self, const MI_Char *name,
                                  MI_QualifierSet *qualifierSet, MI_ParameterSet *parameterSet,
                                  MI_Uint32 *index);
    MI_Result(MI_CALL *GetParentClassName)(const MI_Class *self, const MI_Char **name);
    MI_Result(MI_CALL *GetParentClass)(const MI_Class *self, MI_Class **parentClass);
    MI_Result(MI_CALL *Delete)(MI_Class *self);
    MI_Result(MI_CALL *Clone)(const MI_Class *self, MI_Class **newClass);
} MI_ClassFT;

struct _MI_Class {
    const MI_ClassFT *ft;
    MI_CONST MI_ClassDecl *classDecl;
    MI_CONST MI_Char *namespaceName;
    MI_CONST MI_Char *serverName;
    ptrdiff_t reserved[4];
};

#define MI_CLASS_NULL                                                                              \
    {                                                                                              \
        NULL, NULL, NULL, NULL,                                                                    \
        {                                                                                          \
            0, 0, 0, 0                                                                             \
        }                                                                                          \
    }

#define MI_QUALIFIERSET_CALL(SELF, FN, ...)                                                        \
    ((SELF) && (SELF)->ft ? (SELF)->ft->FN(SELF, __VA_ARGS__) : MI_RESULT_INVALID_PARAMETER)

MI_INLINE MI_Result MI_CALL MI_QualifierSet_GetQualifierCount(const MI_QualifierSet *self,
                                                              MI_Uint32 *count)
{
    return MI_QUALIFIERSET_CALL(self, GetQualifierCount, count);
}

MI_INLINE MI_Result MI_CALL MI_QualifierSet_GetQualifierAt(const MI_QualifierSet *self,
                                                           MI_Uint32 index, const MI_Char **name,
                                                           MI_Type *qualifierType,
                                                           MI_Uint32 *qualifierFlags,
                                                           MI_Value *qualifierValue)
{
    return MI_QUALIFIERSET_CALL(self, GetQualifierAt, index, name, qualifierType, qualifierFlags,
                                qualifierValue);
}

MI_INLINE MI_Result MI_CALL MI_QualifierSet_GetQualifier(const MI_QualifierSet *self,
                                                         const MI_Char *name,
                                                         MI_Type *qualifierType,
                                                         MI_Uint32 *qualifierFlags,
                                                         MI_Value *qualifierValue, MI_Uint32 *index)
{
    return MI_QUALIFIERSET_CALL(self, GetQualifier, name, qualifierType, qualifierFlags,
                                qualifierValue, index);
}

MI_INLINE MI_Result MI_CALL MI_ParameterSet_GetMethodReturnType(const MI_ParameterSet *self,
                                                                MI_Type *returnType,
                                                                MI_QualifierSet *qualifierSet)
{
    return MI_QUALIFIERSET_CALL(self, GetMethodReturnType, returnType, qualifierSet);
}

MI_INLINE MI_Result MI_CALL MI_ParameterSet_GetParameterCount(const MI_ParameterSet *self,
                                                              MI_Uint32 *count)
{
    return MI_QUALIFIERSET_CALL(self, GetParameterCount, count);
}

MI_INLINE MI_Result MI_CALL MI_ParameterSet_GetParameterAt(const MI_ParameterSet *self,
                                                           MI_Uint32 index, const MI_Char **name,
                                                           MI_Type *parameterType,
                                                           MI_Char **referenceClass,
                                                           MI_QualifierSet *qualifierSet)
{
    return MI_QUALIFIERSET_CALL(self, GetParameterAt, index, name, parameterType, referenceClass,
                                qualifierSet);
}

MI_INLINE MI_Result MI_CALL MI_ParameterSet_GetParameter(
    const MI_ParameterSet *self, const MI_Char *name, MI_Type *parameterType,
    MI_Char **referenceClass, MI_QualifierSet *qualifierSet, MI_Uint32 *index)
{
    return MI_QUALIFIERSET_CALL(self, GetParameter, name, parameterType, referenceClass,
                                qualifierSet, index);
}

#define MI_CLASS_CALL(SELF, FN, ...)                                                               \
    ((SELF) && (SELF)->ft ? (SELF)->ft->FN(SELF, __VA_ARGS__) : MI_RESULT_INVALID_PARAMETER)

MI_INLINE MI_Result MI_CALL MI_Class_GetClassName(const MI_Class *self, const MI_Char **className)
{
    return MI_CLASS_CALL(self, GetClassName, className);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetNameSpace(const MI_Class *self, const MI_Char **nameSpace)
{
    return MI_CLASS_CALL(self, GetNameSpace, nameSpace);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetServerName(const MI_Class *self, const MI_Char **serverName)
{
    return MI_CLASS_CALL(self, GetServerName, serverName);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetElementCount(const MI_Class *self, MI_Uint32 *count)
{
    return MI_CLASS_CALL(self, GetElementCount, count);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetElement(const MI_Class *self, const MI_Char *name,
                                                MI_Value *value, MI_Boolean *valueExists,
                                                MI_Type *type, MI_Char **referenceClass,
                                                MI_QualifierSet *qualifierSet, MI_Uint32 *flags,
                                                MI_Uint32 *index)
{
    return MI_CLASS_CALL(self, GetElement, name, value, valueExists, type, referenceClass,
                         qualifierSet, flags, index);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetElementAt(const MI_Class *self, MI_Uint32 index,
                                                  const MI_Char **name, MI_Value *value,
                                                  MI_Boolean *valueExists, MI_Type *type,
                                                  MI_Char **referenceClass,
                                                  MI_QualifierSet *qualifierSet, MI_Uint32 *flags)
{
    return MI_CLASS_CALL(self, GetElementAt, index, name, value, valueExists, type, referenceClass,
                         qualifierSet, flags);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetClassQualifierSet(const MI_Class *self,
                                                          MI_QualifierSet *qualifierSet)
{
    return MI_CLASS_CALL(self, GetClassQualifierSet, qualifierSet);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetMethodCount(const MI_Class *self, MI_Uint32 *count)
{
    return MI_CLASS_CALL(self, GetMethodCount, count);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetMethodAt(const MI_Class *self, MI_Uint32 index,
                                                 const MI_Char **name,
                                                 MI_QualifierSet *qualifierSet,
                                                 MI_ParameterSet *parameterSet)
{
    return MI_CLASS_CALL(self, GetMethodAt, index, name, qualifierSet, parameterSet);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetMethod(const MI_Class *self, const MI_Char *name,
                                               MI_QualifierSet *qualifierSet,
                                               MI_ParameterSet *parameterSet, MI_Uint32 *index)
{
    return MI_CLASS_CALL(self, GetMethod, name, qualifierSet, parameterSet, index);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetParentClassName(const MI_Class *self, const MI_Char **name)
{
    return MI_CLASS_CALL(self, GetParentClassName, name);
}

MI_INLINE MI_Result MI_CALL MI_Class_GetParentClass(const MI_Class *self, MI_Class **parentClass)
{
    return MI_CLASS_CALL(self, GetParentClass, parentClass);
}

MI_INLINE MI_Result MI_CALL MI_Class_Delete(MI_Class *self)
{
    return (self && self->ft) ? self->ft->Delete(self) : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Class_Clone(const MI_Class *self, MI_Class **newClass)
{
    return MI_CLASS_CALL(self, Clone, newClass);
}

/* ---------------------------------------------------------------------------------------
 * Client handles: application, session, operation, options
 * ------------------------------------------------------------------------------------- */

typedef struct _MI_Application MI_Application;
typedef struct _MI_Operation MI_Operation;
typedef struct _MI_HostedProvider MI_HostedProvider;
typedef struct _MI_DestinationOptions MI_DestinationOptions;
typedef struct _MI_OperationOptions MI_OperationOptions;
typedef struct _MI_SubscriptionDeliveryOptions MI_SubscriptionDeliveryOptions;
typedef struct _MI_Serializer MI_Serializer;
typedef struct _MI_Deserializer MI_Deserializer;
typedef struct _MI_Module *(MI_MAIN_CALL *MI_MainFunction)(MI_Server *server);

typedef enum _MI_OperationCallback_ResponseType {
    MI_OperationCallback_ResponseType_No,
    MI_OperationCallback_ResponseType_Yes,
    MI_OperationCallback_ResponseType_NoToAll,
    MI_OperationCallback_ResponseType_YesToAll
} MI_OperationCallback_ResponseType;

typedef void(MI_CALL *MI_OperationCallback_PromptUser)(
    MI_Operation *operation, void *callbackContext, const MI_Char *message,
    MI_PromptType promptType,
    MI_Result(MI_CALL *promptUserResult)(MI_Operation *operation,
                                         MI_OperationCallback_ResponseType response));

typedef void(MI_CALL *MI_OperationCallback_WriteError)(
    MI_Operation *operation, void *callbackContext, MI_Instance *instance,
    MI_Result(MI_CALL *writeErrorResult)(MI_Operation *operation,
                                         MI_OperationCallback_ResponseType response));

#define MI_WRITEMESSAGE_CHANNEL_WARNING 0
#define MI_WRITEMESSAGE_CHANNEL_VERBOSE 1
#define MI_WRITEMESSAGE_CHANNEL_DEBUG 2

/* ---------------------------------------------------------------------------------------
 * The provider half: modules, their schemas and providers, and the context through
 * which a provider answers
 * ------------------------------------------------------------------------------------- */

typedef struct _MI_Filter MI_Filter;
typedef struct _MI_FilterFT MI_FilterFT;
typedef struct _MI_PropertySet MI_PropertySet;
typedef struct _MI_PropertySetFT MI_PropertySetFT;
typedef struct _MI_ContextFT MI_ContextFT;
typedef struct _MI_ServerFT MI_ServerFT;
typedef struct _MI_Module_Self MI_Module_Self;

/* A query a provider may apply to what it posts (or leave to the server). */
struct _MI_FilterFT {
    MI_Result(MI_CALL *Evaluate)(const MI_Filter *self, const MI_Instance *instance,
                                 MI_Boolean *result);
    MI_Result(MI_CALL *GetExpression)(const MI_Filter *self, const MI_Char **queryLang,
                                      const MI_Char **queryExpr);
};

struct _MI_Filter {
    const MI_FilterFT *ft;
    ptrdiff_t reserved[3];
};

MI_INLINE MI_Result MI_CALL MI_Filter_Evaluate(const MI_Filter *self, const MI_Instance *instance,
                                               MI_Boolean *result)
{
    return self && self->ft ? self->ft->Evaluate(self, instance, result)
                            : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Filter_GetExpression(const MI_Filter *self,
                                                    const MI_Char **queryLang,
                                                    const MI_Char **queryExpr)
{
    return self && self->ft ? self->ft->GetExpression(self, queryLang, queryExpr)
                            : MI_RESULT_INVALID_PARAMETER;
}

/* The properties a client asked for (NULL: all). */
struct _MI_PropertySetFT {
    MI_Result(MI_CALL *GetElementCount)(const MI_PropertySet *self, MI_Uint32 *count);
    MI_Result(MI_CALL *ContainsElement)(const MI_PropertySet *self, const MI_Char *name,
                                        MI_Boolean *flag);
    MI_Result(MI_CALL *AddElement)(MI_PropertySet *self, const MI_Char *name);
    MI_Result(MI_CALL *GetElementAt)(const MI_PropertySet *self, MI_Uint32 index,
                                     const MI_Char **name);
    MI_Result(MI_CALL *Clear)(MI_PropertySet *self);
    MI_Result(MI_CALL *Destruct)(MI_PropertySet *self);
    MI_Result(MI_CALL *Delete)(MI_PropertySet *self);
    MI_Result(MI_CALL *Clone)(const MI_PropertySet *self, MI_PropertySet **newPropertySet);
};

struct _MI_PropertySet {
    const MI_PropertySetFT *ft;
    ptrdiff_t reserved[3];
};
MI_INLINE MI_Result MI_CALL MI_PropertySet_GetElementCount(const MI_PropertySet *self,
                                                           MI_Uint32 *count)
{
    return self && self->ft ? self->ft->GetElementCount(self, count) : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_PropertySet_ContainsElement(const MI_PropertySet *self,
                                                           const MI_Char *name, MI_Boolean *flag)
{
    return self && self->ft ? self->ft->ContainsElement(self, name, flag)
                            : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_PropertySet_AddElement(MI_PropertySet *self, const MI_Char *name)
{
    return self && self->ft ? self->ft->AddElement(self, name) : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_PropertySet_GetElementAt(const MI_PropertySet *self, MI_Uint32 index,
                                                        const MI_Char **name)
{
    return self && self->ft ? self->ft->GetElementAt(self, index, name)
                            : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_PropertySet_Clear(MI_PropertySet *self)
{
    return self && self->ft ? self->ft->Clear(self) : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_PropertySet_Destruct(MI_PropertySet *self)
{
    return self && self->ft ? self->ft->Destruct(self) : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_PropertySet_Delete(MI_PropertySet *self)
{
    return self && self->ft ? self->ft->Delete(self) : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_PropertySet_Clone(const MI_PropertySet *self,
                                                 MI_PropertySet **newPropertySet)
{
    return self && self->ft ? self->ft->Clone(self, newPropertySet) : MI_RESULT_INVALID_PARAMETER;
}
#define MI_MAX_LOCALE_SIZE 128

typedef enum _MI_LocaleType {
    MI_LOCALE_TYPE_REQUESTED_UI,
    MI_LOCALE_TYPE_REQUESTED_DATA,
    MI_LOCALE_TYPE_CLOSEST_UI,
    MI_LOCALE_TYPE_CLOSEST_DATA
} MI_LocaleType;

/* Called when the client cancels an operation a provider is answering. */
typedef void(MI_CALL *MI_CancelCallback)(MI_CancellationReason reason, void *callbackData);

/* What a provider answers through: results, errors, messages, new instances, the options
 * of the operation, and a session for its own queries. */
struct _MI_ContextFT {
    MI_Result(MI_CALL *PostResult)(MI_Context *context, MI_Result result);
    MI_Result(MI_CALL *PostInstance)(MI_Context *context, const MI_Instance *instance);
    MI_Result(MI_CALL *PostIndication)(MI_Context *context, const MI_Instance *indication,
                                       MI_Uint32 subscriptionIDCount, const MI_Char *bookmark);
    MI_Result(MI_CALL *ConstructInstance)(MI_Context *context, const MI_ClassDecl *classDecl,
                                          MI_Instance *instance);
    MI_Result(MI_CALL *ConstructParameters)(MI_Context *context, const MI_MethodDecl *methodDecl,
                                            MI_Instance *instance);
    MI_Result(MI_CALL *NewInstance)(MI_Context *context, const MI_ClassDecl *classDecl,
                                    MI_Instance **instance);
    MI_Result(MI_CALL *NewDynamicInstance)(MI_Context *context, const MI_Char *className,
                                           MI_Uint32 flags, MI_Instance **instance);
    MI_Result(MI_CALL *NewParameters)(MI_Context *context, const MI_MethodDecl *methodDecl,
                                      MI_Instance **instance);
    MI_Result(MI_CALL *Canceled)(const MI_Context *context, MI_Boolean *flag);
    MI_Result(MI_CALL *GetLocale)(const MI_Context *context, MI_LocaleType localeType,
                                  MI_Char locale[MI_MAX_LOCALE_SIZE]);
    MI_Result(MI_CALL *RegisterCancel)(MI_Context *context, MI_CancelCallback callback,
                                       void *callbackData);
    MI_Result(MI_CALL *RequestUnload)(MI_Context *context);
    MI_Result(MI_CALL *RefuseUnload)(MI_Context *context);
    MI_Result(MI_CALL *GetLocalSession)(const MI_Context *context, MI_Session *session);
    MI_Result(MI_CALL *SetStringOption)(MI_Context *context, const MI_Char *name,
                                        const MI_Char *value);
    MI_Result(MI_CALL *GetStringOption)(MI_Context *context, const MI_Char *name,
                                        const MI_Char **value);
    MI_Result(MI_CALL *GetNumberOption)(MI_Context *context, const MI_Char *name, MI_Uint32 *value);
    MI_Result(MI_CALL *GetCustomOption)(MI_Context *context, const MI_Char *name,
                                        MI_Type *valueType, MI_Value *value);
    MI_Result(MI_CALL *GetCustomOptionCount)(MI_Context *context, MI_Uint32 *count);
    MI_Result(MI_CALL *GetCustomOptionAt)(MI_Context *context, MI_Uint32 index,
                                          const MI_Char **name, MI_Type *valueType,
                                          MI_Value *value);
    MI_Result(MI_CALL *WriteMessage)(MI_Context *context, MI_Uint32 channel,
                                     const MI_Char *message);
    MI_Result(MI_CALL *WriteProgress)(MI_Context *context, const MI_Char *activity,
                                      const MI_Char *currentOperation,
                                      const MI_Char *statusDescription, MI_Uint32 percentComplete,
                                      MI_Uint32 secondsRemaining);
    MI_Result(MI_CALL *WriteStreamParameter)(MI_Context *context, const MI_Char *name,
                                             const MI_Value *value, MI_Type type, MI_Uint32 flags);
    MI_Result(MI_CALL *WriteCimError)(MI_Context *context, const MI_Instance *error,
                                      MI_Boolean *flag);
    MI_Result(MI_CALL *PromptUser)(MI_Context *context, const MI_Char *message,
                                   MI_PromptType promptType, MI_Boolean *result);
    MI_Result(MI_CALL *ShouldProcess)(MI_Context *context, const MI_Char *target,
                                      const MI_Char *action, MI_Boolean *result);
    MI_Result(MI_CALL *ShouldContinue)(MI_Context *context, const MI_Char *message,
                                       MI_Boolean *result);
    MI_Result(MI_CALL *PostError)(MI_Context *context, MI_Uint32 resultCode,
                                  const MI_Char *resultType, const MI_Char *errorMessage);
    MI_Result(MI_CALL *PostCimError)(MI_Context *context, const MI_Instance *error);
    MI_Result(MI_CALL *WriteError)(MI_Context *context, MI_Uint32 resultCode,
                                   const MI_Char *resultType, const MI_Char *errorMessage,
                                   MI_Boolean *flag);
};

struct _MI_Context {
    const MI_ContextFT *ft;
    ptrdiff_t reserved[3];
};

MI_INLINE MI_Result MI_CALL MI_Context_PostResult(MI_Context *context, MI_Result result)
{
    return context && context->ft ? context->ft->PostResult(context, result)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_PostInstance(MI_Context *context,
                                                    const MI_Instance *instance)
{
    return context && context->ft ? context->ft->PostInstance(context, instance)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_PostIndication(MI_Context *context,
                                                      const MI_Instance *indication,
                                                      MI_Uint32 subscriptionIDCount,
                                                      const MI_Char *bookmark)
{
    return context && context->ft
               ? context->ft->PostIndication(context, indication, subscriptionIDCount, bookmark)
               : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_ConstructInstance(MI_Context *context,
                                                         const MI_ClassDecl *classDecl,
                                                         MI_Instance *instance)
{
    return context && context->ft ? context->ft->ConstructInstance(context, classDecl, instance)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_ConstructParameters(MI_Context *context,
                                                           const MI_MethodDecl *methodDecl,
                                                           MI_Instance *instance)
{
    return context && context->ft ? context->ft->ConstructParameters(context, methodDecl, instance)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_NewInstance(MI_Context *context,
                                                   const MI_ClassDecl *classDecl,
                                                   MI_Instance **instance)
{
    return context && context->ft ? context->ft->NewInstance(context, classDecl, instance)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_NewDynamicInstance(MI_Context *context,
                                                          const MI_Char *className, MI_Uint32 flags,
                                                          MI_Instance **instance)
{
    return context && context->ft
               ? context->ft->NewDynamicInstance(context, className, flags, instance)
               : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_NewParameters(MI_Context *context,
                                                     const MI_MethodDecl *methodDecl,
                                                     MI_Instance **instance)
{
    return context && context->ft ? context->ft->NewParameters(context, methodDecl, instance)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_Canceled(const MI_Context *context, MI_Boolean *flag)
{
    return context && context->ft ? context->ft->Canceled(context, flag)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_GetLocale(const MI_Context *context,
                                                 MI_LocaleType localeType,
                                                 MI_Char locale[MI_MAX_LOCALE_SIZE])
{
    return context && context->ft ? context->ft->GetLocale(context, localeType, locale)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_RegisterCancel(MI_Context *context,
                                                      MI_CancelCallback callback,
                                                      void *callbackData)
{
    return context && context->ft ? context->ft->RegisterCancel(context, callback, callbackData)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_RequestUnload(MI_Context *context)
{
    return context && context->ft ? context->ft->RequestUnload(context)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_RefuseUnload(MI_Context *context)
{
    return context && context->ft ? context->ft->RefuseUnload(context)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_GetLocalSession(const MI_Context *context,
                                                       MI_Session *session)
{
    return context && context->ft ? context->ft->GetLocalSession(context, session)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_SetStringOption(MI_Context *context, const MI_Char *name,
                                                       const MI_Char *value)
{
    return context && context->ft ? context->ft->SetStringOption(context, name, value)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_GetStringOption(MI_Context *context, const MI_Char *name,
                                                       const MI_Char **value)
{
    return context && context->ft ? context->ft->GetStringOption(context, name, value)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_GetNumberOption(MI_Context *context, const MI_Char *name,
                                                       MI_Uint32 *value)
{
    return context && context->ft ? context->ft->GetNumberOption(context, name, value)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_GetCustomOption(MI_Context *context, const MI_Char *name,
                                                       MI_Type *valueType, MI_Value *value)
{
    return context && context->ft ? context->ft->GetCustomOption(context, name, valueType, value)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_GetCustomOptionCount(MI_Context *context, MI_Uint32 *count)
{
    return context && context->ft ? context->ft->GetCustomOptionCount(context, count)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_GetCustomOptionAt(MI_Context *context, MI_Uint32 index,
                                                         const MI_Char **name, MI_Type *valueType,
                                                         MI_Value *value)
{
    return context && context->ft
               ? context->ft->GetCustomOptionAt(context, index, name, valueType, value)
               : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_WriteMessage(MI_Context *context, MI_Uint32 channel,
                                                    const MI_Char *message)
{
    return context && context->ft ? context->ft->WriteMessage(context, channel, message)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_WriteProgress(MI_Context *context, const MI_Char *activity,
                                                     const MI_Char *currentOperation,
                                                     const MI_Char *statusDescription,
                                                     MI_Uint32 percentComplete,
                                                     MI_Uint32 secondsRemaining)
{
    return context && context->ft
               ? context->ft->WriteProgress(context, activity, currentOperation, statusDescription,
                                            percentComplete, secondsRemaining)
               : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_WriteStreamParameter(MI_Context *context,
                                                            const MI_Char *name,
                                                            const MI_Value *value, MI_Type type,
                                                            MI_Uint32 flags)
{
    return context && context->ft
               ? context->ft->WriteStreamParameter(context, name, value, type, flags)
               : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_WriteCimError(MI_Context *context, const MI_Instance *error,
                                                     MI_Boolean *flag)
{
    return context && context->ft ? context->ft->WriteCimError(context, error, flag)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_PromptUser(MI_Context *context, const MI_Char *message,
                                                  MI_PromptType promptType, MI_Boolean *result)
{
    return context && context->ft ? context->ft->PromptUser(context, message, promptType, result)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_ShouldProcess(MI_Context *context, const MI_Char *target,
                                                     const MI_Char *action, MI_Boolean *result)
{
    return context && context->ft ? context->ft->ShouldProcess(context, target, action, result)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_ShouldContinue(MI_Context *context, const MI_Char *message,
                                                      MI_Boolean *result)
{
    return context && context->ft ? context->ft->ShouldContinue(context, message, result)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_PostError(MI_Context *context, MI_Uint32 resultCode,
                                                 const MI_Char *resultType,
                                                 const MI_Char *errorMessage)
{
    return context && context->ft
               ? context->ft->PostError(context, resultCode, resultType, errorMessage)
               : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_PostCimError(MI_Context *context, const MI_Instance *error)
{
    return context && context->ft ? context->ft->PostCimError(context, error)
                                  : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_WriteError(MI_Context *context, MI_Uint32 resultCode,
                                                  const MI_Char *resultType,
                                                  const MI_Char *errorMessage, MI_Boolean *flag)
{
    return context && context->ft
               ? context->ft->WriteError(context, resultCode, resultType, errorMessage, flag)
               : MI_RESULT_INVALID_PARAMETER;
}
MI_INLINE MI_Result MI_CALL MI_Context_WriteWarning(MI_Context *context, const MI_Char *message)
{
    return MI_Context_WriteMessage(context, MI_WRITEMESSAGE_CHANNEL_WARNING, message);
}
MI_INLINE MI_Result MI_CALL MI_Context_WriteVerbose(MI_Context *context, const MI_Char *message)
{
    return MI_Context_WriteMessage(context, MI_WRITEMESSAGE_CHANNEL_VERBOSE, message);
}
MI_INLINE MI_Result MI_CALL MI_Context_WriteDebug(MI_Context *context, const MI_Char *message)
{
    return MI_Context_WriteMessage(context, MI_WRITEMESSAGE_CHANNEL_DEBUG, message);
}
/* Whether the server should leave filtering to the provider. */
MI_INLINE MI_Result MI_CALL MI_Context_SetFilterOption(MI_Context *context,
                                                       MI_Boolean filterByProvider)
{
    return MI_Context_SetStringOption(context, MI_T("__FilterByProvider"),
                                      filterByProvider ? MI_T("TRUE") : MI_T("FALSE"));
}

/* The short names generated provider code calls the MI_Context functions by. */
#define MI_PostResult MI_Context_PostResult
#define MI_PostCimError MI_Context_PostCimError
#define MI_PostError MI_Context_PostError
#define MI_PostInstance MI_Context_PostInstance
#define MI_PostIndication MI_Context_PostIndication
#define MI_ConstructInstance MI_Context_ConstructInstance
#define MI_ConstructParameters MI_Context_ConstructParameters
#define MI_NewInstance MI_Context_NewInstance
#define MI_NewDynamicInstance MI_Context_NewDynamicInstance
#define MI_NewParameters MI_Context_NewParameters
#define MI_Canceled MI_Context_Canceled
#define MI_GetLocale MI_Context_GetLocale
#define MI_RegisterCancel MI_Context_RegisterCancel
#define MI_RequestUnload MI_Context_RequestUnload
#define MI_RefuseUnload MI_Context_RefuseUnload
#define MI_GetLocalSession MI_Context_GetLocalSession
#define MI_SetStringOption MI_Context_SetStringOption
#define MI_GetStringOption MI_Context_GetStringOption
#define MI_GetNumberOption MI_Context_GetNumberOption
#define MI_GetCustomOption MI_Context_GetCustomOption
#define MI_GetCustomOptionCount MI_Context_GetCustomOptionCount
#define MI_GetCustomOptionAt MI_Context_GetCustomOptionAt
#define MI_ShouldProcess MI_Context_ShouldProcess
#define MI_ShouldContinue MI_Context_ShouldContinue
#define MI_PromptUser MI_Context_PromptUser
#define MI_WriteError MI_Context_WriteError
#define MI_WriteCimError MI_Context_WriteCimError
#define MI_WriteMessage MI_Context_WriteMessage
#define MI_WriteProgress MI_Context_WriteProgress
#define MI_WriteStreamParameter MI_Context_WriteStreamParameter
#define MI_WriteWarning MI_Context_WriteWarning
#define MI_WriteVerbose MI_Context_WriteVerbose
#define MI_WriteDebug MI_Context_WriteDebug

/* ---- providers ---- */

typedef void(MI_CALL *MI_ProviderFT_Load)(void **self, MI_Module_Self *selfModule,
                                          MI_Context *context);
typedef void(MI_CALL *MI_ProviderFT_Unload)(void *self, MI_Context *context);
typedef void(MI_CALL *MI_ProviderFT_GetInstance)(void *self, MI_Context *context,
                                                 const MI_Char *nameSpace, const MI_Char *className,
                                                 const MI_Instance *instanceName,
                                                 const MI_PropertySet *propertySet);
typedef void(MI_CALL *MI_ProviderFT_EnumerateInstances)(
    void *self, MI_Context *context, const MI_Char *nameSpace, const MI_Char *className,
    const MI_PropertySet *propertySet, MI_Boolean keysOnly, const MI_Filter *filter);
typedef void(MI_CALL *MI_ProviderFT_CreateInstance)(void *self, MI_Context *context,
                                                    const MI_Char *nameSpace,
                                                    const MI_Char *className,
                                                    const MI_Instance *newInstance);
typedef void(MI_CALL *MI_ProviderFT_ModifyInstance)(void *self, MI_Context *context,
                                                    const MI_Char *nameSpace,
                                                    const MI_Char *className,
                                                    const MI_Instance *modifiedInstance,
                                                    const MI_PropertySet *propertySet);
typedef void(MI_CALL *MI_ProviderFT_DeleteInstance)(void *self, MI_Context *context,
                                                    const MI_Char *nameSpace,
                                                    const MI_Char *className,
                                                    const MI_Instance *instanceName);
typedef void(MI_CALL *MI_ProviderFT_AssociatorInstances)(
    void *self, MI_Context *context, const MI_Char *nameSpace, const MI_Char *className,
    const MI_Instance *instanceName, const MI_Char *resultClass, const MI_Char *role,
    const MI_Char *resultRole, const MI_PropertySet *propertySet, MI_Boolean keysOnly,
    const MI_Filter *filter);
typedef void(MI_CALL *MI_ProviderFT_ReferenceInstances)(
    void *self, MI_Context *context, const MI_Char *nameSpace, const MI_Char *className,
    const MI_Instance *instanceName, const MI_Char *role, const MI_PropertySet *propertySet,
    MI_Boolean keysOnly, const MI_Filter *filter);
typedef void(MI_CALL *MI_ProviderFT_EnableIndications)(void *self, MI_Context *indicationsContext,
                                                       const MI_Char *nameSpace,
                                                       const MI_Char *className);
typedef void(MI_CALL *MI_ProviderFT_DisableIndications)(void *self, MI_Context *indicationsContext,
                                                        const MI_Char *nameSpace,
                                                        const MI_Char *className);
typedef void(MI_CALL *MI_ProviderFT_Subscribe)(void *self, MI_Context *context,
                                               const MI_Char *nameSpace, const MI_Char *className,
                                               const MI_Filter *filter, const MI_Char *bookmark,
                                               MI_Uint64 subscriptionID, void **subscriptionSelf);
typedef void(MI_CALL *MI_ProviderFT_Unsubscribe)(void *self, MI_Context *context,
                                                 const MI_Char *nameSpace, const MI_Char *className,
                                                 MI_Uint64 subscriptionID, void *subscriptionSelf);
typedef void(MI_CALL *MI_ProviderFT_Invoke)(void *self, MI_Context *context,
                                            const MI_Char *nameSpace, const MI_Char *className,
                                            const MI_Char *methodName,
                                            const MI_Instance *instanceName,
                                            const MI_Instance *inputParameters);

/* What a provider of one class does; an entry left NULL is an operation it does not
 * serve. */
struct _MI_ProviderFT {
    MI_ProviderFT_Load Load;
    MI_ProviderFT_Unload Unload;
    MI_ProviderFT_GetInstance GetInstance;
    MI_ProviderFT_EnumerateInstances EnumerateInstances;
    MI_ProviderFT_CreateInstance CreateInstance;
    MI_ProviderFT_ModifyInstance ModifyInstance;
    MI_ProviderFT_DeleteInstance DeleteInstance;
    MI_ProviderFT_AssociatorInstances AssociatorInstances;
    MI_ProviderFT_ReferenceInstances ReferenceInstances;
    MI_ProviderFT_EnableIndications EnableIndications;
    MI_ProviderFT_DisableIndications DisableIndications;
    MI_ProviderFT_Subscribe Subscribe;
    MI_ProviderFT_Unsubscribe Unsubscribe;
    MI_ProviderFT_Invoke Invoke;
};

/* ---- modules ---- */

/* What a module's schema carries. */
#define MI_MODULE_FLAG_STANDARD_QUALIFIERS (1 << 0)
#define MI_MODULE_FLAG_DESCRIPTIONS (1 << 1)
#define MI_MODULE_FLAG_VALUES (1 << 2)
#define MI_MODULE_FLAG_MAPPING_STRINGS (1 << 3)
#define MI_MODULE_FLAG_BOOLEANS (1 << 4)
#define MI_MODULE_FLAG_CPLUSPLUS (1 << 5)
#define MI_MODULE_FLAG_LOCALIZED (1 << 6)
#define MI_MODULE_FLAG_FILTER_SUPPORT (1 << 7)

typedef void(MI_CALL *MI_Module_Load)(MI_Module_Self **self, MI_Context *context);
typedef void(MI_CALL *MI_Module_Unload)(MI_Module_Self *self, MI_Context *context);

/* What MI_Main returns: the module's schema (its classes, each with its provider) and its
 * lifecycle. */
typedef struct _MI_Module {
    MI_Uint32 version;
    MI_Uint32 generatorVersion;
    MI_Uint32 flags;
    MI_Uint32 charSize;
    MI_SchemaDecl *schemaDecl;
    MI_Module_Load Load;
    MI_Module_Unload Unload;
    const MI_ProviderFT *dynamicProviderFT;
} MI_Module;

/* ---- the server a module runs in ---- */

struct _MI_ServerFT {
    MI_Result(MI_CALL *GetVersion)(MI_Uint32 *version);
    MI_Result(MI_CALL *GetSystemName)(const MI_Char **systemName);
};

/* Handed to MI_Main: the server's own function tables for the objects it gives a
 * provider. */
struct _MI_Server {
    const MI_ServerFT *serverFT;
    const MI_ContextFT *contextFT;
    const MI_InstanceFT *instanceFT;
    const MI_PropertySetFT *propertySetFT;
    const MI_FilterFT *filterFT;
};

typedef void(MI_CALL *MI_OperationCallback_WriteMessage)(MI_Operation *operation,
                                                         void *callbackContext, MI_Uint32 channel,
                                                         const MI_Char *message);

typedef void(MI_CALL *MI_OperationCallback_WriteProgress)(
    MI_Operation *operation, void *callbackContext, const MI_Char *activity,
    const MI_Char *currentOperation, const MI_Char *statusDescription, MI_Uint32 percentageComplete,
    MI_Uint32 secondsRemaining);

/* One result of an instance operation. `instance` is valid until the callback returns, or
 * with MI_OPERATIONFLAGS_MANUAL_ACK_RESULTS until resultAcknowledgement is called; the
 * last call has moreResults MI_FALSE and carries the operation's result code. */
typedef void(MI_CALL *MI_OperationCallback_Instance)(
    MI_Operation *operation, void *callbackContext, const MI_Instance *instance,
    MI_Boolean moreResults, MI_Result resultCode, const MI_Char *errorString,
    const MI_Instance *errorDetails,
    MI_Result(MI_CALL *resultAcknowledgement)(MI_Operation *operation));

typedef void(MI_CALL *MI_OperationCallback_StreamedParameter)(
    MI_Operation *operation, void *callbackContext, const MI_Char *parameterName,
    MI_Type resultType, const MI_Value *result,
    MI_Result(MI_CALL *resultAcknowledgement)(MI_Operation *operation));

typedef void(MI_CALL *MI_OperationCallback_Indication)(
    MI_Operation *operation, void *callbackContext, const MI_Instance *instance,
    const MI_Char *bookmark, const MI_Char *machineID, MI_Boolean moreResults, MI_Result resultCode,
    const MI_Char *errorString, const MI_Instance *errorDetails,
    MI_Result(MI_CALL *resultAcknowledgement)(MI_Operation *operation));

typedef void(MI_CALL *MI_OperationCallback_Class)(
    MI_Operation *operation, void *callbackContext, const MI_Class *classResult,
    MI_Boolean moreResults, MI_Result resultCode, const MI_Char *errorString,
    const MI_Instance *errorDetails,
    MI_Result(MI_CALL *resultAcknowledgement)(MI_Operation *operation));

/* Callbacks left NULL make the operation synchronous (MI_Operation_Get*). */
typedef struct _MI_OperationCallbacks {
    void *callbackContext;
    MI_OperationCallback_PromptUser promptUser;
    MI_OperationCallback_WriteError writeError;
    MI_OperationCallback_WriteMessage writeMessage;
    MI_OperationCallback_WriteProgress writeProgress;
    MI_OperationCallback_Instance instanceResult;
    MI_OperationCallback_Indication indicationResult;
    MI_OperationCallback_Class classResult;
    MI_OperationCallback_StreamedParameter streamedParameterResult;
} MI_OperationCallbacks;

#define MI_OPERATIONCALLBACKS_NULL                                                                 \
    {                                                                                              \
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL                                       \
    }

typedef struct _MI_SessionCallbacks {
    void *callbackContext;
    void(MI_CALL *writeMessage)(MI_Application *application, void *callbackContext,
                                MI_Uint32 channel, const MI_Char *message);
    void(MI_CALL *writeError)(MI_Application *application, void *callbackContext,
                              MI_Instance *instance);
} MI_SessionCallbacks;

#define MI_SESSIONCALLBACKS_NULL                                                                   \
    {                                                                                              \
        NULL, NULL, NULL                                                                           \
    }

#define MI_OPERATIONFLAGS_MANUAL_ACK_RESULTS 0x0001
#define MI_OPERATIONFLAGS_NO_RTTI 0x0400
#define MI_OPERATIONFLAGS_BASIC_RTTI 0x0002
#define MI_OPERATIONFLAGS_STANDARD_RTTI 0x0800
#define MI_OPERATIONFLAGS_FULL_RTTI 0x0004
#define MI_OPERATIONFLAGS_DEFAULT_RTTI 0
#define MI_OPERATIONFLAGS_LOCALIZED_QUALIFIERS 0x0008
#define MI_OPERATIONFLAGS_EXPENSIVE_PROPERTIES 0x0040
#define MI_OPERATIONFLAGS_POLYMORPHISM_SHALLOW 0x0080
#define MI_OPERATIONFLAGS_POLYMORPHISM_DEEP_BASE_PROPS_ONLY 0x0180
#define MI_OPERATIONFLAGS_REPORT_OPERATION_STARTED 0x0200

#define MI_AUTH_TYPE_DEFAULT MI_T("Default")
#define MI_AUTH_TYPE_NONE MI_T("None")
#define MI_AUTH_TYPE_DIGEST MI_T("Digest")
#define MI_AUTH_TYPE_NEGO_WITH_CREDS MI_T("NegoWithCreds")
#define MI_AUTH_TYPE_NEGO_NO_CREDS MI_T("NegoNoCreds")
#define MI_AUTH_TYPE_BASIC MI_T("Basic")
#define MI_AUTH_TYPE_KERBEROS MI_T("Kerberos")
#define MI_AUTH_TYPE_CLIENT_CERTS MI_T("ClientCerts")
#define MI_AUTH_TYPE_NTLM MI_T("Ntlmdomain")
#define MI_AUTH_TYPE_ISSUER_CERT MI_T("IssuerCert")

typedef struct _MI_UsernamePasswordCreds {
    const MI_Char *domain;
    const MI_Char *username;
    const MI_Char *password;
} MI_UsernamePasswordCreds;

typedef struct _MI_UserCredentials {
    const MI_Char *authenticationType;
    union {
        MI_UsernamePasswordCreds usernamePassword;
        const MI_Char *certificateThumbprint;
    } credentials;
} MI_UserCredentials;

typedef enum _MI_SubscriptionDeliveryType {
    MI_SubscriptionDeliveryType_Pull = 1,
    MI_SubscriptionDeliveryType_Push = 2
} MI_SubscriptionDeliveryType;

/* Function tables. Every handle is { reserved1, reserved2, ft }; a zeroed handle is "null". */

typedef struct _MI_SubscriptionDeliveryOptionsFT {
    MI_Result(MI_CALL *SetString)(MI_SubscriptionDeliveryOptions *options,
                                  const MI_Char *optionName, const MI_Char *value, MI_Uint32 flags);
    MI_Result(MI_CALL *SetNumber)(MI_SubscriptionDeliveryOptions *options,
                                  const MI_Char *optionName, MI_Uint32 value, MI_Uint32 flags);
    MI_Result(MI_CALL *SetDateTime)(MI_SubscriptionDeliveryOptions *options,
                                    const MI_Char *optionName, const MI_Datetime *value,
                                    MI_Uint32 flags);
    MI_Result(MI_CALL *SetInterval)(MI_SubscriptionDeliveryOptions *options,
                                    const MI_Char *optionName, const MI_Interval *value,
                                    MI_Uint32 flags);
    MI_Result(MI_CALL *AddCredentials)(MI_SubscriptionDeliveryOptions *options,
                                       const MI_Char *optionName,
                                       const MI_UserCredentials *credentials, MI_Uint32 flags);
    MI_Result(MI_CALL *Delete)(MI_SubscriptionDeliveryOptions *self);
} MI_SubscriptionDeliveryOptionsFT;

typedef struct _MI_ApplicationFT {
    MI_Result(MI_CALL *Close)(MI_Application *application);
    MI_Result(MI_CALL *NewSession)(MI_Application *application, const MI_Char *protocol,
                                   const MI_Char *destination, MI_DestinationOptions *options,
                                   MI_SessionCallbacks *callbacks, MI_Instance **extendedError,
                                   MI_Session *session);
    MI_Result(MI_CALL *NewHostedProvider)(MI_Application *application, const MI_Char *namespaceName,
                                          const MI_Char *providerName, MI_MainFunction mi_Main,
                                          MI_Instance **extendedError, MI_HostedProvider *provider);
    MI_Result(MI_CALL *NewInstance)(MI_Application *application, const MI_Char *className,
                                    const MI_ClassDecl *classRTTI, MI_Instance **instance);
    MI_Result(MI_CALL *NewDestinationOptions)(MI_Application *application,
                                              MI_DestinationOptions *options);
    MI_Result(MI_CALL *NewOperationOptions)(MI_Application *application,
                                            MI_Boolean customOptionsMustUnderstand,
                                            MI_OperationOptions *options);
    MI_Result(MI_CALL *NewSubscriptionDeliveryOptions)(
        MI_Application *application, MI_SubscriptionDeliveryType deliveryType,
        MI_SubscriptionDeliveryOptions *deliveryOptions);
    MI_Result(MI_CALL *NewSerializer)(MI_Application *application, MI_Uint32 flags, MI_Char *format,
                                      MI_Serializer *serializer);
    MI_Result(MI_CALL *NewDeserializer)(MI_Application *application, MI_Uint32 flags,
                                        MI_Char *format, MI_Deserializer *deserializer);
    MI_Result(MI_CALL *NewInstanceFromClass)(MI_Application *application, const MI_Char *className,
                                             const MI_Class *classObject, MI_Instance **instance);
    MI_Result(MI_CALL *NewClass)(MI_Application *application, const MI_ClassDecl *classDecl,
                                 const MI_Char *namespaceName, const MI_Char *serverName,
                                 MI_Class **classObject);
} MI_ApplicationFT;

typedef struct _MI_HostedProviderFT {
    MI_Result(MI_CALL *Close)(MI_HostedProvider *hostedProvider);
    MI_Result(MI_CALL *GetApplication)(MI_HostedProvider *hostedProvider,
                                       MI_Application *application);
} MI_HostedProviderFT;

typedef struct _MI_SessionFT {
    MI_Result(MI_CALL *Close)(MI_Session *session, void *completionContext,
                              void(MI_CALL *completionCallback)(void *completionContext));
    MI_Result(MI_CALL *GetApplication)(MI_Session *session, MI_Application *application);
    void(MI_CALL *GetInstance)(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                               const MI_Char *namespaceName, const MI_Instance *inboundInstance,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *ModifyInstance)(MI_Session *session, MI_Uint32 flags,
                                  MI_OperationOptions *options, const MI_Char *namespaceName,
                                  const MI_Instance *inboundInstance,
                                  MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *CreateInstance)(MI_Session *session, MI_Uint32 flags,
                                  MI_OperationOptions *options, const MI_Char *namespaceName,
                                  const MI_Instance *inboundInstance,
                                  MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *DeleteInstance)(MI_Session *session, MI_Uint32 flags,
                                  MI_OperationOptions *options, const MI_Char *namespaceName,
                                  const MI_Instance *inboundInstance,
                                  MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *Invoke)(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                          const MI_Char *namespaceName, const MI_Char *className,
                          const MI_Char *methodName, const MI_Instance *inboundInstance,
                          const MI_Instance *inboundProperties, MI_OperationCallbacks *callbacks,
                          MI_Operation *operation);
    void(MI_CALL *EnumerateInstances)(MI_Session *session, MI_Uint32 flags,
                                      MI_OperationOptions *options, const MI_Char *namespaceName,
                                      const MI_Char *className, MI_Boolean keysOnly,
                                      MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *QueryInstances)(MI_Session *session, MI_Uint32 flags,
                                  MI_OperationOptions *options, const MI_Char *namespaceName,
                                  const MI_Char *queryDialect, const MI_Char *queryExpression,
                                  MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *AssociatorInstances)(MI_Session *session, MI_Uint32 flags,
                                       MI_OperationOptions *options, const MI_Char *namespaceName,
                                       const MI_Instance *instanceKeys, const MI_Char *assocClass,
                                       const MI_Char *resultClass, const MI_Char *role,
                                       const MI_Char *resultRole, MI_Boolean keysOnly,
                                       MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *ReferenceInstances)(MI_Session *session, MI_Uint32 flags,
                                      MI_OperationOptions *options, const MI_Char *namespaceName,
                                      const MI_Instance *instanceKeys, const MI_Char *resultClass,
                                      const MI_Char *role, MI_Boolean keysOnly,
                                      MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *Subscribe)(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                             const MI_Char *namespaceName, const MI_Char *queryDialect,
                             const MI_Char *queryExpression,
                             const MI_SubscriptionDeliveryOptions *deliverOptions,
                             MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *GetClass)(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                            const MI_Char *namespaceName, const MI_Char *className,
                            MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *EnumerateClasses)(MI_Session *session, MI_Uint32 flags,
                                    MI_OperationOptions *options, const MI_Char *namespaceName,
                                    const MI_Char *className, MI_Boolean classNamesOnly,
                                    MI_OperationCallbacks *callbacks, MI_Operation *operation);
    void(MI_CALL *TestConnection)(MI_Session *session, MI_Uint32 flags,
                                  MI_OperationCallbacks *callbacks, MI_Operation *operation);
} MI_SessionFT;

typedef struct _MI_OperationFT {
    MI_Result(MI_CALL *Close)(MI_Operation *operation);
    MI_Result(MI_CALL *Cancel)(MI_Operation *operation, MI_CancellationReason reason);
    MI_Result(MI_CALL *GetSession)(MI_Operation *operation, MI_Session *session);
    MI_Result(MI_CALL *GetInstance)(MI_Operation *operation, const MI_Instance **instance,
                                    MI_Boolean *moreResults, MI_Result *result,
                                    const MI_Char **errorMessage,
                                    const MI_Instance **completionDetails);
    MI_Result(MI_CALL *GetIndication)(MI_Operation *operation, const MI_Instance **instance,
                                      const MI_Char **bookmark, const MI_Char **machineID,
                                      MI_Boolean *moreResults, MI_Result *result,
                                      const MI_Char **errorMessage,
                                      const MI_Instance **completionDetails);
    MI_Result(MI_CALL *GetClass)(MI_Operation *operation, const MI_Class **classResult,
                                 MI_Boolean *moreResults, MI_Result *result,
                                 const MI_Char **errorMessage,
                                 const MI_Instance **completionDetails);
} MI_OperationFT;

typedef struct _MI_DestinationOptionsFT {
    void(MI_CALL *Delete)(MI_DestinationOptions *options);
    MI_Result(MI_CALL *SetString)(MI_DestinationOptions *options, const MI_Char *optionName,
                                  const MI_Char *value, MI_Uint32 flags);
    MI_Result(MI_CALL *SetNumber)(MI_DestinationOptions *options, const MI_Char *optionName,
                                  MI_Uint32 value, MI_Uint32 flags);
    MI_Result(MI_CALL *AddCredentials)(MI_DestinationOptions *options, const MI_Char *optionName,
                                       const MI_UserCredentials *credentials, MI_Uint32 flags);
    MI_Result(MI_CALL *GetString)(const MI_DestinationOptions *options, const MI_Char *optionName,
                                  const MI_Char **value, MI_Uint32 *index, MI_Uint32 *flags);
    MI_Result(MI_CALL *GetNumber)(const MI_DestinationOptions *options, const MI_Char *optionName,
                                  MI_Uint32 *value, MI_Uint32 *index, MI_Uint32 *flags);
    MI_Result(MI_CALL *GetOptionCount)(const MI_DestinationOptions *options, MI_Uint32 *count);
    MI_Result(MI_CALL *GetOptionAt)(const MI_DestinationOptions *options, MI_Uint32 index,
                                    const MI_Char **optionName, MI_Value *value, MI_Type *type,
                                    MI_Uint32 *flags);
    MI_Result(MI_CALL *GetOption)(const MI_DestinationOptions *options, const MI_Char *optionName,
                                  MI_Value *value, MI_Type *type, MI_Uint32 *index,
                                  MI_Uint32 *flags);
    MI_Result(MI_CALL *GetCredentialsCount)(const MI_DestinationOptions *options, MI_Uint32 *count);
    MI_Result(MI_CALL *GetCredentialsAt)(const MI_DestinationOptions *options, MI_Uint32 index,
                                         const MI_Char **optionName,
                                         MI_UserCredentials *credentials, MI_Uint32 *flags);
    MI_Result(MI_CALL *GetCredentialsPasswordAt)(const MI_DestinationOptions *options,
                                                 MI_Uint32 index, const MI_Char **optionName,
                                                 MI_Char *password, MI_Uint32 bufferLength,
                                                 MI_Uint32 *passwordLength, MI_Uint32 *flags);
    MI_Result(MI_CALL *Clone)(const MI_DestinationOptions *self,
                              MI_DestinationOptions *newDestinationOptions);
    MI_Result(MI_CALL *SetInterval)(MI_DestinationOptions *options, const MI_Char *optionName,
                                    const MI_Interval *value, MI_Uint32 flags);
    MI_Result(MI_CALL *GetInterval)(const MI_DestinationOptions *options, const MI_Char *optionName,
                                    MI_Interval *value, MI_Uint32 *index, MI_Uint32 *flags);
} MI_DestinationOptionsFT;

typedef struct _MI_OperationOptionsFT {
    void(MI_CALL *Delete)(MI_OperationOptions *options);
    MI_Result(MI_CALL *SetString)(MI_OperationOptions *options, const MI_Char *optionName,
                                  const MI_Char *value, MI_Uint32 flags);
    MI_Result(MI_CALL *SetNumber)(MI_OperationOptions *options, const MI_Char *optionName,
                                  MI_Uint32 value, MI_Uint32 flags);
    MI_Result(MI_CALL *SetCustomOption)(MI_OperationOptions *options, const MI_Char *optionName,
                                        MI_Type valueType, const MI_Value *value,
                                        MI_Boolean mustComply, MI_Uint32 flags);
    MI_Result(MI_CALL *GetString)(const MI_OperationOptions *options, const MI_Char *optionName,
                                  const MI_Char **value, MI_Uint32 *index, MI_Uint32 *flags);
    MI_Result(MI_CALL *GetNumber)(const MI_OperationOptions *options, const MI_Char *optionName,
                                  MI_Uint32 *value, MI_Uint32 *index, MI_Uint32 *flags);
    MI_Result(MI_CALL *GetOptionCount)(const MI_OperationOptions *options, MI_Uint32 *count);
    MI_Result(MI_CALL *GetOptionAt)(const MI_OperationOptions *options, MI_Uint32 index,
                                    const MI_Char **optionName, MI_Value *value, MI_Type *type,
                                    MI_Uint32 *flags);
    MI_Result(MI_CALL *GetOption)(const MI_OperationOptions *options, const MI_Char *optionName,
                                  MI_Value *value, MI_Type *type, MI_Uint32 *index,
                                  MI_Uint32 *flags);
    MI_Result(MI_CALL *GetEnabledChannels)(const MI_OperationOptions *options,
                                           const MI_Char *optionName, MI_Uint32 *channels,
                                           MI_Uint32 bufferLength, MI_Uint32 *channelCount,
                                           MI_Uint32 *flags);
    MI_Result(MI_CALL *Clone)(const MI_OperationOptions *self,
                              MI_OperationOptions *newOperationOptions);
    MI_Result(MI_CALL *SetInterval)(MI_OperationOptions *options, const MI_Char *optionName,
                                    const MI_Interval *value, MI_Uint32 flags);
    MI_Result(MI_CALL *GetInterval)(const MI_OperationOptions *options, const MI_Char *optionName,
                                    MI_Interval *value, MI_Uint32 *index, MI_Uint32 *flags);
} MI_OperationOptionsFT;

#define MI_DECLARE_HANDLE(TAG, FT)                                                                 \
    struct TAG {                                                                                   \
        MI_Uint64 reserved1;                                                                       \
        ptrdiff_t reserved2;                                                                       \
        const FT *ft;                                                                              \
    }

MI_DECLARE_HANDLE(_MI_Application, MI_ApplicationFT);
MI_DECLARE_HANDLE(_MI_Session, MI_SessionFT);
MI_DECLARE_HANDLE(_MI_Operation, MI_OperationFT);
MI_DECLARE_HANDLE(_MI_HostedProvider, MI_HostedProviderFT);
MI_DECLARE_HANDLE(_MI_DestinationOptions, MI_DestinationOptionsFT);
MI_DECLARE_HANDLE(_MI_OperationOptions, MI_OperationOptionsFT);
MI_DECLARE_HANDLE(_MI_SubscriptionDeliveryOptions, MI_SubscriptionDeliveryOptionsFT);

struct _MI_Serializer {
    MI_Uint64 reserved1;
    ptrdiff_t reserved2;
};
struct _MI_Deserializer {
    MI_Uint64 reserved1;
    ptrdiff_t reserved2;
};

/* Serializers and deserializers (MI_Application_NewSerializer/NewDeserializer, format
 * "MI_XML": CIM-XML INSTANCE and CLASS elements, UTF-8). reserved2 holds the function
 * table. A buffer too small (or NULL) gets the size it needs in clientBufferNeeded and
 * MI_RESULT_FAILED. */
#define MI_SERIALIZER_FLAGS_CLASS_DEEP 1          /* SerializeClass: the superclasses too */
#define MI_SERIALIZER_FLAGS_INSTANCE_WITH_CLASS 1 /* SerializeInstance: its class first */

typedef struct _MI_SerializerFT {
    MI_Result(MI_CALL *Close)(MI_Serializer *serializer);
    MI_Result(MI_CALL *SerializeClass)(MI_Serializer *serializer, MI_Uint32 flags,
                                       const MI_Class *classObject, MI_Uint8 *clientBuffer,
                                       MI_Uint32 clientBufferLength, MI_Uint32 *clientBufferNeeded);
    MI_Result(MI_CALL *SerializeInstance)(MI_Serializer *serializer, MI_Uint32 flags,
                                          const MI_Instance *instanceObject, MI_Uint8 *clientBuffer,
                                          MI_Uint32 clientBufferLength,
                                          MI_Uint32 *clientBufferNeeded);
} MI_SerializerFT;

/* Asked for a class the buffer names but does not hold. */
typedef MI_Result(MI_CALL *MI_Deserializer_ClassObjectNeeded)(void *context,
                                                              const MI_Char *serverName,
                                                              const MI_Char *namespaceName,
                                                              const MI_Char *className,
                                                              MI_Class **requestedClassObject);

typedef struct _MI_DeserializerFT {
    MI_Result(MI_CALL *Close)(MI_Deserializer *deserializer);
    MI_Result(MI_CALL *DeserializeClass)(MI_Deserializer *deserializer, MI_Uint32 flags,
                                         MI_Uint8 *serializedBuffer,
                                         MI_Uint32 serializedBufferLength, MI_Class *parentClass,
                                         const MI_Char *serverName, const MI_Char *namespaceName,
                                         MI_Deserializer_ClassObjectNeeded classObjectNeeded,
                                         void *classObjectNeededContext,
                                         MI_Uint32 *serializedBufferRead, MI_Class **classObject,
                                         MI_Instance **cimErrorDetails);
    MI_Result(MI_CALL *Class_GetClassName)(MI_Deserializer *deserializer,
                                           MI_Uint8 *serializedBuffer,
                                           MI_Uint32 serializedBufferLength, MI_Char *className,
                                           MI_Uint32 *classNameLength,
                                           MI_Instance **cimErrorDetails);
    MI_Result(MI_CALL *Class_GetParentClassName)(
        MI_Deserializer *deserializer, MI_Uint8 *serializedBuffer, MI_Uint32 serializedBufferLength,
        MI_Char *parentClassName, MI_Uint32 *parentClassNameLength, MI_Instance **cimErrorDetails);
    MI_Result(MI_CALL *DeserializeInstance)(
        MI_Deserializer *deserializer, MI_Uint32 flags, MI_Uint8 *serializedBuffer,
        MI_Uint32 serializedBufferLength, MI_Class **classObjects, MI_Uint32 numberClassObjects,
        MI_Deserializer_ClassObjectNeeded classObjectNeeded, void *classObjectNeededContext,
        MI_Uint32 *serializedBufferRead, MI_Instance **instanceObject,
        MI_Instance **cimErrorDetails);
    MI_Result(MI_CALL *Instance_GetClassName)(MI_Deserializer *deserializer,
                                              MI_Uint8 *serializedBuffer,
                                              MI_Uint32 serializedBufferLength, MI_Char *className,
                                              MI_Uint32 *classNameLength,
                                              MI_Instance **cimErrorDetails);
} MI_DeserializerFT;

#define MI_APPLICATION_NULL                                                                        \
    {                                                                                              \
        0, 0, NULL                                                                                 \
    }
#define MI_SESSION_NULL                                                                            \
    {                                                                                              \
        0, 0, NULL                                                                                 \
    }
#define MI_OPERATION_NULL                                                                          \
    {                                                                                              \
        0, 0, NULL                                                                                 \
    }
#define MI_HOSTEDPROVIDER_NULL                                                                     \
    {                                                                                              \
        0, 0, NULL                                                                                 \
    }
#define MI_DESTINATIONOPTIONS_NULL                                                                 \
    {                                                                                              \
        0, 0, NULL                                                                                 \
    }
#define MI_OPERATIONOPTIONS_NULL                                                                   \
    {                                                                                              \
        0, 0, NULL                                                                                 \
    }
#define MI_SUBSCRIPTIONDELIVERYOPTIONS_NULL                                                        \
    {                                                                                              \
        0, 0, NULL                                                                                 \
    }

/* ---------------------------------------------------------------------------------------
 * MI_Application
 * ------------------------------------------------------------------------------------- */

/* Starts the library for one application; close it with MI_Application_Close. flags must
 * be 0. extendedError, when given, receives NULL or an error instance the caller deletes. */
MI_EXPORT MI_Result MI_MAIN_CALL MI_Application_InitializeV1(MI_Uint32 flags,
                                                             const MI_Char *applicationID,
                                                             MI_Instance **extendedError,
                                                             MI_Application *application);
#define MI_Application_Initialize MI_Application_InitializeV1

MI_INLINE MI_Result MI_Application_Close(MI_Application *application)
{
    return (application && application->ft) ? application->ft->Close(application)
                                            : MI_RESULT_INVALID_PARAMETER;
}

/* A new instance of className with no properties (classRTTI may be NULL); the caller
 * deletes it with MI_Instance_Delete. */
MI_INLINE MI_Result MI_Application_NewInstance(MI_Application *application,
                                               const MI_Char *className,
                                               const MI_ClassDecl *classRTTI,
                                               MI_Instance **instance)
{
    if (application && application->ft)
        return application->ft->NewInstance(application, className, classRTTI, instance);
    if (instance)
        *instance = NULL;
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Application_NewInstanceFromClass(MI_Application *application,
                                                        const MI_Char *className,
                                                        const MI_Class *classObject,
                                                        MI_Instance **instance)
{
    if (application && application->ft)
        return application->ft->NewInstanceFromClass(application, className, classObject, instance);
    if (instance)
        *instance = NULL;
    return MI_RESULT_INVALID_PARAMETER;
}

/* Channels of messages an operation reports (MI_WRITEMESSAGE_CHANNEL_*): enabled or
 * disabled one by one, read back as the list of the enabled ones. */
MI_INLINE MI_Result MI_OperationOptions_EnableChannel(MI_OperationOptions *options,
                                                      MI_Uint32 channel)
{
    if (options && options->ft)
        return options->ft->SetNumber(options, MI_T("__MI_OPERATIONOPTIONS_CHANNEL"), channel, 1);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_OperationOptions_DisableChannel(MI_OperationOptions *options,
                                                       MI_Uint32 channel)
{
    if (options && options->ft)
        return options->ft->SetNumber(options, MI_T("__MI_OPERATIONOPTIONS_CHANNEL"), channel, 0);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_OperationOptions_GetEnabledChannels(const MI_OperationOptions *options,
                                                           MI_Uint32 *channels,
                                                           MI_Uint32 bufferLength,
                                                           MI_Uint32 *channelCount,
                                                           MI_Uint32 *flags)
{
    if (options && options->ft)
        return options->ft->GetEnabledChannels(options, MI_T("__MI_OPERATIONOPTIONS_CHANNEL"),
                                               channels, bufferLength, channelCount, flags);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_SubscriptionDeliveryOptions_SetString(
    MI_SubscriptionDeliveryOptions *options, const MI_Char *optionName, const MI_Char *value,
    MI_Uint32 flags)
{
    return options && options->ft ? options->ft->SetString(options, optionName, value, flags)
                                  : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_SubscriptionDeliveryOptions_SetNumber(
    MI_SubscriptionDeliveryOptions *options, const MI_Char *optionName, MI_Uint32 value,
    MI_Uint32 flags)
{
    return options && options->ft ? options->ft->SetNumber(options, optionName, value, flags)
                                  : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_SubscriptionDeliveryOptions_SetDateTime(
    MI_SubscriptionDeliveryOptions *options, const MI_Char *optionName, const MI_Datetime *value,
    MI_Uint32 flags)
{
    return options && options->ft ? options->ft->SetDateTime(options, optionName, value, flags)
                                  : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_SubscriptionDeliveryOptions_SetInterval(
    MI_SubscriptionDeliveryOptions *options, const MI_Char *optionName, const MI_Interval *value,
    MI_Uint32 flags)
{
    return options && options->ft ? options->ft->SetInterval(options, optionName, value, flags)
                                  : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_SubscriptionDeliveryOptions_AddCredentials(
    MI_SubscriptionDeliveryOptions *options, const MI_Char *optionName,
    const MI_UserCredentials *credentials, MI_Uint32 flags)
{
    return options && options->ft
               ? options->ft->AddCredentials(options, optionName, credentials, flags)
               : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_SubscriptionDeliveryOptions_Delete(MI_SubscriptionDeliveryOptions *options)
{
    return options && options->ft ? options->ft->Delete(options) : MI_RESULT_INVALID_PARAMETER;
}

/* The class a static declaration (generated provider code's RTTI) describes. */
MI_INLINE MI_Result MI_Application_NewClass(MI_Application *application,
                                            const MI_ClassDecl *classDecl,
                                            const MI_Char *namespaceName, const MI_Char *serverName,
                                            MI_Class **classObject)
{
    if (application && application->ft)
        return application->ft->NewClass(application, classDecl, namespaceName, serverName,
                                         classObject);
    if (classObject)
        *classObject = NULL;
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Application_NewSerializer(MI_Application *application, MI_Uint32 flags,
                                                 MI_Char *format, MI_Serializer *serializer)
{
    if (application && application->ft)
        return application->ft->NewSerializer(application, flags, format, serializer);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Application_NewDeserializer(MI_Application *application, MI_Uint32 flags,
                                                   MI_Char *format, MI_Deserializer *deserializer)
{
    if (application && application->ft)
        return application->ft->NewDeserializer(application, flags, format, deserializer);
    return MI_RESULT_INVALID_PARAMETER;
}

#define MI_SERIALIZER_FT(s) ((const MI_SerializerFT *)(s)->reserved2)
#define MI_DESERIALIZER_FT(d) ((const MI_DeserializerFT *)(d)->reserved2)

MI_INLINE MI_Result MI_Serializer_Close(MI_Serializer *serializer)
{
    return serializer && serializer->reserved2 ? MI_SERIALIZER_FT(serializer)->Close(serializer)
                                               : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Serializer_SerializeClass(MI_Serializer *serializer, MI_Uint32 flags,
                                                 const MI_Class *classObject,
                                                 MI_Uint8 *clientBuffer,
                                                 MI_Uint32 clientBufferLength,
                                                 MI_Uint32 *clientBufferNeeded)
{
    if (!serializer || !serializer->reserved2)
        return MI_RESULT_INVALID_PARAMETER;
    return MI_SERIALIZER_FT(serializer)
        ->SerializeClass(serializer, flags, classObject, clientBuffer, clientBufferLength,
                         clientBufferNeeded);
}

MI_INLINE MI_Result MI_Serializer_SerializeInstance(MI_Serializer *serializer, MI_Uint32 flags,
                                                    const MI_Instance *instanceObject,
                                                    MI_Uint8 *clientBuffer,
                                                    MI_Uint32 clientBufferLength,
                                                    MI_Uint32 *clientBufferNeeded)
{
    if (!serializer || !serializer->reserved2)
        return MI_RESULT_INVALID_PARAMETER;
    return MI_SERIALIZER_FT(serializer)
        ->SerializeInstance(serializer, flags, instanceObject, clientBuffer, clientBufferLength,
                            clientBufferNeeded);
}

MI_INLINE MI_Result MI_Deserializer_Close(MI_Deserializer *deserializer)
{
    return deserializer && deserializer->reserved2
               ? MI_DESERIALIZER_FT(deserializer)->Close(deserializer)
               : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Deserializer_DeserializeClass(
    MI_Deserializer *deserializer, MI_Uint32 flags, MI_Uint8 *serializedBuffer,
    MI_Uint32 serializedBufferLength, MI_Class *parentClass, const MI_Char *serverName,
    const MI_Char *namespaceName, MI_Deserializer_ClassObjectNeeded classObjectNeeded,
    void *classObjectNeededContext, MI_Uint32 *serializedBufferRead, MI_Class **classObject,
    MI_Instance **cimErrorDetails)
{
    if (!deserializer || !deserializer->reserved2)
        return MI_RESULT_INVALID_PARAMETER;
    return MI_DESERIALIZER_FT(deserializer)
        ->DeserializeClass(deserializer, flags, serializedBuffer, serializedBufferLength,
                           parentClass, serverName, namespaceName, classObjectNeeded,
                           classObjectNeededContext, serializedBufferRead, classObject,
                           cimErrorDetails);
}

MI_INLINE MI_Result MI_Deserializer_Class_GetClassName(
    MI_Deserializer *deserializer, MI_Uint8 *serializedBuffer, MI_Uint32 serializedBufferLength,
    MI_Char *className, MI_Uint32 *classNameLength, MI_Instance **cimErrorDetails)
{
    if (!deserializer || !deserializer->reserved2)
        return MI_RESULT_INVALID_PARAMETER;
    return MI_DESERIALIZER_FT(deserializer)
        ->Class_GetClassName(deserializer, serializedBuffer, serializedBufferLength, className,
                             classNameLength, cimErrorDetails);
}

MI_INLINE MI_Result MI_Deserializer_Class_GetParentClassName(
    MI_Deserializer *deserializer, MI_Uint8 *serializedBuffer, MI_Uint32 serializedBufferLength,
    MI_Char *parentClassName, MI_Uint32 *parentClassNameLength, MI_Instance **cimErrorDetails)
{
    if (!deserializer || !deserializer->reserved2)
        return MI_RESULT_INVALID_PARAMETER;
    return MI_DESERIALIZER_FT(deserializer)
        ->Class_GetParentClassName(deserializer, serializedBuffer, serializedBufferLength,
                                   parentClassName, parentClassNameLength, cimErrorDetails);
}

MI_INLINE MI_Result MI_Deserializer_DeserializeInstance(
    MI_Deserializer *deserializer, MI_Uint32 flags, MI_Uint8 *serializedBuffer,
    MI_Uint32 serializedBufferLength, MI_Class **classObjects, MI_Uint32 numberClassObjects,
    MI_Deserializer_ClassObjectNeeded classObjectNeeded, void *classObjectNeededContext,
    MI_Uint32 *serializedBufferRead, MI_Instance **instanceObject, MI_Instance **cimErrorDetails)
{
    if (!deserializer || !deserializer->reserved2)
        return MI_RESULT_INVALID_PARAMETER;
    return MI_DESERIALIZER_FT(deserializer)
        ->DeserializeInstance(deserializer, flags, serializedBuffer, serializedBufferLength,
                              classObjects, numberClassObjects, classObjectNeeded,
                              classObjectNeededContext, serializedBufferRead, instanceObject,
                              cimErrorDetails);
}

MI_INLINE MI_Result MI_Deserializer_Instance_GetClassName(
    MI_Deserializer *deserializer, MI_Uint8 *serializedBuffer, MI_Uint32 serializedBufferLength,
    MI_Char *className, MI_Uint32 *classNameLength, MI_Instance **cimErrorDetails)
{
    if (!deserializer || !deserializer->reserved2)
        return MI_RESULT_INVALID_PARAMETER;
    return MI_DESERIALIZER_FT(deserializer)
        ->Instance_GetClassName(deserializer, serializedBuffer, serializedBufferLength, className,
                                classNameLength, cimErrorDetails);
}

MI_INLINE MI_Result MI_Application_NewParameterSet(MI_Application *application,
                                                   const MI_ClassDecl *classRTTI,
                                                   MI_Instance **instance)
{
    return MI_Application_NewInstance(application, MI_T("Parameters"), classRTTI, instance);
}

MI_INLINE MI_Result MI_Application_NewDestinationOptions(MI_Application *application,
                                                         MI_DestinationOptions *options)
{
    if (application && application->ft)
        return application->ft->NewDestinationOptions(application, options);
    if (options)
        memset(options, 0, sizeof(*options));
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Application_NewOperationOptions(MI_Application *application,
                                                       MI_Boolean mustUnderstand,
                                                       MI_OperationOptions *options)
{
    if (application && application->ft)
        return application->ft->NewOperationOptions(application, mustUnderstand, options);
    if (options)
        memset(options, 0, sizeof(*options));
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Application_NewSubscriptionDeliveryOptions(
    MI_Application *application, MI_SubscriptionDeliveryType deliveryType,
    MI_SubscriptionDeliveryOptions *deliveryOptions)
{
    if (application && application->ft)
        return application->ft->NewSubscriptionDeliveryOptions(application, deliveryType,
                                                               deliveryOptions);
    if (deliveryOptions)
        memset(deliveryOptions, 0, sizeof(*deliveryOptions));
    return MI_RESULT_INVALID_PARAMETER;
}

/* protocol: NULL (chosen by destination), "WINRM" or "CIMXML"; destination: NULL for the
 * local embedded repository, or http[s]://host[:port]. Close with MI_Session_Close. */
MI_INLINE MI_Result MI_Application_NewSession(MI_Application *application, const MI_Char *protocol,
                                              const MI_Char *destination,
                                              MI_DestinationOptions *options,
                                              MI_SessionCallbacks *callbacks,
                                              MI_Instance **extendedError, MI_Session *session)
{
    if (application && application->ft)
        return application->ft->NewSession(application, protocol, destination, options, callbacks,
                                           extendedError, session);
    if (session)
        memset(session, 0, sizeof(*session));
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Application_NewHostedProvider(
    MI_Application *application, const MI_Char *namespaceName, const MI_Char *providerName,
    MI_MainFunction mi_Main, MI_Instance **extendedError, MI_HostedProvider *hostedProvider)
{
    if (application && application->ft)
        return application->ft->NewHostedProvider(application, namespaceName, providerName, mi_Main,
                                                  extendedError, hostedProvider);
    if (hostedProvider)
        memset(hostedProvider, 0, sizeof(*hostedProvider));
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_HostedProvider_Close(MI_HostedProvider *hostedProvider)
{
    return (hostedProvider && hostedProvider->ft) ? hostedProvider->ft->Close(hostedProvider)
                                                  : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_HostedProvider_GetApplication(MI_HostedProvider *hostedProvider,
                                                     MI_Application *application)
{
    return (hostedProvider && hostedProvider->ft)
               ? hostedProvider->ft->GetApplication(hostedProvider, application)
               : MI_RESULT_INVALID_PARAMETER;
}

/* ---------------------------------------------------------------------------------------
 * MI_Session
 * ------------------------------------------------------------------------------------- */

/* Cancels unfinished operations and frees the session; with a completionCallback it
 * returns at once and calls the callback when done. */
MI_INLINE MI_Result MI_Session_Close(MI_Session *session, void *completionContext,
                                     void(MI_CALL *completionCallback)(void *completionContext))
{
    if (session && session->ft)
        return session->ft->Close(session, completionContext, completionCallback);
    if (completionCallback) {
        completionCallback(completionContext);
        return MI_RESULT_OK;
    }
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Session_GetApplication(MI_Session *session, MI_Application *application)
{
    if (session && session->ft)
        return session->ft->GetApplication(session, application);
    if (application)
        memset(application, 0, sizeof(*application));
    return MI_RESULT_INVALID_PARAMETER;
}

/* What every MI_Session_* operation does with an invalid session: a zeroed operation, and
 * INVALID_PARAMETER reported through the result callback when there is one. */
MI_INLINE void MI_Session_ReportInvalid_(MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (operation)
        memset(operation, 0, sizeof(*operation));
    if (callbacks && callbacks->instanceResult)
        callbacks->instanceResult(NULL, callbacks->callbackContext, NULL, MI_FALSE,
                                  MI_RESULT_INVALID_PARAMETER, NULL, NULL, NULL);
}

MI_INLINE void MI_Session_ReportInvalidClass_(MI_OperationCallbacks *callbacks,
                                              MI_Operation *operation)
{
    if (operation)
        memset(operation, 0, sizeof(*operation));
    if (callbacks && callbacks->classResult)
        callbacks->classResult(NULL, callbacks->callbackContext, NULL, MI_FALSE,
                               MI_RESULT_INVALID_PARAMETER, NULL, NULL, NULL);
}

MI_INLINE void MI_Session_GetInstance(MI_Session *session, MI_Uint32 flags,
                                      MI_OperationOptions *options, const MI_Char *namespaceName,
                                      const MI_Instance *inboundInstance,
                                      MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->GetInstance(session, flags, options, namespaceName, inboundInstance, callbacks,
                                 operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

MI_INLINE void MI_Session_ModifyInstance(MI_Session *session, MI_Uint32 flags,
                                         MI_OperationOptions *options, const MI_Char *namespaceName,
                                         const MI_Instance *inboundInstance,
                                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->ModifyInstance(session, flags, options, namespaceName, inboundInstance,
                                    callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

MI_INLINE void MI_Session_CreateInstance(MI_Session *session, MI_Uint32 flags,
                                         MI_OperationOptions *options, const MI_Char *namespaceName,
                                         const MI_Instance *inboundInstance,
                                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->CreateInstance(session, flags, options, namespaceName, inboundInstance,
                                    callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

MI_INLINE void MI_Session_DeleteInstance(MI_Session *session, MI_Uint32 flags,
                                         MI_OperationOptions *options, const MI_Char *namespaceName,
                                         const MI_Instance *inboundInstance,
                                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->DeleteInstance(session, flags, options, namespaceName, inboundInstance,
                                    callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

MI_INLINE void MI_Session_Invoke(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                                 const MI_Char *namespaceName, const MI_Char *className,
                                 const MI_Char *methodName, const MI_Instance *inboundInstance,
                                 const MI_Instance *inboundProperties,
                                 MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->Invoke(session, flags, options, namespaceName, className, methodName,
                            inboundInstance, inboundProperties, callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

MI_INLINE void MI_Session_EnumerateInstances(MI_Session *session, MI_Uint32 flags,
                                             MI_OperationOptions *options,
                                             const MI_Char *namespaceName, const MI_Char *className,
                                             MI_Boolean keysOnly, MI_OperationCallbacks *callbacks,
                                             MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->EnumerateInstances(session, flags, options, namespaceName, className, keysOnly,
                                        callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

MI_INLINE void MI_Session_QueryInstances(MI_Session *session, MI_Uint32 flags,
                                         MI_OperationOptions *options, const MI_Char *namespaceName,
                                         const MI_Char *queryDialect,
                                         const MI_Char *queryExpression,
                                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->QueryInstances(session, flags, options, namespaceName, queryDialect,
                                    queryExpression, callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

/* The instances associated with instanceKeys (an instance holding the source's keys),
 * filtered by association class, result class, role and result role (each may be NULL). */
MI_INLINE void
MI_Session_AssociatorInstances(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                               const MI_Char *namespaceName, const MI_Instance *instanceKeys,
                               const MI_Char *assocClass, const MI_Char *resultClass,
                               const MI_Char *role, const MI_Char *resultRole, MI_Boolean keysOnly,
                               MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->AssociatorInstances(session, flags, options, namespaceName, instanceKeys,
                                         assocClass, resultClass, role, resultRole, keysOnly,
                                         callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

/* The association instances that refer to instanceKeys; resultClass filters their class. */
MI_INLINE void
MI_Session_ReferenceInstances(MI_Session *session, MI_Uint32 flags, MI_OperationOptions *options,
                              const MI_Char *namespaceName, const MI_Instance *instanceKeys,
                              const MI_Char *resultClass, const MI_Char *role, MI_Boolean keysOnly,
                              MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->ReferenceInstances(session, flags, options, namespaceName, instanceKeys,
                                        resultClass, role, keysOnly, callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

MI_INLINE void MI_Session_Subscribe(MI_Session *session, MI_Uint32 flags,
                                    MI_OperationOptions *options, const MI_Char *namespaceName,
                                    const MI_Char *queryDialect, const MI_Char *queryExpression,
                                    const MI_SubscriptionDeliveryOptions *deliverOptions,
                                    MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft) {
        session->ft->Subscribe(session, flags, options, namespaceName, queryDialect,
                               queryExpression, deliverOptions, callbacks, operation);
        return;
    }
    if (operation)
        memset(operation, 0, sizeof(*operation));
    if (callbacks && callbacks->indicationResult)
        callbacks->indicationResult(NULL, callbacks->callbackContext, NULL, NULL, NULL, MI_FALSE,
                                    MI_RESULT_INVALID_PARAMETER, NULL, NULL, NULL);
}

MI_INLINE void MI_Session_GetClass(MI_Session *session, MI_Uint32 flags,
                                   MI_OperationOptions *options, const MI_Char *namespaceName,
                                   const MI_Char *className, MI_OperationCallbacks *callbacks,
                                   MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->GetClass(session, flags, options, namespaceName, className, callbacks,
                              operation);
    else
        MI_Session_ReportInvalidClass_(callbacks, operation);
}

MI_INLINE void MI_Session_EnumerateClasses(MI_Session *session, MI_Uint32 flags,
                                           MI_OperationOptions *options,
                                           const MI_Char *namespaceName, const MI_Char *className,
                                           MI_Boolean classNamesOnly,
                                           MI_OperationCallbacks *callbacks,
                                           MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->EnumerateClasses(session, flags, options, namespaceName, className,
                                      classNamesOnly, callbacks, operation);
    else
        MI_Session_ReportInvalidClass_(callbacks, operation);
}

MI_INLINE void MI_Session_TestConnection(MI_Session *session, MI_Uint32 flags,
                                         MI_OperationCallbacks *callbacks, MI_Operation *operation)
{
    if (session && session->ft)
        session->ft->TestConnection(session, flags, callbacks, operation);
    else
        MI_Session_ReportInvalid_(callbacks, operation);
}

/* ---------------------------------------------------------------------------------------
 * MI_Operation
 * ------------------------------------------------------------------------------------- */

/* Frees the operation; an unfinished one is cancelled first. */
MI_INLINE MI_Result MI_Operation_Close(MI_Operation *operation)
{
    return (operation && operation->ft) ? operation->ft->Close(operation)
                                        : MI_RESULT_INVALID_PARAMETER;
}

/* Asks the operation to stop; its final result (MI_RESULT_FAILED) still has to be read. */
MI_INLINE MI_Result MI_Operation_Cancel(MI_Operation *operation, MI_CancellationReason reason)
{
    return (operation && operation->ft) ? operation->ft->Cancel(operation, reason)
                                        : MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Operation_GetSession(MI_Operation *operation, MI_Session *session)
{
    if (operation && operation->ft)
        return operation->ft->GetSession(operation, session);
    if (session)
        memset(session, 0, sizeof(*session));
    return MI_RESULT_INVALID_PARAMETER;
}

/* Synchronous results: call until *moreResults is MI_FALSE. Each instance is valid until
 * the next call; the last call carries the result, message and completion details. */
MI_INLINE MI_Result MI_Operation_GetInstance(MI_Operation *operation, const MI_Instance **instance,
                                             MI_Boolean *moreResults, MI_Result *result,
                                             const MI_Char **errorMessage,
                                             const MI_Instance **completionDetails)
{
    if (operation && operation->ft)
        return operation->ft->GetInstance(operation, instance, moreResults, result, errorMessage,
                                          completionDetails);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Operation_GetIndication(MI_Operation *operation,
                                               const MI_Instance **instance,
                                               const MI_Char **bookmark, const MI_Char **machineID,
                                               MI_Boolean *moreResults, MI_Result *result,
                                               const MI_Char **errorMessage,
                                               const MI_Instance **completionDetails)
{
    if (operation && operation->ft)
        return operation->ft->GetIndication(operation, instance, bookmark, machineID, moreResults,
                                            result, errorMessage, completionDetails);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_Operation_GetClass(MI_Operation *operation, const MI_Class **classResult,
                                          MI_Boolean *moreResults, MI_Result *result,
                                          const MI_Char **errorMessage,
                                          const MI_Instance **completionDetails)
{
    if (operation && operation->ft)
        return operation->ft->GetClass(operation, classResult, moreResults, result, errorMessage,
                                       completionDetails);
    return MI_RESULT_INVALID_PARAMETER;
}

/* ---------------------------------------------------------------------------------------
 * MI_OperationOptions
 * ------------------------------------------------------------------------------------- */

#define MI_OPTIONS_CALL(SELF, FN, ...)                                                             \
    ((SELF) && (SELF)->ft ? (SELF)->ft->FN(SELF, __VA_ARGS__) : MI_RESULT_INVALID_PARAMETER)

#define MI_OPERATIONOPTIONS_TIMEOUT MI_T("__MI_OPERATIONOPTIONS_TIMEOUT")

MI_INLINE void MI_OperationOptions_Delete(MI_OperationOptions *options)
{
    if (options && options->ft)
        options->ft->Delete(options);
}

MI_INLINE MI_Result MI_OperationOptions_SetString(MI_OperationOptions *options,
                                                  const MI_Char *optionName, const MI_Char *value,
                                                  MI_Uint32 flags)
{
    return MI_OPTIONS_CALL(options, SetString, optionName, value, flags);
}

MI_INLINE MI_Result MI_OperationOptions_SetNumber(MI_OperationOptions *options,
                                                  const MI_Char *optionName, MI_Uint32 value,
                                                  MI_Uint32 flags)
{
    return MI_OPTIONS_CALL(options, SetNumber, optionName, value, flags);
}

MI_INLINE MI_Result MI_OperationOptions_SetCustomOption(MI_OperationOptions *options,
                                                        const MI_Char *optionName,
                                                        MI_Type valueType, const MI_Value *value,
                                                        MI_Boolean mustComply, MI_Uint32 flags)
{
    return MI_OPTIONS_CALL(options, SetCustomOption, optionName, valueType, value, mustComply,
                           flags);
}

MI_INLINE MI_Result MI_OperationOptions_GetString(const MI_OperationOptions *options,
                                                  const MI_Char *optionName, const MI_Char **value,
                                                  MI_Uint32 *index, MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetString, optionName, value, index, flags);
}

MI_INLINE MI_Result MI_OperationOptions_GetNumber(const MI_OperationOptions *options,
                                                  const MI_Char *optionName, MI_Uint32 *value,
                                                  MI_Uint32 *index, MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetNumber, optionName, value, index, flags);
}

MI_INLINE MI_Result MI_OperationOptions_GetOptionCount(const MI_OperationOptions *options,
                                                       MI_Uint32 *count)
{
    return MI_OPTIONS_CALL(options, GetOptionCount, count);
}

MI_INLINE MI_Result MI_OperationOptions_GetOptionAt(const MI_OperationOptions *options,
                                                    MI_Uint32 index, const MI_Char **optionName,
                                                    MI_Value *value, MI_Type *type,
                                                    MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetOptionAt, index, optionName, value, type, flags);
}

MI_INLINE MI_Result MI_OperationOptions_GetOption(const MI_OperationOptions *options,
                                                  const MI_Char *optionName, MI_Value *value,
                                                  MI_Type *type, MI_Uint32 *index, MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetOption, optionName, value, type, index, flags);
}

MI_INLINE MI_Result MI_OperationOptions_Clone(const MI_OperationOptions *self,
                                              MI_OperationOptions *newOperationOptions)
{
    return MI_OPTIONS_CALL(self, Clone, newOperationOptions);
}

MI_INLINE MI_Result MI_OperationOptions_SetInterval(MI_OperationOptions *options,
                                                    const MI_Char *optionName,
                                                    const MI_Interval *value, MI_Uint32 flags)
{
    return MI_OPTIONS_CALL(options, SetInterval, optionName, value, flags);
}

MI_INLINE MI_Result MI_OperationOptions_GetInterval(const MI_OperationOptions *options,
                                                    const MI_Char *optionName, MI_Interval *value,
                                                    MI_Uint32 *index, MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetInterval, optionName, value, index, flags);
}

/* The operation ends with a timeout error when it runs longer than `timeout`. */
MI_INLINE MI_Result MI_OperationOptions_SetTimeout(MI_OperationOptions *options,
                                                   const MI_Interval *timeout)
{
    return MI_OperationOptions_SetInterval(options, MI_OPERATIONOPTIONS_TIMEOUT, timeout, 0);
}

MI_INLINE MI_Result MI_OperationOptions_GetTimeout(const MI_OperationOptions *options,
                                                   MI_Interval *timeout)
{
    return MI_OperationOptions_GetInterval(options, MI_OPERATIONOPTIONS_TIMEOUT, timeout, NULL,
                                           NULL);
}

#define MI_OPERATIONOPTIONS_RESOURCE_URI MI_T("__MI_OPERATIONOPTIONS_RESOURCE_URI")
#define MI_OPERATIONOPTIONS_RESOURCE_URI_PREFIX MI_T("__MI_OPERATIONOPTIONS_RESOURCE_URI_PREFIX")
#define MI_OPERATIONOPTIONS_PROMPTUSERMODE MI_T("__MI_OPERATIONOPTIONS_PROMPTUSERMODE")
#define MI_OPERATIONOPTIONS_PROMPTUSERREGULARMODE                                                  \
    MI_T("__MI_OPERATIONOPTIONS_PROMPTUSERREGULARMODE")
#define MI_OPERATIONOPTIONS_WRITEERRORMODE MI_T("__MI_OPERATIONOPTIONS_WRITEERRORMODE")
#define MI_OPERATIONOPTIONS_USE_MACHINE_ID MI_T("__MI_OPERATIONOPTIONS_USE_MACHINE_ID")
#define MI_OPERATIONOPTIONS_PROVIDER_ARCHITECTURE                                                  \
    MI_T("__MI_OPERATIONOPTIONS_PROVIDER_ARCHITECTURE")
#define MI_OPERATIONOPTIONS_REQUIRED_ARCHITECTURE                                                  \
    MI_T("__MI_OPERATIONOPTIONS_REQUIRED_ARCHITECTURE")

/* The resource URI of a WS-Management operation (and the prefix before class names). */
MI_INLINE MI_Result MI_OperationOptions_SetResourceUri(MI_OperationOptions *options,
                                                       const MI_Char *uri)
{
    return MI_OperationOptions_SetString(options, MI_OPERATIONOPTIONS_RESOURCE_URI, uri, 0);
}

MI_INLINE MI_Result MI_OperationOptions_GetResourceUri(const MI_OperationOptions *options,
                                                       const MI_Char **uri)
{
    return MI_OperationOptions_GetString(options, MI_OPERATIONOPTIONS_RESOURCE_URI, uri, NULL,
                                         NULL);
}

MI_INLINE MI_Result MI_OperationOptions_SetResourceUriPrefix(MI_OperationOptions *options,
                                                             const MI_Char *prefix)
{
    return MI_OperationOptions_SetString(options, MI_OPERATIONOPTIONS_RESOURCE_URI_PREFIX, prefix,
                                         0);
}

MI_INLINE MI_Result MI_OperationOptions_GetResourceUriPrefix(const MI_OperationOptions *options,
                                                             const MI_Char **prefix)
{
    return MI_OperationOptions_GetString(options, MI_OPERATIONOPTIONS_RESOURCE_URI_PREFIX, prefix,
                                         NULL, NULL);
}

/* How an operation's prompts and errors reach the client: reported, asked, or ignored. */
MI_INLINE MI_Result MI_OperationOptions_SetPromptUserMode(MI_OperationOptions *options,
                                                          MI_CallbackMode mode)
{
    return MI_OperationOptions_SetNumber(options, MI_OPERATIONOPTIONS_PROMPTUSERMODE,
                                         (MI_Uint32)mode, 0);
}

MI_INLINE MI_Result MI_OperationOptions_GetPromptUserMode(const MI_OperationOptions *options,
                                                          MI_CallbackMode *mode)
{
    MI_Uint32 value = 0;
    MI_Result r = MI_OperationOptions_GetNumber(options, MI_OPERATIONOPTIONS_PROMPTUSERMODE, &value,
                                                NULL, NULL);
    if (r == MI_RESULT_OK && mode)
        *mode = (MI_CallbackMode)value;
    return r;
}

MI_INLINE MI_Result MI_OperationOptions_SetPromptUserRegularMode(MI_OperationOptions *options,
                                                                 MI_CallbackMode mode,
                                                                 MI_Boolean ackValue)
{
    MI_Result r = MI_OperationOptions_SetNumber(options, MI_OPERATIONOPTIONS_PROMPTUSERMODE,
                                                (MI_Uint32)mode, 0);
    if (r != MI_RESULT_OK)
        return r;
    return MI_OperationOptions_SetNumber(options, MI_OPERATIONOPTIONS_PROMPTUSERREGULARMODE,
                                         ackValue ? 1 : 0, 0);
}

MI_INLINE MI_Result MI_OperationOptions_SetWriteErrorMode(MI_OperationOptions *options,
                                                          MI_CallbackMode mode)
{
    return MI_OperationOptions_SetNumber(options, MI_OPERATIONOPTIONS_WRITEERRORMODE,
                                         (MI_Uint32)mode, 0);
}

MI_INLINE MI_Result MI_OperationOptions_GetWriteErrorMode(const MI_OperationOptions *options,
                                                          MI_CallbackMode *mode)
{
    MI_Uint32 value = 0;
    MI_Result r = MI_OperationOptions_GetNumber(options, MI_OPERATIONOPTIONS_WRITEERRORMODE, &value,
                                                NULL, NULL);
    if (r == MI_RESULT_OK && mode)
        *mode = (MI_CallbackMode)value;
    return r;
}

/* Whether indications carry the machine's ID. */
MI_INLINE MI_Result MI_OperationOptions_SetUseMachineID(MI_OperationOptions *options,
                                                        MI_Boolean machineID)
{
    return MI_OperationOptions_SetNumber(options, MI_OPERATIONOPTIONS_USE_MACHINE_ID,
                                         machineID ? 1 : 0, 0);
}

MI_INLINE MI_Result MI_OperationOptions_GetUseMachineID(const MI_OperationOptions *options,
                                                        MI_Boolean *machineID)
{
    MI_Uint32 value = 0;
    MI_Result r = MI_OperationOptions_GetNumber(options, MI_OPERATIONOPTIONS_USE_MACHINE_ID, &value,
                                                NULL, NULL);
    if (r == MI_RESULT_OK && machineID)
        *machineID = value ? MI_TRUE : MI_FALSE;
    return r;
}

/* The provider architecture asked for (a Windows notion kept as an option). */
MI_INLINE MI_Result MI_OperationOptions_SetProviderArchitecture(MI_OperationOptions *options,
                                                                MI_Uint32 architecture,
                                                                MI_Boolean mustComply)
{
    MI_Result r = MI_OperationOptions_SetNumber(options, MI_OPERATIONOPTIONS_PROVIDER_ARCHITECTURE,
                                                architecture, 0);
    if (r != MI_RESULT_OK)
        return r;
    return MI_OperationOptions_SetNumber(options, MI_OPERATIONOPTIONS_REQUIRED_ARCHITECTURE,
                                         mustComply ? 1 : 0, 0);
}

/* ---------------------------------------------------------------------------------------
 * MI_DestinationOptions
 * ------------------------------------------------------------------------------------- */

#define MI_DESTINATIONOPTIONS_TIMEOUT MI_T("__MI_DESTINATIONOPTIONS_TIMEOUT")
#define MI_DESTINATIONOPTIONS_DESTINATION_CREDENTIALS                                              \
    MI_T("__MI_DESTINATIONOPTIONS_DESTINATION_CREDENTIALS")

MI_INLINE void MI_DestinationOptions_Delete(MI_DestinationOptions *options)
{
    if (options && options->ft)
        options->ft->Delete(options);
}

MI_INLINE MI_Result MI_DestinationOptions_SetString(MI_DestinationOptions *options,
                                                    const MI_Char *optionName, const MI_Char *value,
                                                    MI_Uint32 flags)
{
    return MI_OPTIONS_CALL(options, SetString, optionName, value, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_SetNumber(MI_DestinationOptions *options,
                                                    const MI_Char *optionName, MI_Uint32 value,
                                                    MI_Uint32 flags)
{
    return MI_OPTIONS_CALL(options, SetNumber, optionName, value, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_AddCredentials(MI_DestinationOptions *options,
                                                         const MI_Char *optionName,
                                                         const MI_UserCredentials *credentials,
                                                         MI_Uint32 flags)
{
    return MI_OPTIONS_CALL(options, AddCredentials, optionName, credentials, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_AddDestinationCredentials(
    MI_DestinationOptions *options, const MI_UserCredentials *credentials)
{
    return MI_DestinationOptions_AddCredentials(
        options, MI_DESTINATIONOPTIONS_DESTINATION_CREDENTIALS, credentials, 0);
}

MI_INLINE MI_Result MI_DestinationOptions_GetString(const MI_DestinationOptions *options,
                                                    const MI_Char *optionName,
                                                    const MI_Char **value, MI_Uint32 *index,
                                                    MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetString, optionName, value, index, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_GetNumber(const MI_DestinationOptions *options,
                                                    const MI_Char *optionName, MI_Uint32 *value,
                                                    MI_Uint32 *index, MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetNumber, optionName, value, index, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_GetOptionCount(const MI_DestinationOptions *options,
                                                         MI_Uint32 *count)
{
    return MI_OPTIONS_CALL(options, GetOptionCount, count);
}

MI_INLINE MI_Result MI_DestinationOptions_GetCredentialsCount(const MI_DestinationOptions *options,
                                                              MI_Uint32 *count)
{
    return MI_OPTIONS_CALL(options, GetCredentialsCount, count);
}

MI_INLINE MI_Result MI_DestinationOptions_GetCredentialsAt(const MI_DestinationOptions *options,
                                                           MI_Uint32 index,
                                                           const MI_Char **optionName,
                                                           MI_UserCredentials *credentials,
                                                           MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetCredentialsAt, index, optionName, credentials, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_GetCredentialsPasswordAt(
    const MI_DestinationOptions *options, MI_Uint32 index, const MI_Char **optionName,
    MI_Char *password, MI_Uint32 bufferLength, MI_Uint32 *passwordLength, MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetCredentialsPasswordAt, index, optionName, password,
                           bufferLength, passwordLength, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_Clone(const MI_DestinationOptions *self,
                                                MI_DestinationOptions *newDestinationOptions)
{
    return MI_OPTIONS_CALL(self, Clone, newDestinationOptions);
}

MI_INLINE MI_Result MI_DestinationOptions_SetInterval(MI_DestinationOptions *options,
                                                      const MI_Char *optionName,
                                                      const MI_Interval *value, MI_Uint32 flags)
{
    return MI_OPTIONS_CALL(options, SetInterval, optionName, value, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_GetInterval(const MI_DestinationOptions *options,
                                                      const MI_Char *optionName, MI_Interval *value,
                                                      MI_Uint32 *index, MI_Uint32 *flags)
{
    return MI_OPTIONS_CALL(options, GetInterval, optionName, value, index, flags);
}

MI_INLINE MI_Result MI_DestinationOptions_SetTimeout(MI_DestinationOptions *options,
                                                     const MI_Interval *timeout)
{
    return MI_DestinationOptions_SetInterval(options, MI_DESTINATIONOPTIONS_TIMEOUT, timeout, 0);
}

MI_INLINE MI_Result MI_DestinationOptions_GetTimeout(const MI_DestinationOptions *options,
                                                     MI_Interval *timeout)
{
    return MI_DestinationOptions_GetInterval(options, MI_DESTINATIONOPTIONS_TIMEOUT, timeout, NULL,
                                             NULL);
}

#define MI_DESTINATIONOPTIONS_CERT_CA_CHECK MI_T("__MI_DESTINATIONOPTIONS_CERT_CA_CHECK")

/* Whether an https destination's certificate must chain to a trusted authority (the
 * default) and name the host. */
MI_INLINE MI_Result MI_DestinationOptions_SetCertCACheck(MI_DestinationOptions *options,
                                                         MI_Boolean check)
{
    return MI_DestinationOptions_SetNumber(options, MI_DESTINATIONOPTIONS_CERT_CA_CHECK,
                                           check ? 1 : 0, 0);
}

MI_INLINE MI_Result MI_DestinationOptions_GetCertCACheck(const MI_DestinationOptions *options,
                                                         MI_Boolean *check)
{
    MI_Uint32 value = 1;
    MI_Result r = MI_DestinationOptions_GetNumber(options, MI_DESTINATIONOPTIONS_CERT_CA_CHECK,
                                                  &value, NULL, NULL);
    if (check)
        *check = r == MI_RESULT_OK ? (value ? MI_TRUE : MI_FALSE) : MI_TRUE;
    return r;
}

/* ---------------------------------------------------------------------------------------
 * libmi additions (not part of Microsoft's API)
 * ------------------------------------------------------------------------------------- */

/* The library's version, "MAJOR.MINOR.PATCH". */
MI_EXPORT const MI_Char *MI_Libmi_Version(void);

/* The symbolic name of a result code ("MI_RESULT_NOT_FOUND"), or "MI_RESULT_UNKNOWN". */
/* The category of an error code of errorType (MI_RESULT_TYPE_MI, MI_RESULT_TYPE_ERRNO;
 * others: MI_ERRORCATEGORY_NOT_SPECIFIED). */
MI_EXPORT MI_ErrorCategory MI_CALL MI_Utilities_MapErrorToMiErrorCategory(const MI_Char *errorType,
                                                                          MI_Uint32 error);
/* A new CIM_Error instance for an error code of errorType, with errorMessage (NULL: the
 * code's own text); release it with MI_Instance_Delete. */
MI_EXPORT MI_Result MI_CALL MI_Utilities_CimErrorFromErrorCode(MI_Uint32 error,
                                                               const MI_Char *errorType,
                                                               const MI_Char *errorMessage,
                                                               MI_Instance **cimError);

MI_EXPORT const MI_Char *MI_Libmi_ResultName(MI_Result result);

/* MOF compilation (DMTF DSP0221). Diagnostics arrive through a callback, each naming its
 * file, line and column; the compile is all or nothing. */
typedef enum _MI_Libmi_MofSeverity {
    MI_LIBMI_MOF_ERROR = 0,
    MI_LIBMI_MOF_WARNING = 1
} MI_Libmi_MofSeverity;

typedef struct _MI_Libmi_MofDiagnostic {
    MI_Libmi_MofSeverity severity;
    const MI_Char *file; /* as opened */
    MI_Uint32 line;      /* 1-based; 0 when the problem has no place in the file */
    MI_Uint32 column;    /* 1-based, in characters */
    const MI_Char *message;
    const MI_Char *text; /* "file:line:column: message" */
} MI_Libmi_MofDiagnostic;

typedef void(MI_CALL *MI_Libmi_MofDiagnosticCallback)(void *context,
                                                      const MI_Libmi_MofDiagnostic *diagnostic);

typedef struct _MI_Libmi_MofStats {
    MI_Uint32 files;
    MI_Uint64 bytes;
    MI_Uint32 qualifiers; /* qualifier type declarations */
    MI_Uint32 classes;
    MI_Uint32 instances;
    MI_Uint32 errors;
    MI_Uint32 warnings;
    MI_Uint32 unchanged; /* classes and instances the repository had exactly so already */
    MI_Uint32 updated;   /* classes and instances that replaced what it had */
} MI_Libmi_MofStats;

/* Compiles fileCount MOF files as one unit into nameSpace (NULL: "root/cimv2"; #pragma
 * namespace switches it) of the repository of a local session, all of it or nothing;
 * what the repository has already is updated in place (see MI_LIBMI_MOF_CREATE_ONLY).
 * With session NULL the MOF is checked and nothing is stored, like `mofcomp -check`.
 * maxErrors 0 means 20. MI_RESULT_OK when it compiled (and was stored);
 * MI_RESULT_FAILED when the MOF had errors; MI_RESULT_NOT_FOUND when a file cannot be
 * read; MI_RESULT_ACCESS_DENIED when the repository is read-only;
 * MI_RESULT_INVALID_PARAMETER for a session that is not a local one. callback and
 * stats may be NULL. */
MI_EXPORT MI_Result MI_CALL MI_Libmi_CompileMof(MI_Session *session, const MI_Char *nameSpace,
                                                const MI_Char *const *files, MI_Uint32 fileCount,
                                                MI_Uint32 maxErrors,
                                                MI_Libmi_MofDiagnosticCallback callback,
                                                void *context, MI_Libmi_MofStats *stats);

/* Progress of a compile: phase "reading" after each file is read, then "compiling", then
 * "storing" (only when there were no errors); soFar holds the counts so far. */
typedef void(MI_CALL *MI_Libmi_MofProgressCallback)(void *context, const MI_Char *phase,
                                                    const MI_Libmi_MofStats *soFar);

typedef struct _MI_Libmi_MofOptions {
    const MI_Char *nameSpace;                  /* NULL: "root/cimv2" */
    MI_Uint32 maxErrors;                       /* 0: 20 */
    MI_Libmi_MofDiagnosticCallback diagnostic; /* may be NULL */
    MI_Libmi_MofProgressCallback progress;     /* may be NULL */
    void *context;                             /* passed to both callbacks */
    MI_Uint32 flags; /* MI_LIBMI_MOF_CHECK_ONLY, MI_LIBMI_MOF_CREATE_ONLY */
} MI_Libmi_MofOptions;

/* Compile against the session's repository (its classes and instances count) and check
 * everything storing would do, updates included, but store nothing: what
 * `mi compile --check` does. */
#define MI_LIBMI_MOF_CHECK_ONLY 1u
/* Refuse classes and instances the repository has already (MI_RESULT_ALREADY_EXISTS)
 * instead of updating them. Without it, as mofcomp does, a class the repository has is
 * replaced where its subclasses and instances still fit it (else the compile fails with
 * MI_RESULT_CLASS_HAS_INSTANCES or MI_RESULT_CLASS_HAS_CHILDREN, naming what does not
 * fit), an instance is replaced, and what is stored exactly so is left alone. */
#define MI_LIBMI_MOF_CREATE_ONLY 2u

/* MI_Libmi_CompileMof with its settings in one struct (options may be NULL) and a
 * progress callback. */
MI_EXPORT MI_Result MI_CALL MI_Libmi_CompileMofEx(MI_Session *session, const MI_Char *const *files,
                                                  MI_Uint32 fileCount,
                                                  const MI_Libmi_MofOptions *options,
                                                  MI_Libmi_MofStats *stats);

/* ---- providers: modules written against the provider half of this header ----
 * Registering a module (a shared object exporting MI_Main) in a namespace of the
 * session's repository stores the classes of its schema the namespace lacks (those it
 * has must agree with the module's declarations), and records each class with provider
 * functions as served by the module: operations on those classes in local sessions
 * opened later, and in mid, reach the provider. A module is loaded
 * when an operation first needs it. Errors come in *extendedError (a CIM_Error whose
 * Message names the module, class and property at fault; may be NULL). */

/* Run the module in a host process of its own (as mid does by default) rather than in
 * the process of the session. */
#define MI_LIBMI_PROVIDER_ISOLATED 1u

typedef struct _MI_Libmi_ProviderStats {
    MI_Uint32 classesStored;  /* new to the namespace */
    MI_Uint32 classesPresent; /* there already, in agreement */
    MI_Uint32 classesServed;  /* registered as served by the module */
} MI_Libmi_ProviderStats;

MI_EXPORT MI_Result MI_CALL MI_Libmi_RegisterProvider(MI_Session *session,
                                                      const MI_Char *modulePath,
                                                      const MI_Char *nameSpace, MI_Uint32 flags,
                                                      MI_Libmi_ProviderStats *stats,
                                                      MI_Instance **extendedError);

/* Removes the module's registrations (in nameSpace; NULL: in all); *removed (may be
 * NULL) counts them. The classes stay. MI_RESULT_NOT_FOUND when it has none. */
MI_EXPORT MI_Result MI_CALL MI_Libmi_UnregisterProvider(MI_Session *session,
                                                        const MI_Char *modulePath,
                                                        const MI_Char *nameSpace,
                                                        MI_Uint32 *removed,
                                                        MI_Instance **extendedError);

/* One registration: the class a module serves in a namespace. */
typedef struct _MI_Libmi_ProviderRegistration {
    const MI_Char *nameSpace;
    const MI_Char *className;
    const MI_Char *modulePath;
    MI_Uint32 flags; /* MI_LIBMI_PROVIDER_ISOLATED */
} MI_Libmi_ProviderRegistration;

typedef void(MI_CALL *MI_Libmi_ProviderCallback)(void *context,
                                                 const MI_Libmi_ProviderRegistration *registration);

/* Calls callback with each registration of the session's repository, by namespace and
 * class (the strings live for the call). */
MI_EXPORT MI_Result MI_CALL MI_Libmi_ListProviders(MI_Session *session,
                                                   MI_Libmi_ProviderCallback callback,
                                                   void *context, MI_Instance **extendedError);

/* Object paths in the WBEM URI form of DSP0207:
 * `[//host/][namespace:]Class.Key1="text",Key2=42,Key3="Other.K=\"v\""`.
 * Parses text into a new key instance (release it with MI_Instance_Delete); keys are
 * typed as written and resolved against the class when the instance is used. A
 * malformed path is MI_RESULT_INVALID_PARAMETER with, when message is not NULL, a
 * description naming the column (at most messageSize bytes with the terminator). */
MI_EXPORT MI_Result MI_CALL MI_Libmi_ParseObjectPath(const MI_Char *text, MI_Instance **instance,
                                                     MI_Char *message, MI_Uint32 messageSize);

/* The object path of an instance (its key properties, with namespace and host when it
 * has them) as a new string; release it with MI_Libmi_Free. */
MI_EXPORT MI_Result MI_CALL MI_Libmi_FormatObjectPath(const MI_Instance *instance, MI_Char **text);

/* MI_Libmi_ValueText's flag: booleans as true/false rather than TRUE/FALSE. */
#define MI_LIBMI_TEXT_LOWERCASE_BOOLEANS 1u

/* One scalar as text, as CIM-XML writes it: value itself, or item index of an array
 * value. Integers in decimal, reals with the digits that read back the same value,
 * booleans TRUE/FALSE, datetimes in DMTF form, char16 as UTF-8, strings as they are.
 * A new string (release it with MI_Libmi_Free); MI_RESULT_NOT_SUPPORTED for references
 * and instances (MI_Libmi_FormatObjectPath gives a reference's text). */
MI_EXPORT MI_Result MI_CALL MI_Libmi_ValueText(const MI_Value *value, MI_Type type, MI_Uint32 index,
                                               MI_Uint32 flags, MI_Char **text);

/* Releases memory the library handed out (MI_Libmi_FormatObjectPath, ValueText). */
MI_EXPORT void MI_CALL MI_Libmi_Free(void *memory);

#ifdef __cplusplus
}
#endif

#endif /* MI_H */
