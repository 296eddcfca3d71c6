//! The `#[wasm_bindgen]` exports: thin wrappers over the plain functions of the crate root.
//! Inputs: `data` is JSON text (a JS string) or a plain object; results are plain JS objects
//! (`null` for absent values, objects for maps); errors are thrown as JS `Error`s whose message
//! is the core's error text.

use crate::Input;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Serializes a result into plain JS values: `None` → `null`, maps → objects.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn err(message: String) -> JsError {
    JsError::new(&message)
}

/// Reads `data`: a JS string is JSON text (parsed by `serde_json`), anything else is converted
/// as a JSON-compatible value (`undefined` → `null`, which the core treats as absent).
fn with_input<R>(data: JsValue, f: impl FnOnce(Input) -> Result<R, String>) -> Result<R, JsError> {
    match data.as_string() {
        Some(text) => f(Input::Text(&text)).map_err(err),
        None => {
            let value = serde_wasm_bindgen::from_value(data).map_err(|e| {
                // the error is a JS `Error`; its text starts with "Error: "
                let text = e.to_string();
                let reason = text.strip_prefix("Error: ").unwrap_or(&text);
                err(["data is not JSON-compatible: ", reason].concat())
            })?;
            f(Input::Value(value)).map_err(err)
        }
    }
}

/// Validates form data (JSON text or a plain object) and returns the report.
/// Throws an `Error` for malformed JSON, non-object data, an unknown jurisdiction or form, or a
/// form the jurisdiction does not offer.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn validate(
    jurisdiction: &str,
    form: &str,
    #[wasm_bindgen(unchecked_param_type = "FilingData")] data: JsValue,
) -> Result<JsValue, JsError> {
    let report = with_input(data, |input| {
        crate::validate_input(jurisdiction, form, input)
    })?;
    to_js(&report)
}

/// Validates JSON text and returns the report as canonical JSON text (compact, keys sorted):
/// byte-identical to the command line's and the HTTP service's reports.
#[wasm_bindgen(js_name = validateJson)]
pub fn validate_json(jurisdiction: &str, form: &str, text: &str) -> Result<String, JsError> {
    crate::validate_text(jurisdiction, form, text).map_err(err)
}

/// The jurisdictions and the forms each offers, in spec order.
#[wasm_bindgen(unchecked_return_type = "PackInfo[]")]
pub fn forms() -> Result<JsValue, JsError> {
    to_js(&crate::forms())
}

/// The JSON Schema (draft 2020-12) of a jurisdiction's form.
#[wasm_bindgen(unchecked_return_type = "JsonSchema")]
pub fn schema(jurisdiction: &str, form: &str) -> Result<JsValue, JsError> {
    to_js(&crate::schema_of(jurisdiction, form).map_err(err)?)
}

/// The documentation entry of a rule, or `undefined` for an unknown rule ID.
#[wasm_bindgen(js_name = ruleInfo, unchecked_return_type = "RuleInfo | undefined")]
pub fn rule_info(rule_id: &str) -> Result<JsValue, JsError> {
    match crate::rule_info(rule_id) {
        Some(info) => to_js(&info),
        None => Ok(JsValue::UNDEFINED),
    }
}

/// The required-documents checklist for (possibly partial) form data (JSON text or an object).
#[wasm_bindgen(unchecked_return_type = "Checklist")]
pub fn checklist(
    jurisdiction: &str,
    form: &str,
    #[wasm_bindgen(unchecked_param_type = "FilingData")] data: JsValue,
) -> Result<JsValue, JsError> {
    let list = with_input(data, |input| {
        crate::checklist_input(jurisdiction, form, input)
    })?;
    to_js(&list)
}

/// The built-in rule set's version and digest (the `rule_set` of every report).
#[wasm_bindgen(js_name = ruleSet, unchecked_return_type = "RuleSet")]
pub fn rule_set() -> Result<JsValue, JsError> {
    to_js(crate::rule_set())
}
