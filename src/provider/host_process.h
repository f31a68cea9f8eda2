/*
 * host_process — the provider host process's side of isolation (isolated.h is mid's).
 *
 * The host serves one module. On start it opens the module and sends its classes on the
 * control socket (superclasses first, as CLASS frames, then READY; a module that fails
 * to open gets a RESULT frame with the reason instead). Then each operation arrives as a
 * socket of its own, passed over the control socket (SCM_RIGHTS): one REQUEST frame in,
 * INSTANCE frames and a RESULT frame out. Results are written as the provider posts
 * them; a reader that falls behind fills the socket, which holds the provider back. A
 * reader that closes its socket cancels the operation. The host exits when the control
 * socket closes, and with status 0 after idle_seconds (0: never) without an operation,
 * its module unloaded first: mid then starts a new host for the next operation.
 */
#ifndef MI_PROVIDER_HOST_PROCESS_H
#define MI_PROVIDER_HOST_PROCESS_H

/* The REQUEST frame: uint8 operation, uint8 flags, uint64 deadline (CLOCK_MONOTONIC
 * microseconds; 0: none), string namespace, string class, bytes instance (empty: none);
 * for ASSOCIATORS and REFERENCES (class: the association, instance: the source) then
 * strings result class, role and result role (each may be NULL); for INVOKE (instance:
 * the target, none for a static method) then string method and bytes input parameters
 * (empty: none), and the answer is one INSTANCE frame, the output parameters (or none),
 * then the RESULT. */
typedef enum mi_host_operation {
    MI_HOST_ENUMERATE = 1,
    MI_HOST_GET = 2,
    MI_HOST_CREATE = 3,
    MI_HOST_MODIFY = 4,
    MI_HOST_DELETE = 5,
    MI_HOST_ASSOCIATORS = 6,
    MI_HOST_REFERENCES = 7,
    MI_HOST_INVOKE = 8,
} mi_host_operation;

enum { MI_HOST_DEEP = 1, MI_HOST_KEYS_ONLY = 2 };

/* Serves module_path over control_fd until it closes or the host is idle; the process's
 * exit status. repository (may be NULL): what the providers' local sessions open, a
 * session of this process on it (the modules it needs run here, in-process). */
int mi_provider_host_process_run(int control_fd, const char *module_path, unsigned idle_seconds,
                                 const char *repository);

#endif
