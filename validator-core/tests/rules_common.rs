//! The `common` pack and the engine semantics it rests on, test by test from the spec text
//! (`shared/spec/domain.md` §0, §2, §3.1 and `shared/spec/report.md`), never from what the code
//! happens to do.
//!
//! Each test takes a valid shared case (`shared/cases/*.json`) as its base document, mutates it
//! with serde_json, and asserts exact rule IDs, severities, `paths` (RFC 6901 pointers) and
//! `exempted`. A few tests drive the rule language (`dsl`) directly, for the §0.5 clarifications
//! that no common rule exercises (`not`, `is not`, `absent`, `some`/`no`, Σ), and the holiday
//! calendar against the §0.6 table.

use serde_json::{json, Value};
use validator_core::calendar::Calendar;
use validator_core::date::Date;
use validator_core::dsl::{Compiler, Ctx, Def, Doc, Val};
use validator_core::engine::{compiled, COMMON_DEFS};
use validator_core::model::FormKind;
use validator_core::{packs, Finding, Report};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

mod support;

/// A shared case by ID: (jurisdiction, form, data).
fn case(id: &str) -> (&'static str, &'static str, Value) {
    let c = support::shared_case(id);
    let j = validator_core::packs::PACKS
        .iter()
        .map(|p| p.id)
        .find(|j| c["jurisdiction"] == *j)
        .expect("known jurisdiction");
    let f = FormKind::ALL
        .iter()
        .map(|f| f.key())
        .find(|f| c["form"] == *f)
        .expect("known form");
    (j, f, c["data"].clone())
}

fn run(j: &str, f: &str, data: &Value) -> Report {
    validator_core::validate(j, f, data).expect("validates")
}

/// A base case that the spec expects to be clean (no error, no warning) — checked here so that
/// every later expectation is a difference from a known-clean state.
fn clean(id: &str) -> (&'static str, &'static str, Value) {
    let (j, f, d) = case(id);
    let r = run(j, f, &d);
    let noisy: Vec<_> = r
        .findings
        .iter()
        .filter(|x| x.severity != "info")
        .map(|x| (&x.rule, &x.paths))
        .collect();
    assert!(noisy.is_empty(), "{id} is not clean: {noisy:?}");
    (j, f, d)
}

fn of<'r>(r: &'r Report, rule: &str) -> Vec<&'r Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

/// The path lists of the findings of one rule, in report order.
fn paths(r: &Report, rule: &str) -> Vec<Vec<String>> {
    of(r, rule).iter().map(|f| f.paths.clone()).collect()
}

/// Single-path findings of a field-level rule, as a sorted list of pointers.
fn field_paths(r: &Report, rule: &str) -> Vec<String> {
    let mut v: Vec<String> = of(r, rule)
        .iter()
        .map(|f| {
            assert_eq!(
                f.paths.len(),
                1,
                "field-level finding names one path: {f:?}"
            );
            f.paths[0].clone()
        })
        .collect();
    v.sort();
    v
}

/// Distinct rule IDs reported with a severity (the shape of the case expectations).
fn ids(r: &Report, severity: &str) -> Vec<String> {
    r.rules_with(severity)
        .into_iter()
        .map(String::from)
        .collect()
}

fn fires(r: &Report, rule: &str) -> bool {
    r.findings.iter().any(|f| f.rule == rule)
}

/// Sets the value at a JSON Pointer, creating the last member (the parent must exist).
fn set(d: &mut Value, ptr: &str, v: Value) {
    let (parent, key) = ptr.rsplit_once('/').expect("pointer");
    let p = d
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no parent {parent}"));
    match p {
        Value::Object(m) => {
            m.insert(key.to_string(), v);
        }
        Value::Array(a) => {
            let i: usize = key.parse().expect("index");
            a[i] = v;
        }
        _ => panic!("parent of {ptr} is a scalar"),
    }
}

fn del(d: &mut Value, ptr: &str) {
    let (parent, key) = ptr.rsplit_once('/').expect("pointer");
    match d.pointer_mut(parent).expect("parent") {
        Value::Object(m) => {
            m.remove(key).unwrap_or_else(|| panic!("nothing at {ptr}"));
        }
        Value::Array(a) => {
            a.remove(key.parse().expect("index"));
        }
        _ => panic!("scalar parent"),
    }
}

fn push(d: &mut Value, ptr: &str, v: Value) {
    match d.pointer_mut(ptr) {
        Some(Value::Array(a)) => a.push(v),
        Some(_) => panic!("{ptr} is not an array"),
        None => set(d, ptr, json!([v])),
    }
}

fn remove_attachment(d: &mut Value, kind: &str) {
    let a = d["attachments"].as_array_mut().expect("attachments");
    let before = a.len();
    a.retain(|x| x["kind"] != kind);
    assert_ne!(before, a.len(), "no attachment {kind}");
}

// GB 32100-2015 (spec §3.1 common.any.credit-code-check-digit), written out independently.
const CS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const W: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn weighted_sum(body: &str) -> usize {
    body.chars()
        .zip(W)
        .map(|(c, w)| CS.find(c).expect("code character") * w)
        .sum()
}

fn with_check(body: &str) -> String {
    assert_eq!(body.len(), 17);
    let idx = (31 - weighted_sum(body) % 31) % 31;
    format!("{body}{}", CS.as_bytes()[idx] as char)
}

/// The same code with a wrong 18th character.
fn wrong_check(code: &str) -> String {
    let last = code.as_bytes()[17] as char;
    let other = CS.chars().find(|c| *c != last).expect("31 characters");
    format!("{}{other}", &code[..17])
}

// ---------------------------------------------------------------------------------------------
// Report shape (report.md)
// ---------------------------------------------------------------------------------------------

#[test]
fn base_documents_are_clean() {
    for id in [
        "potou-apply-001",
        "bazhong-apply-001",
        "gaogang-apply-001",
        "pingyang-apply-001",
        "jianshan-apply-001",
        "potou-change-001",
        "gaogang-contract-001",
        "bazhong-contract-001",
        "gaogang-monitor-002",
        "bazhong-terminate-001",
        "gaogang-fund-002",
        "potou-accept-001",
        "gaogang-accept-001",
        "bazhong-accept-record-001",
        "pingyang-accept-record-001",
        "potou-self-eval-001",
    ] {
        let (j, f, d) = clean(id);
        let r = run(j, f, &d);
        assert!(r.valid, "{id}");
        assert_eq!((r.jurisdiction.as_str(), r.form.as_str()), (j, f));
    }
}

#[test]
fn findings_are_ordered_by_severity_then_rule_then_first_path() {
    let (j, f, mut d) = clean("potou-apply-001");
    // errors of several rules, several paths of one rule, and warnings
    del(&mut d, "/applicant/contact_name");
    del(&mut d, "/applicant/unit_kind");
    set(&mut d, "/applicant/contact_mobile", json!("12812345678"));
    set(&mut d, "/project_name", json!("短"));
    set(&mut d, "/planned_start_date", json!("2025-09-01")); // before submission: warning
    set(&mut d, "/annual_funding_plan/1/year", json!(2029)); // outside the period: warning
    let r = run(j, f, &d);
    let rank = |s: &str| match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    let keys: Vec<_> = r
        .findings
        .iter()
        .map(|x| (rank(&x.severity), x.rule.clone(), x.paths.first().cloned()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // required-field findings come in path order
    assert_eq!(
        paths(&r, "common.any.required-field"),
        vec![
            vec!["/applicant/contact_name".to_string()],
            vec!["/applicant/unit_kind".to_string()]
        ]
    );
    // errors first, warnings after
    let first_warning = r
        .findings
        .iter()
        .position(|x| x.severity == "warning")
        .unwrap();
    assert!(r.findings[..first_warning]
        .iter()
        .all(|x| x.severity == "error"));
    assert!(r.findings[first_warning..]
        .iter()
        .all(|x| x.severity != "error"));
    assert_eq!(
        ids(&r, "warning"),
        vec![
            "common.apply.annual-year-outside-period",
            "common.apply.start-before-submission"
        ]
    );
    assert!(!r.valid);
}

#[test]
fn valid_means_no_error_and_warnings_do_not_block() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/planned_start_date", json!("2025-09-14"));
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "warning"),
        vec!["common.apply.start-before-submission"]
    );
    assert!(ids(&r, "error").is_empty());
    assert!(r.valid);
}

#[test]
fn citations_are_null_for_product_rules_except_the_credit_code_standard() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(
        &mut d,
        "/applicant/credit_code",
        json!(wrong_check("114408040073500118")),
    );
    set(
        &mut d,
        "/lead_department",
        json!({"unit_name": "示例牵头局", "credit_code": "11440804I07350011X"}),
    );
    del(&mut d, "/applicant/contact_name");
    set(&mut d, "/is_classified", json!(true));
    set(&mut d, "/total_investment_wan", json!("0"));
    let r = run(j, f, &d);
    for rule in [
        "common.any.credit-code-check-digit",
        "common.any.credit-code-format",
    ] {
        let fs = of(&r, rule);
        assert_eq!(fs.len(), 1, "{rule}");
        let c = fs[0].citation.as_ref().expect("GB 32100-2015 citation");
        assert!(
            c.document.contains("GB 32100-2015") || c.article.contains("GB 32100-2015"),
            "{c:?}"
        );
    }
    for rule in [
        "common.any.required-field",
        "common.apply.classified-not-accepted",
        "common.apply.total-positive",
    ] {
        let fs = of(&r, rule);
        assert!(!fs.is_empty(), "{rule}");
        assert!(fs.iter().all(|x| x.citation.is_none()), "{rule}");
    }
}

#[test]
fn messages_never_echo_personal_data() {
    let (j, f, mut d) = clean("potou-apply-001");
    let bad_code = wrong_check("114408040073500118");
    let secrets = [
        bad_code.as_str(),
        "12812345678",
        "07593312345",
        "li.xiaoyan@example",
        "13902601234",
        "0759-3312345",
    ];
    set(&mut d, "/applicant/credit_code", json!(bad_code));
    set(&mut d, "/applicant/contact_mobile", json!("12812345678"));
    set(&mut d, "/applicant/contact_landline", json!("07593312345"));
    set(
        &mut d,
        "/applicant/contact_email",
        json!("li.xiaoyan@example"),
    );
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "error"),
        vec![
            "common.any.credit-code-check-digit",
            "common.any.email-format",
            "common.any.landline-format",
            "common.any.mobile-format"
        ]
    );
    for x in &r.findings {
        for s in secrets {
            assert!(
                !x.message.zh.contains(s) && !x.message.en.contains(s),
                "{x:?}"
            );
        }
    }
}

#[test]
fn field_messages_name_the_chinese_label_in_zh_and_the_path_in_en() {
    let (j, f, mut d) = clean("potou-apply-001");
    del(&mut d, "/applicant/contact_mobile");
    del(&mut d, "/annual_funding_plan/1/amount_wan");
    let r = run(j, f, &d);
    let fs = of(&r, "common.any.required-field");
    assert_eq!(fs.len(), 2);
    let mobile = fs
        .iter()
        .find(|x| x.paths == ["/applicant/contact_mobile"])
        .unwrap();
    assert!(
        mobile.message.zh.contains("联系人手机号"),
        "{}",
        mobile.message.zh
    );
    assert!(
        mobile.message.en.contains("applicant.contact_mobile"),
        "{}",
        mobile.message.en
    );
    let amount = fs
        .iter()
        .find(|x| x.paths == ["/annual_funding_plan/1/amount_wan"])
        .unwrap();
    assert!(
        amount.message.zh.contains("年度金额（万元）"),
        "{}",
        amount.message.zh
    );
    for x in fs {
        assert!(!x.message.zh.contains('{') && !x.message.en.contains('{'));
    }
}

// ---------------------------------------------------------------------------------------------
// common.any.required-field (§2, §3.1): one finding per missing path
// ---------------------------------------------------------------------------------------------

#[test]
fn absent_null_blank_and_empty_array_are_all_missing() {
    let (j, f, base) = clean("potou-apply-001");
    let variants: [(&str, Option<Value>); 11] = [
        ("/submission_date", None),
        ("/submission_date", Some(Value::Null)),
        ("/submission_date", Some(json!("   "))),
        ("/project_name", Some(json!(" \t "))),
        ("/project_name", Some(json!("\u{3000}"))),
        ("/content_types", Some(json!([]))),
        ("/funding_sources", Some(json!([]))),
        ("/applicant", Some(Value::Null)),
        ("/applicant/contact_mobile", Some(json!(" "))),
        ("/annual_funding_plan/1/amount_wan", Some(Value::Null)),
        ("/data_resource_catalog/compiled", Some(Value::Null)),
    ];
    for (ptr, v) in variants {
        let mut d = base.clone();
        match &v {
            None => del(&mut d, ptr),
            Some(v) => set(&mut d, ptr, v.clone()),
        }
        let r = run(j, f, &d);
        assert_eq!(
            field_paths(&r, "common.any.required-field"),
            vec![ptr],
            "{ptr} = {v:?}"
        );
        assert!(!fires(&r, "common.any.field-format"), "{ptr} = {v:?}");
        let sev: Vec<_> = of(&r, "common.any.required-field")
            .iter()
            .map(|x| x.severity.clone())
            .collect();
        assert_eq!(sev, ["error"]);
    }
}

#[test]
fn a_required_boolean_must_be_given_explicitly() {
    let (j, f, mut d) = clean("potou-apply-001");
    del(&mut d, "/is_classified");
    del(&mut d, "/builds_mobile_app");
    set(&mut d, "/involves_crypto", Value::Null);
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/builds_mobile_app", "/involves_crypto", "/is_classified"]
    );
}

#[test]
fn children_of_an_absent_object_are_not_checked() {
    let (j, f, mut d) = clean("potou-apply-001");
    del(&mut d, "/applicant");
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/applicant"]
    );
}

#[test]
fn children_of_a_present_object_are_required() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/applicant", json!({}));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec![
            "/applicant/admin_level",
            "/applicant/contact_mobile",
            "/applicant/contact_name",
            "/applicant/credit_code",
            "/applicant/unit_kind",
            "/applicant/unit_name",
        ]
    );
    // optional members (landline, e-mail, principal, is_data_authority …) are not reported
    assert_eq!(of(&r, "common.any.required-field").len(), 6);
}

#[test]
fn children_of_a_malformed_object_are_not_reported_missing() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/applicant", json!("湛江市坡头区示例业务局"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/applicant"]
    );
    assert!(!fires(&r, "common.any.required-field"));
}

#[test]
fn optional_object_members_are_required_only_when_the_object_is_present() {
    // accept.trial_run is optional; its three members are required when it is given
    let (j, f, mut d) = clean("potou-accept-001");
    del(&mut d, "/trial_run");
    let r = run(j, f, &d);
    assert!(!fires(&r, "common.any.required-field"));
    // null is absent too
    set(&mut d, "/trial_run", Value::Null);
    let r = run(j, f, &d);
    assert!(!fires(&r, "common.any.required-field") && !fires(&r, "common.any.field-format"));
    set(&mut d, "/trial_run", json!({}));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec![
            "/trial_run/end_date",
            "/trial_run/normal",
            "/trial_run/start_date"
        ]
    );
    set(
        &mut d,
        "/trial_run",
        json!({"start_date": "2025-06-01", "normal": true}),
    );
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/trial_run/end_date"]
    );
}

#[test]
fn array_entry_members_report_their_index() {
    let (j, f, mut d) = clean("potou-apply-001");
    del(&mut d, "/annual_funding_plan/1/amount_wan");
    del(&mut d, "/annual_funding_plan/0/year");
    set(&mut d, "/performance_targets/1/indicator", json!("  "));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec![
            "/annual_funding_plan/0/year",
            "/annual_funding_plan/1/amount_wan",
            "/performance_targets/1/indicator",
        ]
    );
    // Σ over entries with a missing amount is malformed: the sum rule does not fire
    assert!(!fires(&r, "common.apply.annual-sum-matches-total"));
}

#[test]
fn conditional_required_filing_stage_approval_needs_the_document_type() {
    let (j, f, mut d) = clean("potou-apply-001");
    del(&mut d, "/approval_document");
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/approval_document"]
    );
    // the stage-document rule needs approval_document present: it does not fire on the gap
    assert!(!fires(&r, "common.apply.stage-document-attached"));
}

#[test]
fn conditional_required_mobile_app_forms() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/builds_mobile_app", json!(true));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/mobile_app_forms"]
    );
    set(&mut d, "/mobile_app_forms", json!([]));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/mobile_app_forms"]
    );
    set(&mut d, "/mobile_app_forms", json!(["wechat_mini_program"]));
    let r = run(j, f, &d);
    assert!(!fires(&r, "common.any.required-field"));
    // a boolean given as a string is malformed: field-format, and the condition is false
    let (_, _, mut d) = clean("potou-apply-001");
    set(&mut d, "/builds_mobile_app", json!("true"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/builds_mobile_app"]
    );
    assert!(!fires(&r, "common.any.required-field"));
}

#[test]
fn conditional_required_construction_fields() {
    // djcp_level, deployment_location, supervision_planned: required for 建设类 only
    let (j, f, mut d) = clean("potou-apply-001");
    for p in [
        "/djcp_level",
        "/deployment_location",
        "/supervision_planned",
    ] {
        del(&mut d, p);
    }
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec![
            "/deployment_location",
            "/djcp_level",
            "/supervision_planned"
        ]
    );
    // project_nature outside the enum: malformed, so CONSTRUCTION is false and nothing is required
    set(&mut d, "/project_nature", json!("build"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/project_nature"]
    );
    assert!(!fires(&r, "common.any.required-field"));
}

#[test]
fn conditional_required_cross_department_parties_and_nested_members() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/is_cross_department", json!(true));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/lead_department", "/participating_departments"]
    );
    set(
        &mut d,
        "/lead_department",
        json!({"unit_name": "示例牵头局"}),
    );
    set(
        &mut d,
        "/participating_departments",
        json!([{"credit_code": "114408040073500118"}, {}]),
    );
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec![
            "/lead_department/credit_code",
            "/participating_departments/0/unit_name",
            "/participating_departments/1/credit_code",
            "/participating_departments/1/unit_name",
        ]
    );
}

#[test]
fn conditional_required_predecessor_acceptance_date() {
    let (j, f, mut d) = case("potou-apply-014");
    // potou-apply-014 has its own pack errors; only the required-ness is compared here
    let before = field_paths(&run(j, f, &d), "common.any.required-field");
    assert!(before.is_empty());
    del(&mut d, "/predecessor_project/acceptance_date");
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/predecessor_project/acceptance_date"]
    );
    set(&mut d, "/predecessor_project/accepted", json!(false));
    assert!(field_paths(&run(j, f, &d), "common.any.required-field").is_empty());
    // predecessor_project itself is required for om / upgrade / continuation
    del(&mut d, "/predecessor_project");
    assert_eq!(
        field_paths(&run(j, f, &d), "common.any.required-field"),
        vec!["/predecessor_project"]
    );
}

#[test]
fn pack_specific_required_fields_apply_in_their_pack_only() {
    // potou requires service_category (§2.2.1 “if: potou 必填”); bazhong does not
    let (j, f, mut d) = clean("potou-apply-001");
    for p in [
        "/service_category",
        "/service_subcategory",
        "/service_scope",
        "/involves_new_fiscal_funds",
        "/systems_added",
        "/systems_retired",
        "/unit_it_plan_in_place",
    ] {
        del(&mut d, p);
    }
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec![
            "/involves_new_fiscal_funds",
            "/service_category",
            "/service_scope",
            "/service_subcategory",
            "/systems_added",
            "/systems_retired",
            "/unit_it_plan_in_place",
        ]
    );
    // bazhong: integrations and applicant_status are required, with their members
    let (j, f, mut d) = clean("bazhong-apply-001");
    assert!(d.get("service_category").is_none());
    del(&mut d, "/integrations");
    del(&mut d, "/applicant_status/security_noncompliant");
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/applicant_status/security_noncompliant", "/integrations"]
    );
    // potou does not require integrations; when given, its four flags are required
    let (j, f, mut d) = clean("potou-apply-001");
    assert!(d.get("integrations").is_none());
    set(
        &mut d,
        "/integrations",
        json!({"unified_mobile_portal": true}),
    );
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec![
            "/integrations/collaborative_office_platform",
            "/integrations/common_support_platform",
            "/integrations/data_sharing_platform",
            "/integrations/gov_service_platform",
        ]
    );
}

#[test]
fn pack_specific_conditional_required_in_self_eval() {
    // report_year: eval_type = annual_app, or pingyang and eval_type = performance;
    // budget_year: potou and eval_type = performance
    let (_, _, base) = case("pingyang-self-eval-002");
    assert_eq!(base["eval_type"], "performance");
    let mut d = base.clone();
    del(&mut d, "/report_year");
    let r = run("pingyang", "self-eval", &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/report_year"]
    );

    let (_, _, base) = case("potou-self-eval-003");
    assert_eq!(base["eval_type"], "performance");
    let r = run("potou", "self-eval", &base);
    assert!(!fires(&r, "common.any.required-field"));
    let mut d = base.clone();
    d.as_object_mut().unwrap().remove("report_year");
    del(&mut d, "/budget_year");
    let r = run("potou", "self-eval", &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/budget_year"]
    );
}

#[test]
fn contract_price_after_is_required_when_before_is_given() {
    let (j, f, mut d) = clean("potou-change-001");
    set(&mut d, "/contract_price_before_wan", json!("150.00"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/contract_price_after_wan"]
    );
    set(&mut d, "/contract_price_after_wan", json!("150.00"));
    assert!(!fires(&run(j, f, &d), "common.any.required-field"));
}

#[test]
fn service_term_end_is_required_when_its_start_is_given() {
    let (j, f, mut d) = clean("gaogang-contract-001");
    set(&mut d, "/service_term_start_date", json!("2025-10-09"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/service_term_end_date"]
    );
}

#[test]
fn attachment_pseudo_fields_report_required_field_on_attachments() {
    // self-eval: attachments#self_evaluation_report is required (§2.2.10)
    let (j, f, mut d) = clean("potou-self-eval-001");
    remove_attachment(&mut d, "self_evaluation_report");
    let r = run(j, f, &d);
    assert_eq!(
        paths(&r, "common.any.required-field"),
        vec![vec!["/attachments"]]
    );
    del(&mut d, "/attachments");
    let r = run(j, f, &d);
    assert_eq!(
        paths(&r, "common.any.required-field"),
        vec![vec!["/attachments"]]
    );
    // an attachment of another kind does not count
    set(
        &mut d,
        "/attachments",
        json!([{"kind": "other", "file_name": "自评.pdf"}]),
    );
    assert!(fires(&run(j, f, &d), "common.any.required-field"));

    // terminate: termination_report
    let (j, f, mut d) = clean("bazhong-terminate-001");
    remove_attachment(&mut d, "termination_report");
    let r = run(j, f, &d);
    assert_eq!(
        paths(&r, "common.any.required-field"),
        vec![vec!["/attachments"]]
    );
    assert_eq!(of(&r, "common.any.required-field")[0].severity, "error");
}

#[test]
fn accept_record_attachment_depends_on_record_kind() {
    // bazhong pre_acceptance: pre_acceptance_report, not acceptance_report
    let (j, f, mut d) = clean("bazhong-accept-record-001");
    assert_eq!(d["record_kind"], "pre_acceptance");
    remove_attachment(&mut d, "pre_acceptance_report");
    let r = run(j, f, &d);
    assert_eq!(
        paths(&r, "common.any.required-field"),
        vec![vec!["/attachments"]]
    );
    assert!(of(&r, "common.any.required-field")[0]
        .message
        .zh
        .contains("预验收评估报告"));
    // upper_level_result: acceptance_report
    set(&mut d, "/record_kind", json!("upper_level_result"));
    set(
        &mut d,
        "/attachments",
        json!([{"kind": "pre_acceptance_report", "file_name": "a.pdf"}]),
    );
    let r = run(j, f, &d);
    let fs = of(&r, "common.any.required-field");
    assert_eq!(fs.len(), 1);
    assert!(
        fs[0].message.zh.contains("验收报告"),
        "{}",
        fs[0].message.zh
    );
    set(
        &mut d,
        "/attachments",
        json!([{"kind": "acceptance_report", "file_name": "a.pdf"}]),
    );
    assert!(!fires(&run(j, f, &d), "common.any.required-field"));
}

// ---------------------------------------------------------------------------------------------
// common.any.field-format (§2, §2.3, §3.1)
// ---------------------------------------------------------------------------------------------

#[test]
fn enum_outside_the_pack_restriction_is_field_format_and_malformed_in_conditions() {
    // potou restricts accept-record.record_kind to acceptance_report (§2.3)
    let (j, f, mut d) = clean("pingyang-accept-record-001");
    let r = run(j, f, &d);
    assert!(r.valid);
    set(&mut d, "/record_kind", json!("pre_acceptance"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/record_kind"]
    );
    // malformed in conditions: neither attachments#acceptance_report (record_kind ∈ {…}) nor
    // attachments#pre_acceptance_report (record_kind = pre_acceptance) becomes required
    remove_attachment(&mut d, "acceptance_report");
    let r = run(j, f, &d);
    assert!(!fires(&r, "common.any.required-field"));
    // the same code is fine in bazhong, whose domain includes it
    let (j2, f2, d2) = clean("bazhong-accept-record-001");
    assert_eq!(d2["record_kind"], "pre_acceptance");
    assert!(!fires(&run(j2, f2, &d2), "common.any.field-format"));
    // potou apply: filing_stage is approval or record only
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/filing_stage", json!("plan"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/filing_stage"]
    );
    // an unknown code anywhere
    let (_, _, mut d) = clean("potou-apply-001");
    set(&mut d, "/applicant/unit_kind", json!("government"));
    set(&mut d, "/funding_sources/0/source", json!("LOCAL_FISCAL"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/applicant/unit_kind", "/funding_sources/0/source"]
    );
}

#[test]
fn string_lengths_are_counted_in_characters_after_trimming() {
    let (j, f, base) = clean("potou-apply-001");
    // project_name: length 4–100
    for (v, ok) in [
        ("示例项目", true),
        ("  示例项目  ", true),
        ("示例项", false),
        (" 示例项 ", false),
        ("abcd", true),
        ("abc", false),
    ] {
        let mut d = base.clone();
        set(&mut d, "/project_name", json!(v));
        let r = run(j, f, &d);
        assert_eq!(
            field_paths(&r, "common.any.field-format").is_empty(),
            ok,
            "{v:?}"
        );
    }
    let mut d = base.clone();
    set(&mut d, "/project_name", json!("项".repeat(100)));
    assert!(!fires(&run(j, f, &d), "common.any.field-format"));
    set(&mut d, "/project_name", json!("项".repeat(101)));
    assert_eq!(
        field_paths(&run(j, f, &d), "common.any.field-format"),
        vec!["/project_name"]
    );
    // a number where a string is expected
    set(&mut d, "/project_name", json!(12345));
    assert_eq!(
        field_paths(&run(j, f, &d), "common.any.field-format"),
        vec!["/project_name"]
    );
}

#[test]
fn integers_must_be_integers_within_range() {
    let (j, f, base) = clean("potou-apply-001");
    for (v, ok) in [
        (json!(2000), true),
        (json!(2100), true),
        (json!(1999), false),
        (json!(2101), false),
        (json!("2026"), false),
        (json!(2026.5), false),
        (json!(true), false),
    ] {
        let mut d = base.clone();
        set(&mut d, "/annual_funding_plan/0/year", v.clone());
        let r = run(j, f, &d);
        let got = field_paths(&r, "common.any.field-format");
        if ok {
            assert!(got.is_empty(), "{v}");
        } else {
            assert_eq!(got, vec!["/annual_funding_plan/0/year"], "{v}");
        }
    }
    let mut d = base.clone();
    set(&mut d, "/systems_added", json!(1000));
    set(&mut d, "/systems_retired", json!(-1));
    assert_eq!(
        field_paths(&run(j, f, &d), "common.any.field-format"),
        vec!["/systems_added", "/systems_retired"]
    );
}

#[test]
fn dates_must_be_real_gregorian_days() {
    let (j, f, base) = clean("potou-apply-001");
    for (v, ok) in [
        ("2027-06-30", true),
        ("2028-02-29", true),
        ("2027-02-29", false),
        ("2027-02-28", true),
        ("2027-04-31", false),
        ("2027-13-01", false),
        ("2027-00-10", false),
        ("2027-6-30", false),
        ("2027/06/30", false),
        ("20270630", false),
        ("2027-06-30T00:00:00", false),
    ] {
        let mut d = base.clone();
        set(&mut d, "/planned_end_date", json!(v));
        let r = run(j, f, &d);
        let got = field_paths(&r, "common.any.field-format");
        if ok {
            assert!(got.is_empty(), "{v}");
        } else {
            assert_eq!(got, vec!["/planned_end_date"], "{v}");
            // comparisons on a malformed date are false: end-after-start does not fire
            assert!(!fires(&r, "common.apply.end-after-start"), "{v}");
        }
    }
    // century rule: 1900 is not a leap year, 2000 is
    let mut d = base.clone();
    set(
        &mut d,
        "/prior_approvals",
        json!([
            {"document": "project_proposal", "approval_no": "示例1号", "approval_date": "2000-02-29"},
            {"document": "project_proposal", "approval_no": "示例2号", "approval_date": "1900-02-29"}
        ]),
    );
    assert_eq!(
        field_paths(&run(j, f, &d), "common.any.field-format"),
        vec!["/prior_approvals/1/approval_date"]
    );
}

#[test]
fn multi_selects_reject_duplicates_and_unknown_codes() {
    let (j, f, base) = clean("potou-apply-001");
    for v in [
        json!(["application_system", "application_system"]),
        json!(["application_system", "no_such_code"]),
        json!("application_system"),
        json!([1]),
    ] {
        let mut d = base.clone();
        set(&mut d, "/content_types", v.clone());
        let r = run(j, f, &d);
        assert_eq!(
            field_paths(&r, "common.any.field-format"),
            vec!["/content_types"],
            "{v}"
        );
        assert!(!fires(&r, "common.any.required-field"), "{v}");
    }
    let mut d = base.clone();
    set(
        &mut d,
        "/content_types",
        json!(["application_system", "data_resource"]),
    );
    assert!(!fires(&run(j, f, &d), "common.any.field-format"));
}

#[test]
fn wrong_json_kinds_are_field_format() {
    let (j, f, base) = clean("potou-apply-001");
    let mut d = base.clone();
    set(
        &mut d,
        "/annual_funding_plan",
        json!({"year": 2026, "amount_wan": "180.00"}),
    );
    set(&mut d, "/data_resource_catalog", json!(true));
    set(&mut d, "/info_sharing_analysis", json!(["included"]));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec![
            "/annual_funding_plan",
            "/data_resource_catalog",
            "/info_sharing_analysis"
        ]
    );
    // the annual plan is malformed, not absent: no required-field, no sum rule
    assert!(!fires(&r, "common.any.required-field"));
    assert!(!fires(&r, "common.apply.annual-sum-matches-total"));
    // an array entry that is not an object
    let mut d = base.clone();
    set(&mut d, "/annual_funding_plan/1", json!("2027: 60.00"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/annual_funding_plan/1"]
    );
    assert!(!fires(&r, "common.apply.annual-sum-matches-total"));
}

#[test]
fn project_code_sha256_and_size_patterns() {
    let (j, f, base) = clean("potou-apply-001");
    let mut d = base.clone();
    set(&mut d, "/project_code", json!("2025-440804-65-01-000123"));
    set(
        &mut d,
        "/attachments/0/sha256",
        json!("0123456789abcdef".repeat(4)),
    );
    set(&mut d, "/attachments/0/size_bytes", json!(104857600));
    assert!(!fires(&run(j, f, &d), "common.any.field-format"));
    set(&mut d, "/project_code", json!("2025-44080-65-01-000123"));
    set(
        &mut d,
        "/attachments/0/sha256",
        json!("0123456789ABCDEF".repeat(4)),
    );
    set(
        &mut d,
        "/attachments/1/sha256",
        json!("0123456789abcdef".repeat(4) + "0"),
    );
    set(&mut d, "/attachments/0/size_bytes", json!(104857601));
    set(&mut d, "/attachments/1/size_bytes", json!(0));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec![
            "/attachments/0/sha256",
            "/attachments/0/size_bytes",
            "/attachments/1/sha256",
            "/attachments/1/size_bytes",
            "/project_code",
        ]
    );
}

#[test]
fn attachment_kind_outside_the_catalog_does_not_count_as_attached() {
    let (j, f, mut d) = clean("potou-self-eval-001");
    set(&mut d, "/attachments/0/kind", json!("self_evaluation"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/attachments/0/kind"]
    );
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/attachments"]
    );
}

// ---------------------------------------------------------------------------------------------
// common.any.amount-format (§0.4): `^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$`, strings only
// ---------------------------------------------------------------------------------------------

#[test]
fn amounts_matching_the_pattern_are_accepted_and_compared_exactly() {
    let (j, f, base) = clean("potou-apply-001");
    for v in [
        "0.5",
        "0.05",
        "0.50",
        "1",
        "180",
        "180.0",
        "9999999999",
        "9999999999.99",
        "1234567890.1",
    ] {
        let mut d = base.clone();
        set(&mut d, "/total_investment_wan", json!(v));
        set(&mut d, "/funding_sources/0/amount_wan", json!(v));
        set(
            &mut d,
            "/annual_funding_plan",
            json!([{"year": 2026, "amount_wan": v}]),
        );
        let r = run(j, f, &d);
        assert!(!fires(&r, "common.any.amount-format"), "{v}");
        assert!(!fires(&r, "common.apply.annual-sum-matches-total"), "{v}");
        assert!(!fires(&r, "common.apply.funding-sum-matches-total"), "{v}");
        assert!(!fires(&r, "common.apply.total-positive"), "{v}");
    }
    // "0" and "0.00" are well-formed zeros: total-positive fires
    for v in ["0", "0.00", "0.0"] {
        let mut d = base.clone();
        set(&mut d, "/total_investment_wan", json!(v));
        set(&mut d, "/funding_sources/0/amount_wan", json!(v));
        set(
            &mut d,
            "/annual_funding_plan",
            json!([{"year": 2026, "amount_wan": v}]),
        );
        let r = run(j, f, &d);
        assert!(!fires(&r, "common.any.amount-format"), "{v}");
        assert_eq!(
            paths(&r, "common.apply.total-positive"),
            vec![vec!["/total_investment_wan"]],
            "{v}"
        );
    }
}

#[test]
fn amounts_not_matching_the_pattern_are_amount_format_not_field_format() {
    let (j, f, base) = clean("potou-apply-001");
    for v in [
        json!("01"),
        json!("00"),
        json!("00.5"),
        json!("1."),
        json!(".5"),
        json!("1.234"),
        json!("-1"),
        json!("+1"),
        json!("1,000"),
        json!("1e3"),
        json!(" 60.00"),
        json!("60.00 "),
        json!("12345678901"),
        json!("60.00万"),
        json!("６０"),
        json!(60),
        json!(60.0),
        json!(true),
        json!({"value": "60.00"}),
    ] {
        let mut d = base.clone();
        set(&mut d, "/annual_funding_plan/1/amount_wan", v.clone());
        let r = run(j, f, &d);
        assert_eq!(
            field_paths(&r, "common.any.amount-format"),
            vec!["/annual_funding_plan/1/amount_wan"],
            "{v}"
        );
        assert!(!fires(&r, "common.any.field-format"), "{v}");
        assert!(!fires(&r, "common.any.required-field"), "{v}");
        // Σ over a malformed amount is malformed: no sum finding
        assert!(!fires(&r, "common.apply.annual-sum-matches-total"), "{v}");
        assert_eq!(of(&r, "common.any.amount-format")[0].severity, "error");
        assert!(of(&r, "common.any.amount-format")[0].citation.is_none());
    }
}

#[test]
fn a_json_number_in_a_top_level_amount_is_amount_format_and_malformed_in_comparisons() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/total_investment_wan", json!(180));
    let r = run(j, f, &d);
    assert_eq!(ids(&r, "error"), vec!["common.any.amount-format"]);
    assert_eq!(
        field_paths(&r, "common.any.amount-format"),
        vec!["/total_investment_wan"]
    );
    // zero as a number is not a well-formed zero either
    set(&mut d, "/total_investment_wan", json!(0));
    let r = run(j, f, &d);
    assert!(!fires(&r, "common.apply.total-positive"));
}

#[test]
fn amount_fields_in_every_form_use_amount_format() {
    let cases: [(&str, &str); 7] = [
        ("potou-change-001", "/budget_items/1/adjusted_wan"),
        ("gaogang-contract-001", "/payment_plan/2/amount_wan"),
        ("gaogang-contract-001", "/contract_amount_wan"),
        ("bazhong-terminate-001", "/spent_to_date_wan"),
        ("gaogang-fund-002", "/amount_wan"),
        ("potou-accept-001", "/project_total_wan"),
        ("bazhong-apply-001", "/total_investment_wan"),
    ];
    for (id, ptr) in cases {
        let (j, f, mut d) = clean(id);
        set(&mut d, ptr, json!("1.005"));
        let r = run(j, f, &d);
        assert_eq!(
            field_paths(&r, "common.any.amount-format"),
            vec![ptr],
            "{id}"
        );
        assert!(!fires(&r, "common.any.field-format"), "{id}");
    }
}

// ---------------------------------------------------------------------------------------------
// Credit codes (GB 32100-2015)
// ---------------------------------------------------------------------------------------------

#[test]
fn independent_check_digit_agrees_with_the_shared_cases() {
    for code in [
        "114408040073500118",
        "11511900008745015K",
        "91350100M000100Y43",
        "91320100MA1XK7Q370",
    ] {
        assert_eq!(with_check(&code[..17]), code);
    }
}

#[test]
fn credit_code_format_violations() {
    let (j, f, base) = clean("potou-apply-001");
    let good = "114408040073500118";
    for v in [
        json!("11440804007350011"),   // 17
        json!("1144080400735001180"), // 19
        json!("11440804007350011I"),  // I
        json!("1144080400735001O8"),  // O
        json!("11440804007350011S"),  // S
        json!("11440804007350011V"),  // V
        json!("11440804007350011Z"),  // Z
        json!("11440804007350011a"),  // lower case
        json!("91350100m000100Y43"),  // lower case inside
        json!("1144080400735001１8"), // full-width digit
        json!("11440804-007350011"),  // separator
        json!(" 114408040073500118"), // padding is not trimmed away
        json!(114408040073500118u64), // a JSON number
    ] {
        let mut d = base.clone();
        set(&mut d, "/applicant/credit_code", v.clone());
        let r = run(j, f, &d);
        assert_eq!(
            field_paths(&r, "common.any.credit-code-format"),
            vec!["/applicant/credit_code"],
            "{v}"
        );
        assert!(!fires(&r, "common.any.credit-code-check-digit"), "{v}");
        assert!(!fires(&r, "common.any.field-format"), "{v}");
    }
    let mut d = base.clone();
    set(&mut d, "/applicant/credit_code", json!(good));
    assert!(run(j, f, &d).valid);
}

#[test]
fn credit_code_check_digit_only_when_the_format_is_valid() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(
        &mut d,
        "/applicant/credit_code",
        json!(wrong_check("114408040073500118")),
    );
    let r = run(j, f, &d);
    assert_eq!(ids(&r, "error"), vec!["common.any.credit-code-check-digit"]);
    assert_eq!(
        field_paths(&r, "common.any.credit-code-check-digit"),
        vec!["/applicant/credit_code"]
    );
}

#[test]
fn weighted_sum_divisible_by_31_gives_check_character_zero() {
    // find a realistic body whose Σ v·w ≡ 0 (mod 31), Σ > 0
    let mut body = None;
    'outer: for a in CS.chars() {
        for b in CS.chars() {
            let cand = format!("9144030071526{a}{b}XY");
            let cand = &cand[..17];
            if weighted_sum(cand).is_multiple_of(31) && weighted_sum(cand) > 0 {
                body = Some(cand.to_string());
                break 'outer;
            }
        }
    }
    let body = body.expect("some pair reaches residue 0");
    let code = format!("{body}0");
    assert_eq!(with_check(&body), code);
    let (j, f, base) = clean("potou-apply-001");
    let mut d = base.clone();
    set(&mut d, "/applicant/credit_code", json!(code));
    let r = run(j, f, &d);
    assert!(
        !fires(&r, "common.any.credit-code-check-digit")
            && !fires(&r, "common.any.credit-code-format"),
        "{code}: {:?}",
        r.findings
    );
    // every other 18th character is wrong for this body — in particular 'Y' (index 30 = 31 − 1)
    for last in ['Y', '1', 'A'] {
        let mut d = base.clone();
        set(
            &mut d,
            "/applicant/credit_code",
            json!(format!("{body}{last}")),
        );
        let r = run(j, f, &d);
        assert_eq!(
            field_paths(&r, "common.any.credit-code-check-digit"),
            vec!["/applicant/credit_code"],
            "{body}{last}"
        );
    }
    // the all-zero body: sum 0 → '0'
    let mut d = base.clone();
    set(
        &mut d,
        "/applicant/credit_code",
        json!("000000000000000000"),
    );
    assert!(!fires(&run(j, f, &d), "common.any.credit-code-check-digit"));
}

#[test]
fn credit_codes_in_nested_objects_and_arrays_report_their_own_paths() {
    let (j, f, mut d) = clean("potou-apply-001");
    let lead = with_check("11440804MB2C47890");
    set(&mut d, "/is_cross_department", json!(true));
    set(
        &mut d,
        "/lead_department",
        json!({"unit_name": "示例牵头局", "credit_code": wrong_check(&lead)}),
    );
    set(
        &mut d,
        "/participating_departments",
        json!([
            {"unit_name": "示例参建局", "credit_code": "114408040073500118"},
            {"unit_name": "示例参建中心", "credit_code": "12440804I00000001X"},
        ]),
    );
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.credit-code-check-digit"),
        vec!["/lead_department/credit_code"]
    );
    assert_eq!(
        field_paths(&r, "common.any.credit-code-format"),
        vec!["/participating_departments/1/credit_code"]
    );
    // the applicant is a participating department: the cross-department rule holds
    assert!(!fires(&r, "common.apply.cross-department-parties"));
}

#[test]
fn a_code_failing_only_its_check_character_still_compares_normally() {
    // §0.5: identifiers compare as exact strings even with a wrong check character
    let (j, f, mut d) = clean("potou-apply-001");
    let applicant = wrong_check("114408040073500118");
    let other = with_check("11440804MB2C47890");
    set(&mut d, "/applicant/credit_code", json!(applicant));
    set(&mut d, "/is_cross_department", json!(true));
    set(
        &mut d,
        "/lead_department",
        json!({"unit_name": "示例牵头局", "credit_code": applicant}),
    );
    set(
        &mut d,
        "/participating_departments",
        json!([{"unit_name": "示例参建局", "credit_code": other}]),
    );
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.credit-code-check-digit"),
        vec!["/applicant/credit_code", "/lead_department/credit_code"]
    );
    assert!(!fires(&r, "common.apply.cross-department-parties"));
    // but a different code does not match
    set(&mut d, "/lead_department/credit_code", json!(other));
    let r = run(j, f, &d);
    assert!(fires(&r, "common.apply.cross-department-parties"));
    // and a code with a bad format is malformed: comparisons on it are false, no finding
    set(
        &mut d,
        "/applicant/credit_code",
        json!("11440804I07350011X"),
    );
    let r = run(j, f, &d);
    assert!(fires(&r, "common.any.credit-code-format"));
    assert!(!fires(&r, "common.apply.cross-department-parties"));
}

// ---------------------------------------------------------------------------------------------
// Phones and e-mail (§2.1, §3.1)
// ---------------------------------------------------------------------------------------------

fn check_contact(field: &str, rule: &str, good: &[&str], bad: &[Value]) {
    let (j, f, base) = clean("potou-apply-001");
    let ptr = format!("/applicant/{field}");
    for v in good {
        let mut d = base.clone();
        set(&mut d, &ptr, json!(v));
        let r = run(j, f, &d);
        assert!(
            r.valid && !fires(&r, rule),
            "{field} {v:?}: {:?}",
            r.findings
        );
    }
    for v in bad {
        let mut d = base.clone();
        set(&mut d, &ptr, v.clone());
        let r = run(j, f, &d);
        assert_eq!(field_paths(&r, rule), vec![ptr.clone()], "{field} {v}");
        assert_eq!(ids(&r, "error"), vec![rule.to_string()], "{field} {v}");
    }
}

#[test]
fn mobile_numbers() {
    check_contact(
        "contact_mobile",
        "common.any.mobile-format",
        &["13902601234", "19912345678", "15000000000"],
        &[
            json!("12812345678"),
            json!("10012345678"),
            json!("23902601234"),
            json!("1390260123"),
            json!("139026012345"),
            json!("+8613902601234"),
            json!("8613902601234"),
            json!("139 0260 1234"),
            json!("139-0260-1234"),
            json!(" 13902601234"),
            json!("１３９０２６０１２３４"),
            json!(13902601234u64),
        ],
    );
}

#[test]
fn landline_numbers() {
    check_contact(
        "contact_landline",
        "common.any.landline-format",
        &[
            "0759-3312345",
            "010-23456789",
            "010-2345678",
            "0759-33123456",
            "0759-3312345-1",
            "0759-3312345-123456",
        ],
        &[
            json!("07593312345"),
            json!("0759-1312345"),
            json!("0759-0312345"),
            json!("759-3312345"),
            json!("1759-3312345"),
            json!("07-3312345"),
            json!("07590-3312345"),
            json!("0759-331234"),
            json!("0759-331234567"),
            json!("0759-3312345-"),
            json!("0759-3312345-1234567"),
            json!("0759-3312345-12-3"),
            json!("(0759)3312345"),
            json!("0759 3312345"),
            json!("0759-3312345 "),
        ],
    );
}

#[test]
fn email_addresses() {
    let long_ok = format!("{}@example.org", "a".repeat(254 - "@example.org".len()));
    assert_eq!(long_ok.len(), 254);
    let too_long = format!("{}@example.org", "a".repeat(255 - "@example.org".len()));
    check_contact(
        "contact_email",
        "common.any.email-format",
        &[
            "ptsl@example.org",
            "a@b.cn",
            "a.b+c_d%e-f@mail-1.gov.cn",
            "x@y.museum",
            "X.Y@EXAMPLE.ORG",
            "a@1.2.cn",
            "..@b.cn",
            "a@-b-.cn",
            &long_ok,
        ],
        &[
            json!("ptsl@example"),
            json!("a@b.c"),
            json!("a@b.c1"),
            json!("a@.cn"),
            json!("a@b..cn"),
            json!("a@b.cn."),
            json!("@b.cn"),
            json!("a@@b.cn"),
            json!("a@b@c.cn"),
            json!("a b@c.cn"),
            json!("a@b_c.cn"),
            json!("a@b.c_n"),
            json!("张三@example.cn"),
            json!("a@例子.cn"),
            json!("a#b@c.cn"),
            json!("a@b.cn "),
            json!(too_long),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Exemption claims (§0.3)
// ---------------------------------------------------------------------------------------------

fn claim(rule: &str, basis: &str) -> Value {
    json!({
        "rule_id": rule,
        "basis": basis,
        "document_no": "示例文件〔2025〕1号",
        "explanation": "依据上级文件要求，本项目须延续使用现有系统，整改已列入计划。"
    })
}

const NOT_SECURE: &str = "potou.apply.om-system-not-secure-reliable";
const SECURITY: &str = "potou.apply.om-system-security-noncompliant";

#[test]
fn a_valid_claim_downgrades_its_rule_to_an_exempted_warning() {
    let (j, f, mut d) = case("potou-apply-014");
    let r = run(j, f, &d);
    assert_eq!(ids(&r, "error"), vec![NOT_SECURE, SECURITY]);
    push(&mut d, "/exemption_claims", claim(NOT_SECURE, "other"));
    let r = run(j, f, &d);
    assert_eq!(ids(&r, "error"), vec![SECURITY]);
    assert_eq!(ids(&r, "warning"), vec![NOT_SECURE]);
    let w = of(&r, NOT_SECURE);
    assert_eq!(w.len(), 1);
    assert!(w[0].exempted);
    assert_eq!(w[0].severity, "warning");
    assert!(w[0].citation.is_some(), "a pack rule keeps its citation");
    let e = of(&r, SECURITY);
    assert!(!e[0].exempted);
    assert!(!fires(&r, "common.any.exemption-claim-invalid"));
    assert!(!r.valid);
    // claiming both makes the filing valid
    push(
        &mut d,
        "/exemption_claims",
        claim(SECURITY, "special_circumstance"),
    );
    let r = run(j, f, &d);
    assert!(ids(&r, "error").is_empty());
    assert_eq!(ids(&r, "warning"), vec![NOT_SECURE, SECURITY]);
    assert!(r
        .findings
        .iter()
        .filter(|x| x.severity == "warning")
        .all(|x| x.exempted));
    assert!(r.valid);
}

#[test]
fn a_claim_on_a_non_exemptible_rule_is_invalid_and_downgrades_nothing() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/total_investment_wan", json!("0.00"));
    set(&mut d, "/funding_sources/0/amount_wan", json!("0.00"));
    set(
        &mut d,
        "/annual_funding_plan",
        json!([{"year": 2026, "amount_wan": "0.00"}]),
    );
    set(
        &mut d,
        "/exemption_claims",
        json!([claim("common.apply.total-positive", "other")]),
    );
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "error"),
        vec![
            "common.any.exemption-claim-invalid",
            "common.apply.total-positive"
        ]
    );
    assert!(of(&r, "common.apply.total-positive")
        .iter()
        .all(|x| !x.exempted));
    assert_eq!(
        paths(&r, "common.any.exemption-claim-invalid"),
        vec![vec!["/exemption_claims/0/rule_id"]]
    );
    let inv = &of(&r, "common.any.exemption-claim-invalid")[0];
    assert_eq!(inv.severity, "error");
    assert!(inv.citation.is_none());
    assert!(!inv.exempted);
}

#[test]
fn unknown_rules_other_packs_and_other_forms_are_not_exemptible_here() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(
        &mut d,
        "/exemption_claims",
        json!([
            claim("potou.apply.no-such-rule", "other"),
            // exemptible in bazhong, not in the active pack
            claim("bazhong.apply.hardware-procurement", "law_regulation"),
            // a rule of the active pack that has no 可豁免 bases
            claim("potou.apply.plan-and-internal-review", "other"),
        ]),
    );
    let r = run(j, f, &d);
    assert_eq!(ids(&r, "error"), vec!["common.any.exemption-claim-invalid"]);
    // one finding per submission naming every invalid claim
    assert_eq!(
        paths(&r, "common.any.exemption-claim-invalid"),
        vec![vec![
            "/exemption_claims/0/rule_id",
            "/exemption_claims/1/rule_id",
            "/exemption_claims/2/rule_id"
        ]]
    );
    // an exemptible rule of the same pack but another form (gaogang change rule in apply)
    let (j, f, mut d) = clean("gaogang-apply-001");
    set(
        &mut d,
        "/exemption_claims",
        json!([claim(
            "gaogang.change.budget-adjust-restricted",
            "law_regulation"
        )]),
    );
    let r = run(j, f, &d);
    assert_eq!(ids(&r, "error"), vec!["common.any.exemption-claim-invalid"]);
    // an apply rule claimed on the change form: not exemptible in this form
    let (j, f, mut d) = clean("potou-change-001");
    set(
        &mut d,
        "/exemption_claims",
        json!([claim("potou.apply.om-system-not-secure-reliable", "other")]),
    );
    assert_eq!(
        ids(&run(j, f, &d), "error"),
        vec!["common.any.exemption-claim-invalid"]
    );
}

#[test]
fn a_basis_not_allowed_for_the_rule_makes_the_claim_invalid() {
    // bazhong 第八条: only law_regulation (spec §5.11)
    let (j, f, base) = case("bazhong-apply-007");
    let r = run(j, f, &base);
    assert_eq!(
        ids(&r, "warning"),
        vec!["bazhong.apply.hardware-procurement"]
    );
    assert!(of(&r, "bazhong.apply.hardware-procurement")[0].exempted);
    let mut d = base.clone();
    set(&mut d, "/exemption_claims/0/basis", json!("higher_mandate"));
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "error"),
        vec![
            "bazhong.apply.hardware-procurement",
            "common.any.exemption-claim-invalid"
        ]
    );
    assert!(!of(&r, "bazhong.apply.hardware-procurement")[0].exempted);
    assert_eq!(
        paths(&r, "common.any.exemption-claim-invalid"),
        vec![vec![
            "/exemption_claims/0/rule_id",
            "/exemption_claims/0/basis"
        ]]
    );
}

#[test]
fn each_claim_is_judged_on_its_own() {
    let (j, f, base) = case("bazhong-apply-007");
    let mut d = base.clone();
    // an invalid claim before the valid one: the valid one still downgrades
    let valid = d["exemption_claims"][0].clone();
    set(
        &mut d,
        "/exemption_claims",
        json!([
            claim("bazhong.apply.hardware-procurement", "other"),
            claim("common.any.required-field", "law_regulation"),
            valid,
        ]),
    );
    let r = run(j, f, &d);
    assert_eq!(ids(&r, "error"), vec!["common.any.exemption-claim-invalid"]);
    assert_eq!(
        ids(&r, "warning"),
        vec!["bazhong.apply.hardware-procurement"]
    );
    assert!(of(&r, "bazhong.apply.hardware-procurement")[0].exempted);
    assert_eq!(
        paths(&r, "common.any.exemption-claim-invalid"),
        vec![vec![
            "/exemption_claims/0/rule_id",
            "/exemption_claims/0/basis",
            "/exemption_claims/1/rule_id"
        ]]
    );
    assert_eq!(of(&r, "common.any.exemption-claim-invalid").len(), 1);
}

#[test]
fn a_valid_claim_for_a_rule_that_does_not_fire_reports_nothing() {
    let (j, f, mut d) = clean("bazhong-apply-001");
    set(
        &mut d,
        "/exemption_claims",
        json!([claim(
            "bazhong.apply.hardware-procurement",
            "law_regulation"
        )]),
    );
    let r = run(j, f, &d);
    assert!(
        r.findings.iter().all(|x| x.severity == "info"),
        "{:?}",
        r.findings
    );
}

#[test]
fn claim_entries_are_field_checked_like_any_array() {
    let (j, f, base) = case("bazhong-apply-007");
    // basis missing: required-field, and the claim downgrades nothing
    let mut d = base.clone();
    del(&mut d, "/exemption_claims/0/basis");
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/exemption_claims/0/basis"]
    );
    assert!(ids(&r, "error").contains(&"bazhong.apply.hardware-procurement".to_string()));
    assert!(!fires(&r, "common.any.exemption-claim-invalid"));
    // basis outside exemption_basis: field-format, downgrades nothing
    let mut d = base.clone();
    set(&mut d, "/exemption_claims/0/basis", json!("law"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/exemption_claims/0/basis"]
    );
    assert!(ids(&r, "error").contains(&"bazhong.apply.hardware-procurement".to_string()));
    // explanation too short (10–1000): field-format, but the claim itself is judged on rule and basis
    let mut d = base.clone();
    set(&mut d, "/exemption_claims/0/explanation", json!("法规要求"));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/exemption_claims/0/explanation"]
    );
    assert!(of(&r, "bazhong.apply.hardware-procurement")[0].exempted);
    // the claim list must be an array of objects
    let mut d = base.clone();
    set(
        &mut d,
        "/exemption_claims",
        json!(["bazhong.apply.hardware-procurement"]),
    );
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.field-format"),
        vec!["/exemption_claims/0"]
    );
    assert!(!of(&r, "bazhong.apply.hardware-procurement")[0].exempted);
}

#[test]
fn field_level_findings_cannot_be_exempted() {
    let (j, f, mut d) = clean("potou-apply-001");
    del(&mut d, "/project_name");
    set(
        &mut d,
        "/exemption_claims",
        json!([claim("common.any.required-field", "other")]),
    );
    let r = run(j, f, &d);
    let req = of(&r, "common.any.required-field");
    assert_eq!(req.len(), 1);
    assert_eq!(req[0].severity, "error");
    assert!(!req[0].exempted);
    assert!(fires(&r, "common.any.exemption-claim-invalid"));
}

// ---------------------------------------------------------------------------------------------
// §3.1 common rules, with their boundaries
// ---------------------------------------------------------------------------------------------

#[test]
fn classified_projects_are_refused_in_every_pack() {
    for id in [
        "potou-apply-001",
        "bazhong-apply-001",
        "gaogang-apply-001",
        "pingyang-apply-001",
        "jianshan-apply-001",
    ] {
        let (j, f, mut d) = clean(id);
        set(&mut d, "/is_classified", json!(true));
        let r = run(j, f, &d);
        assert_eq!(
            paths(&r, "common.apply.classified-not-accepted"),
            vec![vec!["/is_classified"]],
            "{id}"
        );
        assert_eq!(
            of(&r, "common.apply.classified-not-accepted")[0].severity,
            "error"
        );
    }
}

#[test]
fn total_positive_and_sums_are_exact_to_the_cent() {
    let (j, f, base) = clean("potou-apply-001");
    // annual sum off by 0.01 万元
    let mut d = base.clone();
    set(&mut d, "/annual_funding_plan/1/amount_wan", json!("59.99"));
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "error"),
        vec!["common.apply.annual-sum-matches-total"]
    );
    let p = &paths(&r, "common.apply.annual-sum-matches-total")[0];
    for x in [
        "/annual_funding_plan/0/amount_wan",
        "/annual_funding_plan/1/amount_wan",
        "/total_investment_wan",
    ] {
        assert!(p.contains(&x.to_string()), "{p:?}");
    }
    // "60" equals "60.00" and "60.0"
    let mut d = base.clone();
    set(&mut d, "/annual_funding_plan/1/amount_wan", json!("60"));
    set(&mut d, "/annual_funding_plan/0/amount_wan", json!("120.0"));
    assert!(run(j, f, &d).valid);
    // funding sources: two sources must add up
    let mut d = base.clone();
    set(
        &mut d,
        "/funding_sources",
        json!([{"source": "local_fiscal", "amount_wan": "100.00"}, {"source": "self_raised", "amount_wan": "80.01"}]),
    );
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "error"),
        vec!["common.apply.funding-sum-matches-total"]
    );
    set(&mut d, "/funding_sources/1/amount_wan", json!("80"));
    assert!(run(j, f, &d).valid);
    // total 0.01 is positive
    let mut d = base.clone();
    for p in ["/total_investment_wan", "/funding_sources/0/amount_wan"] {
        set(&mut d, p, json!("0.01"));
    }
    set(
        &mut d,
        "/annual_funding_plan",
        json!([{"year": 2026, "amount_wan": "0.01"}]),
    );
    assert!(!fires(&run(j, f, &d), "common.apply.total-positive"));
}

#[test]
fn planned_period_and_funding_years() {
    let (j, f, base) = clean("potou-apply-001");
    // end = start: error; end = start + 1 day: fine
    let mut d = base.clone();
    set(&mut d, "/planned_end_date", json!("2026-01-05"));
    let r = run(j, f, &d);
    assert!(fires(&r, "common.apply.end-after-start"));
    assert_eq!(
        paths(&r, "common.apply.end-after-start"),
        vec![vec!["/planned_end_date", "/planned_start_date"]]
    );
    set(&mut d, "/planned_end_date", json!("2026-01-06"));
    assert!(!fires(&run(j, f, &d), "common.apply.end-after-start"));
    // duplicate years
    let mut d = base.clone();
    set(&mut d, "/annual_funding_plan/1/year", json!(2026));
    let r = run(j, f, &d);
    assert_eq!(ids(&r, "error"), vec!["common.apply.annual-years-unique"]);
    assert_eq!(of(&r, "common.apply.annual-years-unique").len(), 1);
    // a year outside the period (2026-01-05 … 2027-06-30): warning; years inside: none
    let mut d = base.clone();
    set(&mut d, "/annual_funding_plan/1/year", json!(2028));
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "warning"),
        vec!["common.apply.annual-year-outside-period"]
    );
    assert_eq!(
        of(&r, "common.apply.annual-year-outside-period")[0].severity,
        "warning"
    );
    set(&mut d, "/annual_funding_plan/1/year", json!(2025));
    assert!(fires(
        &run(j, f, &d),
        "common.apply.annual-year-outside-period"
    ));
    // a malformed year is not compared
    set(&mut d, "/annual_funding_plan/1/year", json!("2028"));
    let r = run(j, f, &d);
    assert!(!fires(&r, "common.apply.annual-year-outside-period"));
    assert!(!fires(&r, "common.apply.annual-years-unique"));
}

#[test]
fn start_before_submission_is_a_strict_comparison() {
    let (j, f, mut d) = clean("potou-apply-001");
    set(&mut d, "/planned_start_date", json!("2025-09-15")); // = submission date
    assert!(!fires(
        &run(j, f, &d),
        "common.apply.start-before-submission"
    ));
    set(&mut d, "/planned_start_date", json!("2025-09-14"));
    let r = run(j, f, &d);
    assert_eq!(
        paths(&r, "common.apply.start-before-submission"),
        vec![vec!["/planned_start_date", "/submission_date"]]
    );
    // without a submission date the comparison is false (required-field reports the gap)
    del(&mut d, "/submission_date");
    let r = run(j, f, &d);
    assert!(!fires(&r, "common.apply.start-before-submission"));
    assert_eq!(
        field_paths(&r, "common.any.required-field"),
        vec!["/submission_date"]
    );
}

#[test]
fn stage_document_must_be_attached_at_approval() {
    let (j, f, mut d) = case("bazhong-apply-007");
    // bazhong-apply-007 carries one exempted warning; the document is a feasibility study
    assert_eq!(d["approval_document"], "feasibility_study");
    remove_attachment(&mut d, "feasibility_study");
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "error"),
        vec!["common.apply.stage-document-attached"]
    );
    // at another stage the rule does not apply
    let (j, f, mut d) = clean("potou-apply-001");
    remove_attachment(&mut d, "project_plan");
    assert!(fires(
        &run(j, f, &d),
        "common.apply.stage-document-attached"
    ));
    set(&mut d, "/filing_stage", json!("record"));
    assert!(!fires(
        &run(j, f, &d),
        "common.apply.stage-document-attached"
    ));
}

#[test]
fn cross_department_filer_must_be_a_party() {
    let (j, f, mut d) = clean("potou-apply-001");
    let a = with_check("11440804MB2C47890");
    let b = with_check("12440804MB1D98765");
    set(&mut d, "/is_cross_department", json!(true));
    set(
        &mut d,
        "/lead_department",
        json!({"unit_name": "示例牵头局", "credit_code": a}),
    );
    set(
        &mut d,
        "/participating_departments",
        json!([{"unit_name": "示例参建局", "credit_code": b}]),
    );
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "error"),
        vec!["common.apply.cross-department-parties"]
    );
    assert_eq!(of(&r, "common.apply.cross-department-parties").len(), 1);
    // the applicant as lead: fine
    set(
        &mut d,
        "/lead_department/credit_code",
        json!("114408040073500118"),
    );
    assert!(!fires(
        &run(j, f, &d),
        "common.apply.cross-department-parties"
    ));
    // the applicant as the second participant: fine
    set(&mut d, "/lead_department/credit_code", json!(a));
    push(
        &mut d,
        "/participating_departments",
        json!({"unit_name": "示例业务局", "credit_code": "114408040073500118"}),
    );
    assert!(!fires(
        &run(j, f, &d),
        "common.apply.cross-department-parties"
    ));
    // not cross-department: the parties are not compared
    let mut d2 = d.clone();
    del(&mut d2, "/participating_departments/1");
    set(&mut d2, "/is_cross_department", json!(false));
    assert!(!fires(
        &run(j, f, &d2),
        "common.apply.cross-department-parties"
    ));
}

#[test]
fn change_items_must_add_up() {
    let (j, f, base) = clean("potou-change-001");
    let mut d = base.clone();
    set(&mut d, "/budget_items/0/original_wan", json!("120.01"));
    let r = run(j, f, &d);
    assert!(fires(&r, "common.change.items-sum-original"));
    assert!(!fires(&r, "common.change.items-sum-adjusted"));
    let mut d = base.clone();
    set(&mut d, "/budget_items/1/adjusted_wan", json!("109.99"));
    let r = run(j, f, &d);
    assert!(fires(&r, "common.change.items-sum-adjusted"));
    assert!(!fires(&r, "common.change.items-sum-original"));
    // a malformed item amount: amount-format only, no sum rule
    let mut d = base.clone();
    set(&mut d, "/budget_items/1/adjusted_wan", json!(110));
    let r = run(j, f, &d);
    assert_eq!(
        field_paths(&r, "common.any.amount-format"),
        vec!["/budget_items/1/adjusted_wan"]
    );
    assert!(!fires(&r, "common.change.items-sum-adjusted"));
}

#[test]
fn procurement_notice_order() {
    let (j, f, base) = case("pingyang-procure-001");
    assert!(!fires(&run(j, f, &base), "common.procure.notice-order"));
    let mut d = base.clone();
    set(&mut d, "/notice_end_date", json!("2025-05-06")); // = start: allowed
    assert!(!fires(&run(j, f, &d), "common.procure.notice-order"));
    set(&mut d, "/notice_end_date", json!("2025-05-05"));
    let r = run(j, f, &d);
    assert_eq!(
        paths(&r, "common.procure.notice-order"),
        vec![vec!["/notice_end_date", "/notice_start_date"]]
    );
}

#[test]
fn contract_dates_amounts_and_payment_plan() {
    let (j, f, base) = clean("gaogang-contract-001");
    // filing on the signing day is fine; before it is an error
    let mut d = base.clone();
    set(&mut d, "/submission_date", json!("2025-09-26"));
    assert!(!fires(
        &run(j, f, &d),
        "common.contract.filing-before-signing"
    ));
    set(&mut d, "/submission_date", json!("2025-09-25"));
    assert!(fires(
        &run(j, f, &d),
        "common.contract.filing-before-signing"
    ));
    // term order: equal is fine, earlier end is an error; the service term only when both given
    let mut d = base.clone();
    set(&mut d, "/performance_end_date", json!("2025-10-09"));
    assert!(!fires(&run(j, f, &d), "common.contract.term-order"));
    set(&mut d, "/performance_end_date", json!("2025-10-08"));
    assert!(fires(&run(j, f, &d), "common.contract.term-order"));
    let mut d = base.clone();
    set(&mut d, "/service_term_start_date", json!("2025-10-09"));
    set(&mut d, "/service_term_end_date", json!("2025-10-08"));
    assert!(fires(&run(j, f, &d), "common.contract.term-order"));
    del(&mut d, "/service_term_start_date");
    assert!(!fires(&run(j, f, &d), "common.contract.term-order"));
    // amount above the project total: warning; equal: none
    let mut d = base.clone();
    for p in ["/contract_amount_wan", "/project_total_wan"] {
        set(&mut d, p, json!("78.50"));
    }
    assert!(!fires(
        &run(j, f, &d),
        "common.contract.amount-exceeds-project"
    ));
    set(&mut d, "/project_total_wan", json!("78.49"));
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "warning"),
        vec!["common.contract.amount-exceeds-project"]
    );
    // payment plan: must add up when non-empty; an empty plan counts as absent
    let mut d = base.clone();
    set(&mut d, "/payment_plan/2/amount_wan", json!("7.84"));
    assert!(fires(&run(j, f, &d), "common.contract.payment-plan-sum"));
    let (jb, fb, mut d) = clean("bazhong-contract-001");
    set(&mut d, "/payment_plan", json!([]));
    assert!(!fires(&run(jb, fb, &d), "common.contract.payment-plan-sum"));
    set(
        &mut d,
        "/payment_plan",
        json!([{"milestone": "验收后", "amount_wan": "0.00"}]),
    );
    assert!(fires(&run(jb, fb, &d), "common.contract.payment-plan-sum"));
}

#[test]
fn calendar_not_covered_only_where_a_working_day_deadline_exists() {
    // gaogang (N = 10): signed 2026-12-24 → the walk leaves 2026
    let (j, f, mut d) = clean("gaogang-contract-001");
    set(&mut d, "/signing_date", json!("2026-12-24"));
    set(&mut d, "/submission_date", json!("2027-01-05"));
    set(&mut d, "/performance_start_date", json!("2027-01-05"));
    set(&mut d, "/performance_end_date", json!("2027-06-30"));
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "warning"),
        vec!["common.contract.calendar-not-covered"]
    );
    assert!(ids(&r, "error").is_empty());
    // signed 2026-12-16: the 10th working day is 2026-12-30, inside the calendar
    set(&mut d, "/signing_date", json!("2026-12-16"));
    set(&mut d, "/submission_date", json!("2026-12-30"));
    assert!(!fires(
        &run(j, f, &d),
        "common.contract.calendar-not-covered"
    ));
    // a signing day before the calendar: the walk starts outside it
    let (j, f, d) = case("gaogang-contract-005");
    assert_eq!(d["signing_date"], "2024-12-25");
    assert_eq!(
        ids(&run(j, f, &d), "warning"),
        vec!["common.contract.calendar-not-covered"]
    );
    // bazhong has no working-day deadline: no coverage warning
    let (j, f, mut d) = clean("bazhong-contract-001");
    set(&mut d, "/signing_date", json!("2027-03-01"));
    set(&mut d, "/submission_date", json!("2027-03-02"));
    assert!(!fires(
        &run(j, f, &d),
        "common.contract.calendar-not-covered"
    ));
    // pingyang: not for unit_self_procurement
    let (j, f, mut d) = case("pingyang-contract-007");
    assert_eq!(d["procurement_method"], "unit_self_procurement");
    set(&mut d, "/signing_date", json!("2026-12-28"));
    set(&mut d, "/submission_date", json!("2027-01-05"));
    assert!(!fires(
        &run(j, f, &d),
        "common.contract.calendar-not-covered"
    ));
    set(&mut d, "/procurement_method", json!("public_tender"));
    assert!(fires(
        &run(j, f, &d),
        "common.contract.calendar-not-covered"
    ));
}

#[test]
fn acceptance_dates() {
    let (j, f, base) = clean("gaogang-accept-001");
    let mut d = base.clone();
    set(&mut d, "/completion_date", json!("2026-09-15")); // = submission
    assert!(!fires(&run(j, f, &d), "common.accept.completion-in-future"));
    set(&mut d, "/completion_date", json!("2026-09-16"));
    assert!(fires(&run(j, f, &d), "common.accept.completion-in-future"));
    let mut d = base.clone();
    set(&mut d, "/trial_run/end_date", json!("2026-06-25")); // = start
    assert!(!fires(&run(j, f, &d), "common.accept.trial-run-order"));
    set(&mut d, "/trial_run/end_date", json!("2026-06-24"));
    assert_eq!(
        paths(&run(j, f, &d), "common.accept.trial-run-order"),
        vec![vec!["/trial_run/end_date", "/trial_run/start_date"]]
    );
    // trial not finished: only for acceptance_stage = final
    let mut d = base.clone();
    set(&mut d, "/trial_run/end_date", json!("2026-09-15"));
    assert!(!fires(&run(j, f, &d), "common.accept.trial-not-finished"));
    set(&mut d, "/trial_run/end_date", json!("2026-09-16"));
    assert!(fires(&run(j, f, &d), "common.accept.trial-not-finished"));
    let (j, f, mut d) = clean("potou-accept-001");
    assert_eq!(d["acceptance_stage"], "conformity_review");
    set(&mut d, "/trial_run/end_date", json!("2025-08-21"));
    assert!(!fires(&run(j, f, &d), "common.accept.trial-not-finished"));
}

#[test]
fn record_and_self_evaluation_dates() {
    let (j, f, mut d) = clean("pingyang-accept-record-001");
    let sub = d["submission_date"].clone();
    set(&mut d, "/acceptance_date", sub);
    assert!(!fires(
        &run(j, f, &d),
        "common.accept-record.date-in-future"
    ));
    let (j, f, mut d) = clean("bazhong-accept-record-001");
    set(&mut d, "/acceptance_date", json!("2025-04-19"));
    assert_eq!(
        paths(&run(j, f, &d), "common.accept-record.date-in-future"),
        vec![vec!["/acceptance_date", "/submission_date"]]
    );
    let (j, f, base) = clean("potou-self-eval-001");
    let mut d = base.clone();
    set(&mut d, "/operation_start_date", json!("2025-03-01"));
    assert!(fires(
        &run(j, f, &d),
        "common.self-eval.before-reference-date"
    ));
    let mut d = base.clone();
    set(&mut d, "/acceptance_date", json!("2025-02-28"));
    set(&mut d, "/operation_start_date", json!("2025-02-28"));
    assert!(!fires(
        &run(j, f, &d),
        "common.self-eval.before-reference-date"
    ));
}

#[test]
fn terminate_and_fund_amounts() {
    let (j, f, mut d) = clean("bazhong-terminate-001");
    set(&mut d, "/spent_to_date_wan", json!("100.00"));
    assert!(!fires(
        &run(j, f, &d),
        "common.terminate.spent-exceeds-total"
    ));
    set(&mut d, "/spent_to_date_wan", json!("100.01"));
    let r = run(j, f, &d);
    assert_eq!(
        ids(&r, "warning"),
        vec!["common.terminate.spent-exceeds-total"]
    );
    assert!(r.valid);
    let (j, f, mut d) = clean("gaogang-fund-002");
    set(&mut d, "/amount_wan", json!("0"));
    let r = run(j, f, &d);
    assert_eq!(
        paths(&r, "common.fund.amount-positive"),
        vec![vec!["/amount_wan"]]
    );
    set(&mut d, "/amount_wan", json!("0.01"));
    assert!(!fires(&run(j, f, &d), "common.fund.amount-positive"));
}

// ---------------------------------------------------------------------------------------------
// §0.5 condition semantics, through the rule language
// ---------------------------------------------------------------------------------------------

struct Probe {
    table: &'static validator_core::dsl::FieldTable,
    defs: Vec<Def>,
}

impl Probe {
    fn new(pack: &str, form: FormKind) -> Probe {
        let p = packs::pack(pack).unwrap();
        let c = compiled(p, form).unwrap();
        Probe {
            table: &c.table,
            defs: COMMON_DEFS
                .iter()
                .map(|(name, src)| Def { name, src })
                .collect(),
        }
    }
    fn idx(&self, path: &str) -> usize {
        self.table
            .fields
            .iter()
            .position(|f| f.path == path)
            .unwrap_or_else(|| panic!("no field {path}"))
    }
    fn empty_doc(&self) -> Doc<'static> {
        let root_n = self
            .table
            .fields
            .iter()
            .filter(|f| f.list.is_none())
            .count();
        Doc {
            root: vec![Val::Absent; root_n],
            lists: vec![Vec::new(); self.table.fields.len()],
            attached: 0,
        }
    }
    fn set(&self, doc: &mut Doc<'static>, path: &str, v: Val<'static>) {
        let i = self.idx(path);
        let slot = self.table.fields[i].slot;
        doc.root[slot] = v;
    }
    /// Sets a list to the given entries, each a list of (member key, value).
    fn list(&self, doc: &mut Doc<'static>, path: &str, entries: &[&[(&str, Val<'static>)]]) {
        let l = self.idx(path);
        let members: Vec<usize> = (0..self.table.fields.len())
            .filter(|&i| self.table.fields[i].list == Some(l))
            .collect();
        doc.root[self.table.fields[l].slot] = Val::Present;
        doc.lists[l] = entries
            .iter()
            .map(|e| {
                let mut slots = vec![Val::Absent; members.len()];
                for (k, v) in e.iter() {
                    let i = *members
                        .iter()
                        .find(|&&i| self.table.fields[i].key == *k)
                        .unwrap_or_else(|| panic!("no member {k}"));
                    slots[self.table.fields[i].slot] = *v;
                }
                slots
            })
            .collect();
    }
    fn eval(&self, doc: &Doc<'static>, src: &str) -> bool {
        let c = Compiler::new(self.table, &self.defs)
            .cond(src)
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        let cal = Calendar::builtin();
        Ctx::new(self.table, doc, &cal).cond(&c)
    }
}

#[test]
fn comparisons_on_absent_or_malformed_values_are_false_even_under_not() {
    let p = Probe::new("potou", FormKind::Apply);
    for (v, name) in [(Val::Absent, "absent"), (Val::Bad, "malformed")] {
        let mut d = p.empty_doc();
        p.set(&mut d, "is_classified", v);
        assert!(!p.eval(&d, "is_classified = true"), "{name}");
        assert!(!p.eval(&d, "is_classified = false"), "{name}");
        assert!(!p.eval(&d, "is_classified ≠ true"), "{name}");
        assert!(p.eval(&d, "not (is_classified = true)"), "{name}");
        assert!(p.eval(&d, "not (is_classified ≠ true)"), "{name}");
        p.set(&mut d, "project_nature", v);
        assert!(!p.eval(&d, "project_nature ∈ {om, upgrade}"), "{name}");
        assert!(!p.eval(&d, "project_nature ∉ {om, upgrade}"), "{name}");
        assert!(p.eval(&d, "not (project_nature ∈ {om, upgrade})"), "{name}");
        assert!(!p.eval(&d, "CONSTRUCTION"), "{name}");
        assert!(p.eval(&d, "not CONSTRUCTION"), "{name}");
        p.set(&mut d, "total_investment_wan", v);
        assert!(!p.eval(&d, "total_investment_wan = 0"), "{name}");
        assert!(!p.eval(&d, "total_investment_wan ≠ 0"), "{name}");
        assert!(!p.eval(&d, "total_investment_wan ≥ 0"), "{name}");
        assert!(!p.eval(&d, "0 ≤ total_investment_wan"), "{name}");
    }
    let mut d = p.empty_doc();
    p.set(&mut d, "is_classified", Val::Bool(true));
    assert!(p.eval(&d, "is_classified = true"));
    assert!(!p.eval(&d, "not (is_classified = true)"));
    p.set(&mut d, "total_investment_wan", Val::Wan(3000));
    assert!(p.eval(&d, "total_investment_wan ≥ 30.00"));
    assert!(p.eval(&d, "total_investment_wan = 30"));
    assert!(!p.eval(&d, "total_investment_wan > 30.00"));
}

#[test]
fn absence_sensitive_forms() {
    let p = Probe::new("potou", FormKind::Apply);
    let mut d = p.empty_doc();
    // absent
    assert!(p.eval(&d, "is_classified absent"));
    assert!(p.eval(&d, "is_classified is not true"));
    assert!(!p.eval(&d, "is_classified present"));
    // malformed: not absent, and `is not` reads it (false)
    p.set(&mut d, "is_classified", Val::Bad);
    assert!(!p.eval(&d, "is_classified absent"));
    assert!(!p.eval(&d, "is_classified is not true"));
    // false / true
    p.set(&mut d, "is_classified", Val::Bool(false));
    assert!(p.eval(&d, "is_classified is not true"));
    assert!(!p.eval(&d, "is_classified absent"));
    p.set(&mut d, "is_classified", Val::Bool(true));
    assert!(!p.eval(&d, "is_classified is not true"));
    // not has(k)
    assert!(p.eval(&d, "not has(project_plan)"));
    assert!(!p.eval(&d, "has(project_plan)"));
}

#[test]
fn existence_over_arrays_looks_at_each_entry() {
    let p = Probe::new("potou", FormKind::Apply);
    let mut d = p.empty_doc();
    // absent list: some is false, no is true
    assert!(!p.eval(&d, "some annual_funding_plan[] with (year = 2026)"));
    assert!(p.eval(&d, "no annual_funding_plan[] with (year = 2026)"));
    // an entry without the value does not satisfy the comparison; another entry may
    p.list(
        &mut d,
        "annual_funding_plan",
        &[
            &[("amount_wan", Val::Wan(100))],
            &[("year", Val::Int(2026))],
        ],
    );
    assert!(p.eval(&d, "some annual_funding_plan[] with (year = 2026)"));
    assert!(!p.eval(&d, "no annual_funding_plan[] with (year = 2026)"));
    p.list(
        &mut d,
        "annual_funding_plan",
        &[&[("amount_wan", Val::Wan(100))], &[("year", Val::Bad)]],
    );
    assert!(!p.eval(&d, "some annual_funding_plan[] with (year = 2026)"));
    assert!(!p.eval(&d, "some annual_funding_plan[] with (year ≠ 2026)"));
    assert!(p.eval(&d, "no annual_funding_plan[] with (year = 2026)"));
    assert!(p.eval(&d, "some annual_funding_plan[] with (not (year = 2026))"));
}

#[test]
fn sums_over_arrays() {
    let p = Probe::new("potou", FormKind::Apply);
    let mut d = p.empty_doc();
    // Σ over an absent array is not a number: every comparison on it is false
    assert!(!p.eval(&d, "Σ(annual_funding_plan[]: amount_wan) = 0"));
    assert!(!p.eval(&d, "Σ(annual_funding_plan[]: amount_wan) ≠ 0"));
    p.list(
        &mut d,
        "annual_funding_plan",
        &[
            &[("year", Val::Int(2026)), ("amount_wan", Val::Wan(12000))],
            &[("year", Val::Int(2027)), ("amount_wan", Val::Wan(6001))],
        ],
    );
    assert!(p.eval(&d, "Σ(annual_funding_plan[]: amount_wan) = 180.01"));
    // a filter selecting nothing gives 0
    assert!(p.eval(
        &d,
        "Σ(annual_funding_plan[] where year = 2030: amount_wan) = 0"
    ));
    assert!(p.eval(
        &d,
        "Σ(annual_funding_plan[] where year = 2027: amount_wan) = 60.01"
    ));
    // a selected entry with a malformed or absent amount makes the sum malformed
    for bad in [Val::Bad, Val::Absent] {
        p.list(
            &mut d,
            "annual_funding_plan",
            &[
                &[("year", Val::Int(2026)), ("amount_wan", Val::Wan(12000))],
                &[("year", Val::Int(2027)), ("amount_wan", bad)],
            ],
        );
        assert!(!p.eval(&d, "Σ(annual_funding_plan[]: amount_wan) = 120"));
        assert!(!p.eval(&d, "Σ(annual_funding_plan[]: amount_wan) ≠ 120"));
        assert!(!p.eval(
            &d,
            "Σ(annual_funding_plan[] where year = 2027: amount_wan) = 0"
        ));
        // …but an entry the filter does not select does not matter
        assert!(p.eval(
            &d,
            "Σ(annual_funding_plan[] where year = 2026: amount_wan) = 120"
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Dates and the holiday calendar (§0.5, §0.6)
// ---------------------------------------------------------------------------------------------

fn date(s: &str) -> Date {
    Date::parse(s).unwrap_or_else(|| panic!("{s}"))
}

#[test]
fn add_months_examples_of_the_spec() {
    assert_eq!(date("2024-02-29").add_months(12), Some(date("2025-02-28")));
    assert_eq!(date("2025-01-31").add_months(1), Some(date("2025-02-28")));
    assert_eq!(date("2024-01-31").add_months(1), Some(date("2024-02-29")));
    assert_eq!(date("2025-08-31").add_months(6), Some(date("2026-02-28")));
    // a span 2025-01-01 … 2027-12-31 is exactly three years
    assert_eq!(
        date("2025-01-01").add_months(36).map(|d| d.add_days(-1)),
        Some(date("2027-12-31"))
    );
}

#[test]
fn the_builtin_calendar_is_exactly_the_table_of_section_0_6() {
    // (year, days off as inclusive ranges, make-up working days) — copied from §0.6
    type YearRow<'a> = (i32, &'a [(&'a str, &'a str)], &'a [&'a str]);
    let table: [YearRow; 2] = [
        (
            2025,
            &[
                ("01-01", "01-01"),
                ("01-28", "02-04"),
                ("04-04", "04-06"),
                ("05-01", "05-05"),
                ("05-31", "06-02"),
                ("10-01", "10-08"),
            ],
            &["01-26", "02-08", "04-27", "09-28", "10-11"],
        ),
        (
            2026,
            &[
                ("01-01", "01-03"),
                ("02-15", "02-23"),
                ("04-04", "04-06"),
                ("05-01", "05-05"),
                ("06-19", "06-21"),
                ("09-25", "09-27"),
                ("10-01", "10-07"),
            ],
            &["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
        ),
    ];
    let cal = Calendar::builtin();
    for (y, off, work) in table {
        let off: Vec<(Date, Date)> = off
            .iter()
            .map(|(a, b)| (date(&format!("{y}-{a}")), date(&format!("{y}-{b}"))))
            .collect();
        let work: Vec<Date> = work.iter().map(|w| date(&format!("{y}-{w}"))).collect();
        let mut day = date(&format!("{y}-01-01"));
        let mut n = 0;
        while day.year() == y {
            let is_off = off.iter().any(|(a, b)| *a <= day && day <= *b);
            let expected = work.contains(&day) || (day.weekday() < 5 && !is_off);
            assert_eq!(cal.is_working_day(day), Some(expected), "{day}");
            day = day.add_days(1);
            n += 1;
        }
        assert!(n >= 365);
        // make-up days are weekend days (the table annotates each with Sat/Sun)
        assert!(work.iter().all(|w| w.weekday() >= 5));
    }
    assert_eq!(cal.is_working_day(date("2024-12-31")), None);
    assert_eq!(cal.is_working_day(date("2027-01-01")), None);
}

#[test]
fn working_day_examples_of_the_spec() {
    let cal = Calendar::builtin();
    for (signed, n, due) in [
        ("2025-09-26", 10, "2025-10-16"),
        ("2025-12-26", 10, "2026-01-12"),
        ("2025-12-26", 7, "2026-01-07"),
        ("2025-04-25", 7, "2025-05-08"),
    ] {
        assert_eq!(
            cal.add_working_days(date(signed), n),
            Some(date(due)),
            "{signed} + {n}"
        );
    }
    // the walk must stay inside the calendar; the start day may lie outside it
    assert_eq!(cal.add_working_days(date("2026-12-24"), 10), None);
    assert_eq!(
        cal.add_working_days(date("2024-12-31"), 1),
        Some(date("2025-01-02"))
    );
    assert_eq!(cal.add_working_days(date("2024-12-25"), 10), None);
}
