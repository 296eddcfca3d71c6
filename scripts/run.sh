#!/usr/bin/env bash
# The README's run command: the intake service with the demo portal on an embedded SQLite
# database (sqlite://./data/shenbao.db unless DATABASE_URL says otherwise), on
# http://127.0.0.1:8080 unless SHENBAO_BIND says otherwise.
# Installs the wasm toolchain and npm build tools if missing and builds the browser bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-browser --no-postgres
bash scripts/build-wasm.sh
export SHENBAO_WEB_ROOT="${SHENBAO_WEB_ROOT:-$PWD/web-demo}"
exec cargo run --release -p api-server -- serve "$@"
