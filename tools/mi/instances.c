/*
 * instances — mi associators, references, get, enumerate, create, modify and delete:
 * one MI_Session operation each, run synchronously, its results printed as they come.
 */
#define _POSIX_C_SOURCE 200809L

#include "commands.h"
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char associators_usage[] =
    "usage: mi associators INSTANCE [options]\n"
    "\n"
    "The instances associated with INSTANCE (MI_Session_AssociatorInstances). INSTANCE is\n"
    "an object path, 'CIM_ComputerSystem.CreationClassName=\"CIM_ComputerSystem\",Name=\"h1\"',\n"
    "or a class and its keys: CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=h1\n"
    "\n"
    "options:\n"
    "  --assoc-class CLASS   only through associations of this class (or a subclass)\n"
    "  --result-class CLASS  only results of this class (or a subclass)\n"
    "  --role NAME           the source plays this role in the association\n"
    "  --result-role NAME    the result plays this role in the association\n"
    "  --keys-only           only the results' keys (their object paths)\n"
    "  -f, --format FORMAT   table, mof, json, xml or paths (default: table on a\n"
    "                        terminal, paths otherwise)\n"
    "  --wide                a table on a terminal keeps its cells whole (by default\n"
    "                        it is fitted to the terminal, long cells cut with ...)\n";

static const char references_usage[] =
    "usage: mi references INSTANCE [options]\n"
    "\n"
    "The association instances that refer to INSTANCE (MI_Session_ReferenceInstances).\n"
    "INSTANCE is an object path or a class and its keys (see mi associators --help).\n"
    "\n"
    "options:\n"
    "  --result-class CLASS  only associations of this class (or a subclass)\n"
    "  --role NAME           only where INSTANCE plays this role\n"
    "  --keys-only           only the associations' keys (their object paths)\n"
    "  -f, --format FORMAT   table, mof, json, xml or paths\n"
    "  --wide                a table on a terminal keeps its cells whole\n";

static const char get_usage[] =
    "usage: mi get INSTANCE [options]\n"
    "\n"
    "One instance by its keys (MI_Session_GetInstance).\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT   table, mof, json, xml or paths\n"
    "  --wide                a table on a terminal keeps its cells whole\n";

static const char enumerate_usage[] =
    "usage: mi enumerate CLASS [options]\n"
    "\n"
    "The instances of CLASS and of its subclasses (MI_Session_EnumerateInstances).\n"
    "\n"
    "options:\n"
    "  --shallow             only instances of CLASS itself, not of its subclasses\n"
    "  --keys-only           only their keys (their object paths)\n"
    "  -f, --format FORMAT   table, mof, json, xml or paths\n"
    "  --wide                a table on a terminal keeps its cells whole\n";

static const char create_usage[] =
    "usage: mi create CLASS NAME=VALUE...\n"
    "\n"
    "Creates an instance of CLASS (MI_Session_CreateInstance) with the properties given;\n"
    "values are read as the class types them (a reference as an object path, a datetime\n"
    "as yyyymmddhhmmss.mmmmmmsutc, an array as {a,b,c}, where an item holding a comma\n"
    "is written \"in double quotes\" with \\\" and \\\\ inside). Every key must be given.\n"
    "The new instance's path is printed.\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT   paths (the default), table, mof, json or xml\n";

static const char modify_usage[] =
    "usage: mi modify CLASS NAME=VALUE...\n"
    "\n"
    "Changes the properties given of an existing instance (MI_Session_ModifyInstance); the\n"
    "keys name the instance. NAME= (nothing after =) sets a property to NULL.\n";

static const char delete_usage[] = "usage: mi delete INSTANCE\n"
                                   "\n"
                                   "Deletes one instance (MI_Session_DeleteInstance).\n";

/* Drains a started operation into the output; the exit code. *count (when given)
 * receives the number of instances. */
static int drain(mi_cli *cli, MI_Operation *op, bool print, size_t *count)
{
    size_t got = 0;
    mi_output *out = print ? mi_output_begin(mi_cli_output_format(cli), stdout, cli->wide) : NULL;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    bool unwritable = false;
    while (more) {
        const MI_Instance *inst = NULL;
        if (MI_Operation_GetInstance(op, &inst, &more, &result, &message, NULL) != MI_RESULT_OK)
            break;
        if (inst)
            got++;
        if (inst && out)
            mi_output_instance(out, inst);
        if (out && ferror(stdout)) { /* the reader went away (| head): stop asking */
            unwritable = true;
            break;
        }
    }
    int write_error = errno;
    mi_output_end(out);
    int code = result == MI_RESULT_OK ? MI_EXIT_OK : mi_cli_fail(result, message);
    if (unwritable) { /* main says why (stdout keeps the error) */
        errno = write_error;
        code = MI_EXIT_FAILED;
    }
    MI_Operation_Close(op); /* the message lives until here */
    if (count)
        *count = got;
    return code;
}

/* After an empty associators or references answer: when the source does not exist,
 * say so (the answer stays a success: SEMANTICS.md, the source need not exist). */
static void note_missing_source(mi_cli *cli, MI_Instance *source)
{
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_GetInstance(&cli->session, 0, NULL, cli->name_space, source, NULL, &op);
    const MI_Instance *found = NULL;
    MI_Boolean more = MI_TRUE;
    MI_Result result = MI_RESULT_OK;
    const MI_Char *message = NULL;
    MI_Operation_GetInstance(&op, &found, &more, &result, &message, NULL);
    if (result == MI_RESULT_NOT_FOUND)
        fprintf(stderr, "mi: note: %s; nothing refers to it\n",
                message && *message ? message : "the instance does not exist");
    while (more)
        MI_Operation_GetInstance(&op, &found, &more, &result, &message, NULL);
    MI_Operation_Close(&op);
}

typedef enum instance_command { ASSOCIATORS, REFERENCES, GET, DELETE } instance_command;

static int run_on_instance(int argc, char **argv, instance_command which)
{
    static const char *const usages[] = {associators_usage, references_usage, get_usage,
                                         delete_usage};
    static const unsigned accepted[] = {
        MI_OPT_FILTERS | MI_OPT_KEYS_ONLY | MI_OPT_FORMAT | MI_OPT_WIDE,
        MI_OPT_REF_FILTERS | MI_OPT_KEYS_ONLY | MI_OPT_FORMAT | MI_OPT_WIDE,
        MI_OPT_FORMAT | MI_OPT_WIDE, 0};
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, accepted[which], usages[which], &done);
    if (code != MI_EXIT_OK || done) {
        mi_cli_close(&cli);
        return code;
    }
    if ((code = mi_cli_open(&cli, false)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    MI_Instance *source = mi_cli_source(&cli, 0, &code);
    if (!source) {
        mi_cli_close(&cli);
        return code;
    }
    MI_OperationOptions storage = MI_OPERATIONOPTIONS_NULL;
    MI_OperationOptions *options = mi_cli_options(&cli, &storage);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Boolean keys = cli.keys_only ? MI_TRUE : MI_FALSE;
    switch (which) {
    case ASSOCIATORS:
        MI_Session_AssociatorInstances(&cli.session, 0, options, cli.name_space, source,
                                       cli.assoc_class, cli.result_class, cli.role, cli.result_role,
                                       keys, NULL, &op);
        break;
    case REFERENCES:
        MI_Session_ReferenceInstances(&cli.session, 0, options, cli.name_space, source,
                                      cli.result_class, cli.role, keys, NULL, &op);
        break;
    case GET:
        MI_Session_GetInstance(&cli.session, 0, options, cli.name_space, source, NULL, &op);
        break;
    case DELETE:
        MI_Session_DeleteInstance(&cli.session, 0, options, cli.name_space, source, NULL, &op);
        break;
    }
    size_t count = 0;
    code = drain(&cli, &op, which != DELETE, &count);
    if (code == MI_EXIT_OK && count == 0 && (which == ASSOCIATORS || which == REFERENCES))
        note_missing_source(&cli, source);
    if (options)
        MI_OperationOptions_Delete(options);
    MI_Instance_Delete(source);
    mi_cli_close(&cli);
    return code;
}

int mi_command_associators(int argc, char **argv)
{
    return run_on_instance(argc, argv, ASSOCIATORS);
}

int mi_command_references(int argc, char **argv)
{
    return run_on_instance(argc, argv, REFERENCES);
}

int mi_command_get(int argc, char **argv)
{
    return run_on_instance(argc, argv, GET);
}

int mi_command_delete(int argc, char **argv)
{
    return run_on_instance(argc, argv, DELETE);
}

int mi_command_enumerate(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv,
                            MI_OPT_SHALLOW | MI_OPT_KEYS_ONLY | MI_OPT_FORMAT | MI_OPT_WIDE,
                            enumerate_usage, &done);
    if (code == MI_EXIT_OK && !done && cli.arg_count != 1) {
        fprintf(stderr, "mi enumerate: give one class name\n%s", enumerate_usage);
        code = MI_EXIT_USAGE;
    }
    if (code != MI_EXIT_OK || done || (code = mi_cli_open(&cli, false)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    MI_OperationOptions storage = MI_OPERATIONOPTIONS_NULL;
    MI_OperationOptions *options = mi_cli_options(&cli, &storage);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_EnumerateInstances(
        &cli.session, cli.shallow ? MI_OPERATIONFLAGS_POLYMORPHISM_SHALLOW : 0, options,
        cli.name_space, cli.args[0], cli.keys_only ? MI_TRUE : MI_FALSE, NULL, &op);
    code = drain(&cli, &op, true, NULL);
    if (options)
        MI_OperationOptions_Delete(options);
    mi_cli_close(&cli);
    return code;
}

/* ---- typed values from text, for create and modify ---- */

static bool parse_scalar(mi_cli *cli, const char *text, MI_Type type, MI_Value *v)
{
    char *end = NULL;
    memset(v, 0, sizeof *v);
    switch (type) {
    case MI_BOOLEAN:
        if (!strcasecmp(text, "true") || !strcmp(text, "1"))
            v->boolean = MI_TRUE;
        else if (!strcasecmp(text, "false") || !strcmp(text, "0"))
            v->boolean = MI_FALSE;
        else
            return false;
        return true;
    case MI_UINT8:
    case MI_UINT16:
    case MI_UINT32:
    case MI_UINT64: {
        if (text[0] == '-')
            return false;
        unsigned long long n = strtoull(text, &end, 0);
        unsigned long long most = type == MI_UINT8    ? 0xFFull
                                  : type == MI_UINT16 ? 0xFFFFull
                                  : type == MI_UINT32 ? 0xFFFFFFFFull
                                                      : ~0ull;
        if (!*text || *end || n > most)
            return false;
        if (type == MI_UINT8)
            v->uint8 = (MI_Uint8)n;
        else if (type == MI_UINT16)
            v->uint16 = (MI_Uint16)n;
        else if (type == MI_UINT32)
            v->uint32 = (MI_Uint32)n;
        else
            v->uint64 = n;
        return true;
    }
    case MI_SINT8:
    case MI_SINT16:
    case MI_SINT32:
    case MI_SINT64: {
        long long n = strtoll(text, &end, 0);
        long long most = type == MI_SINT8    ? 0x7F
                         : type == MI_SINT16 ? 0x7FFF
                         : type == MI_SINT32 ? 0x7FFFFFFF
                                             : 0x7FFFFFFFFFFFFFFF;
        if (!*text || *end || n > most || n < -most - 1)
            return false;
        if (type == MI_SINT8)
            v->sint8 = (MI_Sint8)n;
        else if (type == MI_SINT16)
            v->sint16 = (MI_Sint16)n;
        else if (type == MI_SINT32)
            v->sint32 = (MI_Sint32)n;
        else
            v->sint64 = n;
        return true;
    }
    case MI_REAL32:
    case MI_REAL64: {
        double d = strtod(text, &end);
        if (!*text || *end)
            return false;
        if (type == MI_REAL32)
            v->real32 = (MI_Real32)d;
        else
            v->real64 = d;
        return true;
    }
    case MI_CHAR16:
        if (strlen(text) != 1)
            return false;
        v->char16 = (MI_Char16)(unsigned char)text[0];
        return true;
    case MI_DATETIME: {
        MI_Datetime *d = &v->datetime;
        char sign = 0;
        int n = 0;
        if (strlen(text) == 25 && text[21] == ':') {
            MI_Interval *i = &d->u.interval;
            n = sscanf(text, "%8u%2u%2u%2u.%6u", &i->days, &i->hours, &i->minutes, &i->seconds,
                       &i->microseconds);
            return n == 5;
        }
        MI_Timestamp *t = &d->u.timestamp;
        unsigned offset = 0;
        n = sscanf(text, "%4u%2u%2u%2u%2u%2u.%6u%c%3u", &t->year, &t->month, &t->day, &t->hour,
                   &t->minute, &t->second, &t->microseconds, &sign, &offset);
        if (n != 9 || strlen(text) != 25 || (sign != '+' && sign != '-'))
            return false;
        d->isTimestamp = 1;
        t->utc = sign == '-' ? -(MI_Sint32)offset : (MI_Sint32)offset;
        return true;
    }
    case MI_STRING:
        v->string = (MI_Char *)text;
        return true;
    case MI_REFERENCE: {
        char message[256];
        return MI_Libmi_ParseObjectPath(text, &v->reference, message, sizeof message) ==
               MI_RESULT_OK;
    }
    default:
        (void)cli;
        return false;
    }
}

/* The next item of an array's text (between its braces), cut in place: the text up to a
 * comma, or a double-quoted text with \" and \\ unescaped; NULL after the last. */
static char *next_item(char **at)
{
    char *p = *at;
    if (!p)
        return NULL;
    while (*p == ' ')
        p++;
    char *item = p;
    if (*p == '"') {
        char *out = item;
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                p++;
            *out++ = *p;
        }
        if (*p == '"')
            p++;
        while (*p == ' ')
            p++;
        *out = '\0';
    } else {
        while (*p && *p != ',')
            p++;
    }
    if (*p == ',') {
        *p = '\0';
        *at = p + 1;
    } else {
        *p = '\0';
        *at = NULL;
    }
    return item;
}

/* NAME=VALUE typed by the class and added to inst; reports what does not fit. */
static int add_property(mi_cli *cli, const MI_Class *cls, MI_Instance *inst, char *pair)
{
    char *eq = strchr(pair, '=');
    if (!eq || eq == pair) {
        fprintf(stderr, "mi %s: expected NAME=VALUE, found '%s'\n", cli->command, pair);
        return MI_EXIT_USAGE;
    }
    *eq = '\0';
    const char *name = pair, *value = eq + 1;
    MI_Type type = MI_STRING;
    MI_Uint32 flags = 0;
    /* no class (a server that offers none, as WS-Management): text, typed by the server */
    MI_Result r = cls ? MI_Class_GetElement(cls, name, NULL, NULL, &type, NULL, NULL, &flags, NULL)
                      : MI_RESULT_OK;
    char why[600];
    if (r != MI_RESULT_OK) {
        snprintf(why, sizeof why, "class %s has no property '%s'", cli->args[0], name);
        *eq = '=';
        return mi_cli_fail(MI_RESULT_NO_SUCH_PROPERTY, why);
    }
    MI_Uint32 key = (flags & MI_FLAG_KEY) ? MI_FLAG_KEY : 0;
    if (!*value) { /* NAME=: NULL */
        r = MI_Instance_AddElement(inst, name, NULL, type, key | MI_FLAG_NULL);
        *eq = '=';
        return r == MI_RESULT_OK ? MI_EXIT_OK : mi_cli_fail(r, name);
    }
    bool ok = true;
    MI_Value v;
    if (type & MI_ARRAY) {
        /* {a,b,c}: items split at commas; "..." holds commas, \" and \\ */
        MI_Type scalar = (MI_Type)(type & ~MI_ARRAY);
        size_t len = strlen(value);
        char *items = len >= 2 && value[0] == '{' && value[len - 1] == '}'
                          ? strndup(value + 1, len - 2)
                          : strdup(value);
        MI_Value *scalars = calloc(len + 1, sizeof *scalars);
        MI_Uint32 count = 0;
        ok = items && scalars;
        char *at = ok ? items + strspn(items, " ") : NULL;
        if (at && !*at)
            at = NULL; /* {}: no items */
        for (char *item; ok && (item = next_item(&at));)
            ok = parse_scalar(cli, item, scalar, &scalars[count++]);
        if (ok) {
            /* pack the scalars into the array layout of the type */
            static const size_t sizes[] = {
                sizeof(MI_Boolean),  sizeof(MI_Uint8),  sizeof(MI_Sint8),     sizeof(MI_Uint16),
                sizeof(MI_Sint16),   sizeof(MI_Uint32), sizeof(MI_Sint32),    sizeof(MI_Uint64),
                sizeof(MI_Sint64),   sizeof(MI_Real32), sizeof(MI_Real64),    sizeof(MI_Char16),
                sizeof(MI_Datetime), sizeof(MI_Char *), sizeof(MI_Instance *)};
            size_t size = (size_t)scalar < sizeof sizes / sizeof *sizes ? sizes[scalar] : 0;
            unsigned char *packed = size ? calloc(count ? count : 1, size) : NULL;
            ok = packed != NULL;
            for (MI_Uint32 i = 0; ok && i < count; i++)
                memcpy(packed + i * size, &scalars[i], size);
            if (ok) {
                v.uint8a.data = packed;
                v.uint8a.size = count;
                r = MI_Instance_AddElement(inst, name, &v, type, key);
                ok = r == MI_RESULT_OK;
            }
            free(packed);
        }
        for (MI_Uint32 i = 0; scalar == MI_REFERENCE && i < count; i++)
            if (scalars[i].reference)
                MI_Instance_Delete(scalars[i].reference);
        free(scalars);
        free(items);
    } else {
        ok = parse_scalar(cli, value, type, &v);
        if (ok) {
            r = MI_Instance_AddElement(inst, name, &v, type, key);
            ok = r == MI_RESULT_OK;
            if (type == MI_REFERENCE)
                MI_Instance_Delete(v.reference);
        }
    }
    *eq = '=';
    if (!ok) {
        snprintf(why, sizeof why, "'%s' is not a %s value, as property %.*s of class %s takes",
                 value, mi_tool_type_name(type), (int)(eq - pair), name, cli->args[0]);
        return mi_cli_fail(MI_RESULT_TYPE_MISMATCH, why);
    }
    return MI_EXIT_OK;
}

static int change(int argc, char **argv, bool create)
{
    const char *usage = create ? create_usage : modify_usage;
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, create ? MI_OPT_FORMAT : 0, usage, &done);
    if (code == MI_EXIT_OK && !done && cli.arg_count < 2) {
        fprintf(stderr, "mi %s: give a class and its properties\n%s", cli.command, usage);
        code = MI_EXIT_USAGE;
    }
    if (code != MI_EXIT_OK || done || (code = mi_cli_open(&cli, false)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    MI_Operation class_op = MI_OPERATION_NULL;
    MI_Session_GetClass(&cli.session, 0, NULL, cli.name_space, cli.args[0], NULL, &class_op);
    const MI_Class *cls = NULL;
    MI_Boolean more;
    MI_Result result;
    const MI_Char *message = NULL;
    MI_Operation_GetClass(&class_op, &cls, &more, &result, &message, NULL);
    MI_Instance *inst = NULL;
    if (result == MI_RESULT_NOT_SUPPORTED)
        cls = NULL; /* the server has no class operations: the properties go as text */
    else if (result != MI_RESULT_OK || !cls)
        code = mi_cli_fail(result, message);
    if (code != MI_EXIT_OK)
        ;
    else if (MI_Application_NewInstance(&cli.app, cli.args[0], NULL, &inst) != MI_RESULT_OK)
        code = mi_cli_fail(MI_RESULT_INVALID_PARAMETER, "not a class name");
    for (int i = 1; code == MI_EXIT_OK && i < cli.arg_count; i++)
        code = add_property(&cli, cls, inst, cli.args[i]);
    MI_Operation_Close(&class_op);
    if (code == MI_EXIT_OK) {
        MI_Operation op = MI_OPERATION_NULL;
        MI_OperationOptions storage = MI_OPERATIONOPTIONS_NULL;
        MI_OperationOptions *options = mi_cli_options(&cli, &storage);
        if (create)
            MI_Session_CreateInstance(&cli.session, 0, options, cli.name_space, inst, NULL, &op);
        else
            MI_Session_ModifyInstance(&cli.session, 0, options, cli.name_space, inst, NULL, &op);
        if (cli.format == MI_FORMAT_DEFAULT)
            cli.format = MI_FORMAT_PATHS; /* what was made: its name, wherever it goes */
        code = drain(&cli, &op, create, NULL);
        if (options)
            MI_OperationOptions_Delete(options);
    }
    if (inst)
        MI_Instance_Delete(inst);
    mi_cli_close(&cli);
    return code;
}

int mi_command_create(int argc, char **argv)
{
    return change(argc, argv, true);
}

int mi_command_modify(int argc, char **argv)
{
    return change(argc, argv, false);
}

/* ---- methods ---- */

static const char invoke_usage[] =
    "usage: mi invoke TARGET METHOD [NAME=VALUE...] [options]\n"
    "\n"
    "Runs METHOD (MI_Session_Invoke) of TARGET: a class name for a static method, or an\n"
    "object path such as 'Dev.Id=\"d1\"' for a method of that instance. Each NAME=VALUE\n"
    "is an input parameter, given as text and typed as the method declares it. Prints the\n"
    "output parameters: ReturnValue and the out parameters.\n"
    "\n"
    "options:\n"
    "  -f, --format FORMAT   table, mof, json, xml or paths\n"
    "  --wide                a table on a terminal keeps its cells whole\n";

int mi_command_invoke(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, MI_OPT_FORMAT | MI_OPT_WIDE, invoke_usage, &done);
    if (code == MI_EXIT_OK && !done && cli.arg_count < 2) {
        fprintf(stderr, "mi invoke: give a class or an instance, and a method\n%s", invoke_usage);
        code = MI_EXIT_USAGE;
    }
    if (code != MI_EXIT_OK || done || (code = mi_cli_open(&cli, false)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    const char *target_text = cli.args[0];
    bool on_instance = strpbrk(target_text, ".=:") != NULL;
    MI_Instance *target = NULL, *in = NULL;
    if (on_instance) {
        char message[512];
        MI_Result r = MI_Libmi_ParseObjectPath(target_text, &target, message, sizeof message);
        if (r != MI_RESULT_OK) {
            fprintf(stderr, "mi invoke: %s\n", message);
            code = MI_EXIT_USAGE;
        }
    }
    if (code == MI_EXIT_OK && MI_Application_NewParameterSet(&cli.app, NULL, &in) != MI_RESULT_OK)
        code = mi_cli_fail(MI_RESULT_SERVER_LIMITS_EXCEEDED, "out of memory");
    for (int i = 2; code == MI_EXIT_OK && i < cli.arg_count; i++) {
        char *eq = strchr(cli.args[i], '=');
        if (!eq || eq == cli.args[i]) {
            fprintf(stderr, "mi invoke: expected NAME=VALUE, found '%s'\n", cli.args[i]);
            code = MI_EXIT_USAGE;
            break;
        }
        *eq = '\0';
        MI_Value v;
        v.string = eq + 1;
        MI_Result r = MI_Instance_AddElement(in, cli.args[i], &v, MI_STRING, 0);
        *eq = '=';
        if (r != MI_RESULT_OK) {
            fprintf(stderr, "mi invoke: cannot use parameter '%s': %s\n", cli.args[i],
                    MI_Libmi_ResultName(r));
            code = MI_EXIT_USAGE;
        }
    }
    if (code == MI_EXIT_OK) {
        MI_Operation op = MI_OPERATION_NULL;
        MI_OperationOptions storage = MI_OPERATIONOPTIONS_NULL;
        MI_OperationOptions *options = mi_cli_options(&cli, &storage);
        MI_Session_Invoke(&cli.session, 0, options, cli.name_space,
                          on_instance ? NULL : target_text, cli.args[1], target, in, NULL, &op);
        if (cli.format == MI_FORMAT_DEFAULT || cli.format == MI_FORMAT_PATHS)
            cli.format = MI_FORMAT_MOF; /* the output parameters have no path */
        code = drain(&cli, &op, true, NULL);
        if (options)
            MI_OperationOptions_Delete(options);
    }
    if (in)
        MI_Instance_Delete(in);
    if (target)
        MI_Instance_Delete(target);
    mi_cli_close(&cli);
    return code;
}

/* ---- queries ---- */

static const char query_usage[] =
    "usage: mi query QUERY [options]\n"
    "\n"
    "The instances a WQL query names (MI_Session_QueryInstances):\n"
    "  SELECT * | PROP[,PROP...] FROM CLASS [WHERE CONDITION]\n"
    "  ASSOCIATORS OF {PATH} [WHERE AssocClass = C ResultClass = C Role = R ...]\n"
    "  REFERENCES OF {PATH} [WHERE ResultClass = C Role = R KeysOnly]\n"
    "A condition compares properties with values (=, <>, <, <=, >, >=), tests IS [NOT]\n"
    "NULL, LIKE a pattern (% any run, _ one character, [set]) or ISA a class, joined by\n"
    "AND, OR, NOT and parentheses.\n"
    "\n"
    "options:\n"
    "  --dialect LANGUAGE    WQL (the default) or CQL\n"
    "  -f, --format FORMAT   table, mof, json, xml or paths\n"
    "  --wide                a table on a terminal keeps its cells whole\n";

int mi_command_query(int argc, char **argv)
{
    mi_cli cli;
    bool done;
    int code = mi_cli_parse(&cli, argc, argv, MI_OPT_FORMAT | MI_OPT_WIDE | MI_OPT_DIALECT,
                            query_usage, &done);
    if (code == MI_EXIT_OK && !done && cli.arg_count != 1) {
        fprintf(stderr, "mi query: give one query (quoted)\n%s", query_usage);
        code = MI_EXIT_USAGE;
    }
    if (code != MI_EXIT_OK || done || (code = mi_cli_open(&cli, false)) != MI_EXIT_OK) {
        mi_cli_close(&cli);
        return code;
    }
    MI_OperationOptions storage = MI_OPERATIONOPTIONS_NULL;
    MI_OperationOptions *options = mi_cli_options(&cli, &storage);
    MI_Operation op = MI_OPERATION_NULL;
    MI_Session_QueryInstances(&cli.session, 0, options, cli.name_space,
                              cli.dialect ? cli.dialect : MI_T("WQL"), cli.args[0], NULL, &op);
    code = drain(&cli, &op, true, NULL);
    if (options)
        MI_OperationOptions_Delete(options);
    mi_cli_close(&cli);
    return code;
}
