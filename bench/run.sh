#!/usr/bin/env bash
# Runs the benchmarks side by side with their anchors on the local stack (after scripts/demo.sh) and writes
# docs/performance.md. Results stay in bench/results/*.json. Benchmark 4 needs pgloader (`apt-get install pgloader`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck disable=SC1091
. toolchain/env.sh
run() { npx ts-node --transpile-only "bench/$1.ts"; }
run latency
run burst
run tables
run scaling
run monitor
run reconcile
# Last: its 1M-row table leaves every MySQL source a binlog backlog to read.
run initialLoad
run render
