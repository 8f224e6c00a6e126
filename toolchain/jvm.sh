#!/usr/bin/env bash
# Lays out Kafka (broker + Connect + tools), the Prometheus JMX exporter agent and the Debezium Connect plugins
# from Maven Central into $TANDEM_JVM_HOME (outside the checkout, keyed by toolchain/versions.env).
# Idempotent: a finished layout carries a stamp; a second run prints "cached" and returns at once.
# Atomic: built in a temporary folder beside the target, then renamed into place.
#   toolchain/jvm.sh           build if missing
#   toolchain/jvm.sh --force   rebuild
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC1091
. "$HERE/env.sh"

# Versions not (yet) in versions.env; an entry there wins.
JMX_EXPORTER_VERSION="${JMX_EXPORTER_VERSION:-1.0.1}"
MAVEN_DEPENDENCY_PLUGIN_VERSION="${MAVEN_DEPENDENCY_PLUGIN_VERSION:-3.8.1}"
# debezium-scripting is fetched with the old 2.8 plugin: the registry here lacks debezium-scripting-parent for
# recent versions (3.5.0.Final included), and 3.x plugins refuse an artifact whose parent POM is missing, where
# 2.8 copies the jar anyway (it has no transitive dependencies we want: the connector folders hold
# debezium-core). 2.8 is not used for the tar.gz plugins: its old archiver leaves PaxHeaders.X folders.
LEGACY_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:2.8"

STAMP="$TANDEM_JVM_HOME/.tandem-jvm-complete"
WANT="kafka=$KAFKA_VERSION debezium=$DEBEZIUM_VERSION groovy=$GROOVY_VERSION log4j=$LOG4J_VERSION jmx_exporter=$JMX_EXPORTER_VERSION msk_iam=$MSK_IAM_AUTH_VERSION k8s_config_provider=$K8S_CONFIG_PROVIDER_VERSION"

if [[ "${1:-}" != "--force" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo "jvm: cached ($WANT) in $TANDEM_JVM_HOME"
  exit 0
fi

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "jvm: '$tool' not found; run toolchain/system.sh first" >&2; exit 1; }
done

mkdir -p "$(dirname "$TANDEM_JVM_HOME")"
# One builder at a time per target folder.
exec 9>"$TANDEM_JVM_HOME.lock"
flock 9
if [[ "${1:-}" != "--force" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo "jvm: cached ($WANT) in $TANDEM_JVM_HOME (built by a concurrent run)"
  exit 0
fi

# Maven 3.8 (Debian) prints bare ANSI resets even in batch mode: strip them.
mvnq() { mvn -q -B "$@" 2>&1 | sed $'s/\e\\[[0-9;]*m//g'; }

TMP="$(mktemp -d "$TANDEM_JVM_HOME.tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP/layout"
echo "jvm: building $WANT"
start=$SECONDS
mvnq -f "$HERE/jvm/pom.xml" generate-resources \
  -Dtandem.out="$OUT" -Dtandem.build.dir="$TMP/build" \
  -Dkafka.version="$KAFKA_VERSION" -Ddebezium.version="$DEBEZIUM_VERSION" \
  -Dgroovy.version="$GROOVY_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
  -Djmx.exporter.version="$JMX_EXPORTER_VERSION" \
  -Ddependency.plugin.version="$MAVEN_DEPENDENCY_PLUGIN_VERSION" \
  || { echo "jvm: maven failed; is every version in toolchain/versions.env served by Maven Central?" >&2; exit 1; }
# The Connect image's prod extras (docker/connect/Dockerfile); the sandbox does not load them.
mvnq -f "$HERE/jvm/image-extras/pom.xml" generate-resources \
  -Dtandem.out="$OUT" -Dtandem.build.dir="$TMP/build-extras" \
  -Dmsk.iam.version="$MSK_IAM_AUTH_VERSION" -Dk8s.config.provider.version="$K8S_CONFIG_PROVIDER_VERSION" \
  -Ddependency.plugin.version="$MAVEN_DEPENDENCY_PLUGIN_VERSION" \
  || { echo "jvm: maven failed on the image extras (aws-msk-iam-auth $MSK_IAM_AUTH_VERSION, kafka-kubernetes-config-provider $K8S_CONFIG_PROVIDER_VERSION)" >&2; exit 1; }
(cd "$TMP" && mvnq "$LEGACY_DEPENDENCY_PLUGIN:copy" \
  -Dartifact="io.debezium:debezium-scripting:$DEBEZIUM_VERSION" -DoutputDirectory="$OUT/scripting") \
  || { echo "jvm: could not fetch io.debezium:debezium-scripting:$DEBEZIUM_VERSION" >&2; exit 1; }

# The Filter SMT (io.debezium.transforms.Filter) loads in the connector's classloader: scripting + Groovy
# go into every Debezium connector folder.
connectors=("$OUT"/plugins/debezium-connector-*/)
[[ ${#connectors[@]} -eq 4 ]] || { echo "jvm: expected 4 connector folders, got: ${connectors[*]}" >&2; exit 1; }
[[ "$(ls "$OUT/scripting" | wc -l)" -eq 4 ]] || { echo "jvm: expected 4 scripting jars: $(ls "$OUT/scripting")" >&2; exit 1; }
for dir in "${connectors[@]}"; do cp "$OUT"/scripting/*.jar "$dir"; done
rm -rf "$OUT/scripting"

# Sanity: exactly one slf4j binding beside Kafka; the agent is where the sandbox looks for it.
# shellcheck disable=SC2010
bindings="$(cd "$OUT/kafka/libs" && ls | grep -E '^(log4j-slf4j2?-impl|slf4j-(reload4j|log4j12|simple|jdk14|nop)|logback-classic)-' || true)"
[[ "$(wc -w <<<"$bindings")" -eq 1 ]] || { echo "jvm: expected one slf4j binding, got: ${bindings:-none}" >&2; exit 1; }
[[ -f "$OUT/agents/jmx_prometheus_javaagent.jar" ]] || { echo "jvm: JMX exporter agent missing" >&2; exit 1; }
[[ -f "$OUT/extras/msk-iam/aws-msk-iam-auth-$MSK_IAM_AUTH_VERSION-all.jar" ]] || { echo "jvm: aws-msk-iam-auth missing" >&2; exit 1; }
# Connect must discover the config provider as a plugin (plugin.discovery=service_load) with Kafka's own tool.
java -cp "$OUT/kafka/libs/*" org.apache.kafka.tools.ConnectPluginPath list --plugin-location "$OUT/extras/kubernetes-config-provider" 2>/dev/null \
  | grep -qP '^io\.strimzi\.kafka\.KubernetesSecretConfigProvider\t.*\tconfigprovider\ttrue\ttrue\t' \
  || { echo "jvm: Connect does not load io.strimzi.kafka.KubernetesSecretConfigProvider from extras/kubernetes-config-provider" >&2; exit 1; }
jar tf "$OUT/extras/msk-iam/aws-msk-iam-auth-$MSK_IAM_AUTH_VERSION-all.jar" | grep -q '^software/amazon/msk/auth/iam/IAMLoginModule.class$' \
  || { echo "jvm: aws-msk-iam-auth lacks IAMLoginModule" >&2; exit 1; }

{
  echo "$WANT"
  echo "slf4j binding: $bindings"
  for dir in "$OUT"/plugins/*/; do echo "plugin $(basename "$dir"): $(ls "$dir" | wc -l) files"; done
  for dir in "$OUT"/extras/*/; do echo "image extra $(basename "$dir"): $(ls "$dir" | wc -l) files"; done
} >"$OUT/MANIFEST.txt"
echo "$WANT" >"$OUT/.tandem-jvm-complete"

# Swap into place: the old layout (if any) is moved aside first so the target is never half-written.
if [[ -e "$TANDEM_JVM_HOME" ]]; then mv "$TANDEM_JVM_HOME" "$TMP/old"; fi
mv "$OUT" "$TANDEM_JVM_HOME"
echo "jvm: ready in $((SECONDS - start))s: $TANDEM_JVM_HOME"
sed 's/^/  /' "$TANDEM_JVM_HOME/MANIFEST.txt"
