/*
 * machine — what the Linux provider's class files share: posting instances (with the
 * GetInstance key filter and keys-only) and the keys of the instances others point at.
 * Symbols stay inside the module (hidden visibility); only MI_Main is exported.
 */
#ifndef LIBMI_LINUX_MACHINE_H
#define LIBMI_LINUX_MACHINE_H

#include <mi.h>
#include <stddef.h>
#include <time.h>

/* AssociatorInstances: the association instances listed are not posted; the objects
 * at their far ends are, for those that join `source`. ReferenceInstances (references):
 * those association instances are, and nothing else. */
typedef struct traversal {
    const MI_Instance *source;
    const char *role, *result_role, *result_class; /* NULL: any */
    int references;
} traversal;

typedef struct post {
    MI_Context *context;
    const MI_Instance *want; /* GetInstance: only the instance with these keys */
    MI_Boolean keys_only;
    MI_Result result;
    const traversal *via; /* AssociatorInstances */
} post;

void set_string(MI_Instance *inst, const char *name, const char *value);
void set_uint8(MI_Instance *inst, const char *name, MI_Uint8 value);
void set_uint16(MI_Instance *inst, const char *name, MI_Uint16 value);
void set_uint32(MI_Instance *inst, const char *name, MI_Uint32 value);
void set_uint64(MI_Instance *inst, const char *name, MI_Uint64 value);
void set_time(MI_Instance *inst, const char *name, time_t when);
void set_reference(MI_Instance *inst, const char *name, MI_Instance *ref);

/* A new instance of a class of the schema (NULL, and p->result set, when none). */
MI_Instance *new_instance(post *p, const char *class_name);
/* Whether the key `name` of the instance asked for (if any) is text. */
int wanted(const post *p, const char *name, const char *text);
/* Posts inst (unless the operation is over; under a traversal, the objects it joins the
 * source to) and deletes it. */
void post_instance(post *p, MI_Instance *inst);
/* Under a traversal: whether the association end near_role holding near is the source
 * (and the Role allows it), and whether the other end, far_role of class far_class, is
 * a result the filters allow. */
int traversal_from(const post *p, const char *near_role, const MI_Instance *near);
int traversal_to(const post *p, const char *far_role, const char *far_class);
/* Under a traversal from the computer system along near_role → far_role to objects of
 * far_class: posts them all by each (a class's list, not under the traversal) and
 * answers 1; 0 when the traversal is not that. One listing instead of a get per object. */
int from_system(post *p, const char *near_role, const char *far_role, const char *far_class,
                void (*each)(post *));
/* The first line of a file, without its newline; 0 when unreadable. */
int read_line(const char *path, char *out, size_t size);

const char *host_name(void);
/* Keys of the computer system, and of a logical device of it. */
MI_Instance *system_keys(post *p);
MI_Instance *device_keys(post *p, const char *class_name, const char *id);
/* An association instance of class_name joining a (role a_role) and b (role b_role);
 * posts it and deletes a and b. */
void send_association(post *p, const char *class_name, const char *a_role, MI_Instance *a,
                      const char *b_role, MI_Instance *b);

/* The kB value of field in /proc/meminfo; 0 when absent. */
unsigned long long meminfo_kb(const char *field);

/* Disk drives, block devices and their partitions, file systems (storage.c). */
void disks(post *p);
void disk_devices(post *p); /* their Libmi_SystemDevice instances */
void extents(post *p);      /* whole block devices with a medium */
void partitions(post *p);
void extent_devices(post *p); /* the extents' and partitions' Libmi_SystemDevice */
void media_present(post *p);
void based_on(post *p);
void file_systems(post *p);
void hosted_file_systems(post *p);
void resides_on_extent(post *p);

/* Processors, memory and IP endpoints (devices.c), installed software (software.c). */
void processors(post *p);
void processor_devices(post *p); /* their Libmi_SystemDevice instances */
void memories(post *p);          /* the machine's memory, one device */
void memory_devices(post *p);
void ip_endpoints(post *p);
void hosted_access_points(post *p);
void port_endpoints(post *p);
void software(post *p);
void installed_software(post *p);

#endif
