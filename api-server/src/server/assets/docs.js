// Renders the OpenAPI document of this service. No third-party code, no inline script or style
// (the page runs under the service's Content-Security-Policy).

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

let doc = null;

function resolve(ref) {
  if (!ref.startsWith('#/')) return null;
  return ref.slice(2).split('/').reduce((o, k) => (o ? o[k.replace(/~1/g, '/').replace(/~0/g, '~')] : null), doc);
}

function deref(x) {
  return x && x.$ref ? resolve(x.$ref) || x : x;
}

function schemaLink(schema) {
  if (schema && schema.$ref) {
    const name = schema.$ref.split('/').pop();
    return el('a', { class: 'ref', href: '#schema-' + name, text: name });
  }
  return el('code', { text: JSON.stringify(schema) });
}

function paramsTable(params) {
  if (!params || !params.length) return null;
  const t = el('table', {}, el('tr', {}, el('th', { text: 'Name' }), el('th', { text: 'In' }), el('th', { text: 'Schema' }), el('th', { text: 'Description' })));
  for (const p0 of params) {
    const p = deref(p0);
    t.append(el('tr', {},
      el('td', {}, el('code', { text: p.name + (p.required ? ' *' : '') })),
      el('td', { text: p.in }),
      el('td', {}, el('code', { text: JSON.stringify(p.schema) })),
      el('td', { text: p.description || '' })));
  }
  return t;
}

function responsesTable(responses) {
  const t = el('table', {}, el('tr', {}, el('th', { text: 'Status' }), el('th', { text: 'Description' }), el('th', { text: 'Body' })));
  for (const [code, r0] of Object.entries(responses || {})) {
    const r = deref(r0);
    const body = el('td');
    for (const [ct, media] of Object.entries(r.content || {})) {
      body.append(el('div', {}, el('code', { text: ct + ' ' }), schemaLink(media.schema)));
    }
    t.append(el('tr', {}, el('td', {}, el('code', { text: code })), el('td', { text: r.description || '' }), body));
  }
  return t;
}

function tryIt(method, path, op) {
  const box = el('div', { class: 'try' }, el('h3', { text: 'Try it' }));
  const inputs = {};
  for (const p0 of op.parameters || []) {
    const p = deref(p0);
    const i = el('input', { placeholder: p.name, 'aria-label': p.name });
    inputs[p.in + ':' + p.name] = i;
    box.append(el('label', {}, el('code', { text: ` ${p.name} (${p.in}) ` }), i), el('br'));
  }
  let ta = null;
  if (op.requestBody) {
    ta = el('textarea', { 'aria-label': 'request body', spellcheck: 'false' });
    ta.value = method === 'post' && path.endsWith('/finalize') ? '' : '{}';
    box.append(ta);
  }
  const out = el('pre', { hidden: '' });
  const status = el('div');
  const btn = el('button', { type: 'button', text: 'Send' });
  btn.addEventListener('click', async () => {
    let url = path;
    const qs = new URLSearchParams();
    const headers = { accept: 'application/json' };
    for (const [key, i] of Object.entries(inputs)) {
      const [where, name] = key.split(/:(.*)/s);
      if (!i.value) continue;
      if (where === 'path') url = url.replace('{' + name + '}', encodeURIComponent(i.value));
      else if (where === 'query') qs.append(name, i.value);
      else if (where === 'header') headers[name] = i.value;
    }
    if ([...qs].length) url += '?' + qs;
    const token = $('#token').value.trim();
    if (token) headers.authorization = 'Bearer ' + token;
    const init = { method: method.toUpperCase(), headers };
    if (ta && ta.value.trim()) { init.body = ta.value; headers['content-type'] = 'application/json'; }
    status.textContent = '…';
    try {
      const r = await fetch(url, init);
      const text = await r.text();
      status.textContent = `${r.status} ${r.statusText}`;
      status.className = r.ok ? 'status-ok' : 'status-err';
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON */ }
      out.textContent = shown.length > 200000 ? shown.slice(0, 200000) + '\n…' : shown;
      out.hidden = false;
    } catch (e) {
      status.textContent = String(e);
      status.className = 'status-err';
    }
  });
  box.append(el('br'), btn, status, out);
  return box;
}

function render() {
  $('#version').textContent = 'v' + doc.info.version + ' · OpenAPI ' + doc.openapi;
  $('#summary').textContent = doc.info.description || doc.info.summary || '';
  const toc = $('#toc');
  const ops = $('#ops');
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([method, path, op]);
    }
  }
  const order = (doc.tags || []).map((t) => t.name);
  const tags = [...byTag.keys()].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  for (const tag of tags) {
    const list = byTag.get(tag);
    const info = (doc.tags || []).find((t) => t.name === tag);
    ops.append(el('h2', { id: 'tag-' + tag, text: tag + (info ? ' — ' + info.description : '') }));
    toc.append(el('a', { href: '#tag-' + tag, text: tag }));
    for (const [method, path, op] of list) {
      const secured = !op.security || op.security.length > 0;
      const d = el('details', { class: 'op', id: 'op-' + (op.operationId || method + path) },
        el('summary', {},
          el('span', { class: 'method m-' + method, text: method.toUpperCase() }),
          el('span', { class: 'path', text: path }),
          el('span', { class: 'muted', text: '  ' + (op.summary || '') }),
          secured ? el('span', { class: 'lock', text: 'bearer token' }) : null));
      const b = el('div', { class: 'op-body' });
      if (op.description) b.append(el('p', { text: op.description }));
      const pt = paramsTable(op.parameters);
      if (pt) b.append(el('h3', { text: 'Parameters' }), pt);
      if (op.requestBody) {
        const rb = deref(op.requestBody);
        b.append(el('h3', { text: 'Request body' + (rb.required ? ' (required)' : '') }));
        for (const [ct, media] of Object.entries(rb.content || {})) b.append(el('div', {}, el('code', { text: ct + ' ' }), schemaLink(media.schema)));
      }
      b.append(el('h3', { text: 'Responses' }), responsesTable(op.responses));
      b.append(tryIt(method, path, op));
      d.append(b);
      ops.append(d);
    }
  }
  const schemas = $('#schemas');
  for (const [name, s] of Object.entries(doc.components.schemas || {})) {
    schemas.append(el('h3', { id: 'schema-' + name, text: name }), el('pre', { text: JSON.stringify(s, null, 2) }));
  }
  $('#schemas-section').hidden = false;
  toc.append(el('a', { href: '#schemas-section', text: 'schemas' }));
  if (location.hash) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === 'DETAILS') target.open = true;
    target?.scrollIntoView();
  }
}

fetch('/api/v1/openapi.json', { headers: { accept: 'application/json' } })
  .then((r) => r.json())
  .then((d) => { doc = d; render(); })
  .catch((e) => { $('#summary').textContent = 'Cannot load the API description: ' + e; });
