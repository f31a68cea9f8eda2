#!/usr/bin/env bash
# The main job: install dependencies, build libmi and the mi tool, load the sample
# datacenter model into the default repository (a repository that has it already is left
# as it is, one with an older copy is updated), and print the instances associated with
# the computer system web1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
build/bin/mi compile samples/datacenter.mof
build/bin/mi associators CIM_ComputerSystem CreationClassName=CIM_ComputerSystem Name=web1 \
    --format table
