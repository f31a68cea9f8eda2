/*
 * options — see options.h. One store implementation, two function tables. A handle's
 * reserved2 points at its store; a deleted handle is zeroed.
 */
#include "options.h"

#include "core/name.h"
#include "core/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct option {
    char *name;
    MI_Type type;
    MI_Value value;
    MI_Uint32 flags;
} option;

typedef struct credential {
    char *option_name;
    char *auth_type;
    char *domain;
    char *user;
    char *password;
    char *thumbprint;
    MI_Uint32 flags;
} credential;

typedef struct store {
    option *options;
    MI_Uint32 option_count;
    credential *credentials;
    MI_Uint32 credential_count;
    MI_Boolean must_understand;
} store;

static const MI_OperationOptionsFT operation_ft;
static const MI_DestinationOptionsFT destination_ft;

static store *store_of(const void *handle)
{
    const MI_OperationOptions *h = handle; /* both handle kinds share the layout */
    return (store *)h->reserved2;
}

static void credential_release(credential *c)
{
    free(c->option_name);
    free(c->auth_type);
    free(c->domain);
    free(c->user);
    if (c->password)
        memset(c->password, 0, strlen(c->password));
    free(c->password);
    free(c->thumbprint);
}

static void store_free(store *s)
{
    if (!s)
        return;
    for (MI_Uint32 i = 0; i < s->option_count; i++) {
        free(s->options[i].name);
        mi_value_release(&s->options[i].value, s->options[i].type);
    }
    free(s->options);
    for (MI_Uint32 i = 0; i < s->credential_count; i++)
        credential_release(&s->credentials[i]);
    free(s->credentials);
    free(s);
}

static option *find(const store *s, const MI_Char *name, MI_Uint32 *index)
{
    /* option lists are a handful of entries set once per operation: a scan is right */
    for (MI_Uint32 i = 0; name && i < s->option_count; i++) {
        if (mi_name_equal(s->options[i].name, name)) {
            if (index)
                *index = i;
            return &s->options[i];
        }
    }
    return NULL;
}

static MI_Result set_value(store *s, const MI_Char *name, MI_Type type, const MI_Value *value,
                           MI_Uint32 flags)
{
    if (!s || !name || !*name || !value || !mi_type_valid(type))
        return MI_RESULT_INVALID_PARAMETER;
    MI_Value copy;
    if (mi_value_copy(&copy, value, type) != MI_RESULT_OK)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    option *o = find(s, name, NULL);
    if (o) {
        mi_value_release(&o->value, o->type);
    } else {
        option *grown = realloc(s->options, (s->option_count + 1) * sizeof *grown);
        char *owned = strdup(name);
        if (grown)
            s->options = grown;
        if (!grown || !owned) {
            free(owned);
            mi_value_release(&copy, type);
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
        o = &s->options[s->option_count++];
        o->name = owned;
    }
    o->type = type;
    o->value = copy;
    o->flags = flags;
    return MI_RESULT_OK;
}

static MI_Result get_value(const store *s, const MI_Char *name, MI_Type want, MI_Value *value,
                           MI_Uint32 *index, MI_Uint32 *flags)
{
    if (!s || !name || !value)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Uint32 at;
    const option *o = find(s, name, &at);
    if (!o)
        return MI_RESULT_NOT_FOUND;
    if (o->type != want)
        return MI_RESULT_TYPE_MISMATCH;
    *value = o->value;
    if (index)
        *index = at;
    if (flags)
        *flags = o->flags;
    return MI_RESULT_OK;
}

/* ---- shared entry points, typed on the operation-options handle ---- */

static MI_Result op_set_string(MI_OperationOptions *h, const MI_Char *name, const MI_Char *text,
                               MI_Uint32 flags)
{
    if (!text)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Value v = {.string = (MI_Char *)text};
    return set_value(store_of(h), name, MI_STRING, &v, flags);
}

static MI_Result op_set_number(MI_OperationOptions *h, const MI_Char *name, MI_Uint32 number,
                               MI_Uint32 flags)
{
    MI_Value v = {.uint32 = number};
    if (name && mi_name_equal(name, MI_T("__MI_OPERATIONOPTIONS_CHANNEL"))) {
        /* one entry per channel (flags 1: enabled), as MI_OperationOptions_EnableChannel
         * and DisableChannel set them */
        char each[64];
        snprintf(each, sizeof each, "__MI_OPERATIONOPTIONS_CHANNEL:%u", number);
        return set_value(store_of(h), each, MI_UINT32, &v, flags);
    }
    return set_value(store_of(h), name, MI_UINT32, &v, flags);
}

static MI_Result op_set_custom(MI_OperationOptions *h, const MI_Char *name, MI_Type type,
                               const MI_Value *value, MI_Boolean must_comply, MI_Uint32 flags)
{
    (void)must_comply;
    return set_value(store_of(h), name, type, value, flags);
}

static MI_Result op_get_string(const MI_OperationOptions *h, const MI_Char *name,
                               const MI_Char **text, MI_Uint32 *index, MI_Uint32 *flags)
{
    MI_Value v;
    MI_Result r = get_value(store_of(h), name, MI_STRING, &v, index, flags);
    if (r == MI_RESULT_OK && text)
        *text = v.string;
    return text ? r : MI_RESULT_INVALID_PARAMETER;
}

static MI_Result op_get_number(const MI_OperationOptions *h, const MI_Char *name, MI_Uint32 *number,
                               MI_Uint32 *index, MI_Uint32 *flags)
{
    MI_Value v;
    MI_Result r = get_value(store_of(h), name, MI_UINT32, &v, index, flags);
    if (r == MI_RESULT_OK && number)
        *number = v.uint32;
    return number ? r : MI_RESULT_INVALID_PARAMETER;
}

static MI_Result op_get_count(const MI_OperationOptions *h, MI_Uint32 *count)
{
    if (!count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = store_of(h)->option_count;
    return MI_RESULT_OK;
}

static MI_Result op_get_at(const MI_OperationOptions *h, MI_Uint32 index, const MI_Char **name,
                           MI_Value *value, MI_Type *type, MI_Uint32 *flags)
{
    const store *s = store_of(h);
    if (index >= s->option_count)
        return MI_RESULT_NOT_FOUND;
    const option *o = &s->options[index];
    if (name)
        *name = o->name;
    if (value)
        *value = o->value;
    if (type)
        *type = o->type;
    if (flags)
        *flags = o->flags;
    return MI_RESULT_OK;
}

static MI_Result op_get(const MI_OperationOptions *h, const MI_Char *name, MI_Value *value,
                        MI_Type *type, MI_Uint32 *index, MI_Uint32 *flags)
{
    MI_Uint32 at;
    if (!name || !find(store_of(h), name, &at))
        return name ? MI_RESULT_NOT_FOUND : MI_RESULT_INVALID_PARAMETER;
    if (index)
        *index = at;
    return op_get_at(h, at, NULL, value, type, flags);
}

static MI_Result op_set_interval(MI_OperationOptions *h, const MI_Char *name,
                                 const MI_Interval *interval, MI_Uint32 flags)
{
    if (!interval)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Value v;
    memset(&v, 0, sizeof v);
    v.datetime.isTimestamp = MI_FALSE;
    v.datetime.u.interval = *interval;
    return set_value(store_of(h), name, MI_DATETIME, &v, flags);
}

static MI_Result op_get_interval(const MI_OperationOptions *h, const MI_Char *name,
                                 MI_Interval *interval, MI_Uint32 *index, MI_Uint32 *flags)
{
    MI_Value v;
    if (!interval)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Result r = get_value(store_of(h), name, MI_DATETIME, &v, index, flags);
    if (r == MI_RESULT_OK && v.datetime.isTimestamp)
        return MI_RESULT_TYPE_MISMATCH;
    if (r == MI_RESULT_OK)
        *interval = v.datetime.u.interval;
    return r;
}

/* The channels enabled under name (each an entry "name:channel" with flags 1); *count
 * tells how many there are even when channels holds fewer (then MI_RESULT_FAILED). */
static MI_Result op_get_channels(const MI_OperationOptions *h, const MI_Char *name,
                                 MI_Uint32 *channels, MI_Uint32 length, MI_Uint32 *count,
                                 MI_Uint32 *flags)
{
    const store *s = store_of(h);
    if (!s || !name || !count)
        return MI_RESULT_INVALID_PARAMETER;
    size_t prefix = strlen(name);
    MI_Uint32 found = 0;
    for (MI_Uint32 i = 0; i < s->option_count; i++) {
        const option *o = &s->options[i];
        if (strncasecmp(o->name, name, prefix) != 0 || o->name[prefix] != ':' ||
            o->type != MI_UINT32 || !(o->flags & 1))
            continue;
        if (channels && found < length)
            channels[found] = o->value.uint32;
        found++;
    }
    *count = found;
    if (flags)
        *flags = 0;
    return found > length && (channels || length) ? MI_RESULT_FAILED : MI_RESULT_OK;
}

static store *store_clone(const store *s)
{
    store *copy = calloc(1, sizeof *copy);
    if (!copy)
        return NULL;
    copy->must_understand = s->must_understand;
    for (MI_Uint32 i = 0; i < s->option_count; i++) {
        const option *o = &s->options[i];
        if (set_value(copy, o->name, o->type, &o->value, o->flags) != MI_RESULT_OK) {
            store_free(copy);
            return NULL;
        }
    }
    if (s->credential_count) {
        copy->credentials = calloc(s->credential_count, sizeof *copy->credentials);
        if (!copy->credentials) {
            store_free(copy);
            return NULL;
        }
        for (MI_Uint32 i = 0; i < s->credential_count; i++) {
            const credential *c = &s->credentials[i];
            credential *d = &copy->credentials[copy->credential_count++];
            const char *src[] = {c->option_name, c->auth_type, c->domain,
                                 c->user,        c->password,  c->thumbprint};
            char **dst[] = {&d->option_name, &d->auth_type, &d->domain,
                            &d->user,        &d->password,  &d->thumbprint};
            d->flags = c->flags;
            for (int j = 0; j < 6; j++) {
                if (src[j] && !(*dst[j] = strdup(src[j]))) {
                    store_free(copy);
                    return NULL;
                }
            }
        }
    }
    return copy;
}

static void op_delete(MI_OperationOptions *h)
{
    store_free(store_of(h));
    memset(h, 0, sizeof *h);
}

static MI_Result op_clone(const MI_OperationOptions *h, MI_OperationOptions *out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    store *copy = store_clone(store_of(h));
    if (!copy)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    out->reserved1 = 0;
    out->reserved2 = (ptrdiff_t)copy;
    out->ft = &operation_ft;
    return MI_RESULT_OK;
}

static const MI_OperationOptionsFT operation_ft = {
    op_delete,     op_set_string,   op_set_number,   op_set_custom, op_get_string,
    op_get_number, op_get_count,    op_get_at,       op_get,        op_get_channels,
    op_clone,      op_set_interval, op_get_interval,
};

MI_Result mi_operation_options_new(MI_Boolean must_understand, MI_OperationOptions *out)
{
    store *s = calloc(1, sizeof *s);
    if (!s)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    s->must_understand = must_understand;
    out->reserved1 = 0;
    out->reserved2 = (ptrdiff_t)s;
    out->ft = &operation_ft;
    return MI_RESULT_OK;
}

MI_Uint64 mi_operation_options_timeout_usec(const MI_OperationOptions *options)
{
    MI_Interval t;
    if (!options || !options->ft || MI_OperationOptions_GetTimeout(options, &t) != MI_RESULT_OK)
        return 0;
    return ((((MI_Uint64)t.days * 24 + t.hours) * 60 + t.minutes) * 60 + t.seconds) * 1000000 +
           t.microseconds;
}

/* ---- destination options: the same store, plus credentials ---- */

#define AS_OP(h) ((MI_OperationOptions *)(void *)(h))
#define AS_CONST_OP(h) ((const MI_OperationOptions *)(const void *)(h))

static void dest_delete(MI_DestinationOptions *h)
{
    store_free(store_of(h));
    memset(h, 0, sizeof *h);
}

static MI_Result dest_set_string(MI_DestinationOptions *h, const MI_Char *name, const MI_Char *text,
                                 MI_Uint32 flags)
{
    return op_set_string(AS_OP(h), name, text, flags);
}

static MI_Result dest_set_number(MI_DestinationOptions *h, const MI_Char *name, MI_Uint32 number,
                                 MI_Uint32 flags)
{
    return op_set_number(AS_OP(h), name, number, flags);
}

static MI_Result dest_add_credentials(MI_DestinationOptions *h, const MI_Char *name,
                                      const MI_UserCredentials *creds, MI_Uint32 flags)
{
    store *s = store_of(h);
    if (!name || !creds || !creds->authenticationType)
        return MI_RESULT_INVALID_PARAMETER;
    credential *grown = realloc(s->credentials, (s->credential_count + 1) * sizeof *grown);
    if (!grown)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    s->credentials = grown;
    credential c = {.flags = flags};
    bool certificate = strcmp(creds->authenticationType, MI_AUTH_TYPE_CLIENT_CERTS) == 0 ||
                       strcmp(creds->authenticationType, MI_AUTH_TYPE_ISSUER_CERT) == 0;
    const MI_UsernamePasswordCreds *up = &creds->credentials.usernamePassword;
    const char *src[] = {name,
                         creds->authenticationType,
                         certificate ? NULL : up->domain,
                         certificate ? NULL : up->username,
                         certificate ? NULL : up->password,
                         certificate ? creds->credentials.certificateThumbprint : NULL};
    char **dst[] = {&c.option_name, &c.auth_type, &c.domain, &c.user, &c.password, &c.thumbprint};
    for (int i = 0; i < 6; i++) {
        if (src[i] && !(*dst[i] = strdup(src[i]))) {
            credential_release(&c);
            return MI_RESULT_SERVER_LIMITS_EXCEEDED;
        }
    }
    s->credentials[s->credential_count++] = c;
    return MI_RESULT_OK;
}

static MI_Result dest_get_string(const MI_DestinationOptions *h, const MI_Char *name,
                                 const MI_Char **text, MI_Uint32 *index, MI_Uint32 *flags)
{
    return op_get_string(AS_CONST_OP(h), name, text, index, flags);
}

static MI_Result dest_get_number(const MI_DestinationOptions *h, const MI_Char *name,
                                 MI_Uint32 *number, MI_Uint32 *index, MI_Uint32 *flags)
{
    return op_get_number(AS_CONST_OP(h), name, number, index, flags);
}

static MI_Result dest_get_count(const MI_DestinationOptions *h, MI_Uint32 *count)
{
    return op_get_count(AS_CONST_OP(h), count);
}

static MI_Result dest_get_at(const MI_DestinationOptions *h, MI_Uint32 index, const MI_Char **name,
                             MI_Value *value, MI_Type *type, MI_Uint32 *flags)
{
    return op_get_at(AS_CONST_OP(h), index, name, value, type, flags);
}

static MI_Result dest_get(const MI_DestinationOptions *h, const MI_Char *name, MI_Value *value,
                          MI_Type *type, MI_Uint32 *index, MI_Uint32 *flags)
{
    return op_get(AS_CONST_OP(h), name, value, type, index, flags);
}

static MI_Result dest_get_credentials_count(const MI_DestinationOptions *h, MI_Uint32 *count)
{
    if (!count)
        return MI_RESULT_INVALID_PARAMETER;
    *count = store_of(h)->credential_count;
    return MI_RESULT_OK;
}

static MI_Result dest_get_credentials_at(const MI_DestinationOptions *h, MI_Uint32 index,
                                         const MI_Char **name, MI_UserCredentials *creds,
                                         MI_Uint32 *flags)
{
    const store *s = store_of(h);
    if (index >= s->credential_count)
        return MI_RESULT_NOT_FOUND;
    const credential *c = &s->credentials[index];
    if (name)
        *name = c->option_name;
    if (creds) {
        memset(creds, 0, sizeof *creds);
        creds->authenticationType = c->auth_type;
        if (c->thumbprint) {
            creds->credentials.certificateThumbprint = c->thumbprint;
        } else {
            creds->credentials.usernamePassword.domain = c->domain;
            creds->credentials.usernamePassword.username = c->user;
            creds->credentials.usernamePassword.password = "******";
        }
    }
    if (flags)
        *flags = c->flags;
    return MI_RESULT_OK;
}

static MI_Result dest_get_password_at(const MI_DestinationOptions *h, MI_Uint32 index,
                                      const MI_Char **name, MI_Char *password, MI_Uint32 length,
                                      MI_Uint32 *needed, MI_Uint32 *flags)
{
    const store *s = store_of(h);
    if (!needed)
        return MI_RESULT_INVALID_PARAMETER;
    if (index >= s->credential_count)
        return MI_RESULT_NOT_FOUND;
    const credential *c = &s->credentials[index];
    const char *secret = c->password ? c->password : "";
    *needed = (MI_Uint32)strlen(secret) + 1;
    if (name)
        *name = c->option_name;
    if (flags)
        *flags = c->flags;
    if (!password || length < *needed)
        return MI_RESULT_FAILED;
    memcpy(password, secret, *needed);
    return MI_RESULT_OK;
}

static MI_Result dest_clone(const MI_DestinationOptions *h, MI_DestinationOptions *out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    store *copy = store_clone(store_of(h));
    if (!copy)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    out->reserved1 = 0;
    out->reserved2 = (ptrdiff_t)copy;
    out->ft = &destination_ft;
    return MI_RESULT_OK;
}

static MI_Result dest_set_interval(MI_DestinationOptions *h, const MI_Char *name,
                                   const MI_Interval *interval, MI_Uint32 flags)
{
    return op_set_interval(AS_OP(h), name, interval, flags);
}

static MI_Result dest_get_interval(const MI_DestinationOptions *h, const MI_Char *name,
                                   MI_Interval *interval, MI_Uint32 *index, MI_Uint32 *flags)
{
    return op_get_interval(AS_CONST_OP(h), name, interval, index, flags);
}

static const MI_DestinationOptionsFT destination_ft = {
    dest_delete,
    dest_set_string,
    dest_set_number,
    dest_add_credentials,
    dest_get_string,
    dest_get_number,
    dest_get_count,
    dest_get_at,
    dest_get,
    dest_get_credentials_count,
    dest_get_credentials_at,
    dest_get_password_at,
    dest_clone,
    dest_set_interval,
    dest_get_interval,
};

MI_Result mi_destination_options_new(MI_DestinationOptions *out)
{
    store *s = calloc(1, sizeof *s);
    if (!s)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    out->reserved1 = 0;
    out->reserved2 = (ptrdiff_t)s;
    out->ft = &destination_ft;
    return MI_RESULT_OK;
}

/* ---- subscription delivery options (kept for MI_Session_Subscribe) ---- */

static MI_Result sub_set_string(MI_SubscriptionDeliveryOptions *h, const MI_Char *name,
                                const MI_Char *text, MI_Uint32 flags)
{
    return op_set_string((MI_OperationOptions *)h, name, text, flags);
}

static MI_Result sub_set_number(MI_SubscriptionDeliveryOptions *h, const MI_Char *name,
                                MI_Uint32 number, MI_Uint32 flags)
{
    MI_Value v = {.uint32 = number};
    return set_value(store_of(h), name, MI_UINT32, &v, flags);
}

static MI_Result sub_set_datetime(MI_SubscriptionDeliveryOptions *h, const MI_Char *name,
                                  const MI_Datetime *value, MI_Uint32 flags)
{
    if (!value)
        return MI_RESULT_INVALID_PARAMETER;
    MI_Value v = {.datetime = *value};
    return set_value(store_of(h), name, MI_DATETIME, &v, flags);
}

static MI_Result sub_set_interval(MI_SubscriptionDeliveryOptions *h, const MI_Char *name,
                                  const MI_Interval *value, MI_Uint32 flags)
{
    return op_set_interval((MI_OperationOptions *)h, name, value, flags);
}

static MI_Result sub_add_credentials(MI_SubscriptionDeliveryOptions *h, const MI_Char *name,
                                     const MI_UserCredentials *credentials, MI_Uint32 flags)
{
    return dest_add_credentials((MI_DestinationOptions *)h, name, credentials, flags);
}

static MI_Result sub_delete(MI_SubscriptionDeliveryOptions *h)
{
    store_free(store_of(h));
    memset(h, 0, sizeof *h);
    return MI_RESULT_OK;
}

static const MI_SubscriptionDeliveryOptionsFT subscription_ft = {
    sub_set_string,   sub_set_number,      sub_set_datetime,
    sub_set_interval, sub_add_credentials, sub_delete,
};

MI_Result mi_subscription_options_new(MI_SubscriptionDeliveryType type,
                                      MI_SubscriptionDeliveryOptions *out)
{
    if (!out)
        return MI_RESULT_INVALID_PARAMETER;
    memset(out, 0, sizeof *out);
    if (type != MI_SubscriptionDeliveryType_Pull && type != MI_SubscriptionDeliveryType_Push)
        return MI_RESULT_INVALID_PARAMETER;
    store *s = calloc(1, sizeof *s);
    if (!s)
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    MI_Value v = {.uint32 = (MI_Uint32)type};
    if (set_value(s, MI_T("__MI_SUBSCRIPTIONDELIVERYOPTIONS_TYPE"), MI_UINT32, &v, 0) !=
        MI_RESULT_OK) {
        store_free(s);
        return MI_RESULT_SERVER_LIMITS_EXCEEDED;
    }
    out->reserved2 = (ptrdiff_t)s;
    out->ft = &subscription_ft;
    return MI_RESULT_OK;
}
