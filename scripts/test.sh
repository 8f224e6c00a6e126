#!/usr/bin/env bash
# The test command: sets up what is missing (scripts/setup.sh, which also starts the sandbox), then runs
# the unit tests and the end-to-end tests against the real sandbox with the real Pulumi CLI.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
# shellcheck disable=SC1091
. toolchain/env.sh
printf '\n==> npm test (node %s, npm %s)\n' "$(node --version)" "$(npm --version)"
npm test
