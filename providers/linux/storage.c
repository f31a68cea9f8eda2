/*
 * Storage of the Linux provider: disk drives (/sys/block), the block devices with a
 * medium as storage extents and their partitions (/proc/partitions, sysfs for the
 * details), file systems (mountinfo, statvfs), and what joins
 * them: a drive to its medium (Libmi_MediaPresent), a partition or a mapped device to
 * what it is made of (Libmi_BasedOn: /sys/block/X/slaves), a file system to the device
 * it is mounted from (Libmi_ResidesOnExtent) and each of them to the computer system.
 */
#include "machine.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* sysfs counts every block device's size in 512-byte sectors */
enum { SECTOR = 512 };

static int exists(const char *format, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, format, name);
    return access(path, F_OK) == 0;
}

/* A drive: a block device backed by a device (not a loop, RAM or mapped device). */
static int is_disk(const char *name)
{
    return exists("/sys/block/%s/device", name);
}

/* The size of block device `name` (/sys/class/block/NAME: whole devices and partitions)
 * in sectors; 0 when it has no medium or is not there. */
static unsigned long long sectors(const char *name)
{
    char path[512], line[64];
    snprintf(path, sizeof path, "/sys/class/block/%s/size", name);
    return read_line(path, line, sizeof line) ? strtoull(line, NULL, 10) : 0;
}

static const char *extent_class(const char *name)
{
    return exists("/sys/class/block/%s/partition", name) ? "Libmi_DiskPartition"
                                                         : "Libmi_StorageExtent";
}

static MI_Instance *extent_keys(post *p, const char *name)
{
    return device_keys(p, extent_class(name), name);
}

/* The device partition `name` is part of (its sysfs folder's parent), in parent. */
static int parent_of(const char *name, char *parent, size_t size)
{
    char path[512], target[1024];
    snprintf(path, sizeof path, "/sys/class/block/%s", name);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = '\0';
    char *slash = strrchr(target, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    slash = strrchr(target, '/');
    snprintf(parent, size, "%.255s", slash ? slash + 1 : target);
    return 1;
}

/* Calls each(p, name, parent) for every block device with a medium, as the kernel lists
 * them in /proc/partitions (one read; devices without a medium are left out there):
 * whole devices with parent NULL, partitions with the device they are on. */
static void each_block(post *p, void (*each)(post *, const char *, const char *))
{
    FILE *f = fopen("/proc/partitions", "r");
    char line[512], name[256], parent[256];
    unsigned long long blocks;
    while (f && p->result == MI_RESULT_OK && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%*u %*u %llu %255s", &blocks, name) != 2 || !blocks)
            continue; /* the heading, or an empty device */
        if (!exists("/sys/class/block/%s/partition", name))
            each(p, name, NULL);
        else if (parent_of(name, parent, sizeof parent))
            each(p, name, parent);
    }
    if (f)
        fclose(f);
}

/* ---- disk drives ---- */

static void one_disk(post *p, const char *name, const char *parent)
{
    (void)parent;
    if (!is_disk(name) || !wanted(p, "DeviceID", name))
        return;
    MI_Instance *disk = device_keys(p, "Libmi_DiskDrive", name);
    if (disk && !p->keys_only) {
        char dev[300];
        snprintf(dev, sizeof dev, "/dev/%s", name);
        set_string(disk, "Name", dev);
        set_uint64(disk, "MaxMediaSize", sectors(name) * SECTOR / 1000); /* in KB */
    }
    post_instance(p, disk);
}

/* Drives without a medium are drives still: every /sys/block entry with a device. */
static void each_drive(post *p, void (*each)(post *, const char *, const char *))
{
    DIR *d = opendir("/sys/block");
    struct dirent *e;
    while (d && p->result == MI_RESULT_OK && (e = readdir(d)))
        if (e->d_name[0] != '.' && is_disk(e->d_name))
            each(p, e->d_name, NULL);
    if (d)
        closedir(d);
}

void disks(post *p)
{
    each_drive(p, one_disk);
}

static void one_disk_device(post *p, const char *name, const char *parent)
{
    (void)parent;
    send_association(p, "Libmi_SystemDevice", "GroupComponent", system_keys(p), "PartComponent",
                     device_keys(p, "Libmi_DiskDrive", name));
}

void disk_devices(post *p)
{
    if (p->via && from_system(p, "GroupComponent", "PartComponent", "Libmi_DiskDrive", disks))
        return;
    each_drive(p, one_disk_device);
}

/* ---- extents and partitions ---- */

static void one_extent(post *p, const char *name, const char *parent, int partition)
{
    if ((parent != NULL) != partition || !wanted(p, "DeviceID", name))
        return;
    MI_Instance *extent = extent_keys(p, name);
    if (extent && !p->keys_only) {
        char dev[300];
        unsigned long long count = sectors(name);
        snprintf(dev, sizeof dev, "/dev/%s", name);
        set_string(extent, "Name", dev);
        set_string(extent, "ElementName", name);
        set_uint64(extent, "BlockSize", SECTOR);
        set_uint64(extent, "NumberOfBlocks", count);
        set_uint64(extent, "ConsumableBlocks", count);
    }
    post_instance(p, extent);
}

static void one_whole(post *p, const char *name, const char *parent)
{
    one_extent(p, name, parent, 0);
}

static void one_partition(post *p, const char *name, const char *parent)
{
    one_extent(p, name, parent, 1);
}

void extents(post *p)
{
    each_block(p, one_whole);
}

void partitions(post *p)
{
    each_block(p, one_partition);
}

static void one_extent_device(post *p, const char *name, const char *parent)
{
    (void)parent;
    send_association(p, "Libmi_SystemDevice", "GroupComponent", system_keys(p), "PartComponent",
                     extent_keys(p, name));
}

static void one_block(post *p, const char *name, const char *parent)
{
    one_extent(p, name, parent, parent != NULL);
}

/* Whole devices and partitions in one walk of /sys/block. */
static void extents_and_partitions(post *p)
{
    each_block(p, one_block);
}

void extent_devices(post *p)
{
    /* a result class below CIM_StorageExtent takes the association path (filtered there) */
    if (p->via && from_system(p, "GroupComponent", "PartComponent", "CIM_StorageExtent",
                              extents_and_partitions))
        return;
    each_block(p, one_extent_device);
}

static void one_medium(post *p, const char *name, const char *parent)
{
    if (!parent && is_disk(name))
        send_association(p, "Libmi_MediaPresent", "Antecedent",
                         device_keys(p, "Libmi_DiskDrive", name), "Dependent",
                         extent_keys(p, name));
}

void media_present(post *p)
{
    each_block(p, one_medium);
}

/* A partition is based on its device; a mapped or RAID device on each of its slaves. */
static void one_based_on(post *p, const char *name, const char *parent)
{
    if (parent) {
        MI_Instance *a = new_instance(p, "Libmi_BasedOn");
        MI_Instance *whole = extent_keys(p, parent), *part = extent_keys(p, name);
        char path[512], line[64];
        snprintf(path, sizeof path, "/sys/class/block/%s/start", name);
        if (a && whole && part && read_line(path, line, sizeof line)) {
            /* where on the device it lies, in the device's blocks (sectors) */
            unsigned long long start = strtoull(line, NULL, 10);
            set_reference(a, "Antecedent", whole);
            set_reference(a, "Dependent", part);
            set_uint64(a, "StartingAddress", start);
            set_uint64(a, "EndingAddress", start + sectors(name) - 1);
            post_instance(p, a);
            a = NULL;
        }
        if (a)
            MI_Instance_Delete(a);
        if (whole)
            MI_Instance_Delete(whole);
        if (part)
            MI_Instance_Delete(part);
        return;
    }
    char path[512];
    snprintf(path, sizeof path, "/sys/block/%s/slaves", name);
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && p->result == MI_RESULT_OK && (e = readdir(d)))
        if (e->d_name[0] != '.' && sectors(e->d_name))
            send_association(p, "Libmi_BasedOn", "Antecedent", extent_keys(p, e->d_name),
                             "Dependent", extent_keys(p, name));
    if (d)
        closedir(d);
}

void based_on(post *p)
{
    each_block(p, one_based_on);
}

/* ---- file systems ---- */

typedef struct mount {
    char *point, *type;
    char device[32]; /* major:minor */
} mount;

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
    char *out = s;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            *out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 3;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
}

static void free_mounts(mount *mounts, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(mounts[i].point);
        free(mounts[i].type);
    }
    free(mounts);
}

/* The mount points of mountinfo, each once: the last mount on a point is the one seen. */
static mount *read_mounts(size_t *count_out)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    mount *mounts = NULL;
    size_t count = 0;
    char line[4096];
    while (f && fgets(line, sizeof line, f)) {
        char *fields[16] = {0};
        size_t n = 0;
        for (char *t = strtok(line, " \n"); t && n < 16; t = strtok(NULL, " \n"))
            fields[n++] = t;
        size_t dash = 0;
        for (size_t i = 6; i < n && !dash; i++)
            if (!strcmp(fields[i], "-"))
                dash = i;
        if (n < 5 || !dash || dash + 1 >= n)
            continue;
        unescape(fields[4]);
        size_t at = count;
        for (size_t i = 0; i < count; i++)
            if (!strcmp(mounts[i].point, fields[4]))
                at = i;
        char *type = strdup(fields[dash + 1]);
        if (at == count) {
            mount *grown = realloc(mounts, (count + 1) * sizeof *grown);
            char *point = strdup(fields[4]);
            if (grown)
                mounts = grown;
            if (!grown || !point || !type) {
                free(point);
                free(type);
                break;
            }
            mounts[count++] = (mount){point, NULL, {0}};
        }
        free(mounts[at].type);
        mounts[at].type = type;
        snprintf(mounts[at].device, sizeof mounts[at].device, "%s", fields[2]);
    }
    if (f)
        fclose(f);
    *count_out = count;
    return mounts;
}

static MI_Instance *fs_keys(post *p, const char *point)
{
    MI_Instance *fs = new_instance(p, "Libmi_FileSystem");
    set_string(fs, "CSCreationClassName", "Libmi_ComputerSystem");
    set_string(fs, "CSName", host_name());
    set_string(fs, "CreationClassName", "Libmi_FileSystem");
    set_string(fs, "Name", point);
    return fs;
}

/* Calls each(p, mount) for every mount point. */
static void each_mount(post *p, void (*each)(post *, const mount *))
{
    size_t count = 0;
    mount *mounts = read_mounts(&count);
    for (size_t i = 0; i < count && p->result == MI_RESULT_OK; i++)
        each(p, &mounts[i]);
    free_mounts(mounts, count);
}

static void one_file_system(post *p, const mount *m)
{
    if (!wanted(p, "Name", m->point))
        return;
    MI_Instance *fs = fs_keys(p, m->point);
    if (fs && !p->keys_only) {
        set_string(fs, "Root", m->point);
        set_string(fs, "FileSystemType", m->type);
        struct statvfs st;
        if (statvfs(m->point, &st) == 0) {
            set_uint64(fs, "FileSystemSize", (MI_Uint64)st.f_blocks * st.f_frsize);
            set_uint64(fs, "AvailableSpace", (MI_Uint64)st.f_bavail * st.f_frsize);
        }
    }
    post_instance(p, fs);
}

void file_systems(post *p)
{
    each_mount(p, one_file_system);
}

static void one_hosted_file_system(post *p, const mount *m)
{
    send_association(p, "Libmi_HostedFileSystem", "GroupComponent", system_keys(p), "PartComponent",
                     fs_keys(p, m->point));
}

void hosted_file_systems(post *p)
{
    if (p->via &&
        from_system(p, "GroupComponent", "PartComponent", "Libmi_FileSystem", file_systems))
        return;
    each_mount(p, one_hosted_file_system);
}

/* A file system mounted from a block device with a medium resides on it. */
static void one_residence(post *p, const mount *m)
{
    char path[128], target[1024], name[256];
    snprintf(path, sizeof path, "/sys/dev/block/%s", m->device);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n <= 0)
        return; /* not a block device: proc, tmpfs, overlay ... */
    target[n] = '\0';
    const char *slash = strrchr(target, '/');
    snprintf(name, sizeof name, "%.255s", slash ? slash + 1 : target);
    if (sectors(name))
        send_association(p, "Libmi_ResidesOnExtent", "Antecedent", extent_keys(p, name),
                         "Dependent", fs_keys(p, m->point));
}

void resides_on_extent(post *p)
{
    each_mount(p, one_residence);
}
