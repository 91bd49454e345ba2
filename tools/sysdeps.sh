#!/usr/bin/env bash
# Install the Debian packages OneWindow needs (as root), or name them exactly.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages. Run as root:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
# The SANE 'test' backend is a real driver we test scanning against.
conf=/etc/sane.d/dll.conf
if [ -f "$conf" ] && ! grep -qE '^\s*test\s*$' "$conf"; then
  if [ "$(id -u)" -eq 0 ]; then
    echo test >> "$conf"
  else
    echo "Enable the SANE test backend: echo test | sudo tee -a $conf" >&2
  fi
fi
