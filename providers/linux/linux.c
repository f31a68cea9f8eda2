/*
 * The Linux provider: this machine as CIM instances, computed on every request from
 * what the kernel and the system publish (no root needed):
 *
 *   Libmi_ComputerSystem    the host (gethostname; UUID from /sys/class/dmi when readable)
 *   Libmi_OperatingSystem   /etc/os-release, uname, boot time (/proc/stat), /proc/meminfo
 *   Libmi_DiskDrive         /sys/block entries backed by a device (storage.c)
 *   Libmi_StorageExtent     block devices with a medium (/proc/partitions); their
 *   Libmi_DiskPartition     partitions (storage.c)
 *   Libmi_FileSystem        /proc/self/mountinfo, statvfs (storage.c)
 *   Libmi_NetworkPort       /sys/class/net
 *   Libmi_Process           /proc/<pid> (the key is the pid: it holds while the process lives)
 *   Libmi_Processor         /sys/devices/system/cpu, /proc/cpuinfo (devices.c)
 *   Libmi_IPProtocolEndpoint  getifaddrs (devices.c)
 *   Libmi_SoftwareIdentity  the dpkg database (software.c)
 *   and the associations joining them: Libmi_SystemDevice, Libmi_HostedFileSystem,
 *   Libmi_InstalledOS, Libmi_RunningOS, Libmi_OSProcess, Libmi_HostedAccessPoint,
 *   Libmi_PortImplementsEndpoint, Libmi_InstalledSoftwareIdentity, Libmi_MediaPresent,
 *   Libmi_BasedOn, Libmi_ResidesOnExtent.
 *
 * Written against the provider half of mi.h only, as any module is.
 */
#include "machine.h"
#include "schema.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* ---- posting ---- */

void set_string(MI_Instance *inst, const char *name, const char *value)
{
    if (!value)
        return;
    MI_Value v;
    v.string = (MI_Char *)value;
    MI_Instance_SetElement(inst, name, &v, MI_STRING, 0);
}

void set_uint64(MI_Instance *inst, const char *name, MI_Uint64 value)
{
    MI_Value v;
    v.uint64 = value;
    MI_Instance_SetElement(inst, name, &v, MI_UINT64, 0);
}

void set_uint8(MI_Instance *inst, const char *name, MI_Uint8 value)
{
    MI_Value v;
    v.uint8 = value;
    MI_Instance_SetElement(inst, name, &v, MI_UINT8, 0);
}

void set_uint32(MI_Instance *inst, const char *name, MI_Uint32 value)
{
    MI_Value v;
    v.uint32 = value;
    MI_Instance_SetElement(inst, name, &v, MI_UINT32, 0);
}

void set_uint16(MI_Instance *inst, const char *name, MI_Uint16 value)
{
    MI_Value v;
    v.uint16 = value;
    MI_Instance_SetElement(inst, name, &v, MI_UINT16, 0);
}

void set_time(MI_Instance *inst, const char *name, time_t when)
{
    struct tm tm;
    if (!gmtime_r(&when, &tm))
        return;
    MI_Value v;
    memset(&v, 0, sizeof v);
    v.datetime.isTimestamp = MI_TRUE;
    v.datetime.u.timestamp.year = (MI_Uint32)tm.tm_year + 1900;
    v.datetime.u.timestamp.month = (MI_Uint32)tm.tm_mon + 1;
    v.datetime.u.timestamp.day = (MI_Uint32)tm.tm_mday;
    v.datetime.u.timestamp.hour = (MI_Uint32)tm.tm_hour;
    v.datetime.u.timestamp.minute = (MI_Uint32)tm.tm_min;
    v.datetime.u.timestamp.second = (MI_Uint32)tm.tm_sec;
    MI_Instance_SetElement(inst, name, &v, MI_DATETIME, 0);
}

void set_reference(MI_Instance *inst, const char *name, MI_Instance *ref)
{
    MI_Value v;
    v.reference = ref;
    MI_Instance_SetElement(inst, name, &v, MI_REFERENCE, 0);
}

MI_Instance *new_instance(post *p, const char *class_name)
{
    MI_Instance *inst = NULL;
    if (MI_Context_NewInstance(p->context, linux_schema_class(class_name), &inst) != MI_RESULT_OK)
        p->result = MI_RESULT_SERVER_LIMITS_EXCEEDED;
    return inst;
}

int wanted(const post *p, const char *name, const char *text)
{
    if (!p->want)
        return 1;
    MI_Value v;
    MI_Type type;
    MI_Uint32 flags;
    if (MI_Instance_GetElement(p->want, name, &v, &type, &flags, NULL) != MI_RESULT_OK ||
        type != MI_STRING || (flags & MI_FLAG_NULL) || !v.string)
        return 0;
    return strcmp(v.string, text) == 0;
}

static void follow(post *p, const MI_Instance *association);

void post_instance(post *p, MI_Instance *inst)
{
    if (!inst)
        return;
    if (p->via)
        follow(p, inst);
    else if (p->result == MI_RESULT_OK && MI_Context_PostInstance(p->context, inst) != MI_RESULT_OK)
        p->result = MI_RESULT_FAILED; /* cancelled, or the operation is over */
    MI_Instance_Delete(inst);
}

void send_association(post *p, const char *class_name, const char *a_role, MI_Instance *a,
                      const char *b_role, MI_Instance *b)
{
    MI_Instance *assoc = new_instance(p, class_name);
    if (assoc && a && b) {
        set_reference(assoc, a_role, a);
        set_reference(assoc, b_role, b);
    }
    if (a)
        MI_Instance_Delete(a);
    if (b)
        MI_Instance_Delete(b);
    if (assoc && a && b)
        post_instance(p, assoc);
    else if (assoc)
        MI_Instance_Delete(assoc);
}

/* ---- reading the machine ---- */

int read_line(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int ok = fgets(out, (int)size, f) != NULL;
    fclose(f);
    if (ok)
        out[strcspn(out, "\n")] = '\0';
    return ok;
}

const char *host_name(void)
{
    static _Thread_local char name[256]; /* calls run on many threads at once */
    if (gethostname(name, sizeof name - 1) != 0 || !name[0])
        strcpy(name, "localhost");
    return name;
}

static const char *os_name(void)
{
    static _Thread_local char name[256];
    FILE *f = fopen("/etc/os-release", "r");
    char line[512];
    strcpy(name, "Linux");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "PRETTY_NAME=", 12) != 0)
            continue;
        char *v = line + 12;
        v[strcspn(v, "\n")] = '\0';
        size_t n = strlen(v);
        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
            v[n - 1] = '\0';
            v++;
        }
        snprintf(name, sizeof name, "%.255s", v);
    }
    if (f)
        fclose(f);
    return name;
}

static time_t boot_time(void)
{
    FILE *f = fopen("/proc/stat", "r");
    char line[256];
    long long btime = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "btime %lld", &btime) == 1)
            break;
    if (f)
        fclose(f);
    return (time_t)btime;
}

unsigned long long meminfo_kb(const char *field)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    unsigned long long kb = 0;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':') {
            kb = strtoull(line + n + 1, NULL, 10);
            break;
        }
    if (f)
        fclose(f);
    return kb;
}

/* ---- the instances ---- */

MI_Instance *system_keys(post *p)
{
    MI_Instance *cs = new_instance(p, "Libmi_ComputerSystem");
    set_string(cs, "CreationClassName", "Libmi_ComputerSystem");
    set_string(cs, "Name", host_name());
    return cs;
}

static MI_Instance *os_keys(post *p)
{
    MI_Instance *os = new_instance(p, "Libmi_OperatingSystem");
    set_string(os, "CSCreationClassName", "Libmi_ComputerSystem");
    set_string(os, "CSName", host_name());
    set_string(os, "CreationClassName", "Libmi_OperatingSystem");
    set_string(os, "Name", os_name());
    return os;
}

static void computer_systems(post *p)
{
    if (!wanted(p, "Name", host_name()))
        return;
    MI_Instance *cs = system_keys(p);
    if (cs && !p->keys_only) {
        set_string(cs, "ElementName", host_name());
        set_string(cs, "Caption", "Computer System");
        char uuid[128];
        if (read_line("/sys/class/dmi/id/product_uuid", uuid, sizeof uuid))
            set_string(cs, "UUID", uuid);
    }
    post_instance(p, cs);
}

static void operating_systems(post *p)
{
    if (!wanted(p, "Name", os_name()))
        return;
    MI_Instance *os = os_keys(p);
    if (os && !p->keys_only) {
        struct utsname u;
        if (uname(&u) == 0)
            set_string(os, "Version", u.release);
        set_uint16(os, "OSType", 36); /* LINUX in the CIM value map */
        set_time(os, "LastBootUpTime", boot_time());
        set_uint64(os, "TotalVisibleMemorySize", meminfo_kb("MemTotal"));
        set_uint64(os, "FreePhysicalMemory", meminfo_kb("MemAvailable"));
        set_string(os, "ElementName", os_name());
    }
    post_instance(p, os);
}

/* Calls each(p, name, arg) for the entries of dir that are not hidden. */
static void each_entry(post *p, const char *dir, void (*each)(post *, const char *, void *),
                       void *arg)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && p->result == MI_RESULT_OK && (e = readdir(d)))
        if (e->d_name[0] != '.')
            each(p, e->d_name, arg);
    if (d)
        closedir(d);
}

MI_Instance *device_keys(post *p, const char *class_name, const char *id)
{
    MI_Instance *dev = new_instance(p, class_name);
    set_string(dev, "SystemCreationClassName", "Libmi_ComputerSystem");
    set_string(dev, "SystemName", host_name());
    set_string(dev, "CreationClassName", class_name);
    set_string(dev, "DeviceID", id);
    return dev;
}

static void one_port(post *p, const char *name, void *arg)
{
    (void)arg;
    if (!wanted(p, "DeviceID", name))
        return;
    MI_Instance *port = device_keys(p, "Libmi_NetworkPort", name);
    if (port && !p->keys_only) {
        char path[512], line[128];
        set_string(port, "Name", name);
        snprintf(path, sizeof path, "/sys/class/net/%s/address", name);
        if (read_line(path, line, sizeof line) && line[0]) {
            /* CIM writes a MAC address as 12 hexadecimal digits, without separators */
            char mac[64];
            size_t n = 0;
            for (const char *c = line; *c && n + 1 < sizeof mac; c++)
                if (isxdigit((unsigned char)*c))
                    mac[n++] = (char)toupper((unsigned char)*c);
            mac[n] = '\0';
            set_string(port, "PermanentAddress", mac);
        }
        snprintf(path, sizeof path, "/sys/class/net/%s/speed", name);
        long long mbits;
        if (read_line(path, line, sizeof line) && sscanf(line, "%lld", &mbits) == 1 && mbits > 0)
            set_uint64(port, "Speed", (MI_Uint64)mbits * 1000000u);
    }
    post_instance(p, port);
}

static void ports(post *p)
{
    each_entry(p, "/sys/class/net", one_port, NULL);
}

static MI_Instance *process_keys(post *p, const char *pid)
{
    MI_Instance *proc = new_instance(p, "Libmi_Process");
    set_string(proc, "CSCreationClassName", "Libmi_ComputerSystem");
    set_string(proc, "CSName", host_name());
    set_string(proc, "OSCreationClassName", "Libmi_OperatingSystem");
    set_string(proc, "OSName", os_name());
    set_string(proc, "CreationClassName", "Libmi_Process");
    set_string(proc, "Handle", pid);
    return proc;
}

static int is_pid(const char *name)
{
    for (const char *c = name; *c; c++)
        if (!isdigit((unsigned char)*c))
            return 0;
    return *name != '\0';
}

static void one_process(post *p, const char *pid, void *arg)
{
    int association = arg != NULL;
    if (!is_pid(pid) || (!association && !wanted(p, "Handle", pid)))
        return;
    char path[64], stat[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    if (!read_line(path, stat, sizeof stat))
        return; /* it has ended */
    if (association) {
        MI_Instance *a = new_instance(p, "Libmi_OSProcess");
        MI_Instance *os = os_keys(p), *proc = process_keys(p, pid);
        set_reference(a, "GroupComponent", os);
        set_reference(a, "PartComponent", proc);
        MI_Instance_Delete(os);
        MI_Instance_Delete(proc);
        post_instance(p, a);
        return;
    }
    MI_Instance *proc = process_keys(p, pid);
    /* pid (comm) state ppid ... starttime is field 22, counted after the closing ')' */
    char *close = strrchr(stat, ')');
    char *open = strchr(stat, '(');
    if (proc && !p->keys_only && close && open && close > open) {
        *close = '\0';
        set_string(proc, "Name", open + 1);
        char state;
        int ppid;
        unsigned long long start = 0;
        if (sscanf(close + 2,
                   "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
                   "%*d %*d %llu",
                   &state, &ppid, &start) == 3) {
            char parent[32];
            snprintf(parent, sizeof parent, "%d", ppid);
            set_string(proc, "ParentProcessID", parent);
            long ticks = sysconf(_SC_CLK_TCK);
            if (ticks > 0)
                set_time(proc, "CreationDate",
                         boot_time() + (time_t)(start / (unsigned long)ticks));
        }
    }
    post_instance(p, proc);
}

static void processes(post *p)
{
    each_entry(p, "/proc", one_process, NULL);
}

static void os_processes(post *p)
{
    each_entry(p, "/proc", one_process, p);
}

static void one_port_device(post *p, const char *name, void *arg)
{
    (void)arg;
    send_association(p, "Libmi_SystemDevice", "GroupComponent", system_keys(p), "PartComponent",
                     device_keys(p, "Libmi_NetworkPort", name));
}

static void port_devices(post *p)
{
    if (p->via && from_system(p, "GroupComponent", "PartComponent", "Libmi_NetworkPort", ports))
        return;
    each_entry(p, "/sys/class/net", one_port_device, NULL);
}

static void os_of_system(post *p, const char *class_name, const char *os_role,
                         const char *system_role)
{
    MI_Instance *a = new_instance(p, class_name);
    MI_Instance *cs = system_keys(p), *os = os_keys(p);
    set_reference(a, system_role, cs);
    set_reference(a, os_role, os);
    MI_Instance_Delete(cs);
    MI_Instance_Delete(os);
    post_instance(p, a);
}

static void installed_os(post *p)
{
    os_of_system(p, "Libmi_InstalledOS", "PartComponent", "GroupComponent");
}

static void running_os(post *p)
{
    os_of_system(p, "Libmi_RunningOS", "Antecedent", "Dependent");
}

/* ---- the provider functions: one set for every class, told apart by class name ---- */

static const struct {
    const char *class_name;
    void (*list)(post *p);
} lists[] = {
    {"Libmi_ComputerSystem", computer_systems},
    {"Libmi_OperatingSystem", operating_systems},
    {"Libmi_DiskDrive", disks},
    {"Libmi_NetworkPort", ports},
    {"Libmi_FileSystem", file_systems},
    {"Libmi_Process", processes},
    {"Libmi_SystemDevice", disk_devices},
    {"Libmi_SystemDevice", port_devices},
    {"Libmi_HostedFileSystem", hosted_file_systems},
    {"Libmi_InstalledOS", installed_os},
    {"Libmi_RunningOS", running_os},
    {"Libmi_OSProcess", os_processes},
    {"Libmi_Processor", processors},
    {"Libmi_SystemDevice", processor_devices},
    {"Libmi_IPProtocolEndpoint", ip_endpoints},
    {"Libmi_HostedAccessPoint", hosted_access_points},
    {"Libmi_PortImplementsEndpoint", port_endpoints},
    {"Libmi_Memory", memories},
    {"Libmi_SystemDevice", memory_devices},
    {"Libmi_StorageExtent", extents},
    {"Libmi_DiskPartition", partitions},
    {"Libmi_SystemDevice", extent_devices},
    {"Libmi_MediaPresent", media_present},
    {"Libmi_BasedOn", based_on},
    {"Libmi_ResidesOnExtent", resides_on_extent},
    {"Libmi_SoftwareIdentity", software},
    {"Libmi_InstalledSoftwareIdentity", installed_software},
};

static void list(post *p, const char *class_name)
{
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        if (!strcasecmp(lists[i].class_name, class_name))
            lists[i].list(p);
}

static void finish(post *p)
{
    MI_Context_PostResult(p->context, p->result == MI_RESULT_SERVER_LIMITS_EXCEEDED
                                          ? p->result
                                          : MI_RESULT_OK); /* a cancelled post ends quietly */
}

static void answer(MI_Context *context, const char *class_name, const MI_Instance *want,
                   MI_Boolean keys_only)
{
    post p = {context, want, keys_only, MI_RESULT_OK, NULL};
    list(&p, class_name);
    finish(&p);
}

/* Whether class `name` of the schema is `ancestor` or derives from it. */
static int class_is_a(const char *name, const char *ancestor)
{
    for (const MI_ClassDecl *c = linux_schema_class(name); c; c = c->superClassDecl)
        if (!strcasecmp(c->name, ancestor))
            return 1;
    return 0;
}

/* Whether ref names the source: each key it has, the source has with the same value. */
static int names_source(const MI_Instance *ref, const MI_Instance *source)
{
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(ref, &count);
    for (MI_Uint32 i = 0; i < count; i++) {
        const MI_Char *name;
        MI_Value mine, theirs;
        MI_Type type, their_type;
        MI_Uint32 flags, their_flags;
        if (MI_Instance_GetElementAt(ref, i, &name, &mine, &type, &flags) != MI_RESULT_OK ||
            !(flags & MI_FLAG_KEY))
            continue;
        if (MI_Instance_GetElement(source, name, &theirs, &their_type, &their_flags, NULL) !=
                MI_RESULT_OK ||
            ((flags ^ their_flags) & MI_FLAG_NULL))
            return 0;
        if (flags & MI_FLAG_NULL)
            continue;
        if (type != MI_STRING || their_type != MI_STRING || !mine.string || !theirs.string ||
            strcmp(mine.string, theirs.string) != 0)
            return 0; /* every key of this schema is a string */
    }
    return 1;
}

int traversal_from(const post *p, const char *near_role, const MI_Instance *near)
{
    return near && (!p->via->role || !strcasecmp(p->via->role, near_role)) &&
           names_source(near, p->via->source);
}

int traversal_to(const post *p, const char *far_role, const char *far_class)
{
    const traversal *via = p->via;
    return (!via->result_role || !strcasecmp(via->result_role, far_role)) &&
           (!via->result_class || class_is_a(far_class, via->result_class));
}

int from_system(post *p, const char *near_role, const char *far_role, const char *far_class,
                void (*each)(post *))
{
    if (p->via->references)
        return 0; /* the association instances are the answer: listed as they are */
    MI_Instance *system = system_keys(p);
    int from = traversal_from(p, near_role, system) && traversal_to(p, far_role, far_class);
    if (system)
        MI_Instance_Delete(system);
    if (!from)
        return 0;
    post all = *p;
    all.via = NULL;
    each(&all);
    p->result = all.result;
    return 1;
}

/* The far ends of an association that joins the source, each fetched by its class's
 * GetInstance and posted. */
static void follow(post *p, const MI_Instance *association)
{
    MI_Uint32 count = 0;
    MI_Instance_GetElementCount(association, &count);
    for (MI_Uint32 i = 0; i < count && p->result == MI_RESULT_OK; i++) {
        const MI_Char *near_role;
        MI_Value near;
        MI_Type type;
        MI_Uint32 flags;
        if (MI_Instance_GetElementAt(association, i, &near_role, &near, &type, &flags) !=
                MI_RESULT_OK ||
            type != MI_REFERENCE || (flags & MI_FLAG_NULL) ||
            !traversal_from(p, near_role, near.reference))
            continue;
        if (p->via->references) {
            if (MI_Context_PostInstance(p->context, association) != MI_RESULT_OK)
                p->result = MI_RESULT_FAILED;
            return;
        }
        for (MI_Uint32 j = 0; j < count && p->result == MI_RESULT_OK; j++) {
            const MI_Char *far_role, *far_class = NULL;
            MI_Value far;
            if (j == i ||
                MI_Instance_GetElementAt(association, j, &far_role, &far, &type, &flags) !=
                    MI_RESULT_OK ||
                type != MI_REFERENCE || (flags & MI_FLAG_NULL) || !far.reference ||
                MI_Instance_GetClassName(far.reference, &far_class) != MI_RESULT_OK ||
                !traversal_to(p, far_role, far_class))
                continue;
            post get = {p->context, far.reference, p->keys_only, MI_RESULT_OK, NULL};
            list(&get, far_class);
            p->result = get.result;
        }
    }
}

static void MI_CALL load(void **self, MI_Module_Self *module, MI_Context *context)
{
    (void)module;
    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL unload(void *self, MI_Context *context)
{
    (void)self;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL enumerate(void *self, MI_Context *context, const MI_Char *ns,
                              const MI_Char *class_name, const MI_PropertySet *properties,
                              MI_Boolean keys_only, const MI_Filter *filter)
{
    (void)self, (void)ns, (void)properties, (void)filter;
    answer(context, class_name, NULL, keys_only);
}

/* The one instance with the keys asked (the associations are found by enumeration). */
static void MI_CALL get(void *self, MI_Context *context, const MI_Char *ns,
                        const MI_Char *class_name, const MI_Instance *name,
                        const MI_PropertySet *properties)
{
    (void)self, (void)ns, (void)properties;
    answer(context, class_name, name, MI_FALSE);
}

/* The objects associated with instance_name through class_name: the association's own
 * list, each joining instance followed to its far end, so that the associations are
 * neither posted nor fetched one by one. */
static void MI_CALL associators(void *self, MI_Context *context, const MI_Char *ns,
                                const MI_Char *class_name, const MI_Instance *instance_name,
                                const MI_Char *result_class, const MI_Char *role,
                                const MI_Char *result_role, const MI_PropertySet *properties,
                                MI_Boolean keys_only, const MI_Filter *filter)
{
    (void)self, (void)ns, (void)properties, (void)filter;
    traversal via = {instance_name, role, result_role, result_class, 0};
    post p = {context, NULL, keys_only, MI_RESULT_OK, instance_name ? &via : NULL};
    if (instance_name)
        list(&p, class_name);
    finish(&p);
}

/* The association instances of class_name that point at instance_name. */
static void MI_CALL references(void *self, MI_Context *context, const MI_Char *ns,
                               const MI_Char *class_name, const MI_Instance *instance_name,
                               const MI_Char *role, const MI_PropertySet *properties,
                               MI_Boolean keys_only, const MI_Filter *filter)
{
    (void)self, (void)ns, (void)properties, (void)filter;
    traversal via = {instance_name, role, NULL, NULL, 1};
    post p = {context, NULL, keys_only, MI_RESULT_OK, instance_name ? &via : NULL};
    if (instance_name)
        list(&p, class_name);
    finish(&p);
}

static const MI_ProviderFT element_provider = {load, unload, get,  enumerate, NULL, NULL, NULL,
                                               NULL, NULL,   NULL, NULL,      NULL, NULL, NULL};
static const MI_ProviderFT association_provider = {load, unload, NULL,        enumerate,  NULL,
                                                   NULL, NULL,   associators, references, NULL,
                                                   NULL, NULL,   NULL,        NULL};

/* ---- the schema ---- */

#define KEY MI_FLAG_KEY
static const linux_property managed_element[] = {
    {"Caption", MI_STRING, 0, NULL},
    {"Description", MI_STRING, 0, NULL},
    {"ElementName", MI_STRING, 0, NULL},
    {NULL, 0, 0, NULL},
};
static const linux_property managed_system_element[] = {{"Name", MI_STRING, 0, NULL},
                                                        {NULL, 0, 0, NULL}};
static const linux_property system_[] = {{"CreationClassName", MI_STRING, KEY, NULL},
                                         {"Name", MI_STRING, KEY, NULL},
                                         {NULL, 0, 0, NULL}};
static const linux_property libmi_system[] = {{"UUID", MI_STRING, 0, NULL}, {NULL, 0, 0, NULL}};
static const linux_property operating_system[] = {
    {"CSCreationClassName", MI_STRING, KEY, NULL},
    {"CSName", MI_STRING, KEY, NULL},
    {"CreationClassName", MI_STRING, KEY, NULL},
    {"Name", MI_STRING, KEY, NULL},
    {"OSType", MI_UINT16, 0, NULL},
    {"Version", MI_STRING, 0, NULL},
    {"LastBootUpTime", MI_DATETIME, 0, NULL},
    {NULL, 0, 0, NULL},
};
static const linux_property libmi_os[] = {
    {"TotalVisibleMemorySize", MI_UINT64, 0, NULL},
    {"FreePhysicalMemory", MI_UINT64, 0, NULL},
    {NULL, 0, 0, NULL},
};
static const linux_property logical_device[] = {
    {"SystemCreationClassName", MI_STRING, KEY, NULL},
    {"SystemName", MI_STRING, KEY, NULL},
    {"CreationClassName", MI_STRING, KEY, NULL},
    {"DeviceID", MI_STRING, KEY, NULL},
    {NULL, 0, 0, NULL},
};
static const linux_property media_access_device[] = {{"MaxMediaSize", MI_UINT64, 0, NULL},
                                                     {NULL, 0, 0, NULL}};
static const linux_property logical_port[] = {{"Speed", MI_UINT64, 0, NULL}, {NULL, 0, 0, NULL}};
static const linux_property network_port[] = {{"PermanentAddress", MI_STRING, 0, NULL},
                                              {NULL, 0, 0, NULL}};
static const linux_property file_system[] = {
    {"CSCreationClassName", MI_STRING, KEY, NULL}, {"CSName", MI_STRING, KEY, NULL},
    {"CreationClassName", MI_STRING, KEY, NULL},   {"Name", MI_STRING, KEY, NULL},
    {"FileSystemType", MI_STRING, 0, NULL},        {"FileSystemSize", MI_UINT64, 0, NULL},
    {"AvailableSpace", MI_UINT64, 0, NULL},        {NULL, 0, 0, NULL},
};
static const linux_property libmi_fs[] = {{"Root", MI_STRING, 0, NULL}, {NULL, 0, 0, NULL}};
static const linux_property process[] = {
    {"CSCreationClassName", MI_STRING, KEY, NULL}, {"CSName", MI_STRING, KEY, NULL},
    {"OSCreationClassName", MI_STRING, KEY, NULL}, {"OSName", MI_STRING, KEY, NULL},
    {"CreationClassName", MI_STRING, KEY, NULL},   {"Handle", MI_STRING, KEY, NULL},
    {"CreationDate", MI_DATETIME, 0, NULL},        {NULL, 0, 0, NULL},
};
static const linux_property libmi_process[] = {{"ParentProcessID", MI_STRING, 0, NULL},
                                               {NULL, 0, 0, NULL}};
static const linux_property processor[] = {{"MaxClockSpeed", MI_UINT32, 0, NULL},
                                           {"CurrentClockSpeed", MI_UINT32, 0, NULL},
                                           {NULL, 0, 0, NULL}};
static const linux_property service_access_point[] = {
    {"SystemCreationClassName", MI_STRING, KEY, NULL},
    {"SystemName", MI_STRING, KEY, NULL},
    {"CreationClassName", MI_STRING, KEY, NULL},
    {"Name", MI_STRING, KEY, NULL},
    {NULL, 0, 0, NULL},
};
static const linux_property protocol_endpoint[] = {{"ProtocolIFType", MI_UINT16, 0, NULL},
                                                   {NULL, 0, 0, NULL}};
static const linux_property ip_endpoint[] = {
    {"IPv4Address", MI_STRING, 0, NULL},
    {"IPv6Address", MI_STRING, 0, NULL},
    {"SubnetMask", MI_STRING, 0, NULL},
    {"PrefixLength", MI_UINT8, 0, NULL},
    {NULL, 0, 0, NULL},
};
static const linux_property storage_extent[] = {
    {"BlockSize", MI_UINT64, 0, NULL},
    {"NumberOfBlocks", MI_UINT64, 0, NULL},
    {"ConsumableBlocks", MI_UINT64, 0, NULL},
    {NULL, 0, 0, NULL},
};
static const linux_property software_identity[] = {
    {"InstanceID", MI_STRING, KEY, NULL},
    {"VersionString", MI_STRING, 0, NULL},
    {"Manufacturer", MI_STRING, 0, NULL},
    {NULL, 0, 0, NULL},
};
static const linux_property libmi_software[] = {{"Name", MI_STRING, 0, NULL}, {NULL, 0, 0, NULL}};

#define ENDS(NAME, A, ACLASS, B, BCLASS)                                                           \
    static const linux_property NAME[] = {                                                         \
        {A, MI_REFERENCE, KEY, ACLASS}, {B, MI_REFERENCE, KEY, BCLASS}, {NULL, 0, 0, NULL}}
ENDS(dependency, "Antecedent", "CIM_ManagedElement", "Dependent", "CIM_ManagedElement");
ENDS(component, "GroupComponent", "CIM_ManagedElement", "PartComponent", "CIM_ManagedElement");
ENDS(system_component, "GroupComponent", "CIM_System", "PartComponent", "CIM_ManagedSystemElement");
ENDS(system_device, "GroupComponent", "CIM_System", "PartComponent", "CIM_LogicalDevice");
ENDS(hosted_fs, "GroupComponent", "CIM_System", "PartComponent", "CIM_FileSystem");
ENDS(installed, "GroupComponent", "CIM_ComputerSystem", "PartComponent", "CIM_OperatingSystem");
ENDS(running, "Antecedent", "CIM_OperatingSystem", "Dependent", "CIM_ComputerSystem");
ENDS(os_process, "GroupComponent", "CIM_OperatingSystem", "PartComponent", "CIM_Process");
ENDS(libmi_system_device, "GroupComponent", "Libmi_ComputerSystem", "PartComponent",
     "CIM_LogicalDevice");
ENDS(libmi_hosted_fs, "GroupComponent", "Libmi_ComputerSystem", "PartComponent",
     "Libmi_FileSystem");
ENDS(libmi_installed, "GroupComponent", "Libmi_ComputerSystem", "PartComponent",
     "Libmi_OperatingSystem");
ENDS(libmi_running, "Antecedent", "Libmi_OperatingSystem", "Dependent", "Libmi_ComputerSystem");
ENDS(libmi_os_process, "GroupComponent", "Libmi_OperatingSystem", "PartComponent", "Libmi_Process");
ENDS(hosted_access_point, "Antecedent", "CIM_System", "Dependent", "CIM_ServiceAccessPoint");
ENDS(device_sap, "Antecedent", "CIM_LogicalDevice", "Dependent", "CIM_ServiceAccessPoint");
ENDS(port_endpoint, "Antecedent", "CIM_LogicalPort", "Dependent", "CIM_ProtocolEndpoint");
ENDS(installed_software_identity, "System", "CIM_System", "InstalledSoftware",
     "CIM_SoftwareIdentity");
ENDS(libmi_hosted_access_point, "Antecedent", "Libmi_ComputerSystem", "Dependent",
     "Libmi_IPProtocolEndpoint");
ENDS(libmi_port_endpoint, "Antecedent", "Libmi_NetworkPort", "Dependent",
     "Libmi_IPProtocolEndpoint");
ENDS(libmi_installed_software, "System", "Libmi_ComputerSystem", "InstalledSoftware",
     "Libmi_SoftwareIdentity");
ENDS(media_present_, "Antecedent", "CIM_MediaAccessDevice", "Dependent", "CIM_StorageExtent");
ENDS(based_on_, "Antecedent", "CIM_StorageExtent", "Dependent", "CIM_StorageExtent");
ENDS(resides_on_extent_, "Antecedent", "CIM_StorageExtent", "Dependent", "CIM_LogicalElement");
ENDS(libmi_media_present, "Antecedent", "Libmi_DiskDrive", "Dependent", "CIM_StorageExtent");
ENDS(libmi_resides_on_extent, "Antecedent", "CIM_StorageExtent", "Dependent", "Libmi_FileSystem");
static const linux_property abstract_based_on[] = {
    {"Antecedent", MI_REFERENCE, KEY, "CIM_ManagedElement"},
    {"Dependent", MI_REFERENCE, KEY, "CIM_ManagedElement"},
    {"StartingAddress", MI_UINT64, 0, NULL},
    {"EndingAddress", MI_UINT64, 0, NULL},
    {NULL, 0, 0, NULL},
};

#define ABSTRACT MI_FLAG_ABSTRACT
#define ASSOCIATION MI_FLAG_ASSOCIATION
static const linux_class classes[] = {
    {"CIM_ManagedElement", NULL, ABSTRACT, managed_element, NULL},
    {"CIM_ManagedSystemElement", "CIM_ManagedElement", ABSTRACT, managed_system_element, NULL},
    {"CIM_LogicalElement", "CIM_ManagedSystemElement", ABSTRACT, NULL, NULL},
    {"CIM_EnabledLogicalElement", "CIM_LogicalElement", ABSTRACT, NULL, NULL},
    {"CIM_System", "CIM_EnabledLogicalElement", ABSTRACT, system_, NULL},
    {"CIM_ComputerSystem", "CIM_System", 0, NULL, NULL},
    {"Libmi_ComputerSystem", "CIM_ComputerSystem", 0, libmi_system, &element_provider},
    {"CIM_OperatingSystem", "CIM_EnabledLogicalElement", 0, operating_system, NULL},
    {"Libmi_OperatingSystem", "CIM_OperatingSystem", 0, libmi_os, &element_provider},
    {"CIM_LogicalDevice", "CIM_EnabledLogicalElement", ABSTRACT, logical_device, NULL},
    {"CIM_MediaAccessDevice", "CIM_LogicalDevice", 0, media_access_device, NULL},
    {"CIM_DiskDrive", "CIM_MediaAccessDevice", 0, NULL, NULL},
    {"Libmi_DiskDrive", "CIM_DiskDrive", 0, NULL, &element_provider},
    {"CIM_LogicalPort", "CIM_LogicalDevice", 0, logical_port, NULL},
    {"CIM_NetworkPort", "CIM_LogicalPort", 0, network_port, NULL},
    {"Libmi_NetworkPort", "CIM_NetworkPort", 0, NULL, &element_provider},
    {"CIM_FileSystem", "CIM_EnabledLogicalElement", 0, file_system, NULL},
    {"Libmi_FileSystem", "CIM_FileSystem", 0, libmi_fs, &element_provider},
    {"CIM_Process", "CIM_EnabledLogicalElement", 0, process, NULL},
    {"Libmi_Process", "CIM_Process", 0, libmi_process, &element_provider},
    {"CIM_Processor", "CIM_LogicalDevice", 0, processor, NULL},
    {"Libmi_Processor", "CIM_Processor", 0, NULL, &element_provider},
    {"CIM_ServiceAccessPoint", "CIM_EnabledLogicalElement", 0, service_access_point, NULL},
    {"CIM_ProtocolEndpoint", "CIM_ServiceAccessPoint", 0, protocol_endpoint, NULL},
    {"CIM_IPProtocolEndpoint", "CIM_ProtocolEndpoint", 0, ip_endpoint, NULL},
    {"Libmi_IPProtocolEndpoint", "CIM_IPProtocolEndpoint", 0, NULL, &element_provider},
    {"CIM_SoftwareIdentity", "CIM_LogicalElement", 0, software_identity, NULL},
    {"Libmi_SoftwareIdentity", "CIM_SoftwareIdentity", 0, libmi_software, &element_provider},
    {"CIM_StorageExtent", "CIM_LogicalDevice", 0, storage_extent, NULL},
    {"CIM_Memory", "CIM_StorageExtent", 0, NULL, NULL},
    {"Libmi_Memory", "CIM_Memory", 0, NULL, &element_provider},
    {"Libmi_StorageExtent", "CIM_StorageExtent", 0, NULL, &element_provider},
    {"CIM_MediaPartition", "CIM_StorageExtent", 0, NULL, NULL},
    {"CIM_GenericDiskPartition", "CIM_MediaPartition", 0, NULL, NULL},
    {"CIM_DiskPartition", "CIM_GenericDiskPartition", 0, NULL, NULL},
    {"Libmi_DiskPartition", "CIM_DiskPartition", 0, NULL, &element_provider},
    {"CIM_Dependency", NULL, ASSOCIATION | ABSTRACT, dependency, NULL},
    {"CIM_Component", NULL, ASSOCIATION | ABSTRACT, component, NULL},
    {"CIM_SystemComponent", "CIM_Component", ASSOCIATION, system_component, NULL},
    {"CIM_SystemDevice", "CIM_SystemComponent", ASSOCIATION, system_device, NULL},
    {"CIM_HostedFileSystem", "CIM_SystemComponent", ASSOCIATION, hosted_fs, NULL},
    {"CIM_InstalledOS", "CIM_SystemComponent", ASSOCIATION, installed, NULL},
    {"CIM_RunningOS", "CIM_Dependency", ASSOCIATION, running, NULL},
    {"CIM_OSProcess", "CIM_Component", ASSOCIATION, os_process, NULL},
    {"CIM_HostedDependency", "CIM_Dependency", ASSOCIATION, dependency, NULL},
    {"CIM_HostedAccessPoint", "CIM_HostedDependency", ASSOCIATION, hosted_access_point, NULL},
    {"CIM_DeviceSAPImplementation", "CIM_Dependency", ASSOCIATION, device_sap, NULL},
    {"CIM_PortImplementsEndpoint", "CIM_DeviceSAPImplementation", ASSOCIATION, port_endpoint, NULL},
    {"CIM_InstalledSoftwareIdentity", NULL, ASSOCIATION, installed_software_identity, NULL},
    {"CIM_MediaPresent", "CIM_Dependency", ASSOCIATION, media_present_, NULL},
    {"CIM_AbstractBasedOn", "CIM_Dependency", ASSOCIATION | ABSTRACT, abstract_based_on, NULL},
    {"CIM_BasedOn", "CIM_AbstractBasedOn", ASSOCIATION, based_on_, NULL},
    {"CIM_ResidesOnExtent", "CIM_Dependency", ASSOCIATION, resides_on_extent_, NULL},
    {"Libmi_SystemDevice", "CIM_SystemDevice", ASSOCIATION, libmi_system_device,
     &association_provider},
    {"Libmi_HostedFileSystem", "CIM_HostedFileSystem", ASSOCIATION, libmi_hosted_fs,
     &association_provider},
    {"Libmi_InstalledOS", "CIM_InstalledOS", ASSOCIATION, libmi_installed, &association_provider},
    {"Libmi_RunningOS", "CIM_RunningOS", ASSOCIATION, libmi_running, &association_provider},
    {"Libmi_OSProcess", "CIM_OSProcess", ASSOCIATION, libmi_os_process, &association_provider},
    {"Libmi_HostedAccessPoint", "CIM_HostedAccessPoint", ASSOCIATION, libmi_hosted_access_point,
     &association_provider},
    {"Libmi_PortImplementsEndpoint", "CIM_PortImplementsEndpoint", ASSOCIATION, libmi_port_endpoint,
     &association_provider},
    {"Libmi_InstalledSoftwareIdentity", "CIM_InstalledSoftwareIdentity", ASSOCIATION,
     libmi_installed_software, &association_provider},
    {"Libmi_MediaPresent", "CIM_MediaPresent", ASSOCIATION, libmi_media_present,
     &association_provider},
    {"Libmi_BasedOn", "CIM_BasedOn", ASSOCIATION, based_on_, &association_provider},
    {"Libmi_ResidesOnExtent", "CIM_ResidesOnExtent", ASSOCIATION, libmi_resides_on_extent,
     &association_provider},
};

static void MI_CALL module_load(MI_Module_Self **self, MI_Context *context)
{
    *self = NULL;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

static void MI_CALL module_unload(MI_Module_Self *self, MI_Context *context)
{
    (void)self;
    MI_Context_PostResult(context, MI_RESULT_OK);
}

MI_EXPORT MI_Module *MI_MAIN_CALL MI_Main(MI_Server *server);

MI_Module *MI_MAIN_CALL MI_Main(MI_Server *server)
{
    (void)server;
    static MI_Module module;
    MI_SchemaDecl *schema = linux_schema_build(classes, sizeof classes / sizeof *classes);
    if (!schema)
        return NULL;
    module.version = MI_VERSION;
    module.generatorVersion = MI_VERSION;
    module.flags = MI_MODULE_FLAG_STANDARD_QUALIFIERS | MI_MODULE_FLAG_BOOLEANS;
    module.charSize = sizeof(MI_Char);
    module.schemaDecl = schema;
    module.Load = module_load;
    module.Unload = module_unload;
    return &module;
}
