/*
 * server — mid's HTTP side: libmicrohttpd daemons (one per listening address, HTTP or
 * HTTPS), a worker pool, Basic authentication against the password file, the checks of
 * DSP0200's headers, one repository connection per worker, streamed (chunked) replies,
 * an access log line per request, and a graceful stop.
 */
#ifndef MI_SERVER_SERVER_H
#define MI_SERVER_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct mid_config {
    const char *repository; /* NULL: the embedded default repository */
    const char **listen;    /* "ADDR:PORT" or "[ADDR]:PORT" */
    size_t listen_count;    /* 0: 127.0.0.1:5988 (5989 with TLS) */
    const char *tls_cert;   /* PEM files; both or neither */
    const char *tls_key;
    const char *passwd_file; /* NULL: no authentication */
    bool insecure;           /* allow a non-loopback listener without TLS and users */
    size_t max_body;         /* bytes; 0: 16 MB */
    unsigned threads;        /* 0: the number of processors */
    FILE *access_log;        /* NULL: stderr */
    const char *ready_file;  /* written with the bound ports once listening (tests) */
    unsigned provider_idle;  /* seconds before an idle provider host ends; 0: never */
} mid_config;

/* Runs until SIGTERM or SIGINT, then lets requests in flight finish. The exit code: 0, or
 * 1 with the reason on stderr when the server cannot start. */
int mid_serve(const mid_config *config);

#endif
