#!/usr/bin/env bash
# Local sandbox: MariaDB, PostgreSQL, Kafka (KRaft) and Kafka Connect with the Debezium plugins, as plain
# processes on loopback, all state under $TANDEM_STATE_DIR (default <repo>/.sandbox).
# One file on purpose: the four services share its helpers (ports, pids, waits, config templates), and users
# and CI call one command.
#
#   sandbox/sandbox.sh up | down [part...] | restart [part...] | status | reset
#   (`down` without parts also stops the health monitor a local stack's `pulumi up` started)
#   sandbox/sandbox.sh logs [-f] [mariadb|postgres|kafka|connect]
#   sandbox/sandbox.sh tool <main-class> [args...]   run a Kafka CLI class (TopicCommand, ConsoleConsumer, ...)
#   sandbox/sandbox.sh tls-required on|off            MariaDB and PostgreSQL refuse plaintext TCP (on) or not
#
# Addresses and credentials for other scripts: $TANDEM_STATE_DIR/sandbox.env (KEY=VALUE, written by `up`).
# Needs the binaries from toolchain/system.sh and the jars from toolchain/jvm.sh. `status` exits 3 unless
# every part runs.
# shellcheck disable=SC2034,SC2016,SC2119,SC2120  # template vars are read via ${!name}; bash -c body is literal
set -euo pipefail
SANDBOX_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF="$SANDBOX_DIR/conf"
# shellcheck disable=SC1091
. "$SANDBOX_DIR/../toolchain/env.sh"

# ---- settings (ports overridable by env) ------------------------------------------------------------------
HOST=127.0.0.1
MARIADB_PORT="${TANDEM_MARIADB_PORT:-13306}"
POSTGRES_PORT="${TANDEM_POSTGRES_PORT:-15432}"
KAFKA_PORT="${TANDEM_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${TANDEM_KAFKA_CONTROLLER_PORT:-19093}"
CONNECT_PORT="${TANDEM_CONNECT_PORT:-18083}"
CONNECT_METRICS_PORT="${TANDEM_CONNECT_METRICS_PORT:-19404}"
# Kafka's secured listener (SCRAM-SHA-512 over TLS, ACLs) and the optional Connect worker that uses it.
KAFKA_SECURE_PORT="${TANDEM_KAFKA_SECURE_PORT:-19094}"
CONNECT_SECURE_PORT="${TANDEM_CONNECT_SECURE_PORT:-18093}"
# A second plaintext Connect cluster on the same Kafka (own group and internal topics): a stack moving between clusters.
CONNECT_B_PORT="${TANDEM_CONNECT_B_PORT:-18103}"
KAFKA_ADMIN=tandem-kafka-admin KAFKA_ADMIN_PASSWORD=sandbox-kafka-admin
KAFKA_CONNECT_USER=tandem-connect KAFKA_CONNECT_PASSWORD=sandbox-kafka-connect
# A principal with no ACL at all: what the secured listener must refuse.
KAFKA_OUTSIDER=tandem-outsider KAFKA_OUTSIDER_PASSWORD=sandbox-kafka-outsider
MARIADB_ADMIN=tandem_admin MARIADB_PASSWORD=sandbox-mariadb-admin
POSTGRES_ADMIN=tandem_admin POSTGRES_PASSWORD=sandbox-postgres-admin
DATABASE=app
PARTS=(mariadb postgres kafka connect)
# Started only when named (`up connect-secure`, `up connect-b`), stopped by `down` with the rest.
ALL_PARTS=(mariadb postgres kafka connect connect-secure connect-b)

STATE="$TANDEM_STATE_DIR"
RUN="$STATE/run" LOGS="$STATE/logs" SECRETS_DIR="$STATE/connect-secrets"
MARIADB_DIR="$STATE/mariadb" MARIADB_DATA="$STATE/mariadb/data" MARIADB_SOCKET="$STATE/mariadb/mariadb.sock"
MARIADB_CNF="$STATE/mariadb/my.cnf" MARIADB_LOG="$LOGS/mariadb.log"
# PostgreSQL refuses to run as root and runs as the postgres user, who must be able to reach its folder. When a
# parent of the state dir is not searchable by others (e.g. a checkout under /root), its folder goes to /var/tmp.
others_can_reach() {
  local d="$1"
  while [[ ! -d "$d" ]]; do d="$(dirname "$d")"; done
  while :; do
    [[ "$(stat -c %A "$d")" == *[xt] ]] || return 1
    [[ "$d" == / ]] && return 0
    d="$(dirname "$d")"
  done
}
POSTGRES_DIR="$STATE/postgres"
if [[ $(id -u) -eq 0 ]] && ! others_can_reach "$STATE"; then
  POSTGRES_DIR="/var/tmp/tandem-postgres-$(printf '%s' "$STATE" | cksum | cut -d' ' -f1)"
fi
PG_DATA="$POSTGRES_DIR/data" POSTGRES_SOCKET_DIR="$POSTGRES_DIR" POSTGRES_TLS_DIR="$POSTGRES_DIR/tls"
TLS_DIR="$STATE/tls"
KAFKA_DIR="$STATE/kafka" KAFKA_DATA="$STATE/kafka/data" CONNECT_DIR="$STATE/connect" CONNECT_SECURE_DIR="$STATE/connect-secure" CONNECT_B_DIR="$STATE/connect-b"
PG_BIN="/usr/lib/postgresql/$POSTGRES_MAJOR/bin"
KAFKA_LIBS="$TANDEM_JVM_HOME/kafka/libs" PLUGIN_PATH="$TANDEM_PLUGINS_HOME/plugins"
JMX_AGENT="$TANDEM_JVM_HOME/agents/jmx_prometheus_javaagent.jar"

log_of() { case "$1" in postgres) echo "$POSTGRES_DIR/postgres.log" ;; *) echo "$LOGS/$1.log" ;; esac; }
addr_of() {
  case "$1" in
    mariadb) echo "$HOST:$MARIADB_PORT" ;;
    postgres) echo "$HOST:$POSTGRES_PORT" ;;
    kafka) echo "$HOST:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT, SASL_SSL :$KAFKA_SECURE_PORT)" ;;
    connect) echo "http://$HOST:$CONNECT_PORT (metrics :$CONNECT_METRICS_PORT)" ;;
    connect-secure) echo "http://$HOST:$CONNECT_SECURE_PORT (Kafka as $KAFKA_CONNECT_USER over SASL_SSL)" ;;
    connect-b) echo "http://$HOST:$CONNECT_B_PORT (a second Connect cluster on the same Kafka)" ;;
  esac
}
die() { echo "sandbox: $*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

require() {
  local b
  for b in mariadbd mariadb mariadb-admin mariadb-install-db java curl jq setsid openssl; do
    command -v "$b" >/dev/null || die "'$b' not found: run toolchain/system.sh"
  done
  for b in initdb pg_ctl pg_isready psql; do
    [[ -x "$PG_BIN/$b" ]] || die "$PG_BIN/$b not found: run toolchain/system.sh"
  done
  [[ -f "$TANDEM_JVM_HOME/.tandem-jvm-complete" ]] || die "no Kafka/Debezium jars in $TANDEM_JVM_HOME: run toolchain/jvm.sh"
}

# Fill @NAME@ placeholders of a template from the shell variables of the same name.
render() {
  local src="$1" dst="$2" v args=()
  for v in HOST MARIADB_PORT MARIADB_SOCKET MARIADB_DATA MARIADB_LOG POSTGRES_PORT POSTGRES_SOCKET_DIR TLS_DIR POSTGRES_TLS_DIR \
           KAFKA_SECURE_PORT KAFKA_ADMIN KAFKA_CONNECT_USER CONNECT_SECURE_PORT CONNECT_SECURE_DIR CONNECT_B_PORT KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_DATA CONNECT_PORT PLUGIN_PATH SECRETS_DIR; do
    args+=(-e "s|@$v@|${!v}|g")
  done
  sed "${args[@]}" "$src" >"$dst.tmp"
  ! grep -q '@[A-Z_]*@' "$dst.tmp" || die "unfilled placeholder in $src: $(grep -o '@[A-Z_]*@' "$dst.tmp" | head -1)"
  mv "$dst.tmp" "$dst"
}

# ---- process bookkeeping ----------------------------------------------------------------------------------
# pid of a part if it runs (stale pid files are removed), else nothing.
pid_of() {
  local part="$1" file pid want
  case "$part" in
    postgres) file="$PG_DATA/postmaster.pid" want=postgres ;;
    mariadb) file="$RUN/mariadb.pid" want=mariadbd ;;
    kafka) file="$RUN/kafka.pid" want=kafka.Kafka ;;
    connect) file="$RUN/connect.pid" want=ConnectDistributed ;;
    connect-secure) file="$RUN/connect-secure.pid" want=ConnectDistributed ;;
    connect-b) file="$RUN/connect-b.pid" want=ConnectDistributed ;;
  esac
  [[ -f "$file" ]] || return 0
  pid="$(head -1 "$file" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$want"; then
    echo "$pid"
  elif [[ $part != postgres ]]; then
    rm -f "$file"   # stale; postgres checks its own lock file on start
  fi
}

# Start a command detached from the caller (own session, survives the calling shell); records its pid.
spawn() {
  local part="$1" i; shift
  rm -f "$RUN/$part.pid"
  setsid nohup bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0"; exec "$@"' "$RUN/$part.pid" "$@" \
    >>"$LOGS/$part.out" 2>&1 </dev/null &
  for ((i = 0; i < 50; i++)); do [[ -s "$RUN/$part.pid" ]] && return 0; sleep 0.1; done
  die "could not start $part"
}

wait_for() { # part timeout-seconds check-command...
  local part="$1" timeout="$2" start=$SECONDS; shift 2
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start >= timeout )) || [[ -z "$(pid_of "$part")" ]]; then
      echo "sandbox: $part did not become healthy within ${timeout}s (or exited). First errors, last lines:" >&2
      grep -m 5 -E '(ERROR|FATAL|\[ERROR\])' "$(log_of "$part")" 2>/dev/null | cut -c1-400 | sed 's/^/  ! /' >&2 || true
      tail -n 15 "$(log_of "$part")" 2>/dev/null | cut -c1-400 | sed 's/^/  | /' >&2 || true
      [[ ! -s "$LOGS/$part.out" ]] || { echo "  -- $LOGS/$part.out:" >&2; tail -n 15 "$LOGS/$part.out" | sed 's/^/  | /' >&2; }
      exit 1
    fi
    sleep 0.5
  done
}

stop_pid() { # part pid timeout: SIGTERM, wait, SIGKILL
  local part="$1" pid="$2" timeout="$3" start=$SECONDS
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - start >= timeout )); then
      echo "sandbox: $part ignored SIGTERM for ${timeout}s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.3
  done
}

jvm() { # part heap pause-ms java-args...: a long-running JVM with the sandbox's logging and Kafka's jars
  local part="$1" heap="$2" pause="$3"; shift 3
  spawn "$part" java -Xms256m "-Xmx$heap" -XX:+UseG1GC "-XX:MaxGCPauseMillis=$pause" -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$CONF/log4j2.properties" "-Dtandem.log.file=$LOGS/$part.log" \
    "$@"
}

# ---- TLS ----------------------------------------------------------------------------------------------------
# A CA of the sandbox's own and a server certificate for the loopback names, made once per state dir: the
# databases offer TLS to every client; the stack verifies them with tandem:*TlsCa = <state>/tls/ca.pem.
ensure_tls() {
  [[ -s "$TLS_DIR/server.pem" ]] && return 0
  mkdir -p "$TLS_DIR" && chmod 700 "$TLS_DIR"
  (
    cd "$TLS_DIR"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=tandem sandbox CA" \
      -keyout ca.key -out ca.pem -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext -out server.pem
    rm -f server.csr server.ext ca.srl
  ) >>"$LOGS/tls.out" 2>&1 || die "could not create the sandbox's TLS certificates (see $LOGS/tls.out)"
}

# `tls-required on|off`: the servers refuse (on) or accept (off) plaintext TCP connections. Socket sessions
# (the sandbox's own admin) are not affected.
cmd_tls_required() {
  local hba="$PG_DATA/pg_hba.conf" marker="# tandem: TLS required"
  case "${1:-}" in
    on)
      mariadb_sql -e "SET GLOBAL require_secure_transport = ON"
      if ! grep -qF "$marker" "$hba"; then
        as_pg bash -c "{ echo '$marker'; echo 'hostnossl all all all reject'; cat '$hba'; } >'$hba.tmp' && mv '$hba.tmp' '$hba'"
      fi
      ;;
    off)
      mariadb_sql -e "SET GLOBAL require_secure_transport = OFF"
      as_pg sed -i "/^$marker\$/,+1d" "$hba"
      ;;
    *) die "usage: sandbox.sh tls-required on|off" ;;
  esac
  pg_sql -d postgres -c "SELECT pg_reload_conf()" >/dev/null
  echo "sandbox: plaintext connections $([[ $1 == on ]] && echo refused || echo accepted) by MariaDB and PostgreSQL"
}

# ---- parts --------------------------------------------------------------------------------------------------
# Local admin over the socket: mariadb-install-db gives the installing OS user a unix_socket account.
mariadb_sql() { mariadb --defaults-file="$MARIADB_CNF" -u"$(id -un)" "$@"; }
mariadb_ping() { mariadb-admin --defaults-file="$MARIADB_CNF" -u"$(id -un)" ping; }

start_mariadb() {
  ensure_tls
  mkdir -p "$MARIADB_DIR"
  render "$CONF/my.cnf.tmpl" "$MARIADB_CNF"
  local user=(); is_root && user=(--user=root)
  if [[ ! -d "$MARIADB_DATA/mysql" ]]; then
    rm -rf "$MARIADB_DATA"
    mariadb-install-db --defaults-file="$MARIADB_CNF" "${user[@]}" --auth-root-authentication-method=socket \
      --skip-test-db >>"$LOGS/mariadb.out" 2>&1 || { tail -n 20 "$LOGS/mariadb.out" >&2; die "mariadb-install-db failed"; }
  fi
  port_open "$MARIADB_PORT" && die "port $MARIADB_PORT is taken by another process"
  spawn mariadb mariadbd --defaults-file="$MARIADB_CNF" "${user[@]}"
  wait_for mariadb 60 mariadb_ping
  if [[ ! -f "$MARIADB_DIR/.bootstrapped" ]]; then
    # The admin account's statement (its password as written) must not reach the binlog, which the CDC reader reads.
    mariadb_sql <<SQL
SET SESSION sql_log_bin = 0;
CREATE DATABASE IF NOT EXISTS \`$DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$MARIADB_ADMIN'@'127.0.0.1' IDENTIFIED BY '$MARIADB_PASSWORD';
CREATE USER IF NOT EXISTS '$MARIADB_ADMIN'@'localhost' IDENTIFIED BY '$MARIADB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MARIADB_ADMIN'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$MARIADB_ADMIN'@'localhost' WITH GRANT OPTION;
SQL
    touch "$MARIADB_DIR/.bootstrapped"
  fi
}
stop_mariadb() {
  local pid="$1"
  mariadb-admin --defaults-file="$MARIADB_CNF" -u"$(id -un)" shutdown >/dev/null 2>&1 || true
  stop_pid mariadb "$pid" 60
}

pg_ready() { "$PG_BIN/pg_isready" -q -h "$HOST" -p "$POSTGRES_PORT"; }
pg_sql() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" -p "$POSTGRES_PORT" -U postgres "$@"; }

start_postgres() {
  if is_root && ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  mkdir -p "$POSTGRES_DIR"
  is_root && chown postgres: "$POSTGRES_DIR" && chmod 700 "$POSTGRES_DIR"
  as_pg test -w "$POSTGRES_DIR" || die "user postgres cannot write to $POSTGRES_DIR"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >>"$LOGS/postgres.out" 2>&1 ||
      { tail -n 20 "$LOGS/postgres.out" >&2; die "initdb failed"; }
    echo "include_if_exists = 'tandem.conf'" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi
  ensure_tls
  mkdir -p "$POSTGRES_TLS_DIR" && cp "$TLS_DIR/server.pem" "$TLS_DIR/server.key" "$POSTGRES_TLS_DIR/"
  is_root && chown -R postgres: "$POSTGRES_TLS_DIR"
  chmod 600 "$POSTGRES_TLS_DIR/server.key"
  render "$CONF/postgresql.tandem.conf.tmpl" "$RUN/postgres.tandem.conf"
  as_pg tee "$PG_DATA/tandem.conf" <"$RUN/postgres.tandem.conf" >/dev/null
  rm -f "$PG_DATA/postmaster.pid"   # only reached when pid_of found no live postmaster: stale
  port_open "$POSTGRES_PORT" && die "port $POSTGRES_PORT is taken by another process"
  local pg_ctl=("$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$POSTGRES_DIR/postgres.log" -s -w -t 60 start)
  is_root && pg_ctl=(runuser -u postgres -- "${pg_ctl[@]}")
  if ! setsid "${pg_ctl[@]}" </dev/null >>"$LOGS/postgres.out" 2>&1; then
    echo "sandbox: postgres did not start. Last log lines:" >&2
    tail -n 30 "$POSTGRES_DIR/postgres.log" "$LOGS/postgres.out" 2>/dev/null | sed 's/^/  | /' >&2
    exit 1
  fi
  wait_for postgres 30 pg_ready
  if [[ ! -f "$POSTGRES_DIR/.bootstrapped" ]]; then
    # The server logs DDL (log_statement = ddl): the admin's password as written must not reach its log.
    pg_sql -d postgres <<SQL
SET log_statement = 'none';
CREATE ROLE $POSTGRES_ADMIN LOGIN SUPERUSER PASSWORD '$POSTGRES_PASSWORD';
CREATE DATABASE $DATABASE OWNER $POSTGRES_ADMIN;
SQL
    touch "$POSTGRES_DIR/.bootstrapped"
  fi
}
stop_postgres() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -s -m fast -w -t 60 stop >/dev/null || stop_pid postgres "$1" 30
}

# A Kafka command-line class against the sandbox's jars: "${KAFKA_TOOL[@]}" <main-class> args...
KAFKA_TOOL=(java -Xmx256m -XX:TieredStopAtLevel=1 "-Dlog4j2.configurationFile=$CONF/log4j2-tools.properties"
  -cp "$KAFKA_LIBS/*")
kafka_ready() {
  port_open "$KAFKA_PORT" &&
    timeout 30 "${KAFKA_TOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$KAFKA_PORT" --list
}

start_kafka() {
  mkdir -p "$KAFKA_DIR"
  render "$CONF/kafka-server.properties.tmpl" "$KAFKA_DIR/server.properties"
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    local id
    id="$("${KAFKA_TOOL[@]}" kafka.tools.StorageTool random-uuid)"
    "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format -t "$id" -c "$KAFKA_DIR/server.properties" --standalone -g \
      >>"$LOGS/kafka.out" 2>&1 || { tail -n 20 "$LOGS/kafka.out" >&2; die "kafka storage format failed"; }
  fi
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do port_open "$p" && die "port $p is taken by another process"; done
  cat "$TLS_DIR/server.key" "$TLS_DIR/server.pem" >"$TLS_DIR/kafka-keystore.pem" && chmod 600 "$TLS_DIR/kafka-keystore.pem"
  # The broker keeps Kafka's own 20 ms pause target (latency of every client).
  jvm kafka 1g 20 -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_DIR/server.properties"
  wait_for kafka 90 kafka_ready
  kafka_principals
}

# The secured listener's principals (SCRAM credentials, set on every start: idempotent; the sandbox's own
# loopback passwords, briefly on ConfigCommand's command line, which takes no file for them) and the ACLs of the
# secured Connect worker's own internal topics and group. What a stack's pipeline needs, the stack grants.
kafka_principals() {
  local user password
  for user in "$KAFKA_ADMIN:$KAFKA_ADMIN_PASSWORD" "$KAFKA_CONNECT_USER:$KAFKA_CONNECT_PASSWORD" "$KAFKA_OUTSIDER:$KAFKA_OUTSIDER_PASSWORD"; do
    password="${user#*:}" user="${user%%:*}"
    "${KAFKA_TOOL[@]}" kafka.admin.ConfigCommand --bootstrap-server "$HOST:$KAFKA_PORT" \
      --entity-type users --entity-name "$user" --alter --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" \
      >>"$LOGS/kafka.out" 2>&1 || die "could not set the SCRAM credential of $user (see $LOGS/kafka.out)"
  done
  local acl=("${KAFKA_TOOL[@]}" org.apache.kafka.tools.AclCommand --bootstrap-server "$HOST:$KAFKA_PORT" --add --force
    --allow-principal "User:$KAFKA_CONNECT_USER")
  { "${acl[@]}" --operation All --topic tandem-sandbox-secure- --resource-pattern-type prefixed &&
    "${acl[@]}" --operation All --group tandem-sandbox-secure &&
    "${acl[@]}" --operation Describe --operation DescribeConfigs --cluster; } >>"$LOGS/kafka.out" 2>&1 ||
    die "could not grant the secured Connect worker its ACLs (see $LOGS/kafka.out)"
}

connect_ready() {
  local plugins
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$CONNECT_PORT/health")" == 200 ]] || return 1
  plugins="$(curl -fsS "http://$HOST:$CONNECT_PORT/connector-plugins?connectorsOnly=false" | jq -r '.[].class')"
  local c
  for c in io.debezium.connector.mariadb.MariaDbConnector io.debezium.connector.mysql.MySqlConnector \
           io.debezium.connector.postgresql.PostgresConnector io.debezium.connector.jdbc.JdbcSinkConnector \
           io.debezium.transforms.Filter dev.tandem.connect.sink.QuarantiningJdbcSinkConnector \
           dev.tandem.connect.transforms.RouteToTable; do
    grep -qx "$c" <<<"$plugins" || return 1
  done
}

start_connect() {
  [[ -f "$TANDEM_PLUGINS_HOME/.tandem-plugins-complete" ]] || die "no plugin path in $TANDEM_PLUGINS_HOME: run toolchain/connect-plugins.sh"
  mkdir -p "$CONNECT_DIR" "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  render "$CONF/connect-worker.properties.tmpl" "$CONNECT_DIR/worker.properties"
  port_open "$CONNECT_PORT" && die "port $CONNECT_PORT is taken by another process"
  port_open "$CONNECT_METRICS_PORT" && die "port $CONNECT_METRICS_PORT is taken by another process"
  # The worker takes G1's default target (200 ms), as in its image: with 20 ms G1 kept the young generation at
  # ~55 MB, a pause every ~150 ms that stopped 13% of a burst's wall time (JFR, docs/performance.md).
  jvm connect 1536m 200 \
    "-javaagent:$JMX_AGENT=$HOST:$CONNECT_METRICS_PORT:$CONF/connect-jmx-exporter.yaml" \
    -cp "$KAFKA_LIBS/*" org.apache.kafka.connect.cli.ConnectDistributed "$CONNECT_DIR/worker.properties"
  wait_for connect 240 connect_ready
}

# The second worker, on the secured listener: its credentials in a file only it reads (${file:...} in its config).
start_connect_secure() {
  [[ -f "$TANDEM_PLUGINS_HOME/.tandem-plugins-complete" ]] || die "no plugin path in $TANDEM_PLUGINS_HOME: run toolchain/connect-plugins.sh"
  [[ -n "$(pid_of kafka)" ]] || die "connect-secure needs kafka: sandbox/sandbox.sh up"
  mkdir -p "$CONNECT_SECURE_DIR" "$SECRETS_DIR" && chmod 700 "$CONNECT_SECURE_DIR"
  (umask 077 && printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
    "$KAFKA_CONNECT_USER" "$KAFKA_CONNECT_PASSWORD" >"$CONNECT_SECURE_DIR/kafka-credentials.properties")
  render "$CONF/connect-secure-worker.properties.tmpl" "$CONNECT_SECURE_DIR/worker.properties"
  port_open "$CONNECT_SECURE_PORT" && die "port $CONNECT_SECURE_PORT is taken by another process"
  jvm connect-secure 1g 200 -cp "$KAFKA_LIBS/*" org.apache.kafka.connect.cli.ConnectDistributed "$CONNECT_SECURE_DIR/worker.properties"
  wait_for connect-secure 240 connect_secure_ready
}
connect_secure_ready() { [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$CONNECT_SECURE_PORT/health")" == 200 ]]; }

# The second plaintext cluster: the same plugins and secrets folder as the first, its own group and topics.
start_connect_b() {
  [[ -f "$TANDEM_PLUGINS_HOME/.tandem-plugins-complete" ]] || die "no plugin path in $TANDEM_PLUGINS_HOME: run toolchain/connect-plugins.sh"
  [[ -n "$(pid_of kafka)" ]] || die "connect-b needs kafka: sandbox/sandbox.sh up"
  mkdir -p "$CONNECT_B_DIR" "$SECRETS_DIR"
  render "$CONF/connect-b-worker.properties.tmpl" "$CONNECT_B_DIR/worker.properties"
  port_open "$CONNECT_B_PORT" && die "port $CONNECT_B_PORT is taken by another process"
  jvm connect-b 1g 200 -cp "$KAFKA_LIBS/*" org.apache.kafka.connect.cli.ConnectDistributed "$CONNECT_B_DIR/worker.properties"
  wait_for connect-b 240 connect_b_ready
}
connect_b_ready() { [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$CONNECT_B_PORT/health")" == 200 ]]; }

# Cheap health check of a part that already runs.
healthy() {
  case "$1" in
    connect-secure) [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$CONNECT_SECURE_PORT/health")" == 200 ]] ;;
    connect-b) connect_b_ready ;;
    mariadb) mariadb_ping ;;
    postgres) pg_ready ;;
    kafka) port_open "$KAFKA_PORT" ;;
    connect) [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$CONNECT_PORT/health")" == 200 ]] ;;
  esac >/dev/null 2>&1
}

write_env() {
  (umask 077 && cat >"$STATE/sandbox.env.tmp") <<EOF
# Written by sandbox/sandbox.sh up. Loopback sandbox only.
TANDEM_MARIADB_HOST=$HOST
TANDEM_MARIADB_PORT=$MARIADB_PORT
TANDEM_MARIADB_USER=$MARIADB_ADMIN
TANDEM_MARIADB_PASSWORD=$MARIADB_PASSWORD
TANDEM_MARIADB_DATABASE=$DATABASE
TANDEM_MARIADB_SOCKET=$MARIADB_SOCKET
TANDEM_POSTGRES_HOST=$HOST
TANDEM_POSTGRES_PORT=$POSTGRES_PORT
TANDEM_POSTGRES_USER=$POSTGRES_ADMIN
TANDEM_POSTGRES_PASSWORD=$POSTGRES_PASSWORD
TANDEM_POSTGRES_DATABASE=$DATABASE
TANDEM_KAFKA_BOOTSTRAP=$HOST:$KAFKA_PORT
TANDEM_KAFKA_LIBS=$KAFKA_LIBS
TANDEM_CONNECT_URL=http://$HOST:$CONNECT_PORT
TANDEM_CONNECT_METRICS_URL=http://$HOST:$CONNECT_METRICS_PORT/metrics
TANDEM_CONNECT_SECRETS_DIR=$SECRETS_DIR
TANDEM_POSTGRES_LOG=$(log_of postgres)
TANDEM_DATABASE_TLS_CA=$TLS_DIR/ca.pem
TANDEM_KAFKA_SECURE_BOOTSTRAP=$HOST:$KAFKA_SECURE_PORT
TANDEM_KAFKA_TLS_CA=$TLS_DIR/ca.pem
TANDEM_KAFKA_ADMIN_USER=$KAFKA_ADMIN
TANDEM_KAFKA_ADMIN_PASSWORD=$KAFKA_ADMIN_PASSWORD
TANDEM_KAFKA_CONNECT_USER=$KAFKA_CONNECT_USER
TANDEM_KAFKA_CONNECT_PASSWORD=$KAFKA_CONNECT_PASSWORD
TANDEM_KAFKA_OUTSIDER_USER=$KAFKA_OUTSIDER
TANDEM_KAFKA_OUTSIDER_PASSWORD=$KAFKA_OUTSIDER_PASSWORD
TANDEM_CONNECT_SECURE_URL=http://$HOST:$CONNECT_SECURE_PORT
TANDEM_CONNECT_B_URL=http://$HOST:$CONNECT_B_PORT
EOF
  mv "$STATE/sandbox.env.tmp" "$STATE/sandbox.env"
}

# ---- commands ----------------------------------------------------------------------------------------------
cmd_up() { # [part...]: the default parts, plus optional ones named
  require
  mkdir -p "$RUN" "$LOGS"
  write_env
  local part pid start wanted=("${PARTS[@]}") parts=()
  for part in "$@"; do
    [[ " ${ALL_PARTS[*]} " == *" $part "* ]] || die "unknown part '$part' (parts: ${ALL_PARTS[*]})"
    wanted+=("$part")
  done
  for part in "${ALL_PARTS[@]}"; do [[ " ${wanted[*]} " == *" $part "* ]] && parts+=("$part"); done
  for part in "${parts[@]}"; do
    pid="$(pid_of "$part")"
    if [[ -n "$pid" && $part == connect ]] && ! grep -qxF "plugin.path=$PLUGIN_PATH" "$CONNECT_DIR/worker.properties" 2>/dev/null; then
      [[ -f "$TANDEM_PLUGINS_HOME/.tandem-plugins-complete" ]] || die "connect-plugins/ changed and $TANDEM_PLUGINS_HOME is not built: run toolchain/connect-plugins.sh"
      echo "connect   runs with another plugin path (connect-plugins/ changed): restarting it"
      stop_pid connect "$pid" 60
      pid=""
    fi
    if [[ -n "$pid" ]]; then
      healthy "$part" || die "$part runs (pid $pid) but is not healthy; see: sandbox/sandbox.sh logs $part"
      printf '%-9s already running  pid %-8s %s\n' "$part" "$pid" "$(addr_of "$part")"
    else
      start=$SECONDS
      "start_${part//-/_}"
      printf '%-9s started in %3ss  pid %-8s %s\n' "$part" "$((SECONDS - start))" "$(pid_of "$part")" "$(addr_of "$part")"
    fi
  done
  echo "sandbox: up; addresses and credentials in $STATE/sandbox.env"
}

stop_stack_processes() { # what `pulumi up` of a local stack started beside the sandbox (its health monitor)
  local file pid name
  for file in "$RUN"/*-health-monitor.pid; do
    [[ -f "$file" ]] || continue
    pid="$(cat "$file")" name="$(basename "$file" .pid)"
    # Only if that pid still runs the monitor (pids are reused).
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "tandem.ts monitor"; then
      stop_pid "$name" "$pid" 15
      printf '%-9s stopped (%s; the next pulumi up starts it again)\n' monitor "$name"
    fi
    rm -f "$file"
  done
}

cmd_down() { # [part...]: all parts by default, stopped in reverse dependency order
  local parts=("${ALL_PARTS[@]}") i part pid
  if [[ $# -gt 0 ]]; then
    for part in "$@"; do [[ " ${ALL_PARTS[*]} " == *" $part "* ]] || die "unknown part '$part' (parts: ${ALL_PARTS[*]})"; done
    parts=("$@")
  else
    stop_stack_processes
  fi
  for ((i = ${#parts[@]} - 1; i >= 0; i--)); do
    part="${parts[i]}"
    pid="$(pid_of "$part")"
    if [[ -z "$pid" ]]; then printf '%-9s not running\n' "$part"; continue; fi
    case "$part" in
      mariadb) stop_mariadb "$pid" ;;
      postgres) stop_postgres "$pid" ;;
      kafka) stop_pid kafka "$pid" 60 ;;
      connect | connect-secure | connect-b) stop_pid "$part" "$pid" 60 ;;
    esac
    rm -f "$RUN/$part.pid"
    printf '%-9s stopped\n' "$part"
  done
}

cmd_status() {
  local part pid rc=0
  printf '%-9s %-8s %-8s %s\n' PART STATE PID ADDRESS
  for part in "${PARTS[@]}"; do
    pid="$(pid_of "$part")"
    if [[ -n "$pid" ]]; then
      printf '%-9s %-8s %-8s %s\n' "$part" running "$pid" "$(addr_of "$part")"
    else
      printf '%-9s %-8s %-8s %s\n' "$part" stopped - "$(addr_of "$part")"
      rc=3
    fi
  done
  pid="$(pid_of connect-secure)"
  [[ -z "$pid" ]] || printf '%-9s %-8s %-8s %s\n' connect-secure running "$pid" "$(addr_of connect-secure)"
  pid="$(pid_of connect-b)"
  [[ -z "$pid" ]] || printf '%-9s %-8s %-8s %s\n' connect-b running "$pid" "$(addr_of connect-b)"
  return $rc
}

cmd_logs() {
  local follow=() parts=() part files=()
  for arg in "$@"; do
    case "$arg" in
      -f) follow=(-F) ;;
      mariadb|postgres|kafka|connect) parts+=("$arg") ;;
      *) die "unknown part '$arg' (mariadb, postgres, kafka, connect)" ;;
    esac
  done
  [[ ${#parts[@]} -gt 0 ]] || parts=("${PARTS[@]}")
  for part in "${parts[@]}"; do
    if [[ -f "$(log_of "$part")" ]]; then files+=("$(log_of "$part")"); fi
    if [[ -s "$LOGS/$part.out" ]]; then files+=("$LOGS/$part.out"); fi
  done
  [[ ${#files[@]} -gt 0 ]] || die "no logs yet in $STATE"
  tail -n 40 "${follow[@]}" "${files[@]}"
}

cmd_reset() {
  cmd_down
  [[ -n "$STATE" && "$STATE" != / && -d "$STATE" ]] || { echo "sandbox: nothing to reset"; return 0; }
  rm -rf "$STATE"
  [[ "$POSTGRES_DIR" == "$STATE"/* ]] || rm -rf "$POSTGRES_DIR"
  echo "sandbox: removed $STATE"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  restart) shift; cmd_down "$@"; cmd_up "$@" ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  reset) cmd_reset ;;
  tls-required) shift; cmd_tls_required "$@" ;;
  tool) shift; [[ $# -gt 0 ]] || die "usage: sandbox.sh tool <main-class> [args...]"; require; exec "${KAFKA_TOOL[@]}" "$@" ;;
  *) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
