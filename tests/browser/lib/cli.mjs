// The native command line (`api-server validate`, spec/report.md "Command line") as the
// reference the wasm reports are compared with.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./wasm.mjs";

/**
 * The api-server binary: $SHENBAO_API_SERVER as is, or target/debug/api-server after
 * `cargo build -p api-server` (a no-op when it is up to date, so it is never stale).
 */
export function apiServer() {
  if (process.env.SHENBAO_API_SERVER) return process.env.SHENBAO_API_SERVER;
  const r = spawnSync("cargo", ["build", "--quiet", "-p", "api-server"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cargo build -p api-server failed:\n${r.stderr}`);
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, "target");
  const bin = path.join(targetDir, "debug", process.platform === "win32" ? "api-server.exe" : "api-server");
  if (!fs.existsSync(bin)) throw new Error(`${bin} missing after cargo build`);
  return bin;
}

/** Runs the CLI with the built-in calendar only (no operator year files). */
export function runCli(bin, args) {
  const env = { ...process.env };
  delete env.SHENBAO_CALENDAR_DIR;
  return spawnSync(bin, args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 256 << 20 });
}

/**
 * Validates many data documents of one (jurisdiction, form) in ONE CLI call and returns their
 * canonical JSON reports (one stdout line per file, in order). Exit 0/1 are verdicts; anything
 * else is an error.
 */
export function validateBatch(bin, jurisdiction, form, datas) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shenbao-parity-"));
  try {
    const files = datas.map((d, i) => {
      const f = path.join(dir, `${String(i).padStart(5, "0")}.json`);
      fs.writeFileSync(f, JSON.stringify(d));
      return f;
    });
    const r = runCli(bin, ["validate", "--jurisdiction", jurisdiction, "--form", form, "--format", "json", ...files]);
    if (r.error) throw r.error;
    if (r.status !== 0 && r.status !== 1) {
      throw new Error(`api-server validate exited ${r.status}: ${r.stderr}`);
    }
    const lines = r.stdout.split("\n");
    if (lines.at(-1) === "") lines.pop();
    if (lines.length !== files.length) {
      throw new Error(`api-server printed ${lines.length} reports for ${files.length} files; stderr: ${r.stderr}`);
    }
    const anyInvalid = lines.some((l) => JSON.parse(l).valid === false);
    if (r.status !== (anyInvalid ? 1 : 0)) {
      throw new Error(`api-server exited ${r.status} but ${anyInvalid ? "some" : "no"} report is invalid`);
    }
    return lines;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
