#!/usr/bin/env bash
# Install the Debian packages sluice needs to build and test, when any is missing.
# Runs apt-get as root (or through sudo); does nothing when everything is there. Its output
# goes to stderr, so that the quick start prints only JSON Lines on stdout.
set -euo pipefail

packages=(build-essential cmake pkg-config libyaml-dev libjansson-dev libcmocka-dev
          libutf8proc-dev libxml2-dev zlib1g-dev)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "sluice: installing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "sluice: need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >&2
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
