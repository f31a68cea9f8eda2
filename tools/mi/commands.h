/*
 * commands — the subcommands of the mi tool. Each takes argv with argv[0] its own name
 * and returns the tool's exit code (cli.h).
 */
#ifndef MI_TOOL_COMMANDS_H
#define MI_TOOL_COMMANDS_H

#include "cli.h"

int mi_command_associators(int argc, char **argv);
int mi_command_references(int argc, char **argv);
int mi_command_get(int argc, char **argv);
int mi_command_enumerate(int argc, char **argv);
int mi_command_create(int argc, char **argv);
int mi_command_modify(int argc, char **argv);
int mi_command_delete(int argc, char **argv);
int mi_command_invoke(int argc, char **argv);
int mi_command_query(int argc, char **argv);
int mi_command_class(int argc, char **argv);
int mi_command_classes(int argc, char **argv);
int mi_command_compile(int argc, char **argv);
int mi_command_graph(int argc, char **argv);
int mi_command_provider(int argc, char **argv);

/* "uint16", "string[]", ... */
const char *mi_tool_type_name(MI_Type type);

#endif
