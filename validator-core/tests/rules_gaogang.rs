//! Focused, data-driven tests of the `gaogang` pack (spec §3.4; seed 002_cbdc4b492b224e91.txt).
//!
//! Every input starts from a valid case of `shared/cases/gaogang.json` and is mutated with
//! serde_json; the expectation is the exact set of error and warning rule IDs (common and pack)
//! that the spec (§0.5 semantics, §2 required-ness, §2.3 restrictions, §3.4 conditions) says must
//! fire. Info results are checked separately where the spec defines an info rule.

use serde_json::{json, Value};
use std::collections::BTreeSet;

const J: &str = "gaogang";

// ------------------------------------------------------------------ rule IDs

const REQUIRED: &str = "common.any.required-field";
const FORMAT: &str = "common.any.field-format";
const AMOUNT: &str = "common.any.amount-format";
const CREDIT_FORMAT: &str = "common.any.credit-code-format";
const CREDIT_CHECK: &str = "common.any.credit-code-check-digit";
const CLAIM_INVALID: &str = "common.any.exemption-claim-invalid";
const CALENDAR: &str = "common.contract.calendar-not-covered";
const FILING_BEFORE_SIGNING: &str = "common.contract.filing-before-signing";
const COMMON_CLASSIFIED: &str = "common.apply.classified-not-accepted";

const CLASSIFIED: &str = "gaogang.apply.classified-separate-channel";
const OUT_OF_SCOPE: &str = "gaogang.apply.out-of-scope-content";
const SUPERVISING: &str = "gaogang.apply.supervising-dept-channel";
const LEAD_FILES: &str = "gaogang.apply.cross-dept-lead-files";
const UNIFIED: &str = "gaogang.apply.cross-dept-unified";
const ENGINEERING: &str = "gaogang.apply.engineering-supporting-timing";
const MOBILE: &str = "gaogang.apply.standalone-mobile-app";
const CLOUD: &str = "gaogang.apply.city-gov-cloud";
const PLAN: &str = "gaogang.apply.construction-plan";
const PREV_CONTRACT: &str = "gaogang.apply.previous-contract";
const DEMAND_REPORT: &str = "gaogang.apply.service-demand-report";
const OUTSIDE_PLAN: &str = "gaogang.apply.outside-plan-conditions";
const FULLY_UPPER: &str = "gaogang.apply.fully-upper-funded";
const OUTSIDE_NOTICE: &str = "gaogang.apply.outside-plan-approval-notice";
const NDRC_NOTICE: &str = "gaogang.apply.ndrc-approval-notice";
const CRYPTO: &str = "gaogang.apply.crypto-plan";
const CRYPTO_NONE: &str = "gaogang.apply.crypto-plan-absent-no-crypto";
const COMMITTEE: &str = "gaogang.change.increase-needs-committee";
const REASON_NOT_ALLOWED: &str = "gaogang.change.increase-reason-not-allowed";
const BUDGET: &str = "gaogang.change.budget-adjust-restricted";
const TEN_DAYS: &str = "gaogang.contract.filing-10-working-days";
const MATERIALS_CONTRACT: &str = "gaogang.contract.filing-materials";
const FREE_MAINT: &str = "gaogang.contract.free-maintenance-12-months";
const WARRANTY: &str = "gaogang.contract.warranty-stated";
const APPROVAL_NO: &str = "gaogang.contract.approval-no-required";
const DELAY: &str = "gaogang.monitor.serious-delay-rectification";
const LATE_START: &str = "gaogang.monitor.late-start";
const SUPPORTING: &str = "gaogang.fund.supporting-docs";
const NOT_ACCEPTED: &str = "gaogang.fund.not-accepted";
const FINAL_PAYMENT: &str = "gaogang.fund.final-payment-during-construction";
const TRIAL: &str = "gaogang.accept.trial-run-stable";
const MATERIALS_ACCEPT: &str = "gaogang.accept.materials";
const REAPPLICATION: &str = "gaogang.accept.reapplication-rectification";
const ASSETS: &str = "gaogang.accept-record.assets";
const SELF_EVAL: &str = "gaogang.self-eval.within-12-months";

/// Credit codes of the fixtures (valid GB 32100 check characters) and two that fail only the
/// check character.
const APPLICANT_CODE: &str = "113212030140020154";
const OTHER_CODE: &str = "11321203014002023Y";
const APPLICANT_CODE_BAD_CHECK: &str = "113212030140020155";
const OTHER_CODE_BAD_CHECK: &str = "11321203014002023X";

const ACCEPT_MATERIALS: [&str; 9] = [
    "acceptance_application_report",
    "construction_summary",
    "trial_run_report",
    "public_data_catalog_and_sharing",
    "funds_usage_statement",
    "djcp_test_report",
    "security_risk_assessment",
    "crypto_assessment_report",
    "digital_om_report",
];
const CONTRACT_MATERIALS: [&str; 4] = [
    "procurement_documents",
    "award_documents",
    "contract_copy",
    "payment_plan",
];

// ------------------------------------------------------------------ fixtures

mod support;

/// A form document under test.
#[derive(Clone)]
struct Doc {
    form: &'static str,
    data: Value,
}

fn case(id: &str) -> Doc {
    let c = support::shared_case(id);
    let form = match c["form"].as_str().expect("form") {
        "apply" => "apply",
        "change" => "change",
        "contract" => "contract",
        "monitor" => "monitor",
        "fund" => "fund",
        "accept" => "accept",
        "accept-record" => "accept-record",
        "self-eval" => "self-eval",
        f => panic!("unexpected form {f}"),
    };
    Doc {
        form,
        data: c["data"].clone(),
    }
}

/// One mutation of a document. Pointers are JSON pointers (`/a/b/0/c`).
enum Op {
    Set(&'static str, Value),
    Del(&'static str),
    Attach(&'static str),
    Detach(&'static str),
    Claim(&'static str, &'static str),
}
use Op::*;

fn apply_op(v: &mut Value, op: &Op) {
    match op {
        Set(ptr, val) => {
            let (parent, key) = ptr.rsplit_once('/').expect("pointer");
            let p = v
                .pointer_mut(parent)
                .unwrap_or_else(|| panic!("no parent for {ptr}"));
            match p {
                Value::Object(m) => {
                    m.insert(key.to_string(), val.clone());
                }
                Value::Array(a) => {
                    let i: usize = key.parse().expect("index");
                    a[i] = val.clone();
                }
                _ => panic!("parent of {ptr} is not a container"),
            }
        }
        Del(ptr) => {
            let (parent, key) = ptr.rsplit_once('/').expect("pointer");
            if let Some(Value::Object(m)) = v.pointer_mut(parent) {
                m.remove(key);
            }
        }
        Attach(kind) => {
            let m = v.as_object_mut().expect("object");
            let a = m.entry("attachments").or_insert_with(|| json!([]));
            a.as_array_mut().expect("attachments array").push(json!({
                "kind": kind,
                "file_name": format!("{kind}.pdf"),
            }));
        }
        Detach(kind) => {
            if let Some(a) = v.get_mut("attachments").and_then(Value::as_array_mut) {
                a.retain(|e| e["kind"] != *kind);
            }
        }
        Claim(rule, basis) => {
            let m = v.as_object_mut().expect("object");
            let a = m.entry("exemption_claims").or_insert_with(|| json!([]));
            a.as_array_mut().expect("claims array").push(json!({
                "rule_id": rule,
                "basis": basis,
                "document_no": "示例〔2025〕1号",
                "explanation": "依据相关规定已另行报批，特此声明例外情形。",
            }));
        }
    }
}

fn with(mut d: Doc, ops: Vec<Op>) -> Doc {
    for op in &ops {
        apply_op(&mut d.data, op);
    }
    d
}

// Base documents: each validates with no error and no warning (checked by `bases_are_clean`).

fn apply() -> Doc {
    case("gaogang-apply-001")
}

/// An O&M apply filing: first period, service-demand report attached, predecessor given.
fn om_apply() -> Doc {
    with(
        apply(),
        vec![
            Set("/project_nature", json!("om")),
            Set("/is_first_period", json!(true)),
            Attach("service_demand_report"),
            Detach("construction_plan"),
            Set(
                "/predecessor_project",
                json!({"project_name": "高港区示例网格化治理系统一期项目", "accepted": true, "acceptance_date": "2024-12-20"}),
            ),
        ],
    )
}

/// A cross-department project filed by its lead department (the applicant).
fn cross() -> Doc {
    with(
        apply(),
        vec![
            Set("/is_cross_department", json!(true)),
            Set(
                "/lead_department",
                json!({"unit_name": "泰州市高港区示例业务局", "credit_code": APPLICANT_CODE}),
            ),
            Set(
                "/participating_departments",
                json!([{"unit_name": "泰州市高港区示例牵头局", "credit_code": OTHER_CODE}]),
            ),
            Set("/unified_interfaces_and_catalog", json!(true)),
        ],
    )
}

fn plan_addition(reason: &str) -> Doc {
    with(
        apply(),
        vec![
            Set("/filing_stage", json!("plan_addition")),
            Set("/outside_plan_reason", json!(reason)),
            Set(
                "/outside_plan_explanation",
                json!("上级部署要求年内建成，已纳入区级重点任务清单。"),
            ),
        ],
    )
}

fn funding(sources: Value) -> Op {
    Set("/funding_sources", sources)
}

/// Change filing with no money moved (content-only change).
fn change() -> Doc {
    with(
        case("gaogang-change-003"),
        vec![
            Set("/budget_items/0/adjusted_wan", json!("60.00")),
            Set("/budget_items/1/adjusted_wan", json!("40.00")),
        ],
    )
}

/// Re-allocation of 10.00 between items, total unchanged.
fn reallocation() -> Vec<Op> {
    vec![
        Set("/budget_items/0/adjusted_wan", json!("50.00")),
        Set("/budget_items/1/adjusted_wan", json!("50.00")),
    ]
}

/// Total raised from 100.00 to 110.00.
fn total_increase(reason: &'static str) -> Vec<Op> {
    vec![
        Set("/adjusted_total_wan", json!("110.00")),
        Set("/budget_items/0/adjusted_wan", json!("70.00")),
        Set("/reason_category", json!(reason)),
    ]
}

fn ops(groups: Vec<Vec<Op>>) -> Vec<Op> {
    groups.into_iter().flatten().collect()
}

/// Signed 2025-09-26 (Fri), filed 2025-10-16 (the 10th working day).
fn contract() -> Doc {
    case("gaogang-contract-001")
}

fn signed_filed(signed: &str, filed: &str) -> Vec<Op> {
    vec![
        Set("/signing_date", json!(signed)),
        Set("/submission_date", json!(filed)),
    ]
}

/// Contract of a project with the given total, contract amount equal to it, no payment plan.
fn contract_total(total: &str) -> Vec<Op> {
    vec![
        Set("/project_total_wan", json!(total)),
        Set("/contract_amount_wan", json!(total)),
        Del("/payment_plan"),
    ]
}

/// Contract end 2025-03-31, reported 2025-09-29 (one day short of six months), not completed.
fn monitor() -> Doc {
    case("gaogang-monitor-002")
}

/// Not started; design approved 2025-03-10; reported 2025-09-09.
fn late_start() -> Doc {
    with(
        monitor(),
        vec![
            Set("/construction_started", json!(false)),
            Set("/design_approval_date", json!("2025-03-10")),
            Del("/contract_end_date"),
            Set("/submission_date", json!("2025-09-09")),
        ],
    )
}

fn fund() -> Doc {
    case("gaogang-fund-002")
}

fn accept() -> Doc {
    case("gaogang-accept-001")
}

fn accept_record() -> Doc {
    with(
        case("gaogang-accept-record-001"),
        vec![Set("/assets_registered", json!(true))],
    )
}

/// Accepted 2024-11-20, in operation 2024-12-01, filed 2025-12-01 (last allowed day).
fn self_eval() -> Doc {
    case("gaogang-self-eval-001")
}

// ------------------------------------------------------------------ running

fn report(d: &Doc) -> validator_core::Report {
    validator_core::validate(J, d.form, &d.data)
        .unwrap_or_else(|e| panic!("{} refused: {e}", d.form))
}

fn sets(d: &Doc) -> (BTreeSet<String>, BTreeSet<String>) {
    let r = report(d);
    let e = r
        .rules_with("error")
        .into_iter()
        .map(String::from)
        .collect();
    let w = r
        .rules_with("warning")
        .into_iter()
        .map(String::from)
        .collect();
    (e, w)
}

struct Row {
    name: &'static str,
    doc: Doc,
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
}

fn row(
    name: &'static str,
    doc: Doc,
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
) -> Row {
    Row {
        name,
        doc,
        errors,
        warnings,
    }
}

fn check(rows: Vec<Row>) {
    let mut failures = Vec::new();
    for r in &rows {
        let (e, w) = sets(&r.doc);
        let want_e: BTreeSet<String> = r.errors.iter().map(|s| s.to_string()).collect();
        let want_w: BTreeSet<String> = r.warnings.iter().map(|s| s.to_string()).collect();
        if e != want_e || w != want_w {
            failures.push(format!(
                "{}:\n  errors   want {:?}\n           got  {:?}\n  warnings want {:?}\n           got  {:?}",
                r.name, want_e, e, want_w, w
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

fn has_info(d: &Doc, id: &str) -> bool {
    report(d)
        .findings
        .iter()
        .any(|f| f.rule == id && f.severity == "info")
}

// ------------------------------------------------------------------ tests

#[test]
fn bases_are_clean() {
    check(vec![
        row("apply", apply(), &[], &[]),
        row("om apply", om_apply(), &[], &[]),
        row("cross-department apply", cross(), &[], &[]),
        row(
            "plan addition (emergency)",
            plan_addition("emergency"),
            &[],
            &[],
        ),
        row("change without money moved", change(), &[], &[]),
        row("contract", contract(), &[], &[]),
        row("monitor", monitor(), &[], &[]),
        row("monitor late start base", late_start(), &[], &[]),
        row("fund", fund(), &[], &[]),
        row("accept", accept(), &[], &[]),
        row("accept-record", accept_record(), &[], &[]),
        row("self-eval", self_eval(), &[], &[]),
    ]);
}

/// §1: gaogang offers apply, change, contract, monitor, fund, accept, accept-record, self-eval;
/// not procure or terminate.
#[test]
fn forms_offered() {
    let data = apply().data;
    for form in ["procure", "terminate"] {
        match validator_core::validate(J, form, &data) {
            Err(validator_core::ValidateError::FormNotOffered { .. }) => {}
            other => panic!("{form}: expected FormNotOffered, got {other:?}"),
        }
    }
    for form in [
        "apply",
        "change",
        "contract",
        "monitor",
        "fund",
        "accept",
        "accept-record",
        "self-eval",
    ] {
        assert!(
            validator_core::validate(J, form, &data).is_ok(),
            "{form} must be offered"
        );
    }
}

/// §2.3 restricted domains: codes of the full enum outside gaogang's domain are format errors
/// and malformed in conditions.
#[test]
fn pack_restricted_domains() {
    check(vec![
        row(
            "filing_stage record",
            with(apply(), vec![Set("/filing_stage", json!("record"))]),
            &[FORMAT],
            &[],
        ),
        row(
            "filing_stage upper_prefiling",
            with(
                apply(),
                vec![Set("/filing_stage", json!("upper_prefiling"))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "filing_stage plan_addition allowed",
            plan_addition("higher_mandate"),
            &[],
            &[],
        ),
        row(
            "filing_stage approval allowed (document attached)",
            with(
                apply(),
                vec![
                    Set("/filing_stage", json!("approval")),
                    Set("/approval_document", json!("construction_plan")),
                ],
            ),
            &[],
            &[],
        ),
        row(
            "acceptance_stage initial: no trial-run / material rule on a malformed stage",
            with(
                accept(),
                vec![
                    Set("/acceptance_stage", json!("initial")),
                    Set("/trial_run/normal", json!(false)),
                    Detach("digital_om_report"),
                ],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "record_kind pre_acceptance",
            with(
                accept_record(),
                vec![Set("/record_kind", json!("pre_acceptance"))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "eval_type performance: window not evaluated",
            with(
                self_eval(),
                vec![
                    Set("/eval_type", json!("performance")),
                    Set("/submission_date", json!("2026-06-01")),
                ],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "report_type annual_monitoring",
            with(
                monitor(),
                vec![Set("/report_type", json!("annual_monitoring"))],
            ),
            &[FORMAT],
            &[],
        ),
    ]);
}

#[test]
fn classified() {
    check(vec![
        row(
            "classified",
            with(apply(), vec![Set("/is_classified", json!(true))]),
            &[COMMON_CLASSIFIED, CLASSIFIED],
            &[],
        ),
        row(
            "classified as a string is malformed",
            with(apply(), vec![Set("/is_classified", json!("true"))]),
            &[FORMAT],
            &[],
        ),
    ]);
}

/// 第24条: every content type excluded → warning; a single in-scope type keeps it in scope.
#[test]
fn out_of_scope_content() {
    check(vec![
        row(
            "one excluded type",
            with(
                apply(),
                vec![Set(
                    "/content_types",
                    json!(["standalone_office_equipment"]),
                )],
            ),
            &[],
            &[OUT_OF_SCOPE],
        ),
        row(
            "all five excluded types",
            with(
                apply(),
                vec![Set(
                    "/content_types",
                    json!([
                        "building_intelligence_no_public_data",
                        "non_gov_it",
                        "standalone_office_equipment",
                        "standalone_professional_equipment",
                        "standalone_terminal_software"
                    ]),
                )],
            ),
            &[],
            &[OUT_OF_SCOPE],
        ),
        row(
            "excluded plus in-scope type",
            with(
                apply(),
                vec![Set(
                    "/content_types",
                    json!(["standalone_terminal_software", "application_system"]),
                )],
            ),
            &[],
            &[],
        ),
        row(
            "a type not on the 第24条 list",
            with(apply(), vec![Set("/content_types", json!(["om_service"]))]),
            &[],
            &[],
        ),
        row(
            "duplicates are malformed",
            with(
                apply(),
                vec![Set("/content_types", json!(["non_gov_it", "non_gov_it"]))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "empty array is absent",
            with(apply(), vec![Set("/content_types", json!([]))]),
            &[REQUIRED],
            &[],
        ),
        row(
            "unknown code is malformed",
            with(
                apply(),
                vec![Set("/content_types", json!(["non_gov_it", "toys"]))],
            ),
            &[FORMAT],
            &[],
        ),
    ]);
}

/// 第5条: units with a supervising department file through it.
#[test]
fn supervising_department_channel() {
    let sup = || {
        Set(
            "/applicant/supervising_department",
            json!("泰州市高港区示例主管局"),
        )
    };
    check(vec![
        row(
            "self-filed despite a supervising department",
            with(apply(), vec![sup(), Set("/filing_channel", json!("self"))]),
            &[SUPERVISING],
            &[],
        ),
        row(
            "filed via the supervising department",
            with(
                apply(),
                vec![
                    sup(),
                    Set("/filing_channel", json!("via_supervising_department")),
                ],
            ),
            &[],
            &[],
        ),
        row(
            "filing_channel required when a supervising department is given",
            with(apply(), vec![sup()]),
            &[REQUIRED],
            &[],
        ),
        row(
            "filing_channel null counts as absent",
            with(apply(), vec![sup(), Set("/filing_channel", Value::Null)]),
            &[REQUIRED],
            &[],
        ),
        row(
            "self-filed without a supervising department",
            with(apply(), vec![Set("/filing_channel", json!("self"))]),
            &[],
            &[],
        ),
        row(
            "malformed channel",
            with(
                apply(),
                vec![sup(), Set("/filing_channel", json!("upward"))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "whitespace-only supervising department is absent",
            with(
                apply(),
                vec![
                    Set("/applicant/supervising_department", json!("   ")),
                    Set("/filing_channel", json!("self")),
                ],
            ),
            &[],
            &[],
        ),
    ]);
}

/// 第5条: cross-department projects are filed by the lead department, which unifies
/// interfaces and catalogue.
#[test]
fn cross_department() {
    check(vec![
        row(
            "filed by a participant, not the lead",
            with(
                cross(),
                vec![
                    Set(
                        "/lead_department",
                        json!({"unit_name": "泰州市高港区示例牵头局", "credit_code": OTHER_CODE}),
                    ),
                    Set(
                        "/participating_departments",
                        json!([{"unit_name": "泰州市高港区示例业务局", "credit_code": APPLICANT_CODE}]),
                    ),
                ],
            ),
            &[LEAD_FILES],
            &[],
        ),
        row(
            "interfaces not unified",
            with(
                cross(),
                vec![Set("/unified_interfaces_and_catalog", json!(false))],
            ),
            &[],
            &[UNIFIED],
        ),
        row(
            "unified flag required for cross-department projects",
            with(cross(), vec![Del("/unified_interfaces_and_catalog")]),
            &[REQUIRED],
            &[],
        ),
        row(
            "unified flag malformed",
            with(
                cross(),
                vec![Set("/unified_interfaces_and_catalog", json!("no"))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "not cross-department: unified flag ignored",
            with(
                apply(),
                vec![Set("/unified_interfaces_and_catalog", json!(false))],
            ),
            &[],
            &[],
        ),
        row(
            "codes failing only the check character still compare (equal)",
            with(
                cross(),
                vec![
                    Set("/applicant/credit_code", json!(APPLICANT_CODE_BAD_CHECK)),
                    Set(
                        "/lead_department/credit_code",
                        json!(APPLICANT_CODE_BAD_CHECK),
                    ),
                ],
            ),
            &[CREDIT_CHECK],
            &[],
        ),
        row(
            "codes failing only the check character still compare (different)",
            with(
                cross(),
                vec![
                    Set("/lead_department/credit_code", json!(OTHER_CODE_BAD_CHECK)),
                    Set(
                        "/participating_departments",
                        json!([{"unit_name": "泰州市高港区示例业务局", "credit_code": APPLICANT_CODE}]),
                    ),
                ],
            ),
            &[CREDIT_CHECK, LEAD_FILES],
            &[],
        ),
        row(
            "malformed lead code does not compare",
            with(
                cross(),
                vec![
                    Set("/lead_department/credit_code", json!("1132120301400202")),
                    Set(
                        "/participating_departments",
                        json!([{"unit_name": "泰州市高港区示例业务局", "credit_code": APPLICANT_CODE}]),
                    ),
                ],
            ),
            &[CREDIT_FORMAT],
            &[],
        ),
    ]);
}

/// 第5条 second paragraph: file before the main works are approved; approval on or before the
/// filing date is flagged.
#[test]
fn engineering_supporting_timing() {
    let part = || Set("/is_part_of_engineering_project", json!(true));
    check(vec![
        row(
            "main works approved on the filing day",
            with(
                apply(),
                vec![
                    part(),
                    Set("/parent_engineering_approval_date", json!("2025-09-10")),
                ],
            ),
            &[],
            &[ENGINEERING],
        ),
        row(
            "main works approved earlier",
            with(
                apply(),
                vec![
                    part(),
                    Set("/parent_engineering_approval_date", json!("2024-12-31")),
                ],
            ),
            &[],
            &[ENGINEERING],
        ),
        row(
            "main works approved the day after",
            with(
                apply(),
                vec![
                    part(),
                    Set("/parent_engineering_approval_date", json!("2025-09-11")),
                ],
            ),
            &[],
            &[],
        ),
        row("no approval date", with(apply(), vec![part()]), &[], &[]),
        row(
            "not part of an engineering project",
            with(
                apply(),
                vec![
                    Set("/is_part_of_engineering_project", json!(false)),
                    Set("/parent_engineering_approval_date", json!("2025-08-20")),
                ],
            ),
            &[],
            &[],
        ),
        row(
            "flag absent",
            with(
                apply(),
                vec![Set(
                    "/parent_engineering_approval_date",
                    json!("2025-08-20"),
                )],
            ),
            &[],
            &[],
        ),
        row(
            "malformed approval date",
            with(
                apply(),
                vec![
                    part(),
                    Set("/parent_engineering_approval_date", json!("2025-02-30")),
                ],
            ),
            &[FORMAT],
            &[],
        ),
    ]);
}

/// 第6条: no standalone apps or mini-programs (原则上; every basis may be claimed).
#[test]
fn standalone_mobile_app_and_claims() {
    let app = |forms: Value| {
        vec![
            Set("/builds_mobile_app", json!(true)),
            Set("/mobile_app_forms", forms),
        ]
    };
    check(vec![
        row(
            "other mini-program (等应用)",
            with(apply(), app(json!(["other_mini_program"]))),
            &[MOBILE],
            &[],
        ),
        row(
            "standalone app alongside the portal",
            with(apply(), app(json!(["integrated_portal", "standalone_app"]))),
            &[MOBILE],
            &[],
        ),
        row(
            "alipay mini-program",
            with(apply(), app(json!(["alipay_mini_program"]))),
            &[MOBILE],
            &[],
        ),
        row(
            "integrated into the portal only",
            with(apply(), app(json!(["integrated_portal"]))),
            &[],
            &[],
        ),
        row(
            "forms required when building an app",
            with(apply(), vec![Set("/builds_mobile_app", json!(true))]),
            &[REQUIRED],
            &[],
        ),
        row(
            "no app built: forms ignored",
            with(
                apply(),
                vec![Set("/mobile_app_forms", json!(["standalone_app"]))],
            ),
            &[],
            &[],
        ),
        row(
            "claim basis other downgrades",
            with(
                apply(),
                ops(vec![
                    app(json!(["wechat_mini_program"])),
                    vec![Claim(MOBILE, "other")],
                ]),
            ),
            &[],
            &[MOBILE],
        ),
        row(
            "claim basis higher_mandate downgrades",
            with(
                apply(),
                ops(vec![
                    app(json!(["wechat_mini_program"])),
                    vec![Claim(MOBILE, "higher_mandate")],
                ]),
            ),
            &[],
            &[MOBILE],
        ),
        row(
            "claim basis law_regulation downgrades",
            with(
                apply(),
                ops(vec![
                    app(json!(["standalone_app"])),
                    vec![Claim(MOBILE, "law_regulation")],
                ]),
            ),
            &[],
            &[MOBILE],
        ),
        row(
            "claim basis special_circumstance downgrades",
            with(
                apply(),
                ops(vec![
                    app(json!(["standalone_app"])),
                    vec![Claim(MOBILE, "special_circumstance")],
                ]),
            ),
            &[],
            &[MOBILE],
        ),
        row(
            "valid claim without a violation is harmless",
            with(apply(), vec![Claim(MOBILE, "other")]),
            &[],
            &[],
        ),
        row(
            "claim on a non-exemptible rule is invalid and downgrades nothing",
            with(
                apply(),
                vec![
                    Detach("crypto_application_plan"),
                    Claim(CRYPTO, "special_circumstance"),
                ],
            ),
            &[CLAIM_INVALID, CRYPTO],
            &[],
        ),
        row(
            "one invalid claim does not cancel a valid one",
            with(
                apply(),
                ops(vec![
                    app(json!(["wechat_mini_program"])),
                    vec![
                        Detach("crypto_application_plan"),
                        Claim(MOBILE, "other"),
                        Claim(CRYPTO, "other"),
                    ],
                ]),
            ),
            &[CLAIM_INVALID, CRYPTO],
            &[MOBILE],
        ),
        row(
            "claim for a rule of another form is invalid",
            with(apply(), vec![Claim(FREE_MAINT, "law_regulation")]),
            &[CLAIM_INVALID],
            &[],
        ),
    ]);
}

/// 第6条: use the municipal government cloud (build-type projects).
#[test]
fn city_gov_cloud() {
    check(vec![
        row(
            "public cloud",
            with(
                apply(),
                vec![Set("/deployment_location", json!("public_cloud"))],
            ),
            &[],
            &[CLOUD],
        ),
        row(
            "own machine room",
            with(
                apply(),
                vec![Set("/deployment_location", json!("self_built_room"))],
            ),
            &[],
            &[CLOUD],
        ),
        row(
            "upper-level platform",
            with(
                apply(),
                vec![Set("/deployment_location", json!("upper_platform"))],
            ),
            &[],
            &[],
        ),
        row(
            "nothing deployed",
            with(
                apply(),
                vec![Set("/deployment_location", json!("not_applicable"))],
            ),
            &[],
            &[],
        ),
        row(
            "O&M project is not CONSTRUCTION",
            with(
                om_apply(),
                vec![Set("/deployment_location", json!("self_built_room"))],
            ),
            &[],
            &[],
        ),
        row(
            "upgrade is CONSTRUCTION (§5.13)",
            with(
                om_apply(),
                vec![
                    Set("/project_nature", json!("upgrade")),
                    Attach("construction_plan"),
                    Set("/deployment_location", json!("public_cloud")),
                ],
            ),
            &[],
            &[CLOUD],
        ),
    ]);
}

/// 第7条(1): build-type projects need a construction plan (extended to 扩建/升级改造, §5.13).
#[test]
fn construction_plan() {
    let predecessor = || {
        Set(
            "/predecessor_project",
            json!({"project_name": "高港区示例网格化治理系统一期项目", "accepted": true, "acceptance_date": "2024-12-20"}),
        )
    };
    let mut rows = Vec::new();
    for nature in ["new_build", "expansion", "renovation"] {
        rows.push(row(
            "build nature without a plan",
            with(
                apply(),
                vec![
                    Set("/project_nature", json!(nature)),
                    Detach("construction_plan"),
                ],
            ),
            &[PLAN],
            &[],
        ));
    }
    for nature in ["upgrade", "continuation"] {
        rows.push(row(
            "build nature (with predecessor) without a plan",
            with(
                apply(),
                vec![
                    Set("/project_nature", json!(nature)),
                    predecessor(),
                    Detach("construction_plan"),
                ],
            ),
            &[PLAN],
            &[],
        ));
    }
    rows.push(row("O&M needs no construction plan", om_apply(), &[], &[]));
    rows.push(row(
        "malformed nature: no CONSTRUCTION rule",
        with(
            apply(),
            vec![
                Set("/project_nature", json!("build")),
                Detach("construction_plan"),
                Detach("crypto_application_plan"),
            ],
        ),
        &[FORMAT],
        &[],
    ));
    check(rows);
}

/// 第7条(1): O&M / service purchase need the previous contract (unless first period, §5.28)
/// and a service-demand report.
#[test]
fn om_and_service_purchase_materials() {
    check(vec![
        row(
            "not first period, no previous contract",
            with(om_apply(), vec![Set("/is_first_period", json!(false))]),
            &[PREV_CONTRACT],
            &[],
        ),
        row(
            "not first period, previous contract attached",
            with(
                om_apply(),
                vec![
                    Set("/is_first_period", json!(false)),
                    Attach("previous_contract"),
                ],
            ),
            &[],
            &[],
        ),
        row(
            "first-period flag absent (is not true) and required",
            with(om_apply(), vec![Del("/is_first_period")]),
            &[PREV_CONTRACT, REQUIRED],
            &[],
        ),
        row(
            "first-period flag absent but previous contract attached",
            with(
                om_apply(),
                vec![Del("/is_first_period"), Attach("previous_contract")],
            ),
            &[REQUIRED],
            &[],
        ),
        row(
            "first-period flag malformed",
            with(om_apply(), vec![Set("/is_first_period", json!("no"))]),
            &[FORMAT],
            &[],
        ),
        row(
            "service purchase, not first period",
            with(
                om_apply(),
                vec![
                    Set("/project_nature", json!("service_purchase")),
                    Del("/predecessor_project"),
                    Set("/is_first_period", json!(false)),
                ],
            ),
            &[PREV_CONTRACT],
            &[],
        ),
        row(
            "service-demand report missing",
            with(om_apply(), vec![Detach("service_demand_report")]),
            &[DEMAND_REPORT],
            &[],
        ),
        row(
            "service purchase, service-demand report missing",
            with(
                om_apply(),
                vec![
                    Set("/project_nature", json!("service_purchase")),
                    Del("/predecessor_project"),
                    Detach("service_demand_report"),
                ],
            ),
            &[DEMAND_REPORT],
            &[],
        ),
        row(
            "both missing",
            with(
                om_apply(),
                vec![
                    Set("/is_first_period", json!(false)),
                    Detach("service_demand_report"),
                ],
            ),
            &[DEMAND_REPORT, PREV_CONTRACT],
            &[],
        ),
        row(
            "build project: first-period flag irrelevant",
            with(apply(), vec![Set("/is_first_period", json!(false))]),
            &[],
            &[],
        ),
    ]);
}

/// 第8条: out-of-plan projects only for the three listed reasons; 第8条(三) all money upper-level.
#[test]
fn outside_plan() {
    check(vec![
        row(
            "other special reason",
            plan_addition("other_special"),
            &[OUTSIDE_PLAN],
            &[],
        ),
        row("higher mandate", plan_addition("higher_mandate"), &[], &[]),
        row(
            "reason missing",
            with(
                plan_addition("emergency"),
                vec![Del("/outside_plan_reason")],
            ),
            &[REQUIRED],
            &[],
        ),
        row(
            "planned filing with other_special reason is not out-of-plan",
            with(
                apply(),
                vec![Set("/outside_plan_reason", json!("other_special"))],
            ),
            &[],
            &[],
        ),
        row(
            "fully upper-funded but local money",
            plan_addition("fully_upper_funded"),
            &[FULLY_UPPER],
            &[],
        ),
        row(
            "fully upper-funded, all upper",
            with(
                plan_addition("fully_upper_funded"),
                vec![funding(
                    json!([{"source": "upper_fiscal", "amount_wan": "80.00"}]),
                )],
            ),
            &[],
            &[],
        ),
        row(
            "one cent of local money",
            with(
                plan_addition("fully_upper_funded"),
                vec![funding(json!([
                    {"source": "upper_fiscal", "amount_wan": "79.99"},
                    {"source": "local_fiscal", "amount_wan": "0.01"}
                ]))],
            ),
            &[FULLY_UPPER],
            &[],
        ),
        row(
            "zero local money (Σ = 0 is not > 0)",
            with(
                plan_addition("fully_upper_funded"),
                vec![funding(json!([
                    {"source": "upper_fiscal", "amount_wan": "80.00"},
                    {"source": "local_fiscal", "amount_wan": "0.00"}
                ]))],
            ),
            &[],
            &[],
        ),
        row(
            "self-raised money",
            with(
                plan_addition("fully_upper_funded"),
                vec![funding(json!([
                    {"source": "upper_fiscal", "amount_wan": "70.00"},
                    {"source": "self_raised", "amount_wan": "10.00"}
                ]))],
            ),
            &[FULLY_UPPER],
            &[],
        ),
        row(
            "entry with absent source is not selected by the filter",
            with(
                plan_addition("fully_upper_funded"),
                vec![funding(json!([
                    {"source": "upper_fiscal", "amount_wan": "70.00"},
                    {"amount_wan": "10.00"}
                ]))],
            ),
            &[REQUIRED],
            &[],
        ),
        row(
            "entry with malformed source is not selected by the filter",
            with(
                plan_addition("fully_upper_funded"),
                vec![funding(json!([
                    {"source": "upper_fiscal", "amount_wan": "70.00"},
                    {"source": "lottery", "amount_wan": "10.00"}
                ]))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "selected entry with malformed amount makes Σ malformed",
            with(
                plan_addition("fully_upper_funded"),
                vec![funding(json!([
                    {"source": "upper_fiscal", "amount_wan": "70.00"},
                    {"source": "local_fiscal", "amount_wan": 10}
                ]))],
            ),
            &[AMOUNT],
            &[],
        ),
        row(
            "emergency with local money is fine",
            plan_addition("emergency"),
            &[],
            &[],
        ),
    ]);
}

/// Info rules: 第8条 approval notice for out-of-plan filings; 第9条 ≥ 50.00 for build projects.
#[test]
fn info_notices() {
    let total = |t: &str| {
        vec![
            Set("/total_investment_wan", json!(t)),
            funding(json!([{"source": "local_fiscal", "amount_wan": t}])),
            Set(
                "/annual_funding_plan",
                json!([{"year": 2026, "amount_wan": t}]),
            ),
        ]
    };
    let at_50 = with(apply(), total("50.00"));
    assert_eq!(sets(&at_50), (BTreeSet::new(), BTreeSet::new()));
    assert!(
        has_info(&at_50, NDRC_NOTICE),
        "exactly 50.00 is 50万元以上（包含50万元）"
    );
    assert!(has_info(&apply(), NDRC_NOTICE), "80.00 build project");
    let below = with(apply(), total("49.99"));
    assert_eq!(sets(&below), (BTreeSet::new(), BTreeSet::new()));
    assert!(!has_info(&below, NDRC_NOTICE), "49.99 is below 50万元");
    assert!(
        !has_info(&om_apply(), NDRC_NOTICE),
        "O&M is not a build project"
    );
    assert!(has_info(&plan_addition("emergency"), OUTSIDE_NOTICE));
    assert!(!has_info(&apply(), OUTSIDE_NOTICE));
}

/// 第12条: crypto plan (error if crypto involved, warning otherwise; §5.27).
#[test]
fn crypto_plan() {
    check(vec![
        row(
            "crypto involved, no plan",
            with(apply(), vec![Detach("crypto_application_plan")]),
            &[CRYPTO],
            &[],
        ),
        row(
            "no crypto, no plan",
            with(
                apply(),
                vec![
                    Set("/involves_crypto", json!(false)),
                    Detach("crypto_application_plan"),
                ],
            ),
            &[],
            &[CRYPTO_NONE],
        ),
        row(
            "no crypto, plan attached",
            with(apply(), vec![Set("/involves_crypto", json!(false))]),
            &[],
            &[],
        ),
        row(
            "crypto flag absent: neither rule",
            with(
                apply(),
                vec![Del("/involves_crypto"), Detach("crypto_application_plan")],
            ),
            &[REQUIRED],
            &[],
        ),
        row(
            "crypto flag malformed: neither rule",
            with(
                apply(),
                vec![
                    Set("/involves_crypto", json!(0)),
                    Detach("crypto_application_plan"),
                ],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "O&M project with crypto and no plan",
            with(om_apply(), vec![Detach("crypto_application_plan")]),
            &[],
            &[],
        ),
        row(
            "expansion with crypto and no plan",
            with(
                apply(),
                vec![
                    Set("/project_nature", json!("expansion")),
                    Detach("crypto_application_plan"),
                ],
            ),
            &[CRYPTO],
            &[],
        ),
    ]);
}

/// 第15条 and the INCREASE definition of §0.5.
#[test]
fn change_rules() {
    let contract_prices = |before: &str, after: &str| {
        vec![
            Set("/contract_price_before_wan", json!(before)),
            Set("/contract_price_after_wan", json!(after)),
        ]
    };
    let reason = |r: &str| vec![Set("/reason_category", json!(r))];
    let mut rows = vec![
        row(
            "re-allocation of 10.00, total unchanged",
            with(change(), reallocation()),
            &[BUDGET],
            &[],
        ),
        row(
            "decrease of the total (not INCREASE)",
            with(
                change(),
                vec![
                    Set("/adjusted_total_wan", json!("90.00")),
                    Set("/budget_items/0/adjusted_wan", json!("50.00")),
                ],
            ),
            &[BUDGET],
            &[],
        ),
        row(
            "total increase by one cent, allowed reason",
            with(
                change(),
                vec![
                    Set("/adjusted_total_wan", json!("100.01")),
                    Set("/budget_items/0/adjusted_wan", json!("60.01")),
                    Set("/reason_category", json!("upper_policy_adjustment")),
                ],
            ),
            &[],
            &[COMMITTEE],
        ),
        row(
            "total increase, tech optimisation",
            with(change(), total_increase("tech_optimization")),
            &[REASON_NOT_ALLOWED],
            &[],
        ),
        row(
            "total increase, business development",
            with(change(), total_increase("business_development")),
            &[REASON_NOT_ALLOWED],
            &[],
        ),
        row(
            "total increase, other",
            with(change(), total_increase("other")),
            &[REASON_NOT_ALLOWED],
            &[],
        ),
        row(
            "total increase, policy requirement (not one of the three)",
            with(change(), total_increase("policy_requirement")),
            &[REASON_NOT_ALLOWED],
            &[],
        ),
        row(
            "contract price up with re-allocation, scenario change",
            with(
                change(),
                ops(vec![
                    reallocation(),
                    contract_prices("50.00", "55.00"),
                    reason("scenario_change"),
                ]),
            ),
            &[],
            &[COMMITTEE],
        ),
        row(
            "contract price up while the total falls",
            with(
                change(),
                ops(vec![
                    vec![
                        Set("/adjusted_total_wan", json!("90.00")),
                        Set("/budget_items/0/adjusted_wan", json!("50.00")),
                    ],
                    contract_prices("50.00", "55.00"),
                    reason("standard_change"),
                ]),
            ),
            &[],
            &[COMMITTEE],
        ),
        row(
            "contract price unchanged with re-allocation",
            with(
                change(),
                ops(vec![reallocation(), contract_prices("50.00", "50.00")]),
            ),
            &[BUDGET],
            &[],
        ),
        row(
            "contract price down with re-allocation",
            with(
                change(),
                ops(vec![reallocation(), contract_prices("55.00", "50.00")]),
            ),
            &[BUDGET],
            &[],
        ),
        row(
            "contract price up, reason not allowed",
            with(change(), ops(vec![contract_prices("50.00", "50.01")])),
            &[REASON_NOT_ALLOWED],
            &[],
        ),
        row(
            "contract price before only: required, no INCREASE",
            with(
                change(),
                vec![Set("/contract_price_before_wan", json!("50.00"))],
            ),
            &[REQUIRED],
            &[],
        ),
        row(
            "contract price before only, with re-allocation",
            with(
                change(),
                ops(vec![
                    reallocation(),
                    vec![Set("/contract_price_before_wan", json!("50.00"))],
                ]),
            ),
            &[BUDGET, REQUIRED],
            &[],
        ),
        row(
            "contract price after only: no INCREASE",
            with(
                change(),
                ops(vec![
                    reallocation(),
                    vec![Set("/contract_price_after_wan", json!("55.00"))],
                ]),
            ),
            &[BUDGET],
            &[],
        ),
        row(
            "malformed contract price after: INCREASE false, not INCREASE true",
            with(
                change(),
                ops(vec![reallocation(), contract_prices("50.00", "55.001")]),
            ),
            &[AMOUNT, BUDGET],
            &[],
        ),
        row(
            "malformed adjusted total: its comparison is false even under not",
            with(
                change(),
                vec![
                    Set("/adjusted_total_wan", json!(110)),
                    Set("/budget_items/0/adjusted_wan", json!("70.00")),
                ],
            ),
            &[AMOUNT, BUDGET],
            &[],
        ),
        row(
            "malformed item amount makes adjustment_amount malformed",
            with(
                change(),
                vec![Set("/budget_items/0/original_wan", json!("60.001"))],
            ),
            &[AMOUNT],
            &[],
        ),
        row(
            "increase with reason absent: neither ∈ nor ∉ holds",
            with(
                change(),
                vec![
                    Set("/adjusted_total_wan", json!("110.00")),
                    Set("/budget_items/0/adjusted_wan", json!("70.00")),
                    Del("/reason_category"),
                ],
            ),
            &[REQUIRED],
            &[],
        ),
        row(
            "re-allocation, claim special_circumstance",
            with(
                change(),
                ops(vec![
                    reallocation(),
                    vec![Claim(BUDGET, "special_circumstance")],
                ]),
            ),
            &[],
            &[BUDGET],
        ),
        row(
            "re-allocation, claim law_regulation",
            with(
                change(),
                ops(vec![reallocation(), vec![Claim(BUDGET, "law_regulation")]]),
            ),
            &[],
            &[BUDGET],
        ),
        row(
            "re-allocation, claim higher_mandate is not an allowed basis",
            with(
                change(),
                ops(vec![reallocation(), vec![Claim(BUDGET, "higher_mandate")]]),
            ),
            &[BUDGET, CLAIM_INVALID],
            &[],
        ),
        row(
            "re-allocation, claim other is not an allowed basis",
            with(
                change(),
                ops(vec![reallocation(), vec![Claim(BUDGET, "other")]]),
            ),
            &[BUDGET, CLAIM_INVALID],
            &[],
        ),
        row(
            "increase-reason-not-allowed is not exemptible",
            with(
                change(),
                ops(vec![
                    total_increase("tech_optimization"),
                    vec![Claim(REASON_NOT_ALLOWED, "special_circumstance")],
                ]),
            ),
            &[CLAIM_INVALID, REASON_NOT_ALLOWED],
            &[],
        ),
    ];
    for r in [
        "upper_policy_adjustment",
        "standard_change",
        "scenario_change",
    ] {
        rows.push(row(
            "total increase, one of the three reasons",
            with(change(), total_increase(r)),
            &[],
            &[COMMITTEE],
        ));
    }
    check(rows);
}

/// 第13条: 10 working days (signing day not counted; the 10th working day is on time; make-up
/// days count; holidays do not; outside the calendar the rule is skipped with a warning).
#[test]
fn contract_ten_working_days() {
    let c = |signed, filed| with(contract(), signed_filed(signed, filed));
    check(vec![
        row(
            "2025-09-26 → 2025-10-16 on time",
            c("2025-09-26", "2025-10-16"),
            &[],
            &[],
        ),
        row(
            "2025-09-26 → 2025-10-17 late",
            c("2025-09-26", "2025-10-17"),
            &[],
            &[TEN_DAYS],
        ),
        row(
            "Spring Festival 2026: 02-06 → 02-27 on time",
            c("2026-02-06", "2026-02-27"),
            &[],
            &[],
        ),
        row(
            "Spring Festival 2026: 02-06 → 02-28 (make-up Saturday) late",
            c("2026-02-06", "2026-02-28"),
            &[],
            &[TEN_DAYS],
        ),
        row(
            "two make-up Saturdays: 2026-02-13 → 03-05 on time",
            c("2026-02-13", "2026-03-05"),
            &[],
            &[],
        ),
        row(
            "2026-02-13 → 03-06 late",
            c("2026-02-13", "2026-03-06"),
            &[],
            &[TEN_DAYS],
        ),
        row(
            "Sunday make-up 2026-09-20 counts: 09-18 → 10-09 on time",
            c("2026-09-18", "2026-10-09"),
            &[],
            &[],
        ),
        row(
            "2026-09-18 → 10-10 (make-up Saturday after the deadline) late",
            c("2026-09-18", "2026-10-10"),
            &[],
            &[TEN_DAYS],
        ),
        row(
            "Spring Festival 2025 with two make-up days: 01-24 → 02-13 on time",
            c("2025-01-24", "2025-02-13"),
            &[],
            &[],
        ),
        row(
            "2025-01-24 → 02-14 late",
            c("2025-01-24", "2025-02-14"),
            &[],
            &[TEN_DAYS],
        ),
        row(
            "Labour Day 2025: 04-30 → 05-19 on time",
            c("2025-04-30", "2025-05-19"),
            &[],
            &[],
        ),
        row(
            "2025-04-30 → 05-20 late",
            c("2025-04-30", "2025-05-20"),
            &[],
            &[TEN_DAYS],
        ),
        row(
            "signing day outside the calendar, walk inside: 2024-12-31 → 2025-01-15 on time",
            c("2024-12-31", "2025-01-15"),
            &[],
            &[],
        ),
        row(
            "2024-12-31 → 2025-01-16 late",
            c("2024-12-31", "2025-01-16"),
            &[],
            &[TEN_DAYS],
        ),
        row(
            "walk ends on 2026-12-31: 12-17 → 12-31 on time",
            c("2026-12-17", "2026-12-31"),
            &[],
            &[],
        ),
        row(
            "walk ends on 2026-12-31, filed 2027-01-04: late, calendar covered",
            c("2026-12-17", "2027-01-04"),
            &[],
            &[TEN_DAYS],
        ),
        row(
            "walk leaves the calendar: coverage warning, rule skipped",
            c("2026-12-18", "2027-01-05"),
            &[],
            &[CALENDAR],
        ),
        row(
            "walk leaves the calendar even when filed early",
            c("2026-12-18", "2026-12-21"),
            &[],
            &[CALENDAR],
        ),
        row(
            "signing date missing",
            with(contract(), vec![Del("/signing_date")]),
            &[REQUIRED],
            &[],
        ),
        row(
            "signing date malformed",
            with(contract(), vec![Set("/signing_date", json!("2025-09-31"))]),
            &[FORMAT],
            &[],
        ),
        row(
            "filed before signing",
            c("2025-09-26", "2025-09-25"),
            &[FILING_BEFORE_SIGNING],
            &[],
        ),
        row(
            "filing deadline is not exemptible",
            with(
                contract(),
                ops(vec![
                    signed_filed("2025-09-26", "2025-10-17"),
                    vec![Claim(TEN_DAYS, "other")],
                ]),
            ),
            &[CLAIM_INVALID],
            &[TEN_DAYS],
        ),
    ]);
}

/// 第13条: filing materials, free maintenance ≥ 12 months from acceptance, warranty.
#[test]
fn contract_materials_and_terms() {
    let mut rows = Vec::new();
    for k in CONTRACT_MATERIALS {
        rows.push(row(
            "one filing material missing",
            with(contract(), vec![Detach(k)]),
            &[MATERIALS_CONTRACT],
            &[],
        ));
    }
    rows.extend(vec![
        row(
            "no attachments at all",
            with(contract(), vec![Del("/attachments")]),
            &[MATERIALS_CONTRACT],
            &[],
        ),
        row(
            "free maintenance 11 months",
            with(contract(), vec![Set("/free_maintenance_months", json!(11))]),
            &[FREE_MAINT],
            &[],
        ),
        row(
            "free maintenance 120 months",
            with(
                contract(),
                vec![Set("/free_maintenance_months", json!(120))],
            ),
            &[],
            &[],
        ),
        row(
            "free maintenance 13 months",
            with(contract(), vec![Set("/free_maintenance_months", json!(13))]),
            &[],
            &[],
        ),
        row(
            "free maintenance absent",
            with(contract(), vec![Del("/free_maintenance_months")]),
            &[FREE_MAINT],
            &[],
        ),
        row(
            "free maintenance null",
            with(
                contract(),
                vec![Set("/free_maintenance_months", Value::Null)],
            ),
            &[FREE_MAINT],
            &[],
        ),
        row(
            "free maintenance 0",
            with(contract(), vec![Set("/free_maintenance_months", json!(0))]),
            &[FREE_MAINT],
            &[],
        ),
        row(
            "free maintenance as a string is malformed",
            with(
                contract(),
                vec![Set("/free_maintenance_months", json!("12"))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "free maintenance 12.5 is malformed",
            with(
                contract(),
                vec![Set("/free_maintenance_months", json!(12.5))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "free maintenance 121 is out of range",
            with(
                contract(),
                vec![Set("/free_maintenance_months", json!(121))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "free maintenance -11 is malformed: not < 12",
            with(
                contract(),
                vec![Set("/free_maintenance_months", json!(-11))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "counted from delivery",
            with(
                contract(),
                vec![Set("/free_maintenance_start", json!("from_delivery"))],
            ),
            &[FREE_MAINT],
            &[],
        ),
        row(
            "counted from other point",
            with(
                contract(),
                vec![Set("/free_maintenance_start", json!("other"))],
            ),
            &[FREE_MAINT],
            &[],
        ),
        row(
            "start point absent",
            with(contract(), vec![Del("/free_maintenance_start")]),
            &[FREE_MAINT],
            &[],
        ),
        row(
            "start point malformed",
            with(
                contract(),
                vec![Set("/free_maintenance_start", json!("from_signing"))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "supervision contract: free maintenance and warranty not required",
            with(
                contract(),
                vec![
                    Set("/contract_kind", json!("supervision")),
                    Del("/free_maintenance_months"),
                    Del("/free_maintenance_start"),
                    Del("/warranty_months"),
                ],
            ),
            &[],
            &[],
        ),
        row(
            "O&M project: free maintenance and warranty not required",
            with(
                contract(),
                vec![
                    Set("/project_nature", json!("om")),
                    Del("/free_maintenance_months"),
                    Del("/warranty_months"),
                ],
            ),
            &[],
            &[],
        ),
        row(
            "upgrade project, 11 months",
            with(
                contract(),
                vec![
                    Set("/project_nature", json!("upgrade")),
                    Set("/free_maintenance_months", json!(11)),
                ],
            ),
            &[FREE_MAINT],
            &[],
        ),
        row(
            "claim law_regulation downgrades",
            with(
                contract(),
                vec![
                    Set("/free_maintenance_months", json!(6)),
                    Claim(FREE_MAINT, "law_regulation"),
                ],
            ),
            &[],
            &[FREE_MAINT],
        ),
        row(
            "claim special_circumstance is not an allowed basis",
            with(
                contract(),
                vec![
                    Set("/free_maintenance_months", json!(6)),
                    Claim(FREE_MAINT, "special_circumstance"),
                ],
            ),
            &[CLAIM_INVALID, FREE_MAINT],
            &[],
        ),
        row(
            "claim higher_mandate is not an allowed basis",
            with(
                contract(),
                vec![
                    Set("/free_maintenance_months", json!(6)),
                    Claim(FREE_MAINT, "higher_mandate"),
                ],
            ),
            &[CLAIM_INVALID, FREE_MAINT],
            &[],
        ),
        row(
            "warranty absent",
            with(contract(), vec![Del("/warranty_months")]),
            &[WARRANTY],
            &[],
        ),
        row(
            "warranty 0 is stated",
            with(contract(), vec![Set("/warranty_months", json!(0))]),
            &[],
            &[],
        ),
        row(
            "warranty malformed",
            with(contract(), vec![Set("/warranty_months", json!("一年"))]),
            &[FORMAT],
            &[],
        ),
    ]);
    check(rows);
}

/// 第9条: build projects of ≥ 50.00 need the DRC approval number on the contract filing.
#[test]
fn contract_approval_number() {
    check(vec![
        row(
            "exactly 50.00 without approval number",
            with(
                contract(),
                ops(vec![contract_total("50.00"), vec![Del("/approval_no")]]),
            ),
            &[APPROVAL_NO],
            &[],
        ),
        row(
            "exactly 50.00 with approval number",
            with(contract(), contract_total("50.00")),
            &[],
            &[],
        ),
        row(
            "49.99 without approval number",
            with(
                contract(),
                ops(vec![contract_total("49.99"), vec![Del("/approval_no")]]),
            ),
            &[],
            &[],
        ),
        row(
            "80.00 without approval number",
            with(contract(), vec![Del("/approval_no")]),
            &[APPROVAL_NO],
            &[],
        ),
        row(
            "whitespace-only approval number is absent",
            with(contract(), vec![Set("/approval_no", json!("  "))]),
            &[APPROVAL_NO],
            &[],
        ),
        row(
            "malformed approval number is not absent",
            with(contract(), vec![Set("/approval_no", json!("号"))]),
            &[FORMAT],
            &[],
        ),
        row(
            "O&M project without approval number",
            with(
                contract(),
                vec![Set("/project_nature", json!("om")), Del("/approval_no")],
            ),
            &[],
            &[],
        ),
        row(
            "malformed project total",
            with(
                contract(),
                vec![Set("/project_total_wan", json!(80)), Del("/approval_no")],
            ),
            &[AMOUNT],
            &[],
        ),
    ]);
}

/// 第16条: serious delay ≥ 6 months beyond the contract period (§5.3), late start ≥ 6 months after
/// design approval; month-end clamping.
#[test]
fn monitor_six_months() {
    let at = |d: &str| Set("/submission_date", json!(d));
    let ls = |ops_: Vec<Op>| with(late_start(), ops_);
    check(vec![
        row("one day short of six months", monitor(), &[], &[]),
        row(
            "exactly six months (add_months(03-31, 6) = 09-30)",
            with(monitor(), vec![at("2025-09-30")]),
            &[DELAY],
            &[],
        ),
        row(
            "more than six months",
            with(monitor(), vec![at("2025-10-01")]),
            &[DELAY],
            &[],
        ),
        row(
            "rectification plan attached",
            with(
                monitor(),
                vec![at("2025-09-30"), Attach("rectification_plan")],
            ),
            &[],
            &[],
        ),
        row(
            "completed project",
            with(
                monitor(),
                vec![at("2025-09-30"), Set("/completed", json!(true))],
            ),
            &[],
            &[],
        ),
        row(
            "completed absent",
            with(monitor(), vec![at("2025-09-30"), Del("/completed")]),
            &[REQUIRED],
            &[],
        ),
        row(
            "no contract end date",
            with(monitor(), vec![at("2026-09-30"), Del("/contract_end_date")]),
            &[],
            &[],
        ),
        row(
            "month-end clamp: 2025-08-31 + 6 = 2026-02-28, filed 02-27",
            with(
                monitor(),
                vec![
                    Set("/contract_end_date", json!("2025-08-31")),
                    at("2026-02-27"),
                ],
            ),
            &[],
            &[],
        ),
        row(
            "month-end clamp: filed 2026-02-28",
            with(
                monitor(),
                vec![
                    Set("/contract_end_date", json!("2025-08-31")),
                    at("2026-02-28"),
                ],
            ),
            &[DELAY],
            &[],
        ),
        row(
            "malformed contract end date",
            with(
                monitor(),
                vec![
                    Set("/contract_end_date", json!("2025-02-29")),
                    at("2026-09-30"),
                ],
            ),
            &[FORMAT],
            &[],
        ),
        row("late start: one day short", late_start(), &[], &[]),
        row(
            "late start: exactly six months",
            ls(vec![at("2025-09-10")]),
            &[],
            &[LATE_START],
        ),
        row(
            "started in time",
            ls(vec![
                at("2025-09-10"),
                Set("/construction_started", json!(true)),
            ]),
            &[],
            &[],
        ),
        row(
            "started flag absent",
            ls(vec![at("2025-09-10"), Del("/construction_started")]),
            &[REQUIRED],
            &[],
        ),
        row(
            "no design approval date",
            ls(vec![at("2026-09-10"), Del("/design_approval_date")]),
            &[],
            &[],
        ),
        row(
            "late start month-end clamp: 2025-08-31 → 2026-02-27",
            ls(vec![
                Set("/design_approval_date", json!("2025-08-31")),
                at("2026-02-27"),
            ]),
            &[],
            &[],
        ),
        row(
            "late start month-end clamp: 2026-02-28",
            ls(vec![
                Set("/design_approval_date", json!("2025-08-31")),
                at("2026-02-28"),
            ]),
            &[],
            &[LATE_START],
        ),
        row(
            "both: delayed and not started",
            ls(vec![
                Set("/contract_end_date", json!("2025-03-31")),
                at("2025-09-30"),
            ]),
            &[DELAY],
            &[LATE_START],
        ),
    ]);
}

/// 第14条、第18条.
#[test]
fn fund_rules() {
    let status = |s: &str| Set("/project_status", json!(s));
    let req = |s: &str| Set("/request_type", json!(s));
    check(vec![
        row(
            "completed but not accepted",
            with(fund(), vec![status("completed_not_accepted")]),
            &[NOT_ACCEPTED],
            &[],
        ),
        row(
            "acceptance failed",
            with(fund(), vec![status("acceptance_failed")]),
            &[NOT_ACCEPTED],
            &[],
        ),
        row("accepted", with(fund(), vec![status("accepted")]), &[], &[]),
        row(
            "final payment during construction",
            with(fund(), vec![req("final")]),
            &[FINAL_PAYMENT],
            &[],
        ),
        row(
            "final payment after acceptance",
            with(fund(), vec![req("final"), status("accepted")]),
            &[],
            &[],
        ),
        row(
            "final payment, completed not accepted",
            with(fund(), vec![req("final"), status("completed_not_accepted")]),
            &[NOT_ACCEPTED],
            &[],
        ),
        row(
            "advance payment during construction",
            with(fund(), vec![req("advance")]),
            &[],
            &[],
        ),
        row(
            "no supporting documents",
            with(fund(), vec![Detach("supporting_documents")]),
            &[SUPPORTING],
            &[],
        ),
        row(
            "malformed status",
            with(fund(), vec![req("final"), status("done")]),
            &[FORMAT],
            &[],
        ),
    ]);
}

/// 第17条、第18条.
#[test]
fn accept_rules() {
    let mut rows = vec![
        row(
            "trial run not normal",
            with(accept(), vec![Set("/trial_run/normal", json!(false))]),
            &[TRIAL],
            &[],
        ),
        row(
            "no trial run (is not true)",
            with(accept(), vec![Del("/trial_run")]),
            &[TRIAL],
            &[],
        ),
        row(
            "trial run null",
            with(accept(), vec![Set("/trial_run", Value::Null)]),
            &[TRIAL],
            &[],
        ),
        row(
            "trial run normal flag absent",
            with(accept(), vec![Del("/trial_run/normal")]),
            &[REQUIRED, TRIAL],
            &[],
        ),
        row(
            "trial run normal flag malformed",
            with(accept(), vec![Set("/trial_run/normal", json!("yes"))]),
            &[FORMAT],
            &[],
        ),
        row(
            "trial run not an object: members malformed, not absent",
            with(accept(), vec![Set("/trial_run", json!("stable"))]),
            &[FORMAT],
            &[],
        ),
        row(
            "expansion, trial run not normal",
            with(
                accept(),
                vec![
                    Set("/project_nature", json!("expansion")),
                    Set("/trial_run/normal", json!(false)),
                ],
            ),
            &[TRIAL],
            &[],
        ),
        row(
            "O&M project: no trial-run or materials rule",
            with(
                accept(),
                ACCEPT_MATERIALS
                    .iter()
                    .map(|k| Detach(k))
                    .chain([Set("/project_nature", json!("om")), Del("/trial_run")])
                    .collect(),
            ),
            &[],
            &[],
        ),
        row(
            "re-application without rectification report",
            with(accept(), vec![Set("/is_reapplication", json!(true))]),
            &[REAPPLICATION],
            &[],
        ),
        row(
            "re-application with rectification report",
            with(
                accept(),
                vec![
                    Set("/is_reapplication", json!(true)),
                    Attach("rectification_report"),
                ],
            ),
            &[],
            &[],
        ),
        row(
            "not a re-application",
            with(accept(), vec![Set("/is_reapplication", json!(false))]),
            &[],
            &[],
        ),
        row(
            "O&M re-application without rectification report",
            with(
                accept(),
                vec![
                    Set("/project_nature", json!("om")),
                    Set("/is_reapplication", json!(true)),
                ],
            ),
            &[REAPPLICATION],
            &[],
        ),
    ];
    for k in ACCEPT_MATERIALS {
        rows.push(row(
            "one acceptance material missing",
            with(accept(), vec![Detach(k)]),
            &[MATERIALS_ACCEPT],
            &[],
        ));
    }
    check(rows);
}

/// 第19条.
#[test]
fn accept_record_assets() {
    check(vec![
        row(
            "assets not registered",
            with(
                accept_record(),
                vec![Set("/assets_registered", json!(false))],
            ),
            &[],
            &[ASSETS],
        ),
        row(
            "assets flag absent (is not true)",
            with(accept_record(), vec![Del("/assets_registered")]),
            &[],
            &[ASSETS],
        ),
        row(
            "assets flag null",
            with(
                accept_record(),
                vec![Set("/assets_registered", Value::Null)],
            ),
            &[],
            &[ASSETS],
        ),
        row(
            "assets flag malformed",
            with(
                accept_record(),
                vec![Set("/assets_registered", json!("false"))],
            ),
            &[FORMAT],
            &[],
        ),
        row(
            "failed acceptance",
            with(
                accept_record(),
                vec![
                    Set("/acceptance_result", json!("failed")),
                    Set("/assets_registered", json!(false)),
                ],
            ),
            &[],
            &[],
        ),
    ]);
}

/// 第21条: within 12 months after the later of acceptance and go-live (§5.6); month-end clamp.
#[test]
fn self_eval_window() {
    let dates = |acc: &str, op: &str, filed: &str| {
        with(
            self_eval(),
            vec![
                Set("/acceptance_date", json!(acc)),
                Set("/operation_start_date", json!(op)),
                Set("/submission_date", json!(filed)),
            ],
        )
    };
    check(vec![
        row(
            "last day (later date = go-live)",
            dates("2024-11-20", "2024-12-01", "2025-12-01"),
            &[],
            &[],
        ),
        row(
            "one day late",
            dates("2024-11-20", "2024-12-01", "2025-12-02"),
            &[],
            &[SELF_EVAL],
        ),
        row(
            "later date = acceptance, last day",
            dates("2024-12-01", "2024-11-20", "2025-12-01"),
            &[],
            &[],
        ),
        row(
            "later date = acceptance, one day late",
            dates("2024-12-01", "2024-11-20", "2025-12-02"),
            &[],
            &[SELF_EVAL],
        ),
        row(
            "leap day: 2024-02-29 + 12 months = 2025-02-28",
            dates("2024-02-29", "2024-02-29", "2025-02-28"),
            &[],
            &[],
        ),
        row(
            "leap day, filed 2025-03-01",
            dates("2024-02-29", "2024-02-29", "2025-03-01"),
            &[],
            &[SELF_EVAL],
        ),
        row(
            "go-live date missing: no window",
            with(
                self_eval(),
                vec![
                    Del("/operation_start_date"),
                    Set("/submission_date", json!("2026-12-01")),
                ],
            ),
            &[REQUIRED],
            &[],
        ),
        row(
            "go-live date malformed: no window",
            with(
                self_eval(),
                vec![
                    Set("/operation_start_date", json!("2024-13-01")),
                    Set("/submission_date", json!("2026-12-01")),
                ],
            ),
            &[FORMAT],
            &[],
        ),
    ]);
}

/// The pack's catalogue against the §3 counts table and the citations as the seed numbers them.
#[test]
fn pack_catalogue_counts_and_citations() {
    let pack = validator_core::packs::pack(J).expect("gaogang pack");
    let count =
        |s: validator_core::packs::Severity| pack.rules.iter().filter(|r| r.severity == s).count();
    use validator_core::packs::Severity::*;
    assert_eq!(pack.rules.len(), 35);
    assert_eq!(count(Error), 23);
    assert_eq!(count(Warning), 10);
    assert_eq!(count(Info), 2);
    let exemptible: Vec<(&str, Vec<&str>)> = pack
        .rules
        .iter()
        .filter(|r| !r.exempt.is_empty())
        .map(|r| (r.id, r.exempt.iter().map(|b| b.code()).collect()))
        .collect();
    assert_eq!(
        exemptible,
        vec![
            (
                MOBILE,
                vec![
                    "law_regulation",
                    "higher_mandate",
                    "special_circumstance",
                    "other"
                ]
            ),
            (BUDGET, vec!["law_regulation", "special_circumstance"]),
            (FREE_MAINT, vec!["law_regulation"]),
        ]
    );
    // Citations carried by the report.
    let r = report(&plan_addition("fully_upper_funded"));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == FULLY_UPPER)
        .expect("fires");
    let c = f.citation.as_ref().expect("citation");
    assert_eq!(c.article, "第8条(三)");
    assert_eq!(c.source.as_deref(), Some("002_cbdc4b492b224e91.txt"));
    let r = report(&with(
        om_apply(),
        vec![Set("/is_first_period", json!(false))],
    ));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == PREV_CONTRACT)
        .expect("fires");
    assert_eq!(f.citation.as_ref().expect("citation").article, "第7条(1)");
    let r = report(&with(accept(), vec![Detach("digital_om_report")]));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == MATERIALS_ACCEPT)
        .expect("fires");
    assert_eq!(
        f.citation.as_ref().expect("citation").article,
        "第17条(一)至(六)"
    );
    let r = report(&with(
        apply(),
        vec![Set("/content_types", json!(["non_gov_it"]))],
    ));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == OUT_OF_SCOPE)
        .expect("fires");
    assert_eq!(
        f.citation.as_ref().expect("citation").article,
        "第24条(一)至(五)"
    );
}
