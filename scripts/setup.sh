#!/usr/bin/env bash
# Sets up everything the local stack and the tests need, building or fetching only what is missing:
# Debian packages, Node.js >= 22, npm dependencies, the Pulumi toolchain, the Kafka/Connect/Debezium jars,
# then starts the sandbox (MariaDB, PostgreSQL, Kafka, Connect). Safe to run again; a second run takes
# seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
bash toolchain/system.sh

step "Node.js"
bash toolchain/node.sh
# env.sh puts the node that node.sh fetched (if it had to) first on PATH: npm ci and the steps below run on it.
# shellcheck disable=SC1091
. toolchain/env.sh
echo "node $(node --version) ($(command -v node)), npm $(npm --version)"

step "npm dependencies"
# npm ci only when node_modules is missing, older than the lock file, or installed by another Node.js
# major (native addons are built for one; the stamp is written after a successful npm ci).
node_major=$(node -p 'process.versions.node.split(".")[0]')
node_stamp=node_modules/.tandem-node-major
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
  [ "$(cat "$node_stamp" 2>/dev/null)" != "$node_major" ]; then
  # npm 10 sometimes dies mid-install on a registry hiccup ("Exit handler never called!"): try again, twice.
  for attempt in 1 2 3; do
    if npm ci --no-audit --no-fund; then break; fi
    if [ "$attempt" = 3 ]; then echo "setup: npm ci failed 3 times" >&2; exit 1; fi
    echo "setup: npm ci failed (attempt $attempt of 3); retrying in 5 s" >&2
    sleep 5
  done
  echo "$node_major" >"$node_stamp"
else
  echo "node_modules up to date (installed with Node.js $node_major)"
fi

step "Pulumi toolchain"
bash toolchain/pulumi.sh

step "Kafka, Connect and Debezium jars"
bash toolchain/jvm.sh

step "tandem's Connect plugins"
bash toolchain/connect-plugins.sh

step "sandbox"
bash sandbox/sandbox.sh up
