/*
 * mi-host — the host process of one provider module, started by mid for each module
 * it runs isolated: mi-host [--idle SECONDS] MODULE, with its control socket as
 * descriptor 3. Not for running by hand.
 */
#include "provider/host_process.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    unsigned long idle = 0;
    char *end = NULL;
    if (argc == 4 && !strcmp(argv[1], "--idle")) {
        idle = strtoul(argv[2], &end, 10);
        argv += 2, argc -= 2;
    }
    if (argc != 2 || (end && *end) || idle > 86400 || fcntl(3, F_GETFD) < 0) {
        fprintf(stderr, "mi-host: started by mid for one provider module: mi-host [--idle "
                        "SECONDS] MODULE, with its control socket as descriptor 3\n");
        return 2;
    }
    return mi_provider_host_process_run(3, argv[1], (unsigned)idle);
}
