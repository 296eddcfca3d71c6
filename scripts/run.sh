#!/usr/bin/env bash
# The README's run command: the intake service with the demo portal on an embedded SQLite
# database (sqlite://./data/shenbao.db unless DATABASE_URL says otherwise), on
# http://127.0.0.1:8080 unless SHENBAO_BIND says otherwise.
# Installs the wasm toolchain and npm build tools if missing and builds the browser bundle.
#
# On the first start it issues one demo unit token per jurisdiction, bound to the credit code
# of that jurisdiction's example filing (the demo's “填入示例”), and keeps them in
# ./data/demo-tokens.txt (mode 600): paste one into the demo's 单位令牌 field to file drafts and
# final filings with the service. Tokens are stored hashed in the database; this file is the
# only copy of the secrets.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-browser --no-postgres
bash scripts/build-wasm.sh
cargo build --release -p api-server
BIN=${CARGO_TARGET_DIR:-target}/release/api-server
export SHENBAO_WEB_ROOT="${SHENBAO_WEB_ROOT:-$PWD/web-demo}"

TOKENS=./data/demo-tokens.txt
if [ -z "${DATABASE_URL:-}" ] && [ ! -f "$TOKENS" ]; then
  mkdir -p ./data
  umask 077
  : >"$TOKENS.tmp"
  # jurisdiction and credit code of each example filing of web-demo/examples.js
  node --input-type=module -e '
    const { examples } = await import(new URL("./web-demo/examples.js", "file://" + process.cwd() + "/").href);
    for (const [j, ex] of Object.entries(examples)) console.log(j, ex.data.applicant.credit_code);
  ' | while read -r j cc; do
    t=$("$BIN" token create --role unit --jurisdiction "$j" --credit-code "$cc" --label "demo $j" 2>/dev/null)
    printf '%-9s %s  %s\n' "$j" "$cc" "$t" >>"$TOKENS.tmp"
  done
  mv "$TOKENS.tmp" "$TOKENS"
fi
if [ -f "$TOKENS" ]; then
  printf '\nDemo unit tokens (jurisdiction, credit code, token) — paste one into the demo'"'"'s 单位令牌 field:\n'
  cat "$TOKENS"
  printf '\n'
fi
exec "$BIN" serve "$@"
