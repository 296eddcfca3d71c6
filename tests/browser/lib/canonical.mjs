// Canonical JSON text of a JS value: JSON.stringify semantics (toJSON, undefined/function/symbol
// members dropped, non-finite numbers → null, the same string escaping), compact, with object
// keys sorted by code point — the order serde_json's BTreeMap writes (UTF-8 byte order), so the
// result is byte-comparable with `Report::to_canonical_json`.
//
// The text is built by hand rather than by re-creating sorted objects: JS objects always
// enumerate integer-like keys ("9", "10") first, in numeric order, whatever the insertion order.

/** Compares two strings by Unicode code point (= UTF-8 byte order; JS `<` compares UTF-16 units). */
export function compareCodePoints(a, b) {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0);
    const cy = y.value.codePointAt(0);
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** The canonical JSON text of `value`; `undefined` when JSON.stringify would give undefined. */
export function canonicalJson(value) {
  return write({ "": value }, "", value);
}

function write(holder, key, value) {
  if (value !== null && (typeof value === "object" || typeof value === "bigint") && typeof value.toJSON === "function") {
    value = value.toJSON(key);
  }
  // Boxed primitives, as JSON.stringify unwraps them.
  if (value instanceof Number) value = Number(value);
  else if (value instanceof String) value = String(value);
  else if (value instanceof Boolean) value = value.valueOf();

  switch (typeof value) {
    case "string":
    case "boolean":
    case "number":
      return JSON.stringify(value);
    case "bigint":
      throw new TypeError("Do not know how to serialize a BigInt");
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    const items = value.map((v, i) => write(value, String(i), v) ?? "null");
    return `[${items.join(",")}]`;
  }
  const members = [];
  for (const k of Object.keys(value).sort(compareCodePoints)) {
    const text = write(value, k, value[k]);
    if (text !== undefined) members.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${members.join(",")}}`;
}
