// Minifies what a portal loads into web-demo/pkg/ (called by scripts/build-wasm.sh, after
// wasm-bindgen), the scripts with source maps pointing back at the readable files:
//   web-demo/shenbao.js          → pkg/shenbao.min.js          (+ .map)
//   web-demo/shenbao-element.js  → pkg/shenbao-element.min.js  (+ .map)
//   web-demo/shenbao.css         → pkg/shenbao.min.css (csso)
//   pkg/validator_wasm.js        → minified in place, its snippet (the companion loader) spliced
//                                  in, so that it imports nothing (+ .map; as generated: .src.js)
// The widget's relative imports are rewritten for its new place next to the glue; a rewrite
// that does not find exactly what it expects fails the build rather than ship a broken import.
//
//   node scripts/minify.mjs            (run from anywhere; terser comes from tests/browser)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web-demo');
const PKG = path.join(WEB, 'pkg');
const require = createRequire(path.join(ROOT, 'tests/browser/package.json'));
const { minify } = require('terser');

function rewrite(code, file, from, to) {
  const n = code.split(from).length - 1;
  if (n !== 1) throw new Error(`${file}: expected ${JSON.stringify(from)} exactly once, found it ${n} times`);
  return code.replace(from, to);
}

async function build(src, out, rewrites = []) {
  let code = fs.readFileSync(src, 'utf8');
  for (const [from, to] of rewrites) code = rewrite(code, src, from, to);
  const name = path.basename(out);
  const result = await minify({ [path.relative(PKG, src)]: code }, {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    // keep the licence header (/*! … */). The preamble is V8's explicit compile hint: compile
    // every function of the file while it streams in, off the main thread, instead of each on its
    // first call on the main thread (all of them run at start-up). Other engines ignore it. In
    // alternated start-up runs (2 × 48 loads each): median 45.6 / 47.6 ms against 48.5 / 49.0.
    format: { comments: /^!/, preamble: '//# allFunctionsCalledOnLoad' },
    sourceMap: { filename: name, url: `${name}.map` },
  });
  fs.writeFileSync(out, result.code + '\n');
  fs.writeFileSync(out + '.map', result.map);
  return result.code.length;
}

const jobs = [
  [path.join(WEB, 'shenbao.js'), path.join(PKG, 'shenbao.min.js'),
    [["new URL('./pkg/validator_wasm.js', import.meta.url)", "new URL('./validator_wasm.js', import.meta.url)"]]],
  [path.join(WEB, 'shenbao-element.js'), path.join(PKG, 'shenbao-element.min.js'),
    [["from './shenbao.js'", "from './shenbao.min.js'"]]],
];
// the glue: minify in place, keeping the unminified copy as the map's source
// (a glue that is already minified — it names its map — keeps the .src.js it was made from)
const glue = path.join(PKG, 'validator_wasm.js');
const glueSrc = path.join(PKG, 'validator_wasm.src.js');
if (!fs.readFileSync(glue, 'utf8').includes('sourceMappingURL=validator_wasm.js.map')) fs.copyFileSync(glue, glueSrc);
// The glue imports its inline-JS snippet (the companion loader, the JSON text helpers)
// statically: one more round trip before the engine can start. Splice it in, with its paths made
// relative to pkg/.
const glueCode = fs.readFileSync(glueSrc, 'utf8');
const imports = [...glueCode.matchAll(/^import \{ ([\w, ]+) \} from '(\.\/snippets\/[^']+)';\n/gm)];
const names = imports.length === 1 ? imports[0][1].split(', ') : [];
if (!names.includes('load_schema')) {
  throw new Error(`${glueSrc}: expected one snippet import (with load_schema), found ${imports.length}`);
}
let snippet = fs.readFileSync(path.join(PKG, imports[0][2]), 'utf8');
snippet = rewrite(snippet, imports[0][2], "new URL('../../validator_wasm_schema.js', import.meta.url)", "new URL('./validator_wasm_schema.js', import.meta.url)");
snippet = rewrite(snippet, imports[0][2], "new URL('../../validator_wasm_schema_bg.wasm', import.meta.url)", "new URL('./validator_wasm_schema_bg.wasm', import.meta.url)");
for (const name of names) snippet = rewrite(snippet, imports[0][2], `export function ${name}(`, `function ${name}(`);
const glueOne = path.join(PKG, 'validator_wasm.bundled.js');
fs.writeFileSync(glueOne, glueCode.replace(imports[0][0], snippet + '\n'));
jobs.push([glueOne, glue, []]);

for (const [src, out, rw] of jobs) {
  const bytes = await build(src, out, rw);
  console.log(`${path.relative(ROOT, src)} → ${path.relative(ROOT, out)} (${bytes} bytes)`);
}

// the stylesheet (csso, no restructuring: the rules stay in their order)
const { minify: minifyCss } = require('csso');
const cssSrc = path.join(WEB, 'shenbao.css');
const cssOut = path.join(PKG, 'shenbao.min.css');
const css = minifyCss(fs.readFileSync(cssSrc, 'utf8'), { restructure: false, comments: 'exclamation' }).css;
fs.writeFileSync(cssOut, css + '\n');
console.log(`${path.relative(ROOT, cssSrc)} → ${path.relative(ROOT, cssOut)} (${css.length} bytes)`);
