#!/usr/bin/env bash
# Set-up for a fresh Debian or Ubuntu machine: the system packages ScanDesk needs, Node.js 24
# (from the npm registry where the machine's Node is older), the npm dependencies (keytar
# compiles from source), then a build of the app. Safe to run again: it installs only what is
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r pkg; do
  pkg="${pkg%%#*}"; pkg="${pkg// /}"
  [ -n "$pkg" ] || continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done < scripts/apt-packages.txt

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
      echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
    fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# shellcheck source=ensure-node.sh
. scripts/ensure-node.sh
ensure_node

# Electron's binary comes from GitHub, which this kind of machine cannot reach; package.json's
# allowScripts already keeps its postinstall from running. On a connected machine, fetch it later
# with `npm run electron:fetch` to run the desktop window.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
link_project_node

# The renderer and main bundles (used by `npm start`, the browser host and the end-to-end tests).
npm run build
echo "setup: done"
