/*
 * secret — see secret.h.
 */
#define _DEFAULT_SOURCE

#include "secret.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

char *mi_tool_ask_secret(const char *prompt)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return NULL;
    struct termios old, quiet;
    bool echo_off = tcgetattr(fileno(tty), &old) == 0;
    if (echo_off) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    fputs(prompt, tty);
    fflush(tty);
    char line[512];
    char *got = fgets(line, sizeof line, tty) ? strdup(line) : NULL;
    if (echo_off)
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputs("\n", tty);
    fclose(tty);
    if (got)
        got[strcspn(got, "\r\n")] = '\0';
    explicit_bzero(line, sizeof line);
    return got;
}
