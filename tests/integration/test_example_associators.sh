#!/usr/bin/env bash
# The example program (examples/associators.c, documented MI names only) on an embedded
# repository filled with `mi compile`: the same associators synchronously and through
# callbacks.
set -uo pipefail
: "${MI_BUILD_DIR:?}"
mi="$MI_BUILD_DIR/bin/mi"
example="$MI_BUILD_DIR/examples/associators"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export MI_REPOSITORY="$work/repo.db"

cat >"$work/model.mof" <<'MOF'
class CIM_ComputerSystem { [Key] string CreationClassName; [Key] string Name; };
class CIM_DiskDrive { [Key] string SystemName; [Key] string DeviceID; };
[Association] class CIM_SystemDevice {
  [Key] CIM_ComputerSystem REF GroupComponent; [Key] CIM_DiskDrive REF PartComponent; };
instance of CIM_ComputerSystem as $h1 { CreationClassName = "CIM_ComputerSystem"; Name = "h1"; };
instance of CIM_DiskDrive as $sda { SystemName = "h1"; DeviceID = "sda"; };
instance of CIM_DiskDrive as $sdb { SystemName = "h1"; DeviceID = "sdb"; };
instance of CIM_SystemDevice { GroupComponent = $h1; PartComponent = $sda; };
instance of CIM_SystemDevice { GroupComponent = $h1; PartComponent = $sdb; };
MOF
"$mi" compile "$work/model.mof" >/dev/null || fail "mi compile exited $?"

out=$("$example" CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=h1) \
    || fail "the example exited $?"
expected='sync CIM_DiskDrive SystemName="h1" DeviceID="sda"
sync CIM_DiskDrive SystemName="h1" DeviceID="sdb"
async CIM_DiskDrive SystemName="h1" DeviceID="sda"
async CIM_DiskDrive SystemName="h1" DeviceID="sdb"'
[ "$out" = "$expected" ] || fail "output:
$out"
# the other way round, and an unknown object (nothing refers to it: an empty answer)
out=$("$example" CIM_DiskDrive SystemName=h1 DeviceID=sdb) || fail "exited $?"
[ "$out" = $'sync CIM_ComputerSystem CreationClassName="CIM_ComputerSystem" Name="h1"\nasync CIM_ComputerSystem CreationClassName="CIM_ComputerSystem" Name="h1"' ] \
    || fail "reverse: $out"
out=$("$example" CIM_DiskDrive SystemName=h9 DeviceID=sdz) || fail "unknown object exited $?"
[ -z "$out" ] || fail "unknown object: $out"
"$example" No_Such_Class Id=1 >/dev/null 2>"$work/err"; rc=$?
[ $rc -eq 1 ] && grep -q "result 4" "$work/err" || fail "unknown class: rc $rc, $(cat "$work/err")"
echo "example associators: ok"
