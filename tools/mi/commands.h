/*
 * commands — the subcommands of the mi tool and its exit codes.
 */
#ifndef MI_TOOL_COMMANDS_H
#define MI_TOOL_COMMANDS_H

#define MI_EXIT_OK 0     /* success */
#define MI_EXIT_FAILED 1 /* the operation failed: stderr names the MI_RESULT_* */
#define MI_EXIT_USAGE 2  /* bad arguments */

/* argv[0] is the subcommand name. */
int mi_command_compile(int argc, char **argv);

#endif
