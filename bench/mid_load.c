/*
 * mid_load — a CIM-XML or WS-Management load generator: N clients, each with its own
 * keep-alive connection, post one request over and over for S seconds and check every
 * reply (HTTP 200, no ERROR element or SOAP fault, and, when asked, exactly K results).
 *
 *   build/bench/mid_load --url http://127.0.0.1:5988/cimom --method AssociatorNames
 *       --body request.xml [--user u:p] [--clients N] [--seconds S] [--results K]
 *       [--result-tag TAG] [--vary N]
 *
 * With --method WS-Man the body is a SOAP envelope POSTed as application/soap+xml, and
 * results are counted by the namespace declaration each WS-CIM instance carries.
 *
 * With --vary N, each request replaces @N@ in the body by a random number below N (to
 * ask about a different object each time).
 *
 * Prints the requests, the errors, requests per second and the median latency; exits 1
 * when any request failed.
 */
#define _GNU_SOURCE

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct options {
    const char *url, *method, *user, *result_tag;
    char *body;
    long body_len;
    int clients;
    double seconds;
    long results; /* -1: not checked */
    long vary;    /* > 0: @N@ in the body becomes a random number below it */
} options;

typedef struct client {
    const options *o;
    long requests, errors;
    double *latencies;
    size_t latency_count, latency_cap;
    char first_error[256];
    /* the reply being received */
    char *reply;
    size_t reply_len, reply_cap;
} client;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t on_data(char *data, size_t size, size_t count, void *context)
{
    client *c = context;
    size_t n = size * count;
    if (c->reply_len + n + 1 > c->reply_cap) {
        size_t cap = c->reply_cap ? c->reply_cap * 2 : 65536;
        while (cap < c->reply_len + n + 1)
            cap *= 2;
        char *grown = realloc(c->reply, cap);
        if (!grown)
            return 0;
        c->reply = grown;
        c->reply_cap = cap;
    }
    memcpy(c->reply + c->reply_len, data, n);
    c->reply_len += n;
    c->reply[c->reply_len] = '\0';
    return n;
}

static long count_of(const char *text, const char *tag)
{
    long n = 0;
    for (const char *p = text; (p = strstr(p, tag)) != NULL; p += strlen(tag))
        n++;
    return n;
}

static void note_error(client *c, const char *what)
{
    c->errors++;
    if (!c->first_error[0])
        snprintf(c->first_error, sizeof c->first_error, "%s", what);
}

static void *run(void *arg)
{
    client *c = arg;
    const options *o = c->o;
    CURL *curl = curl_easy_init();
    if (!curl) {
        note_error(c, "curl_easy_init failed");
        return NULL;
    }
    struct curl_slist *headers = NULL;
    char method_header[128];
    snprintf(method_header, sizeof method_header, "CIMMethod: %s", o->method);
    bool wsman = !strcmp(o->method, "WS-Man");
    if (wsman) {
        headers = curl_slist_append(headers, "Content-Type: application/soap+xml;charset=UTF-8");
    } else {
        headers = curl_slist_append(headers, "Content-Type: application/xml; charset=\"utf-8\"");
        headers = curl_slist_append(headers, "CIMProtocolVersion: 1.0");
        headers = curl_slist_append(headers, "CIMOperation: MethodCall");
        headers = curl_slist_append(headers, method_header);
    }
    curl_easy_setopt(curl, CURLOPT_URL, o->url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    char *body = malloc((size_t)o->body_len + 32);
    const char *mark = strstr(o->body, "@N@");
    unsigned seed = (unsigned)(uintptr_t)c;
    if (!body) {
        note_error(c, "out of memory");
        return NULL;
    }
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    if (o->user) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERPWD, o->user);
    }
    double end = now() + o->seconds;
    while (now() < end) {
        c->reply_len = 0;
        if (o->vary > 0 && mark) {
            size_t head = (size_t)(mark - o->body);
            memcpy(body, o->body, head);
            int n = sprintf(body + head, "%ld", (long)(rand_r(&seed) % o->vary));
            strcpy(body + head + (size_t)n, mark + 3);
        } else {
            memcpy(body, o->body, (size_t)o->body_len + 1);
        }
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        double start = now();
        CURLcode rc = curl_easy_perform(curl);
        double took = now() - start;
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        c->requests++;
        if (rc != CURLE_OK) {
            note_error(c, curl_easy_strerror(rc));
            continue;
        }
        if (status != 200) {
            char what[64];
            snprintf(what, sizeof what, "HTTP status %ld", status);
            note_error(c, what);
            continue;
        }
        if (!c->reply || strstr(c->reply, "<ERROR") || strstr(c->reply, ":Fault>")) {
            note_error(c, c->reply ? c->reply : "an empty reply");
            continue;
        }
        if (o->results >= 0 && count_of(c->reply, o->result_tag) != o->results) {
            char what[96];
            snprintf(what, sizeof what, "%ld results, not %ld", count_of(c->reply, o->result_tag),
                     o->results);
            note_error(c, what);
            continue;
        }
        if (c->latency_count == c->latency_cap) {
            size_t cap = c->latency_cap ? c->latency_cap * 2 : 4096;
            double *grown = realloc(c->latencies, cap * sizeof *grown);
            if (!grown)
                continue;
            c->latencies = grown;
            c->latency_cap = cap;
        }
        c->latencies[c->latency_count++] = took;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    free(body);
    return NULL;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char *read_file(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)*len + 1);
    if (data && fread(data, 1, (size_t)*len, f) != (size_t)*len) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data)
        data[*len] = '\0';
    return data;
}

int main(int argc, char **argv)
{
    options o = {0};
    o.clients = 1;
    o.seconds = 5;
    o.results = -1;
    o.method = "AssociatorNames";
    const char *body_file = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (!strcmp(a, "--url"))
            o.url = v;
        else if (!strcmp(a, "--method"))
            o.method = v;
        else if (!strcmp(a, "--user"))
            o.user = v;
        else if (!strcmp(a, "--body"))
            body_file = v;
        else if (!strcmp(a, "--clients"))
            o.clients = atoi(v);
        else if (!strcmp(a, "--seconds"))
            o.seconds = atof(v);
        else if (!strcmp(a, "--results"))
            o.results = atol(v);
        else if (!strcmp(a, "--result-tag"))
            o.result_tag = v;
        else if (!strcmp(a, "--vary"))
            o.vary = atol(v);
        else {
            fprintf(stderr, "mid_load: unknown option %s\n", a);
            return 2;
        }
    }
    if (!o.url || !body_file || o.clients < 1 || o.clients > 1024 || !(o.seconds > 0)) {
        fprintf(stderr,
                "usage: %s --url URL --body FILE [--method M] [--user u:p] "
                "[--clients N] [--seconds S] [--results K] [--result-tag TAG]\n",
                argv[0]);
        return 2;
    }
    if (!o.result_tag)
        o.result_tag = !strcmp(o.method, "WS-Man") ? " xmlns:p="
                       : strstr(o.method, "Names") ? "<OBJECTPATH>"
                                                   : "<VALUE.OBJECTWITHPATH>";
    if (!(o.body = read_file(body_file, &o.body_len))) {
        perror(body_file);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    client *clients = calloc((size_t)o.clients, sizeof *clients);
    pthread_t *threads = calloc((size_t)o.clients, sizeof *threads);
    if (!clients || !threads)
        return 1;
    double start = now();
    for (int i = 0; i < o.clients; i++) {
        clients[i].o = &o;
        pthread_create(&threads[i], NULL, run, &clients[i]);
    }
    long requests = 0, errors = 0;
    size_t ok = 0;
    const char *first_error = NULL;
    for (int i = 0; i < o.clients; i++) {
        pthread_join(threads[i], NULL);
        requests += clients[i].requests;
        errors += clients[i].errors;
        ok += clients[i].latency_count;
        if (!first_error && clients[i].first_error[0])
            first_error = clients[i].first_error;
    }
    double elapsed = now() - start;
    double *all = malloc((ok ? ok : 1) * sizeof *all);
    size_t at = 0;
    for (int i = 0; all && i < o.clients; i++) {
        memcpy(all + at, clients[i].latencies, clients[i].latency_count * sizeof *all);
        at += clients[i].latency_count;
    }
    if (all && ok)
        qsort(all, ok, sizeof *all, compare);
    printf("%s: %d client%s, %.1f s: %ld requests, %ld errors, %.0f requests/s, median %.3f ms\n",
           o.method, o.clients, o.clients == 1 ? "" : "s", elapsed, requests, errors,
           (double)requests / elapsed, ok && all ? all[ok / 2] * 1e3 : 0.0);
    if (first_error)
        printf("first error: %.200s\n", first_error);
    for (int i = 0; i < o.clients; i++) {
        free(clients[i].latencies);
        free(clients[i].reply);
    }
    free(all);
    free(clients);
    free(threads);
    free(o.body);
    curl_global_cleanup();
    return errors ? 1 : 0;
}
