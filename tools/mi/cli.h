/*
 * cli — what every subcommand of the mi tool shares: its options, the session it opens
 * and the way it reports a failure. Only the public MI API is used.
 */
#ifndef MI_TOOL_CLI_H
#define MI_TOOL_CLI_H

#include <mi.h>
#include <stdbool.h>

#define MI_EXIT_OK 0     /* success */
#define MI_EXIT_FAILED 1 /* the operation failed: stderr names the MI_RESULT_* */
#define MI_EXIT_USAGE 2  /* bad arguments */

/* Seconds a remote operation may take when --timeout is not given. */
#define MI_CLI_REMOTE_TIMEOUT 60

typedef enum mi_cli_format {
    MI_FORMAT_DEFAULT, /* table on a terminal, paths otherwise */
    MI_FORMAT_TABLE,
    MI_FORMAT_MOF,
    MI_FORMAT_JSON,
    MI_FORMAT_XML,
    MI_FORMAT_PATHS,
    MI_FORMAT_DOT
} mi_cli_format;

/* The options a subcommand accepts beyond the global ones. */
enum {
    MI_OPT_FILTERS = 1 << 0,     /* --assoc-class --result-class --role --result-role */
    MI_OPT_REF_FILTERS = 1 << 1, /* --result-class --role (references) */
    MI_OPT_KEYS_ONLY = 1 << 2,
    MI_OPT_SHALLOW = 1 << 3,
    MI_OPT_DEEP = 1 << 4,
    MI_OPT_DEPTH = 1 << 5,
    MI_OPT_CHECK = 1 << 6, /* compile */
    MI_OPT_MAX_ERRORS = 1 << 7,
    MI_OPT_FORMAT = 1 << 8,
    MI_OPT_CREATE_ONLY = 1 << 9, /* compile */
    MI_OPT_WIDE = 1 << 10,       /* commands printing instance tables */
    MI_OPT_HOSTING = 1 << 11,    /* provider register: --in-process, --isolated */
    MI_OPT_DIALECT = 1 << 12     /* query: --dialect */
};

typedef struct mi_cli {
    const char *command;
    const char *repository; /* NULL: the embedded default repository */
    const char *name_space;
    const char *host, *user;
    const char *protocol; /* --protocol: wsman or cimxml */
    double timeout; /* seconds; 0: none; below 0: not given (MI_CLI_REMOTE_TIMEOUT with a host) */
    const char *ca_file; /* --cacert */
    mi_cli_format format;
    const char *assoc_class, *result_class, *role, *result_role;
    bool keys_only, shallow, deep, check, create_only, no_verify, wide;
    bool in_process, isolated; /* provider register */
    const char *dialect;       /* query: WQL (the default) or CQL */
    int depth;
    unsigned long max_errors;
    unsigned batch;     /* results per pull; 0: the library's default */
    bool allow_missing; /* mi_cli_open without a repository is no failure (no session) */
    char **args;        /* the positional arguments */
    int arg_count;
    MI_Application app;
    MI_Session session;
    bool app_open, session_open;
} mi_cli;

/* Parses argv (argv[0] is the subcommand) for a subcommand accepting `accepted` options;
 * prints the subcommand's help and returns MI_EXIT_OK for --help (done set), or prints
 * the fault and returns MI_EXIT_USAGE. */
int mi_cli_parse(mi_cli *cli, int argc, char **argv, unsigned accepted, const char *usage,
                 bool *done);

/* Whether name is a global option that takes a value (so that global options may come
 * before the command). */
bool mi_cli_global_takes_value(const char *name);

/* Opens the application and the session (creating the repository only when create is
 * set); reports and returns MI_EXIT_FAILED when it cannot. */
int mi_cli_open(mi_cli *cli, bool create);
void mi_cli_close(mi_cli *cli);

/* Operation options carrying --timeout (NULL when no timeout was asked for). */
MI_OperationOptions *mi_cli_options(mi_cli *cli, MI_OperationOptions *storage);

/* Prints "mi: MI_RESULT_NAME (n): message" and returns MI_EXIT_FAILED. */
int mi_cli_fail(MI_Result result, const char *message);

/* The source instance of a command: one object path, or CLASS KEY=VALUE...; reports a
 * malformed one (MI_EXIT_USAGE) and returns NULL. */
MI_Instance *mi_cli_source(mi_cli *cli, int first_arg, int *exit_code);

/* The format chosen, with the default resolved against stdout. */
mi_cli_format mi_cli_output_format(const mi_cli *cli);

#endif
