#!/usr/bin/env bash
# Builds the browser bundle of shenbao into web-demo/pkg/ (build output, not committed):
#   validator_wasm.js          ES-module glue (wasm-bindgen --target web, minified; .src.js: as generated)
#   shenbao.min.js, shenbao-element.min.js
#                              the widget and its custom element, minified (scripts/minify.mjs;
#                              the readable sources are web-demo/shenbao.js, shenbao-element.js)
#   validator_wasm_bg.wasm     the module (wasm-release profile, then wasm-opt -Oz)
#   validator_wasm.d.ts        TypeScript declarations
#   snippets/                  the loader of the companion module (inline JS of the bindings)
#   validator_wasm_schema.js, validator_wasm_schema_bg.wasm, validator_wasm_schema.d.ts
#                              the companion module with the JSON Schema generator (feature
#                              schema-module), loaded by schema() on first use only
#
# Idempotent: installs only what is missing (the wasm32 target, the wasm-bindgen CLI of exactly
# the version pinned in Cargo.lock, the npm tooling of tests/browser), then rebuilds.
# Environment: SKIP_WASM_OPT=1 skips wasm-opt; CARGO_TARGET_DIR is honoured.
# See validator-wasm/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TARGET=wasm32-unknown-unknown
PROFILE=wasm-release
OUT="$ROOT/web-demo/pkg"
NPM_DIR="$ROOT/tests/browser"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

step() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# --- 1. the wasm32 target ---------------------------------------------------------------------
if command -v rustup >/dev/null 2>&1; then
  if rustup target list --installed | grep -qx "$TARGET"; then
    step "rust target $TARGET: installed"
  else
    step "adding rust target $TARGET"
    rustup target add "$TARGET"
  fi
else
  warn "rustup not found; assuming the $TARGET standard library is installed"
fi

# --- 2. wasm-bindgen CLI pinned to Cargo.lock -------------------------------------------------
WB_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
[ -n "$WB_VERSION" ] || die "no wasm-bindgen package in Cargo.lock (run: cargo generate-lockfile)"

wb_version_of() { "$1" --version 2>/dev/null | awk '{ print $2 }'; }
WASM_BINDGEN=""
for candidate in "$(command -v wasm-bindgen || true)" "$CARGO_BIN/wasm-bindgen"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(wb_version_of "$candidate")" = "$WB_VERSION" ]; then
    WASM_BINDGEN="$candidate"
    break
  fi
done
if [ -z "$WASM_BINDGEN" ]; then
  step "installing wasm-bindgen-cli $WB_VERSION (matches Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
  WASM_BINDGEN="$CARGO_BIN/wasm-bindgen"
  [ "$(wb_version_of "$WASM_BINDGEN")" = "$WB_VERSION" ] || die "$WASM_BINDGEN is not version $WB_VERSION"
else
  step "wasm-bindgen $WB_VERSION: $WASM_BINDGEN"
fi

# --- 3. npm tooling (binaryen's wasm-opt, test dependencies) ----------------------------------
command -v npm >/dev/null 2>&1 || die "npm not found (Node 20+ is required)"
if [ -x "$NPM_DIR/node_modules/.bin/wasm-opt" ] && [ "$NPM_DIR/node_modules/.package-lock.json" -nt "$NPM_DIR/package-lock.json" ]; then
  step "npm dependencies of tests/browser: up to date"
elif [ -f "$NPM_DIR/package-lock.json" ]; then
  step "npm ci (tests/browser)"
  (cd "$NPM_DIR" && npm ci --no-audit --no-fund)
else
  step "npm install (tests/browser)"
  (cd "$NPM_DIR" && npm install --no-audit --no-fund)
fi

# --- 4. compile both modules -------------------------------------------------------------------
RAW_WASM="$TARGET_DIR/$TARGET/$PROFILE/validator_wasm.wasm"
RAW_DIR="$(mktemp -d)"
trap 'rm -rf "$RAW_DIR"' EXIT
step "cargo build -p validator-wasm --features schema-module (companion: the schema generator)"
cargo build -p validator-wasm --target "$TARGET" --profile "$PROFILE" --features schema-module
cp "$RAW_WASM" "$RAW_DIR/schema.wasm"
step "cargo build -p validator-wasm --target $TARGET --profile $PROFILE (the widget bundle)"
cargo build -p validator-wasm --target "$TARGET" --profile "$PROFILE"
cp "$RAW_WASM" "$RAW_DIR/bundle.wasm"

# --- 5. bindings -------------------------------------------------------------------------------
step "wasm-bindgen --target web → web-demo/pkg/"
rm -rf "$OUT"
"$WASM_BINDGEN" --target web --out-dir "$OUT" --out-name validator_wasm "$RAW_DIR/bundle.wasm"
"$WASM_BINDGEN" --target web --out-dir "$OUT" --out-name validator_wasm_schema "$RAW_DIR/schema.wasm"
BG="$OUT/validator_wasm_bg.wasm"
JS="$OUT/validator_wasm.js"
SBG="$OUT/validator_wasm_schema_bg.wasm"
for f in "$BG" "$JS" "$OUT/validator_wasm.d.ts" "$SBG" "$OUT/validator_wasm_schema.js"; do
  [ -f "$f" ] || die "wasm-bindgen did not produce $f"
done

# Loads the glue in Node and prints a digest of its answers for every offered (jurisdiction,
# form), the schema companion included: a smoke test, and a fingerprint to compare builds with.
fingerprint() {
  node --input-type=module - "$JS" <<'NODE'
import crypto from "node:crypto";
import fs from "node:fs";
import { pathToFileURL } from "node:url";
const [glue] = process.argv.slice(2);
const m = await import(pathToFileURL(glue).href);
m.initSync({ module: fs.readFileSync(new URL("validator_wasm_bg.wasm", pathToFileURL(glue))) });
const h = crypto.createHash("sha256");
const rs = m.ruleSet();
if (!rs || !rs.digest) throw new Error("ruleSet() returned no digest");
h.update(JSON.stringify(rs));
for (const pack of m.forms()) {
  for (const { form } of pack.forms) {
    h.update(m.validateJson(pack.jurisdiction, form, '{"submission_date":"2025-09-15"}'));
    h.update(JSON.stringify(m.validate(pack.jurisdiction, form, {})));
    h.update(JSON.stringify(m.checklist(pack.jurisdiction, form, {})));
    h.update(JSON.stringify(await m.schema(pack.jurisdiction, form)));
  }
}
try { m.validateJson("potou", "apply", "{"); throw new Error("malformed JSON did not throw"); }
catch (e) { if (!(e instanceof Error) || !e.message.startsWith("malformed JSON")) throw e; }
console.log(h.digest("hex"));
NODE
}

step "checking the unoptimized modules load"
BASE_PRINT="$(fingerprint)" || die "the modules from wasm-bindgen do not load in Node"

# --- 6. wasm-opt -Oz (npm binaryen; Debian's wasm-opt 108 produces broken modules) ------------
WASM_OPT="$NPM_DIR/node_modules/.bin/wasm-opt"
if [ "${SKIP_WASM_OPT:-0}" = 1 ]; then
  warn "SKIP_WASM_OPT=1: shipping the unoptimized modules"
elif [ ! -x "$WASM_OPT" ]; then
  warn "$WASM_OPT not found: shipping the unoptimized modules"
else
  step "wasm-opt --flatten --rereloop -Oz -Oz ($("$WASM_OPT" --version))"
  for f in "$BG" "$SBG"; do
    cp "$f" "$RAW_DIR/$(basename "$f").orig"
    # The features rustc enables by default for wasm32-unknown-unknown; nothing newer.
    # --flatten --rereloop before two -Oz rounds: 0.7 KB gzip smaller than -Oz alone, no slower
    # (measured with the benchmark page); the producers / target-features sections are not needed.
    "$WASM_OPT" --flatten --rereloop -Oz -Oz --strip-producers --strip-target-features \
      --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int \
      --enable-bulk-memory --enable-reference-types --enable-multivalue \
      "$RAW_DIR/$(basename "$f").orig" -o "$f"
    chmod 644 "$f"
  done
  if ! OPT_PRINT="$(fingerprint)" || [ "$OPT_PRINT" != "$BASE_PRINT" ]; then
    warn "the wasm-opt output does not load or answers differently: shipping the unoptimized modules"
    for f in "$BG" "$SBG"; do cp "$RAW_DIR/$(basename "$f").orig" "$f"; done
  fi
fi

# --- 7. minify the glue and the widget (terser, with source maps) -----------------------------
step "minify: pkg/validator_wasm.js, pkg/shenbao.min.js, pkg/shenbao-element.min.js (terser)"
node "$ROOT/scripts/minify.mjs" >&2
[ "$(fingerprint)" = "$BASE_PRINT" ] || die "the minified glue does not load or answers differently"

# --- 8. sizes ----------------------------------------------------------------------------------
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
total_raw=0
total_gz=0
printf '\n%-28s %10s %12s\n' "web-demo/pkg/" "raw bytes" "gzip -9"
for f in "$BG" "$JS" "$OUT/shenbao.min.js" "$OUT/shenbao-element.min.js"; do
  raw=$(wc -c <"$f" | tr -d ' ')
  zip=$(gz "$f")
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + zip))
  printf '%-28s %10d %12d\n' "$(basename "$f")" "$raw" "$zip"
done
printf '%-28s %10d %12d\n' "total" "$total_raw" "$total_gz"
printf '%-28s %10d %12d   (loaded by schema() only)\n' "$(basename "$SBG")" "$(wc -c <"$SBG" | tr -d ' ')" "$(gz "$SBG")"
