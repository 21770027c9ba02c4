#!/usr/bin/env bash
# package.json `prepare`: every `npm ci` / `npm install` empties node_modules/.bin; this puts the
# project's Node 24 link back where setup unpacked one (scripts/ensure-node.sh), so the tests
# never run on an older system Node by accident.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ensure-node.sh
. scripts/ensure-node.sh
link_project_node
