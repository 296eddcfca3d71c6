#!/usr/bin/env bash
# The README's test command: installs what it needs (scripts/setup.sh), then runs every test —
# Rust unit, case, property and integration tests on SQLite and PostgreSQL, the generated-file
# freshness checks, the wasm build and its parity test, the browser end-to-end tests, and
# schemathesis against the service's OpenAPI document.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

# The bundle first: the HTTP tests check that the server serves web-demo/pkg/.
step "WebAssembly bundle"
bash scripts/build-wasm.sh

step "Rust tests (workspace)"
cargo test --workspace --all-targets --no-fail-fast
cargo test --workspace --doc
# Built with the whole workspace, validator-core has the wasm crate's feature `precompiled` (it
# reads src/precompiled.bin); built alone — as api-server is for production — it compiles the
# conditions from the rule sources. Run the core's tests that way too.
step "validator-core on its own (conditions compiled from the sources)"
cargo test -p validator-core --all-targets --no-fail-fast
if [ -d tests/browser ] && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
  step "Browser and wasm tests (node --test)"
  cargo build -p api-server
  node --test tests/browser/
fi
if [ -f scripts/schemathesis.sh ]; then
  step "schemathesis against /api/v1/openapi.json (bounded)"
  bash scripts/schemathesis.sh
fi
step "all tests passed"
