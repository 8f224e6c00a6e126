#!/usr/bin/env bash
# Builds tandem's own Connect plugins (connect-plugins/, Maven, unit tests included) and lays out the plugin
# path the workers load: every Debezium plugin folder of toolchain/jvm.sh (as symlinks), with our jars where
# their classloader needs them:
#   debezium-connector-jdbc/     + tandem-connect-sink.jar        (the quarantining JDBC sink)
#   debezium-connector-mariadb/  + tandem-connect-debezium.jar    (the legacy value converter)
#   debezium-connector-mysql/    + tandem-connect-debezium.jar
#   tandem-connect/              tandem-connect-transforms.jar    (SMTs, a plugin of its own)
# Cached in $TANDEM_PLUGINS_HOME, keyed by the jvm layout and a hash of connect-plugins/ (toolchain/env.sh).
#   toolchain/connect-plugins.sh           build if missing
#   toolchain/connect-plugins.sh --force   rebuild
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC1091
. "$HERE/env.sh"

STAMP="$TANDEM_PLUGINS_HOME/.tandem-plugins-complete"
if [[ "${1:-}" != "--force" && -f "$STAMP" ]]; then
  echo "connect plugins: cached in $TANDEM_PLUGINS_HOME"
  exit 0
fi
[[ -f "$TANDEM_JVM_HOME/.tandem-jvm-complete" ]] || { echo "connect plugins: no Debezium layout in $TANDEM_JVM_HOME: run toolchain/jvm.sh first" >&2; exit 1; }

exec 9>"$TANDEM_PLUGINS_HOME.lock"
flock 9
TMP="$(mktemp -d "$TANDEM_PLUGINS_HOME.tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
start=$SECONDS
echo "connect plugins: building connect-plugins/ (Kafka $KAFKA_VERSION, Debezium $DEBEZIUM_VERSION)"
# Build outside the checkout; Maven prints bare ANSI resets even in batch mode.
cp -r "$TANDEM_ROOT/connect-plugins" "$TMP/src"
if ! mvn -q -B -f "$TMP/src/pom.xml" package -Dkafka.version="$KAFKA_VERSION" -Ddebezium.version="$DEBEZIUM_VERSION" >"$TMP/mvn.log" 2>&1; then
  sed $'s/\e\\[[0-9;]*m//g' "$TMP/mvn.log" | grep -vE '^\[INFO\]' | tail -40 >&2
  echo "connect plugins: the build or its unit tests failed (above)" >&2
  exit 1
fi
OUT="$TMP/layout/plugins"
mkdir -p "$OUT"
for dir in "$TANDEM_JVM_HOME"/plugins/*/; do
  name="$(basename "$dir")"
  mkdir "$OUT/$name"
  for file in "$dir"*; do ln -s "$file" "$OUT/$name/"; done
done
jars="$TMP/src/target"
cp "$jars/tandem-connect-sink.jar" "$OUT/debezium-connector-jdbc/"
cp "$jars/tandem-connect-debezium.jar" "$OUT/debezium-connector-mariadb/"
cp "$jars/tandem-connect-debezium.jar" "$OUT/debezium-connector-mysql/"
mkdir "$OUT/tandem-connect"
cp "$jars/tandem-connect-transforms.jar" "$OUT/tandem-connect/"
# Connect must discover each plugin through its ServiceLoader manifest (the workers use plugin.discovery=service_load).
listed="$(java -cp "$TANDEM_JVM_HOME/kafka/libs/*" org.apache.kafka.tools.ConnectPluginPath list \
  --plugin-location "$OUT/tandem-connect" --plugin-location "$OUT/debezium-connector-jdbc" 2>/dev/null)"
for class in dev.tandem.connect.sink.QuarantiningJdbcSinkConnector dev.tandem.connect.transforms.RouteToTable \
             dev.tandem.connect.transforms.UnescapeEnumValues dev.tandem.connect.transforms.QuarantineUncarriable; do
  grep -qP "^${class//./\\.}\t.*\ttrue\ttrue\t" <<<"$listed" || { echo "connect plugins: Connect does not discover $class" >&2; exit 1; }
done
touch "$TMP/layout/.tandem-plugins-complete"
if [[ -e "$TANDEM_PLUGINS_HOME" ]]; then mv "$TANDEM_PLUGINS_HOME" "$TMP/old"; fi
mv "$TMP/layout" "$TANDEM_PLUGINS_HOME"
echo "connect plugins: ready in $((SECONDS - start))s: $TANDEM_PLUGINS_HOME"
