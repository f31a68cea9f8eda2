#!/usr/bin/env bash
# Installs the Debian 12 packages libmi builds and tests with. Idempotent: installs only
# what is missing, and touches apt only then. Run as root (or with sudo available).
#   scripts/deps.sh          build and test
#   scripts/deps.sh fuzz     also clang with libFuzzer (scripts/fuzz.sh)
set -euo pipefail
packages=(cmake make gcc g++ pkg-config libcmocka-dev libsqlite3-dev libexpat1-dev clang-format
          python3 graphviz libmicrohttpd-dev libgnutls28-dev libcrypt-dev sblim-wbemcli curl openssl
          libcurl4-gnutls-dev groff-base iproute2 wsl python3-winrm)
[ "${1:-}" = fuzz ] && packages+=(clang libclang-rt-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
