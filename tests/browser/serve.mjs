// Test server for the browser demo: serves web-demo/ statically with a configurable CSP and
// implements POST /api/v1/validate (and /api/v1/checklist) by running the native CLI, which
// uses the same validator-core as the WebAssembly module. The real HTTP service replaces it later.
//
//   node tests/browser/serve.mjs [--port 8080] [--no-wasm-eval] [--isolate]
//
// Library use: const srv = await startServer({ wasmEval: false }); srv.url; srv.log; await srv.close();

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../..');
export const WEB_ROOT = path.join(REPO, 'web-demo');
export const CLI = process.env.SHENBAO_CLI || path.join(REPO, 'target/debug/api-server');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The CSP the demo must work under; `wasmEval: false` drops 'wasm-unsafe-eval' (forces the server fallback). */
export function cspFor({ wasmEval = true, unsafeEval = false } = {}) {
  const script = ["'self'", wasmEval && "'wasm-unsafe-eval'", unsafeEval && "'unsafe-eval'"].filter(Boolean).join(' ');
  return `default-src 'self'; script-src ${script}; style-src 'self'; img-src 'self' data:; connect-src 'self'; ` +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}

function sendJson(res, status, body) {
  const text = typeof body == 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req, limit = 2 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let n = 0;
    req.on('data', (c) => {
      n += c.length;
      if (n > limit) { reject(Object.assign(new Error('request body too large'), { status: 413 })); req.destroy(); }
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Run `api-server <cmd> --jurisdiction J --form F --format json FILE`. */
async function runCli(cmd, jurisdiction, form, data) {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'shenbao-serve-'));
  const file = path.join(dir, 'data.json');
  try {
    await fsp.writeFile(file, JSON.stringify(data));
    return await new Promise((resolve) => {
      execFile(CLI, [cmd, '--jurisdiction', jurisdiction, '--form', form, '--format', 'json', file],
        { timeout: 20000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code == 'number' ? err.code : -1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        });
    });
  } finally {
    fsp.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

async function api(req, res, name, log) {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch (e) {
    return sendJson(res, e.status || 400, { error: e.status ? e.message : 'malformed JSON: ' + e.message });
  }
  const { jurisdiction, form, data } = body || {};
  if (typeof jurisdiction != 'string' || typeof form != 'string' || !data || typeof data != 'object' || Array.isArray(data)) {
    return sendJson(res, 400, { error: 'expected {"jurisdiction": string, "form": string, "data": object}' });
  }
  if (!/^[a-z][a-z-]{0,30}$/.test(jurisdiction) || !/^[a-z][a-z-]{0,30}$/.test(form)) {
    return sendJson(res, 400, { error: 'unknown jurisdiction or form' });
  }
  log.push({ method: 'POST', path: '/api/v1/' + name, jurisdiction, form });
  const r = await runCli(name, jurisdiction, form, data);
  const line = r.stdout.split('\n').find((l) => l.trim());
  if ((r.code === 0 || r.code === 1) && line) return sendJson(res, 200, line);
  if (r.code === 2) return sendJson(res, 400, { error: r.stderr.trim().split('\n')[0] || 'bad request' });
  return sendJson(res, 502, { error: 'validator CLI failed', detail: r.stderr.trim().split('\n')[0] || String(r.code) });
}

export async function startServer({ root = WEB_ROOT, port = 0, wasmEval = true, unsafeEval = false, isolate = false, csp } = {}) {
  const policy = csp === undefined ? cspFor({ wasmEval, unsafeEval }) : csp;
  const log = [];
  const rootAbs = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      const p = decodeURIComponent(url.pathname);
      if (p === '/api/v1/validate') return await api(req, res, 'validate', log);
      if (p === '/api/v1/checklist') return await api(req, res, 'checklist', log);
      if (p.startsWith('/api/')) {
        log.push({ method: req.method, path: p });
        return sendJson(res, 404, { error: 'not found' });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
      let file = path.resolve(rootAbs, '.' + (p.endsWith('/') ? p + 'index.html' : p));
      if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) return sendJson(res, 403, { error: 'forbidden' });
      let st = await fsp.stat(file).catch(() => null);
      if (st && st.isDirectory()) { file = path.join(file, 'index.html'); st = await fsp.stat(file).catch(() => null); }
      if (!st || !st.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        return res.end('not found');
      }
      const headers = {
        'content-type': MIME[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      };
      if (policy) headers['content-security-policy'] = policy;
      if (isolate) {
        headers['cross-origin-opener-policy'] = 'same-origin';
        headers['cross-origin-embedder-policy'] = 'require-corp';
        headers['cross-origin-resource-policy'] = 'same-origin';
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, { error: String(e && e.message) });
      else res.destroy();
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    log,
    csp: policy,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const portIx = args.indexOf('--port');
  const srv = await startServer({
    port: portIx >= 0 ? +args[portIx + 1] : 0,
    wasmEval: !args.includes('--no-wasm-eval'),
    isolate: args.includes('--isolate'),
  });
  if (!fs.existsSync(CLI)) console.warn(`warning: ${CLI} not found; run \`cargo build -p api-server\` for /api/v1/validate`);
  console.log(`shenbao demo: ${srv.url}/   (CSP: ${srv.csp})`);
}
