//! The second check: every incoming filing is also validated against the published JSON Schema of
//! its (pack, form) with the `jsonschema` crate, and the schema's verdict is compared with the
//! engine's field-level findings, path by path. A disagreement is a defect of the schema
//! generator or of the engine: it is logged (pack, form and paths — never data) and counted in
//! `/metrics`; it never changes the answer of a request.
//!
//! The check runs off the request path ([`SchemaChecker::background`]): the handler answers as
//! soon as the engine has judged, and hands the filing to one checker thread over a bounded
//! queue. When the checker falls behind (overload), the check of that filing is skipped and
//! counted (`shenbao_schema_checks_total{result="skipped"}`) rather than slowing intake or
//! growing memory. A filing the engine found no field-level problem with takes the fast path
//! (`is_valid`, no error collection).
//!
//! Mapping (the same idea as `tests/tests/schema_agreement.rs`): a schema error's instance
//! pointer — for `required`, parent + "/" + property — is cut back to the field (or list entry)
//! it belongs to, using the compiled field table; the engine's findings of the field-level rules
//! the schema expresses give their paths directly. The two sets of pointers must be equal,
//! except where the schema lists a requirement as untranslatable.

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use validator_core::dsl::FieldInfo;
use validator_core::engine::{compiled, resolve};
use validator_core::model::T;
use validator_core::{schema, Report};

/// The engine's field-level rules that the schema expresses (spec §3.1).
const COMPARED: &[&str] = &[
    "common.any.required-field",
    "common.any.field-format",
    "common.any.credit-code-format",
    "common.any.mobile-format",
    "common.any.landline-format",
    "common.any.email-format",
    "common.any.amount-format",
];

struct Compiled {
    validator: jsonschema::Validator,
    fields: &'static [FieldInfo],
    untranslatable: Vec<String>,
}

/// (jurisdiction, form) → its compiled schema (`None`: unavailable, logged once).
type Cache = HashMap<(String, String), Option<Arc<Compiled>>>;

/// Lazily compiled schemas, one per (pack, form), and the background checker's queue.
#[derive(Default)]
pub struct SchemaChecker {
    cache: Arc<Mutex<Cache>>,
    queue: Option<SyncSender<Job>>,
}

/// A filing waiting for its second check.
struct Job {
    jurisdiction: String,
    form: String,
    /// The filing's data as JSON text.
    data: String,
    report: Report,
}

/// What the comparison found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Disagreement {
    /// Pointers only the engine reported.
    pub engine_only: Vec<String>,
    /// Pointers only the schema reported.
    pub schema_only: Vec<String>,
}

impl SchemaChecker {
    /// A checker whose [`SchemaChecker::submit`] hands filings to a background thread over a
    /// queue of `capacity` filings.
    pub fn background(capacity: usize) -> Result<SchemaChecker, String> {
        let (tx, rx) = sync_channel::<Job>(capacity);
        let worker = SchemaChecker {
            cache: Arc::default(),
            queue: None,
        };
        let checker = SchemaChecker {
            cache: worker.cache.clone(),
            queue: Some(tx),
        };
        std::thread::Builder::new()
            .name("shenbao-schema-check".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    worker.check_text(&job.jurisdiction, &job.form, &job.data, &job.report);
                    crate::metrics::get().schema_check_done();
                }
            })
            .map_err(|e| format!("cannot start the schema checker: {e}"))?;
        Ok(checker)
    }

    /// Queues the second check of a filing (`data`: its JSON text); never blocks. Without a
    /// background thread (tests) the check runs at once.
    pub fn submit(&self, j: &str, f: &str, data: String, report: &Report) {
        let m = crate::metrics::get();
        let Some(tx) = &self.queue else {
            self.check_text(j, f, &data, report);
            return;
        };
        m.schema_check_queued();
        let job = Job {
            jurisdiction: j.to_string(),
            form: f.to_string(),
            data,
            report: report.clone(),
        };
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) = tx.try_send(job) {
            m.schema_check_done();
            m.schema_check("skipped");
        }
    }

    /// The second check of a filing given as JSON text, counted by result.
    fn check_text(&self, j: &str, f: &str, data: &str, report: &Report) {
        let m = crate::metrics::get();
        match serde_json::from_str::<Value>(data) {
            Ok(v) => {
                let d = self.check(j, f, &v, report);
                m.schema_check(if d.is_some() { "disagreed" } else { "agreed" });
            }
            Err(e) => {
                tracing::error!(error = %e, "second check: the filing's data does not parse");
                m.schema_check("failed");
            }
        }
    }

    fn get(&self, j: &str, f: &str) -> Option<Arc<Compiled>> {
        let key = (j.to_string(), f.to_string());
        if let Some(c) = self.cache.lock().ok()?.get(&key) {
            return c.clone();
        }
        let built = build(j, f);
        if let Err(e) = &built {
            tracing::warn!(jurisdiction = j, form = f, error = %e, "schema second check unavailable for this form");
        }
        let c = built.ok().map(Arc::new);
        self.cache.lock().ok()?.insert(key, c.clone());
        c
    }

    /// Compares the schema's verdict on `data` with the engine's `report`. `None`: they agree
    /// (or no schema is available). Logs and counts a disagreement.
    pub fn check(&self, j: &str, f: &str, data: &Value, report: &Report) -> Option<Disagreement> {
        let c = self.get(j, f)?;
        let d = compare(&c, data, report)?;
        crate::metrics::get().disagreement(j, f);
        tracing::warn!(
            jurisdiction = j,
            form = f,
            engine_only = ?d.engine_only,
            schema_only = ?d.schema_only,
            "defect: the JSON Schema and the engine disagree on a filing"
        );
        Some(d)
    }
}

fn build(j: &str, f: &str) -> Result<Compiled, String> {
    let (pack, kind) = resolve(j, f).map_err(|e| e.to_string())?;
    let table = compiled(pack, kind)?;
    let s = schema::schema(j, f).map_err(|e| e.to_string())?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&s)
        .map_err(|e| format!("the published schema does not compile: {e}"))?;
    Ok(Compiled {
        validator,
        fields: &table.table.fields,
        untranslatable: schema::untranslatable(j, f),
    })
}

fn child(fields: &[FieldInfo], parent: Option<usize>, key: &str) -> Option<usize> {
    fields
        .iter()
        .position(|x| x.parent == parent && x.key == key && !matches!(x.ty, T::Attachment))
}

fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

/// Cuts an instance pointer back to the field (or list entry) it belongs to.
fn field_pointer(fields: &[FieldInfo], ptr: &str) -> String {
    let raw: Vec<&str> = ptr.split('/').skip(1).collect();
    let mut out: Vec<&str> = Vec::new();
    let mut cur: Option<usize> = None;
    let mut i = 0;
    while i < raw.len() {
        let seg = raw[i];
        match cur.map(|c| fields[c].ty) {
            Some(T::List(_)) if seg.parse::<usize>().is_ok() => {
                out.push(seg);
                i += 1;
                match raw.get(i).and_then(|k| child(fields, cur, &unescape(k))) {
                    Some(k) => {
                        out.push(raw[i]);
                        cur = Some(k);
                        i += 1;
                    }
                    None => break,
                }
            }
            None | Some(T::Object) => match child(fields, cur, &unescape(seg)) {
                Some(k) => {
                    out.push(seg);
                    cur = Some(k);
                    i += 1;
                }
                None => break,
            },
            _ => break,
        }
    }
    out.iter().map(|s| format!("/{s}")).collect()
}

/// The canonical field path (`a[].b`) of a pointer.
fn canonical(ptr: &str) -> String {
    let mut out = String::new();
    for s in ptr.split('/').skip(1) {
        if s.parse::<usize>().is_ok() {
            out.push_str("[]");
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&unescape(s));
        }
    }
    out
}

fn compare(c: &Compiled, data: &Value, report: &Report) -> Option<Disagreement> {
    let engine: BTreeSet<String> = report
        .findings
        .iter()
        .filter(|f| COMPARED.contains(&f.rule.as_str()))
        .flat_map(|f| f.paths.iter().cloned())
        .collect();
    // Fast path: no field-level finding and a valid instance agree without collecting errors.
    if engine.is_empty() && c.validator.is_valid(data) {
        return None;
    }
    let mut schema_paths = BTreeSet::new();
    for e in c.validator.iter_errors(data) {
        let mut ptr = e.instance_path().as_str().to_string();
        if let jsonschema::error::ValidationErrorKind::Required { property } = e.kind() {
            let p = property
                .as_str()
                .unwrap_or_default()
                .replace('~', "~0")
                .replace('/', "~1");
            ptr = format!("{ptr}/{p}");
        }
        schema_paths.insert(field_pointer(c.fields, &ptr));
    }
    if engine == schema_paths {
        return None;
    }
    let excused = |p: &String| {
        let canon = canonical(p);
        c.untranslatable
            .iter()
            .any(|u| u.starts_with(&format!("{canon}（")))
    };
    let engine_only: Vec<String> = engine
        .difference(&schema_paths)
        .filter(|p| !excused(p))
        .cloned()
        .collect();
    let schema_only: Vec<String> = schema_paths.difference(&engine).cloned().collect();
    if engine_only.is_empty() && schema_only.is_empty() {
        return None;
    }
    Some(Disagreement {
        engine_only,
        schema_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn agreement_on_an_empty_filing_and_a_noticed_disagreement() {
        let checker = SchemaChecker::default();
        let data = json!({"submission_date": "2025-09-15"});
        let report = validator_core::validate("potou", "apply", &data).unwrap();
        assert_eq!(checker.check("potou", "apply", &data, &report), None);
        // A report that forgot a finding: the schema still sees the missing fields.
        let mut wrong = report.clone();
        wrong
            .findings
            .retain(|f| f.rule != "common.any.required-field");
        let d = checker
            .check("potou", "apply", &data, &wrong)
            .expect("disagreement");
        assert!(d.engine_only.is_empty());
        assert!(!d.schema_only.is_empty());
        assert!(crate::metrics::get().disagreements_total() >= 1);
    }

    #[test]
    fn pointers_are_cut_back_to_their_field() {
        let c = build("potou", "apply").unwrap();
        assert_eq!(
            field_pointer(c.fields, "/applicant/credit_code"),
            "/applicant/credit_code"
        );
        assert_eq!(
            field_pointer(c.fields, "/applicant/credit_code/x"),
            "/applicant/credit_code"
        );
        assert_eq!(field_pointer(c.fields, "/nonexistent"), "");
        assert_eq!(
            canonical("/budget_items/3/original_wan"),
            "budget_items[].original_wan"
        );
    }
}
