/*
 * mi-host — the host process of one provider module, started by mid for each module
 * it runs isolated: mi-host [--idle SECONDS] [--repository PATH] MODULE, with its control
 * socket as descriptor 3 (the repository: where its providers' local sessions read). Not
 * for running by hand.
 */
#include "provider/host_process.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    unsigned long idle = 0;
    const char *repository = NULL;
    bool bad = false;
    int i = 1;
    for (; i + 1 < argc && !bad && !strncmp(argv[i], "--", 2); i += 2) {
        char *end = NULL;
        if (!strcmp(argv[i], "--idle")) {
            idle = strtoul(argv[i + 1], &end, 10);
            bad = *end || idle > 86400;
        } else if (!strcmp(argv[i], "--repository")) {
            repository = argv[i + 1];
        } else {
            bad = true;
        }
    }
    if (bad || i != argc - 1 || fcntl(3, F_GETFD) < 0) {
        fprintf(stderr, "mi-host: started by mid for one provider module: mi-host [--idle "
                        "SECONDS] [--repository PATH] MODULE, with its control socket as "
                        "descriptor 3\n");
        return 2;
    }
    return mi_provider_host_process_run(3, argv[i], (unsigned)idle, repository);
}
