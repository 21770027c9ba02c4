# Sourced by scripts/setup.sh: makes sure the rest of set-up, and every later `npm run ...`,
# runs on Node.js 24 LTS (scripts/node-runtime.env pins the version).
#
# - A machine whose `node` is already 24 or newer is left as it is.
# - Otherwise (Debian 12 ships Node 20, end of life since 2026-04-30) the official build comes
#   from the npm registry as the package node-linux-<arch>, is checked against the integrity
#   pinned in node-runtime.env, and is unpacked into .tools/. It is then first on PATH for the
#   rest of set-up (so native addons build for its ABI, against its own headers), and
#   `link_project_node` puts it at node_modules/.bin/node, which npm puts first on PATH for every
#   script: `npm test`, `npm start`, `npm run bench` and `npx scandesk` all run on it.

# shellcheck source=node-runtime.env
. "$(dirname "${BASH_SOURCE[0]}")/node-runtime.env"
NODE_MIN_MAJOR="${NODE_VERSION%%.*}"
PROJECT_NODE_DIR=""

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

node_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) uname -m ;;
  esac
}

# Where setup unpacks the pinned Node on this machine.
project_node_dir() { echo "$(pwd)/.tools/node-v${NODE_VERSION}-linux-$(node_arch)"; }

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge "$NODE_MIN_MAJOR" ]; then
    echo "setup: using $system_node ($("$system_node" -v))"
    return 0
  fi

  local os arch
  os="$(uname -s)"
  arch="$(node_arch)"
  local key="NODE_INTEGRITY_linux_${arch}"
  if [ "$os" != "Linux" ] || [ -z "${!key:-}" ]; then
    echo "setup: this machine's Node is $(node -v 2>/dev/null || echo 'missing'); ScanDesk needs Node $NODE_MIN_MAJOR." >&2
    echo "setup: no pinned Node build for $os/$(uname -m): install Node $NODE_MIN_MAJOR LTS (https://nodejs.org) and run setup again." >&2
    return 1
  fi

  PROJECT_NODE_DIR="$(project_node_dir)"
  if [ ! -x "$PROJECT_NODE_DIR/bin/node" ] || [ "$("$PROJECT_NODE_DIR/bin/node" -v)" != "v$NODE_VERSION" ]; then
    echo "setup: fetching Node $NODE_VERSION (node-linux-$arch) from the npm registry"
    local tmp
    tmp="$(mktemp -d)"
    # npm pack checks the tarball against the registry's integrity; the comparison below also
    # holds it to the one this repository pinned.
    (cd "$tmp" && npm pack "node-linux-${arch}@${NODE_VERSION}" --json --silent >pack.json)
    local got
    got="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].integrity' "$tmp/pack.json")"
    if [ "$got" != "${!key}" ]; then
      echo "setup: node-linux-$arch@$NODE_VERSION has integrity $got, expected ${!key}: refusing it." >&2
      rm -rf "$tmp"
      return 1
    fi
    rm -rf "$PROJECT_NODE_DIR"
    mkdir -p "$PROJECT_NODE_DIR"
    tar -xzf "$tmp"/node-linux-"${arch}"-"${NODE_VERSION}".tgz -C "$PROJECT_NODE_DIR" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$PROJECT_NODE_DIR/bin:$PATH"
  # Native addons (keytar) compile against this Node's own headers, whatever npm's config says
  # (this image's ~/.npmrc points node-gyp at /usr, Node 20's headers).
  export npm_config_nodedir="$PROJECT_NODE_DIR"
  echo "setup: using $PROJECT_NODE_DIR/bin/node ($(node -v))"
}

# After `npm ci` (which empties node_modules; package.json's `prepare` runs scripts/link-node.sh
# after every install): npm puts node_modules/.bin first on PATH for every script, so a link
# there makes the README's commands run on the project's Node, where setup unpacked one.
link_project_node() {
  [ -n "$PROJECT_NODE_DIR" ] || PROJECT_NODE_DIR="$(project_node_dir)"
  [ -x "$PROJECT_NODE_DIR/bin/node" ] || return 0
  mkdir -p node_modules/.bin
  ln -sfn "../../.tools/$(basename "$PROJECT_NODE_DIR")/bin/node" node_modules/.bin/node
}
