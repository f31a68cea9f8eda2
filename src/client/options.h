/*
 * options — the option stores behind MI_OperationOptions and MI_DestinationOptions:
 * named values (strings, numbers, intervals, custom typed values) and credentials; the
 * subscription delivery options keep theirs in the same kind of store.
 */
#ifndef MI_CLIENT_OPTIONS_H
#define MI_CLIENT_OPTIONS_H

#include <mi.h>

MI_Result mi_operation_options_new(MI_Boolean must_understand, MI_OperationOptions *out);
MI_Result mi_destination_options_new(MI_DestinationOptions *out);
/* Subscription delivery options of the type given (pull or push). */
MI_Result mi_subscription_options_new(MI_SubscriptionDeliveryType type,
                                      MI_SubscriptionDeliveryOptions *out);

/* The operation timeout in microseconds, or 0 when none is set (or options is NULL). */
MI_Uint64 mi_operation_options_timeout_usec(const MI_OperationOptions *options);

#endif
