/*
 * wsman_calls — one WS-Management request answered: the envelope's headers checked
 * (addressing, mustUnderstand, MaxEnvelopeSize, OperationTimeout, Locale, OptionSet),
 * its action run on the engine (Identify, Get, Put, Create, Delete, Enumerate with the
 * association, WQL/CQL and selector filters, Pull, Release, methods), and the answer or
 * the SOAP fault written whole: every page of an enumeration is bounded by MaxElements
 * and MaxEnvelopeSize, so nothing larger is ever held.
 */
#ifndef MI_SERVER_WSMAN_CALLS_H
#define MI_SERVER_WSMAN_CALLS_H

#include "binding.h"
#include "wsman/soap.h"

/* Answers the envelope (root of a parsed message; the reader holding it is freed by the
 * caller afterwards). NULL only when memory ran out. */
mid_reply *mid_wsman_call(const mid_env *env, const soap_node *envelope, mid_log_fields *log);

/* A fault answering a message that could not be read (fault: the reader's). */
mid_reply *mid_wsman_unreadable(soap_fault fault, const char *message);

/* Frees an enumeration kept between pulls. */
void mid_wsman_pull_free(void *state);

#endif
