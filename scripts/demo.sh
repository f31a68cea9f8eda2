#!/usr/bin/env bash
# The main job: install dependencies, build libmi and the mi tool, and print the
# instances associated with this computer system (its disks, file systems, network
# ports and operating system) as the built-in Linux provider computes them. Then the
# documented second example: the sample datacenter model is loaded into the default
# repository (a repository that has it already is left as it is, one with an older
# copy is updated) and the instances associated with the computer system web1 printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
# a new default repository has the provider from the start; an older one without it gets
# it here (one that has it keeps it: the sample below may since have redefined classes
# the module shares, which a second registration would refuse)
registered=$(build/bin/mi provider list 2>/dev/null || true) # none yet: no repository
grep -q '/libmi-linux\.so$' <<<"$registered" \
    || build/bin/mi provider register build/libmi/providers/libmi-linux.so --in-process >/dev/null
me=(Libmi_ComputerSystem CreationClassName=Libmi_ComputerSystem Name="$(hostname)")
echo "== this machine (the built-in Linux provider): its devices, file systems, OS, addresses"
build/bin/mi associators "${me[@]}" --assoc-class CIM_SystemComponent --format table
echo
build/bin/mi associators "${me[@]}" --assoc-class CIM_HostedAccessPoint --format table
packages=$(build/bin/mi associators "${me[@]}" --assoc-class CIM_InstalledSoftwareIdentity \
    --format paths | wc -l)
echo "and $packages installed packages (--assoc-class CIM_InstalledSoftwareIdentity)"
echo
echo "== the sample datacenter model"
build/bin/mi compile samples/datacenter.mof
build/bin/mi associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1 \
    --format table
