//! The checklist agrees with the rules on every shared case: the documents it lists as missing
//! are exactly those whose rules fire in the case's report, and vice versa.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;
use validator_core::checklist::{checklist, is_attachment_rule};
use validator_core::engine::{compiled, resolve};
use validator_core::Validator;

fn cases() -> Vec<Value> {
    let dir = std::env::var_os("SHENBAO_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/cases"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            serde_json::from_str::<Vec<Value>>(&std::fs::read_to_string(f).unwrap()).unwrap()
        })
        .collect()
}

#[test]
fn checklist_names_exactly_the_documents_the_firing_rules_require() {
    let v = Validator::builtin();
    let mut checked = 0;
    let mut failures = Vec::new();
    for c in cases() {
        let (id, j, f) = (
            c["id"].as_str().unwrap(),
            c["jurisdiction"].as_str().unwrap(),
            c["form"].as_str().unwrap(),
        );
        let Ok((pack, form)) = resolve(j, f) else {
            continue;
        };
        let comp = compiled(pack, form).unwrap();
        let report = v.validate(j, f, &c["data"]).unwrap();
        let list = checklist(v, j, f, &c["data"]).unwrap();
        // rules behind documents the checklist says are missing
        let from_checklist: BTreeSet<String> = list
            .items
            .iter()
            .filter(|i| !i.attached)
            .flat_map(|i| i.reasons.iter().map(|r| r.rule.clone()))
            .collect();
        // Oracle through the public surface: attach one file of every kind and re-validate. An
        // attachment rule that fired and disappears did so because documents were missing.
        let mut full = c["data"].clone();
        let mut atts = full["attachments"].as_array().cloned().unwrap_or_default();
        for kind in validator_core::model::enum_def("attachment_kind")
            .unwrap()
            .values
        {
            atts.push(json!({"kind": kind.0, "file_name": format!("{}.pdf", kind.0)}));
        }
        full["attachments"] = Value::Array(atts);
        let with_all = v.validate(j, f, &full).unwrap();
        let is_att_rule = |rule: &str, paths: &[String]| {
            comp.rules
                .iter()
                .any(|cr| cr.rule.id == rule && is_attachment_rule(&cr.cond))
                || (rule == "common.any.required-field" && paths == ["/attachments"])
        };
        let fired: BTreeSet<String> = report
            .findings
            .iter()
            .filter(|fd| is_att_rule(&fd.rule, &fd.paths))
            .map(|fd| fd.rule.clone())
            .collect();
        let still: BTreeSet<String> = with_all
            .findings
            .iter()
            .filter(|fd| is_att_rule(&fd.rule, &fd.paths))
            .map(|fd| fd.rule.clone())
            .collect();
        let missing_docs: BTreeSet<String> = fired.difference(&still).cloned().collect();
        // every rule the checklist cites for a missing document fires in the report …
        if !from_checklist.is_subset(&fired) {
            failures.push(format!(
                "{id}: checklist cites {from_checklist:?}, not all fired ({fired:?})"
            ));
        }
        // … and every rule that fired for missing documents is behind a checklist item
        if !missing_docs.is_subset(&from_checklist) {
            failures.push(format!("{id}: rules firing for missing documents {missing_docs:?} not all in checklist {from_checklist:?}"));
        }
        // attached flags are true to the data
        let kinds: BTreeSet<&str> = c["data"]["attachments"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["kind"].as_str())
            .collect();
        for item in &list.items {
            if item.attached != kinds.contains(item.kind.as_str()) {
                failures.push(format!("{id}: {} attached flag wrong", item.kind));
            }
        }
        checked += 1;
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn partial_data_lists_what_the_rules_will_need() {
    let v = Validator::builtin();
    let data = json!({"filing_stage": "approval", "approval_document": "project_plan", "involves_new_fiscal_funds": true, "service_scope": "professional"});
    let list = checklist(v, "potou", "apply", &data).unwrap();
    let kinds: Vec<&str> = list.items.iter().map(|i| i.kind.as_str()).collect();
    for k in [
        "project_plan",
        "internal_review_opinion",
        "secure_reliable_statement",
        "data_resource_catalog",
        "opinion_finance",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    let plan = list
        .items
        .iter()
        .find(|i| i.kind == "project_plan")
        .unwrap();
    assert!(plan.required && !plan.attached && plan.label == "项目方案");
    assert!(plan
        .reasons
        .iter()
        .any(|r| r.rule == "potou.apply.plan-and-internal-review"
            && r.citation
                .as_ref()
                .is_some_and(|c| c.article.contains("第十一条"))));
    let srs = list
        .items
        .iter()
        .find(|i| i.kind == "secure_reliable_statement")
        .unwrap();
    assert!(!srs.required, "a warning-level rule only recommends");
    // public-class approval-track filings need no internal review (第十二条)
    let data = json!({"filing_stage": "approval", "service_scope": "public"});
    let list = checklist(v, "potou", "apply", &data).unwrap();
    assert!(!list
        .items
        .iter()
        .any(|i| i.kind == "internal_review_opinion"));
    // and an empty filing still gets the unconditional documents
    let list = checklist(v, "potou", "apply", &json!({})).unwrap();
    assert!(list.items.iter().any(|i| i.kind == "project_plan"));
}
