//! # validator-wasm
//!
//! WebAssembly bindings of [`validator_core`] for browsers and Node. This crate **marshals
//! only**: every answer comes from the core, so the browser, the command line and the HTTP
//! service return byte-identical reports (`spec/report.md`).
//!
//! The marshalling lives in the plain Rust functions of this module (natively unit-tested with
//! `cargo test -p validator-wasm`); [`bindings`] holds the thin `#[wasm_bindgen]` wrappers that
//! turn their results into JS values and their errors into thrown JS `Error`s, and [`types`] the
//! TypeScript declarations of the returned objects.
//!
//! | JS export | Rust function here |
//! |---|---|
//! | `validate(j, f, data)` | [`validate_text`] (objects cross as `JSON.stringify` text) |
//! | `validateJson(j, f, text)` | [`validate_text`] |
//! | `checklist(j, f, data)` | [`checklist_text`] |
//! | `schema(j, f)` (async: loads `validator_wasm_schema`) | [`schema_of`] |
//! | `forms()` | [`forms`] |
//! | `ruleInfo(id)` | [`rule_info`] |
//! | `ruleSet()` | [`rule_set`] |

use serde_json::Value;
use validator_core::info::{PackInfo, RuleInfo};
use validator_core::json::J;
use validator_core::{InputError, RuleSetId, Validator};

pub mod alloc;
pub mod bindings;
pub mod types;

fn parse(text: &str) -> Result<J<'_>, String> {
    J::parse(text).map_err(|e| InputError::Json(e.to_string()).to_string())
}

/// `validate` / `validateJson`: validates JSON text and returns the canonical JSON text of the
/// report ([`validator_core::Report::to_canonical_json`]); errors carry the core's error text.
/// (`validate` hands JS objects over as `JSON.stringify` text and returns `JSON.parse` of the
/// answer: faster across the boundary than converting value by value.)
pub fn validate_text(jurisdiction: &str, form: &str, text: &str) -> Result<String, String> {
    validator_core::validate_json(jurisdiction, form, text)
        .map(|r| r.to_canonical_json())
        .map_err(|e| e.to_string())
}

/// `checklist`: the required-documents checklist for (possibly partial) data, as JSON text.
pub fn checklist_text(jurisdiction: &str, form: &str, text: &str) -> Result<String, String> {
    let data = parse(text)?;
    let list =
        validator_core::checklist::checklist_doc(Validator::builtin(), jurisdiction, form, &data)
            .map_err(|e| e.to_string())?;
    serde_json::to_string(&list).map_err(|e| e.to_string())
}

/// `schema` (the companion module `validator_wasm_schema`): the JSON Schema (draft 2020-12)
/// of a (jurisdiction, form).
pub fn schema_of(jurisdiction: &str, form: &str) -> Result<Value, String> {
    validator_core::schema::schema(jurisdiction, form).map_err(|e| e.to_string())
}

/// `forms`: the jurisdictions and the forms each offers, in spec order.
pub fn forms() -> Vec<PackInfo> {
    validator_core::info::forms()
}

/// `ruleInfo`: the documentation entry of a rule (`None`: unknown ID → `undefined` in JS).
pub fn rule_info(id: &str) -> Option<RuleInfo> {
    validator_core::info::rule_info(id)
}

/// `ruleSet`: the built-in rule set's version and digest (the `rule_set` of every report).
pub fn rule_set() -> &'static RuleSetId {
    validator_core::rule_set()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTIAL: &str = r#"{"submission_date": "2025-09-15"}"#;

    /// A (jurisdiction, form) on offer, whatever packs are finished.
    fn offered() -> (&'static str, &'static str) {
        let packs = forms();
        let p = packs
            .iter()
            .find(|p| !p.forms.is_empty())
            .expect("at least one pack offers a form");
        (p.jurisdiction, p.forms[0].form)
    }

    #[test]
    fn text_gives_the_core_canonical_json() {
        let (j, f) = offered();
        let text = validate_text(j, f, PARTIAL).unwrap();
        let core = validator_core::validate(j, f, &serde_json::from_str(PARTIAL).unwrap()).unwrap();
        assert_eq!(text, core.to_canonical_json());
        assert!(text.starts_with(r#"{"findings":["#), "sorted keys: {text}");
        assert!(!core.valid);
        assert_eq!(&core.rule_set, rule_set());
    }

    #[test]
    fn key_order_and_duplicates_do_not_matter() {
        let (j, f) = offered();
        let a = validate_text(
            j,
            f,
            r#"{"project_name": "x", "submission_date": "2025-09-15"}"#,
        );
        let b = validate_text(
            j,
            f,
            r#"{"submission_date": "1999-99-99", "project_name": "x", "submission_date": "2025-09-15"}"#,
        );
        assert_eq!(
            a, b,
            "JSON.stringify order is irrelevant; the last duplicate wins"
        );
    }

    #[test]
    fn malformed_json_is_the_core_message() {
        let (j, f) = offered();
        let e = validate_text(j, f, "{\"submission_date\": ").unwrap_err();
        assert!(e.starts_with("malformed JSON: "), "{e}");
        assert!(e.contains("line 1"), "says where: {e}");
        assert_eq!(
            checklist_text(j, f, "{").unwrap_err(),
            validate_text(j, f, "{").unwrap_err()
        );
    }

    #[test]
    fn unknown_jurisdiction_and_form() {
        let e = validate_text("atlantis", "apply", "{}").unwrap_err();
        assert!(
            e.contains("unknown jurisdiction") && e.contains("atlantis"),
            "{e}"
        );
        let e = validate_text("potou", "nope", "{}").unwrap_err();
        assert!(e.contains("unknown form") && e.contains("nope"), "{e}");
        assert!(schema_of("atlantis", "apply")
            .unwrap_err()
            .contains("unknown jurisdiction"));
        assert!(checklist_text("atlantis", "apply", "{}")
            .unwrap_err()
            .contains("unknown jurisdiction"));
    }

    #[test]
    fn form_not_offered() {
        let all = validator_core::model::FormKind::ALL;
        let missing = forms().iter().find_map(|p| {
            all.iter()
                .find(|f| !p.forms.iter().any(|x| x.form == f.key()))
                .map(|f| (p.jurisdiction, f.key()))
        });
        let (j, f) = missing.expect("some pack does not offer some form");
        let e = validate_text(j, f, "{}").unwrap_err();
        assert_eq!(
            e,
            validator_core::ValidateError::FormNotOffered {
                jurisdiction: j.into(),
                form: f.into()
            }
            .to_string()
        );
    }

    #[test]
    fn data_must_be_an_object() {
        let (j, f) = offered();
        for text in ["[]", "42", "\"x\"", "null"] {
            assert_eq!(
                validate_text(j, f, text).unwrap_err(),
                "data must be a JSON object",
                "{text}"
            );
            assert_eq!(
                checklist_text(j, f, text).unwrap_err(),
                "data must be a JSON object"
            );
        }
    }

    #[test]
    fn catalog_queries() {
        let packs = forms();
        let ids: Vec<_> = packs.iter().map(|p| p.jurisdiction).collect();
        assert_eq!(ids, ["potou", "bazhong", "gaogang", "pingyang", "jianshan"]);
        let info = rule_info("common.any.required-field").expect("a product rule");
        assert_eq!(info.id, "common.any.required-field");
        assert!(rule_info("no.such.rule").is_none());
        assert_eq!(rule_set().version, validator_core::RULE_SET_VERSION);
        assert!(
            rule_set().digest.starts_with("sha256:"),
            "{}",
            rule_set().digest
        );
    }

    #[test]
    fn checklist_and_schema_answer_for_an_offered_form() {
        let (j, f) = offered();
        let text = checklist_text(j, f, PARTIAL).unwrap();
        let core = validator_core::checklist::checklist(
            Validator::builtin(),
            j,
            f,
            &serde_json::from_str(PARTIAL).unwrap(),
        )
        .unwrap();
        assert_eq!(text, serde_json::to_string(&core).unwrap());
        let s = schema_of(j, f).unwrap();
        assert!(s.is_object(), "{s}");
    }
}
