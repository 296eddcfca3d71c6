// Browser benchmark page (driven by tests/browser/bench.mjs; also usable by hand).
//   ?mode=validate  validate() of a full apply filing, object and JSON-text paths, vs ajv + ajv-formats
//                   on schema(j, 'apply'); per-call medians over batches of calls
//   ?mode=startup   widget module fetch start → first validation result (one fresh load per run),
//                   on the rendered page (&during=1: while the page loads); &preload=1 with the
//                   preload hints of the demo portal
//   ?mode=keys      a generated 200-field form with the widget attached (&widget=0: without it, the
//                   baseline); the runner types into it and this page records, per keystroke, key event
//                   → DOM updated → next animation frame → that frame rendered
// Results: window.__bench (JSON) and <pre id=out>; <html data-done> when finished.
import { examples } from './examples.js';

const params = new URLSearchParams(location.search);
const mode = params.get('mode') || 'validate';
// startup mode, &preload=1: the embedding the demo portal uses — the widget, the glue and the
// module requested together (<link rel=modulepreload> ×2, <link rel=preload as=fetch>), not one
// after the other. (A page puts these in its <head>.)
function addPreloads() {
  for (const [rel, href, as] of [['modulepreload', 'pkg/shenbao.min.js'], ['modulepreload', 'pkg/validator_wasm.js'], ['preload', 'pkg/validator_wasm_bg.wasm', 'fetch']]) {
    const l = document.createElement('link');
    l.rel = rel;
    l.href = href;
    if (as) { l.as = as; l.type = 'application/wasm'; l.crossOrigin = 'anonymous'; }
    document.head.append(l);
  }
}
/** After the load event and two frames: the host page has been laid out and painted. */
const pageRendered = () => new Promise((resolve) => {
  const go = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
  if (document.readyState == 'complete') go(); else addEventListener('load', go, { once: true });
});
const J = params.get('j') || 'potou';
const $ = (s) => document.querySelector(s);

function done(result) {
  result.env = {
    userAgent: navigator.userAgent,
    crossOriginIsolated: self.crossOriginIsolated === true,
    timerResolutionMs: timerResolution(),
  };
  window.__bench = result;
  $('#out').textContent = JSON.stringify(result, null, 2);
  $('#status').textContent = 'done';
  document.documentElement.dataset.done = '1';
}
function fail(e) {
  window.__bench = { error: String(e && e.stack || e) };
  $('#status').textContent = 'error: ' + e;
  document.documentElement.dataset.done = '1';
  throw e;
}

function timerResolution() {
  let min = Infinity, last = performance.now();
  for (let i = 0; i < 5000; i++) {
    const t = performance.now();
    if (t > last) { min = Math.min(min, t - last); last = t; }
  }
  return min;
}

const sorted = (a) => [...a].sort((x, y) => x - y);
const quantile = (s, q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];

/**
 * Per-call time (µs) of each function over `batches` batches of `batch` calls. The batches of the
 * functions are interleaved (a, b, c, a, b, c, …) so that every function sees the same machine:
 * on a shared 2-core VM whole stretches of a second run 1.5–2× slower, and timing one function
 * after the other would put that noise into the ratios. Each function is first warmed up until
 * its JIT tiers have settled (ajv's generated validator is optimized only after ~2,000 calls).
 */
function timeAll(fns, { batch = 200, batches = 41, warm = 3000 } = {}) {
  for (const fn of Object.values(fns)) for (let i = 0; i < warm; i++) fn();
  const per = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let b = 0; b < batches; b++) {
    for (const [k, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) fn();
      per[k].push(((performance.now() - t0) / batch) * 1000);
    }
  }
  return Object.fromEntries(Object.entries(per).map(([k, xs]) => {
    const s = sorted(xs);
    return [k, { median_us: +quantile(s, 0.5).toFixed(2), min_us: +s[0].toFixed(2), p90_us: +quantile(s, 0.9).toFixed(2), batch, batches }];
  }));
}

async function benchValidate() {
  const mod = await import('./pkg/validator_wasm.js');
  await mod.default();
  const { Ajv2020, addFormats } = await import('./vendor/ajv2020.js');
  const ex = examples[J];
  const data = ex.data;
  const text = JSON.stringify(data);
  const report = mod.validate(J, 'apply', data);
  if (!report.valid) throw new Error(`${ex.id} is not valid: ${JSON.stringify(report.findings)}`);
  const schema = await mod.schema(J, 'apply');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const check = ajv.compile(schema);
  if (!check(data)) throw new Error('ajv rejects the filing: ' + JSON.stringify(check.errors));
  const r = {
    case: ex.id,
    jurisdiction: J,
    findings: report.findings.length,
    ...timeAll({
      wasm_object: () => mod.validate(J, 'apply', data),
      wasm_json_text: () => mod.validateJson(J, 'apply', text),
      wasm_widget_path: () => JSON.parse(mod.validateJson(J, 'apply', JSON.stringify(data))),
      ajv_object: () => check(data),
      ajv_json_text: () => check(JSON.parse(text)),
    }),
  };
  r.ratio_object = +(r.wasm_object.median_us / r.ajv_object.median_us).toFixed(2);
  r.ratio_json_text = +(r.wasm_json_text.median_us / r.ajv_json_text.median_us).toFixed(2);
  return r;
}

async function benchStartup() {
  // By default the widget starts once this page is rendered, so that the figure is the widget's
  // own cost: during page load the page's own first layout (CJK text shaping, style sheets:
  // 15–50 ms here) competes for the main thread. &during=1 starts it while the page loads.
  if (params.get('during') != '1') await pageRendered();
  if (params.get('preload') == '1') addPreloads();
  const widgetUrl = new URL('./pkg/shenbao.min.js', import.meta.url).href;
  const glueUrl = new URL('./pkg/validator_wasm.js', import.meta.url).href;
  const t0 = performance.now();
  const { attach } = await import('./pkg/shenbao.min.js');
  const tImported = performance.now();
  const form = $('#bench-form');
  form.innerHTML = '<input name="applicant.credit_code" value="114408040073500119"><input name="project_name">';
  const first = await new Promise((resolve) => {
    attach(form, { jurisdiction: J, form: 'apply', onReport: (rep) => resolve({ t: performance.now(), rep }) });
  });
  const entry = (u) => performance.getEntriesByName(u)[0];
  const w = entry(widgetUrl), g = entry(glueUrl), wasm = entry(new URL('./pkg/validator_wasm_bg.wasm', import.meta.url).href);
  return {
    findings: first.rep.findings.length,
    widget_fetch_to_first_report_ms: +(first.t - (w ? w.startTime : t0)).toFixed(2),
    glue_fetch_to_first_report_ms: g ? +(first.t - g.startTime).toFixed(2) : null,
    import_call_to_first_report_ms: +(first.t - t0).toFixed(2),
    navigation_to_first_report_ms: +first.t.toFixed(2),
    wasm_transfer_bytes: wasm ? wasm.transferSize : null,
    // where the time goes (ms after the widget's fetch start)
    timeline: Object.fromEntries(Object.entries({
      widget_loaded: w && w.responseEnd, widget_evaluated: tImported, glue_fetch: g && g.startTime, glue_loaded: g && g.responseEnd,
      wasm_fetch: wasm && wasm.startTime, wasm_loaded: wasm && wasm.responseEnd, first_report: first.t,
    }).map(([k, v]) => [k, v == null ? null : +(v - (w ? w.startTime : t0)).toFixed(2)])),
  };
}

/** A 200-field form: the apply example's fields plus repeated annual_funding_plan rows. */
function buildKeysForm(n = 200) {
  const ex = structuredClone(examples.potou.data);
  delete ex.annual_funding_plan;
  const leaves = [];
  const walk = (v, p) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
    else leaves.push([p, v]);
  };
  walk(ex, '');
  const rows = Math.ceil((n - leaves.length) / 4);
  const last = 2026 + rows - 1;
  for (let i = 0; i < rows; i++) {
    const p = `annual_funding_plan[${i}]`;
    leaves.push([p + '.year', 2026 + i], [p + '.amount_wan', i === 0 ? '180.00' : '0.00'],
      [p + '.targets', `第${i + 1}年度：完成阶段建设任务并通过阶段评估`], [p + '.content', `第${i + 1}年度实施内容：系统开发、部署、培训与运行保障`]);
  }
  leaves.length = n;
  const form = $('#bench-form');
  const frag = document.createDocumentFragment();
  leaves.forEach(([name, value], i) => {
    if (name === 'planned_end_date') value = `${last}-12-31`;
    const f = document.createElement('div');
    f.className = 'sb-field';
    const label = document.createElement('label');
    label.className = 'sb-label';
    label.htmlFor = 'b' + i;
    label.textContent = name;
    const input = document.createElement('input');
    input.className = 'sb-input';
    input.id = 'b' + i;
    input.name = name;
    input.value = String(value);
    if (typeof value === 'boolean') input.dataset.type = 'boolean';
    if (typeof value === 'number') input.dataset.type = 'integer';
    f.append(label, input);
    frag.append(f);
  });
  form.append(frag);
  form.hidden = false;
  return form.elements.length;
}

async function benchKeys() {
  // &widget=0: the same form and keystrokes without the widget — the baseline, what the browser itself
  // costs per keystroke on this form, measured the same way in the same run
  const withWidget = params.get('widget') != '0';
  const { attach } = withWidget ? await import('./pkg/shenbao.min.js') : {};
  const fields = buildKeysForm(+(params.get('fields') || 200));
  const samples = [];
  let tEvt = 0, tKey = 0, tIn = 0;
  // keys that edit the value start a sample, from the key event's own timestamp (when the browser
  // received it: queueing before dispatch counts); leaving a field drops an unfinished one
  window.addEventListener('keydown', (e) => {
    if (e.key.length !== 1 && e.key !== 'Backspace') return;
    tKey = performance.now();
    tEvt = e.timeStamp > 0 && e.timeStamp <= tKey ? e.timeStamp : tKey;
  }, true);
  window.addEventListener('input', () => { tIn = performance.now(); }, true); // before the widget's listener
  window.addEventListener('focusout', () => { tKey = 0; }, true);
  // A user-blocking task posted from the frame's rAF callback runs as soon as that frame's main-thread
  // work (rAF callbacks, style, layout, paint, commit) is done, ahead of tasks queued earlier at normal
  // priority. A MessageChannel message queues behind those: notably Chromium's autofill form tracking,
  // which re-reads every control of the form after each text change, widget or not (≈ 8 ms on 200
  // fields here), after the frame has been committed. That one marks "main thread free again".
  const userBlocking = (cb) => (window.scheduler && scheduler.postTask ? scheduler.postTask(cb, { priority: 'user-blocking' }) : null);
  /** Called once the DOM reflects the keystroke (the widget's report, or the input event without it). */
  function sample() {
    if (!tKey) return;
    const start = tEvt, key = tKey, input = tIn, updated = performance.now();
    if (input < key) return; // not a keystroke (e.g. a blur)
    tKey = 0;
    requestAnimationFrame(() => {
      const frame = performance.now();
      let rendered = 0;
      userBlocking(() => { rendered = performance.now(); });
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        const idle = performance.now();
        const end = rendered || idle;
        // queue: key event → dispatched; browser: keydown → input event (Chromium's own editing);
        // widget: input event → serialize, validate, DOM updated; work: key event → DOM updated;
        // paint: key event → next frame starts (includes the wait for vsync); render: that frame's
        // main-thread rendering; busy: work + render, without the wait for vsync between them (what
        // has to fit into one frame); painted: key event → frame rendered; idle: frame start → main
        // thread free again (the browser's post-frame tasks included)
        samples.push({
          queue: key - start, browser: input - key, widget: updated - input, work: updated - start, paint: frame - start,
          render: end - frame, busy: updated - start + (end - frame), painted: end - start, idle: idle - frame,
          ordered: rendered > 0,
        });
        window.__keys = samples.length;
      };
      ch.port2.postMessage(0);
    });
  }
  const form = $('#bench-form');
  if (withWidget) {
    const ctl = attach(form, { jurisdiction: 'potou', form: 'apply', onReport: sample });
    await ctl.ready;
    window.__ctl = ctl;
  } else {
    form.addEventListener('input', sample); // where the widget's own input listener runs
  }
  window.__keys = 0;
  window.__samples = samples;
  window.__fields = fields;
  return null; // the runner drives the keystrokes and reads window.__samples
}

const run = { validate: benchValidate, startup: benchStartup, keys: benchKeys }[mode];
if (!run) fail(new Error('unknown mode ' + mode));
else run().then((r) => (r ? done({ mode, ...r }) : (document.documentElement.dataset.ready = '1', $('#status').textContent = 'ready: type into the form')), fail);
