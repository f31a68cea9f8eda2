/*
 * mid — the libmi CIM server (CIM-XML over HTTP and HTTPS).
 *
 *   mid [--listen ADDR:PORT]... [--repository PATH] [--tls-cert FILE --tls-key FILE]
 *       [--passwd FILE] [--insecure] [--threads N] [--max-body BYTES]
 *       [--access-log FILE] [--ready-file FILE] [--provider-idle SECONDS]
 *   mid passwd USER --passwd FILE      (the password from MID_PASSWORD or the terminal)
 *
 * Exit codes: 0 stopped cleanly, 1 could not start, 2 usage error.
 */
#define _GNU_SOURCE

#include "server/passwd.h"
#include "server/server.h"
#include "secret.h"

#include <mi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: mid [options]\n"
    "       mid passwd USER --passwd FILE\n"
    "\n"
    "The libmi CIM server: CIM-XML (DSP0200) over HTTP and HTTPS.\n"
    "\n"
    "options:\n"
    "  --listen ADDR:PORT   where to listen (repeatable; default 127.0.0.1:5988, or\n"
    "                       127.0.0.1:5989 with TLS; port 0 picks a free one)\n"
    "  --repository PATH    the repository (default: MI_REPOSITORY, else\n"
    "                       ~/.local/share/libmi/repository.db)\n"
    "  --tls-cert FILE      PEM certificate: serve HTTPS\n"
    "  --tls-key FILE       PEM private key of the certificate\n"
    "  --passwd FILE        require HTTP Basic authentication against this file\n"
    "  --insecure           allow a non-loopback address without TLS and users\n"
    "  --threads N          worker threads (default: the number of processors)\n"
    "  --max-body BYTES     the largest request body accepted (default 16777216)\n"
    "  --access-log FILE    one line per request (default: stderr)\n"
    "  --ready-file FILE    write the ports listened on, once listening\n"
    "  --provider-idle S    unload a provider module (an isolated one: end its host\n"
    "                       process) after S seconds without an operation (default 60;\n"
    "                       0: never)\n"
    "  -h, --help           show this help\n"
    "\n"
    "mid passwd USER sets USER's password in the file (salted yescrypt hashes); the\n"
    "password comes from MID_PASSWORD or is asked twice on the terminal.\n";

static const char passwd_usage[] =
    "usage: mid passwd USER --passwd FILE\n"
    "\n"
    "Sets USER's password in FILE (created when absent), the file mid --passwd reads:\n"
    "one line per user with a salted yescrypt hash. The password comes from\n"
    "MID_PASSWORD, or is asked twice on the terminal.\n"
    "\n"
    "options:\n"
    "  --passwd FILE   the password file\n"
    "  -h, --help      show this help\n";

static int set_password(int argc, char **argv)
{
    const char *user = NULL, *file = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(passwd_usage, stdout);
            return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
        }
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--passwd") && i + 1 < argc)
            file = argv[++i];
        else if (!user && argv[i][0] != '-')
            user = argv[i];
        else {
            fprintf(stderr, "mid passwd: unexpected '%s'\n%s", argv[i], passwd_usage);
            return 2;
        }
    }
    if (!user || !file) {
        fprintf(stderr, "mid passwd: give a user and --passwd FILE\n%s", passwd_usage);
        return 2;
    }
    char *password = NULL;
    const char *from_env = getenv("MID_PASSWORD");
    if (from_env) {
        password = strdup(from_env);
    } else {
        password = mi_tool_ask_secret("password: ");
        char *again = password ? mi_tool_ask_secret("again: ") : NULL;
        if (!again || strcmp(password, again) != 0) {
            fprintf(stderr, "mid passwd: the passwords differ (or no terminal to ask on)\n");
            free(password);
            free(again);
            return 1;
        }
        explicit_bzero(again, strlen(again));
        free(again);
    }
    mid_passwd *pw = NULL;
    mi_error err = {0};
    MI_Result r = mid_passwd_load(&pw, file, true, &err);
    if (r == MI_RESULT_OK)
        r = mid_passwd_set(pw, file, user, password ? password : "", &err);
    if (password) {
        explicit_bzero(password, strlen(password));
        free(password);
    }
    mid_passwd_free(pw);
    if (r != MI_RESULT_OK) {
        fprintf(stderr, "mid passwd: %s\n", err.message);
        return 1;
    }
    printf("password of %s set in %s\n", user, file);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "passwd"))
        return set_password(argc, argv);
    mid_config config = {0};
    config.provider_idle = 60;
    const char **listen = calloc((size_t)argc, sizeof *listen);
    const char *log_path = NULL;
    if (!listen)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            free(listen);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("mid (libmi) %s\n", MI_Libmi_Version());
            free(listen);
            return 0;
        } else if (!strcmp(a, "--insecure")) {
            config.insecure = true;
            continue;
        }
        if (!value || strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "mid: unexpected '%s'%s\n%s", a, value ? "" : " (or a missing value)",
                    usage);
            free(listen);
            return 2;
        }
        i++;
        if (!strcmp(a, "--listen"))
            listen[config.listen_count++] = value;
        else if (!strcmp(a, "--repository"))
            config.repository = value;
        else if (!strcmp(a, "--tls-cert"))
            config.tls_cert = value;
        else if (!strcmp(a, "--tls-key"))
            config.tls_key = value;
        else if (!strcmp(a, "--passwd"))
            config.passwd_file = value;
        else if (!strcmp(a, "--access-log"))
            log_path = value;
        else if (!strcmp(a, "--ready-file"))
            config.ready_file = value;
        else if (!strcmp(a, "--provider-idle")) {
            char *end;
            unsigned long n = strtoul(value, &end, 10);
            if (*end || !*value || n > 86400) {
                fprintf(stderr, "mid: --provider-idle takes seconds (0 to 86400), not '%s'\n",
                        value);
                free(listen);
                return 2;
            }
            config.provider_idle = (unsigned)n;
        } else if (!strcmp(a, "--threads") || !strcmp(a, "--max-body")) {
            char *end;
            unsigned long long n = strtoull(value, &end, 10);
            if (*end || n == 0 || (!strcmp(a, "--threads") && n > 256)) {
                fprintf(stderr, "mid: %s takes a positive number, not '%s'\n", a, value);
                free(listen);
                return 2;
            }
            if (!strcmp(a, "--threads"))
                config.threads = (unsigned)n;
            else
                config.max_body = (size_t)n;
        } else {
            fprintf(stderr, "mid: unknown option '%s'\n%s", a, usage);
            free(listen);
            return 2;
        }
    }
    config.listen = listen;
    FILE *log = NULL;
    if (log_path && !(log = fopen(log_path, "a"))) {
        perror(log_path);
        free(listen);
        return 1;
    }
    config.access_log = log;
    int code = mid_serve(&config);
    if (log)
        fclose(log);
    free(listen);
    return code;
}
