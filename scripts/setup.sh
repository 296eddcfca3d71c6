#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there:
# the wasm32 target, the wasm-bindgen CLI pinned to the crate's version, npm packages
# (tests/browser), Debian's Chromium and a CJK font, Python test tools, and a running PostgreSQL.
# Usage: scripts/setup.sh [--no-browser] [--no-postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
want_browser=1; want_pg=1
for a in "$@"; do
  case "$a" in --no-browser) want_browser=0 ;; --no-postgres) want_pg=0 ;; esac
done
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- Rust: the wasm target and the wasm-bindgen CLI matching Cargo.lock
if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  say "adding rust target wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown
fi
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if [ -n "$wb_version" ] && ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$"; then
  say "installing wasm-bindgen-cli $wb_version"; cargo install wasm-bindgen-cli --version "$wb_version"
fi

# --- npm packages for the browser build and tests (wasm-opt from npm binaryen, playwright-core, ajv)
if [ -f tests/browser/package.json ]; then
  if [ ! -d tests/browser/node_modules ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
    say "installing npm packages (tests/browser)"
    (cd tests/browser && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi)
  fi
fi

apt_updated=0
apt_install() {
  [ "$apt_updated" = 1 ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
# --- Chromium for the browser tests
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian chromium"; apt_install chromium
fi
# --- a CJK font: the forms are Chinese; without one Chromium draws empty boxes, the screenshots show
# nothing a person could read, and the benchmark would time the rendering of boxes, not of text
if [ "$want_browser" = 1 ] && [ -z "$(fc-list :lang=zh family 2>/dev/null | head -1)" ]; then
  say "installing Debian fonts-noto-cjk"; apt_install fonts-noto-cjk
fi
# --- PostgreSQL: start the local cluster if it is installed but down
if [ "$want_pg" = 1 ] && command -v pg_lsclusters >/dev/null 2>&1; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    say "starting PostgreSQL"; pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
say "ready"
