// End-to-end tests of the demo portal and the form-checker widget in headless Chromium.
//
//   node --test tests/browser/e2e.test.mjs
//
// Needs: web-demo/pkg (bash scripts/build-wasm.sh), target/debug/api-server (cargo build -p api-server),
// Chromium (/usr/bin/chromium or $CHROMIUM), playwright-core (npm ci in tests/browser, or NODE_PATH).
// Screenshots of each state go to tests/browser/artifacts/*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startServer, REPO, CLI } from './serve.mjs';

const require = createRequire(import.meta.url); // resolves tests/browser/node_modules, then NODE_PATH
const { chromium } = require('playwright-core');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(HERE, 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const BAD_CODE = '114408040073500119'; // check character wrong (valid: …118)
const GOOD_CODE = '114408040073500118';
const CHECK_DIGIT_ZH = '统一社会信用代码校验位不正确，请核对后重新填写。';
const CHECK_DIGIT_EN = 'The check character of the unified social credit code is wrong; please re-check the code.';
const GB_CITE = '《GB 32100-2015 法人和其他组织统一社会信用代码编码规则》';

let ctx, wasmSrv, noWasmSrv, profile;

before(async () => {
  for (const f of ['web-demo/pkg/validator_wasm.js', 'web-demo/pkg/validator_wasm_bg.wasm']) {
    assert.ok(fs.existsSync(path.join(REPO, f)), `${f} missing: run \`bash scripts/build-wasm.sh\``);
  }
  assert.ok(fs.existsSync(CLI), `${CLI} missing: run \`cargo build -p api-server\``);
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  wasmSrv = await startServer({ wasmEval: true });
  noWasmSrv = await startServer({ wasmEval: false });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-e2e-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, viewport: { width: 1280, height: 900 }, locale: 'zh-CN',
  });
});

after(async () => {
  await ctx?.close();
  await wasmSrv?.close();
  await noWasmSrv?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

/**
 * A fresh page that records console errors, page errors and CSP violations.
 * `allow(msg)` may excuse expected console errors (e.g. the demo's 404 from /api/v1/submissions).
 */
async function open(srv, urlPath, { allow = () => false } = {}) {
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url || '';
    if (!allow(m.text(), where)) problems.push(`console.error: ${m.text()} (${where})`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(srv.url + urlPath);
  page.problems = problems;
  return page;
}

/** Console-clean and CSP-clean; `cspAllowed` lists expected violations (the wasm refusal in fallback mode). */
async function assertClean(page, cspAllowed = () => false) {
  const csp = (await page.evaluate(() => window.__csp)).filter((v) => !cspAllowed(v));
  assert.deepEqual(page.problems, [], 'no console errors');
  assert.deepEqual(csp, [], 'no CSP violations');
}

const submissions404 = (text, where) => /Failed to load resource.*404/.test(text) && where.endsWith('/api/v1/submissions');
const shot = (page, name, opts = {}) => page.screenshot({ path: path.join(ARTIFACTS, name + '.png'), ...opts });
const engineOf = (page) => page.waitForFunction(() => document.documentElement.dataset.engine, null, { timeout: 15000 }).then((h) => h.jsonValue());
const validateCalls = (srv) => srv.log.filter((r) => r.path === '/api/v1/validate').length;

/** Message box, aria state and citation of one field. */
function fieldState(page, name) {
  return page.evaluate((name) => {
    const el = document.querySelector(`[name="${name}"]`);
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const boxes = ids.map((id) => document.getElementById(id)).filter((b) => b && b.classList.contains('sb-msgs'));
    const wrapper = el.closest('[data-shenbao-field],.sb-field');
    return {
      invalid: el.getAttribute('aria-invalid'),
      text: boxes.map((b) => b.textContent).join('\n'),
      cite: boxes.map((b) => [...b.querySelectorAll('.sb-cite')].map((c) => c.textContent).join('')).join(''),
      nextToField: boxes.length > 0 && boxes.every((b) => wrapper.contains(b)),
      wrapperError: wrapper.classList.contains('sb-has-error'),
    };
  }, name);
}

async function typeAndBlur(page, name, value) {
  const el = page.locator(`[name="${name}"]`);
  await el.fill(value);
  await el.press('Tab');
}

test('wasm under CSP script-src \'self\' \'wasm-unsafe-eval\': credit-code message with citation next to the field', async () => {
  const before = validateCalls(wasmSrv);
  const page = await open(wasmSrv, '/index.html');
  assert.equal(await engineOf(page), 'wasm');

  await typeAndBlur(page, 'applicant.credit_code', BAD_CODE);
  await page.waitForFunction(() => document.querySelector('[name="applicant.credit_code"]').getAttribute('aria-invalid') === 'true');
  let s = await fieldState(page, 'applicant.credit_code');
  assert.equal(s.invalid, 'true');
  assert.ok(s.text.includes(CHECK_DIGIT_ZH), s.text);
  assert.equal(s.cite, GB_CITE);
  assert.ok(s.nextToField, 'message box inside the field wrapper, referenced by aria-describedby');
  assert.ok(s.wrapperError);
  // untouched fields stay quiet before a submit attempt
  assert.equal(await page.locator('[name="project_name"][aria-invalid]').count(), 0);
  assert.equal(await page.locator('.sb-summary').isHidden(), true);
  // the live region announces the change politely
  assert.match(await page.locator('[aria-live="polite"].sb-vh').textContent(), /发现1个错误/);
  await page.locator('[name="applicant.credit_code"]').scrollIntoViewIfNeeded();
  await shot(page, '01-credit-code-error');

  // fixing the code clears the message while typing (the field is touched)
  await page.locator('[name="applicant.credit_code"]').fill(GOOD_CODE);
  await page.waitForFunction(() => !document.querySelector('[name="applicant.credit_code"]').hasAttribute('aria-invalid'));
  s = await fieldState(page, 'applicant.credit_code');
  assert.equal(s.invalid, null);
  assert.equal(s.text, '');
  assert.equal(await page.locator('[name="applicant.credit_code"]').getAttribute('aria-describedby'), 'f-applicant-credit_code-hint');
  // while the user is still in the field, the cleared message keeps its space, hidden (the form
  // below does not jump); leaving the field gives the space back
  const kept = () => page.evaluate(() => {
    const w = document.querySelector('[name="applicant.credit_code"]').closest('[data-shenbao-field],.sb-field');
    return [...w.querySelectorAll('.sb-msgs')].map((b) => ({ kept: b.classList.contains('sb-msgs--kept'), visibility: getComputedStyle(b).visibility }));
  });
  assert.deepEqual(await kept(), [{ kept: true, visibility: 'hidden' }]);
  // the count is announced once typing pauses (not every intermediate state while typing)
  await page.waitForFunction(() => /未发现错误/.test(document.querySelector('[aria-live="polite"].sb-vh').textContent), null, { timeout: 5000 });
  await shot(page, '02-credit-code-fixed');
  await page.locator('[name="applicant.credit_code"]').press('Tab');
  await page.waitForFunction(() => !document.querySelector('[name="applicant.credit_code"]').closest('.sb-field,[data-shenbao-field]').querySelector('.sb-msgs'));

  assert.equal(validateCalls(wasmSrv), before, 'no fallback request when WebAssembly runs');
  await assertClean(page);
  await page.close();
});

test('final submission with errors is blocked and the error summary is focused; a draft is allowed', async () => {
  const page = await open(wasmSrv, '/index.html', { allow: submissions404 });
  assert.equal(await engineOf(page), 'wasm');
  await page.fill('#api-token', 'sbt_test'); // the demo posts only with a token (the test server answers 404)
  const posts = () => wasmSrv.log.filter((r) => r.path === '/api/v1/submissions').length;
  const n0 = posts();

  await page.click('#submit-final');
  await page.waitForFunction(() => document.activeElement?.classList.contains('sb-summary'));
  assert.equal(posts(), n0, 'blocked: nothing was sent');
  const summary = page.locator('.sb-summary');
  assert.equal(await summary.locator('h2').first().textContent(), '提交前请修改以下问题');
  const links = summary.locator('.sb-summary__error a');
  assert.ok((await links.count()) > 10);
  assert.equal(await page.locator('#result').isHidden(), true);
  // every required field now shows its message inline
  assert.equal((await fieldState(page, 'project_name')).invalid, 'true');
  assert.match((await fieldState(page, 'project_name')).text, /必填项未填写：项目名称/);
  // the live region counts errors
  assert.match(await page.locator('[aria-live="polite"].sb-vh').textContent(), /^发现\d+个错误/);
  await shot(page, '03-final-blocked-summary');

  // links in the summary move focus to the field
  const link = summary.locator('a', { hasText: '项目名称' }).first();
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('name')), 'project_name');

  // typing fixes the field: its message clears with the keystroke; the summary at the top follows
  // once typing pauses (it does not shift the page under the caret on every keystroke)
  await page.keyboard.type('智慧政务平台');
  // read both in one round trip, well inside the 500 ms pause
  const now = await page.evaluate(() => ({
    invalid: document.querySelector('[name="project_name"]').getAttribute('aria-invalid'),
    inSummary: [...document.querySelectorAll('.sb-summary__error a')].some((a) => a.textContent.includes('项目名称')),
  }));
  assert.equal(now.invalid, null, 'the field message follows the keystroke');
  assert.equal(now.inSummary, true, 'the summary waits for a pause in typing');
  await page.waitForFunction(() => ![...document.querySelectorAll('.sb-summary__error a')].some((a) => a.textContent.includes('项目名称')), null, { timeout: 5000 });
  assert.equal(await summary.isHidden(), false, 'other errors remain listed');

  // a draft is always allowed (the demo shows the local report because /api/v1/submissions is absent here)
  await page.click('#submit-draft');
  await page.waitForSelector('#result:not([hidden])');
  assert.equal(posts(), n0 + 1);
  assert.match(await page.locator('#result-title').textContent(), /草稿/);
  await assertClean(page);
  await page.close();
});

test('the example filing submits as final and passes; the checklist follows the attachments', async () => {
  const page = await open(wasmSrv, '/index.html', { allow: submissions404 });
  assert.equal(await engineOf(page), 'wasm');
  await page.click('#fill-example');
  assert.equal(await page.inputValue('[name="applicant.credit_code"]'), GOOD_CODE);
  assert.equal(await page.inputValue('[name="annual_funding_plan[1].amount_wan"]'), '60.00');

  // checklist: four documents, all attached
  await page.waitForFunction(() => document.querySelectorAll('[data-shenbao-checklist] .sb-ck--ok').length >= 4);
  assert.equal(await page.locator('[data-shenbao-checklist] .sb-ck--ok').count(), await page.locator('[data-shenbao-checklist] .sb-ck').count());
  assert.ok((await page.locator('[data-shenbao-checklist]').textContent()).includes('必需'));

  // an optional file: digest and size computed locally with SubtleCrypto
  const pdf = Buffer.from('%PDF-1.4 示例项目方案\n');
  await page.setInputFiles('#f-attachments-0-file', { name: 'project_plan.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.waitForFunction(() => document.querySelector('[name="attachments[0].sha256"]').value);
  const att = await page.evaluate(() => window.shenbao.data().attachments[0]);
  assert.deepEqual(att, { kind: 'project_plan', file_name: 'project_plan.pdf', sha256: createHash('sha256').update(pdf).digest('hex'), size_bytes: pdf.length });

  await page.click('#submit-final');
  await page.waitForSelector('#result:not([hidden])');
  const title = await page.locator('#result-title').textContent();
  assert.match(title, /通过/);
  assert.doesNotMatch(title, /未通过/);
  assert.match(await page.locator('#result-body').textContent(), /0 个错误/);
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
  await page.locator('#result').scrollIntoViewIfNeeded();
  await shot(page, '04-example-accepted');

  // removing the project plan unticks it in the checklist and makes the filing invalid again
  await page.locator('[data-path="attachments[0]"] [data-remove-row]').click();
  await page.waitForFunction(() => document.querySelector('[data-shenbao-checklist] .sb-ck:not(.sb-ck--ok)'));
  assert.match(await page.locator('[data-shenbao-checklist] .sb-ck:not(.sb-ck--ok)').first().textContent(), /项目方案/);
  assert.equal(await page.evaluate(() => window.shenbao.report.valid), false);
  await page.locator('[data-shenbao-checklist]').scrollIntoViewIfNeeded();
  await shot(page, '05-checklist-missing-plan');
  await assertClean(page);
  await page.close();
});

test('jurisdiction switch re-validates with the other pack', async () => {
  const page = await open(wasmSrv, '/index.html');
  assert.equal(await engineOf(page), 'wasm');
  await page.click('#fill-example'); // potou example
  assert.equal(await page.evaluate(() => window.shenbao.report.jurisdiction), 'potou');
  await page.selectOption('#jurisdiction', 'bazhong');
  await page.waitForFunction(() => window.shenbao.report.jurisdiction === 'bazhong');
  const rules = await page.evaluate(() => window.shenbao.report.findings.map((f) => f.rule));
  assert.ok(rules.some((r) => r.startsWith('bazhong.')), rules.join(' '));
  assert.equal(await page.locator('[data-packs="potou"]').first().isHidden(), true);
  await page.click('#fill-example'); // bazhong's own example is valid
  await page.waitForFunction(() => window.shenbao.report.valid === true && window.shenbao.report.jurisdiction === 'bazhong');
  await assertClean(page);
  await page.close();
});

test('English mode (lang: en) shows message.en and the English summary', async () => {
  const page = await open(wasmSrv, '/index.html?lang=en');
  assert.equal(await engineOf(page), 'wasm');
  await typeAndBlur(page, 'applicant.credit_code', BAD_CODE);
  await page.waitForFunction(() => document.querySelector('[name="applicant.credit_code"]').getAttribute('aria-invalid') === 'true');
  const s = await fieldState(page, 'applicant.credit_code');
  assert.ok(s.text.includes(CHECK_DIGIT_EN), s.text);
  assert.equal(s.cite, GB_CITE);
  assert.match(await page.locator('[aria-live="polite"].sb-vh').textContent(), /^1 error found/);
  await page.click('#submit-final');
  await page.waitForFunction(() => document.activeElement?.classList.contains('sb-summary'));
  assert.equal(await page.locator('.sb-summary h2').first().textContent(), 'There is a problem');
  assert.match(await page.locator('.sb-summary').textContent(), /Required field is missing: project_name/);
  await shot(page, '06-english');
  await assertClean(page);
  await page.close();
});

test('without \'wasm-unsafe-eval\' the widget falls back to POST /api/v1/validate with the same messages', async () => {
  const wasmRefused = (v) => v === 'script-src wasm-eval'; // the expected refusal, and nothing else
  const page = await open(noWasmSrv, '/index.html', { allow: submissions404 });
  assert.equal(await engineOf(page), 'server');
  await page.fill('#api-token', 'sbt_test');
  assert.deepEqual(await page.evaluate(() => window.__csp), ['script-src wasm-eval'], 'the CSP refused to compile the module');
  const n0 = validateCalls(noWasmSrv);

  await typeAndBlur(page, 'applicant.credit_code', BAD_CODE);
  await page.waitForFunction(() => document.querySelector('[name="applicant.credit_code"]').getAttribute('aria-invalid') === 'true', null, { timeout: 10000 });
  assert.ok(validateCalls(noWasmSrv) > n0, 'a POST /api/v1/validate happened');
  const s = await fieldState(page, 'applicant.credit_code');
  assert.ok(s.text.includes(CHECK_DIGIT_ZH), s.text);
  assert.equal(s.cite, GB_CITE);
  assert.ok(s.nextToField);
  await page.locator('[name="applicant.credit_code"]').scrollIntoViewIfNeeded();
  await shot(page, '07-server-fallback');

  // blocking works with the asynchronous engine too
  const posts = () => noWasmSrv.log.filter((r) => r.path === '/api/v1/submissions').length;
  const p0 = posts();
  await page.click('#submit-final');
  await page.waitForFunction(() => document.activeElement?.classList.contains('sb-summary'), null, { timeout: 10000 });
  assert.equal(posts(), p0);
  // and a valid filing goes through
  await page.click('#fill-example');
  await page.waitForFunction(() => window.shenbao.report?.valid === true, null, { timeout: 10000 });
  await page.click('#submit-final');
  await page.waitForSelector('#result:not([hidden])', { timeout: 10000 });
  assert.match(await page.locator('#result-title').textContent(), /通过/);
  assert.equal(posts(), p0 + 1);
  await assertClean(page, wasmRefused);
  await page.close();
});

test('the fallback server answers 400 with a JSON error for bad input', async () => {
  const post = (body) => fetch(noWasmSrv.url + '/api/v1/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  for (const body of ['{not json', '[]', '{"jurisdiction":"potou","form":"apply"}', '{"jurisdiction":"atlantis","form":"apply","data":{}}']) {
    const r = await post(body);
    assert.equal(r.status, 400, body);
    assert.equal(typeof (await r.json()).error, 'string');
  }
  const ok = await post(JSON.stringify({ jurisdiction: 'potou', form: 'apply', data: {} }));
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).valid, false);
  const wasm = await fetch(noWasmSrv.url + '/pkg/validator_wasm_bg.wasm');
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.match(wasm.headers.get('content-security-policy'), /script-src 'self';/);
});

test('<shenbao-form> custom element: names mapping, boolean checkbox, today\'s Beijing date', async () => {
  const page = await open(wasmSrv, '/element.html');
  await page.waitForFunction(() => document.querySelector('shenbao-form')?.controller?.engine === 'wasm');
  await typeAndBlur(page, 'tyshxydm', BAD_CODE);
  await page.waitForFunction(() => document.querySelector('[name="tyshxydm"]').getAttribute('aria-invalid') === 'true');
  assert.ok((await fieldState(page, 'tyshxydm')).text.includes(CHECK_DIGIT_ZH));
  await typeAndBlur(page, 'ztz', '12.345');
  await page.check('[name="involves_crypto"]');
  const data = await page.evaluate(() => document.querySelector('shenbao-form').controller.data());
  const beijing = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  assert.equal(data.submission_date, beijing);
  assert.equal(data.applicant.credit_code, BAD_CODE);
  assert.equal(data.total_investment_wan, '12.345', 'amounts stay strings');
  assert.equal(data.involves_crypto, true);
  assert.equal('is_classified' in data, false, 'empty radio pair is omitted');
  assert.match((await fieldState(page, 'ztz')).text, /万元/);
  // lang attribute switches the messages
  await page.evaluate(() => document.querySelector('shenbao-form').setAttribute('lang', 'en'));
  await page.waitForFunction(() => document.querySelector('#tyshxydm').closest('.sb-field').textContent.includes('check character'));
  await page.waitForFunction(() => document.querySelector('[data-shenbao-checklist] .sb-ck'));
  await shot(page, '08-custom-element', { fullPage: true });
  await assertClean(page);
  await page.close();
});

test('the idle-time warm-up after start-up renders nothing and reports nothing', async () => {
  const page = await open(wasmSrv, '/element.html');
  const seen = await page.evaluate(async (bad) => {
    const { attach } = await import('/pkg/shenbao.min.js');
    const run = async (options) => {
      const form = document.createElement('form');
      form.innerHTML = `<input name="project_name" value="x"><input name="applicant.credit_code" value="${bad}">`;
      document.body.append(form);
      let reports = 0;
      const ctl = attach(form, { jurisdiction: 'potou', form: 'apply', onReport: () => reports++, ...options });
      await ctl.ready;
      const mo = new MutationObserver(() => {});
      mo.observe(form, { subtree: true, childList: true, attributes: true, characterData: true });
      const before = form.innerHTML;
      // the warm-up runs in idle callbacks: wait for several idle periods
      for (let i = 0; i < 20; i++) await new Promise((r) => requestIdleCallback(r, { timeout: 200 }));
      await new Promise((r) => setTimeout(r, 300));
      const out = { reports, mutations: mo.takeRecords().length, same: form.innerHTML === before, boxes: form.querySelectorAll('.sb-msgs').length };
      // the widget still works afterwards: a touched field shows its message
      const el = form.elements['applicant.credit_code'];
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
      out.after = form.querySelectorAll('.sb-msgs').length;
      ctl.destroy();
      form.remove();
      return out;
    };
    return { warm: await run({}), cold: await run({ warm: false }) };
  }, BAD_CODE);
  for (const [k, v] of Object.entries(seen)) {
    assert.equal(v.reports, 1, `${k}: only the start-up validation reports`);
    assert.equal(v.mutations, 0, `${k}: no DOM change while idle`);
    assert.ok(v.same, `${k}: form unchanged`);
    assert.equal(v.boxes, 0, `${k}: untouched fields show no messages`);
    assert.equal(v.after, 1, `${k}: a field changed and left shows its message`);
  }
  await assertClean(page);
  await page.close();
});

/** The real intake service serving the demo on a temporary SQLite database (final filings dated 2025-09-15). */
async function startApiServer() {
  const { spawn, execFileSync } = await import('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-api-'));
  const env = {
    ...process.env, DATABASE_URL: `sqlite://${dir}/shenbao.db`, SHENBAO_BIND: '127.0.0.1:0',
    SHENBAO_WEB_ROOT: path.join(REPO, 'web-demo'), SHENBAO_TODAY: '2025-09-15', SHENBAO_LOG: 'warn',
  };
  const token = execFileSync(CLI, ['token', 'create', '--role', 'unit', '--jurisdiction', 'potou', '--credit-code', GOOD_CODE],
    { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  const child = spawn(CLI, ['serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`api-server exited with ${code}`)));
  });
  return { url, token, close: () => { child.kill(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

test('served by api-server: with a unit token the demo files a draft and a final filing that the service stores', async () => {
  const api = await startApiServer();
  try {
    const refused401 = (text, where) => /Failed to load resource.*401/.test(text) && where.endsWith('/api/v1/submissions');
    const page = await open(api, '/', { allow: refused401 });
    assert.equal(await engineOf(page), 'wasm');
    await page.click('#fill-example');
    await page.fill('#api-token', api.token);
    // a draft is stored whatever its findings
    await page.click('#submit-draft');
    await page.waitForSelector('#result:not([hidden])');
    assert.match(await page.locator('#result-body').textContent(), /已报送申报服务/);
    // the final filing: stamped, re-validated by the service, stored with its report
    await page.click('#submit-final');
    await page.waitForFunction(() => /ID [0-9a-f]{32}/.test(document.querySelector('#result-body').textContent) &&
      document.querySelector('#result-title').textContent.includes('正式提交'));
    const id = (await page.locator('#result-body').textContent()).match(/ID ([0-9a-f]{32})/)[1];
    await shot(page, '09-filed-with-the-service');
    const stored = await (await fetch(`${api.url}/api/v1/submissions/${id}`, { headers: { authorization: 'Bearer ' + api.token } })).json();
    assert.equal(stored.status, 'final');
    assert.equal(stored.valid, true);
    assert.equal(stored.data.submission_date, '2025-09-15', 'stamped by the service');
    const browserReport = await page.evaluate(() => window.shenbao.report);
    assert.deepEqual(stored.report.findings, browserReport.findings, 'the service judged as the browser did');
    const list = await (await fetch(`${api.url}/api/v1/submissions`, { headers: { authorization: 'Bearer ' + api.token } })).json();
    assert.equal(list.items.length, 2, 'the draft and the final filing');
    // a wrong token is refused with the service's message, nothing is stored
    await page.fill('#api-token', 'sbt_' + 'x'.repeat(40));
    await page.click('#submit-draft');
    await page.waitForFunction(() => document.querySelector('#result-body').textContent.includes('提交失败'));
    await assertClean(page);
    await page.close();
  } finally {
    api.close();
  }
});
