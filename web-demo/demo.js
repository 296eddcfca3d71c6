// Demo portal for the 立项/计划申报表 (apply) form: repeating groups, conditional blocks,
// jurisdiction switch, example filings, file digests and submission. Validation is the widget's.
import { attach, beijingToday, citeText } from './pkg/shenbao.min.js';
import { examples } from './examples.js';

const $ = (s, root = document) => root.querySelector(s);
const $$ = (s, root = document) => [...root.querySelectorAll(s)];
const form = $('#apply-form');
const params = new URLSearchParams(location.search);

const PACKS = {
  potou: { doc: '坡头区区级政务信息化服务项目管理办法（试行）（征求意见稿）', status: '', stages: ['approval', 'record'] },
  bazhong: { doc: '“智慧巴中”建设项目管理办法', status: '2022年5月22日起施行', stages: ['plan', 'approval', 'record', 'upper_prefiling'] },
  gaogang: { doc: '泰州医药高新区（高港区）区级政务信息化项目建设管理办法（征求意见稿）', status: '', stages: ['plan', 'plan_addition', 'approval'] },
  pingyang: { doc: '平阳县县级党政机关信息化项目建设管理办法', status: '平政办〔2021〕59号，2021年10月3日起施行', stages: ['plan', 'plan_addition', 'approval', 'record'] },
  jianshan: { doc: '关于加强尖山区数字政府信息化项目管理的实施办法', status: '双尖政发〔2024〕5号', stages: ['approval', 'record'] },
};

const UI = {
  zh: {
    wasm: '校验方式：浏览器内即时校验（WebAssembly）', server: '校验方式：服务端校验（WebAssembly 不可用）',
    pass: '校验通过', fail: '未通过校验', draft: '草稿', final: '正式提交',
    local: '演示环境未连接申报服务，以下为本地校验结果，数据未报送。', saved: '已报送申报服务。',
    notoken: '未填写单位令牌：以下为本地校验结果，数据未报送。', refused: '申报服务未接收：正式提交须无错误，数据未保存。',
    counts: (e, w, i) => `${e} 个错误，${w} 个警告，${i} 条提示`, rules: '规则集', err: '提交失败：',
    draftOk: '草稿已保存（本地演示）', finalOk: '正式提交：校验通过', finalBad: '正式提交：未通过校验',
  },
  en: {
    wasm: 'Validation: in the browser (WebAssembly)', server: 'Validation: on the server (WebAssembly unavailable)',
    pass: 'passed', fail: 'not valid', draft: 'Draft', final: 'Final submission',
    local: 'The demo is not connected to the filing service; this is the local validation result and nothing was filed.', saved: 'Sent to the filing service.',
    notoken: 'No unit token given: this is the local validation result and nothing was filed.', refused: 'The filing service refused it: a final filing must have no errors; nothing was stored.',
    counts: (e, w, i) => `${e} errors, ${w} warnings, ${i} notes`, rules: 'Rule set', err: 'Submission failed: ',
    draftOk: 'Draft saved (demo)', finalOk: 'Final submission: 通过 (valid)', finalBad: 'Final submission: not valid',
  },
};

let jurisdiction = PACKS[params.get('j')] ? params.get('j') : 'potou';
let lang = params.get('lang') === 'en' ? 'en' : 'zh';
const ui = () => UI[lang];
$('#jurisdiction').value = jurisdiction;
$('#lang').value = lang;

// ---------------------------------------------------------------- repeating groups
function renumber(group) {
  const path = group.dataset.repeat;
  const key = path.replace(/[^A-Za-z0-9_]+/g, '-');
  $$(':scope > .rows > .row', group).forEach((row, i) => {
    for (const el of [row, ...row.querySelectorAll('*')]) {
      for (const a of ['name', 'id', 'for', 'aria-describedby', 'data-path', 'data-file-for']) {
        const v = el.getAttribute(a);
        if (v == null) continue;
        const nv = v.split(path + '[').join('\u0000').replace(/\u0000\d+\]/g, path + '[' + i + ']')
          .replace(new RegExp('f-' + key + '-\\d+-', 'g'), 'f-' + key + '-' + i + '-');
        if (nv !== v) el.setAttribute(a, nv);
      }
    }
    for (const n of row.querySelectorAll(':scope > legend [data-row-no]')) n.textContent = i + 1;
    const rm = row.querySelector(':scope > [data-remove-row]');
    if (rm) rm.textContent = rm.textContent.replace(/\d+$/, i + 1);
  });
}

function addRow(group, focus) {
  const tpl = group.querySelector(':scope > template');
  const rows = group.querySelector(':scope > .rows');
  const i = rows.children.length;
  const html = tpl.innerHTML.replaceAll('__i__', i).replaceAll('__n__', i + 1);
  const frag = document.createRange().createContextualFragment(html);
  const row = frag.firstElementChild;
  rows.append(frag);
  if (focus) row.querySelector('input:not([type=hidden]),select,textarea')?.focus();
  return row;
}

function setRows(group, n) {
  const rows = group.querySelector(':scope > .rows');
  while (rows.children.length > n) rows.lastElementChild.remove();
  while (rows.children.length < n) addRow(group);
}

form.addEventListener('click', (e) => {
  const add = e.target.closest('[data-add-row]');
  if (add) {
    addRow(add.closest('[data-repeat]'), true);
    refresh();
    return;
  }
  const rm = e.target.closest('[data-remove-row]');
  if (rm) {
    const group = rm.closest('[data-repeat]');
    const row = rm.closest('.row');
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber(group);
    (next?.querySelector('input:not([type=hidden]),select,textarea') || group.querySelector('[data-add-row]')).focus();
    refresh();
  }
});

// ---------------------------------------------------------------- conditional blocks
function valuesOf(name) {
  const out = [];
  for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
    if (el.matches(':disabled')) continue;
    if (el.type === 'radio' || el.type === 'checkbox') { if (el.checked) out.push(el.value); } else if (el.value) out.push(el.value);
  }
  return out;
}

/** Show/enable blocks for the active jurisdiction and whose data-when holds; returns true if anything changed. */
function updateConditions() {
  let changed = false;
  const set = (el, on) => {
    if (el.hidden === !on) return;
    el.hidden = el.disabled = !on;
    changed = true;
  };
  for (const el of $$('[data-packs]', form)) set(el, el.dataset.packs.split(' ').includes(jurisdiction));
  for (const el of $$('[data-when]', form)) {
    const [name, want] = el.dataset.when.split('=');
    const have = valuesOf(name);
    set(el, want.split('|').some((v) => have.includes(v)));
  }
  return changed;
}

function refresh() {
  updateConditions();
  ctl.validate(false);
}

// conditions first (capture phase), so the widget validates the form as it now looks
form.addEventListener('change', () => updateConditions(), true);

// ---------------------------------------------------------------- attachments: local digest
form.addEventListener('change', async (e) => {
  const input = e.target;
  if (input.type !== 'file' || !input.dataset.fileFor) return;
  const base = input.dataset.fileFor;
  const row = input.closest('.row');
  const meta = row.querySelector('[data-file-meta]');
  const file = input.files[0];
  const sha = row.querySelector(`[name="${CSS.escape(base + '.sha256')}"]`);
  const size = row.querySelector(`[name="${CSS.escape(base + '.size_bytes')}"]`);
  const name = row.querySelector(`[name="${CSS.escape(base + '.file_name')}"]`);
  if (!file) { sha.value = size.value = meta.textContent = ''; refresh(); return; }
  meta.textContent = '正在计算 SHA-256…';
  try {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    sha.value = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    size.value = String(file.size);
    if (!name.value) name.value = file.name;
    meta.textContent = `SHA-256 ${sha.value.slice(0, 16)}… · ${(file.size / 1024).toFixed(1)} KB`;
  } catch (err) {
    meta.textContent = '无法计算文件摘要：' + err.message;
  }
  refresh();
});

// ---------------------------------------------------------------- filling
function flatten(value, path, out) {
  if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) {
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else out.push([path, value]);
  return out;
}

function clearForm() {
  const token = $('#api-token').value; // not filing data: survives clearing the form
  form.reset();
  $('#api-token').value = token;
  for (const g of $$('[data-repeat]', form)) setRows(g, +g.dataset.initial || 0);
  for (const m of $$('[data-file-meta]', form)) m.textContent = '';
  $('[name="submission_date"]').value = beijingToday();
}

function fill(data) {
  clearForm();
  const pairs = flatten(data, '', []);
  // rows first (deepest-first is not needed: groups are not nested)
  for (const g of $$('[data-repeat]', form)) {
    const p = g.dataset.repeat;
    let n = 0;
    for (const [k] of pairs) {
      const m = k.startsWith(p + '[') && /^\[(\d+)\]/.exec(k.slice(p.length));
      if (m) n = Math.max(n, +m[1] + 1);
    }
    setRows(g, Math.max(n, +g.dataset.initial || 0));
  }
  // conditions depend on values: set, open blocks, set again (controls in closed blocks are disabled, not absent)
  for (let pass = 0; pass < 3; pass++) {
    for (const [k, v] of pairs) {
      for (const el of form.querySelectorAll(`[name="${CSS.escape(k)}"]`)) {
        if (el.type === 'radio') el.checked = el.value === String(v);
        else if (el.type === 'checkbox') el.checked = Array.isArray(v) ? v.includes(el.value) : v === true;
        else el.value = v == null ? '' : String(v);
      }
    }
    if (!updateConditions()) break;
  }
}

$('#fill-example').addEventListener('click', () => {
  const ex = examples[jurisdiction];
  fill(ex.data);
  ctl.reset();
  ctl.validate(true);
  status(`已填入示例：${ex.id}（${ex.description}）`);
});
$('#clear-form').addEventListener('click', () => {
  clearForm();
  updateConditions();
  ctl.reset();
  $('#result').hidden = true;
});

function status(text) {
  const s = $('#engine-status');
  s.dataset.note = text;
  s.textContent = (ctl.engine ? ui()[ctl.engine] : '') + (text ? '\n' + text : '');
}

// ---------------------------------------------------------------- jurisdiction & language
function applyJurisdiction(mod) {
  const p = PACKS[jurisdiction];
  // §2.3 pack-restricted filing stages (tests/browser/parity.test.mjs checks them against the
  // published schema, which the bundle loads only on demand).
  const stages = p.stages;
  for (const op of $('[name="filing_stage"]').options) {
    if (!op.value) continue;
    op.hidden = op.disabled = !stages.includes(op.value);
  }
  const info = jurisdictions[jurisdiction];
  $('#jurisdiction-doc').textContent = `依据《${info ? info.document : p.doc}》` + (p.status ? `（${p.status}）` : '');
  updateConditions();
}

let jurisdictions = {};
$('#jurisdiction').addEventListener('change', (e) => {
  jurisdiction = e.target.value;
  params.set('j', jurisdiction);
  history.replaceState(null, '', '?' + params);
  applyJurisdiction(ctl.module);
  ctl.set({ jurisdiction });
});
$('#lang').addEventListener('change', (e) => {
  lang = e.target.value;
  if (lang === 'en') params.set('lang', 'en'); else params.delete('lang');
  history.replaceState(null, '', params.size ? '?' + params : location.pathname);
  ctl.set({ lang });
  status($('#engine-status').dataset.note || '');
});

// ---------------------------------------------------------------- submission
function showResult(statusValue, report, where, note) {
  const t = ui();
  const panel = $('#result');
  const body = $('#result-body');
  const count = (s) => (report ? report.findings.filter((f) => f.severity === s).length : 0);
  const ok = report ? report.valid : true;
  panel.classList.toggle('result--ok', ok);
  panel.classList.toggle('result--bad', !ok);
  $('#result-title').textContent = statusValue === 'draft' ? `${t.draftOk}：${ok ? t.pass : t.fail}` : ok ? t.finalOk : t.finalBad;
  body.replaceChildren();
  const p = (text, cls) => { const e = document.createElement('p'); if (cls) e.className = cls; e.textContent = text; body.append(e); return e; };
  p({ server: t.saved, refused: t.refused, notoken: t.notoken }[where] || t.local, 'result__where');
  if (note) p(note);
  if (report) {
    p(`${ok ? '✔ ' + t.pass : '✘ ' + t.fail} · ${t.counts(count('error'), count('warning'), count('info'))} · ${t.rules} ${report.rule_set.version}（${report.rule_set.digest.slice(0, 19)}…）`, 'result__verdict');
    if (report.findings.length) {
      const ul = document.createElement('ul');
      ul.className = 'result__list';
      for (const f of report.findings) {
        const li = document.createElement('li');
        li.className = 'result__item result__item--' + f.severity;
        const c = citeText(f.citation);
        li.textContent = (f.message[lang] || f.message.zh) + (c ? '　' + c : '');
        ul.append(li);
      }
      body.append(ul);
    }
  }
  panel.hidden = false;
  panel.focus();
}

form.addEventListener('submit', async (e) => {
  if (e.defaultPrevented) return; // blocked by the checker (final submission with errors)
  e.preventDefault();
  const statusValue = e.submitter && e.submitter.value === 'draft' ? 'draft' : 'final';
  const data = ctl.data();
  const token = $('#api-token').value.trim();
  try { sessionStorage.setItem('shenbao-token', token); } catch { /* storage disabled */ }
  // Without a token the demo only validates locally: the intake service needs a unit token.
  if (!token) return showResult(statusValue, ctl.report, 'notoken');
  let res = null;
  try {
    res = await fetch('/api/v1/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ jurisdiction, form: 'apply', data, status: statusValue }),
    });
  } catch { res = null; }
  if (!res || res.status === 404 || res.status === 405) return showResult(statusValue, ctl.report, 'local');
  const body = await res.json().catch(() => ({}));
  if (res.ok) return showResult(statusValue, body.report || ctl.report, 'server', body.id ? `ID ${body.id}` : '');
  if (body.report) return showResult(statusValue, body.report, 'refused');
  const problem = body.error || {};
  showResult(statusValue, null, 'server', ui().err + (problem.message || body.error || 'HTTP ' + res.status));
});

// ---------------------------------------------------------------- start
try { $('#api-token').value = sessionStorage.getItem('shenbao-token') || ''; } catch { /* storage disabled */ }
clearForm();
applyJurisdiction(null);
const ctl = attach(form, { jurisdiction, form: 'apply', lang });
window.shenbao = ctl; // for the console and tests
ctl.ready.then((engine) => {
  document.documentElement.dataset.engine = engine;
  const mod = ctl.module;
  if (mod) {
    try {
      for (const j of mod.forms()) {
        jurisdictions[j.jurisdiction] = j;
        const op = $(`#jurisdiction option[value="${j.jurisdiction}"]`);
        if (op) op.textContent = j.region;
      }
    } catch { /* keep static labels */ }
  }
  applyJurisdiction(mod);
  status('');
});
