# shellcheck shell=bash
# Source this file (". toolchain/env.sh") to get the project's toolchain on PATH and Pulumi set up to run
# fully offline against a file backend. Safe to source many times.
TANDEM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TANDEM_ROOT
set -a
# shellcheck disable=SC1091
. "$TANDEM_ROOT/toolchain/versions.env"
set +a
export TANDEM_CACHE="${TANDEM_CACHE:-$HOME/.cache/tandem}"
export TANDEM_PULUMI_HOME="$TANDEM_CACHE/pulumi-$PULUMI_VERSION"
export TANDEM_JVM_HOME="$TANDEM_CACHE/jvm-kafka$KAFKA_VERSION-debezium$DEBEZIUM_VERSION-groovy$GROOVY_VERSION-msk$MSK_IAM_AUTH_VERSION-k8scp$K8S_CONFIG_PROVIDER_VERSION"
# The workers' plugin path: the Debezium layout plus our own plugins (toolchain/connect-plugins.sh), keyed by
# a hash of their sources so that a change is rebuilt beside the old layout.
TANDEM_PLUGINS_HASH="$(cd "$TANDEM_ROOT" && find connect-plugins/pom.xml connect-plugins/src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)"
export TANDEM_PLUGINS_HOME="$TANDEM_JVM_HOME-plugins-$TANDEM_PLUGINS_HASH"
# Node.js $NODE_VERSION, fetched by toolchain/node.sh only when the machine's node is older than its major.
export TANDEM_NODE_HOME="$TANDEM_CACHE/node-$NODE_VERSION"
export TANDEM_STATE_DIR="${TANDEM_STATE_DIR:-$TANDEM_ROOT/.sandbox}"

# Pulumi offline: file backend inside the checkout, no update check, no plugin downloads.
export PULUMI_HOME="${PULUMI_HOME:-$TANDEM_CACHE/pulumi-home}"
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  mkdir -p "$TANDEM_ROOT/.pulumi-state"
  export PULUMI_BACKEND_URL="file://$TANDEM_ROOT/.pulumi-state"
fi
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK="${PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK:-false}"
# The passphrase of the committed local stack (its only secrets are the loopback sandbox's passwords).
# dev/prod stacks must be given their own passphrase or secrets provider.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-tandem-local-sandbox}"

case ":$PATH:" in
  *":$TANDEM_PULUMI_HOME/bin:"*) ;;
  *) export PATH="$TANDEM_PULUMI_HOME/bin:$TANDEM_ROOT/bin:$TANDEM_ROOT/node_modules/.bin:$PATH" ;;
esac

# node.sh fills TANDEM_NODE_HOME atomically: when it holds a node, that node (and its npm) comes first.
if [ -x "$TANDEM_NODE_HOME/bin/node" ]; then
  case ":$PATH:" in
    *":$TANDEM_NODE_HOME/bin:"*) ;;
    *) export PATH="$TANDEM_NODE_HOME/bin:$PATH" ;;
  esac
  # node-gyp (native addons) builds against that node's headers, shipped in its include/, offline.
  export npm_config_nodedir="$TANDEM_NODE_HOME"
fi

# Types are checked by `npm run build` (part of `npm test`); `pulumi` runs the program transpile-only.
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"
