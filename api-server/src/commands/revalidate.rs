//! `api-server revalidate`: re-runs stored filings against the current rules and lists those
//! whose verdict would differ (error/warning rule IDs added or removed, or another rule-set
//! digest). Stored verdicts are never altered. Exit status 0 (2 for usage or database errors).

use crate::cli::common::{self, out, Failure, Format};
use crate::cli::Exit;
use crate::db::store::{self, Cursor, Filter};
use serde::Serialize;
use std::collections::BTreeSet;
use validator_core::{Report, Validator};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only filings of this jurisdiction.
    #[arg(long, value_name = "J")]
    pub jurisdiction: Option<String>,
    /// Only filings of this form.
    #[arg(long, value_name = "F")]
    pub form: Option<String>,
    /// Output format [default: json when stdout is not a terminal, text on a terminal].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Difference {
    pub id: String,
    pub jurisdiction: String,
    pub form: String,
    pub errors_added: Vec<String>,
    pub errors_removed: Vec<String>,
    pub warnings_added: Vec<String>,
    pub warnings_removed: Vec<String>,
    pub digest_before: String,
    pub digest_now: String,
}

fn set(r: &Report, severity: &str) -> BTreeSet<String> {
    r.rules_with(severity)
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn diff(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Vec<String> {
    b.difference(a).cloned().collect()
}

/// The difference between a stored report and a fresh one, if any.
pub fn compare(id: &str, stored: &Report, now: &Report) -> Option<Difference> {
    let (e0, e1) = (set(stored, "error"), set(now, "error"));
    let (w0, w1) = (set(stored, "warning"), set(now, "warning"));
    let d = Difference {
        id: id.to_string(),
        jurisdiction: now.jurisdiction.clone(),
        form: now.form.clone(),
        errors_added: diff(&e0, &e1),
        errors_removed: diff(&e1, &e0),
        warnings_added: diff(&w0, &w1),
        warnings_removed: diff(&w1, &w0),
        digest_before: stored.rule_set.digest.clone(),
        digest_now: now.rule_set.digest.clone(),
    };
    let same = d.errors_added.is_empty()
        && d.errors_removed.is_empty()
        && d.warnings_added.is_empty()
        && d.warnings_removed.is_empty()
        && d.digest_before == d.digest_now;
    (!same).then_some(d)
}

fn text(d: &Difference) -> String {
    let mut parts = Vec::new();
    let list = |sign: &str, v: &[String]| {
        v.iter()
            .map(|r| format!("{sign}{r}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !d.errors_added.is_empty() || !d.errors_removed.is_empty() {
        parts.push(format!(
            "errors {}",
            [list("+", &d.errors_added), list("-", &d.errors_removed)]
                .join(" ")
                .trim()
        ));
    }
    if !d.warnings_added.is_empty() || !d.warnings_removed.is_empty() {
        parts.push(format!(
            "warnings {}",
            [list("+", &d.warnings_added), list("-", &d.warnings_removed)]
                .join(" ")
                .trim()
        ));
    }
    if d.digest_before != d.digest_now {
        parts.push(format!("digest {} → {}", d.digest_before, d.digest_now));
    }
    format!(
        "{} {}/{}: {}",
        d.id,
        d.jurisdiction,
        d.form,
        parts.join("; ")
    )
}

pub fn run(args: Args) -> Exit {
    match run_inner(args) {
        Ok(e) => e,
        Err(f) => {
            f.print();
            Exit::Input
        }
    }
}

fn run_inner(args: Args) -> Result<Exit, Failure> {
    if let Some(j) = &args.jurisdiction {
        if validator_core::packs::pack(j).is_none() {
            return Err(Failure::new(
                "--jurisdiction",
                format!("unknown jurisdiction {j:?}"),
            ));
        }
    }
    if let Some(f) = &args.form {
        if validator_core::model::FormKind::from_key(f).is_none() {
            return Err(Failure::new("--form", format!("unknown form {f:?}")));
        }
    }
    let validator = Validator::new(common::load_calendar(&[])?);
    let format = Format::or_default(args.format);
    let mut conn = super::connect()?;
    let filter = Filter {
        jurisdiction: args.jurisdiction.into_iter().collect(),
        form: args.form,
        ..Filter::default()
    };
    let (mut checked, mut differ, mut unreadable) = (0usize, 0usize, 0usize);
    let mut after: Option<Cursor> = None;
    loop {
        let page = store::scan(&mut conn, &filter, after.as_ref(), 200)
            .map_err(|e| Failure::new("database", e))?;
        let Some(last) = page.last() else { break };
        after = Some((last.created_at, last.id.clone()));
        for s in &page {
            checked += 1;
            let stored: Result<Report, _> = serde_json::from_str(&s.report);
            let data: Result<serde_json::Value, _> = serde_json::from_str(&s.data);
            let (Ok(stored), Ok(data)) = (stored, data) else {
                unreadable += 1;
                Failure::new(&s.id, "stored report or data does not parse").print();
                continue;
            };
            let now = match validator.validate(&s.jurisdiction, &s.form, &data) {
                Ok(r) => r,
                Err(e) => {
                    unreadable += 1;
                    Failure::new(&s.id, e).print();
                    continue;
                }
            };
            if let Some(d) = compare(&s.id, &stored, &now) {
                differ += 1;
                match format {
                    Format::Json => out(serde_json::to_string(&d).map_err(Failure::bare)?),
                    Format::Text => out(text(&d)),
                }
            }
        }
    }
    eprintln!("revalidated {checked} filing(s): {differ} differ from their stored verdict, {unreadable} could not be re-run; stored verdicts unchanged");
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_list_rules_added_and_removed() {
        let a =
            validator_core::validate("potou", "apply", &json!({"submission_date": "2025-09-15"}))
                .unwrap();
        assert_eq!(compare("x", &a, &a), None);
        let mut b = a.clone();
        b.findings.retain(|f| f.rule != "common.any.required-field");
        b.rule_set.digest = "sha256:other".into();
        let d = compare("x", &b, &a).unwrap();
        assert_eq!(
            d.errors_added,
            vec!["common.any.required-field".to_string()]
        );
        assert!(d.errors_removed.is_empty());
        assert!(text(&d).contains("+common.any.required-field"));
        assert!(text(&d).contains("digest sha256:other →"));
    }
}
