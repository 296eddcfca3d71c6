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
    /// The canonical serialization: compact JSON, keys sorted, UTF-8 unescaped — byte for byte
    /// what `serde_json::to_string` writes for the report (tests/report_json.rs checks it).
    ///
    /// Written by hand: nearly every string of a report (messages, citations, rule IDs, paths)
    /// needs no escaping, which is checked eight bytes at a time here, while `serde_json` looks
    /// every byte up in its escape table — a sixteenth of a validation in the browser.
    pub fn to_canonical_json(&self) -> String {
        let mut w = String::with_capacity(200 + 600 * self.findings.len());
        w.push_str("{\"findings\":[");
        for (i, f) in self.findings.iter().enumerate() {
            if i > 0 {
                w.push(',');
            }
            w.push_str("{\"citation\":");
            match &f.citation {
                None => w.push_str("null"),
                Some(c) => {
                    key_str(&mut w, "{\"article\":", &c.article);
                    key_str(&mut w, ",\"document\":", &c.document);
                    match &c.source {
                        None => w.push_str(",\"source\":null"),
                        Some(s) => key_str(&mut w, ",\"source\":", s),
                    }
                    w.push('}');
                }
            }
            w.push_str(if f.exempted {
                ",\"exempted\":true"
            } else {
                ",\"exempted\":false"
            });
            key_str(&mut w, ",\"message\":{\"en\":", &f.message.en);
            key_str(&mut w, ",\"zh\":", &f.message.zh);
            w.push_str("},\"paths\":[");
            for (j, p) in f.paths.iter().enumerate() {
                key_str(&mut w, if j > 0 { "," } else { "" }, p);
            }
            key_str(&mut w, "],\"rule\":", &f.rule);
            key_str(&mut w, ",\"severity\":", &f.severity);
            w.push('}');
        }
        key_str(&mut w, "],\"form\":", &self.form);
        key_str(&mut w, ",\"jurisdiction\":", &self.jurisdiction);
        key_str(&mut w, ",\"rule_set\":{\"digest\":", &self.rule_set.digest);
        key_str(&mut w, ",\"version\":", &self.rule_set.version);
        w.push_str(if self.valid {
            "},\"valid\":true}"
        } else {
            "},\"valid\":false}"
        });
        w
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

/// `prefix` then `s` as a JSON string: as is when nothing needs escaping, else as `serde_json`
/// escapes it.
fn key_str(w: &mut String, prefix: &str, s: &str) {
    w.push_str(prefix);
    if crate::json::is_plain(s) {
        w.push('"');
        w.push_str(s);
        w.push('"');
    } else {
        // a `&str` always serializes
        w.push_str(&serde_json::to_string(s).unwrap_or_default());
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
