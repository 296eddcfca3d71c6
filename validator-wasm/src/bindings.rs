//! The `#[wasm_bindgen]` exports: thin wrappers over the plain functions of the crate root.
//!
//! Everything crosses the boundary as JSON text: a JS object is handed over as `JSON.stringify`
//! writes it and every answer comes back through `JSON.parse` — both native to the JS engine,
//! faster than converting value by value (measured on the benchmark page), and without a
//! converter in the bundle. The companion module converts its (large) schema objects with
//! `serde-wasm-bindgen`. Errors are thrown as JS `Error`s whose message is the core's error text.
//!
//! Two modules are built from this crate: the widget bundle (`validator_wasm`, default) and its
//! companion `validator_wasm_schema` (feature `schema-module`) holding the JSON Schema generator,
//! which no widget needs and which would add a third to the bundle. The bundle's `schema()` loads
//! the companion on first use and answers a promise.

use wasm_bindgen::prelude::*;

fn err(message: &str) -> JsError {
    JsError::new(message)
}

#[cfg(not(feature = "schema-module"))]
mod bundle {
    use super::*;

    /// `data` as JSON text: a string is taken as JSON text, anything else as `JSON.stringify`
    /// writes it (members that are `undefined`, functions or symbols are left out).
    fn text_of(data: &JsValue) -> Result<String, JsError> {
        match json_text(data) {
            // `undefined`, a function or a symbol has no JSON text
            Ok(s) => s.ok_or_else(|| err("data must be a JSON object")),
            Err(e) => {
                let reason = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_default();
                Err(err(&format!("data is not JSON-compatible: {reason}")))
            }
        }
    }

    fn parsed(text: &str) -> Result<JsValue, JsError> {
        json_value(text).map_err(|_| err("the answer is not JSON (a bug)"))
    }

    /// A catalog answer as a plain JS value (`None` → `null`), through its JSON text.
    fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
        parsed(&serde_json::to_string(value).map_err(|e| err(&e.to_string()))?)
    }

    /// Validates form data (JSON text or a plain object) and returns the report.
    /// Throws an `Error` for malformed JSON, non-object data, an unknown jurisdiction or form, or
    /// a form the jurisdiction does not offer.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn validate(
        jurisdiction: &str,
        form: &str,
        #[wasm_bindgen(unchecked_param_type = "FilingData")] data: JsValue,
    ) -> Result<JsValue, JsError> {
        let text = text_of(&data)?;
        parsed(&crate::validate_text(jurisdiction, form, &text).map_err(|e| err(&e))?)
    }

    /// Validates JSON text and returns the report as canonical JSON text (compact, keys
    /// sorted): byte-identical to the command line's and the HTTP service's reports.
    #[wasm_bindgen(js_name = validateJson)]
    pub fn validate_json(jurisdiction: &str, form: &str, text: &str) -> Result<String, JsError> {
        crate::validate_text(jurisdiction, form, text).map_err(|e| err(&e))
    }

    /// The required-documents checklist for (possibly partial) form data (JSON text or an
    /// object).
    #[wasm_bindgen(unchecked_return_type = "Checklist")]
    pub fn checklist(
        jurisdiction: &str,
        form: &str,
        #[wasm_bindgen(unchecked_param_type = "FilingData")] data: JsValue,
    ) -> Result<JsValue, JsError> {
        let text = text_of(&data)?;
        parsed(&crate::checklist_text(jurisdiction, form, &text).map_err(|e| err(&e))?)
    }

    /// The jurisdictions and the forms each offers, in spec order.
    #[wasm_bindgen(unchecked_return_type = "PackInfo[]")]
    pub fn forms() -> Result<JsValue, JsError> {
        to_js(&crate::forms())
    }

    /// The documentation entry of a rule, or `undefined` for an unknown rule ID.
    #[wasm_bindgen(js_name = ruleInfo, unchecked_return_type = "RuleInfo | undefined")]
    pub fn rule_info(rule_id: &str) -> Result<JsValue, JsError> {
        match crate::rule_info(rule_id) {
            Some(info) => to_js(&info),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The built-in rule set's version and digest (the `rule_set` of every report).
    #[wasm_bindgen(js_name = ruleSet, unchecked_return_type = "RuleSet")]
    pub fn rule_set() -> Result<JsValue, JsError> {
        to_js(crate::rule_set())
    }

    // The companion module sits next to this one in pkg/ (snippets live two levels down).
    // `json_text` / `json_value` are `JSON.stringify` / `JSON.parse` called from JS: the text
    // crosses the boundary once, as a string argument or result, with no JS string handle kept in
    // wasm-bindgen's table and copied out again (≈ 1 µs per `validate()` in the benchmark page).
    #[wasm_bindgen(inline_js = r#"
let companion;
function load() {
  if (!companion) {
    const glue = new URL('../../validator_wasm_schema.js', import.meta.url);
    const wasm = new URL('../../validator_wasm_schema_bg.wasm', import.meta.url);
    companion = import(glue.href).then(async (m) => {
      if (wasm.protocol === 'file:' && typeof process === 'object' && process.versions && process.versions.node) {
        const { readFileSync } = await import('node:fs');
        m.initSync({ module: readFileSync(wasm) });
      } else {
        await m.default({ module_or_path: wasm });
      }
      return m;
    });
    companion.catch(() => { companion = undefined; });
  }
  return companion;
}
export function load_schema(jurisdiction, form) {
  return load().then((m) => m.schema(jurisdiction, form));
}
export function json_text(data) {
  return typeof data === 'string' ? data : JSON.stringify(data);
}
export function json_value(text) {
  return JSON.parse(text);
}
"#)]
    extern "C" {
        fn load_schema(jurisdiction: &str, form: &str) -> js_sys::Promise;
        #[wasm_bindgen(catch)]
        fn json_text(data: &JsValue) -> Result<Option<String>, JsValue>;
        #[wasm_bindgen(catch)]
        fn json_value(text: &str) -> Result<JsValue, JsValue>;
    }

    /// The JSON Schema (draft 2020-12) of a jurisdiction's form. Asynchronous: the schema
    /// generator lives in the companion module `validator_wasm_schema`, loaded on first use.
    #[wasm_bindgen(unchecked_return_type = "Promise<JsonSchema>")]
    pub fn schema(jurisdiction: &str, form: &str) -> js_sys::Promise {
        load_schema(jurisdiction, form)
    }
}

#[cfg(feature = "schema-module")]
mod companion {
    use super::*;
    use serde::Serialize;

    /// Serializes a result into plain JS values: `None` → `null`, maps → objects.
    fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The JSON Schema (draft 2020-12) of a jurisdiction's form.
    #[wasm_bindgen(unchecked_return_type = "JsonSchema")]
    pub fn schema(jurisdiction: &str, form: &str) -> Result<JsValue, JsError> {
        to_js(&crate::schema_of(jurisdiction, form).map_err(|e| err(&e))?)
    }
}
