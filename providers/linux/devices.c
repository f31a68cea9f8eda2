/*
 * Processors (/sys/devices/system/cpu, /proc/cpuinfo), memory (/proc/meminfo) and IP
 * endpoints (getifaddrs) of the Linux provider, with the associations joining
 * them to the computer system and to their network ports.
 */
#include "machine.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum { IPV4 = 4096, IPV6 = 4097 }; /* ProtocolIFType values */

/* ---- processors ---- */

/* Calls each(p, number) for every processor the kernel knows (cpuN folders). */
static void each_cpu(post *p, void (*each)(post *, unsigned))
{
    DIR *d = opendir("/sys/devices/system/cpu");
    struct dirent *e;
    while (d && p->result == MI_RESULT_OK && (e = readdir(d))) {
        const char *n = e->d_name;
        if (strncmp(n, "cpu", 3) != 0 || !isdigit((unsigned char)n[3]))
            continue;
        char *end;
        unsigned long number = strtoul(n + 3, &end, 10);
        if (!*end)
            each(p, (unsigned)number);
    }
    if (d)
        closedir(d);
}

static void cpu_id(unsigned number, char *out, size_t size)
{
    snprintf(out, size, "CPU%u", number);
}

/* The model name and clock of processor `number` in /proc/cpuinfo. */
static void cpuinfo(unsigned number, char *model, size_t size, double *mhz)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    long current = -1;
    model[0] = '\0';
    *mhz = 0;
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *value = colon + 1 + (colon[1] == ' ');
        value[strcspn(value, "\n")] = '\0';
        if (!strncmp(line, "processor", 9))
            current = strtol(value, NULL, 10);
        else if (current == (long)number && !strncmp(line, "model name", 10))
            snprintf(model, size, "%s", value);
        else if (current == (long)number && !strncmp(line, "cpu MHz", 7))
            *mhz = strtod(value, NULL);
    }
    if (f)
        fclose(f);
}

static void one_processor(post *p, unsigned number)
{
    char id[32];
    cpu_id(number, id, sizeof id);
    if (!wanted(p, "DeviceID", id))
        return;
    MI_Instance *cpu = device_keys(p, "Libmi_Processor", id);
    if (cpu && !p->keys_only) {
        char model[256], path[128], line[64];
        double mhz;
        cpuinfo(number, model, sizeof model, &mhz);
        set_string(cpu, "Name", model[0] ? model : id);
        set_string(cpu, "ElementName", id);
        if (mhz > 0)
            set_uint32(cpu, "CurrentClockSpeed", (MI_Uint32)(mhz + 0.5));
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%u/cpufreq/cpuinfo_max_freq",
                 number);
        if (read_line(path, line, sizeof line)) /* kHz */
            set_uint32(cpu, "MaxClockSpeed", (MI_Uint32)(strtoul(line, NULL, 10) / 1000));
    }
    post_instance(p, cpu);
}

void processors(post *p)
{
    each_cpu(p, one_processor);
}

static void one_processor_device(post *p, unsigned number)
{
    char id[32];
    cpu_id(number, id, sizeof id);
    send_association(p, "Libmi_SystemDevice", "GroupComponent", system_keys(p), "PartComponent",
                     device_keys(p, "Libmi_Processor", id));
}

void processor_devices(post *p)
{
    each_cpu(p, one_processor_device);
}

/* ---- memory: the machine's, as the kernel counts it (/proc/meminfo) ---- */

/* Calls each(p, id, kB) for the memory device. Per-node figures (sysfs) are not used:
 * where they exist they need not add up to what the kernel reports in all. */
static void each_memory(post *p, void (*each)(post *, const char *, unsigned long long))
{
    each(p, "Memory", meminfo_kb("MemTotal"));
}

static void one_memory(post *p, const char *id, unsigned long long kb)
{
    if (!wanted(p, "DeviceID", id))
        return;
    MI_Instance *memory = device_keys(p, "Libmi_Memory", id);
    if (memory && !p->keys_only) {
        set_string(memory, "ElementName", id);
        set_uint64(memory, "BlockSize", 1024);
        set_uint64(memory, "NumberOfBlocks", kb);
        set_uint64(memory, "ConsumableBlocks", kb);
    }
    post_instance(p, memory);
}

void memories(post *p)
{
    each_memory(p, one_memory);
}

static void one_memory_device(post *p, const char *id, unsigned long long kb)
{
    (void)kb;
    send_association(p, "Libmi_SystemDevice", "GroupComponent", system_keys(p), "PartComponent",
                     device_keys(p, "Libmi_Memory", id));
}

void memory_devices(post *p)
{
    each_memory(p, one_memory_device);
}

/* ---- IP endpoints ---- */

typedef struct endpoint {
    char name[320]; /* the key: interface/address */
    char port[64];  /* the interface */
    char address[INET6_ADDRSTRLEN];
    char mask[INET6_ADDRSTRLEN];
    unsigned prefix; /* bits */
    int v6;
} endpoint;

static unsigned prefix_bits(const unsigned char *mask, size_t bytes)
{
    unsigned bits = 0;
    for (size_t i = 0; i < bytes; i++)
        for (unsigned char b = mask[i]; b & 0x80; b = (unsigned char)(b << 1))
            bits++;
    return bits;
}

/* Calls each(p, endpoint) for every IPv4 and IPv6 address of an interface. */
static void each_endpoint(post *p, void (*each)(post *, const endpoint *))
{
    struct ifaddrs *all = NULL;
    if (getifaddrs(&all) != 0)
        return;
    for (struct ifaddrs *a = all; a && p->result == MI_RESULT_OK; a = a->ifa_next) {
        if (!a->ifa_addr || !a->ifa_name ||
            (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6))
            continue;
        endpoint e;
        memset(&e, 0, sizeof e);
        e.v6 = a->ifa_addr->sa_family == AF_INET6;
        snprintf(e.port, sizeof e.port, "%s", a->ifa_name);
        const void *addr, *mask = NULL;
        size_t mask_bytes;
        if (e.v6) {
            addr = &((const struct sockaddr_in6 *)(const void *)a->ifa_addr)->sin6_addr;
            if (a->ifa_netmask)
                mask = &((const struct sockaddr_in6 *)(const void *)a->ifa_netmask)->sin6_addr;
            mask_bytes = 16;
        } else {
            addr = &((const struct sockaddr_in *)(const void *)a->ifa_addr)->sin_addr;
            if (a->ifa_netmask)
                mask = &((const struct sockaddr_in *)(const void *)a->ifa_netmask)->sin_addr;
            mask_bytes = 4;
        }
        int family = e.v6 ? AF_INET6 : AF_INET;
        if (!inet_ntop(family, addr, e.address, sizeof e.address))
            continue;
        if (mask) {
            inet_ntop(family, mask, e.mask, sizeof e.mask);
            e.prefix = prefix_bits(mask, mask_bytes);
        }
        snprintf(e.name, sizeof e.name, "%s/%s", e.port, e.address);
        each(p, &e);
    }
    freeifaddrs(all);
}

static MI_Instance *endpoint_keys(post *p, const char *name)
{
    MI_Instance *ep = new_instance(p, "Libmi_IPProtocolEndpoint");
    set_string(ep, "SystemCreationClassName", "Libmi_ComputerSystem");
    set_string(ep, "SystemName", host_name());
    set_string(ep, "CreationClassName", "Libmi_IPProtocolEndpoint");
    set_string(ep, "Name", name);
    return ep;
}

static void one_endpoint(post *p, const endpoint *e)
{
    if (!wanted(p, "Name", e->name))
        return;
    MI_Instance *ep = endpoint_keys(p, e->name);
    if (ep && !p->keys_only) {
        set_string(ep, "ElementName", e->port);
        set_string(ep, e->v6 ? "IPv6Address" : "IPv4Address", e->address);
        if (!e->v6 && e->mask[0])
            set_string(ep, "SubnetMask", e->mask);
        set_uint8(ep, "PrefixLength", (MI_Uint8)e->prefix);
        set_uint16(ep, "ProtocolIFType", e->v6 ? IPV6 : IPV4);
    }
    post_instance(p, ep);
}

void ip_endpoints(post *p)
{
    each_endpoint(p, one_endpoint);
}

static void one_hosted_access_point(post *p, const endpoint *e)
{
    send_association(p, "Libmi_HostedAccessPoint", "Antecedent", system_keys(p), "Dependent",
                     endpoint_keys(p, e->name));
}

void hosted_access_points(post *p)
{
    each_endpoint(p, one_hosted_access_point);
}

static void one_port_endpoint(post *p, const endpoint *e)
{
    send_association(p, "Libmi_PortImplementsEndpoint", "Antecedent",
                     device_keys(p, "Libmi_NetworkPort", e->port), "Dependent",
                     endpoint_keys(p, e->name));
}

void port_endpoints(post *p)
{
    each_endpoint(p, one_port_endpoint);
}
