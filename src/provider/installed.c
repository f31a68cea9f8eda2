/*
 * installed — where the files of this installation are (host.h): found from where the
 * library (or the program it is linked into) is, so a build tree and any install prefix
 * work alike.
 */
#define _GNU_SOURCE /* dladdr */
#include "host.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool mi_provider_find_installed(const char *relative, char *out, size_t size)
{
    Dl_info info;
    if (!dladdr((void *)mi_provider_find_installed, &info) || !info.dli_fname)
        return false;
    char here[4096];
    snprintf(here, sizeof here, "%s", info.dli_fname);
    char *slash = strrchr(here, '/');
    if (!slash)
        return false;
    *slash = '\0';
    static const char *const beside[] = {"/", "/../", "/../" LIBMI_INSTALL_LIBDIR "/"};
    for (size_t i = 0; i < sizeof beside / sizeof *beside; i++) {
        snprintf(out, size, "%s%s%s", here, beside[i], relative);
        if (access(out, R_OK) == 0)
            return true;
    }
    return false;
}
