#!/usr/bin/env bash
# Installs the Debian packages the sandbox and toolchain need, only those that are missing. Idempotent:
# 'apt-get update' runs once, and only if something must be installed. Never starts system services
# (the sandbox runs its own instances on other ports). Needs root (or sudo).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC1091
. "$HERE/env.sh"

PG_BIN="/usr/lib/postgresql/$POSTGRES_MAJOR/bin"

# "package|test that proves it is there"
NEEDS=(
  "postgresql-$POSTGRES_MAJOR|test -x $PG_BIN/initdb -a -x $PG_BIN/pg_ctl -a -x $PG_BIN/postgres"
  "postgresql-client-$POSTGRES_MAJOR|test -x $PG_BIN/psql -a -x $PG_BIN/pg_isready"
  "mariadb-server|test -x /usr/sbin/mariadbd && command -v mariadb-install-db"
  "mariadb-client|command -v mariadb && command -v mariadb-admin"
  "prometheus|command -v promtool"
  "openjdk-17-jdk-headless|command -v java && command -v javac"
  "maven|command -v mvn"
  "curl|command -v curl"
  "jq|command -v jq"
  # The sandbox's CA and server certificates (database TLS, Kafka's SASL_SSL listener).
  "openssl|command -v openssl"
  "procps|command -v ps"
  "iproute2|command -v ss"
  "util-linux|command -v setsid && command -v runuser && command -v flock"
  # The CLI's tests: `tandem monitor` driven in a real terminal, and the zsh completion run by zsh.
  "tmux|command -v tmux"
  "zsh|command -v zsh"
)

missing=()
for entry in "${NEEDS[@]}"; do
  pkg="${entry%%|*}" check="${entry#*|}"
  if bash -c "$check" >/dev/null 2>&1; then
    echo "system: $pkg present"
  else
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "system: nothing to install"
else
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  echo "system: installing ${missing[*]}"
  # policy-rc.d exit 101 = "do not start services" for the packages' postinst scripts.
  policy=/usr/sbin/policy-rc.d
  created_policy=""
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    created_policy=1
  fi
  cleanup() { [[ -z $created_policy ]] || $SUDO rm -f "$policy"; }
  trap cleanup EXIT
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  echo "system: installed ${missing[*]}"
fi

mariadb_v="$(mariadbd --version 2>/dev/null | grep -o '[0-9]*\.[0-9]*\.[0-9]*-MariaDB' || true)"
case "$mariadb_v" in
  "$MARIADB_SERIES".*) ;;
  *) echo "system: WARNING: mariadbd is '${mariadb_v:-missing}', versions.env wants $MARIADB_SERIES.x" >&2 ;;
esac
echo "system: postgres $("$PG_BIN/postgres" --version | awk '{print $3}'), mariadb ${mariadb_v%-MariaDB}," \
  "promtool $(promtool --version 2>&1 | awk 'NR==1{print $3}'), java $(java -version 2>&1 | awk -F'"' 'NR==1{print $2}')," \
  "maven $(mvn -v 2>/dev/null | sed $'s/\e\\[[0-9;]*m//g' | awk 'NR==1{print $3}')"
