/*! shenbao.js — embeddable 申报表 checker (no framework). Apache-2.0. */
/*
 *   import { attach } from './shenbao.js';
 *   const ctl = attach(formElement, { jurisdiction: 'potou', form: 'apply', lang: 'zh' });
 *
 * Controls are named by canonical field path (`applicant.credit_code`, `funding_sources[0].source`);
 * `names` maps other control names to canonical paths. Validation runs in WebAssembly
 * (./pkg/validator_wasm.js); if that cannot start it POSTs to `endpoint` and renders the same report.
 */

const PKG = new URL('./pkg/validator_wasm.js', import.meta.url).href;
const engines = new Map();

/** Load (once per URL) the WebAssembly validator. Resolves to {wasm:true, mod} or {wasm:false, error}. */
export function loadEngine(pkg = PKG) {
  let p = engines.get(pkg);
  if (!p) {
    p = (async () => {
      if (typeof WebAssembly != 'object') throw new Error('WebAssembly unavailable');
      // fetch and compile the module while the glue loads (streaming when served as
      // application/wasm); CSP without 'wasm-unsafe-eval' rejects the compile → server fallback
      const module = fetch(pkg.replace(/\.js(\?.*)?$/, '_bg.wasm$1')).then((r) => {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return WebAssembly.compileStreaming && /^application\/wasm/.test(r.headers.get('content-type'))
          ? WebAssembly.compileStreaming(r) : r.arrayBuffer().then((b) => WebAssembly.compile(b));
      });
      module.catch(() => {});
      const mod = await import(pkg);
      await mod.default({ module_or_path: await module });
      return mod;
    })().then((mod) => ({ wasm: true, mod }), (error) => ({ wasm: false, error }));
    engines.set(pkg, p);
  }
  return p;
}

/** Today's date in Beijing (UTC+8) as YYYY-MM-DD. */
export const beijingToday = (now = Date.now()) => new Date(now + 288e5).toISOString().slice(0, 10);

const TXT = {
  zh: {
    err: '提交前请修改以下问题', warn: '请注意以下提示', info: '填报提示',
    E: '错误：', W: '警告：', I: '提示：', ex: '已声明例外',
    live: (e, w) => (e || w ? '发现' + [e && e + '个错误', w && w + '个警告'].filter(Boolean).join('，') : '未发现错误'),
    ck: '所需材料清单', req: '必需', rec: '建议', att: '已附', miss: '未附', down: '校验服务暂不可用，请稍后重试',
  },
  en: {
    err: 'There is a problem', warn: 'Please check', info: 'Guidance',
    E: 'Error: ', W: 'Warning: ', I: 'Note: ', ex: 'exemption claimed',
    live: (e, w) => (e || w ? [e && e + ' error' + (e > 1 ? 's' : ''), w && w + ' warning' + (w > 1 ? 's' : '')].filter(Boolean).join(', ') + ' found' : 'No errors found'),
    ck: 'Required documents', req: 'Required', rec: 'Recommended', att: 'attached', miss: 'not attached', down: 'The validation service is unavailable; please try again',
  },
};
const SEV = { error: 'E', warning: 'W', info: 'I' };
// how long typing must pause before the error summary and the live region's count follow it
const SETTLE_MS = 500;
// validations run in idle time after the engine has started (see warm() in attach)
const WARM_CALLS = 300;
const SKIP = /^(submit|button|reset|image|file|fieldset|output)$/;
let uid = 0;

const esc = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

/** `a.b[0].c` or `/a/b/0/c` → ['a','b',0,'c'] */
export function parsePath(s) {
  if (s[0] == '/') {
    return s.slice(1).split('/').map((t) => (/^\d+$/.test(t) ? +t : t.replace(/~1/g, '/').replace(/~0/g, '~')));
  }
  const out = [];
  for (const m of s.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] != null ? +m[2] : m[1]);
  return out;
}
const toPtr = (segs) => segs.map((s) => '/' + esc(s)).join('');

/** 《document》article — article omitted when the document title already contains it. */
export function citeText(c) {
  if (!c || !c.document) return '';
  const a = c.article || '';
  return '《' + c.document + '》' + (a && !c.document.includes(a) ? a : '');
}

function h(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function conv(v, dt, bool) {
  if (dt == 'integer') return /^\s*-?\d+\s*$/.test(v) ? +v : v;
  if (dt == 'number') return v.trim() && isFinite(v) ? +v : v;
  if ((bool || dt == 'boolean') && (v == 'true' || v == 'false')) return v == 'true';
  return v;
}

export function attach(form, options) {
  const o = { lang: 'zh', names: {}, endpoint: '/api/v1/validate', warm: true };
  for (const k in options) if (options[k] !== undefined) o[k] = options[k];
  const engine = loadEngine(o.pkg); // start fetching the module before setting up the form
  let cache = new WeakMap();
  let touched = new WeakSet(), dirty = new WeakSet();
  const boxes = new Map(); // anchor element → {box, sig}
  const aria = new Map(); // control → sig
  const origDesc = new WeakMap();
  let eng = null, all = false, rep = null, lastData = null, pm = new Map(), dpaths = null;
  let dead = false, typing = false, held = false, later = false, busy = false, pending = false, timer = 0, ckTimer = 0, sumTimer = 0, seq = 0, bypass = false, liveText = '', sumSig = '', ckSig = '';

  const L = () => TXT[o.lang] || TXT.zh;
  const own = (sel, make) => {
    let e = form.querySelector(sel);
    if (!e) { e = make(); e._sb = 1; }
    return e;
  };
  const summary = own('[data-shenbao-summary]', () => form.insertBefore(h('div'), form.firstChild));
  summary.classList.add('sb-summary');
  summary.tabIndex = -1;
  summary.setAttribute('role', 'region');
  summary.hidden = true;
  const live = own('[data-shenbao-live]', () => form.appendChild(h('div', 'sb-vh')));
  live.setAttribute('aria-live', 'polite');
  live.setAttribute('role', 'status');
  const ckBox = form.querySelector('[data-shenbao-checklist]');

  function info(el) {
    let i = cache.get(el);
    const n = el.name;
    if (i && i.n === n) return i;
    const t = el.type;
    i = { n };
    if (n && !SKIP.test(t) && el.tagName != 'OBJECT' && !el.hasAttribute('data-shenbao-ignore')) {
      const segs = parsePath(o.names[n] || n);
      const dt = el.dataset.type;
      i = { n, segs, dt, k: t == 'radio' ? 'r' : t == 'checkbox' ? (dt == 'boolean' ? 'b' : 'm') : t == 'select-multiple' ? 's' : 'v' };
    }
    cache.set(el, i);
    return i;
  }

  // The controls, their paths and the pointer → controls map are cached until the form's structure
  // or control names change (the widget's own message boxes, summary and checklist do not count).
  let plan = null;
  const mine = (n) => n.nodeType != 1 || n.classList.contains('sb-msgs');
  const ours = (t) => t == summary || t == live || summary.contains(t) || live.contains(t) || (ckBox && ckBox.contains(t)) || (t.closest && t.closest('.sb-msgs'));
  const stale = (recs) => recs.some((r) => r.type != 'childList' || !(ours(r.target) || [...r.addedNodes, ...r.removedNodes].every(mine)));
  const mo = new MutationObserver((recs) => { if (stale(recs)) plan = null; });
  mo.observe(form, { childList: true, subtree: true, attributes: true, attributeFilter: ['name'] });

  function getPlan() {
    if (stale(mo.takeRecords())) plan = null;
    if (plan) return plan;
    const items = [], map = new Map();
    for (const el of form.elements) {
      const i = info(el);
      if (!i.segs || !i.segs.length) continue;
      items.push(el, i);
      const p = toPtr(i.segs);
      (map.get(p) || map.set(p, []).get(p)).push(el);
    }
    return (plan = { items, map });
  }

  function read(el, i) {
    const k = i.k;
    if (k == 'b') return el.checked;
    if (k == 'r' || k == 'm') return el.checked ? conv(el.value, i.dt, k == 'r') : undefined;
    if (k == 's') return [...el.selectedOptions].map((op) => conv(op.value, i.dt));
    return el.value === '' ? undefined : conv(el.value, i.dt);
  }

  /** Serialize the form: {data, map: JSON pointer → controls}. */
  function collect() {
    const { items, map } = getPlan();
    const root = {};
    let holes = false;
    for (let x = 0; x < items.length; x += 2) {
      const el = items[x], i = items[x + 1], s = i.segs, n = s.length - 1;
      if (el.matches(':disabled')) continue;
      let node = root;
      for (let d = 0; d < n && node; d++) {
        let c = node[s[d]];
        if (c === undefined) node[s[d]] = c = typeof s[d + 1] == 'number' ? [] : {};
        node = typeof c == 'object' && c;
      }
      const v = read(el, i);
      if (!node || v === undefined) continue;
      if (i.k == 'm' || i.k == 's') (node[s[n]] ||= []).push(...[].concat(v));
      else node[s[n]] = v;
    }
    // drop empty objects (array rows stay, as {}); sparse arrays (gaps in indices) are compacted
    const prune = (v, row) => {
      if (Array.isArray(v)) {
        const out = [];
        for (let j = 0; j < v.length; j++) {
          const c = v[j];
          if (c === undefined) { holes = true; continue; }
          out.push(c && typeof c == 'object' ? prune(c, 1) : c);
        }
        return out.length ? out : undefined;
      }
      let o2;
      for (const k in v) {
        const c = v[k], p = c && typeof c == 'object' ? prune(c) : c;
        if (p !== undefined) (o2 ||= {})[k] = p;
      }
      return o2 || (row ? {} : undefined);
    };
    const data = prune(root) || {};
    if (!map.has('/submission_date')) data.submission_date = beijingToday();
    // with gaps, pointers into compacted arrays differ from the control names: map them by position
    return { data, map: holes ? remap(items) : map };
  }

  function remap(items) {
    const map = new Map(), seen = new Map();
    for (let x = 0; x < items.length; x += 2) {
      const el = items[x], s = items[x + 1].segs;
      let p = '', q = '';
      for (const k of s) {
        q += '/' + esc(k);
        if (typeof k == 'number') {
          const idx = seen.get(p) || new Map();
          seen.set(p, idx);
          if (!idx.has(k)) idx.set(k, idx.size);
          p += '/' + idx.get(k);
        } else p += '/' + esc(k);
      }
      (map.get(p) || map.set(p, []).get(p)).push(el);
    }
    return map;
  }

  function resolve(p) {
    for (let q = p; ; q = q.slice(0, q.lastIndexOf('/'))) {
      const els = pm.get(q);
      if (els) return { els, w: wrapOf(els) };
      if (!dpaths) {
        dpaths = new Map();
        for (const e of form.querySelectorAll('[data-path]')) dpaths.set(toPtr(parsePath(e.dataset.path)), e);
      }
      const fs = dpaths.get(q);
      if (fs) return { els: [fs], w: fs, fs };
      if (!q) return null;
    }
  }
  function wrapOf(els) {
    const el = els[0];
    return el.closest('[data-shenbao-field],.sb-field') || ((els.length > 1 || /radio|checkbox/.test(el.type)) && el.closest('fieldset')) || el;
  }
  const isTouched = (r) => all || r.els.some((e) => touched.has(e)) || (r.fs && [...r.fs.querySelectorAll('input,select,textarea')].some((e) => touched.has(e)));

  function msgItem(f, tagName) {
    const t = L(), p = h(tagName, 'sb-msg sb-msg--' + f.severity);
    p.append(h('span', 'sb-vh', t[SEV[f.severity]]), (f.message && (f.message[o.lang] || f.message.zh)) || f.rule);
    const c = citeText(f.citation);
    if (c) p.append(' ', h('span', 'sb-cite', c));
    if (f.exempted) p.append(' ', h('span', 'sb-tag', t.ex));
    return p;
  }

  function render(report) {
    const want = new Map(), ar = new Map(), sum = { error: [], warning: [], info: [] };
    let ne = 0, nw = 0;
    dpaths = null;
    for (const f of report.findings) {
      const res = [];
      for (const p of f.paths || []) { const r = resolve(p); if (r) res.push(r); }
      sum[f.severity]?.push([f, res[0]]);
      const r0 = res.find(isTouched);
      if (!r0) continue;
      f.severity == 'error' ? ne++ : f.severity == 'warning' && nw++;
      let a = want.get(r0.w);
      if (!a) want.set(r0.w, (a = { fs: [], id: boxes.get(r0.w)?.box.id || 'sb-m' + ++uid }));
      a.fs.push(f);
      for (const r of res) for (const el of r.els) {
        let x = ar.get(el);
        if (!x) ar.set(el, (x = { inv: false, ids: [] }));
        if (f.severity == 'error') x.inv = true;
        if (!x.ids.includes(a.id)) x.ids.push(a.id);
      }
    }
    // messages next to fields: touch only anchors whose content changed
    for (const [w, a] of want) {
      const sig = a.fs.map((f) => f.severity + f.rule + (f.message && f.message[o.lang])).join('|');
      let b = boxes.get(w);
      if (b && b.sig === sig && !b.kept) continue;
      if (!b) {
        const box = h('div', 'sb-msgs');
        box.id = a.id;
        if (w.matches('input,select,textarea')) w.after(box); else w.append(box);
        boxes.set(w, (b = { box }));
      }
      if (b.sig !== sig) {
        b.sig = sig;
        b.box.replaceChildren(...a.fs.map((f) => msgItem(f, 'p')));
      }
      if (b.kept) keep(w, b, false);
      w.classList.toggle('sb-has-error', a.fs.some((f) => f.severity == 'error'));
      w.classList.toggle('sb-has-warning', !a.fs.some((f) => f.severity == 'error') && a.fs.some((f) => f.severity == 'warning'));
    }
    // A message cleared while the user types in its field keeps its space (hidden) until the field
    // is left: the form below does not jump with every keystroke that breaks and mends the value.
    const act = form.ownerDocument.activeElement;
    for (const [w, b] of boxes) if (!want.has(w)) {
      if (typing && act && (w === act || w.contains(act))) {
        if (!b.kept) keep(w, b, true);
        continue;
      }
      drop(w, b);
      boxes.delete(w);
    }
    for (const [el, x] of ar) setAria(el, x.inv, x.ids);
    for (const el of aria.keys()) if (!ar.has(el)) setAria(el, false, []);
    return { sum, ne, nw };
  }

  /** The error summary (after a submit attempt) and the live region's count. */
  function summarize(report, { sum, ne, nw }) {
    const t = L();
    const any = sum.error.length + sum.warning.length + sum.info.length;
    const sig = all && any ? o.lang + JSON.stringify(report.findings) : '';
    if (sig !== sumSig) {
      sumSig = sig;
      summary.hidden = !sig;
      summary.replaceChildren();
      summary.classList.toggle('sb-summary--ok', !sum.error.length);
      if (sig) for (const sev of ['error', 'warning', 'info']) {
        if (!sum[sev].length) continue;
        const sec = h('div', 'sb-summary__' + sev), ul = h('ul', 'sb-summary__list');
        const hd = h(summary.firstChild ? 'h3' : 'h2', 'sb-summary__title', t[sev == 'error' ? 'err' : sev == 'warning' ? 'warn' : 'info']);
        if (!summary.firstChild) { hd.id = 'sb-sh' + ++uid; summary.setAttribute('aria-labelledby', hd.id); }
        // in form order (GOV.UK), findings without a field last
        const at = (r) => r && (r.fs || r.els[0]);
        sum[sev].sort((a, b) => {
          const x = at(a[1]), y = at(b[1]);
          return x && y ? (x === y ? 0 : x.compareDocumentPosition(y) & 4 ? -1 : 1) : !x - !y;
        });
        for (const [f, r] of sum[sev]) {
          const li = h('li'), it = msgItem(f, 'span');
          if (r) {
            const tgt = r.fs || r.els[0];
            if (!tgt.id) tgt.id = 'sb-f' + ++uid;
            if (r.fs) tgt.tabIndex = -1;
            const a = h('a');
            a.href = '#' + tgt.id;
            a.append(it);
            li.append(a);
          } else li.append(it);
          ul.append(li);
        }
        sec.append(hd, ul);
        summary.append(sec);
      }
    }
    const lt = t.live(ne, nw);
    if (lt !== liveText && (liveText || ne || nw)) live.textContent = liveText = lt;
  }

  /** Remove a field's messages and the marks they put on it. */
  function drop(w, b) {
    b.box.remove();
    w.classList.remove('sb-has-error', 'sb-has-warning', 'sb-settling');
  }

  /** Hide a field's cleared messages but keep their space (kept), or show them again. */
  function keep(w, b, on) {
    b.kept = on;
    b.box.classList.toggle('sb-msgs--kept', on);
    w.classList.toggle('sb-settling', on);
    if (on) w.classList.remove('sb-has-error', 'sb-has-warning');
  }

  function setAria(el, inv, ids) {
    const sig = inv + ids.join(' ');
    if ((aria.get(el) || 'false') === sig) return;
    if (!origDesc.has(el)) origDesc.set(el, el.getAttribute('aria-describedby'));
    const d = [origDesc.get(el), ...ids].filter(Boolean).join(' ');
    d ? el.setAttribute('aria-describedby', d) : el.removeAttribute('aria-describedby');
    inv ? el.setAttribute('aria-invalid', 'true') : el.removeAttribute('aria-invalid');
    if (sig === 'false') aria.delete(el); else aria.set(el, sig);
  }

  function apply(report, data, map) {
    rep = report;
    lastData = data;
    pm = map;
    const counts = render(report);
    // Off the keystroke path while the user types, at once otherwise (a field left, a choice, submit):
    // the summary and the count once typing pauses — rebuilding the summary at the top of the form
    // would shift the whole page under the caret on every keystroke, and a screen reader would
    // announce every intermediate count — and the checklist, debounced.
    clearTimeout(sumTimer);
    clearTimeout(ckTimer);
    if (typing) sumTimer = setTimeout(() => summarize(report, counts), SETTLE_MS);
    else summarize(report, counts);
    if (ckBox) typing ? (ckTimer = setTimeout(checklist, 150)) : checklist();
    typing = false;
    o.onReport?.(report, { data, engine: eng.wasm ? 'wasm' : 'server' });
    form.dispatchEvent(new CustomEvent('shenbao:report', { detail: report }));
  }

  async function post(url, data) {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jurisdiction: o.jurisdiction, form: o.form, data }),
    });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || 'HTTP ' + r.status);
    return body;
  }

  /** Validate now: returns the report (wasm), a Promise of it (server), or null (engine loading). */
  function run() {
    if (dead) return null;
    if (!eng) { pending = true; return null; }
    const { data, map } = collect();
    if (eng.wasm) {
      let report;
      // JSON text in, canonical JSON text out: faster than converting objects across the boundary
      try { report = JSON.parse(eng.mod.validateJson(o.jurisdiction, o.form, JSON.stringify(data))); } catch (e) { console.warn('shenbao:', e); return null; }
      apply(report, data, map);
      return report;
    }
    const my = ++seq;
    return post(o.endpoint, data).then((report) => {
      if (my === seq) apply(report, data, map);
      return report;
    }, () => {
      if (my === seq) live.textContent = liveText = L().down;
      return null;
    });
  }
  // at most one validation per animation frame (leading edge: the first input of a frame runs at once)
  function schedule() {
    if (!eng) { pending = true; return; }
    if (!eng.wasm) { clearTimeout(timer); timer = setTimeout(run, 250); return; }
    if (busy) { pending = true; return; }
    busy = true;
    run();
    requestAnimationFrame(tick);
  }
  function tick() {
    if (pending) { pending = false; run(); requestAnimationFrame(tick); } else busy = false;
  }

  async function checklist() {
    if (!ckBox || !lastData) return;
    let ck = null;
    try {
      ck = eng.wasm ? eng.mod.checklist(o.jurisdiction, o.form, lastData)
        : await post(o.checklistEndpoint || o.endpoint.replace(/validate\/?$/, 'checklist'), lastData);
    } catch { ck = null; }
    const t = L(), sig = o.lang + JSON.stringify(ck);
    if (sig === ckSig) return;
    ckSig = sig;
    ckBox.hidden = !ck;
    if (!ck) return ckBox.replaceChildren();
    const ul = h('ul', 'sb-checklist');
    for (const it of ck.items) {
      const li = h('li', 'sb-ck ' + (it.required ? 'sb-ck--req' : 'sb-ck--rec') + (it.attached ? ' sb-ck--ok' : ''));
      const cites = [...new Set(it.reasons.map((r) => citeText(r.citation)).filter(Boolean))];
      li.append(h('span', 'sb-ck__box', it.attached ? '☑' : '☐'), h('span', 'sb-vh', (it.attached ? t.att : t.miss) + ' '),
        h('span', 'sb-ck__label', it.label || it.kind), h('span', 'sb-tag sb-tag--' + (it.required ? 'req' : 'rec'), it.required ? t.req : t.rec));
      if (cites.length) li.append(h('span', 'sb-cite', cites.join('；')));
      ul.append(li);
    }
    ckBox.replaceChildren(h('h3', 'sb-checklist__title', t.ck), ul);
  }

  function focusSummary() {
    summary.hidden = false;
    summary.focus();
    summary.scrollIntoView?.({ block: 'start' });
  }

  // ---- events
  // A field is validated once the user has changed it and left it (or changed a choice); tabbing
  // through empty fields does not raise "required" messages before a submit attempt.
  const onInput = (e) => {
    dirty.add(e.target);
    if (all || touched.has(e.target)) { typing = true; schedule(); }
  };
  const onTouch = (e) => {
    const el = e.target;
    if (!info(el).segs || (e.type == 'focusout' && !dirty.has(el) && !all)) return;
    touched.add(el);
    // blur caused by a pointer press elsewhere: render after the click, so the layout does not
    // shift under the pointer between mousedown and mouseup
    if (held) later = true; else schedule();
  };
  const doc = form.ownerDocument;
  const onDown = () => { held = true; };
  const onUp = () => {
    held = false;
    if (later) { later = false; setTimeout(schedule); }
  };
  const onSubmit = (e) => {
    if (bypass) { bypass = false; return; }
    const s = e.submitter;
    const status = (s && s.name == 'status' && s.value) || form.dataset.shenbaoStatus || 'final';
    all = true;
    typing = false; // the summary and the count follow at once
    const decide = (r) => {
      if (status != 'draft' && r && !r.valid) { focusSummary(); live.textContent = liveText = L().live(r.findings.filter((f) => f.severity == 'error').length, r.findings.filter((f) => f.severity == 'warning').length); return false; }
      return true;
    };
    if (eng && eng.wasm) {
      if (!decide(run())) e.preventDefault();
      return;
    }
    e.preventDefault();
    (eng ? Promise.resolve(run()) : ready.then(() => run())).then((r) => {
      if (decide(r)) { bypass = true; form.requestSubmit(s && s.form === form ? s : undefined); }
    });
  };
  const onClick = (e) => {
    const a = e.target.closest('a[href^="#"]');
    if (!a) return;
    const el = document.getElementById(a.getAttribute('href').slice(1));
    if (!el) return;
    e.preventDefault();
    el.focus({ preventScroll: true });
    (el.closest('[data-shenbao-field],.sb-field,fieldset') || el).scrollIntoView({ block: 'center' });
  };
  doc.addEventListener('pointerdown', onDown, true);
  doc.addEventListener('pointerup', onUp, true);
  doc.addEventListener('pointercancel', onUp, true);
  form.addEventListener('input', onInput);
  form.addEventListener('focusout', onTouch);
  form.addEventListener('change', onTouch);
  form.addEventListener('submit', onSubmit, true); // capture: runs before the page's own submit handlers
  summary.addEventListener('click', onClick);

  // The browser compiles WebAssembly and JS lazily and optimizes what runs often on background
  // threads, which on a small machine compete with the page: the first keystrokes after start-up
  // each took 1–3.5 ms in the widget instead of 0.6 ms (benchmark page, 200 fields). So, in idle
  // time after the first report, the widget validates the form's data (and an empty form, for the
  // code that reports errors) a few hundred times, rendering nothing: in idle callbacks, at most
  // 3 ms at a time, so a keystroke in that first second waits 3 ms at worst. `warm: false` turns
  // it off.
  function warm() {
    let n = 0, text = '';
    const idle = (cb) => (window.requestIdleCallback ? requestIdleCallback(cb) : setTimeout(() => cb({ timeRemaining: () => 5 }), 30));
    const step = (d) => {
      if (dead) return;
      const stop = performance.now() + 3;
      try {
        while (n < WARM_CALLS && d.timeRemaining() > 1 && performance.now() < stop) {
          if (n % 10 == 0) text = JSON.stringify(collect().data); // the form may have changed since
          JSON.parse(eng.mod.validateJson(o.jurisdiction, o.form, n++ % 3 ? text : '{}'));
        }
      } catch { return; }
      if (n < WARM_CALLS) idle(step);
    };
    idle(step);
  }

  const ready = engine.then((e) => {
    eng = e;
    if (!e.wasm) console.info('shenbao: WebAssembly unavailable, validating via', o.endpoint);
    form.dataset.shenbaoEngine = e.wasm ? 'wasm' : 'server';
    pending = false;
    run();
    if (e.wasm && o.warm) warm();
    return e.wasm ? 'wasm' : 'server';
  });

  return {
    ready,
    get engine() { return eng && (eng.wasm ? 'wasm' : 'server'); },
    get module() { return eng && eng.mod; },
    get report() { return rep; },
    /** The data object the form currently serializes to. */
    data: () => collect().data,
    /** Validate now and show every finding (as on submit). */
    validate(showAll = true) {
      if (showAll) all = true;
      return ready.then(() => { typing = false; return run(); });
    },
    /** Forget touched fields and hide the summary (e.g. after clearing or refilling the form). */
    reset() {
      touched = new WeakSet();
      dirty = new WeakSet();
      all = false;
      if (eng) run();
    },
    /** Change jurisdiction / form / lang / names / onReport and re-validate. */
    set(opts) {
      for (const k in opts) if (opts[k] !== undefined) o[k] = opts[k];
      if (opts.names) { cache = new WeakMap(); plan = null; }
      sumSig = ckSig = '';
      for (const b of boxes.values()) b.sig = '';
      if (eng) schedule();
    },
    destroy() {
      doc.removeEventListener('pointerdown', onDown, true);
      doc.removeEventListener('pointerup', onUp, true);
      doc.removeEventListener('pointercancel', onUp, true);
      form.removeEventListener('input', onInput);
      form.removeEventListener('focusout', onTouch);
      form.removeEventListener('change', onTouch);
      form.removeEventListener('submit', onSubmit, true);
      summary.removeEventListener('click', onClick);
      for (const [w, b] of boxes) drop(w, b);
      for (const el of [...aria.keys()]) setAria(el, false, []);
      if (summary._sb) summary.remove(); else summary.hidden = true;
      if (live._sb) live.remove();
      clearTimeout(timer);
      clearTimeout(ckTimer);
      clearTimeout(sumTimer);
      dead = true;
      mo.disconnect();
      seq++;
    },
  };
}
