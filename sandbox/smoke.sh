#!/usr/bin/env bash
# End-to-end smoke test of a running sandbox (sandbox/sandbox.sh up): a Debezium MariaDB source connector
# whose password comes through Connect's file config provider and whose io.debezium.transforms.Filter
# (Groovy) drops one row; the change events are read back with Kafka's console consumer, the connector's
# Debezium metrics are read from the JMX exporter. Cleans up after itself (connector, offsets, topics,
# table, secret), also on failure, unless SMOKE_KEEP=1. Prints "1 passed, 0 failed" or exits non-zero.
set -euo pipefail
SANDBOX_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC1091
. "$SANDBOX_DIR/../toolchain/env.sh"
ENV_FILE="$TANDEM_STATE_DIR/sandbox.env"
[[ -f "$ENV_FILE" ]] || { echo "smoke: $ENV_FILE missing: run sandbox/sandbox.sh up" >&2; exit 1; }
set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a

NAME=tandem-smoke PREFIX=smoke
TOPIC="$PREFIX.$TANDEM_MARIADB_DATABASE.smoke" HISTORY="$PREFIX.schema-history"
SECRET="$TANDEM_CONNECT_SECRETS_DIR/mariadb.properties"
CONNECT="$TANDEM_CONNECT_URL"
say() { echo "smoke: $*"; }
fail() { echo "smoke: FAILED: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
sql() { mariadb -h "$TANDEM_MARIADB_HOST" -P "$TANDEM_MARIADB_PORT" -u "$TANDEM_MARIADB_USER" \
  -p"$TANDEM_MARIADB_PASSWORD" "$TANDEM_MARIADB_DATABASE" -N -e "$1"; }
tool() { "$SANDBOX_DIR/sandbox.sh" tool "$@"; }
state() { curl -fsS "$CONNECT/connectors/$NAME/status" 2>/dev/null | jq -r "$1" 2>/dev/null || true; }

cleanup() {
  if curl -fsS -o /dev/null "$CONNECT/connectors/$NAME" 2>/dev/null; then
    # Stop, drop the stored source offsets (Kafka >= 3.6), then delete: a rerun starts clean.
    curl -fsS -o /dev/null -X PUT "$CONNECT/connectors/$NAME/stop" || true
    for _ in $(seq 60); do [[ "$(state .connector.state)" == STOPPED ]] && break; sleep 0.5; done
    curl -fsS -o /dev/null -X DELETE "$CONNECT/connectors/$NAME/offsets" || true
    curl -fsS -o /dev/null -X DELETE "$CONNECT/connectors/$NAME" || true
  fi
  for t in "$TOPIC" "$HISTORY" "$PREFIX"; do
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$TANDEM_KAFKA_BOOTSTRAP" --delete \
      --if-exists --topic "$t" >/dev/null 2>&1 || true
  done
  sql "DROP TABLE IF EXISTS smoke" || true
  rm -f "$SECRET"
}
cleanup
# SMOKE_KEEP=1 leaves the connector, topics and table in place for inspection (the next run cleans up).
[[ "${SMOKE_KEEP:-0}" == 1 ]] || trap cleanup EXIT

start=$SECONDS
sql "CREATE TABLE smoke (id INT PRIMARY KEY, v VARCHAR(20))"
(umask 077 && printf 'password=%s\n' "$TANDEM_MARIADB_PASSWORD" >"$SECRET")

config="$(jq -n --arg host "$TANDEM_MARIADB_HOST" --arg port "$TANDEM_MARIADB_PORT" \
  --arg user "$TANDEM_MARIADB_USER" --arg secret "$SECRET" --arg db "$TANDEM_MARIADB_DATABASE" \
  --arg prefix "$PREFIX" --arg bootstrap "$TANDEM_KAFKA_BOOTSTRAP" --arg history "$HISTORY" '{
    "connector.class": "io.debezium.connector.mariadb.MariaDbConnector",
    "tasks.max": "1",
    "database.hostname": $host, "database.port": $port, "database.user": $user,
    "database.password": ("${file:" + $secret + ":password}"),
    "database.server.id": "184054",
    "topic.prefix": $prefix,
    "database.include.list": $db,
    "schema.history.internal.kafka.bootstrap.servers": $bootstrap,
    "schema.history.internal.kafka.topic": $history,
    "transforms": "drop",
    "transforms.drop.type": "io.debezium.transforms.Filter",
    "transforms.drop.language": "jsr223.groovy",
    "transforms.drop.topic.regex": ($prefix + "\\..*"),
    "transforms.drop.condition": "value.after == null || value.after.v != \"drop-me\""
  }')"
code="$(curl -sS -o /tmp/smoke.$$.json -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
  --data "$config" "$CONNECT/connectors/$NAME/config")"
[[ "$code" == 201 || "$code" == 200 ]] || fail "PUT connector: HTTP $code $(cat /tmp/smoke.$$.json)"
rm -f /tmp/smoke.$$.json
say "connector created"

for _ in $(seq 120); do
  [[ "$(state '.connector.state + "/" + (.tasks[0].state // "none")')" == RUNNING/RUNNING ]] && break
  [[ "$(state '.tasks[0].state')" == FAILED ]] && fail "task failed: $(state '.tasks[0].trace' | head -5)"
  sleep 0.5
done
[[ "$(state '.tasks[0].state')" == RUNNING ]] || fail "connector not RUNNING: $(state .)"
say "connector and task RUNNING after $((SECONDS - start))s"

# Streaming is connected once the snapshot is done: read it from the JMX exporter (tests the rules too).
metric_re="^debezium_metrics_connected\\{.*context=\"streaming\".*name=\"$PREFIX\".*\\} 1\\.0"
connected=""
for _ in $(seq 120); do
  connected="$(curl -fsS "$TANDEM_CONNECT_METRICS_URL" 2>/dev/null | grep -E "$metric_re" || true)"
  [[ -n "$connected" ]] && break
  sleep 0.5
done
[[ -n "$connected" ]] || fail "no streaming-connected metric at $TANDEM_CONNECT_METRICS_URL"
say "streaming connected (debezium_metrics_connected = 1)"

sql "INSERT INTO smoke VALUES (1, 'hello'); INSERT INTO smoke VALUES (2, 'drop-me'); INSERT INTO smoke VALUES (3, 'world')"
events="$(tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$TANDEM_KAFKA_BOOTSTRAP" \
  --topic "$TOPIC" --from-beginning --max-messages 2 --timeout-ms 60000 2>/dev/null || true)"
got="$(jq -rc '[.payload.op, .payload.after.id, .payload.after.v] | @csv' <<<"$events" | tr '\n' ' ')"
[[ "$got" == '"c",1,"hello" "c",3,"world" ' ]] || fail "unexpected events on $TOPIC: $got"
say "events on $TOPIC: $got(row 2 dropped by the Groovy Filter SMT)"
metrics="$(curl -fsS "$TANDEM_CONNECT_METRICS_URL")"
say "metrics: $(grep -Ec '^(debezium|kafka_connect)_' <<<"$metrics") debezium/kafka_connect series"
say "done in $((SECONDS - start))s"
echo "1 passed, 0 failed"
