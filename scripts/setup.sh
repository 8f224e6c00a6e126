#!/usr/bin/env bash
# Sets up everything the local stack and the tests need, building or fetching only what is missing:
# Debian packages, npm dependencies, the Pulumi toolchain, the Kafka/Connect/Debezium jars, then starts
# the sandbox (MariaDB, PostgreSQL, Kafka, Connect). Safe to run again; a second run takes seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
bash toolchain/system.sh

step "npm dependencies"
# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules up to date"
fi

step "Pulumi toolchain"
bash toolchain/pulumi.sh

step "Kafka, Connect and Debezium jars"
bash toolchain/jvm.sh

step "tandem's Connect plugins"
bash toolchain/connect-plugins.sh

step "sandbox"
bash sandbox/sandbox.sh up
