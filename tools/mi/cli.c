/*
 * cli — see cli.h.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char global_help[] =
    "\n"
    "global options:\n"
    "  --repository PATH   the repository file (default: MI_REPOSITORY, else\n"
    "                      ~/.local/share/libmi/repository.db)\n"
    "  -n, --namespace NS  the namespace (default root/cimv2)\n"
    "  --timeout SECONDS   give up after this long (default: none on the\n"
    "                      repository, 60 with --host; 0: never)\n"
    "  --host URL          a CIM server, http://host[:port] or https://host[:port]\n"
    "                      (CIM-XML); instead of the repository\n"
    "  --user NAME         the user for --host; the password comes from MI_PASSWORD\n"
    "                      or is asked on the terminal\n"
    "  --cacert FILE       with https, trust the authorities whose certificates\n"
    "                      (PEM) FILE holds, instead of the system's\n"
    "  --no-verify         with https, do not check the server's certificate\n"
    "  --batch N           with --host, results per pull (default 1000)\n"
    "  -h, --help          show this help\n";

typedef struct option_spec {
    const char *name;
    const char *short_name;
    unsigned needs; /* 0: global */
    bool takes_value;
} option_spec;

static const option_spec specs[] = {
    {"--repository", NULL, 0, true},
    {"--namespace", "-n", 0, true},
    {"--timeout", NULL, 0, true},
    {"--host", NULL, 0, true},
    {"--protocol", NULL, 0, true},
    {"--user", NULL, 0, true},
    {"--no-verify", NULL, 0, false},
    {"--cacert", NULL, 0, true},
    {"--batch", NULL, 0, true},
    {"--format", "-f", MI_OPT_FORMAT, true},
    {"--assoc-class", NULL, MI_OPT_FILTERS, true},
    {"--result-class", NULL, MI_OPT_FILTERS | MI_OPT_REF_FILTERS, true},
    {"--role", NULL, MI_OPT_FILTERS | MI_OPT_REF_FILTERS, true},
    {"--result-role", NULL, MI_OPT_FILTERS, true},
    {"--keys-only", NULL, MI_OPT_KEYS_ONLY, false},
    {"--shallow", NULL, MI_OPT_SHALLOW, false},
    {"--deep", NULL, MI_OPT_DEEP, false},
    {"--depth", NULL, MI_OPT_DEPTH, true},
    {"--check", NULL, MI_OPT_CHECK, false},
    {"--create-only", NULL, MI_OPT_CREATE_ONLY, false},
    {"--wide", NULL, MI_OPT_WIDE, false},
    {"--in-process", NULL, MI_OPT_HOSTING, false},
    {"--isolated", NULL, MI_OPT_HOSTING, false},
    {"--max-errors", NULL, MI_OPT_MAX_ERRORS, true},
    {"--dialect", NULL, MI_OPT_DIALECT, true},
};

bool mi_cli_global_takes_value(const char *name)
{
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
        const option_spec *o = &specs[i];
        if (o->needs == 0 &&
            (!strcmp(name, o->name) || (o->short_name && !strcmp(name, o->short_name))))
            return o->takes_value;
    }
    return false;
}

static int usage_error(const mi_cli *cli, const char *usage, const char *what, const char *arg)
{
    fprintf(stderr, "mi %s: %s%s%s%s\n%s", cli->command, what, arg ? " '" : "", arg ? arg : "",
            arg ? "'" : "", usage);
    return MI_EXIT_USAGE;
}

static const char *const format_names[] = {"table", "mof", "json", "xml", "paths", "dot"};

#define FORMAT_BIT(f) (1u << (f))
#define INSTANCE_FORMATS                                                                           \
    (FORMAT_BIT(MI_FORMAT_TABLE) | FORMAT_BIT(MI_FORMAT_MOF) | FORMAT_BIT(MI_FORMAT_JSON) |        \
     FORMAT_BIT(MI_FORMAT_XML) | FORMAT_BIT(MI_FORMAT_PATHS))

/* The formats each command prints in; the instance formats for those not named. */
static const struct {
    const char *command;
    unsigned formats;
} command_formats[] = {
    {"class", FORMAT_BIT(MI_FORMAT_MOF) | FORMAT_BIT(MI_FORMAT_JSON) | FORMAT_BIT(MI_FORMAT_XML)},
    {"classes", INSTANCE_FORMATS},
    {"graph", FORMAT_BIT(MI_FORMAT_DOT) | FORMAT_BIT(MI_FORMAT_JSON)},
};

static unsigned formats_of(const char *command)
{
    for (size_t i = 0; i < sizeof command_formats / sizeof *command_formats; i++) {
        if (!strcmp(command, command_formats[i].command))
            return command_formats[i].formats;
    }
    return INSTANCE_FORMATS;
}

/* "table, mof, json, xml or paths": the formats of a command, for its messages. */
static void list_formats(unsigned formats, char *out, size_t size)
{
    out[0] = '\0';
    size_t count = 0, total = 0;
    for (unsigned f = MI_FORMAT_TABLE; f <= MI_FORMAT_DOT; f++)
        total += (formats & FORMAT_BIT(f)) != 0;
    for (unsigned f = MI_FORMAT_TABLE; f <= MI_FORMAT_DOT; f++) {
        if (!(formats & FORMAT_BIT(f)))
            continue;
        size_t used = strlen(out);
        count++;
        snprintf(out + used, size - used, "%s%s",
                 count == 1       ? ""
                 : count == total ? " or "
                                  : ", ",
                 format_names[f - MI_FORMAT_TABLE]);
    }
}

static bool parse_format(const char *text, unsigned formats, mi_cli_format *out)
{
    for (unsigned f = MI_FORMAT_TABLE; f <= MI_FORMAT_DOT; f++) {
        if ((formats & FORMAT_BIT(f)) && !strcmp(text, format_names[f - MI_FORMAT_TABLE])) {
            *out = (mi_cli_format)f;
            return true;
        }
    }
    return false;
}

static int set_option(mi_cli *cli, const option_spec *o, const char *value, const char *usage)
{
    const char *n = o->name;
    if (!strcmp(n, "--repository"))
        cli->repository = value;
    else if (!strcmp(n, "--namespace"))
        cli->name_space = value;
    else if (!strcmp(n, "--host"))
        cli->host = value;
    else if (!strcmp(n, "--protocol"))
        cli->protocol = value;
    else if (!strcmp(n, "--user"))
        cli->user = value;
    else if (!strcmp(n, "--no-verify"))
        cli->no_verify = true;
    else if (!strcmp(n, "--cacert"))
        cli->ca_file = value;
    else if (!strcmp(n, "--assoc-class"))
        cli->assoc_class = value;
    else if (!strcmp(n, "--result-class"))
        cli->result_class = value;
    else if (!strcmp(n, "--role"))
        cli->role = value;
    else if (!strcmp(n, "--result-role"))
        cli->result_role = value;
    else if (!strcmp(n, "--keys-only"))
        cli->keys_only = true;
    else if (!strcmp(n, "--shallow"))
        cli->shallow = true;
    else if (!strcmp(n, "--deep"))
        cli->deep = true;
    else if (!strcmp(n, "--check"))
        cli->check = true;
    else if (!strcmp(n, "--create-only"))
        cli->create_only = true;
    else if (!strcmp(n, "--wide"))
        cli->wide = true;
    else if (!strcmp(n, "--in-process"))
        cli->in_process = true;
    else if (!strcmp(n, "--isolated"))
        cli->isolated = true;
    else if (!strcmp(n, "--dialect"))
        cli->dialect = value;
    else if (!strcmp(n, "--format")) {
        unsigned formats = formats_of(cli->command);
        if (!parse_format(value, formats, &cli->format)) {
            char what[120] = "--format takes ";
            list_formats(formats, what + strlen(what), sizeof what - strlen(what));
            strncat(what, ", not", sizeof what - strlen(what) - 1);
            return usage_error(cli, usage, what, value);
        }
    } else if (!strcmp(n, "--timeout")) {
        char *end;
        errno = 0;
        double seconds = strtod(value, &end);
        if (errno || *end || !*value || !(seconds >= 0) || seconds > 86400.0 * 365)
            return usage_error(cli, usage, "--timeout takes a number of seconds (0: never), not",
                               value);
        cli->timeout = seconds;
    } else if (!strcmp(n, "--depth") || !strcmp(n, "--max-errors") || !strcmp(n, "--batch")) {
        char *end;
        errno = 0;
        unsigned long number = strtoul(value, &end, 10);
        unsigned long most = !strcmp(n, "--depth") ? 100 : !strcmp(n, "--batch") ? 1000000 : 100000;
        if (errno || *end || !*value || value[0] == '-' || number < 1 || number > most) {
            char what[80];
            snprintf(what, sizeof what, "%s takes a number from 1 to %lu, not", n, most);
            return usage_error(cli, usage, what, value);
        }
        if (!strcmp(n, "--depth"))
            cli->depth = (int)number;
        else if (!strcmp(n, "--batch"))
            cli->batch = (unsigned)number;
        else
            cli->max_errors = number;
    }
    return MI_EXIT_OK;
}

int mi_cli_parse(mi_cli *cli, int argc, char **argv, unsigned accepted, const char *usage,
                 bool *done)
{
    memset(cli, 0, sizeof *cli);
    *done = false;
    cli->command = argv[0];
    cli->name_space = "root/cimv2";
    cli->depth = 2;
    cli->timeout = -1;
    cli->app = (MI_Application)MI_APPLICATION_NULL;
    cli->session = (MI_Session)MI_SESSION_NULL;
    if (!(cli->args = calloc((size_t)argc + 1, sizeof *cli->args)))
        return usage_error(cli, usage, "out of memory", NULL);
    bool options_end = false;
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (options_end || arg[0] != '-' || !arg[1]) {
            cli->args[cli->arg_count++] = arg;
            continue;
        }
        if (!strcmp(arg, "--")) {
            options_end = true;
            continue;
        }
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            printf("%s%s", usage, global_help);
            *done = true;
            return MI_EXIT_OK;
        }
        const char *eq = strchr(arg, '=');
        size_t name_len = eq && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
        const option_spec *o = NULL;
        const char *attached = NULL; /* -fjson: a short option with its value */
        for (size_t k = 0; k < sizeof specs / sizeof *specs && !o; k++) {
            const char *short_name = specs[k].short_name;
            if ((strlen(specs[k].name) == name_len && !strncmp(specs[k].name, arg, name_len)) ||
                (short_name && !strcmp(short_name, arg)))
                o = &specs[k];
            else if (short_name && specs[k].takes_value && arg[1] != '-' &&
                     !strncmp(short_name, arg, 2) && arg[2]) {
                o = &specs[k];
                attached = arg + 2;
            }
        }
        if (!o || (o->needs && !(o->needs & accepted)))
            return usage_error(cli, usage, "unknown option", arg);
        const char *value = NULL;
        if (o->takes_value) {
            if (attached)
                value = attached;
            else if (eq && arg[1] == '-')
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return usage_error(cli, usage, "a value is missing after", arg);
        } else if (eq && arg[1] == '-') {
            return usage_error(cli, usage, "takes no value:", arg);
        }
        int code = set_option(cli, o, value, usage);
        if (code != MI_EXIT_OK)
            return code;
    }
    return MI_EXIT_OK;
}

int mi_cli_fail(MI_Result result, const char *message)
{
    fprintf(stderr, "mi: %s (%d)%s%s\n", MI_Libmi_ResultName(result), (int)result,
            message && *message ? ": " : "", message ? message : "");
    if (message && strstr(message, "server's certificate"))
        fprintf(stderr, "mi: --cacert FILE trusts the authority that signed it; --no-verify "
                        "skips the check\n");
    return MI_EXIT_FAILED;
}

/* The message of an extended error instance, when it carries one. */
static const char *error_message(const MI_Instance *details)
{
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    if (details && MI_Instance_GetElement(details, "Message", &v, &type, &flags, NULL) == 0 &&
        type == MI_STRING && !(flags & MI_FLAG_NULL))
        return v.string;
    return NULL;
}

/* The password for --user: MI_PASSWORD, else asked on the terminal without echo. */
static char *password_for(const char *user)
{
    const char *given = getenv("MI_PASSWORD");
    if (given)
        return strdup(given);
    char prompt[300];
    snprintf(prompt, sizeof prompt, "password for %s: ", user);
    return mi_tool_ask_secret(prompt);
}

int mi_cli_open(mi_cli *cli, bool create)
{
    if (cli->user && !cli->host)
        return mi_cli_fail(MI_RESULT_INVALID_PARAMETER, "--user goes with --host");
    if ((cli->ca_file || cli->no_verify) && !cli->host)
        return mi_cli_fail(MI_RESULT_INVALID_PARAMETER, cli->ca_file
                                                            ? "--cacert goes with --host"
                                                            : "--no-verify goes with --host");
    if (cli->host && cli->repository)
        return mi_cli_fail(MI_RESULT_INVALID_PARAMETER,
                           "--host and --repository exclude each other");
    MI_Result r = MI_Application_Initialize(0, NULL, NULL, &cli->app);
    if (r != MI_RESULT_OK)
        return mi_cli_fail(r, "cannot initialize the MI application");
    cli->app_open = true;
    MI_DestinationOptions dest = MI_DESTINATIONOPTIONS_NULL;
    if ((r = MI_Application_NewDestinationOptions(&cli->app, &dest)) != MI_RESULT_OK)
        return mi_cli_fail(r, "cannot make destination options");
    /* a read never creates a repository: only compile does */
    if (!cli->host)
        MI_DestinationOptions_SetNumber(&dest, MI_T("LIBMI_CREATE_REPOSITORY"), create ? 1 : 0, 0);
    if (cli->repository &&
        (r = MI_DestinationOptions_SetString(&dest, MI_T("LIBMI_REPOSITORY"), cli->repository,
                                             0)) != MI_RESULT_OK) {
        MI_DestinationOptions_Delete(&dest);
        return mi_cli_fail(r, "cannot name the repository");
    }
    if (cli->host) {
        if (cli->batch)
            MI_DestinationOptions_SetNumber(&dest, MI_T("LIBMI_PULL_BATCH"), cli->batch, 0);
        if (cli->no_verify)
            MI_DestinationOptions_SetCertCACheck(&dest, MI_FALSE);
        if (cli->ca_file && (r = MI_DestinationOptions_SetString(
                                 &dest, MI_T("LIBMI_CA_FILE"), cli->ca_file, 0)) != MI_RESULT_OK) {
            MI_DestinationOptions_Delete(&dest);
            return mi_cli_fail(r, "cannot keep --cacert");
        }
        if (cli->user) {
            char *password = password_for(cli->user);
            if (!password) {
                MI_DestinationOptions_Delete(&dest);
                return mi_cli_fail(MI_RESULT_ACCESS_DENIED,
                                   "no password: set MI_PASSWORD or run on a terminal");
            }
            MI_UserCredentials creds;
            memset(&creds, 0, sizeof creds);
            creds.authenticationType = MI_AUTH_TYPE_BASIC;
            creds.credentials.usernamePassword.username = cli->user;
            creds.credentials.usernamePassword.password = password;
            r = MI_DestinationOptions_AddDestinationCredentials(&dest, &creds);
            memset(password, 0, strlen(password));
            free(password);
            if (r != MI_RESULT_OK) {
                MI_DestinationOptions_Delete(&dest);
                return mi_cli_fail(r, "cannot keep the credentials");
            }
        }
    }
    MI_Instance *details = NULL;
    /* --protocol names it; else the URL does (a /wsman path or port 5985/5986: WS-Man) */
    const char *protocol = NULL;
    if (cli->protocol && !strcasecmp(cli->protocol, "wsman"))
        protocol = "WINRM";
    else if (cli->protocol && !strcasecmp(cli->protocol, "cimxml"))
        protocol = "CIMXML";
    else if (cli->protocol) {
        MI_DestinationOptions_Delete(&dest);
        return mi_cli_fail(MI_RESULT_INVALID_PARAMETER, "--protocol is wsman or cimxml");
    }
    r = MI_Application_NewSession(&cli->app, protocol, cli->host, &dest, NULL, &details,
                                  &cli->session);
    MI_DestinationOptions_Delete(&dest);
    if (r == MI_RESULT_NOT_FOUND && !cli->host && cli->allow_missing) {
        if (details)
            MI_Instance_Delete(details);
        return MI_EXIT_OK; /* no repository: the caller goes on without a session */
    }
    if (r != MI_RESULT_OK) {
        char message[700];
        const char *why = error_message(details);
        if (r == MI_RESULT_NOT_FOUND && !cli->host && why) { /* "no repository at PATH" */
            snprintf(message, sizeof message, "%s", why);
            MI_Instance_Delete(details);
            return mi_cli_fail(r, message);
        }
        snprintf(message, sizeof message, "cannot open %s%s%s",
                 cli->host ? cli->host : "the repository", why ? ": " : "", why ? why : "");
        if (details)
            MI_Instance_Delete(details);
        return mi_cli_fail(r, message);
    }
    cli->session_open = true;
    return MI_EXIT_OK;
}

void mi_cli_close(mi_cli *cli)
{
    if (cli->session_open)
        MI_Session_Close(&cli->session, NULL, NULL);
    if (cli->app_open)
        MI_Application_Close(&cli->app);
    cli->session_open = cli->app_open = false;
    free(cli->args);
    cli->args = NULL;
}

MI_OperationOptions *mi_cli_options(mi_cli *cli, MI_OperationOptions *storage)
{
    double seconds = cli->timeout >= 0 ? cli->timeout : cli->host ? MI_CLI_REMOTE_TIMEOUT : 0;
    if (seconds <= 0)
        return NULL;
    if (MI_Application_NewOperationOptions(&cli->app, MI_FALSE, storage) != MI_RESULT_OK)
        return NULL;
    double micro = seconds * 1e6;
    MI_Interval interval = {0};
    interval.days = (MI_Uint32)(micro / 86400e6);
    micro -= interval.days * 86400e6;
    interval.hours = (MI_Uint32)(micro / 3600e6);
    micro -= interval.hours * 3600e6;
    interval.minutes = (MI_Uint32)(micro / 60e6);
    micro -= interval.minutes * 60e6;
    interval.seconds = (MI_Uint32)(micro / 1e6);
    micro -= interval.seconds * 1e6;
    interval.microseconds = (MI_Uint32)micro;
    MI_OperationOptions_SetTimeout(storage, &interval);
    return storage;
}

/* CLASS KEY=VALUE...: keys as strings, typed by the class when the operation runs. */
static MI_Instance *source_from_pairs(mi_cli *cli, int first, int *exit_code)
{
    MI_Instance *inst = NULL;
    const char *class_name = cli->args[first];
    if (MI_Application_NewInstance(&cli->app, class_name, NULL, &inst) != MI_RESULT_OK) {
        fprintf(stderr, "mi %s: '%s' is not a class name\n", cli->command, class_name);
        *exit_code = MI_EXIT_USAGE;
        return NULL;
    }
    for (int i = first + 1; i < cli->arg_count; i++) {
        char *pair = cli->args[i];
        char *eq = strchr(pair, '=');
        if (!eq || eq == pair) {
            fprintf(stderr, "mi %s: expected KEY=VALUE, found '%s'\n", cli->command, pair);
            MI_Instance_Delete(inst);
            *exit_code = MI_EXIT_USAGE;
            return NULL;
        }
        *eq = '\0';
        MI_Value v;
        v.string = eq + 1;
        MI_Result r = MI_Instance_AddElement(inst, pair, &v, MI_STRING, MI_FLAG_KEY);
        *eq = '=';
        if (r != MI_RESULT_OK) {
            fprintf(stderr, "mi %s: cannot use key '%s': %s\n", cli->command, pair,
                    MI_Libmi_ResultName(r));
            MI_Instance_Delete(inst);
            *exit_code = MI_EXIT_USAGE;
            return NULL;
        }
    }
    return inst;
}

MI_Instance *mi_cli_source(mi_cli *cli, int first, int *exit_code)
{
    *exit_code = MI_EXIT_OK;
    if (first >= cli->arg_count) {
        fprintf(stderr, "mi %s: no instance given (an object path, or CLASS KEY=VALUE...)\n",
                cli->command);
        *exit_code = MI_EXIT_USAGE;
        return NULL;
    }
    const char *text = cli->args[first];
    if (first + 1 < cli->arg_count || !strpbrk(text, ".=:"))
        return source_from_pairs(cli, first, exit_code);
    MI_Instance *inst = NULL;
    char message[512];
    MI_Result r = MI_Libmi_ParseObjectPath(text, &inst, message, sizeof message);
    if (r != MI_RESULT_OK) {
        fprintf(stderr, "mi %s: %s\n", cli->command, message);
        *exit_code = MI_EXIT_USAGE;
        return NULL;
    }
    return inst;
}

mi_cli_format mi_cli_output_format(const mi_cli *cli)
{
    if (cli->format != MI_FORMAT_DEFAULT)
        return cli->format;
    return isatty(STDOUT_FILENO) ? MI_FORMAT_TABLE : MI_FORMAT_PATHS;
}
