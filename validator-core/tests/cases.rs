//! Every shared case (`../shared/cases/*.json`, or `$SHENBAO_CASES`) through the core: the sets of
//! error and warning rule IDs and the `valid` flag must equal the expectation. Generic over forms:
//! a case of any form runs the same way.

use serde_json::Value;
use std::path::PathBuf;

fn cases_dir() -> PathBuf {
    std::env::var_os("SHENBAO_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/cases"))
}

fn load_cases() -> Vec<Value> {
    let dir = cases_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read cases at {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable case file");
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        out.extend(
            v.as_array()
                .expect("a case file is an array")
                .iter()
                .cloned(),
        );
    }
    out
}

fn ids(v: &Value) -> Vec<String> {
    let mut v: Vec<String> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(String::from))
        .collect();
    v.sort();
    v
}

#[test]
fn every_shared_case_passes_through_the_core() {
    let only: Option<Vec<String>> = std::env::var("SHENBAO_ONLY")
        .ok()
        .map(|s| s.split(',').map(String::from).collect());
    let cases = load_cases();
    assert!(!cases.is_empty(), "no cases found");
    let mut failures = Vec::new();
    let mut ran = 0;
    for c in &cases {
        let (id, j, f) = (
            c["id"].as_str().unwrap(),
            c["jurisdiction"].as_str().unwrap(),
            c["form"].as_str().unwrap(),
        );
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|x| id.starts_with(x.as_str())))
        {
            continue;
        }
        ran += 1;
        let report = match validator_core::validate(j, f, &c["data"]) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{id}: refused: {e}"));
                continue;
            }
        };
        let got_e: Vec<String> = report
            .rules_with("error")
            .into_iter()
            .map(String::from)
            .collect();
        let got_w: Vec<String> = report
            .rules_with("warning")
            .into_iter()
            .map(String::from)
            .collect();
        let (want_e, want_w) = (ids(&c["expect"]["errors"]), ids(&c["expect"]["warnings"]));
        let want_valid = c["expect"]["valid_for_final_submission"].as_bool().unwrap();
        if got_e != want_e || got_w != want_w || report.valid != want_valid {
            failures.push(format!(
                "{id} ({j}/{f}):\n   errors   want {want_e:?}\n            got  {got_e:?}\n   warnings want {want_w:?}\n            got  {got_w:?}\n   valid want {want_valid} got {}",
                report.valid
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{ran} cases passed");
}

#[test]
fn non_object_list_entries_are_malformed_not_a_crash() {
    use serde_json::json;
    for (field, val) in [
        ("participating_departments", json!(["x", 1, null])),
        (
            "annual_funding_plan",
            json!([1, {"year": 2026, "amount_wan": "1.00"}]),
        ),
        ("funding_sources", json!([[]])),
    ] {
        let mut data = json!({"is_cross_department": true, "total_investment_wan": "1.00"});
        data[field] = val;
        for j in ["potou", "bazhong", "gaogang", "pingyang", "jianshan"] {
            let r = validator_core::validate(j, "apply", &data).unwrap();
            assert!(
                r.findings
                    .iter()
                    .any(|f| f.rule == "common.any.field-format"
                        && f.paths[0].starts_with(&format!("/{field}/"))),
                "{j} {field}"
            );
        }
    }
}

#[test]
fn members_of_a_malformed_object_do_not_trigger_absence_sensitive_rules() {
    use serde_json::json;
    let data = json!({"acceptance_stage": "final", "service_scope": "professional", "approval_track": "approval", "conformity_review": "yes"});
    let r = validator_core::validate("potou", "accept", &data).unwrap();
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "common.any.field-format" && f.paths == ["/conformity_review"]));
    assert!(!r
        .findings
        .iter()
        .any(|f| f.rule == "potou.accept.conformity-review-required"));
    // …while an absent object does (the rule reads `conformity_review.passed is not true`)
    let data = json!({"acceptance_stage": "final", "service_scope": "professional", "approval_track": "approval"});
    let r = validator_core::validate("potou", "accept", &data).unwrap();
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "potou.accept.conformity-review-required"));
}

#[test]
fn pack_data_is_consistent_with_the_model() {
    use validator_core::model::{all_fields, enum_def, FormKind, T};
    use validator_core::packs::PACKS;
    for p in PACKS {
        for (key, codes) in p.restrict {
            let (form, path) = key.split_once('.').expect("form.field");
            let form = FormKind::from_key(form)
                .unwrap_or_else(|| panic!("{}: unknown form in {key}", p.id));
            let field = all_fields(form)
                .find(|f| f.path == path)
                .unwrap_or_else(|| panic!("{}: unknown field {key}", p.id));
            let (T::Enum(e) | T::Multi(e, _)) = field.ty else {
                panic!("{}: {key} is not an enum", p.id)
            };
            let domain = enum_def(e).expect("enum");
            for c in *codes {
                assert!(
                    domain.values.iter().any(|(v, _)| v == c),
                    "{}: {key} restricts to unknown code {c}",
                    p.id
                );
            }
            assert!(
                p.offers(form),
                "{}: restricts a form it does not offer ({key})",
                p.id
            );
        }
        for (form, path, _) in p.require {
            assert!(
                p.offers(*form),
                "{}: requires {path} on a form it does not offer",
                p.id
            );
        }
        for r in p.rules {
            if let Some(f) = validator_core::packs::rule_form(r.id) {
                assert!(
                    p.offers(f),
                    "{}: rule {} is for a form the pack does not offer",
                    p.id,
                    r.id
                );
            }
            assert!(
                r.id.starts_with(&format!("{}.", p.id)),
                "{} is filed under {}",
                r.id,
                p.id
            );
        }
    }
    validator_core::Validator::check_rule_data().expect("every offered (pack, form) compiles");
}
