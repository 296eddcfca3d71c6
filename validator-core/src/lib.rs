//! # validator-core
//!
//! The forms, rule packs, engine and report of shenbao, the checker for the filings (申报表) of
//! government IT projects. One function turns (jurisdiction, form, data) into the report of
//! `spec/report.md`; the browser (WebAssembly), the command line and the HTTP service all call it.
//!
//! Pure by construction: no I/O, no clock, no threads; builds for `wasm32-unknown-unknown`.
//!
//! ```
//! let data = serde_json::json!({"submission_date": "2025-09-15"});
//! let report = validator_core::validate("potou", "apply", &data).unwrap();
//! assert!(!report.valid);
//! assert!(report.findings.iter().any(|f| f.rule == "common.any.required-field"));
//! ```

mod builtin_calendar;
mod builtin_digest;
pub mod calendar;
pub mod checklist;
pub mod date;
pub mod decimal;
mod digest;
pub mod docs;
pub mod dsl;
pub mod engine;
pub mod formats;
pub mod info;
pub mod json;
pub mod model;
pub mod packs;
pub mod precompiled;
pub mod report;
pub mod schema;
mod sort;

pub use calendar::Calendar;
pub use date::Date;
pub use engine::{ValidateError, Validator, RULE_SET_VERSION};
pub use report::{Citation, Finding, Message, Report, RuleSetId};

/// Validates with the built-in calendar. See [`Validator::validate`].
pub fn validate(
    jurisdiction: &str,
    form: &str,
    data: &serde_json::Value,
) -> Result<Report, ValidateError> {
    Validator::builtin().validate(jurisdiction, form, data)
}

/// Parses JSON text and validates it; the fastest entry point for text input (wasm, CLI, HTTP).
pub fn validate_json(jurisdiction: &str, form: &str, text: &str) -> Result<Report, InputError> {
    let data = json::J::parse(text).map_err(|e| InputError::Json(e.to_string()))?;
    Ok(Validator::builtin().validate_doc(jurisdiction, form, &data)?)
}

/// Input that could not be validated: bad JSON text, or a [`ValidateError`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error(transparent)]
    Validate(#[from] ValidateError),
}

/// The built-in rule set's version and digest.
pub fn rule_set() -> &'static RuleSetId {
    Validator::builtin().rule_set()
}
