// Loads the browser bundle (web-demo/pkg, built by scripts/build-wasm.sh) in Node.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (/work/main). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const PKG_DIR = path.join(ROOT, "web-demo", "pkg");
export const GLUE_PATH = path.join(PKG_DIR, "validator_wasm.js");
export const WASM_PATH = path.join(PKG_DIR, "validator_wasm_bg.wasm");

/**
 * Imports the wasm-bindgen glue and instantiates the module synchronously from the file
 * (`initSync`), as a Node program would. Returns the module namespace (validate, validateJson,
 * forms, schema, ruleInfo, checklist, ruleSet).
 */
export async function loadWasm({ glue = GLUE_PATH, wasm = WASM_PATH } = {}) {
  for (const f of [glue, wasm]) {
    if (!fs.existsSync(f)) {
      throw new Error(`${path.relative(ROOT, f)} is missing: build the bundle with \`bash scripts/build-wasm.sh\``);
    }
  }
  const m = await import(pathToFileURL(glue).href);
  m.initSync({ module: fs.readFileSync(wasm) });
  return m;
}

/** The offered (jurisdiction, form) pairs as "j/f" strings, from `forms()`. */
export function offeredPairs(m) {
  const out = new Set();
  for (const pack of m.forms()) for (const f of pack.forms) out.add(`${pack.jurisdiction}/${f.form}`);
  return out;
}
