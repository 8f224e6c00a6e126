#!/usr/bin/env bash
# Makes the Pulumi CLI and its Node.js language host, at PULUMI_VERSION (toolchain/versions.env),
# available in $TANDEM_PULUMI_HOME/bin (env.sh puts that folder on PATH). Idempotent: a second run
# only checks versions and exits.
# One file on purpose: the CLI and the language host are built and checked together (their versions must match).
#
#   bash toolchain/pulumi.sh            # then: . toolchain/env.sh
#
# Where the binaries come from, in order of preference:
#   1. our cache ($TANDEM_PULUMI_HOME/bin), if it already holds the right versions;
#   2. a `pulumi` of exactly v$PULUMI_VERSION on the caller's PATH with `pulumi-language-nodejs`
#      beside it (an official install): symlinked into our bin;
#   3. built from Go modules: the CLI (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) inside a small
#      wrapper module that copies the non-local `replace` lines of pkg/v3's go.mod, and our own
#      language host (toolchain/language-host), because the module proxy reachable here does not
#      serve upstream's sdk/nodejs/cmd/pulumi-language-nodejs module. First build: ~5 min on 2
#      cores with cold Go caches (1.8 GB module cache + 1.9 GB build cache); later builds reuse them.
# It also installs `pulumi-resource-pulumi-nodejs` (dynamic providers; a wrapper that runs the
# @pulumi/pulumi npm package of the program being deployed) and tries once to build the Kafka
# provider plugin `pulumi-resource-kafka` (outcome in $TANDEM_PULUMI_HOME/kafka-provider.status;
# TANDEM_PULUMI_RETRY_KAFKA=1 tries again).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=env.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

WANT="v$PULUMI_VERSION"
BIN="$TANDEM_PULUMI_HOME/bin"
BUILD="$TANDEM_CACHE/build/pulumi-$PULUMI_VERSION"
HOST_SRC="$TANDEM_ROOT/toolchain/language-host"
SOURCE_FILE="$TANDEM_PULUMI_HOME/source"          # "built" or "user:<dir>"
HOST_STAMP="$TANDEM_PULUMI_HOME/language-host.sha256"
KAFKA_STATUS="$TANDEM_PULUMI_HOME/kafka-provider.status"
KAFKA_MODULE=github.com/pulumi/pulumi-kafka/provider/v3

tmpdir="" # build output folder, removed on exit
LDFLAG_VERSION="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$WANT"

say() { printf 'pulumi.sh: %s\n' "$*"; }
warn() { printf 'pulumi.sh: WARNING: %s\n' "$*" >&2; }
die() { printf 'pulumi.sh: ERROR: %s\n' "$*" >&2; exit 1; }

# Prints the version a pulumi binary reports, or nothing.
cli_version() { "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

# Hash of the language host's sources: a changed host is rebuilt even when the version is unchanged.
host_hash() {
  (
    cd "$HOST_SRC"
    for f in go.mod go.sum ./*.go; do
      case $f in *_test.go) ;; *) cat "$f" ;; esac
    done
    echo "$PULUMI_VERSION"
  ) | sha256sum | cut -d' ' -f1
}

# The @pulumi/pulumi npm package must have the CLI's version (checked when package.json exists).
check_npm_sdk_version() {
  local pj="$TANDEM_ROOT/package.json" spec installed
  [ -f "$pj" ] || return 0
  spec=$(node -e 'const p=require(process.argv[1]);const d={...p.devDependencies,...p.dependencies};process.stdout.write(d["@pulumi/pulumi"]||"")' "$pj" 2>/dev/null || true)
  if [ -n "$spec" ] && [ "${spec#[~^=]}" != "$PULUMI_VERSION" ]; then
    die "package.json pins @pulumi/pulumi \"$spec\" but versions.env has PULUMI_VERSION=$PULUMI_VERSION; make them equal"
  fi
  installed="$TANDEM_ROOT/node_modules/@pulumi/pulumi/package.json"
  if [ -f "$installed" ]; then
    installed=$(node -p 'require(process.argv[1]).version' "$installed" 2>/dev/null || true)
    [ "$installed" = "$PULUMI_VERSION" ] ||
      warn "node_modules has @pulumi/pulumi $installed, not $PULUMI_VERSION: run npm ci"
  fi
}

# The language host and the dynamic-provider wrapper run the first `node` on PATH: it must be one that
# @pulumi/pulumi supports (toolchain/node.sh provides one; env.sh puts it first).
check_node() {
  local major
  if ! command -v node >/dev/null; then
    warn "node is not on PATH: Pulumi programs and dynamic providers need it (bash toolchain/node.sh, then . toolchain/env.sh)"
    return 0
  fi
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  [ "$major" -ge "${NODE_VERSION%%.*}" ] ||
    warn "node on PATH is $(node --version 2>/dev/null), but @pulumi/pulumi needs >= ${NODE_VERSION%%.*}: bash toolchain/node.sh, then . toolchain/env.sh"
}

# pulumi-resource-pulumi-nodejs: the engine starts it (cwd = the program directory) for
# pulumi.dynamic resources. It runs the dynamic-provider entry of the @pulumi/pulumi package that
# node resolves from there, falling back to $TANDEM_ROOT, so it works from any checkout.
install_dynamic_provider_wrapper() {
  local target="$BIN/pulumi-resource-pulumi-nodejs" tmp
  tmp=$(mktemp "$BIN/.dynprov.XXXXXX")
  cat >"$tmp" <<'EOF'
#!/bin/sh
# Installed by toolchain/pulumi.sh: runs @pulumi/pulumi/cmd/dynamic-provider from the program's node_modules.
resolve='try { process.stdout.write(require.resolve("@pulumi/pulumi/cmd/dynamic-provider")); } catch (e) {}'
script=$(node -e "$resolve" 2>/dev/null)
if [ -z "$script" ] && [ -n "${TANDEM_ROOT:-}" ]; then
  script=$(cd "$TANDEM_ROOT" && node -e "$resolve" 2>/dev/null)
fi
if [ -z "$script" ]; then
  echo "pulumi-resource-pulumi-nodejs: @pulumi/pulumi not found from $(pwd)${TANDEM_ROOT:+ or $TANDEM_ROOT}; run npm install" >&2
  exit 1
fi
exec node "$script" "$@"
EOF
  chmod 755 "$tmp"
  if cmp -s "$tmp" "$target"; then rm -f "$tmp"; else mv -f "$tmp" "$target"; fi
}

# Non-local replace directives of a go.mod file, one "old [ver] => new ver" per line. Local ones
# ("=> ../sdk") have no version on the right and are dropped.
nonlocal_replaces() {
  awk '
    /^replace[ \t]*\(/ { inblock = 1; next }
    inblock && /^\)/   { inblock = 0; next }
    { line = $0; sub(/\/\/.*/, "", line) }
    inblock || line ~ /^replace[ \t]/ {
      sub(/^replace[ \t]+/, "", line)
      n = split(line, parts, "=>")
      if (n != 2) next
      m = split(parts[2], rhs, " ")
      if (m == 2) { gsub(/^[ \t]+|[ \t]+$/, "", line); print line }
    }' "$1"
}

# `go mod download -json module@version`, run outside any module.
download_json() {
  mkdir -p "$BUILD/dl"
  (cd "$BUILD/dl" && go mod download -json "$@")
}

# Path of the downloaded go.mod of module@version (downloads it if needed).
downloaded_gomod() {
  local json
  json=$(download_json "$1@$2") || { printf '%s\n' "$json" >&2; return 1; }
  printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p'
}

# Writes go.mod for a wrapper module that builds one command of an upstream module, with upstream's
# go directive, requirements and non-local replaces; runs `go mod tidy` only when go.mod changed.
prepare_wrapper_module() { # dir module version tool-package [extra-require...]
  local dir=$1 module=$2 version=$3 tool=$4 upstream_mod godirective tmp
  shift 4
  mkdir -p "$dir"
  upstream_mod=$(downloaded_gomod "$module" "$version") && [ -f "$upstream_mod" ] ||
    { echo "could not download $module@$version" >&2; return 1; }
  godirective=$(awk '$1 == "go" { print $2; exit }' "$upstream_mod")
  tmp=$(mktemp)
  {
    echo "// Generated by toolchain/pulumi.sh: builds $tool"
    echo "module tandem.local/build/$(basename "$tool")"
    echo
    echo "go ${godirective:-1.26}"
    echo
    echo "require $module $version"
    for extra in "$@"; do echo "require $extra"; done
    echo
    nonlocal_replaces "$upstream_mod" | sed 's/^/replace /'
    echo
    echo "tool $tool"
  } >"$tmp"
  if cmp -s "$tmp" "$dir/go.mod" && [ -s "$dir/go.sum" ]; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$dir/go.mod"
    rm -f "$dir/go.sum"
    say "resolving dependencies of $module@$version (go mod tidy)"
    (cd "$dir" && go mod tidy)
  fi
}

build_cli() { # out-file
  local started=$SECONDS
  say "building pulumi $WANT from github.com/pulumi/pulumi/pkg/v3 (about 5 min on 2 cores with cold Go caches)"
  prepare_wrapper_module "$BUILD/cli" github.com/pulumi/pulumi/pkg/v3 "$WANT" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "github.com/pulumi/pulumi/sdk/v3 $WANT"
  say "replaces copied from pkg/v3's go.mod: $(grep -c '^replace ' "$BUILD/cli/go.mod" || true)"
  (cd "$BUILD/cli" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "$LDFLAG_VERSION" \
    -o "$1" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  say "built pulumi in $((SECONDS - started)) s"
}

build_language_host() { # out-file
  local started=$SECONDS dir=$HOST_SRC sdk
  sdk=$(awk '$1 == "github.com/pulumi/pulumi/sdk/v3" { print $2 } $2 == "github.com/pulumi/pulumi/sdk/v3" { print $3 }' "$HOST_SRC/go.mod" | head -n1)
  if [ "$sdk" != "$WANT" ]; then
    # Build a copy moved to the wanted SDK version; the committed go.mod should follow.
    warn "toolchain/language-host/go.mod requires sdk/v3 $sdk, not $WANT: building a copy against $WANT (update it with: cd toolchain/language-host && go get github.com/pulumi/pulumi/sdk/v3@$WANT && go mod tidy)"
    dir="$BUILD/language-host"
    rm -rf "$dir" && mkdir -p "$dir" && cp "$HOST_SRC"/go.mod "$HOST_SRC"/go.sum "$HOST_SRC"/*.go "$dir/"
    (cd "$dir" && go get "github.com/pulumi/pulumi/sdk/v3@$WANT" && go mod tidy)
  fi
  say "building pulumi-language-nodejs (toolchain/language-host) against sdk/v3 $WANT"
  (cd "$dir" && CGO_ENABLED=0 go build -mod=readonly -trimpath -buildvcs=false -ldflags "$LDFLAG_VERSION" -o "$1" .)
  say "built pulumi-language-nodejs in $((SECONDS - started)) s"
}

# One quick attempt at the Kafka provider plugin; never fails the script.
try_kafka_provider() {
  if [ -f "$KAFKA_STATUS" ] && [ "${TANDEM_PULUMI_RETRY_KAFKA:-}" != 1 ]; then
    case "$(head -n1 "$KAFKA_STATUS")" in
      ok*) ;;
      *) warn "pulumi-resource-kafka not built ($(head -n1 "$KAFKA_STATUS")); TANDEM_PULUMI_RETRY_KAFKA=1 retries" ;;
    esac
    return 0
  fi
  local answer err dir="$BUILD/kafka" out
  say "trying the Kafka provider plugin: go mod download $KAFKA_MODULE@v$PULUMI_KAFKA_VERSION"
  answer=$(mkdir -p "$BUILD/dl" && cd "$BUILD/dl" &&
    timeout 60 go mod download -json "$KAFKA_MODULE@v$PULUMI_KAFKA_VERSION" 2>&1) || true
  err=$(printf '%s\n' "$answer" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' | sed 's/\\n\\t/ /g; s/\\t/ /g; s/\\n/ /g')
  if [ -n "$err" ] || ! printf '%s\n' "$answer" | grep -q '"GoMod"'; then
    err=${err:-$(printf '%s' "$answer" | tr '\n' ' ' | cut -c1-300)}
    err=${err:-no answer within 60 s}
    err=${err%.}
    err=${err#"$KAFKA_MODULE@v$PULUMI_KAFKA_VERSION: "}
    echo "unavailable: go mod download $KAFKA_MODULE@v$PULUMI_KAFKA_VERSION answered: $err" >"$KAFKA_STATUS"
    warn "pulumi-resource-kafka not built: go mod download $KAFKA_MODULE@v$PULUMI_KAFKA_VERSION answered: $err. Only stacks that create @pulumi/kafka resources need it."
    return 0
  fi
  out=$(mktemp "$BIN/.kafka.XXXXXX")
  if prepare_wrapper_module "$dir" "$KAFKA_MODULE" "v$PULUMI_KAFKA_VERSION" "$KAFKA_MODULE/cmd/pulumi-resource-kafka" >"$dir.log" 2>&1 &&
    (cd "$dir" && CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-X $KAFKA_MODULE/pkg/version.Version=v$PULUMI_KAFKA_VERSION" \
      -o "$out" "$KAFKA_MODULE/cmd/pulumi-resource-kafka") >>"$dir.log" 2>&1; then
    mv -f "$out" "$BIN/pulumi-resource-kafka"
    echo "ok: built $KAFKA_MODULE@v$PULUMI_KAFKA_VERSION" >"$KAFKA_STATUS"
    say "installed pulumi-resource-kafka v$PULUMI_KAFKA_VERSION"
  else
    rm -f "$out"
    echo "build-failed: $KAFKA_MODULE@v$PULUMI_KAFKA_VERSION: $(grep -v '^go: downloading' "$dir.log" | tail -n1) (log: $dir.log)" >"$KAFKA_STATUS"
    warn "pulumi-resource-kafka not built: $(head -n1 "$KAFKA_STATUS")"
  fi
}

verify() {
  local got
  got=$(cli_version "$BIN/pulumi")
  [ "$got" = "$WANT" ] || die "$BIN/pulumi reports '$got', expected $WANT"
  got=$(timeout 10 "$BIN/pulumi-language-nodejs" --version 2>/dev/null | tr -d '[:space:]' || true)
  [ -n "$got" ] || die "$BIN/pulumi-language-nodejs does not run"
  [ "$got" = "$WANT" ] || warn "pulumi-language-nodejs reports $got, expected $WANT"
}

host_is_current() {
  [ -x "$BIN/pulumi-language-nodejs" ] || return 1
  case "$(cat "$SOURCE_FILE" 2>/dev/null)" in
    user:*) return 0 ;; # the user's official host, symlinked
  esac
  [ "$(cat "$HOST_STAMP" 2>/dev/null)" = "$(host_hash)" ]
}

main() {
  command -v go >/dev/null || die "go is not on PATH (needed to build Pulumi)"
  mkdir -p "$BIN" "$BUILD"
  check_npm_sdk_version
  check_node

  # Serialize concurrent runs (two shells bootstrapping at once).
  if command -v flock >/dev/null; then
    exec 9>"$BUILD.lock"
    flock 9
  fi

  # 1. Cached.
  if [ -x "$BIN/pulumi" ] && [ "$(cli_version "$BIN/pulumi")" = "$WANT" ] && host_is_current; then
    install_dynamic_provider_wrapper
    try_kafka_provider
    say "pulumi $WANT: cached at $BIN ($(cat "$SOURCE_FILE" 2>/dev/null || echo built))"
    return 0
  fi

  # 2. The user's own install of exactly this version.
  local user_pulumi="" dir p
  while IFS= read -r dir; do
    [ -n "$dir" ] && [ "$dir" != "$BIN" ] || continue
    p="$dir/pulumi"
    if [ -x "$p" ] && [ -x "$dir/pulumi-language-nodejs" ] && [ "$(cli_version "$p")" = "$WANT" ]; then
      user_pulumi=$p
      break
    fi
  done < <(printf '%s\n' "$PATH" | tr ':' '\n')
  if [ -n "$user_pulumi" ]; then
    dir=$(cd "$(dirname "$user_pulumi")" && pwd -P)
    ln -sfn "$dir/pulumi" "$BIN/pulumi"
    ln -sfn "$dir/pulumi-language-nodejs" "$BIN/pulumi-language-nodejs"
    echo "user:$dir" >"$SOURCE_FILE"
    rm -f "$HOST_STAMP"
    say "using the pulumi $WANT installed in $dir (symlinked into $BIN)"
  else
    # 3. Build. Into temporary files beside the targets, then rename (atomic).
    local started=$SECONDS
    tmpdir=$(mktemp -d "$BIN/.build.XXXXXX")
    trap 'rm -rf "$tmpdir"' EXIT
    if [ -x "$BIN/pulumi" ] && [ ! -L "$BIN/pulumi" ] && [ "$(cli_version "$BIN/pulumi")" = "$WANT" ]; then
      say "pulumi $WANT already built; rebuilding the language host only"
    else
      build_cli "$tmpdir/pulumi"
    fi
    build_language_host "$tmpdir/pulumi-language-nodejs"
    [ ! -f "$tmpdir/pulumi" ] || mv -f "$tmpdir/pulumi" "$BIN/pulumi"
    mv -f "$tmpdir/pulumi-language-nodejs" "$BIN/pulumi-language-nodejs"
    host_hash >"$HOST_STAMP"
    echo built >"$SOURCE_FILE"
    say "installed into $BIN in $((SECONDS - started)) s"
  fi

  install_dynamic_provider_wrapper
  try_kafka_provider
  verify
  say "pulumi $WANT ready in $BIN"
}

main "$@"; exit
