#!/usr/bin/env bash
# The main job: install dependencies, build libmi and the mi tool, and print the
# instances associated with this computer system (its disks, file systems, network
# ports and operating system) as the built-in Linux provider computes them. Then the
# documented second example: the instances associated with the computer system web1 of
# the sample datacenter model, loaded into the default repository (a repository that has
# it already is left as it is, one with an older copy is updated).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
# the sample model first (a new default repository, made by this first write, has the
# provider from the start), then this build's provider: registering it again stores what
# a newer module adds; one registered from another build or clone gives way to it
build/bin/mi compile samples/datacenter.mof >/dev/null
ours=$(realpath build/libmi/providers/libmi-linux.so)
build/bin/mi provider list | sed -nE 's/^\S+\s+\S+\s+\S+\s+(.*\/libmi-linux\.so)$/\1/p' | sort -u \
    | while read -r other; do
        [ "$other" = "$ours" ] || build/bin/mi provider unregister "$other" >/dev/null
    done
build/bin/mi provider register "$ours" --in-process >/dev/null
me=(Libmi_ComputerSystem CreationClassName=Libmi_ComputerSystem Name="$(hostname)")
echo "== this machine (the built-in Linux provider): its devices, file systems, OS, addresses"
build/bin/mi associators "${me[@]}" --assoc-class CIM_SystemComponent --format table
echo
build/bin/mi associators "${me[@]}" --assoc-class CIM_HostedAccessPoint --format table
packages=$(build/bin/mi associators "${me[@]}" --assoc-class CIM_InstalledSoftwareIdentity \
    --format paths | wc -l)
echo "and $packages installed packages (--assoc-class CIM_InstalledSoftwareIdentity)"
echo
echo "== the sample datacenter model (samples/datacenter.mof)"
build/bin/mi associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1 \
    --format table
