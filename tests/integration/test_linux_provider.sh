#!/usr/bin/env bash
# The built-in Linux provider against the machine read independently (by this script,
# from /sys, /proc, mountinfo and os-release): the same disks, network ports, file
# systems, processes and operating system, with the same key values; the associators of
# the computer system; through a local session and through mid. Also: registration
# (what is stored, a conflicting class refused with nothing stored), a new per-user
# default repository having the provider from the start, and stored and provider
# instances of one class tree merged in an enumeration.
set -uo pipefail
: "${MI_BUILD_DIR:?}" "${MI_SOURCE_DIR:?}"
work=$(mktemp -d)
pid=
loop= mounted=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "$mounted" ] && umount "$mounted"
    [ -n "$loop" ] && losetup -d "$loop"
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$work/log" ] && grep -v "^time=" "$work/log" | head -40; exit 1; }
# mi ARGS: on the test's repository, unless ARGS name a --host
mi() {
    if [[ " $* " == *" --host "* ]]; then "$MI_BUILD_DIR/bin/mi" "$@"
    else "$MI_BUILD_DIR/bin/mi" --repository "$work/repo.db" "$@"; fi
}
other() { "$MI_BUILD_DIR/bin/mi" --repository "$work/other.db" "$@"; }
module="$MI_BUILD_DIR/libmi/providers/libmi-linux.so"
[ -f "$module" ] || fail "no provider module at $module"
host=$(hostname)

out=$(mi provider register "$module") || fail "register: $out"
grep -q "23 classes served, 64 classes stored" <<<"$out" || fail "register said: $out"
mi provider list | grep -q "Libmi_ComputerSystem .*isolated .*libmi-linux.so" || fail "provider list"
# registering again changes nothing and is no error
out=$(mi provider register "$module") || fail "re-register: $out"
grep -q "0 classes stored, 64 there already" <<<"$out" || fail "re-register: $out"

# a partitioned disk to look at, where this machine lets the test make one: a loop device
# on a file with an MBR of two partitions, the first holding a mounted ext4 file system
partitioned=
make_partitioned_disk() {
    [ "$(id -u)" = 0 ] && command -v losetup >/dev/null && command -v mkfs.ext4 >/dev/null \
        || { echo "note: partitions not checked: needs root, losetup and mkfs.ext4"; return; }
    truncate -s 64M "$work/disk.img"
    python3 - "$work/disk.img" <<'PY'
import struct, sys
mbr = bytearray(512)
for i, (start, count) in enumerate([(2048, 32768), (34816, 96256)]):
    mbr[446 + 16 * i:462 + 16 * i] = struct.pack('<B3sB3sII', 0, bytes(3), 0x83, bytes(3), start, count)
mbr[510:512] = b'\x55\xaa'
with open(sys.argv[1], 'r+b') as f:
    f.write(mbr)
PY
    loop=$(losetup -P -f --show "$work/disk.img" 2>/dev/null) \
        || { loop=; echo "note: partitions not checked: no loop device here"; return; }
    local name=${loop#/dev/}
    # a kernel that does not scan partition tables is told them
    [ -e "/sys/block/$name/${name}p1" ] || partx -a "$loop" 2>/dev/null
    [ -e "/sys/block/$name/${name}p1" ] \
        || { echo "note: partitions not checked: $loop shows no partitions"; return; }
    mkdir -p "$work/mnt"
    mkfs.ext4 -q "${loop}p1" && mount "${loop}p1" "$work/mnt" && mounted=$work/mnt \
        || { echo "note: partitions not checked: cannot mount ${loop}p1"; return; }
    partitioned=$name
}
make_partitioned_disk

# the value of key NAME in each path read from stdin, sorted
keys() { sed -nE "s/.*[.,]$1=\"([^\"]*)\".*/\\1/p" | sort; }

# KEYS_OF CLASS KEY [--host URL]: the provider's key values of one class
keys_of() { local class=$1 key=$2; shift 2; mi enumerate "$class" --format paths "$@" | keys "$key"; }

expected_disks=$(for d in /sys/block/*; do [ -e "$d/device" ] && basename "$d"; done | sort)
expected_ports=$(ls /sys/class/net | sort)
expected_mounts=$(awk '{ gsub(/\\040/, " ", $5); print $5 }' /proc/self/mountinfo | sort -u)
expected_os=$(. /etc/os-release && echo "${PRETTY_NAME:-Linux}")
expected_cpus=$(ls /sys/devices/system/cpu | sed -nE 's/^cpu([0-9]+)$/CPU\1/p' | sort)
# memory: one device, the kernel's MemTotal (kB)
expected_memory="Memory $(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)"
# interface/address for every IPv4 and IPv6 address, as iproute2 lists them
expected_endpoints=$(ip -o addr show | awk '{ split($4, a, "/"); print $2 "/" a[1] }' | sort -u)
expected_packages=$(dpkg-query -W -f '${db:Status-Status} ${Package} ${Architecture}\n' \
    | awk '$1 == "installed" { print "Libmi:dpkg:" $2 ":" $3 }' | sort)

# block devices with a medium, their partitions, and the file systems mounted from them
# ("MOUNT-POINT DEVICE"), as sysfs and mountinfo tell them
sized() { [ "$(cat "$1/size" 2>/dev/null || echo 0)" != 0 ]; }
expected_extents=$(for d in /sys/block/*; do sized "$d" && basename "$d"; done | sort)
expected_partitions=$(for d in /sys/block/*/*/partition; do
    d=${d%/partition}; [ -e "$d" ] && sized "$d" && basename "$d"; done | sort)
expected_residences=$(awk '{ gsub(/\\040/, " ", $5); device[$5] = $3 }
    END { for (m in device) print m "\t" device[m] }' /proc/self/mountinfo \
    | while IFS=$'\t' read -r point device; do
        link=$(readlink "/sys/dev/block/$device" 2>/dev/null) || continue
        sized "/sys/class/block/${link##*/}" && echo "$point ${link##*/}"
    done | sort)

check_storage() { # [--host URL]
    local how=${1:+ through mid}
    [ "$(keys_of Libmi_StorageExtent DeviceID "$@")" = "$expected_extents" ] || fail "extents$how"
    [ "$(keys_of Libmi_DiskPartition DeviceID "$@")" = "$expected_partitions" ] \
        || fail "partitions$how: $(keys_of Libmi_DiskPartition DeviceID "$@" | tr '\n' ' ')"
    local residences
    residences=$(mi enumerate Libmi_ResidesOnExtent --format paths "$@" \
        | sed -E 's/.*DeviceID=\\"([^\\]*)\\".*Libmi_FileSystem\.Name=\\"([^\\]*)\\".*/\2 \1/' | sort)
    [ "$residences" = "$expected_residences" ] || fail "file systems on extents$how: \
$(diff <(echo "$residences") <(echo "$expected_residences") | head -5)"
    # every drive with a medium has it present; each extent is a device of the system
    local drive
    for drive in $expected_disks; do
        sized "/sys/block/$drive" || continue
        [ "$(mi associators Libmi_DiskDrive SystemCreationClassName=Libmi_ComputerSystem \
            SystemName="$host" CreationClassName=Libmi_DiskDrive DeviceID="$drive" \
            --assoc-class CIM_MediaPresent --format paths "$@" | keys DeviceID)" = "$drive" ] \
            || fail "the medium of $drive$how"
    done
    local parts
    parts=$(mi associators "${me[@]}" --result-class CIM_StorageExtent --format paths "$@" \
        | grep -v Libmi_Memory | keys DeviceID)
    [ "$parts" = "$(sort <<<"$expected_extents"$'\n'"$expected_partitions" | grep .)" ] \
        || fail "the system's extents$how: $parts"
    [ -n "$partitioned" ] || return 0
    # the partitioned loop device: partition 1 lies on it from sector 2048, holds the
    # mounted file system; the disk's extent is the base of both partitions
    local p1=(Libmi_DiskPartition SystemCreationClassName=Libmi_ComputerSystem SystemName="$host"
              CreationClassName=Libmi_DiskPartition DeviceID="${partitioned}p1")
    mi get "${p1[@]}" --format mof "$@" | grep -q "NumberOfBlocks = 32768;" \
        || fail "the size of ${partitioned}p1$how"
    [ "$(mi associators "${p1[@]}" --assoc-class CIM_BasedOn --format paths "$@" | keys DeviceID)" \
        = "$partitioned" ] || fail "${partitioned}p1 based on $partitioned$how"
    mi references "${p1[@]}" --result-class CIM_BasedOn --format mof "$@" >"$work/based" \
        || fail "references of ${partitioned}p1$how"
    grep -q "StartingAddress = 2048;" "$work/based" && grep -q "EndingAddress = 34815;" "$work/based" \
        || fail "where ${partitioned}p1 lies$how: $(cat "$work/based")"
    [ "$(mi associators Libmi_StorageExtent SystemCreationClassName=Libmi_ComputerSystem \
        SystemName="$host" CreationClassName=Libmi_StorageExtent DeviceID="$partitioned" \
        --assoc-class CIM_BasedOn --result-role Dependent --format paths "$@" | keys DeviceID)" \
        = "$(printf '%s\n' "${partitioned}p1" "${partitioned}p2")" ] || fail "the partitions of $partitioned$how"
    [ "$(mi associators Libmi_FileSystem CSCreationClassName=Libmi_ComputerSystem CSName="$host" \
        CreationClassName=Libmi_FileSystem Name="$work/mnt" --assoc-class CIM_ResidesOnExtent \
        --format paths "$@" | keys DeviceID)" = "${partitioned}p1" ] || fail "where $work/mnt resides$how"
}

check_machine() { # [--host URL]
    local how=${1:+ through mid}
    local me=(Libmi_ComputerSystem CreationClassName=Libmi_ComputerSystem Name="$host")
    check_storage "$@"
    [ "$(keys_of Libmi_DiskDrive DeviceID "$@")" = "$expected_disks" ] || fail "disks$how"
    [ "$(keys_of Libmi_NetworkPort DeviceID "$@")" = "$expected_ports" ] || fail "ports$how"
    [ "$(keys_of Libmi_FileSystem Name "$@")" = "$expected_mounts" ] || fail "file systems$how"
    [ "$(keys_of Libmi_OperatingSystem Name "$@")" = "$expected_os" ] || fail "os$how"
    [ "$(keys_of Libmi_ComputerSystem Name "$@")" = "$host" ] || fail "computer system$how"
    [ "$(keys_of Libmi_Processor DeviceID "$@")" = "$expected_cpus" ] || fail "processors$how"
    local memory
    memory=$(mi enumerate Libmi_Memory --format mof "$@" | awk -F'"' '/DeviceID = /{ id = $2 }
        /NumberOfBlocks = /{ gsub(/[^0-9]/, "", $0); print id " " $0 }' | sort)
    [ "$memory" = "$expected_memory" ] || fail "memory$how: $memory, expected $expected_memory"
    [ "$(keys_of Libmi_IPProtocolEndpoint Name "$@")" = "$expected_endpoints" ] \
        || fail "IP endpoints$how: $(keys_of Libmi_IPProtocolEndpoint Name "$@" | tr '\n' ' ')"
    [ "$(keys_of Libmi_SoftwareIdentity InstanceID "$@")" = "$expected_packages" ] \
        || fail "installed software$how"
    # one package by its key, with its version as dpkg-query tells it
    local pkg=${expected_packages%%$'\n'*} name version
    name=${pkg#Libmi:dpkg:}; name=${name%:*}
    version=$(dpkg-query -W -f '${Version}' "$name" 2>/dev/null | head -1)
    mi get Libmi_SoftwareIdentity InstanceID="$pkg" --format mof "$@" \
        | grep -qF "VersionString = \"$version\";" || fail "package $pkg$how"
    # the address of the loopback endpoint, and the port implementing it
    local lo=(Libmi_IPProtocolEndpoint SystemCreationClassName=Libmi_ComputerSystem
              SystemName="$host" CreationClassName=Libmi_IPProtocolEndpoint Name=lo/127.0.0.1)
    mi get "${lo[@]}" --format mof "$@" | grep -q 'PrefixLength = 8;' || fail "lo endpoint$how"
    [ "$(mi associators "${lo[@]}" --result-class CIM_NetworkPort --format paths "$@" | keys DeviceID)" \
        = lo ] || fail "the port of lo/127.0.0.1$how"
    # processes: those alive before and after the enumeration are all in it
    local before after got
    before=$(ls /proc | grep -E '^[0-9]+$' | sort)
    got=$(keys_of Libmi_Process Handle "$@")
    after=$(ls /proc | grep -E '^[0-9]+$' | sort)
    local lasting missing
    lasting=$(comm -12 <(echo "$before") <(echo "$after"))
    missing=$(comm -23 <(echo "$lasting") <(echo "$got" | sort))
    [ -z "$missing" ] || fail "processes$how: missing $missing"
    # this shell's own process, by its key, with its name
    mi get Libmi_Process CSCreationClassName=Libmi_ComputerSystem CSName="$host" \
        OSCreationClassName=Libmi_OperatingSystem OSName="$expected_os" \
        CreationClassName=Libmi_Process Handle=$$ --format mof "$@" >"$work/self" || fail "get process$how"
    grep -q "Name = \"$(cat /proc/$$/comm)\";" "$work/self" || fail "process name$how: $(cat "$work/self")"
    grep -q "ParentProcessID = \"$PPID\";" "$work/self" || fail "process parent$how"
    # the size of a disk, from /sys/block, in KB
    local disk=${expected_disks%%$'\n'*}
    if [ -n "$disk" ]; then
        local kb=$(( $(cat /sys/block/$disk/size) * 512 / 1000 ))
        mi get Libmi_DiskDrive SystemCreationClassName=Libmi_ComputerSystem SystemName="$host" \
            CreationClassName=Libmi_DiskDrive DeviceID="$disk" --format mof "$@" \
            | grep -q "MaxMediaSize = $kb;" || fail "disk size$how"
    fi
    # the associators of the computer system: every disk, port, file system and the OS
    local me=(Libmi_ComputerSystem CreationClassName=Libmi_ComputerSystem Name="$host")
    local assoc
    assoc=$(mi associators "${me[@]}" --format paths "$@") || fail "associators$how"
    [ "$(grep '^root/cimv2:Libmi_DiskDrive' <<<"$assoc" | keys DeviceID)" = "$expected_disks" ] \
        || fail "associated disks$how"
    [ "$(grep '^root/cimv2:Libmi_NetworkPort' <<<"$assoc" | keys DeviceID)" = "$expected_ports" ] \
        || fail "associated ports$how"
    [ "$(grep '^root/cimv2:Libmi_FileSystem' <<<"$assoc" | keys Name)" = "$expected_mounts" ] \
        || fail "associated file systems$how"
    [ "$(grep -c '^root/cimv2:Libmi_OperatingSystem' <<<"$assoc")" = 1 ] || fail "associated OS$how"
    [ "$(grep '^root/cimv2:Libmi_Processor' <<<"$assoc" | keys DeviceID)" = "$expected_cpus" ] \
        || fail "associated processors$how"
    [ "$(grep '^root/cimv2:Libmi_Memory' <<<"$assoc" | keys DeviceID)" \
        = "$(cut -d' ' -f1 <<<"$expected_memory")" ] || fail "associated memory$how"
    [ "$(grep '^root/cimv2:Libmi_IPProtocolEndpoint' <<<"$assoc" | keys Name)" = "$expected_endpoints" ] \
        || fail "associated endpoints$how"
    [ "$(grep '^root/cimv2:Libmi_SoftwareIdentity' <<<"$assoc" | keys InstanceID)" = "$expected_packages" ] \
        || fail "associated software$how"
    [ "$(mi associators "${me[@]}" --assoc-class CIM_InstalledSoftwareIdentity --format mof "$@" \
        | grep -c '^instance of Libmi_SoftwareIdentity')" = "$(wc -l <<<"$expected_packages")" ] \
        || fail "software as whole instances$how"
    # filtered: through one association class, one result class, one role
    [ "$(mi associators "${me[@]}" --assoc-class CIM_HostedFileSystem --format paths "$@" | keys Name)" \
        = "$expected_mounts" ] || fail "--assoc-class$how"
    [ "$(mi associators "${me[@]}" --result-class CIM_DiskDrive --format paths "$@" | keys DeviceID)" \
        = "$expected_disks" ] || fail "--result-class$how"
    [ -z "$(mi associators "${me[@]}" --role PartComponent --format paths "$@")" ] || fail "--role$how"
    [ "$(mi references "${me[@]}" --result-class CIM_RunningOS --format paths "$@" | wc -l)" = 1 ] \
        || fail "references$how"
    # the other way: a package is installed on this system, a disk is in it
    local of_pkg
    of_pkg=$(mi associators Libmi_SoftwareIdentity InstanceID="$pkg" --format paths "$@")
    [ "$(grep -c . <<<"$of_pkg")" = 1 ] && [ "$(grep '^root/cimv2:Libmi_ComputerSystem' <<<"$of_pkg" \
        | keys Name)" = "$host" ] || fail "associators of a package$how: $of_pkg"
    if [ -n "$disk" ]; then
        [ "$(mi associators Libmi_DiskDrive SystemCreationClassName=Libmi_ComputerSystem \
            SystemName="$host" CreationClassName=Libmi_DiskDrive DeviceID="$disk" \
            --result-role GroupComponent --format paths "$@" | keys Name)" = "$host" ] \
            || fail "associators of a disk$how"
    fi
    # a key that names nothing
    mi get Libmi_DiskDrive SystemCreationClassName=Libmi_ComputerSystem SystemName="$host" \
        CreationClassName=Libmi_DiskDrive DeviceID=no-such-disk "$@" 2>"$work/err" \
        && fail "get of a missing disk$how"
    grep -q NOT_FOUND "$work/err" || fail "missing disk$how: $(cat "$work/err")"
}
check_machine

# mi graph on the live machine: the devices and endpoints around the computer system, and
# at the second step, through dependencies, the ports implementing its endpoints; the DOT
# renders
me=(Libmi_ComputerSystem CreationClassName=Libmi_ComputerSystem Name="$host")
graph=$(mi graph "${me[@]}" --depth 1 --format json) || fail "graph"
count_nodes() { python3 -c 'import json,sys; g=json.load(sys.stdin); print(sorted(n["path"] for n in g["nodes"] if n["class"] == sys.argv[1] and n["depth"] == int(sys.argv[2])).__len__())' "$@"; }
[ "$(count_nodes Libmi_DiskDrive 1 <<<"$graph")" = "$(wc -w <<<"$expected_disks")" ] \
    || fail "graph: disks"
[ "$(count_nodes Libmi_Processor 1 <<<"$graph")" = "$(wc -w <<<"$expected_cpus")" ] \
    || fail "graph: processors"
[ "$(count_nodes Libmi_IPProtocolEndpoint 1 <<<"$graph")" = "$(wc -l <<<"$expected_endpoints")" ] \
    || fail "graph: endpoints"
ports_graph=$(mi graph "${me[@]}" --depth 2 --assoc-class CIM_Dependency --format json) \
    || fail "graph of dependencies"
[ "$(count_nodes Libmi_NetworkPort 2 <<<"$ports_graph")" -ge 1 ] || fail "graph: ports at step 2"
mi graph "${me[@]}" --assoc-class CIM_SystemDevice | dot -Tsvg >"$work/me.svg" \
    && grep -q '<svg' "$work/me.svg" || fail "graph: dot"

# stored and provider instances of one class tree merge in an enumeration
mi compile "$MI_SOURCE_DIR/samples/datacenter.mof" >/dev/null || fail "sample compile"
all=$(mi enumerate CIM_DiskDrive --format paths)
grep -q '^root/cimv2:CIM_DiskDrive.*DeviceID="sda"' <<<"$all" || fail "stored disks in the merge"
[ "$(grep '^root/cimv2:Libmi_DiskDrive' <<<"$all" | keys DeviceID)" = "$expected_disks" ] \
    || fail "provider disks in the merge"
# the sample's associators are the stored ones still
[ "$(mi associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1 --format paths \
    | grep -c Libmi_)" = 0 ] || fail "provider instances among web1's associators"
check_machine # the sample's classes replaced the provider's CIM_ ones: all still works
# the sample's classes add to the module's: registering again finds every class there
out=$(mi provider register "$module") || fail "register after the sample: $out"
grep -q "0 classes stored, 64 there already" <<<"$out" || fail "register after the sample: $out"
# a compile may not take from a class the provider builds on: refused, nothing changed
class_before=$(mi class CIM_IPProtocolEndpoint)
mi compile /dev/stdin >/dev/null 2>"$work/err" <<'MOF' && fail "a provider's class lost a property"
class CIM_IPProtocolEndpoint : CIM_ProtocolEndpoint { string IPv4Address; };
MOF
grep -q "CIM_IPProtocolEndpoint cannot be updated .*libmi-linux.so serves Libmi_IPProtocolEndpoint, which needs its string IPv6Address" \
    "$work/err" || fail "refused compile said: $(cat "$work/err")"
[ "$(mi class CIM_IPProtocolEndpoint)" = "$class_before" ] || fail "the refused compile changed the class"
mi compile /dev/stdin >/dev/null 2>"$work/err" <<'MOF' && fail "a provider's class changed its superclass"
[Association] class CIM_PortImplementsEndpoint : CIM_Dependency {
    [Override("Antecedent")] CIM_LogicalPort REF Antecedent;
    [Override("Dependent")] CIM_ProtocolEndpoint REF Dependent; };
MOF
grep -q "which needs its superclass CIM_DeviceSAPImplementation" "$work/err" \
    || fail "refused superclass change said: $(cat "$work/err")"

# through mid
"$MI_BUILD_DIR/bin/mid" --repository "$work/repo.db" --listen 127.0.0.1:0 --ready-file "$work/port" \
    2>"$work/log" &
pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "mid did not start"
check_machine --host "http://127.0.0.1:$(cat "$work/port")"
# mid runs the module isolated (in mi-host), locally it runs in-process: the same objects,
# whatever the filters
url="http://127.0.0.1:$(cat "$work/port")"
same_both_ways() { # OPERATION FILTERS
    local op=$1 filters=$2 local_answer remote_answer
    # shellcheck disable=SC2086 # the filters are words
    local_answer=$(mi "$op" "${me[@]}" $filters --format paths) || fail "local $op $filters"
    # shellcheck disable=SC2086
    remote_answer=$(mi "$op" "${me[@]}" $filters --format paths --host "$url") \
        || fail "$op through mid $filters"
    [ "$local_answer" = "$remote_answer" ] || fail "$op $filters differ: \
$(diff <(echo "$local_answer") <(echo "$remote_answer") | head -5)"
}
for filters in "" "--keys-only" "--role GroupComponent" "--result-role PartComponent" \
    "--assoc-class CIM_SystemDevice --result-class CIM_LogicalDevice" \
    "--assoc-class CIM_Dependency" "--result-class CIM_ManagedSystemElement --role System"; do
    same_both_ways associators "$filters"
done
for filters in "" "--keys-only" "--role GroupComponent" "--result-class CIM_SystemDevice" \
    "--role Dependent --result-class CIM_Dependency"; do
    same_both_ways references "$filters"
done
# the references are the association instances an enumeration lists (all of this system)
[ "$(mi references "${me[@]}" --result-class CIM_InstalledSoftwareIdentity --format paths \
    | wc -l)" = "$(wc -l <<<"$expected_packages")" ] || fail "software references"
[ "$(mi references "${me[@]}" --result-class Libmi_SystemDevice --format paths | sort)" \
    = "$(mi enumerate Libmi_SystemDevice --format paths | sort)" ] || fail "device references"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

# a conflicting class is refused and nothing is stored
other compile /dev/stdin >/dev/null <<'MOF' || fail "compile conflict"
class CIM_ManagedElement { string Caption; string Description; string ElementName; };
class CIM_ManagedSystemElement : CIM_ManagedElement { uint32 Name; };
MOF
classes_before=$(other classes | wc -l)
other provider register "$module" 2>"$work/err" \
    && fail "a conflicting registration was accepted"
grep -q "CIM_ManagedSystemElement.Name" "$work/err" || fail "conflict message: $(cat "$work/err")"
[ "$(other classes | wc -l)" = "$classes_before" ] || fail "conflict stored classes"
other provider list | grep -q "no providers" \
    || fail "conflict registered"
# unregister
mi provider unregister "$module" | grep -q "23 classes no longer served" || fail "unregister"
mi enumerate Libmi_DiskDrive --format paths | grep -q . && fail "served after unregister"
mi provider unregister "$module" 2>/dev/null && fail "unregister twice"

# a new per-user default repository (made by the first write) has the provider from the start
mkdir -p "$work/home"
me=(Libmi_ComputerSystem CreationClassName=Libmi_ComputerSystem Name="$host")
user() { env -u MI_REPOSITORY HOME="$work/home" XDG_DATA_HOME= "$MI_BUILD_DIR/bin/mi" "$@"; }
user compile "$MI_SOURCE_DIR/samples/datacenter.mof" >/dev/null || fail "compile into the default"
# (the whole answer first: grep -q stopping early would break the pipe under pipefail)
user_assoc=$(user associators "${me[@]}" --format paths) || fail "default repository associators"
grep -q '^root/cimv2:Libmi_OperatingSystem' <<<"$user_assoc" || fail "default repository"
echo "ok: linux provider"
