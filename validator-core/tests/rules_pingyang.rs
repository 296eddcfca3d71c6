//! Focused, data-driven tests of the `pingyang` pack (spec §3.5; seed 003_99ee55b59732cc25.txt,
//! 平阳县县级党政机关信息化项目建设管理办法). Every input is a valid shared case
//! (`shared/cases/pingyang.json`) mutated with serde_json; every expectation is the exact set of
//! error and warning rule IDs that the spec (§0.5 semantics, §0.6 calendar, §0.7 thresholds, §3.5
//! conditions) says must fire. Info results are checked separately where it matters.

use serde_json::{json, Value};
use std::collections::BTreeSet;

mod support;

/// The `data` of a shared case.
fn case(id: &str) -> Value {
    support::shared_case(id)["data"].clone()
}

fn ids(r: &validator_core::Report, sev: &str) -> BTreeSet<String> {
    r.rules_with(sev).into_iter().map(String::from).collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Asserts the exact sets of error and warning rule IDs.
fn check(label: &str, form: &str, data: &Value, errors: &[&str], warnings: &[&str]) {
    let r = validator_core::validate("pingyang", form, data)
        .unwrap_or_else(|e| panic!("{label}: refused: {e}"));
    let (e, w) = (ids(&r, "error"), ids(&r, "warning"));
    assert_eq!(
        (&e, &w),
        (&set(errors), &set(warnings)),
        "{label}: (errors, warnings) differ"
    );
    assert_eq!(r.valid, errors.is_empty(), "{label}: valid flag");
}

type Mutation = fn(&mut Value);
type Row = (
    &'static str,
    Mutation,
    &'static [&'static str],
    &'static [&'static str],
);

fn run_table(base: &str, form: &str, prep: Mutation, rows: &[Row]) {
    for (label, m, errors, warnings) in rows {
        let mut d = case(base);
        prep(&mut d);
        m(&mut d);
        check(&format!("{base} / {label}"), form, &d, errors, warnings);
    }
}

fn remove(d: &mut Value, key: &str) {
    d.as_object_mut().unwrap().remove(key);
}

fn attach(d: &mut Value, kind: &str) {
    d["attachments"]
        .as_array_mut()
        .unwrap()
        .push(json!({"kind": kind, "file_name": format!("{kind}.pdf")}));
}

fn detach(d: &mut Value, kind: &str) {
    d["attachments"]
        .as_array_mut()
        .unwrap()
        .retain(|a| a["kind"] != kind);
}

// ---------------------------------------------------------------- apply

const AP: &str = "pingyang.apply.major-project-approval";
const SUP: &str = "pingyang.apply.major-supervision";
const TPD: &str = "pingyang.apply.major-third-party-design";
const REQ: &str = "common.any.required-field";
const FMT: &str = "common.any.field-format";
const AMT: &str = "common.any.amount-format";
const CLAIM: &str = "common.any.exemption-claim-invalid";

/// Sets the project total (one funding source, one year) of an apply form.
fn total(d: &mut Value, amount: &str) {
    d["total_investment_wan"] = json!(amount);
    d["funding_sources"][0]["amount_wan"] = json!(amount);
    d["annual_funding_plan"][0]["amount_wan"] = json!(amount);
}

fn major_ok(d: &mut Value) {
    total(d, "200.00");
    d["project_code"] = json!("2025-330326-65-01-000001");
    d["supervision_planned"] = json!(true);
}

#[test]
fn the_200_wan_major_project_threshold() {
    // 第二条(一): 重大 = 投资额200万元及以上 (≥ 200.00), 一般 = 200万元以下 (§0.7, §5.2).
    let rows: &[Row] = &[
        ("199.99 general project", |_| {}, &[], &[]),
        (
            "exactly 200.00",
            |d| total(d, "200.00"),
            &[AP, SUP, TPD],
            &[],
        ),
        (
            "200 without decimals",
            |d| total(d, "200"),
            &[AP, SUP, TPD],
            &[],
        ),
        ("200.01", |d| total(d, "200.01"), &[AP, SUP, TPD], &[]),
        (
            "200.00 with project code",
            |d| {
                total(d, "200.00");
                d["project_code"] = json!("2025-330326-65-01-000001");
            },
            &[SUP, TPD],
            &[],
        ),
        (
            "200.00 fully compliant (code, supervisor, third-party designer)",
            |d| {
                major_ok(d);
                d["plan_author"] = json!("third_party");
                d["design_unit"] =
                    json!({"unit_name": "示例设计院有限公司", "credit_code": "91330300MA2CL4P81P"});
            },
            &[],
            &[],
        ),
        (
            "200.00, malformed project code is not absent",
            |d| {
                total(d, "200.00");
                d["project_code"] = json!("2025-330326-65-01-00001");
            },
            &[FMT, SUP, TPD],
            &[],
        ),
        (
            "200.00, blank project code counts as absent",
            |d| {
                total(d, "200.00");
                d["project_code"] = json!("   ");
            },
            &[AP, SUP, TPD],
            &[],
        ),
        (
            "200.00, supervision_planned absent is not false",
            |d| {
                total(d, "200.00");
                remove(d, "supervision_planned");
            },
            &[REQ, AP, TPD],
            &[],
        ),
        (
            "200.00, supervision_planned null is absent",
            |d| {
                total(d, "200.00");
                d["supervision_planned"] = Value::Null;
            },
            &[REQ, AP, TPD],
            &[],
        ),
        (
            "200.00, supervision_planned as a string is malformed",
            |d| {
                total(d, "200.00");
                d["supervision_planned"] = json!("false");
            },
            &[FMT, AP, TPD],
            &[],
        ),
        (
            "200.00, plan_author absent (required in pingyang for build approval)",
            |d| {
                total(d, "200.00");
                remove(d, "plan_author");
            },
            &[REQ, AP, SUP],
            &[],
        ),
        (
            "200.00 expansion is a build project",
            |d| {
                total(d, "200.00");
                d["project_nature"] = json!("expansion");
            },
            &[AP, SUP, TPD],
            &[],
        ),
        (
            "200.00 renovation is a build project",
            |d| {
                total(d, "200.00");
                d["project_nature"] = json!("renovation");
            },
            &[AP, SUP, TPD],
            &[],
        ),
        (
            "200.00 service purchase is not a build project (§5.13)",
            |d| {
                total(d, "200.00");
                d["project_nature"] = json!("service_purchase");
            },
            &[],
            &[],
        ),
        (
            "200.00 at the record stage: only supervision",
            |d| {
                total(d, "200.00");
                d["filing_stage"] = json!("record");
            },
            &[SUP],
            &[],
        ),
        (
            "200.00 at the plan stage: supervision and the demand plan",
            |d| {
                total(d, "200.00");
                d["filing_stage"] = json!("plan");
            },
            &[SUP, "pingyang.apply.demand-plan"],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", |_| {}, rows);
}

#[test]
fn plan_author_is_required_for_build_approval_and_plan_addition_only() {
    let rows: &[Row] = &[
        (
            "approval, build, absent",
            |d| remove(d, "plan_author"),
            &[REQ],
            &[],
        ),
        (
            "approval, service purchase, absent",
            |d| {
                remove(d, "plan_author");
                d["project_nature"] = json!("service_purchase");
            },
            &[],
            &[],
        ),
        (
            "record stage, absent",
            |d| {
                remove(d, "plan_author");
                d["filing_stage"] = json!("record");
            },
            &[],
            &[],
        ),
        (
            "third party without design unit",
            |d| d["plan_author"] = json!("third_party"),
            &[REQ],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", |_| {}, rows);
}

fn claim(rule: &str, basis: &str) -> Value {
    json!({"rule_id": rule, "basis": basis, "document_no": "示例文件〔2025〕1号", "explanation": "本项目因特殊情况由单位自行编写建设方案。"})
}

#[test]
fn the_third_party_design_rule_is_exemptible_with_every_basis() {
    for basis in [
        "law_regulation",
        "higher_mandate",
        "special_circumstance",
        "other",
    ] {
        let mut d = case("pingyang-apply-001");
        major_ok(&mut d);
        check("major, self-written, no claim", "apply", &d, &[TPD], &[]);
        d["exemption_claims"] = json!([claim(TPD, basis)]);
        check(&format!("claim {basis}"), "apply", &d, &[], &[TPD]);
        let r = validator_core::validate("pingyang", "apply", &d).unwrap();
        let f = r.findings.iter().find(|f| f.rule == TPD).unwrap();
        assert!(f.exempted && f.severity == "warning", "{basis}: downgraded");
    }
}

#[test]
fn exemption_claims_are_judged_one_by_one() {
    let rows: &[Row] = &[
        (
            "claim on a non-exemptible rule of the pack",
            |d| {
                d["supervision_planned"] = json!(false);
                d["exemption_claims"] = json!([claim(SUP, "special_circumstance")]);
            },
            &[CLAIM, SUP, TPD],
            &[],
        ),
        (
            "claim on another pack's exemptible rule",
            |d| {
                d["exemption_claims"] = json!([claim(
                    "bazhong.apply.hardware-procurement",
                    "law_regulation"
                )])
            },
            &[CLAIM, TPD],
            &[],
        ),
        (
            "claim on an unknown rule",
            |d| d["exemption_claims"] = json!([claim("pingyang.apply.no-such-rule", "other")]),
            &[CLAIM, TPD],
            &[],
        ),
        (
            "one valid and one invalid claim: the valid one still downgrades",
            |d| {
                d["exemption_claims"] = json!([
                    claim(TPD, "higher_mandate"),
                    claim("pingyang.apply.major-supervision", "other")
                ]);
            },
            &[CLAIM],
            &[TPD],
        ),
        (
            "basis outside the enum is malformed: reported by the format rule only",
            |d| d["exemption_claims"] = json!([claim(TPD, "mandate")]),
            &[FMT, TPD],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", major_ok, rows);

    // A valid claim for a rule that does not fire changes nothing.
    let mut d = case("pingyang-apply-001");
    d["exemption_claims"] = json!([claim(TPD, "other")]);
    check("valid claim, general project", "apply", &d, &[], &[]);

    // The rule is exemptible only in the apply form: the same claim on a contract is invalid.
    let mut d = case("pingyang-contract-002");
    d["submission_date"] = json!("2025-05-08");
    d["exemption_claims"] = json!([claim(TPD, "other")]);
    check(
        "apply-form claim on a contract",
        "contract",
        &d,
        &[CLAIM],
        &[],
    );
}

/// apply-001 turned into a compliant in-year addition (当年新增, 第七条) funded next year.
fn plan_addition(d: &mut Value) {
    d["filing_stage"] = json!("plan_addition");
    remove(d, "approval_document");
    d["outside_plan_reason"] = json!("higher_mandate");
    d["outside_plan_explanation"] = json!("上级明确要求当年启动建设任务。");
    d["annual_funding_plan"] = json!([{"year": 2026, "amount_wan": "199.99"}]);
    d["planned_start_date"] = json!("2026-01-01");
    d["planned_end_date"] = json!("2026-12-31");
    d["attachments"] = json!([
        {"kind": "funding_requirement", "file_name": "f.pdf"},
        {"kind": "construction_plan", "file_name": "c.pdf"}
    ]);
}

#[test]
fn in_year_additions() {
    const MAT: &str = "pingyang.apply.in-year-addition-materials";
    const FUND: &str = "pingyang.apply.in-year-funding";
    let rows: &[Row] = &[
        ("compliant", |_| {}, &[], &[]),
        (
            "no construction plan",
            |d| detach(d, "construction_plan"),
            &[MAT],
            &[],
        ),
        (
            "no funding requirement",
            |d| detach(d, "funding_requirement"),
            &[MAT],
            &[],
        ),
        (
            "no attachments at all",
            |d| remove(d, "attachments"),
            &[MAT],
            &[],
        ),
        (
            "plan_author required",
            |d| remove(d, "plan_author"),
            &[REQ],
            &[],
        ),
        (
            "major project written by the unit itself (third-party rule covers plan_addition)",
            |d| {
                d["total_investment_wan"] = json!("200.00");
                d["funding_sources"][0]["amount_wan"] = json!("200.00");
                d["annual_funding_plan"][0]["amount_wan"] = json!("200.00");
            },
            &[SUP, TPD],
            &[],
        ),
        (
            "current-year entry with amount 0.00 is not current-year money",
            |d| {
                d["annual_funding_plan"] = json!([{"year": 2025, "amount_wan": "0.00"}, {"year": 2026, "amount_wan": "199.99"}]);
                d["planned_start_date"] = json!("2025-06-01");
            },
            &[],
            &[],
        ),
        (
            "current-year entry with 0.01",
            |d| {
                d["annual_funding_plan"] = json!([{"year": 2025, "amount_wan": "0.01"}, {"year": 2026, "amount_wan": "199.98"}]);
                d["planned_start_date"] = json!("2025-06-01");
            },
            &[],
            &[FUND],
        ),
        (
            "current-year entry with a malformed amount",
            |d| {
                d["annual_funding_plan"] = json!([{"year": 2025, "amount_wan": 0.01}, {"year": 2026, "amount_wan": "199.98"}]);
                d["planned_start_date"] = json!("2025-06-01");
            },
            &[AMT],
            &[],
        ),
        (
            "same data at the plan stage is not an in-year addition",
            |d| {
                d["filing_stage"] = json!("plan");
                d["annual_funding_plan"] = json!([{"year": 2025, "amount_wan": "0.01"}, {"year": 2026, "amount_wan": "199.98"}]);
                d["planned_start_date"] = json!("2025-06-01");
                attach(d, "demand_plan");
            },
            &[],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", plan_addition, rows);
}

#[test]
fn the_june_30_deadline_for_next_year_demand_plans() {
    const JUNE: &str = "pingyang.apply.june-deadline";
    let rows: &[Row] = &[
        ("filed 1 July for next year (case)", |_| {}, &[], &[JUNE]),
        (
            "filed 30 June",
            |d| d["submission_date"] = json!("2025-06-30"),
            &[],
            &[],
        ),
        (
            "filed 2 January",
            |d| d["submission_date"] = json!("2025-01-02"),
            &[],
            &[],
        ),
        (
            "filed 31 December",
            |d| d["submission_date"] = json!("2025-12-31"),
            &[],
            &[JUNE],
        ),
        (
            "first funded year two years ahead is not checked (§5.10)",
            |d| {
                d["annual_funding_plan"][0]["year"] = json!(2027);
                d["planned_start_date"] = json!("2027-03-01");
                d["planned_end_date"] = json!("2027-12-31");
            },
            &[],
            &[],
        ),
        (
            "the minimum year decides: 2026 and 2027",
            |d| {
                d["annual_funding_plan"] = json!([{"year": 2027, "amount_wan": "99.99"}, {"year": 2026, "amount_wan": "100.00"}]);
                d["planned_end_date"] = json!("2027-12-31");
            },
            &[],
            &[JUNE],
        ),
        (
            "current-year funding is not a next-year plan",
            |d| {
                d["annual_funding_plan"][0]["year"] = json!(2025);
                d["planned_start_date"] = json!("2025-08-01");
            },
            &[],
            &[],
        ),
        (
            "a malformed year makes the minimum malformed",
            |d| d["annual_funding_plan"][0]["year"] = json!("2026"),
            &[FMT],
            &[],
        ),
        (
            "record stage is not the annual plan",
            |d| d["filing_stage"] = json!("record"),
            &[],
            &[],
        ),
        (
            "no demand plan attached",
            |d| remove(d, "attachments"),
            &["pingyang.apply.demand-plan"],
            &[JUNE],
        ),
        (
            "submission date absent: no deadline comparison",
            |d| remove(d, "submission_date"),
            &[REQ],
            &[],
        ),
    ];
    run_table("pingyang-apply-005", "apply", |_| {}, rows);
}

/// Sets the planned period and the submission date before it (so no start-before-submission).
fn period(d: &mut Value, submission: &str, start: &str, end: &str) {
    d["submission_date"] = json!(submission);
    d["planned_start_date"] = json!(start);
    d["planned_end_date"] = json!(end);
    d["annual_funding_plan"][0]["year"] = json!(start[..4].parse::<i64>().unwrap());
}

#[test]
fn the_two_year_implementation_period() {
    // 第九条 实施周期一般不超过2年: warning iff end > add_months(start, 24) − 1 day (§0.5, §0.7).
    const P2: &str = "pingyang.apply.period-over-2-years";
    let rows: &[Row] = &[
        (
            "2025-04-01 … 2027-03-31 is exactly two years",
            |d| period(d, "2025-03-10", "2025-04-01", "2027-03-31"),
            &[],
            &[],
        ),
        (
            "2025-04-01 … 2027-04-01 is one day over",
            |d| period(d, "2025-03-10", "2025-04-01", "2027-04-01"),
            &[],
            &[P2],
        ),
        (
            "2025-01-01 … 2026-12-31",
            |d| period(d, "2024-12-10", "2025-01-01", "2026-12-31"),
            &[],
            &[],
        ),
        (
            "2025-01-01 … 2027-01-01",
            |d| period(d, "2024-12-10", "2025-01-01", "2027-01-01"),
            &[],
            &[P2],
        ),
        (
            "2025-03-31 … 2027-03-30",
            |d| period(d, "2025-03-10", "2025-03-31", "2027-03-30"),
            &[],
            &[],
        ),
        (
            "2025-03-31 … 2027-03-31",
            |d| period(d, "2025-03-10", "2025-03-31", "2027-03-31"),
            &[],
            &[P2],
        ),
        // 2024-02-29 + 24 months has no 29th: clamped to 2026-02-28, minus one day = 2026-02-27.
        (
            "2024-02-29 … 2026-02-27 (month-end clamping)",
            |d| period(d, "2024-01-15", "2024-02-29", "2026-02-27"),
            &[],
            &[],
        ),
        (
            "2024-02-29 … 2026-02-28 (month-end clamping)",
            |d| period(d, "2024-01-15", "2024-02-29", "2026-02-28"),
            &[],
            &[P2],
        ),
        (
            "service purchase over three years is not a build project",
            |d| {
                period(d, "2025-03-10", "2025-04-01", "2028-03-31");
                d["project_nature"] = json!("service_purchase");
            },
            &[],
            &[],
        ),
        (
            "malformed end date",
            |d| period(d, "2025-03-10", "2025-04-01", "2027-02-30"),
            &[FMT],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", |_| {}, rows);
}

#[test]
fn phased_projects_need_yearly_targets_and_content() {
    const PH: &str = "pingyang.apply.phased-annual-targets";
    fn two_years(d: &mut Value) {
        d["is_phased"] = json!(true);
        d["planned_end_date"] = json!("2026-06-30");
        d["annual_funding_plan"] = json!([
            {"year": 2025, "amount_wan": "100.00", "targets": "完成一期建设", "content": "应用开发"},
            {"year": 2026, "amount_wan": "99.99", "targets": "完成二期建设", "content": "数据对接"}
        ]);
    }
    let rows: &[Row] = &[
        ("complete", |_| {}, &[], &[]),
        (
            "second year lacks content",
            |d| {
                d["annual_funding_plan"][1]
                    .as_object_mut()
                    .unwrap()
                    .remove("content");
            },
            &[PH],
            &[],
        ),
        (
            "first year lacks targets",
            |d| {
                d["annual_funding_plan"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("targets");
            },
            &[PH],
            &[],
        ),
        (
            "blank content counts as absent",
            |d| d["annual_funding_plan"][1]["content"] = json!("  "),
            &[PH],
            &[],
        ),
        (
            "too-short targets are malformed, not absent",
            |d| d["annual_funding_plan"][0]["targets"] = json!("一"),
            &[FMT],
            &[],
        ),
        (
            "not phased: nothing required",
            |d| {
                d["is_phased"] = json!(false);
                d["annual_funding_plan"][1]
                    .as_object_mut()
                    .unwrap()
                    .remove("content");
            },
            &[],
            &[],
        ),
        (
            "is_phased absent",
            |d| {
                remove(d, "is_phased");
                d["annual_funding_plan"][1]
                    .as_object_mut()
                    .unwrap()
                    .remove("content");
            },
            &[],
            &[],
        ),
        (
            "is_phased as a string is malformed",
            |d| {
                d["is_phased"] = json!("true");
                d["annual_funding_plan"][1]
                    .as_object_mut()
                    .unwrap()
                    .remove("content");
            },
            &[FMT],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", two_years, rows);
}

#[test]
fn business_scenario_of_build_projects() {
    const BS: &str = "pingyang.apply.business-scenario";
    let rows: &[Row] = &[
        ("absent", |d| remove(d, "business_scenario"), &[BS], &[]),
        (
            "blank",
            |d| d["business_scenario"] = json!("    "),
            &[BS],
            &[],
        ),
        (
            "too short is malformed, not absent",
            |d| d["business_scenario"] = json!("监管"),
            &[FMT],
            &[],
        ),
        (
            "service purchase",
            |d| {
                remove(d, "business_scenario");
                d["project_nature"] = json!("service_purchase");
            },
            &[],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", |_| {}, rows);
}

#[test]
fn the_technical_review_document() {
    const TR: &str = "pingyang.apply.tech-review-document";
    const SDA: &str = "common.apply.stage-document-attached";
    fn doc(d: &mut Value, kind: &str) {
        d["approval_document"] = json!(kind);
        attach(d, kind);
    }
    let rows: &[Row] = &[
        (
            "feasibility study",
            |d| doc(d, "feasibility_study"),
            &[TR],
            &[],
        ),
        (
            "feasibility study not attached",
            |d| d["approval_document"] = json!("feasibility_study"),
            &[TR, SDA],
            &[],
        ),
        (
            "works FSR for IT inside other works",
            |d| {
                doc(d, "engineering_fsr");
                d["is_part_of_engineering_project"] = json!(true);
            },
            &[],
            &[],
        ),
        (
            "works FSR, engineering flag absent",
            |d| doc(d, "engineering_fsr"),
            &[TR],
            &[],
        ),
        (
            "works FSR, engineering flag false",
            |d| {
                doc(d, "engineering_fsr");
                d["is_part_of_engineering_project"] = json!(false);
            },
            &[TR],
            &[],
        ),
        (
            "works FSR, engineering flag malformed",
            |d| {
                doc(d, "engineering_fsr");
                d["is_part_of_engineering_project"] = json!(1);
            },
            &[FMT, TR],
            &[],
        ),
        (
            "document type absent",
            |d| remove(d, "approval_document"),
            &[REQ],
            &[],
        ),
        (
            "document type unknown",
            |d| d["approval_document"] = json!("blueprint"),
            &[FMT],
            &[],
        ),
        (
            "service purchase with a feasibility study",
            |d| {
                doc(d, "feasibility_study");
                d["project_nature"] = json!("service_purchase");
            },
            &[],
            &[],
        ),
        (
            "record stage with a feasibility study",
            |d| {
                doc(d, "feasibility_study");
                d["filing_stage"] = json!("record");
            },
            &[],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", |_| {}, rows);
}

#[test]
fn om_projects_need_the_workload_assessment() {
    const OM: &str = "pingyang.apply.om-workload-report";
    fn om(d: &mut Value) {
        d["project_nature"] = json!("om");
        d["predecessor_project"] = json!({"project_name": "平阳县示例业务系统建设项目", "accepted": true, "acceptance_date": "2024-12-20"});
    }
    let rows: &[Row] = &[
        ("no assessment", |_| {}, &[OM], &[]),
        (
            "assessment attached",
            |d| attach(d, "om_workload_assessment"),
            &[],
            &[],
        ),
        (
            "an O&M project of 200.00 is not a major build project",
            |d| {
                total(d, "200.00");
                attach(d, "om_workload_assessment");
            },
            &[],
            &[],
        ),
        (
            "service purchase needs no assessment",
            |d| {
                d["project_nature"] = json!("service_purchase");
            },
            &[],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", om, rows);
}

#[test]
fn fiscal_funds_scope() {
    const FF: &str = "pingyang.apply.fiscal-funds-scope";
    let rows: &[Row] = &[
        ("local fiscal", |_| {}, &[], &[]),
        (
            "self-raised only",
            |d| d["funding_sources"][0]["source"] = json!("self_raised"),
            &[],
            &[FF],
        ),
        (
            "fiscal source of 0",
            |d| d["funding_sources"] = json!([{"source": "local_fiscal", "amount_wan": "0"}, {"source": "self_raised", "amount_wan": "199.99"}]),
            &[],
            &[FF],
        ),
        (
            "upper fiscal 0.01",
            |d| d["funding_sources"] = json!([{"source": "upper_fiscal", "amount_wan": "0.01"}, {"source": "social", "amount_wan": "199.98"}]),
            &[],
            &[],
        ),
        (
            "selected amount malformed: the sum is malformed",
            |d| d["funding_sources"][0]["amount_wan"] = json!(199.99),
            &[AMT],
            &[],
        ),
        (
            "unselected amount malformed: the fiscal sum is still 0",
            |d| d["funding_sources"] = json!([{"source": "self_raised", "amount_wan": 199.99}, {"source": "local_fiscal", "amount_wan": "0"}]),
            &[AMT],
            &[FF],
        ),
        (
            "a source code outside the enum is not selected",
            |d| d["funding_sources"][0]["source"] = json!("central_fiscal"),
            &[FMT],
            &[FF],
        ),
    ];
    run_table("pingyang-apply-001", "apply", |_| {}, rows);
}

#[test]
fn classified_projects_and_restricted_stages() {
    let rows: &[Row] = &[
        (
            "classified",
            |d| d["is_classified"] = json!(true),
            &[
                "common.apply.classified-not-accepted",
                "pingyang.apply.classified-out-of-scope",
            ],
            &[],
        ),
        (
            "classified as a string",
            |d| d["is_classified"] = json!("true"),
            &[FMT],
            &[],
        ),
        (
            "classified absent",
            |d| remove(d, "is_classified"),
            &[REQ],
            &[],
        ),
        (
            "upper_prefiling is not a pingyang stage",
            |d| d["filing_stage"] = json!("upper_prefiling"),
            &[FMT],
            &[],
        ),
    ];
    run_table("pingyang-apply-001", "apply", |_| {}, rows);
}

#[test]
fn info_guidance_of_the_apply_form() {
    fn infos(d: &Value) -> BTreeSet<String> {
        let r = validator_core::validate("pingyang", "apply", d).unwrap();
        ids(&r, "info")
            .into_iter()
            .filter(|i| i.starts_with("pingyang."))
            .collect()
    }
    let mut d = case("pingyang-apply-001");
    assert_eq!(infos(&d), set(&[]));
    d["applicant"]["admin_level"] = json!("township");
    d["is_digital_reform_project"] = json!(true);
    assert_eq!(
        infos(&d),
        set(&["pingyang.apply.digital-reform-joint-review"])
    );
    total(&mut d, "200.00");
    assert_eq!(
        infos(&d),
        set(&[
            "pingyang.apply.digital-reform-joint-review",
            "pingyang.apply.major-project-notice",
            "pingyang.apply.township-major-record"
        ])
    );
    d["project_nature"] = json!("service_purchase");
    assert_eq!(
        infos(&d),
        set(&["pingyang.apply.digital-reform-joint-review"])
    );
}

// ---------------------------------------------------------------- change

const R10: &str = "pingyang.change.ratio-over-10pct";
const A50: &str = "pingyang.change.amount-over-50-wan";

/// A change filing with base and items (original, adjusted); totals filled consistently.
fn change(base: &str, adjusted_total: &str, items: &[(&str, &str)]) -> Value {
    let mut d = case("pingyang-change-001");
    d["approved_base_wan"] = json!(base);
    d["adjusted_total_wan"] = json!(adjusted_total);
    d["budget_items"] = Value::Array(
        items
            .iter()
            .enumerate()
            .map(|(i, (o, a))| json!({"item_name": format!("分项{}", i + 1), "original_wan": o, "adjusted_wan": a}))
            .collect(),
    );
    d
}

#[test]
fn the_10_percent_and_50_wan_self_adjustment_limits() {
    // 第十六条 资金调整数额控制在投资估算10%内且金额未超过50万元: allowed iff ≤ 10 % and ≤ 50.00;
    // 资金调整数额 = max(Σ increases, Σ decreases) (§0.5, §5.14).
    let rows: &[(&str, Value, &[&str])] = &[
        (
            "500.00 / 50.00: exactly 10 % and exactly 50",
            change(
                "500.00",
                "500.00",
                &[("300.00", "250.00"), ("200.00", "250.00")],
            ),
            &[],
        ),
        (
            "499.99 / 50.00: just over 10 %",
            change(
                "499.99",
                "499.99",
                &[("299.99", "249.99"), ("200.00", "250.00")],
            ),
            &[R10],
        ),
        (
            "400.00 / 40.00",
            change(
                "400.00",
                "400.00",
                &[("200.00", "160.00"), ("200.00", "240.00")],
            ),
            &[],
        ),
        (
            "400.00 / 40.01",
            change(
                "400.00",
                "400.00",
                &[("200.00", "159.99"), ("200.00", "240.01")],
            ),
            &[R10],
        ),
        (
            "1000.00 / 50.00",
            change(
                "1000.00",
                "1000.00",
                &[("500.00", "450.00"), ("500.00", "550.00")],
            ),
            &[],
        ),
        (
            "1000.00 / 50.01: over 50 but under 10 %",
            change(
                "1000.00",
                "1000.00",
                &[("500.00", "449.99"), ("500.00", "550.01")],
            ),
            &[A50],
        ),
        (
            "1000.00 / 100.01: both",
            change(
                "1000.00",
                "1000.00",
                &[("500.00", "399.99"), ("500.00", "600.01")],
            ),
            &[R10, A50],
        ),
        (
            "decreases 40.01 > increases 30.00: the larger side counts",
            change(
                "400.00",
                "389.99",
                &[("200.00", "159.99"), ("200.00", "230.00")],
            ),
            &[R10],
        ),
        (
            "increases 40.01 > decreases 30.00",
            change(
                "400.00",
                "410.01",
                &[("200.00", "240.01"), ("200.00", "170.00")],
            ),
            &[R10],
        ),
        (
            "a new item (original 0) is an increase",
            change(
                "400.00",
                "440.01",
                &[("200.00", "200.00"), ("200.00", "200.00"), ("0", "40.01")],
            ),
            &[R10],
        ),
        (
            "several lines moving 30 in total (net 0)",
            change(
                "600.00",
                "600.00",
                &[
                    ("100.00", "90.00"),
                    ("100.00", "90.00"),
                    ("100.00", "90.00"),
                    ("100.00", "110.00"),
                    ("100.00", "110.00"),
                    ("100.00", "110.00"),
                ],
            ),
            &[],
        ),
        (
            "a zero base with any adjustment",
            change("0", "10.00", &[("0", "10.00")]),
            &[R10],
        ),
        (
            "no money moved",
            change(
                "500.00",
                "500.00",
                &[("300.00", "300.00"), ("200.00", "200.00")],
            ),
            &[],
        ),
    ];
    for (label, d, errors) in rows {
        check(label, "change", d, errors, &[]);
    }
    // A malformed item amount makes the derived amount malformed: only the amount rule reports.
    let mut d = change("100.00", "100.00", &[("50.00", "0"), ("50.00", "100.00")]);
    check("100.00 / 50.00: 50 %", "change", &d, &[R10], &[]);
    d["budget_items"][1]["adjusted_wan"] = json!(100);
    check("malformed item amount", "change", &d, &[AMT], &[]);
}

#[test]
fn change_objective_and_reason() {
    const OBJ: &str = "pingyang.change.objective-changed";
    const RSN: &str = "pingyang.change.reason-not-eligible";
    let rows: &[Row] = &[
        ("compliant (business development)", |_| {}, &[], &[]),
        (
            "policy requirement",
            |d| d["reason_category"] = json!("policy_requirement"),
            &[],
            &[],
        ),
        (
            "technical optimisation",
            |d| d["reason_category"] = json!("tech_optimization"),
            &[],
            &[],
        ),
        (
            "upper policy adjustment",
            |d| d["reason_category"] = json!("upper_policy_adjustment"),
            &[RSN],
            &[],
        ),
        (
            "standard change",
            |d| d["reason_category"] = json!("standard_change"),
            &[RSN],
            &[],
        ),
        (
            "scenario change",
            |d| d["reason_category"] = json!("scenario_change"),
            &[RSN],
            &[],
        ),
        (
            "other",
            |d| d["reason_category"] = json!("other"),
            &[RSN],
            &[],
        ),
        (
            "reason absent",
            |d| remove(d, "reason_category"),
            &[REQ],
            &[],
        ),
        (
            "reason unknown",
            |d| d["reason_category"] = json!("whim"),
            &[FMT],
            &[],
        ),
        (
            "objective changed",
            |d| d["objective_changed"] = json!(true),
            &[OBJ],
            &[],
        ),
        (
            "objective flag absent",
            |d| remove(d, "objective_changed"),
            &[REQ],
            &[],
        ),
        (
            "objective flag as a string",
            |d| d["objective_changed"] = json!("true"),
            &[FMT],
            &[],
        ),
    ];
    run_table("pingyang-change-001", "change", |_| {}, rows);
}

// ---------------------------------------------------------------- procure

#[test]
fn procurement_filing_during_the_notice_period() {
    const LATE: &str = "pingyang.procure.filing-during-notice";
    const DEV: &str = "pingyang.procure.deviation-explanation";
    fn ok(d: &mut Value) {
        d["submission_date"] = json!("2025-05-26");
        d["deviates_from_approval"] = json!(false);
    }
    let rows: &[Row] = &[
        ("on the last notice day", |_| {}, &[], &[]),
        (
            "on the first notice day",
            |d| d["submission_date"] = json!("2025-05-06"),
            &[],
            &[],
        ),
        (
            "the day after the notice ends",
            |d| d["submission_date"] = json!("2025-05-27"),
            &[],
            &[LATE],
        ),
        (
            "malformed notice end",
            |d| d["notice_end_date"] = json!("2025-02-30"),
            &[FMT],
            &[],
        ),
        (
            "deviation without explanation",
            |d| d["deviates_from_approval"] = json!(true),
            &[],
            &[DEV],
        ),
        (
            "deviation with explanation",
            |d| {
                d["deviates_from_approval"] = json!(true);
                attach(d, "deviation_explanation");
            },
            &[],
            &[],
        ),
        (
            "deviation flag absent",
            |d| remove(d, "deviates_from_approval"),
            &[REQ],
            &[],
        ),
        (
            "no procurement documents",
            |d| remove(d, "attachments"),
            &["pingyang.procure.documents"],
            &[],
        ),
    ];
    run_table("pingyang-procure-001", "procure", ok, rows);
}

// ---------------------------------------------------------------- contract

const W7: &str = "pingyang.contract.filing-7-working-days";
const CAL: &str = "common.contract.calendar-not-covered";

#[test]
fn the_7_working_day_contract_deadline() {
    // 第十二条、第十五条: within 7 working days of signing; signing day not counted; the 7th working
    // day is the last allowed day (§0.5, §0.6, §5.7).
    let rows: &[(&str, &str, &str, &[&str])] = &[
        // Fri 2025-04-25: Sun 04-27 is a make-up working day; 05-01…05-05 off → 7th = 05-08.
        ("Labour Day", "2025-04-25", "2025-05-08", &[]),
        ("Labour Day", "2025-04-25", "2025-05-09", &[W7]),
        // Fri 2025-12-26: 01-01…01-03 off, Sun 2026-01-04 make-up → 7th = 2026-01-07.
        (
            "New Year across the year end",
            "2025-12-26",
            "2026-01-07",
            &[],
        ),
        (
            "New Year across the year end",
            "2025-12-26",
            "2026-01-08",
            &[W7],
        ),
        // Fri 2025-09-26: Sun 09-28 make-up, 10-01…10-08 off, Sat 10-11 make-up → 7th = 10-13.
        ("National Day", "2025-09-26", "2025-10-13", &[]),
        ("National Day", "2025-09-26", "2025-10-14", &[W7]),
        // Fri 2025-01-24: Sun 01-26 make-up, 01-28…02-04 off, Sat 02-08 make-up → 7th = 02-10.
        ("Spring Festival 2025", "2025-01-24", "2025-02-10", &[]),
        ("Spring Festival 2025", "2025-01-24", "2025-02-11", &[W7]),
        // Fri 2026-02-13: Sat 02-14 make-up, 02-15…02-23 off, Sat 02-28 make-up → 7th = 03-02.
        ("Spring Festival 2026", "2026-02-13", "2026-03-02", &[]),
        ("Spring Festival 2026", "2026-02-13", "2026-03-03", &[W7]),
        // Plain week: Mon 2025-06-09 → 7th = Wed 06-18.
        ("ordinary weeks", "2025-06-09", "2025-06-18", &[]),
        ("ordinary weeks", "2025-06-09", "2025-06-19", &[W7]),
        ("filed on the signing day", "2025-06-09", "2025-06-09", &[]),
        // Tue 2026-12-22: the walk ends on 12-31, inside the calendar.
        ("last covered day", "2026-12-22", "2026-12-31", &[]),
        ("last covered day", "2026-12-22", "2027-01-04", &[W7]),
        // Wed 2026-12-23: the walk reaches 2027-01-01, outside the calendar → undefined.
        (
            "walk leaves the calendar",
            "2026-12-23",
            "2026-12-31",
            &[CAL],
        ),
        (
            "walk leaves the calendar",
            "2026-12-23",
            "2027-03-01",
            &[CAL],
        ),
        // Signing day itself may lie outside the calendar (2024-12-31): 7th = 2025-01-10.
        (
            "signed the day before the calendar",
            "2024-12-31",
            "2025-01-10",
            &[],
        ),
        (
            "signed the day before the calendar",
            "2024-12-31",
            "2025-01-13",
            &[W7],
        ),
        (
            "signed well before the calendar",
            "2024-12-20",
            "2025-01-06",
            &[CAL],
        ),
    ];
    for (label, signing, submission, warnings) in rows {
        let mut d = case("pingyang-contract-002");
        d["signing_date"] = json!(signing);
        d["submission_date"] = json!(submission);
        check(
            &format!("{label}: signed {signing}, filed {submission}"),
            "contract",
            &d,
            &[],
            warnings,
        );
        // The same deadline applies to the supervision contract (第十五条).
        d["contract_kind"] = json!("supervision");
        check(
            &format!("supervision contract, {label}: signed {signing}, filed {submission}"),
            "contract",
            &d,
            &[],
            warnings,
        );
    }
}

#[test]
fn unit_self_procurement_has_no_working_day_deadline() {
    // 第十三条 “及时”: no 7-working-day deadline, hence no calendar warning either (§5.29).
    let rows: &[(&str, &str, &[&str], &[&str])] = &[
        ("2025-04-25", "2025-06-30", &[], &[]),
        ("2026-12-23", "2027-03-01", &[], &[]),
        ("2024-12-20", "2025-06-30", &[], &[]),
    ];
    for (signing, submission, errors, warnings) in rows {
        let mut d = case("pingyang-contract-002");
        d["procurement_method"] = json!("unit_self_procurement");
        d["signing_date"] = json!(signing);
        d["submission_date"] = json!(submission);
        check(
            &format!("self-procurement signed {signing}"),
            "contract",
            &d,
            errors,
            warnings,
        );
    }
    // An absent or malformed method or signing date: no deadline comparison.
    let rows: &[Row] = &[
        (
            "method absent",
            |d| remove(d, "procurement_method"),
            &[REQ],
            &[],
        ),
        (
            "method unknown",
            |d| d["procurement_method"] = json!("lottery"),
            &[FMT],
            &[],
        ),
        (
            "signing date malformed",
            |d| d["signing_date"] = json!("2025-04-31"),
            &[FMT],
            &[],
        ),
        (
            "method absent, walk outside the calendar",
            |d| {
                remove(d, "procurement_method");
                d["signing_date"] = json!("2026-12-23");
                d["submission_date"] = json!("2027-03-01");
            },
            &[REQ],
            &[],
        ),
    ];
    run_table(
        "pingyang-contract-002",
        "contract",
        |d| d["submission_date"] = json!("2025-06-30"),
        rows,
    );
}

#[test]
fn related_suppliers_of_design_supervision_testing() {
    // 第二十九条: providers of 整体设计、监理、检测 may not take part in the project's other
    // procurements, single source excepted.
    const REL: &str = "pingyang.contract.related-supplier-excluded";
    const SUPPLIER: &str = "91320100MA1XK7Q370";
    fn provider(role: &str, code: &str) -> Value {
        json!({"role": role, "unit_name": "示例服务有限公司", "credit_code": code})
    }
    let rows: &[Row] = &[
        ("unrelated supervisor", |_| {}, &[], &[]),
        (
            "supervisor wins the construction contract",
            |d| d["project_service_providers"] = json!([provider("supervision", SUPPLIER)]),
            &[REL],
            &[],
        ),
        (
            "supervisor signs its own supervision contract",
            |d| {
                d["project_service_providers"] = json!([provider("supervision", SUPPLIER)]);
                d["contract_kind"] = json!("supervision");
            },
            &[],
            &[],
        ),
        (
            "single source is excepted",
            |d| {
                d["project_service_providers"] = json!([provider("supervision", SUPPLIER)]);
                d["procurement_method"] = json!("single_source");
            },
            &[],
            &[],
        ),
        (
            "designer wins the testing contract",
            |d| {
                d["project_service_providers"] = json!([provider("design", SUPPLIER)]);
                d["contract_kind"] = json!("testing");
            },
            &[REL],
            &[],
        ),
        (
            "tester signs its testing contract; another designer is unrelated",
            |d| {
                d["project_service_providers"] = json!([
                    provider("design", "91330300MA2CL4P81P"),
                    provider("testing", SUPPLIER)
                ]);
                d["contract_kind"] = json!("testing");
            },
            &[],
            &[],
        ),
        (
            "the same unit is both tester and designer of the project",
            |d| {
                d["project_service_providers"] =
                    json!([provider("testing", SUPPLIER), provider("design", SUPPLIER)]);
                d["contract_kind"] = json!("testing");
            },
            &[REL],
            &[],
        ),
        (
            "a wrong check character still compares as a string",
            |d| {
                d["supplier"]["credit_code"] = json!("91320100MA1XK7Q371");
                d["project_service_providers"] =
                    json!([provider("supervision", "91320100MA1XK7Q371")]);
            },
            &["common.any.credit-code-check-digit", REL],
            &[],
        ),
        (
            "provider credit code absent",
            |d| {
                d["project_service_providers"] =
                    json!([{"role": "supervision", "unit_name": "示例服务有限公司"}])
            },
            &[REQ],
            &[],
        ),
        (
            "procurement method absent",
            |d| {
                d["project_service_providers"] = json!([provider("supervision", SUPPLIER)]);
                remove(d, "procurement_method");
            },
            &[REQ],
            &[],
        ),
    ];
    run_table(
        "pingyang-contract-002",
        "contract",
        |d| d["submission_date"] = json!("2025-05-08"),
        rows,
    );
}

#[test]
fn major_project_contracts() {
    const ANO: &str = "pingyang.contract.major-approval-no";
    const SELF: &str = "pingyang.contract.self-procurement-general-only";
    const COPY: &str = "pingyang.contract.contract-copy";
    let rows: &[Row] = &[
        (
            "199.99 without approval no",
            |d| d["project_total_wan"] = json!("199.99"),
            &[],
            &[],
        ),
        (
            "200.00 without approval no",
            |d| d["project_total_wan"] = json!("200.00"),
            &[ANO],
            &[],
        ),
        (
            "200.00 with approval no",
            |d| {
                d["project_total_wan"] = json!("200.00");
                d["approval_no"] = json!("示例平发改〔2025〕30号");
            },
            &[],
            &[],
        ),
        (
            "200.00 with a blank approval no",
            |d| {
                d["project_total_wan"] = json!("200.00");
                d["approval_no"] = json!("  ");
            },
            &[ANO],
            &[],
        ),
        (
            "260.00 O&M project",
            |d| {
                d["project_total_wan"] = json!("260.00");
                d["project_nature"] = json!("om");
            },
            &[],
            &[],
        ),
        (
            "self-procurement of a 200.00 build project",
            |d| {
                d["project_total_wan"] = json!("200.00");
                d["approval_no"] = json!("示例平发改〔2025〕30号");
                d["procurement_method"] = json!("unit_self_procurement");
            },
            &[],
            &[SELF],
        ),
        (
            "self-procurement of a 199.99 build project",
            |d| {
                d["project_total_wan"] = json!("199.99");
                d["procurement_method"] = json!("unit_self_procurement");
            },
            &[],
            &[],
        ),
        (
            "self-procurement of a 260.00 service purchase",
            |d| {
                d["project_total_wan"] = json!("260.00");
                d["project_nature"] = json!("service_purchase");
                d["procurement_method"] = json!("unit_self_procurement");
            },
            &[],
            &[],
        ),
        (
            "no contract copy",
            |d| remove(d, "attachments"),
            &[COPY],
            &[],
        ),
        (
            "project total malformed",
            |d| d["project_total_wan"] = json!(260),
            &[AMT],
            &[],
        ),
    ];
    run_table(
        "pingyang-contract-002",
        "contract",
        |d| d["submission_date"] = json!("2025-05-08"),
        rows,
    );
}

// ---------------------------------------------------------------- accept

const DJ: &str = "pingyang.accept.djcp-and-crypto";
const CAT: &str = "pingyang.accept.catalog-registered";
const INIT: &str = "pingyang.accept.initial-acceptance-first";
const ALL: &str = "pingyang.accept.all-content-complete";
const MAT: &str = "pingyang.accept.materials-complete";

fn accept_ok(d: &mut Value) {
    d["crypto_assessment_done"] = json!(true);
    d["data_resource_catalog"]["registered"] = json!(true);
}

#[test]
fn final_acceptance_of_build_projects() {
    let rows: &[Row] = &[
        ("compliant", |_| {}, &[], &[]),
        (
            "crypto assessment false",
            |d| d["crypto_assessment_done"] = json!(false),
            &[DJ],
            &[],
        ),
        (
            "crypto assessment absent",
            |d| remove(d, "crypto_assessment_done"),
            &[DJ],
            &[],
        ),
        (
            "crypto assessment malformed",
            |d| d["crypto_assessment_done"] = json!("yes"),
            &[FMT],
            &[],
        ),
        (
            "not tested, no risk assessment",
            |d| d["djcp"]["tested"] = json!(false),
            &[DJ],
            &[],
        ),
        (
            "not tested, but risk assessment done",
            |d| {
                d["djcp"]["tested"] = json!(false);
                d["risk_assessment_done"] = json!(true);
            },
            &[],
            &[],
        ),
        (
            "not tested, risk assessment false",
            |d| {
                d["djcp"]["tested"] = json!(false);
                d["risk_assessment_done"] = json!(false);
            },
            &[DJ],
            &[],
        ),
        (
            "not graded (risk assessment does not replace grading)",
            |d| {
                d["djcp"]["graded"] = json!(false);
                d["risk_assessment_done"] = json!(true);
            },
            &[DJ],
            &[],
        ),
        (
            "no djcp object at all",
            |d| {
                remove(d, "djcp");
                d["risk_assessment_done"] = json!(true);
            },
            &[DJ],
            &[],
        ),
        (
            "djcp object malformed: its members are not absent",
            |d| {
                d["djcp"] = json!("done");
                d["risk_assessment_done"] = json!(true);
            },
            &[FMT],
            &[],
        ),
        (
            "tested missing inside djcp",
            |d| {
                d["djcp"].as_object_mut().unwrap().remove("tested");
            },
            &[REQ, DJ],
            &[],
        ),
        (
            "catalog not registered",
            |d| d["data_resource_catalog"]["registered"] = json!(false),
            &[CAT],
            &[],
        ),
        (
            "data not aggregated",
            |d| d["data_resource_catalog"]["data_aggregated"] = json!(false),
            &[CAT],
            &[],
        ),
        (
            "no catalog object",
            |d| remove(d, "data_resource_catalog"),
            &[CAT],
            &[],
        ),
        (
            "no initial acceptance",
            |d| remove(d, "initial_acceptance_date"),
            &[INIT],
            &[],
        ),
        (
            "initial acceptance date malformed",
            |d| d["initial_acceptance_date"] = json!("2025-12-32"),
            &[FMT],
            &[],
        ),
        (
            "content not complete",
            |d| d["all_content_completed"] = json!(false),
            &[ALL],
            &[],
        ),
        (
            "content flag absent",
            |d| remove(d, "all_content_completed"),
            &[REQ],
            &[],
        ),
        (
            "no acceptance documents",
            |d| remove(d, "attachments"),
            &[MAT],
            &[],
        ),
        (
            "initial acceptance stage: final-stage rules do not apply",
            |d| {
                d["acceptance_stage"] = json!("initial");
                remove(d, "initial_acceptance_date");
                remove(d, "attachments");
                d["crypto_assessment_done"] = json!(false);
                d["all_content_completed"] = json!(false);
            },
            &[],
            &[],
        ),
        (
            "pre_acceptance is not a pingyang stage",
            |d| {
                d["acceptance_stage"] = json!("pre_acceptance");
                d["crypto_assessment_done"] = json!(false);
                remove(d, "attachments");
            },
            &[FMT],
            &[],
        ),
        (
            "service purchase: no build-project conditions",
            |d| {
                d["project_nature"] = json!("service_purchase");
                remove(d, "initial_acceptance_date");
                remove(d, "djcp");
                remove(d, "data_resource_catalog");
                remove(d, "crypto_assessment_done");
            },
            &[],
            &[],
        ),
    ];
    run_table("pingyang-accept-002", "accept", accept_ok, rows);
}

#[test]
fn final_acceptance_of_om_projects() {
    // 第十八条: 运维项目可在运维期满后直接组织终验；运维项目应完成合同规定的所有内容后方可组织终验。
    let rows: &[Row] = &[
        ("compliant (case)", |_| {}, &[], &[]),
        (
            "content not complete",
            |d| d["all_content_completed"] = json!(false),
            &[ALL],
            &[],
        ),
        (
            "no acceptance documents",
            |d| remove(d, "attachments"),
            &[MAT],
            &[],
        ),
    ];
    run_table("pingyang-accept-003", "accept", |_| {}, rows);
}

#[test]
fn who_organises_the_final_acceptance_is_info_only() {
    const ORG: &str = "pingyang.accept.organizer-notice";
    let info = |d: &Value| {
        let r = validator_core::validate("pingyang", "accept", d).unwrap();
        r.rules_with("info").contains(&ORG)
    };
    let mut d = case("pingyang-accept-002");
    accept_ok(&mut d);
    assert!(!info(&d), "major build project: organised by the bureau");
    d["project_total_wan"] = json!("199.99");
    assert!(info(&d), "general build project");
    assert!(info(&case("pingyang-accept-003")), "O&M project");
}

// ---------------------------------------------------------------- accept-record

#[test]
fn the_one_month_record_window_after_final_acceptance() {
    // 终验通过后1个月内: last allowed day = add_months(acceptance_date, 1), month-end clamped;
    // no holiday extension (§0.5, §5.4).
    const M1: &str = "pingyang.accept-record.one-month";
    let rows: &[(&str, &str, &[&str])] = &[
        ("2025-01-31", "2025-02-28", &[]),
        ("2025-01-31", "2025-03-01", &[M1]),
        ("2024-01-31", "2024-02-29", &[]),
        ("2024-01-31", "2024-03-01", &[M1]),
        ("2025-03-31", "2025-04-30", &[]),
        ("2025-03-31", "2025-05-01", &[M1]),
        ("2025-02-28", "2025-03-28", &[]),
        ("2025-02-28", "2025-03-29", &[M1]),
        ("2025-06-15", "2025-07-15", &[]),
        ("2025-06-15", "2025-07-16", &[M1]),
        ("2025-09-01", "2025-10-01", &[]),
        ("2025-09-01", "2025-10-02", &[M1]),
        ("2025-12-31", "2026-01-31", &[]),
        ("2025-12-31", "2026-02-01", &[M1]),
        ("2025-06-15", "2025-06-15", &[]),
    ];
    for (acc, sub, warnings) in rows {
        let mut d = case("pingyang-accept-record-001");
        d["acceptance_date"] = json!(acc);
        d["submission_date"] = json!(sub);
        check(
            &format!("accepted {acc}, recorded {sub}"),
            "accept-record",
            &d,
            &[],
            warnings,
        );
    }
}

#[test]
fn acceptance_record_contents() {
    const DA: &str = "pingyang.accept-record.documents-and-assets";
    let rows: &[Row] = &[
        (
            "no asset inventory",
            |d| detach(d, "asset_inventory"),
            &[DA],
            &[],
        ),
        (
            "no acceptance documents",
            |d| detach(d, "acceptance_documents"),
            &[DA],
            &[],
        ),
        (
            "no acceptance report",
            |d| detach(d, "acceptance_report"),
            &[REQ],
            &[],
        ),
        (
            "acceptance after the record date",
            |d| d["acceptance_date"] = json!("2025-03-01"),
            &["common.accept-record.date-in-future"],
            &[],
        ),
        (
            "acceptance date malformed",
            |d| d["acceptance_date"] = json!("2025-02-29"),
            &[FMT],
            &[],
        ),
        (
            "pre_acceptance is not a pingyang record kind",
            |d| d["record_kind"] = json!("pre_acceptance"),
            &[FMT],
            &[],
        ),
    ];
    run_table("pingyang-accept-record-001", "accept-record", |_| {}, rows);
}

// ---------------------------------------------------------------- self-eval

#[test]
fn annual_application_self_assessment_sections() {
    const APP: &str = "pingyang.self-eval.app-sections";
    const SIX: [&str; 6] = [
        "resource_use",
        "system_operation",
        "business_collaboration",
        "data_sharing",
        "info_security",
        "crypto_application",
    ];
    let mut d = case("pingyang-self-eval-001");
    d["sections_covered"] = json!(SIX);
    check("all six", "self-eval", &d, &[], &[]);
    for missing in SIX {
        let mut d = d.clone();
        d["sections_covered"] = json!(SIX.iter().filter(|s| **s != missing).collect::<Vec<_>>());
        check(&format!("without {missing}"), "self-eval", &d, &[APP], &[]);
    }
    let rows: &[Row] = &[
        (
            "six plus extra sections",
            |d| {
                d["sections_covered"] = json!([
                    "application_effect",
                    "resource_use",
                    "system_operation",
                    "business_collaboration",
                    "data_sharing",
                    "info_security",
                    "crypto_application"
                ])
            },
            &[],
            &[],
        ),
        (
            "sections absent",
            |d| remove(d, "sections_covered"),
            &[REQ],
            &[],
        ),
        (
            "sections empty",
            |d| d["sections_covered"] = json!([]),
            &[REQ],
            &[],
        ),
        (
            "duplicate sections are malformed",
            |d| d["sections_covered"] = json!(["resource_use", "resource_use"]),
            &[FMT],
            &[],
        ),
        (
            "report year absent",
            |d| remove(d, "report_year"),
            &[REQ, APP],
            &[],
        ),
        (
            "post_acceptance is not a pingyang evaluation type",
            |d| d["eval_type"] = json!("post_acceptance"),
            &[FMT],
            &[],
        ),
    ];
    run_table("pingyang-self-eval-001", "self-eval", |_| {}, rows);
}

#[test]
fn performance_self_evaluation_concerns_the_previous_year() {
    const PY: &str = "pingyang.self-eval.performance-prev-year";
    let rows: &[Row] = &[
        ("went live 2024, report 2026 (case)", |_| {}, &[], &[PY]),
        (
            "went live 2025-01-01",
            |d| d["operation_start_date"] = json!("2025-01-01"),
            &[],
            &[],
        ),
        (
            "went live 2025-12-31",
            |d| d["operation_start_date"] = json!("2025-12-31"),
            &[],
            &[],
        ),
        (
            "went live 2026-01-01",
            |d| d["operation_start_date"] = json!("2026-01-01"),
            &[],
            &[PY],
        ),
        (
            "go-live date absent",
            |d| remove(d, "operation_start_date"),
            &[],
            &[],
        ),
        (
            "go-live date malformed",
            |d| d["operation_start_date"] = json!("2025-06-31"),
            &[FMT],
            &[],
        ),
        (
            "report year absent (required in pingyang)",
            |d| remove(d, "report_year"),
            &[REQ],
            &[],
        ),
        (
            "report year as a string",
            |d| d["report_year"] = json!("2026"),
            &[FMT],
            &[],
        ),
    ];
    run_table("pingyang-self-eval-002", "self-eval", |_| {}, rows);
}

// ---------------------------------------------------------------- terminate, monitor, forms

#[test]
fn termination_reasons() {
    const TR: &str = "pingyang.terminate.reason";
    let rows: &[Row] = &[
        ("objective unattainable", |_| {}, &[], &[]),
        (
            "external environment",
            |d| d["reason_category"] = json!("external_environment"),
            &[],
            &[TR],
        ),
        (
            "force majeure",
            |d| d["reason_category"] = json!("force_majeure"),
            &[],
            &[TR],
        ),
        (
            "other",
            |d| d["reason_category"] = json!("other"),
            &[],
            &[TR],
        ),
        ("absent", |d| remove(d, "reason_category"), &[REQ], &[]),
        (
            "unknown",
            |d| d["reason_category"] = json!("boredom"),
            &[FMT],
            &[],
        ),
        (
            "no termination report",
            |d| remove(d, "attachments"),
            &[REQ],
            &[],
        ),
    ];
    run_table("pingyang-terminate-001", "terminate", |_| {}, rows);
}

#[test]
fn forms_and_restricted_report_types() {
    let mut d = case("pingyang-terminate-001");
    for k in [
        "reason_category",
        "reason_description",
        "has_substantive_progress",
        "overall_target_unachievable",
        "spent_to_date_wan",
        "attachments",
        "project_total_wan",
    ] {
        remove(&mut d, k);
    }
    d["report_type"] = json!("issue");
    d["in_trial_run"] = json!(false);
    d["has_supervision_unit"] = json!(true);
    d["completed"] = json!(false);
    d["construction_started"] = json!(true);
    d["issue_types"] = json!(["serious_delay"]);
    d["issue_description"] = json!("项目建设严重逾期，需报告并整改。");
    check("issue report", "monitor", &d, &[], &[]);
    d["report_type"] = json!("annual_monitoring");
    check(
        "annual monitoring is not a pingyang report type",
        "monitor",
        &d,
        &[FMT],
        &[],
    );

    assert!(
        validator_core::validate("pingyang", "fund", &d).is_err(),
        "pingyang offers no fund form (§1)"
    );
    for form in [
        "apply",
        "change",
        "procure",
        "contract",
        "monitor",
        "terminate",
        "accept",
        "accept-record",
        "self-eval",
    ] {
        assert!(
            validator_core::validate("pingyang", form, &json!({})).is_ok(),
            "{form} offered"
        );
    }
}

#[test]
fn citations_name_the_seed_and_article() {
    let mut d = case("pingyang-apply-001");
    total(&mut d, "200.00");
    let r = validator_core::validate("pingyang", "apply", &d).unwrap();
    let f = r.findings.iter().find(|f| f.rule == TPD).unwrap();
    let c = f.citation.as_ref().unwrap();
    assert_eq!(c.article, "第十条(一)");
    assert_eq!(c.source.as_deref(), Some("003_99ee55b59732cc25.txt"));
    assert_eq!(c.document, "平阳县县级党政机关信息化项目建设管理办法");
    let f = r.findings.iter().find(|f| f.rule == SUP).unwrap();
    assert_eq!(f.citation.as_ref().unwrap().article, "第十五条");
    assert!(f
        .message
        .zh
        .starts_with("依据《平阳县县级党政机关信息化项目建设管理办法》第十五条"));
}
