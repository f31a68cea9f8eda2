/*
 * secret — a password read from the terminal without echo, for the command-line tools.
 */
#ifndef MI_TOOLS_SECRET_H
#define MI_TOOLS_SECRET_H

/* Shows prompt on the terminal and reads one line with echo off: the line without its
 * end (the caller frees it), or NULL without a terminal. */
char *mi_tool_ask_secret(const char *prompt);

#endif
