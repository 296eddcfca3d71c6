//! The validation report of `spec/report.md`, identical on every surface.
//!
//! Fields are declared in alphabetical order, so `serde_json` writes sorted keys regardless of
//! the `preserve_order` feature: [`Report::to_canonical_json`] is the canonical form that the
//! cross-surface tests compare byte for byte.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub form: String,
    pub jurisdiction: String,
    pub rule_set: RuleSetId,
    pub valid: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub struct RuleSetId {
    pub digest: String,
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub citation: Option<Citation>,
    pub exempted: bool,
    pub message: Message,
    pub paths: Vec<String>,
    pub rule: String,
    pub severity: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub en: String,
    pub zh: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub article: String,
    pub document: String,
    pub source: Option<String>,
}

impl Report {
    /// The canonical serialization: compact JSON, keys sorted, UTF-8 unescaped.
    pub fn to_canonical_json(&self) -> String {
        // (no `expect`: it would format the error with `Debug`, ~4 KB of code in the browser module)
        serde_json::to_string(self).unwrap_or_else(|e| panic!("a report always serializes: {e}"))
    }

    /// Distinct rule IDs among findings of a severity, sorted (the shape of test expectations).
    pub fn rules_with(&self, severity: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| f.rule.as_str())
            .collect();
        crate::sort::sort_by(&mut v, |a, b| a.cmp(b));
        v.dedup();
        v
    }
}

fn sev_rank(s: &str) -> u8 {
    match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// Report order: severity (error, warning, info), rule ID, first path.
pub fn sort_findings(f: &mut Vec<Finding>) {
    crate::sort::sort_by(f, |a, b| {
        sev_rank(&a.severity)
            .cmp(&sev_rank(&b.severity))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.paths.first().cmp(&b.paths.first()))
    });
}
