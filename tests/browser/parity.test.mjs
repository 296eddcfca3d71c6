// Parity of the WebAssembly bundle with the native core (spec/report.md: one report, byte-identical
// on every surface). Run from the repository root after `bash scripts/build-wasm.sh`:
//
//   node --test tests/browser/parity.test.mjs
//
// For every shared case (/work/shared/cases/*.json, or $SHENBAO_CASES) whose (jurisdiction, form)
// is offered by `forms()`:
//   (a) validateJson(j, f, JSON.stringify(data))          — canonical text from wasm
//   (b) canonicalJson(validate(j, f, data))               — the JS-object path, re-serialized
//   (c) `api-server validate --format json FILE…`         — the native command line
// must be byte-identical, and the verdict must match the case's `expect`.
import fs from "node:fs";
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { canonicalJson } from "./lib/canonical.mjs";
import { loadWasm, offeredPairs } from "./lib/wasm.mjs";
import { loadCases, groupByForm, verdict, expected } from "./lib/cases.mjs";
import { apiServer, runCli, validateBatch } from "./lib/cli.mjs";

const wasm = await loadWasm();
const offered = offeredPairs(wasm);
const cases = loadCases();
const groups = groupByForm(cases);

let cliBin;
function cli() {
  cliBin ??= apiServer();
  return cliBin;
}

describe("case parity: validateJson ≡ validate ≡ api-server", () => {
  it("has cases to check", () => {
    assert.ok(cases.length > 0, "no shared cases found");
    assert.ok([...groups.keys()].some((k) => offered.has(k)), "no case is for an offered (jurisdiction, form)");
  });

  for (const [key, group] of groups) {
    const [j, f] = key.split("/");
    if (!offered.has(key)) {
      it(`${key}: ${group.length} case(s) for a form that forms() does not offer`, () => {
        assert.fail(`${key} is not offered by forms(), yet the shared cases file it`);
      });
      continue;
    }
    describe(key, () => {
      let native;
      before(() => {
        native = validateBatch(cli(), j, f, group.map((c) => c.data));
      });
      group.forEach((c, i) => {
        it(`${c.id}: identical reports`, () => {
          const a = wasm.validateJson(j, f, JSON.stringify(c.data));
          const b = canonicalJson(wasm.validate(j, f, c.data));
          assert.equal(b, a, "validate (object) vs validateJson (text)");
          assert.equal(native[i], a, "api-server vs validateJson");
        });
        it(`${c.id}: verdict matches expect`, () => {
          const report = JSON.parse(wasm.validateJson(j, f, JSON.stringify(c.data)));
          assert.deepEqual(verdict(report), expected(c), c.description);
        });
      });
    });
  }
});

describe("JS-object input", () => {
  const sample = cases.find((c) => offered.has(`${c.jurisdiction}/${c.form}`));

  it("undefined members are absent, as in JSON.stringify", () => {
    assert.ok(sample, "an offered case");
    const { jurisdiction: j, form: f, data } = sample;
    const withUndefined = { ...data, submission_date: undefined };
    const { submission_date: _drop, ...without } = data;
    assert.equal(canonicalJson(wasm.validate(j, f, withUndefined)), wasm.validateJson(j, f, JSON.stringify(without)));
  });

  it("checklist: text and object inputs agree for every case", () => {
    for (const c of cases.filter((c) => offered.has(`${c.jurisdiction}/${c.form}`))) {
      const fromText = wasm.checklist(c.jurisdiction, c.form, JSON.stringify(c.data));
      const fromObject = wasm.checklist(c.jurisdiction, c.form, c.data);
      assert.equal(canonicalJson(fromObject), canonicalJson(fromText), c.id);
      assert.equal(fromText.jurisdiction, c.jurisdiction);
    }
  });
});

describe("error paths throw Error with the core's message", () => {
  const first = [...offered][0]?.split("/") ?? ["potou", "apply"];
  const [j, f] = first;

  function throwsError(fn, pattern) {
    let thrown;
    try {
      fn();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof Error, `expected a thrown Error, got ${thrown === undefined ? "no throw" : String(thrown)}`);
    assert.match(thrown.message, pattern);
    return thrown.message;
  }

  it("malformed JSON text", () => {
    const m1 = throwsError(() => wasm.validateJson(j, f, '{"submission_date": '), /^malformed JSON: .+ at line 1 column \d+$/);
    const m2 = throwsError(() => wasm.validate(j, f, '{"submission_date": '), /^malformed JSON: /);
    assert.equal(m2, m1, "validate(text) and validateJson give the same message");
    throwsError(() => wasm.checklist(j, f, "{"), /^malformed JSON: /);
    throwsError(() => wasm.validateJson(j, f, ""), /^malformed JSON: EOF while parsing/);
  });

  it("unknown jurisdiction", async () => {
    const m = throwsError(() => wasm.validateJson("atlantis", "apply", "{}"), /^unknown jurisdiction “atlantis”/);
    throwsError(() => wasm.validate("atlantis", "apply", {}), /^unknown jurisdiction “atlantis”/);
    throwsError(() => wasm.checklist("atlantis", "apply", {}), /^unknown jurisdiction “atlantis”/);
    await assert.rejects(wasm.schema("atlantis", "apply"), /^Error: unknown jurisdiction “atlantis”/);
    // the command line reports the same core message (exit 2)
    const r = runCli(cli(), ["validate", "--jurisdiction", "atlantis", "--form", "apply", "--format", "json", "/dev/null"]);
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(m), `CLI stderr ${JSON.stringify(r.stderr)} includes ${JSON.stringify(m)}`);
  });

  it("unknown form", async () => {
    throwsError(() => wasm.validateJson("potou", "nope", "{}"), /^unknown form “nope”/);
    await assert.rejects(wasm.schema("potou", "nope"), /^Error: unknown form “nope”/);
  });

  it("form not offered", () => {
    const all = ["apply", "change", "procure", "contract", "monitor", "terminate", "fund", "accept", "accept-record", "self-eval"];
    const pack = wasm.forms().find((p) => all.some((x) => !p.forms.some((o) => o.form === x)));
    if (!pack) return;
    const form = all.find((x) => !pack.forms.some((o) => o.form === x));
    throwsError(() => wasm.validate(pack.jurisdiction, form, {}), new RegExp(`^form ${form} is not filed in jurisdiction ${pack.jurisdiction}$`));
  });

  it("data that is not an object", () => {
    for (const data of ["[]", "42", "null", [1, 2], 42, null, undefined, true]) {
      throwsError(() => wasm.validate(j, f, data), /^data must be a JSON object$/);
    }
    throwsError(() => wasm.validateJson(j, f, '"text"'), /^data must be a JSON object$/);
    throwsError(() => wasm.checklist(j, f, []), /^data must be a JSON object$/);
  });

  it("objects are read as JSON.stringify writes them", () => {
    // members JSON.stringify leaves out are absent; what it cannot write is an error
    const plain = canonicalJson(wasm.validate(j, f, {}));
    assert.equal(canonicalJson(wasm.validate(j, f, { a: Symbol("x"), b: () => 1, c: undefined })), plain);
    throwsError(() => wasm.validate(j, f, { a: 1n }), /^data is not JSON-compatible: .*BigInt/);
    const cyclic = {};
    cyclic.self = cyclic;
    throwsError(() => wasm.checklist(j, f, cyclic), /^data is not JSON-compatible: .*circular/);
    throwsError(() => wasm.validate(j, f, () => 1), /^data must be a JSON object$/);
  });
});

describe("catalog queries", () => {
  it("ruleSet() is the rule_set of every report", () => {
    const rs = wasm.ruleSet();
    assert.deepEqual(Object.keys(rs).sort(), ["digest", "version"]);
    assert.match(rs.digest, /^sha256:[0-9a-f]{64}$/);
    const [j, f] = [...offered][0].split("/");
    assert.deepEqual(wasm.validate(j, f, {}).rule_set, rs);
  });

  it("forms() lists every pack with plain objects", () => {
    const packs = wasm.forms();
    assert.deepEqual(packs.map((p) => p.jurisdiction), ["potou", "bazhong", "gaogang", "pingyang", "jianshan"]);
    for (const p of packs) {
      assert.equal(Object.getPrototypeOf(p), Object.prototype);
      for (const f of p.forms) assert.ok(f.duty === "M" || f.duty === "O", `${p.jurisdiction}/${f.form}`);
    }
  });

  it("ruleInfo(): an entry, or undefined for an unknown ID", () => {
    const info = wasm.ruleInfo("common.any.required-field");
    assert.equal(info.id, "common.any.required-field");
    assert.equal(info.pack, "common");
    assert.equal(wasm.ruleInfo("no.such.rule"), undefined);
    // every rule a case report names has an entry
    const seen = new Set();
    for (const c of cases.filter((c) => offered.has(`${c.jurisdiction}/${c.form}`))) {
      for (const fd of wasm.validate(c.jurisdiction, c.form, c.data).findings) seen.add(fd.rule);
    }
    for (const id of seen) assert.equal(wasm.ruleInfo(id)?.id, id, id);
  });

  it("schema() answers a promise of a plain JSON object for every offered form", async () => {
    for (const key of offered) {
      const [j, f] = key.split("/");
      const p = wasm.schema(j, f);
      assert.ok(p instanceof Promise, "schema() loads the companion module on demand");
      const s = await p;
      assert.equal(Object.getPrototypeOf(s), Object.prototype, key);
      assert.equal(typeof s.$schema, "string", key);
    }
  });

  it("the demo portal's filing stages are the schema's (spec §2.3)", async () => {
    const demo = fs.readFileSync(new URL("../../web-demo/demo.js", import.meta.url), "utf8");
    for (const p of wasm.forms()) {
      const m = demo.match(new RegExp(`\\n  ${p.jurisdiction}: \\{[^\\n]*stages: (\\[[^\\]]*\\])`));
      assert.ok(m, `demo.js lists the stages of ${p.jurisdiction}`);
      const stages = JSON.parse(m[1].replaceAll("'", '"'));
      const s = await wasm.schema(p.jurisdiction, "apply");
      assert.deepEqual(stages, s.properties.filing_stage.enum, p.jurisdiction);
    }
  });

  it("absent values are null, not undefined", () => {
    const report = wasm.validate(...[...offered][0].split("/"), {});
    const productFinding = report.findings.find((fd) => fd.rule === "common.any.required-field");
    assert.ok(productFinding, "a required-field finding for empty data");
    assert.equal(productFinding.citation, null);
  });
});
