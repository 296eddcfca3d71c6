//! Focused tests of the `potou` pack (spec §3.2; seed 000_c3b168856ee383a0.txt).
//!
//! Each test starts from a case of `shared/cases/potou.json`, mutates it with serde_json and runs
//! it through `validator_core::validate`. The expectation is the exact set of `potou.*` error and
//! warning IDs the spec's condition column (with the §0.5 semantics) implies; where a test is also
//! about a product rule (a required field, an invalid exemption claim) that ID is asserted too.

use serde_json::{json, Value};
use std::collections::BTreeSet;

mod support;

/// The `data` of a shared case.
fn base(id: &str) -> Value {
    support::shared_case(id)["data"].clone()
}

/// A mutation of a case's data. Pointers are JSON Pointers (`/a/0/b`).
#[derive(Clone)]
enum Edit {
    /// Set a value, creating missing parent objects.
    Set(&'static str, Value),
    /// Remove a member / array element (absent, not null).
    Del(&'static str),
    /// Remove every attachment of this kind.
    Detach(&'static str),
    /// Add an attachment of this kind.
    Attach(&'static str),
}
use Edit::*;

fn set_ptr(v: &mut Value, ptr: &str, new: Value) {
    let mut cur = v;
    let segs: Vec<&str> = ptr.trim_start_matches('/').split('/').collect();
    for (i, s) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        cur = match cur {
            Value::Object(m) => {
                if last {
                    m.insert((*s).to_string(), new);
                    return;
                }
                m.entry((*s).to_string()).or_insert_with(|| json!({}))
            }
            Value::Array(a) => {
                let k: usize = s.parse().expect("array index");
                if last {
                    if k == a.len() {
                        a.push(new);
                    } else {
                        a[k] = new;
                    }
                    return;
                }
                &mut a[k]
            }
            _ => panic!("{ptr}: not a container"),
        };
    }
}

fn del_ptr(v: &mut Value, ptr: &str) {
    let (parent, key) = ptr.rsplit_once('/').expect("pointer");
    let p = if parent.is_empty() {
        v
    } else {
        v.pointer_mut(parent)
            .unwrap_or_else(|| panic!("{ptr}: no parent"))
    };
    match p {
        Value::Object(m) => {
            m.remove(key)
                .unwrap_or_else(|| panic!("{ptr}: nothing to delete"));
        }
        Value::Array(a) => {
            a.remove(key.parse().expect("array index"));
        }
        _ => panic!("{ptr}: not a container"),
    }
}

fn edit(mut v: Value, edits: &[Edit]) -> Value {
    for e in edits {
        match e {
            Set(p, x) => set_ptr(&mut v, p, x.clone()),
            Del(p) => del_ptr(&mut v, p),
            Detach(k) => {
                let a = v["attachments"].as_array_mut().expect("attachments");
                let before = a.len();
                a.retain(|x| x["kind"] != *k);
                assert!(a.len() < before, "no attachment of kind {k} to detach");
            }
            Attach(k) => {
                let a = v
                    .as_object_mut()
                    .expect("object")
                    .entry("attachments")
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                    .expect("attachments");
                a.push(json!({"kind": k, "file_name": format!("{k}.pdf")}));
            }
        }
    }
    v
}

struct Outcome {
    errors: BTreeSet<String>,
    warnings: BTreeSet<String>,
    infos: BTreeSet<String>,
    exempted: BTreeSet<String>,
}

fn run(form: &str, data: &Value) -> Outcome {
    let r = validator_core::validate("potou", form, data).expect("potou offers the form");
    let of =
        |s: &str| -> BTreeSet<String> { r.rules_with(s).into_iter().map(String::from).collect() };
    let out = Outcome {
        errors: of("error"),
        warnings: of("warning"),
        infos: of("info"),
        exempted: r
            .findings
            .iter()
            .filter(|f| f.exempted)
            .map(|f| f.rule.clone())
            .collect(),
    };
    assert_eq!(r.valid, out.errors.is_empty(), "valid flag = no errors");
    out
}

fn potou(s: &BTreeSet<String>) -> BTreeSet<String> {
    s.iter()
        .filter(|x| x.starts_with("potou."))
        .cloned()
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// One data-driven check: the exact `potou.*` errors and warnings, plus other IDs that must be
/// among the errors (`also`).
struct Check {
    name: &'static str,
    edits: Vec<Edit>,
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
    also: &'static [&'static str],
}

fn chk(
    name: &'static str,
    edits: Vec<Edit>,
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
) -> Check {
    Check {
        name,
        edits,
        errors,
        warnings,
        also: &[],
    }
}

fn chk_also(
    name: &'static str,
    edits: Vec<Edit>,
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
    also: &'static [&'static str],
) -> Check {
    Check {
        name,
        edits,
        errors,
        warnings,
        also,
    }
}

fn run_table(form: &str, base_data: &Value, table: &[Check]) {
    let mut failures = Vec::new();
    for c in table {
        let data = edit(base_data.clone(), &c.edits);
        let o = run(form, &data);
        let (ge, gw) = (potou(&o.errors), potou(&o.warnings));
        let missing_also: Vec<_> = c.also.iter().filter(|a| !o.errors.contains(**a)).collect();
        if ge != set(c.errors) || gw != set(c.warnings) || !missing_also.is_empty() {
            failures.push(format!(
                "{}:\n  want errors {:?} warnings {:?} (and {:?})\n  got  errors {:?} warnings {:?}",
                c.name, c.errors, c.warnings, c.also, o.errors, o.warnings
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------- bases

/// potou-apply-001: professional software development, approval track, clean.
fn apply_base() -> Value {
    base("potou-apply-001")
}

/// potou-apply-014 made clean: an O&M project (om / om_service) on the record track whose
/// single target system complies with 第八条(一)–(四).
fn om_base() -> Value {
    edit(
        base("potou-apply-014"),
        &[
            Set("/target_systems/0/security_compliant", json!(true)),
            Set("/target_systems/0/secure_reliable_compliant", json!(true)),
        ],
    )
}

fn compliant_system(name: &str) -> Value {
    json!({
        "system_name": name,
        "in_system_catalog": true,
        "data_sharing_compliant": true,
        "security_compliant": true,
        "secure_reliable_compliant": true
    })
}

fn claim(rule: &str, basis: &str) -> Value {
    json!({
        "rule_id": rule,
        "basis": basis,
        "document_no": "示例〔2025〕9号",
        "explanation": "经上级部门书面明确要求，需对该系统继续提供运维服务。"
    })
}

#[test]
fn bases_are_clean() {
    for (form, data) in [
        ("apply", apply_base()),
        ("apply", om_base()),
        ("change", base("potou-change-001")),
        ("accept", base("potou-accept-001")),
        ("self-eval", base("potou-self-eval-001")),
    ] {
        let o = run(form, &data);
        assert!(
            o.errors.is_empty() && o.warnings.is_empty(),
            "{form}: {:?} {:?}",
            o.errors,
            o.warnings
        );
    }
}

// ---------------------------------------------------------------- apply: scope (第二条、第五条)

#[test]
fn apply_classified_and_fiscal_scope() {
    run_table(
        "apply",
        &apply_base(),
        &[
            chk_also(
                "classified",
                vec![Set("/is_classified", json!(true))],
                &["potou.apply.classified-out-of-scope"],
                &[],
                &["common.apply.classified-not-accepted"],
            ),
            chk_also(
                "is_classified malformed (string) does not compare",
                vec![Set("/is_classified", json!("true"))],
                &[],
                &[],
                &["common.any.field-format"],
            ),
            chk(
                "only upper-level funds",
                vec![Set("/funding_sources", json!([{"source": "upper_fiscal", "amount_wan": "180.00"}]))],
                &[],
                &["potou.apply.local-fiscal-scope"],
            ),
            chk(
                "local_fiscal entry of 0 does not count (amount > 0)",
                vec![Set(
                    "/funding_sources",
                    json!([{"source": "local_fiscal", "amount_wan": "0"},
                           {"source": "self_raised", "amount_wan": "180.00"}]),
                )],
                &[],
                &["potou.apply.local-fiscal-scope"],
            ),
            chk(
                "local_fiscal 0.01 is enough",
                vec![Set(
                    "/funding_sources",
                    json!([{"source": "local_fiscal", "amount_wan": "0.01"},
                           {"source": "self_raised", "amount_wan": "179.99"}]),
                )],
                &[],
                &[],
            ),
            chk_also(
                "local_fiscal entry with a malformed amount satisfies nothing: `no` entry qualifies",
                vec![Set("/funding_sources", json!([{"source": "local_fiscal", "amount_wan": 180}]))],
                &[],
                &["potou.apply.local-fiscal-scope"],
                &["common.any.amount-format"],
            ),
        ],
    );
}

// ---------------------------------------------------------------- apply: classification (第二条、第四条)

#[test]
fn apply_service_classification() {
    run_table(
        "apply",
        &apply_base(),
        &[
            chk(
                "software_dev with an O&M sub-category",
                vec![Set("/service_subcategory", json!("infra_om"))],
                &["potou.apply.service-classification"],
                &[],
            ),
            chk(
                "infrastructure with a software sub-category",
                vec![Set("/service_category", json!("infrastructure"))],
                &["potou.apply.service-classification"],
                &[],
            ),
            chk(
                "public_infra declared professional",
                vec![
                    Set("/service_category", json!("infrastructure")),
                    Set("/service_subcategory", json!("public_infra")),
                ],
                &["potou.apply.service-classification"],
                &[],
            ),
            chk(
                "professional_infra, professional: consistent",
                vec![
                    Set("/service_category", json!("infrastructure")),
                    Set("/service_subcategory", json!("professional_infra")),
                ],
                &[],
                &[],
            ),
            chk(
                "professional_software declared public (data bureau filing)",
                vec![
                    Set("/service_scope", json!("public")),
                    Set("/applicant/is_data_authority", json!(true)),
                ],
                &["potou.apply.service-classification"],
                &[],
            ),
            chk(
                "general_software, public, filed by the data bureau: consistent",
                vec![
                    Set("/service_subcategory", json!("general_software")),
                    Set("/service_scope", json!("public")),
                    Set("/applicant/is_data_authority", json!(true)),
                ],
                &[],
                &[],
            ),
            chk(
                "third_party sub-categories carry no scope constraint",
                vec![
                    Set("/service_category", json!("third_party")),
                    Set("/service_subcategory", json!("security")),
                ],
                &[],
                &[],
            ),
            chk(
                "third_party with a software sub-category",
                vec![Set("/service_category", json!("third_party"))],
                &["potou.apply.service-classification"],
                &[],
            ),
            chk_also(
                "sub-category absent: no comparison, only the required field",
                vec![Del("/service_subcategory")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk_also(
                "scope absent: `service_scope ≠ professional` reads an absent value",
                vec![Del("/service_scope")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
        ],
    );
}

#[test]
fn apply_public_class_by_bureau() {
    let public = edit(
        apply_base(),
        &[
            Set("/service_subcategory", json!("general_software")),
            Set("/service_scope", json!("public")),
        ],
    );
    run_table(
        "apply",
        &public,
        &[
            chk(
                "is_data_authority absent",
                vec![],
                &["potou.apply.public-class-by-bureau"],
                &[],
            ),
            chk(
                "is_data_authority false",
                vec![Set("/applicant/is_data_authority", json!(false))],
                &["potou.apply.public-class-by-bureau"],
                &[],
            ),
            chk(
                "is_data_authority true",
                vec![Set("/applicant/is_data_authority", json!(true))],
                &[],
                &[],
            ),
            chk_also(
                "is_data_authority malformed is neither false nor absent",
                vec![Set("/applicant/is_data_authority", json!("yes"))],
                &[],
                &[],
                &["common.any.field-format"],
            ),
            chk(
                "null is absent",
                vec![Set("/applicant/is_data_authority", Value::Null)],
                &["potou.apply.public-class-by-bureau"],
                &[],
            ),
        ],
    );
}

// ---------------------------------------------------------------- apply: 第六条、第七条

#[test]
fn apply_plan_catalog_sharing_and_system_total() {
    run_table(
        "apply",
        &apply_base(),
        &[
            chk(
                "no unit IT plan",
                vec![Set("/unit_it_plan_in_place", json!(false))],
                &["potou.apply.plan-and-catalog-prerequisite"],
                &[],
            ),
            chk_also(
                "unit IT plan absent: required field only",
                vec![Del("/unit_it_plan_in_place")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk(
                "catalogue not compiled",
                vec![Set("/data_resource_catalog/compiled", json!(false))],
                &["potou.apply.plan-and-catalog-prerequisite"],
                &[],
            ),
            chk(
                "catalogue not attached",
                vec![Detach("data_resource_catalog")],
                &["potou.apply.plan-and-catalog-prerequisite"],
                &[],
            ),
            chk_also(
                "catalogue object absent but attached: required field only",
                vec![Del("/data_resource_catalog")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk(
                "sharing analysis not included",
                vec![Set("/info_sharing_analysis/included", json!(false))],
                &[],
                &["potou.apply.sharing-security-basis"],
            ),
            chk(
                "no secure-reliable statement",
                vec![Detach("secure_reliable_statement")],
                &[],
                &["potou.apply.sharing-security-basis"],
            ),
            chk_also(
                "sharing-analysis object absent: required field only",
                vec![Del("/info_sharing_analysis")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk(
                "adds more systems than it retires",
                vec![
                    Set("/systems_added", json!(2)),
                    Set("/systems_retired", json!(1)),
                ],
                &[],
                &["potou.apply.system-total-no-increase"],
            ),
            chk(
                "adds as many as it retires",
                vec![
                    Set("/systems_added", json!(3)),
                    Set("/systems_retired", json!(3)),
                ],
                &[],
                &[],
            ),
            chk(
                "retires more than it adds",
                vec![
                    Set("/systems_added", json!(0)),
                    Set("/systems_retired", json!(2)),
                ],
                &[],
                &[],
            ),
            chk_also(
                "systems_retired absent: no comparison",
                vec![Set("/systems_added", json!(2)), Del("/systems_retired")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
        ],
    );
}

// ---------------------------------------------------------------- apply: 第八条 (exemptible)

const OM4: [&str; 4] = [
    "potou.apply.om-system-not-in-catalog",
    "potou.apply.om-system-sharing-noncompliant",
    "potou.apply.om-system-security-noncompliant",
    "potou.apply.om-system-not-secure-reliable",
];

#[test]
fn apply_om_system_conditions() {
    let two = edit(
        om_base(),
        &[Set(
            "/target_systems/1",
            compliant_system("坡头区示例第二业务系统"),
        )],
    );
    run_table(
        "apply",
        &two,
        &[
            chk("two compliant systems", vec![], &[], &[]),
            chk(
                "second system not in catalogue (some entry)",
                vec![Set("/target_systems/1/in_system_catalog", json!(false))],
                &["potou.apply.om-system-not-in-catalog"],
                &[],
            ),
            chk(
                "sharing non-compliant",
                vec![Set(
                    "/target_systems/0/data_sharing_compliant",
                    json!(false),
                )],
                &["potou.apply.om-system-sharing-noncompliant"],
                &[],
            ),
            chk(
                "security non-compliant",
                vec![Set("/target_systems/1/security_compliant", json!(false))],
                &["potou.apply.om-system-security-noncompliant"],
                &[],
            ),
            chk(
                "not secure-reliable",
                vec![Set(
                    "/target_systems/0/secure_reliable_compliant",
                    json!(false),
                )],
                &["potou.apply.om-system-not-secure-reliable"],
                &[],
            ),
            chk(
                "all four, spread over two systems",
                vec![
                    Set("/target_systems/0/in_system_catalog", json!(false)),
                    Set("/target_systems/0/security_compliant", json!(false)),
                    Set("/target_systems/1/data_sharing_compliant", json!(false)),
                    Set("/target_systems/1/secure_reliable_compliant", json!(false)),
                ],
                &OM4,
                &[],
            ),
            chk_also(
                "flag absent in an entry: required field, no rule",
                vec![Del("/target_systems/1/in_system_catalog")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk_also(
                "flag malformed in an entry: format, no rule",
                vec![Set("/target_systems/1/in_system_catalog", json!("false"))],
                &[],
                &[],
                &["common.any.field-format"],
            ),
            chk_also(
                "target_systems absent in O&M scope: required, `some` is false",
                vec![Del("/target_systems")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk_also(
                "target_systems empty = absent",
                vec![Set("/target_systems", json!([]))],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk(
                "scope by category alone: business_operation bought as a service",
                vec![
                    Set("/project_nature", json!("service_purchase")),
                    Del("/predecessor_project"),
                    Set("/service_category", json!("business_operation")),
                    Set("/service_subcategory", json!("business_operation")),
                    Set("/below_procurement_limit", json!(true)),
                    Set("/target_systems/0/in_system_catalog", json!(false)),
                ],
                &["potou.apply.om-system-not-in-catalog"],
                &[],
            ),
            chk(
                "out of scope: third-party service purchase ignores target systems",
                vec![
                    Set("/project_nature", json!("service_purchase")),
                    Del("/predecessor_project"),
                    Set("/service_category", json!("third_party")),
                    Set("/service_subcategory", json!("testing")),
                    Set("/target_systems/0/in_system_catalog", json!(false)),
                    Set("/target_systems/1/security_compliant", json!(false)),
                ],
                &[],
                &[],
            ),
        ],
    );

    // scope by nature alone: an upgrade of a software-development project
    let upgrade = edit(
        apply_base(),
        &[
            Set("/project_nature", json!("upgrade")),
            Set(
                "/predecessor_project",
                json!({"project_name": "坡头区示例业务系统建设项目", "accepted": true, "acceptance_date": "2024-12-20"}),
            ),
            Set(
                "/target_systems",
                json!([compliant_system("坡头区示例业务系统")]),
            ),
        ],
    );
    run_table(
        "apply",
        &upgrade,
        &[
            chk("upgrade, compliant", vec![], &[], &[]),
            chk(
                "upgrade of a system outside the catalogue",
                vec![Set("/target_systems/0/in_system_catalog", json!(false))],
                &["potou.apply.om-system-not-in-catalog"],
                &[],
            ),
            chk(
                "new build (not O&M scope) ignores target systems",
                vec![
                    Set("/project_nature", json!("new_build")),
                    Set("/target_systems/0/in_system_catalog", json!(false)),
                    Set("/target_systems/0/secure_reliable_compliant", json!(false)),
                ],
                &[],
                &[],
            ),
        ],
    );
}

#[test]
fn apply_om_system_exemption_claims() {
    let bad = edit(
        om_base(),
        &[
            Set("/target_systems/0/in_system_catalog", json!(false)),
            Set("/target_systems/0/data_sharing_compliant", json!(false)),
        ],
    );
    // every listed basis downgrades the named rule only
    for basis in [
        "law_regulation",
        "higher_mandate",
        "special_circumstance",
        "other",
    ] {
        let d = edit(
            bad.clone(),
            &[Set(
                "/exemption_claims",
                json!([claim("potou.apply.om-system-not-in-catalog", basis)]),
            )],
        );
        let o = run("apply", &d);
        assert_eq!(
            potou(&o.errors),
            set(&["potou.apply.om-system-sharing-noncompliant"]),
            "{basis}: {:?}",
            o.errors
        );
        assert_eq!(
            potou(&o.warnings),
            set(&["potou.apply.om-system-not-in-catalog"]),
            "{basis}"
        );
        assert_eq!(
            o.exempted,
            set(&["potou.apply.om-system-not-in-catalog"]),
            "{basis}"
        );
        assert!(
            !o.errors.contains("common.any.exemption-claim-invalid"),
            "{basis}"
        );
    }

    // both claimed: no error left, filing valid
    let d = edit(
        bad.clone(),
        &[Set(
            "/exemption_claims",
            json!([
                claim("potou.apply.om-system-not-in-catalog", "higher_mandate"),
                claim(
                    "potou.apply.om-system-sharing-noncompliant",
                    "special_circumstance"
                )
            ]),
        )],
    );
    let o = run("apply", &d);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert_eq!(
        potou(&o.warnings),
        set(&[
            "potou.apply.om-system-not-in-catalog",
            "potou.apply.om-system-sharing-noncompliant"
        ])
    );

    // a claim on a non-exemptible rule is invalid and downgrades nothing; the valid claim next
    // to it still works (each claim is judged on its own)
    let d = edit(
        bad.clone(),
        &[
            Set("/filing_stage", json!("record")),
            Set("/service_category", json!("software_dev")),
            Set("/service_subcategory", json!("professional_software")),
            Set("/project_nature", json!("upgrade")),
            Set("/djcp_level", json!("level_2")),
            Set("/deployment_location", json!("gov_cloud")),
            Set("/supervision_planned", json!(false)),
            Set("/below_procurement_limit", json!(false)),
            Set(
                "/exemption_claims",
                json!([
                    claim("potou.apply.record-track-eligibility", "higher_mandate"),
                    claim("potou.apply.om-system-not-in-catalog", "other")
                ]),
            ),
        ],
    );
    let o = run("apply", &d);
    assert_eq!(
        potou(&o.errors),
        set(&[
            "potou.apply.om-system-sharing-noncompliant",
            "potou.apply.record-track-eligibility"
        ]),
        "{:?}",
        o.errors
    );
    assert!(o.errors.contains("common.any.exemption-claim-invalid"));
    assert_eq!(
        potou(&o.warnings),
        set(&["potou.apply.om-system-not-in-catalog"])
    );

    // a claim on a warning-level, non-exemptible rule is invalid too
    let d = edit(
        om_base(),
        &[
            Set("/systems_added", json!(1)),
            Set(
                "/exemption_claims",
                json!([claim("potou.apply.system-total-no-increase", "other")]),
            ),
        ],
    );
    let o = run("apply", &d);
    assert!(
        o.errors.contains("common.any.exemption-claim-invalid"),
        "{:?}",
        o.errors
    );
    assert_eq!(
        potou(&o.warnings),
        set(&["potou.apply.system-total-no-increase"])
    );

    // an exemptible apply rule claimed on another form is not exemptible there
    let d = edit(
        base("potou-change-001"),
        &[Set(
            "/exemption_claims",
            json!([claim("potou.apply.om-system-not-in-catalog", "other")]),
        )],
    );
    let o = run("change", &d);
    assert_eq!(o.errors, set(&["common.any.exemption-claim-invalid"]));
}

// ---------------------------------------------------------------- apply: 第十条–第十三条

#[test]
fn apply_crypto_notice_is_info() {
    let o = run("apply", &apply_base());
    assert!(o.infos.contains("potou.apply.crypto-review-notice"));
    let o = run(
        "apply",
        &edit(apply_base(), &[Set("/involves_crypto", json!(false))]),
    );
    assert!(!o.infos.contains("potou.apply.crypto-review-notice"));
    assert!(o.errors.is_empty() && o.warnings.is_empty());
}

#[test]
fn apply_record_track_eligibility() {
    let record = edit(apply_base(), &[Set("/filing_stage", json!("record"))]);
    run_table(
        "apply",
        &record,
        &[
            chk(
                "software development below the limit",
                vec![Set("/below_procurement_limit", json!(true))],
                &[],
                &[],
            ),
            chk(
                "software development not below the limit",
                vec![Set("/below_procurement_limit", json!(false))],
                &["potou.apply.record-track-eligibility"],
                &[],
            ),
            chk_also(
                "limit flag absent: required, and `not (x = true)` is true",
                vec![],
                &["potou.apply.record-track-eligibility"],
                &[],
                &["common.any.required-field"],
            ),
            chk_also(
                "limit flag malformed: the comparison inside not(…) is false",
                vec![Set("/below_procurement_limit", json!("true"))],
                &["potou.apply.record-track-eligibility"],
                &[],
                &["common.any.field-format"],
            ),
            chk(
                "professional infrastructure not below the limit",
                vec![
                    Set("/service_category", json!("infrastructure")),
                    Set("/service_subcategory", json!("professional_infra")),
                    Set("/below_procurement_limit", json!(false)),
                ],
                &["potou.apply.record-track-eligibility"],
                &[],
            ),
            chk(
                "third-party service: always eligible, flag not needed",
                vec![
                    Set("/service_category", json!("third_party")),
                    Set("/service_subcategory", json!("supervision")),
                ],
                &[],
                &[],
            ),
            chk(
                "third-party service with flag false: still eligible",
                vec![
                    Set("/service_category", json!("third_party")),
                    Set("/service_subcategory", json!("consulting")),
                    Set("/below_procurement_limit", json!(false)),
                ],
                &[],
                &[],
            ),
            chk(
                "category absent: not (… ∈ …) is true",
                vec![
                    Del("/service_category"),
                    Set("/below_procurement_limit", json!(true)),
                ],
                &["potou.apply.record-track-eligibility"],
                &[],
            ),
            chk(
                "approval track never checked",
                vec![
                    Set("/filing_stage", json!("approval")),
                    Set("/below_procurement_limit", json!(false)),
                ],
                &[],
                &[],
            ),
        ],
    );
    // O&M service on the record track needs no limit flag (potou-apply-014 shape)
    let o = run("apply", &om_base());
    assert!(!o.errors.contains("potou.apply.record-track-eligibility"));
    assert!(
        !o.errors.contains("common.any.required-field"),
        "{:?}",
        o.errors
    );
    // business operation below the limit (O&M scope: target systems present)
    let d = edit(
        om_base(),
        &[
            Set("/service_category", json!("business_operation")),
            Set("/service_subcategory", json!("business_operation")),
        ],
    );
    let o = run("apply", &d);
    assert_eq!(
        potou(&o.errors),
        set(&["potou.apply.record-track-eligibility"])
    );
    assert!(o.errors.contains("common.any.required-field"));
    let o = run(
        "apply",
        &edit(d, &[Set("/below_procurement_limit", json!(true))]),
    );
    assert!(o.errors.is_empty(), "{:?}", o.errors);
}

#[test]
fn apply_plan_and_internal_review() {
    run_table(
        "apply",
        &apply_base(),
        &[
            chk(
                "no project plan",
                vec![Detach("project_plan")],
                &["potou.apply.plan-and-internal-review"],
                &[],
            ),
            chk(
                "professional approval without internal review",
                vec![Detach("internal_review_opinion")],
                &["potou.apply.plan-and-internal-review"],
                &[],
            ),
            chk(
                "professional record without internal review",
                vec![
                    Detach("internal_review_opinion"),
                    Set("/filing_stage", json!("record")),
                    Set("/below_procurement_limit", json!(true)),
                ],
                &["potou.apply.plan-and-internal-review"],
                &[],
            ),
            chk_also(
                "scope absent: the exception's comparison is false, rule fires",
                vec![Detach("internal_review_opinion"), Del("/service_scope")],
                &["potou.apply.plan-and-internal-review"],
                &[],
                &["common.any.required-field"],
            ),
        ],
    );
    // potou-apply-012: public class, approval track, filed by the data bureau, no internal review
    let public = base("potou-apply-012");
    run_table(
        "apply",
        &public,
        &[
            chk("public approval needs no internal review", vec![], &[], &[]),
            chk(
                "public approval still needs the plan",
                vec![Detach("project_plan")],
                &["potou.apply.plan-and-internal-review"],
                &[],
            ),
            chk(
                "public record needs the internal review (第十二条(一))",
                vec![
                    Set("/filing_stage", json!("record")),
                    Set("/service_category", json!("third_party")),
                    Set("/service_subcategory", json!("consulting")),
                ],
                &["potou.apply.plan-and-internal-review"],
                &[],
            ),
            chk(
                "public record with the internal review",
                vec![
                    Set("/filing_stage", json!("record")),
                    Set("/service_category", json!("third_party")),
                    Set("/service_subcategory", json!("consulting")),
                    Attach("internal_review_opinion"),
                ],
                &[],
                &[],
            ),
        ],
    );
}

#[test]
fn apply_finance_opinion() {
    run_table(
        "apply",
        &apply_base(),
        &[
            chk(
                "new fiscal funds without the finance opinion",
                vec![Set("/involves_new_fiscal_funds", json!(true))],
                &["potou.apply.finance-opinion-for-new-funds"],
                &[],
            ),
            chk(
                "new fiscal funds with the finance opinion",
                vec![
                    Set("/involves_new_fiscal_funds", json!(true)),
                    Attach("opinion_finance"),
                ],
                &[],
                &[],
            ),
            chk_also(
                "flag absent: required only",
                vec![Del("/involves_new_fiscal_funds")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
        ],
    );
}

// ---------------------------------------------------------------- apply: 第十四条

#[test]
fn apply_september_deadline() {
    const W: &[&str] = &["potou.apply.september-deadline"];
    run_table(
        "apply",
        &apply_base(),
        &[
            chk(
                "30 September of B−1 is on time",
                vec![Set("/submission_date", json!("2025-09-30"))],
                &[],
                &[],
            ),
            chk(
                "1 October of B−1 is late",
                vec![Set("/submission_date", json!("2025-10-01"))],
                &[],
                W,
            ),
            chk(
                "B is the minimum year, whatever the order",
                vec![
                    Set("/submission_date", json!("2025-10-01")),
                    Set(
                        "/annual_funding_plan",
                        json!([{"year": 2027, "amount_wan": "60.00"}, {"year": 2026, "amount_wan": "120.00"}]),
                    ),
                ],
                &[],
                W,
            ),
            chk(
                "first funded year 2027: deadline 2026-09-30",
                vec![
                    Set("/submission_date", json!("2025-10-01")),
                    Set(
                        "/annual_funding_plan",
                        json!([{"year": 2027, "amount_wan": "180.00"}]),
                    ),
                ],
                &[],
                &[],
            ),
            chk(
                "first funded year 2027, filed 2026-10-01",
                vec![
                    Set("/submission_date", json!("2026-10-01")),
                    Set(
                        "/annual_funding_plan",
                        json!([{"year": 2027, "amount_wan": "180.00"}]),
                    ),
                ],
                &[],
                W,
            ),
            chk(
                "late but mandated by a higher authority (除外)",
                vec![
                    Set("/submission_date", json!("2025-10-01")),
                    Set(
                        "/mandated_by_higher_authority",
                        json!({"flag": true, "authority": "provincial", "document_no": "示例〔2025〕2号"}),
                    ),
                ],
                &[],
                &[],
            ),
            chk(
                "late, mandate flag false",
                vec![
                    Set("/submission_date", json!("2025-10-01")),
                    Set("/mandated_by_higher_authority", json!({"flag": false})),
                ],
                &[],
                W,
            ),
            chk_also(
                "late, mandate object without flag: flag is not true",
                vec![
                    Set("/submission_date", json!("2025-10-01")),
                    Set(
                        "/mandated_by_higher_authority",
                        json!({"document_no": "示例〔2025〕2号"}),
                    ),
                ],
                &[],
                W,
                &["common.any.required-field"],
            ),
            chk(
                "on time with mandate flag false",
                vec![Set("/mandated_by_higher_authority", json!({"flag": false}))],
                &[],
                &[],
            ),
        ],
    );
}

// ---------------------------------------------------------------- change: 第二十一条

#[test]
fn change_self_adjustment() {
    let items = |v: Value| Set("/budget_items", v);
    run_table(
        "change",
        &base("potou-change-001"),
        &[
            chk(
                "exactly 15 % re-allocated (30.00 of 200.00)",
                vec![],
                &[],
                &[],
            ),
            chk(
                "decreases 30.01 > 15 %, increases 30.00",
                vec![
                    items(
                        json!([{"item_name": "软件开发", "original_wan": "120.00", "adjusted_wan": "89.99"},
                                 {"item_name": "数据治理", "original_wan": "80.00", "adjusted_wan": "110.00"}]),
                    ),
                    Set("/adjusted_total_wan", json!("199.99")),
                ],
                &["potou.change.ratio-over-15pct"],
                &[],
            ),
            chk(
                "increases over two lines sum to 30.01 (decreases 30.00); total 200.01",
                vec![
                    items(
                        json!([{"item_name": "软件开发", "original_wan": "120.00", "adjusted_wan": "90.00"},
                                 {"item_name": "数据治理", "original_wan": "40.00", "adjusted_wan": "55.00"},
                                 {"item_name": "测评", "original_wan": "40.00", "adjusted_wan": "55.01"}]),
                    ),
                    Set("/adjusted_total_wan", json!("200.01")),
                ],
                &[
                    "potou.change.ratio-over-15pct",
                    "potou.change.total-exceeds-approved",
                ],
                &[],
            ),
            chk(
                "the amount is max(Σ increases, Σ decreases), not their sum",
                vec![items(json!([
                    {"item_name": "软件开发", "original_wan": "120.00", "adjusted_wan": "100.00"},
                    {"item_name": "数据治理", "original_wan": "80.00", "adjusted_wan": "100.00"}]))],
                &[],
                &[],
            ),
            chk(
                "total 200.01 exceeds the approved 200.00",
                vec![
                    items(
                        json!([{"item_name": "软件开发", "original_wan": "120.00", "adjusted_wan": "120.00"},
                                 {"item_name": "数据治理", "original_wan": "80.00", "adjusted_wan": "80.01"}]),
                    ),
                    Set("/adjusted_total_wan", json!("200.01")),
                ],
                &["potou.change.total-exceeds-approved"],
                &[],
            ),
            chk_also(
                "a malformed item amount makes the adjustment amount malformed",
                vec![items(json!([
                    {"item_name": "软件开发", "original_wan": "120.00", "adjusted_wan": 10},
                    {"item_name": "数据治理", "original_wan": "80.00", "adjusted_wan": "190.00"}]))],
                &[],
                &[],
                &["common.any.amount-format"],
            ),
            chk(
                "objective changed",
                vec![Set("/objective_changed", json!(true))],
                &["potou.change.objective-changed"],
                &[],
            ),
            chk_also(
                "objective flag absent: required only",
                vec![Del("/objective_changed")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk(
                "reason: policy requirement",
                vec![Set("/reason_category", json!("policy_requirement"))],
                &[],
                &[],
            ),
            chk(
                "reason: business development",
                vec![Set("/reason_category", json!("business_development"))],
                &[],
                &[],
            ),
            chk(
                "reason: other",
                vec![Set("/reason_category", json!("other"))],
                &["potou.change.reason-not-eligible"],
                &[],
            ),
            chk(
                "reason: upper_policy_adjustment is not one of 第二十一条(一)至(三)",
                vec![Set("/reason_category", json!("upper_policy_adjustment"))],
                &["potou.change.reason-not-eligible"],
                &[],
            ),
            chk_also(
                "reason absent: ∉ reads an absent value",
                vec![Del("/reason_category")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
        ],
    );
}

// ---------------------------------------------------------------- accept: 第二十二条、第二十三条

#[test]
fn accept_conformity_and_archive() {
    const REQ: &[&str] = &["potou.accept.conformity-review-required"];
    const ARCH: &[&str] = &["potou.accept.archive-acceptance"];
    let final_ = edit(
        base("potou-accept-001"),
        &[
            Set("/acceptance_stage", json!("final")),
            Set(
                "/conformity_review",
                json!({"passed": true, "approval_date": "2025-08-01"}),
            ),
            Set("/archive_acceptance_passed", json!(true)),
        ],
    );
    run_table(
        "accept",
        &final_,
        &[
            chk("final, conformity passed, archive passed", vec![], &[], &[]),
            chk(
                "conformity review absent",
                vec![Del("/conformity_review")],
                REQ,
                &[],
            ),
            chk(
                "conformity review not passed",
                vec![Set("/conformity_review/passed", json!(false))],
                REQ,
                &[],
            ),
            chk_also(
                "conformity review object without `passed`",
                vec![Set(
                    "/conformity_review",
                    json!({"approval_date": "2025-08-01"}),
                )],
                REQ,
                &[],
                &["common.any.required-field"],
            ),
            chk(
                "record-track professional project needs no review",
                vec![
                    Set("/approval_track", json!("record")),
                    Del("/conformity_review"),
                ],
                &[],
                &[],
            ),
            chk(
                "public project: no review rule",
                vec![
                    Set("/service_scope", json!("public")),
                    Del("/conformity_review"),
                ],
                &[],
                &[],
            ),
            chk_also(
                "approval track absent: no comparison",
                vec![Del("/approval_track"), Del("/conformity_review")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk(
                "archive not passed",
                vec![Set("/archive_acceptance_passed", json!(false))],
                &[],
                ARCH,
            ),
            chk(
                "archive absent",
                vec![Del("/archive_acceptance_passed")],
                &[],
                ARCH,
            ),
            chk_also(
                "archive malformed is not `is not true`",
                vec![Set("/archive_acceptance_passed", json!("no"))],
                &[],
                &[],
                &["common.any.field-format"],
            ),
            chk(
                "conformity-review stage: neither final-stage rule",
                vec![
                    Set("/acceptance_stage", json!("conformity_review")),
                    Del("/conformity_review"),
                    Del("/archive_acceptance_passed"),
                ],
                &[],
                &[],
            ),
            chk_also(
                "stage outside the potou domain is malformed",
                vec![
                    Set("/acceptance_stage", json!("pre_acceptance")),
                    Del("/conformity_review"),
                    Del("/archive_acceptance_passed"),
                ],
                &[],
                &[],
                &["common.any.field-format"],
            ),
        ],
    );
    // info: a record-track project asking for a conformity review
    let d = edit(
        base("potou-accept-001"),
        &[Set("/approval_track", json!("record"))],
    );
    let o = run("accept", &d);
    assert!(o
        .infos
        .contains("potou.accept.conformity-review-not-needed"));
    assert!(o.errors.is_empty() && o.warnings.is_empty());
    let o = run("accept", &base("potou-accept-001"));
    assert!(!o
        .infos
        .contains("potou.accept.conformity-review-not-needed"));
}

#[test]
fn accept_record_passed_result() {
    const ARCH: &[&str] = &["potou.accept-record.archive-not-passed"];
    const CONF: &[&str] = &["potou.accept-record.conformity-missing"];
    let ok = edit(
        base("potou-accept-record-003"),
        &[Set("/conformity_review_passed", json!(true))],
    );
    run_table(
        "accept-record",
        &ok,
        &[
            chk("passed, conformity and archive passed", vec![], &[], &[]),
            chk(
                "conformity false",
                vec![Set("/conformity_review_passed", json!(false))],
                CONF,
                &[],
            ),
            chk(
                "conformity absent",
                vec![Del("/conformity_review_passed")],
                CONF,
                &[],
            ),
            chk(
                "archive false",
                vec![Set("/archive_acceptance_passed", json!(false))],
                ARCH,
                &[],
            ),
            chk(
                "archive absent",
                vec![Del("/archive_acceptance_passed")],
                ARCH,
                &[],
            ),
            chk(
                "record-track project: no conformity needed",
                vec![
                    Set("/approval_track", json!("record")),
                    Del("/conformity_review_passed"),
                ],
                &[],
                &[],
            ),
            chk(
                "public project: no conformity rule",
                vec![
                    Set("/service_scope", json!("public")),
                    Del("/conformity_review_passed"),
                ],
                &[],
                &[],
            ),
            chk(
                "failed result: neither rule",
                vec![
                    Set("/acceptance_result", json!("failed")),
                    Set("/conformity_review_passed", json!(false)),
                    Set("/archive_acceptance_passed", json!(false)),
                ],
                &[],
                &[],
            ),
            chk(
                "both missing",
                vec![
                    Del("/conformity_review_passed"),
                    Del("/archive_acceptance_passed"),
                ],
                &[
                    "potou.accept-record.archive-not-passed",
                    "potou.accept-record.conformity-missing",
                ],
                &[],
            ),
        ],
    );
}

// ---------------------------------------------------------------- self-eval: 第二十四条

#[test]
fn self_eval_post_acceptance_12_months() {
    const LATE: &[&str] = &["potou.self-eval.post-acceptance-12-months"];
    let at = |acc: &'static str, op: &'static str, sub: &'static str| {
        vec![
            Set("/acceptance_date", json!(acc)),
            Set("/operation_start_date", json!(op)),
            Set("/submission_date", json!(sub)),
        ]
    };
    run_table(
        "self-eval",
        &base("potou-self-eval-001"),
        &[
            chk(
                "2024-02-29 + 12 months clamps to 2025-02-28",
                at("2024-02-29", "2024-03-01", "2025-02-28"),
                &[],
                &[],
            ),
            chk(
                "2025-03-01 is late",
                at("2024-02-29", "2024-03-01", "2025-03-01"),
                &[],
                LATE,
            ),
            chk(
                "2024-03-31 → 2025-03-31 on time",
                at("2024-03-31", "2024-04-01", "2025-03-31"),
                &[],
                &[],
            ),
            chk(
                "2025-04-01 late",
                at("2024-03-31", "2024-04-01", "2025-04-01"),
                &[],
                LATE,
            ),
            chk(
                "2025-01-31 → 2026-01-31 on time",
                at("2025-01-31", "2025-02-01", "2026-01-31"),
                &[],
                &[],
            ),
            chk(
                "2026-02-01 late",
                at("2025-01-31", "2025-02-01", "2026-02-01"),
                &[],
                LATE,
            ),
            chk(
                "counted from acceptance, not from go-live",
                at("2024-05-10", "2024-09-01", "2025-05-11"),
                &[],
                LATE,
            ),
            chk_also(
                "acceptance date absent: required only",
                vec![
                    Del("/acceptance_date"),
                    Set("/submission_date", json!("2026-06-01")),
                ],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk_also(
                "acceptance date malformed: format only",
                vec![
                    Set("/acceptance_date", json!("2024-02-30")),
                    Set("/submission_date", json!("2026-06-01")),
                ],
                &[],
                &[],
                &["common.any.field-format"],
            ),
        ],
    );
}

#[test]
fn self_eval_performance_timing() {
    const EARLY: &[&str] = &["potou.self-eval.performance-timing"];
    let perf = base("potou-self-eval-003");
    run_table(
        "self-eval",
        &perf,
        &[
            chk("during the budget year, not executed", vec![], &[], EARLY),
            chk(
                "31 December of the budget year is still inside it",
                vec![Set("/submission_date", json!("2025-12-31"))],
                &[],
                EARLY,
            ),
            chk(
                "1 January after the budget year",
                vec![Set("/submission_date", json!("2026-01-01"))],
                &[],
                &[],
            ),
            chk(
                "budget fully executed",
                vec![Set("/budget_fully_executed", json!(true))],
                &[],
                &[],
            ),
            chk(
                "execution flag absent",
                vec![Del("/budget_fully_executed")],
                &[],
                EARLY,
            ),
            chk_also(
                "execution flag malformed",
                vec![Set("/budget_fully_executed", json!("false"))],
                &[],
                &[],
                &["common.any.field-format"],
            ),
            chk_also(
                "budget year absent: required, no comparison",
                vec![Del("/budget_year")],
                &[],
                &[],
                &["common.any.required-field"],
            ),
            chk(
                "a post-acceptance evaluation is not checked for budget timing",
                vec![
                    Set("/eval_type", json!("post_acceptance")),
                    Set("/acceptance_date", json!("2025-06-30")),
                    Set("/operation_start_date", json!("2025-07-01")),
                ],
                &[],
                &[],
            ),
        ],
    );
    let o = run("self-eval", &perf);
    assert!(o.infos.contains("potou.self-eval.performance-recipients"));
    let o = run("self-eval", &base("potou-self-eval-001"));
    assert!(!o.infos.contains("potou.self-eval.performance-recipients"));
    // budget_year is required for performance evaluations only (§2.2.10, potou)
    assert!(
        !o.errors.contains("common.any.required-field"),
        "{:?}",
        o.errors
    );
}

// ---------------------------------------------------------------- pack data (§1, §2.3)

#[test]
fn forms_offered_and_restricted_domains() {
    for form in ["procure", "contract", "monitor", "terminate", "fund"] {
        assert!(
            validator_core::validate("potou", form, &json!({})).is_err(),
            "{form} is not a potou form"
        );
    }
    for stage in ["plan", "plan_addition", "upper_prefiling"] {
        let o = run(
            "apply",
            &edit(apply_base(), &[Set("/filing_stage", json!(stage))]),
        );
        assert!(
            o.errors.contains("common.any.field-format"),
            "{stage}: {:?}",
            o.errors
        );
    }
    let o = run(
        "self-eval",
        &edit(
            base("potou-self-eval-003"),
            &[Set("/eval_type", json!("annual_app"))],
        ),
    );
    assert!(o.errors.contains("common.any.field-format"));
    assert!(
        potou(&o.warnings).is_empty(),
        "a malformed eval_type compares false"
    );
    let o = run(
        "accept-record",
        &edit(
            base("potou-accept-record-003"),
            &[Set("/record_kind", json!("pre_acceptance"))],
        ),
    );
    assert!(o.errors.contains("common.any.field-format"));
}
