/*
 * mi-host — the host process of one provider module, started by mid for each module
 * it runs isolated: mi-host MODULE, with its control socket as descriptor 3. Not for
 * running by hand.
 */
#include "provider/host_process.h"

#include <fcntl.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2 || fcntl(3, F_GETFD) < 0) {
        fprintf(stderr, "mi-host: started by mid for one provider module: mi-host MODULE, with "
                        "its control socket as descriptor 3\n");
        return 2;
    }
    return mi_provider_host_process_run(3, argv[1]);
}
