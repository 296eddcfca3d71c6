#!/usr/bin/env bash
# Proves the architecture invariants of ARCHITECTURE.md:
#  - validator-core builds for wasm32-unknown-unknown;
#  - its (normal) dependency tree holds none of actix, diesel, wasm-bindgen, tokio, jsonschema,
#    validator, regex — the core does no I/O and stays small enough for the browser bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo check -q -p validator-core --target wasm32-unknown-unknown
tree=$(cargo tree -p validator-core -e normal --prefix none --target all)
bad=$(echo "$tree" | grep -E '^(actix|diesel|wasm-bindgen|js-sys|web-sys|tokio|jsonschema|validator |regex|reqwest|hyper)' || true)
if [ -n "$bad" ]; then
  echo "validator-core depends on forbidden crates:"; echo "$bad"; exit 1
fi
for forbidden in actix-web diesel wasm-bindgen; do
  if cargo tree -p validator-core -e normal -i "$forbidden" --target all >/dev/null 2>&1; then
    echo "validator-core depends on $forbidden"; exit 1
  fi
done
echo "validator-core is pure: $(echo "$tree" | sort -u | wc -l) crates, none forbidden; wasm32 check ok"
