//! Focused tests of the `jianshan` pack (spec §3.6, seed 004_2a031bfe0eebf534.txt): threshold
//! boundaries, inclusive date windows with month-end clamping, absent vs false vs malformed
//! inputs (§0.5), exemption claims (§0.3), pack restrictions (§2.3), forms offered (§1) and
//! pack-specific required-ness (§2.2.1). Every input is a valid shared case mutated with
//! serde_json; every expectation is the exact set of `jianshan.*` error / warning IDs that the
//! spec text says must fire.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use validator_core::Report;

const J: &str = "jianshan";

mod support;

/// The `data` of a shared case.
fn case(id: &str) -> Value {
    support::shared_case(id)["data"].clone()
}

fn run(form: &str, data: &Value) -> Report {
    validator_core::validate(J, form, data).expect("validates")
}

fn with_prefix(r: &Report, sev: &str, prefix: &str) -> BTreeSet<String> {
    r.rules_with(sev)
        .into_iter()
        .filter(|id| id.starts_with(prefix))
        .map(String::from)
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Sets the value at a JSON pointer, creating intermediate objects.
fn put(v: &mut Value, ptr: &str, x: Value) {
    let (parent, key) = ptr.rsplit_once('/').expect("pointer");
    let mut cur = v;
    for seg in parent.split('/').skip(1) {
        cur = match cur {
            Value::Array(a) => &mut a[seg.parse::<usize>().expect("index")],
            _ => {
                if cur.get(seg).is_none() {
                    cur[seg] = json!({});
                }
                cur.get_mut(seg).unwrap()
            }
        };
    }
    match cur {
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = x,
        _ => cur[key] = x,
    }
}

/// Removes the value at a JSON pointer.
fn del(v: &mut Value, ptr: &str) {
    let (parent, key) = ptr.rsplit_once('/').expect("pointer");
    let p = if parent.is_empty() {
        v
    } else {
        v.pointer_mut(parent).expect("parent")
    };
    match p {
        Value::Object(m) => {
            m.remove(key);
        }
        Value::Array(a) => {
            a.remove(key.parse::<usize>().unwrap());
        }
        _ => panic!("cannot delete {ptr}"),
    }
}

fn drop_attachment(v: &mut Value, kind: &str) {
    v["attachments"]
        .as_array_mut()
        .expect("attachments")
        .retain(|a| a["kind"] != kind);
}

fn add_attachment(v: &mut Value, kind: &str) {
    v["attachments"]
        .as_array_mut()
        .expect("attachments")
        .push(json!({"kind": kind, "file_name": format!("{kind}.pdf")}));
}

type Mutation = Box<dyn Fn(&mut Value)>;

struct Row {
    name: &'static str,
    mutate: Mutation,
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
}

fn row(
    name: &'static str,
    mutate: impl Fn(&mut Value) + 'static,
    errors: &'static [&'static str],
    warnings: &'static [&'static str],
) -> Row {
    Row {
        name,
        mutate: Box::new(mutate),
        errors,
        warnings,
    }
}

/// Runs every row against `base` and asserts the exact `jianshan.*` error and warning sets.
fn table(form: &str, base: &Value, rows: Vec<Row>) {
    let mut failures = Vec::new();
    for r in rows {
        let mut d = base.clone();
        (r.mutate)(&mut d);
        let rep = run(form, &d);
        let (e, w) = (
            with_prefix(&rep, "error", "jianshan."),
            with_prefix(&rep, "warning", "jianshan."),
        );
        if e != set(r.errors) || w != set(r.warnings) {
            failures.push(format!(
                "{}: errors {:?} (want {:?}), warnings {:?} (want {:?}); all findings: {:?}",
                r.name,
                e,
                r.errors,
                w,
                r.warnings,
                rep.findings
                    .iter()
                    .map(|f| (&f.rule, &f.severity, &f.paths))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

// ------------------------------------------------------------------ bases are clean

/// A valid preliminary-design filing: apply-003 with no deviation, no major change and the
/// FSR approval at exactly the design's total (260.00).
fn apply_design_base() -> Value {
    let mut d = case("jianshan-apply-003");
    put(&mut d, "/fsr_approved_total_wan", json!("260.00"));
    put(
        &mut d,
        "/fsr_deviation",
        json!({"exceeds": false, "explained_in_chapter": false, "major": false}),
    );
    d
}

/// A clean annual monitoring report: monitor-001 plus the trial-run effect.
fn monitor_base() -> Value {
    let mut d = case("jianshan-monitor-001");
    put(
        &mut d,
        "/trial_run_effect",
        json!("试运行期间系统运行稳定，发现两处性能问题已整改。"),
    );
    d
}

/// accept-002 submitted exactly on the last day of the half-year window (2025-01-15 + 6 months).
fn accept_base() -> Value {
    let mut d = case("jianshan-accept-002");
    put(&mut d, "/submission_date", json!("2025-07-15"));
    d
}

/// self-eval-003 moved inside its window (R = 2025-01-20; window 2025-07-20 … 2026-01-20).
fn self_eval_base() -> Value {
    let mut d = case("jianshan-self-eval-003");
    put(&mut d, "/submission_date", json!("2025-10-01"));
    d
}

#[test]
fn the_bases_are_valid_and_silent() {
    for (form, d) in [
        ("apply", case("jianshan-apply-001")),
        ("apply", apply_design_base()),
        ("change", case("jianshan-change-001")),
        ("contract", case("jianshan-contract-002")),
        ("monitor", monitor_base()),
        ("accept", accept_base()),
        ("accept-record", case("jianshan-accept-record-001")),
        ("self-eval", self_eval_base()),
    ] {
        let r = run(form, &d);
        assert!(
            r.rules_with("error").is_empty(),
            "{form}: {:?}",
            r.rules_with("error")
        );
        assert!(
            r.rules_with("warning").is_empty(),
            "{form}: {:?}",
            r.rules_with("warning")
        );
        assert!(r.valid, "{form}");
    }
}

// ------------------------------------------------------------------ apply

#[test]
fn apply_platform_code_document_and_attachments() {
    let base = case("jianshan-apply-001");
    table(
        "apply",
        &base,
        vec![
            row(
                "code removed",
                |d| del(d, "/project_code"),
                &["jianshan.apply.online-platform-code"],
                &[],
            ),
            row(
                "code null",
                |d| put(d, "/project_code", Value::Null),
                &["jianshan.apply.online-platform-code"],
                &[],
            ),
            row(
                "code blank string",
                |d| put(d, "/project_code", json!("   ")),
                &["jianshan.apply.online-platform-code"],
                &[],
            ),
            // malformed is not absent: the format rule reports it, the rule stays silent
            row(
                "code malformed",
                |d| put(d, "/project_code", json!("2025-2305")),
                &[],
                &[],
            ),
            row(
                "no code, expansion (not 新建)",
                |d| {
                    del(d, "/project_code");
                    put(d, "/project_nature", json!("expansion"));
                },
                &[],
                &[],
            ),
            row(
                "no code, record stage",
                |d| {
                    del(d, "/project_code");
                    put(d, "/filing_stage", json!("record"));
                },
                &[],
                &[],
            ),
            // 三.4: approval covers FSR and preliminary design only; 三.6 then does not apply
            row(
                "implementation plan, no sharing chapter",
                |d| {
                    put(d, "/approval_document", json!("implementation_plan"));
                    add_attachment(d, "implementation_plan");
                    put(d, "/info_sharing_analysis/standalone_chapter", json!(false));
                },
                &[],
                &["jianshan.apply.approval-document"],
            ),
            row(
                "approval document absent",
                |d| del(d, "/approval_document"),
                &[],
                &[],
            ),
            row(
                "approval document malformed",
                |d| put(d, "/approval_document", json!("fsr")),
                &[],
                &[],
            ),
            // 三.6 sharing chapter: `is not true` = false or absent, not malformed
            row(
                "chapter false",
                |d| put(d, "/info_sharing_analysis/standalone_chapter", json!(false)),
                &["jianshan.apply.sharing-chapter"],
                &[],
            ),
            row(
                "chapter absent",
                |d| del(d, "/info_sharing_analysis/standalone_chapter"),
                &["jianshan.apply.sharing-chapter"],
                &[],
            ),
            row(
                "sharing analysis absent",
                |d| del(d, "/info_sharing_analysis"),
                &["jianshan.apply.sharing-chapter"],
                &[],
            ),
            row(
                "chapter malformed",
                |d| put(d, "/info_sharing_analysis/standalone_chapter", json!("yes")),
                &[],
                &[],
            ),
            // 三.7 resource catalogue
            row(
                "catalog not compiled",
                |d| put(d, "/data_resource_catalog/compiled", json!(false)),
                &["jianshan.apply.resource-catalog-prerequisite"],
                &[],
            ),
            row(
                "catalog not attached",
                |d| drop_attachment(d, "data_resource_catalog"),
                &["jianshan.apply.resource-catalog-prerequisite"],
                &[],
            ),
            row(
                "catalog compiled absent, attached",
                |d| del(d, "/data_resource_catalog/compiled"),
                &[],
                &[],
            ),
            row(
                "catalog compiled malformed, attached",
                |d| put(d, "/data_resource_catalog/compiled", json!(0)),
                &[],
                &[],
            ),
            row(
                "record stage without catalog",
                |d| {
                    put(d, "/filing_stage", json!("record"));
                    drop_attachment(d, "data_resource_catalog");
                },
                &[],
                &[],
            ),
            // 四.12 secure-reliable statement
            row(
                "no secure-reliable statement",
                |d| drop_attachment(d, "secure_reliable_statement"),
                &["jianshan.apply.secure-reliable-statement"],
                &[],
            ),
            row(
                "record stage without statement",
                |d| {
                    put(d, "/filing_stage", json!("record"));
                    drop_attachment(d, "secure_reliable_statement");
                },
                &[],
                &[],
            ),
            // 三.5 cross-department framework plan
            row(
                "cross-department without plan",
                |d| put(d, "/is_cross_department", json!(true)),
                &["jianshan.apply.cross-dept-framework"],
                &[],
            ),
            row(
                "cross-department with plan",
                |d| {
                    put(d, "/is_cross_department", json!(true));
                    add_attachment(d, "cross_department_framework_plan");
                },
                &[],
                &[],
            ),
            row(
                "cross-department flag absent",
                |d| del(d, "/is_cross_department"),
                &[],
                &[],
            ),
            // §2.3: only approval and record are filing stages in jianshan
            row(
                "plan stage is outside the pack domain",
                |d| put(d, "/filing_stage", json!("plan")),
                &[],
                &[],
            ),
        ],
    );
}

#[test]
fn apply_outside_domain_filing_stage_is_a_format_error() {
    let mut d = case("jianshan-apply-001");
    del(&mut d, "/project_code");
    drop_attachment(&mut d, "secure_reliable_statement");
    put(&mut d, "/filing_stage", json!("plan_addition"));
    let r = run("apply", &d);
    assert!(r.rules_with("error").contains(&"common.any.field-format"));
    // malformed: no `filing_stage = approval` rule may fire
    assert!(
        with_prefix(&r, "error", "jianshan.").is_empty(),
        "{:?}",
        r.rules_with("error")
    );
}

#[test]
fn apply_owner_cloud_and_supervision() {
    let mut base = case("jianshan-apply-001");
    put(&mut base, "/applicant/unit_principal_name", json!("赵文斌"));
    table(
        "apply",
        &base,
        vec![
            // 四.10
            row(
                "owner differs from principal",
                |d| put(d, "/project_owner_name", json!("钱多多")),
                &[],
                &["jianshan.apply.owner-is-principal"],
            ),
            row("owner absent", |d| del(d, "/project_owner_name"), &[], &[]),
            row(
                "principal absent",
                |d| del(d, "/applicant/unit_principal_name"),
                &[],
                &[],
            ),
            row(
                "principal blank",
                |d| put(d, "/applicant/unit_principal_name", json!("  ")),
                &[],
                &[],
            ),
            row(
                "owner malformed (too long)",
                |d| put(d, "/project_owner_name", json!("长".repeat(31))),
                &[],
                &[],
            ),
            // 四.13 cloud
            row(
                "self-built room",
                |d| put(d, "/deployment_location", json!("self_built_room")),
                &[],
                &["jianshan.apply.cloud-deployment"],
            ),
            row(
                "public cloud",
                |d| put(d, "/deployment_location", json!("public_cloud")),
                &[],
                &["jianshan.apply.cloud-deployment"],
            ),
            row(
                "upper platform",
                |d| put(d, "/deployment_location", json!("upper_platform")),
                &[],
                &[],
            ),
            row(
                "not applicable",
                |d| put(d, "/deployment_location", json!("not_applicable")),
                &[],
                &[],
            ),
            row(
                "public cloud for an O&M project",
                |d| {
                    put(d, "/project_nature", json!("om"));
                    put(d, "/deployment_location", json!("public_cloud"));
                },
                &[],
                &[],
            ),
            row(
                "public cloud for an upgrade (建设类)",
                |d| {
                    put(d, "/project_nature", json!("upgrade"));
                    put(d, "/deployment_location", json!("public_cloud"));
                },
                &[],
                &["jianshan.apply.cloud-deployment"],
            ),
            // 四.13 supervision: `= false`, absence is not false
            row(
                "no supervision",
                |d| put(d, "/supervision_planned", json!(false)),
                &[],
                &["jianshan.apply.supervision"],
            ),
            row(
                "supervision absent",
                |d| del(d, "/supervision_planned"),
                &[],
                &[],
            ),
            row(
                "supervision malformed",
                |d| put(d, "/supervision_planned", json!("false")),
                &[],
                &[],
            ),
            row(
                "no supervision, service purchase",
                |d| {
                    put(d, "/project_nature", json!("service_purchase"));
                    put(d, "/supervision_planned", json!(false));
                },
                &[],
                &[],
            ),
        ],
    );
}

#[test]
fn apply_preliminary_design_deviation_and_prior_fsr() {
    let base = apply_design_base();
    table(
        "apply",
        &base,
        vec![
            // 三.8: total > FSR approval (strict), exact cents
            row(
                "FSR 259.99 < total 260.00",
                |d| put(d, "/fsr_approved_total_wan", json!("259.99")),
                &["jianshan.apply.design-deviation-chapter"],
                &[],
            ),
            row(
                "FSR 259.99, explained in chapter",
                |d| {
                    put(d, "/fsr_approved_total_wan", json!("259.99"));
                    put(d, "/fsr_deviation/explained_in_chapter", json!(true));
                },
                &[],
                &[],
            ),
            row(
                "FSR 260.01 > total",
                |d| put(d, "/fsr_approved_total_wan", json!("260.01")),
                &[],
                &[],
            ),
            row(
                "declared exceeds, not explained",
                |d| put(d, "/fsr_deviation/exceeds", json!(true)),
                &["jianshan.apply.design-deviation-chapter"],
                &[],
            ),
            row(
                "declared exceeds, explained",
                |d| {
                    put(d, "/fsr_deviation/exceeds", json!(true));
                    put(d, "/fsr_deviation/explained_in_chapter", json!(true));
                },
                &[],
                &[],
            ),
            row(
                "exceeds, explanation flag absent",
                |d| {
                    put(d, "/fsr_deviation/exceeds", json!(true));
                    del(d, "/fsr_deviation/explained_in_chapter");
                },
                &["jianshan.apply.design-deviation-chapter"],
                &[],
            ),
            row(
                "exceeds, explanation flag malformed",
                |d| {
                    put(d, "/fsr_deviation/exceeds", json!(true));
                    put(d, "/fsr_deviation/explained_in_chapter", json!("true"));
                },
                &[],
                &[],
            ),
            row(
                "deviation object absent, FSR below total",
                |d| {
                    del(d, "/fsr_deviation");
                    put(d, "/fsr_approved_total_wan", json!("240.00"));
                },
                &["jianshan.apply.design-deviation-chapter"],
                &[],
            ),
            row(
                "deviation object absent, FSR = total",
                |d| del(d, "/fsr_deviation"),
                &[],
                &[],
            ),
            row(
                "FSR total absent",
                |d| del(d, "/fsr_approved_total_wan"),
                &[],
                &[],
            ),
            row(
                "FSR total a JSON number (malformed)",
                |d| put(d, "/fsr_approved_total_wan", json!(100)),
                &[],
                &[],
            ),
            // 三.8 major change (exemptible; no claim here)
            row(
                "major change",
                |d| put(d, "/fsr_deviation/major", json!(true)),
                &["jianshan.apply.major-change-reapproval"],
                &[],
            ),
            row(
                "major flag absent",
                |d| del(d, "/fsr_deviation/major"),
                &[],
                &[],
            ),
            row(
                "major change on an FSR filing",
                |d| {
                    put(d, "/approval_document", json!("feasibility_study"));
                    add_attachment(d, "feasibility_study");
                    put(d, "/fsr_deviation/major", json!(true));
                    put(d, "/fsr_approved_total_wan", json!("1.00"));
                },
                &[],
                &[],
            ),
            // 三.4: preliminary design presupposes an FSR approval
            row(
                "no prior approvals",
                |d| del(d, "/prior_approvals"),
                &[],
                &["jianshan.apply.design-without-fsr"],
            ),
            row(
                "prior approvals empty",
                |d| put(d, "/prior_approvals", json!([])),
                &[],
                &["jianshan.apply.design-without-fsr"],
            ),
            row(
                "only a proposal approved",
                |d| put(d, "/prior_approvals/0/document", json!("project_proposal")),
                &[],
                &["jianshan.apply.design-without-fsr"],
            ),
            row(
                "prior document malformed",
                |d| put(d, "/prior_approvals/0/document", json!("fsr")),
                &[],
                &["jianshan.apply.design-without-fsr"],
            ),
            row(
                "FSR among several prior approvals",
                |d| {
                    let a = d["prior_approvals"].as_array_mut().unwrap();
                    a.insert(0, json!({"document": "project_proposal", "approval_no": "示例尖发改〔2025〕1号", "approval_date": "2025-03-01"}));
                },
                &[],
                &[],
            ),
            row(
                "FSR entry lacking its number still counts",
                |d| del(d, "/prior_approvals/0/approval_no"),
                &[],
                &[],
            ),
        ],
    );
}

#[test]
fn apply_fsr_fields_required_only_for_a_preliminary_design() {
    let required = |d: &Value| -> BTreeSet<String> {
        run("apply", d)
            .findings
            .iter()
            .filter(|f| f.rule == "common.any.required-field")
            .flat_map(|f| f.paths.clone())
            .collect()
    };
    let mut d = apply_design_base();
    del(&mut d, "/fsr_approved_total_wan");
    del(&mut d, "/fsr_deviation");
    let got = required(&d);
    assert!(
        got.contains("/fsr_approved_total_wan") && got.contains("/fsr_deviation"),
        "{got:?}"
    );

    let mut d = apply_design_base();
    put(&mut d, "/fsr_deviation", json!({}));
    // an empty object is present; its members are required (§2.2.1 “yes” under the object)
    let got = required(&d);
    for p in [
        "/fsr_deviation/exceeds",
        "/fsr_deviation/explained_in_chapter",
        "/fsr_deviation/major",
    ] {
        assert!(got.contains(p), "{p} not reported: {got:?}");
    }

    let d = case("jianshan-apply-001"); // feasibility study: neither field is required
    let got = required(&d);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn apply_exemption_claims_on_the_major_change_rule() {
    let claim = |rule: &str, basis: &str| json!({"rule_id": rule, "basis": basis, "document_no": "示例文件〔2025〕1号", "explanation": "上级部门明确要求按原可研批复继续实施。"});
    let mut base = apply_design_base();
    put(&mut base, "/fsr_deviation/major", json!(true));

    // every listed basis downgrades the error to a warning with the same ID
    for basis in [
        "law_regulation",
        "higher_mandate",
        "special_circumstance",
        "other",
    ] {
        let mut d = base.clone();
        put(
            &mut d,
            "/exemption_claims",
            json!([claim("jianshan.apply.major-change-reapproval", basis)]),
        );
        let r = run("apply", &d);
        assert!(
            r.rules_with("error").is_empty(),
            "{basis}: {:?}",
            r.rules_with("error")
        );
        assert_eq!(
            with_prefix(&r, "warning", "jianshan."),
            set(&["jianshan.apply.major-change-reapproval"]),
            "{basis}"
        );
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == "jianshan.apply.major-change-reapproval")
            .unwrap();
        assert!(f.exempted, "{basis}");
        assert!(r.valid);
    }

    // a claim on a non-exemptible rule is invalid and downgrades nothing; a valid claim next to
    // it still works (§0.3: each claim is judged on its own)
    let mut d = base.clone();
    put(&mut d, "/fsr_approved_total_wan", json!("200.00"));
    put(
        &mut d,
        "/exemption_claims",
        json!([
            claim("jianshan.apply.design-deviation-chapter", "other"),
            claim("jianshan.apply.major-change-reapproval", "higher_mandate")
        ]),
    );
    let r = run("apply", &d);
    assert_eq!(
        with_prefix(&r, "error", ""),
        set(&[
            "common.any.exemption-claim-invalid",
            "jianshan.apply.design-deviation-chapter"
        ])
    );
    assert_eq!(
        with_prefix(&r, "warning", "jianshan."),
        set(&["jianshan.apply.major-change-reapproval"])
    );

    // a claim naming an exemptible rule of another form is invalid in this form
    let mut d = case("jianshan-change-001");
    put(
        &mut d,
        "/exemption_claims",
        json!([claim("jianshan.apply.major-change-reapproval", "other")]),
    );
    let r = run("change", &d);
    assert_eq!(
        with_prefix(&r, "error", ""),
        set(&["common.any.exemption-claim-invalid"])
    );

    // a claim for a rule of another pack is invalid here
    let mut d = base.clone();
    put(
        &mut d,
        "/exemption_claims",
        json!([claim("potou.apply.om-system-not-in-catalog", "other")]),
    );
    let r = run("apply", &d);
    assert_eq!(
        with_prefix(&r, "error", ""),
        set(&[
            "common.any.exemption-claim-invalid",
            "jianshan.apply.major-change-reapproval"
        ])
    );

    // a valid claim on a rule that does not fire changes nothing and is not an error
    let mut d = apply_design_base();
    put(
        &mut d,
        "/exemption_claims",
        json!([claim(
            "jianshan.apply.major-change-reapproval",
            "law_regulation"
        )]),
    );
    let r = run("apply", &d);
    assert!(
        r.rules_with("error").is_empty() && r.rules_with("warning").is_empty(),
        "{:?}",
        r.findings
    );
}

// ------------------------------------------------------------------ change

fn items(pairs: &[(&str, &str)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .enumerate()
            .map(|(i, (o, a))| json!({"item_name": format!("分项{}", i + 1), "original_wan": o, "adjusted_wan": a}))
            .collect(),
    )
}

#[test]
fn change_fifteen_percent_and_total() {
    // base 300.00; the 15 % limit is 45.00 (allowed iff ≤ 15 %, §0.7)
    let base = case("jianshan-change-001");
    table(
        "change",
        &base,
        vec![
            row("exactly 45.00 moved", |_| {}, &[], &[]),
            row(
                "45.01 moved, total unchanged",
                |d| {
                    put(
                        d,
                        "/budget_items",
                        items(&[("200.00", "154.99"), ("100.00", "145.01")]),
                    )
                },
                &["jianshan.change.ratio-over-15pct"],
                &[],
            ),
            // adjustment amount = max(Σ increases, Σ decreases), not the net change
            row(
                "50.00 moved, net zero",
                |d| {
                    put(
                        d,
                        "/budget_items",
                        items(&[("200.00", "150.00"), ("100.00", "150.00")]),
                    )
                },
                &["jianshan.change.ratio-over-15pct"],
                &[],
            ),
            // … and not the sum of increases and decreases (30 + 30 = 60 > 45, but max = 30)
            row(
                "30.00 moved each way",
                |d| {
                    put(
                        d,
                        "/budget_items",
                        items(&[("200.00", "170.00"), ("100.00", "130.00")]),
                    )
                },
                &[],
                &[],
            ),
            row(
                "decrease-only 45.00",
                |d| {
                    put(
                        d,
                        "/budget_items",
                        items(&[("200.00", "155.00"), ("100.00", "100.00")]),
                    );
                    put(d, "/adjusted_total_wan", json!("255.00"));
                },
                &[],
                &[],
            ),
            row(
                "decrease-only 45.01",
                |d| {
                    put(
                        d,
                        "/budget_items",
                        items(&[("200.00", "154.99"), ("100.00", "100.00")]),
                    );
                    put(d, "/adjusted_total_wan", json!("254.99"));
                },
                &["jianshan.change.ratio-over-15pct"],
                &[],
            ),
            row(
                "increases spread over items, 45.01 in total",
                |d| {
                    put(
                        d,
                        "/budget_items",
                        items(&[
                            ("100.00", "122.50"),
                            ("100.00", "122.51"),
                            ("100.00", "55.00"),
                        ]),
                    );
                },
                &["jianshan.change.ratio-over-15pct"],
                &[],
            ),
            row(
                "an item amount as a JSON number makes the sum malformed",
                |d| {
                    put(
                        d,
                        "/budget_items",
                        json!([
                            {"item_name": "平台开发", "original_wan": 200, "adjusted_wan": "100.00"},
                            {"item_name": "数据治理", "original_wan": "100.00", "adjusted_wan": "200.00"}
                        ]),
                    )
                },
                &[],
                &[],
            ),
            row("base absent", |d| del(d, "/approved_base_wan"), &[], &[]),
            // 四.14 投资规模未超出概算批复: strict >
            row(
                "adjusted total 300.01",
                |d| {
                    put(d, "/adjusted_total_wan", json!("300.01"));
                    put(
                        d,
                        "/budget_items",
                        items(&[("200.00", "200.01"), ("100.00", "100.00")]),
                    );
                },
                &["jianshan.change.total-exceeds-approved"],
                &[],
            ),
            row(
                "adjusted total malformed",
                |d| put(d, "/adjusted_total_wan", json!("300.001")),
                &[],
                &[],
            ),
        ],
    );
}

#[test]
fn change_objective_and_reason() {
    let base = case("jianshan-change-001");
    table(
        "change",
        &base,
        vec![
            row(
                "objective changed",
                |d| put(d, "/objective_changed", json!(true)),
                &["jianshan.change.objective-changed"],
                &[],
            ),
            row(
                "objective flag absent",
                |d| del(d, "/objective_changed"),
                &[],
                &[],
            ),
            row(
                "objective flag malformed",
                |d| put(d, "/objective_changed", json!(1)),
                &[],
                &[],
            ),
            row(
                "reason: tech optimisation",
                |d| put(d, "/reason_category", json!("tech_optimization")),
                &[],
                &[],
            ),
            row(
                "reason: business development",
                |d| put(d, "/reason_category", json!("business_development")),
                &[],
                &[],
            ),
            row(
                "reason: upper policy adjustment",
                |d| put(d, "/reason_category", json!("upper_policy_adjustment")),
                &["jianshan.change.reason-not-eligible"],
                &[],
            ),
            row(
                "reason: standard change",
                |d| put(d, "/reason_category", json!("standard_change")),
                &["jianshan.change.reason-not-eligible"],
                &[],
            ),
            row(
                "reason: scenario change",
                |d| put(d, "/reason_category", json!("scenario_change")),
                &["jianshan.change.reason-not-eligible"],
                &[],
            ),
            row(
                "reason: other",
                |d| put(d, "/reason_category", json!("other")),
                &["jianshan.change.reason-not-eligible"],
                &[],
            ),
            row("reason absent", |d| del(d, "/reason_category"), &[], &[]),
            row(
                "reason malformed",
                |d| put(d, "/reason_category", json!("policy")),
                &[],
                &[],
            ),
        ],
    );
}

// ------------------------------------------------------------------ contract

#[test]
fn contract_ip_ownership() {
    let base = case("jianshan-contract-002");
    const IP: &[&str] = &["jianshan.contract.ip-ownership"];
    table(
        "contract",
        &base,
        vec![
            row(
                "owner supplier",
                |d| put(d, "/ip_terms/owner", json!("supplier")),
                IP,
                &[],
            ),
            row(
                "owner shared",
                |d| put(d, "/ip_terms/owner", json!("shared")),
                IP,
                &[],
            ),
            row(
                "owner other",
                |d| put(d, "/ip_terms/owner", json!("other")),
                IP,
                &[],
            ),
            row("ip_terms absent", |d| del(d, "/ip_terms"), IP, &[]),
            row(
                "ip_terms null",
                |d| put(d, "/ip_terms", Value::Null),
                IP,
                &[],
            ),
            row(
                "not defined, no owner",
                |d| put(d, "/ip_terms", json!({"defined": false})),
                IP,
                &[],
            ),
            row(
                "owner malformed",
                |d| put(d, "/ip_terms/owner", json!("buyer")),
                &[],
                &[],
            ),
            row(
                "design contract, supplier owns",
                |d| {
                    put(d, "/contract_kind", json!("design"));
                    put(d, "/ip_terms/owner", json!("supplier"));
                },
                IP,
                &[],
            ),
            row(
                "O&M contract, supplier owns",
                |d| {
                    put(d, "/contract_kind", json!("om"));
                    put(d, "/ip_terms/owner", json!("supplier"));
                },
                &[],
                &[],
            ),
            row(
                "supervision contract, no terms",
                |d| {
                    put(d, "/contract_kind", json!("supervision"));
                    del(d, "/ip_terms");
                },
                &[],
                &[],
            ),
        ],
    );
}

// ------------------------------------------------------------------ accept

#[test]
fn accept_half_year_window_and_materials() {
    let base = accept_base();
    const LATE: &[&str] = &["jianshan.accept.within-half-year"];
    const MAT: &[&str] = &["jianshan.accept.materials"];
    let mut rows = vec![
        row("last day 2025-07-15", |_| {}, &[], &[]),
        row(
            "one day late 2025-07-16",
            |d| put(d, "/submission_date", json!("2025-07-16")),
            &[],
            LATE,
        ),
        // month-end clamping: 2024-08-31 + 6 months = 2025-02-28
        row(
            "completed 08-31, filed 02-28",
            |d| {
                put(d, "/completion_date", json!("2024-08-31"));
                put(d, "/submission_date", json!("2025-02-28"));
            },
            &[],
            &[],
        ),
        row(
            "completed 08-31, filed 03-01",
            |d| {
                put(d, "/completion_date", json!("2024-08-31"));
                put(d, "/submission_date", json!("2025-03-01"));
            },
            &[],
            LATE,
        ),
        // leap day: 2023-08-29 + 6 months = 2024-02-29
        row(
            "completed 2023-08-31, filed 2024-02-29",
            |d| {
                put(d, "/completion_date", json!("2023-08-31"));
                put(d, "/submission_date", json!("2024-02-29"));
            },
            &[],
            &[],
        ),
        row(
            "completed 2023-08-31, filed 2024-03-01",
            |d| {
                put(d, "/completion_date", json!("2023-08-31"));
                put(d, "/submission_date", json!("2024-03-01"));
            },
            &[],
            LATE,
        ),
        row(
            "completion date absent",
            |d| del(d, "/completion_date"),
            &[],
            &[],
        ),
        row(
            "completion date invalid",
            |d| put(d, "/completion_date", json!("2025-02-30")),
            &[],
            &[],
        ),
        row(
            "O&M project, late, no materials",
            |d| {
                put(d, "/project_nature", json!("om"));
                put(d, "/submission_date", json!("2025-12-31"));
                put(d, "/attachments", json!([]));
            },
            &[],
            &[],
        ),
        // §2.3: only `final` exists in jianshan; another stage is malformed
        row(
            "initial stage is outside the domain",
            |d| {
                put(d, "/acceptance_stage", json!("initial"));
                put(d, "/submission_date", json!("2025-12-31"));
                put(d, "/attachments", json!([]));
                put(d, "/archive_acceptance_passed", json!(false));
            },
            &[],
            &[],
        ),
        // 五.18 at application: warning
        row(
            "archive not passed",
            |d| put(d, "/archive_acceptance_passed", json!(false)),
            &[],
            &["jianshan.accept.archive-acceptance"],
        ),
        row(
            "archive absent",
            |d| del(d, "/archive_acceptance_passed"),
            &[],
            &["jianshan.accept.archive-acceptance"],
        ),
        row(
            "archive malformed",
            |d| put(d, "/archive_acceptance_passed", json!("yes")),
            &[],
            &[],
        ),
        row(
            "O&M project, archive absent",
            |d| {
                put(d, "/project_nature", json!("om"));
                del(d, "/archive_acceptance_passed");
            },
            &[],
            &["jianshan.accept.archive-acceptance"],
        ),
        row(
            "no attachments at all",
            |d| del(d, "/attachments"),
            MAT,
            &[],
        ),
    ];
    for kind in [
        "construction_summary",
        "financial_report",
        "audit_report",
        "security_risk_assessment",
        "djcp_test_report",
        "crypto_assessment_report",
    ] {
        rows.push(row(
            "one material missing",
            move |d| drop_attachment(d, kind),
            MAT,
            &[],
        ));
    }
    table("accept", &base, rows);
}

// ------------------------------------------------------------------ accept-record

#[test]
fn accept_record_archive_contradiction() {
    let base = case("jianshan-accept-record-001");
    const NP: &[&str] = &["jianshan.accept-record.archive-not-passed"];
    table(
        "accept-record",
        &base,
        vec![
            row(
                "archive failed",
                |d| put(d, "/archive_acceptance_passed", json!(false)),
                NP,
                &[],
            ),
            row(
                "archive absent",
                |d| del(d, "/archive_acceptance_passed"),
                NP,
                &[],
            ),
            row(
                "archive null",
                |d| put(d, "/archive_acceptance_passed", Value::Null),
                NP,
                &[],
            ),
            row(
                "archive malformed",
                |d| put(d, "/archive_acceptance_passed", json!("false")),
                &[],
                &[],
            ),
            row(
                "result failed, archive failed",
                |d| {
                    put(d, "/acceptance_result", json!("failed"));
                    put(d, "/archive_acceptance_passed", json!(false));
                },
                &[],
                &[],
            ),
            row(
                "result absent, archive absent",
                |d| {
                    del(d, "/acceptance_result");
                    del(d, "/archive_acceptance_passed");
                },
                &[],
                &[],
            ),
        ],
    );
}

#[test]
fn accept_record_surplus_is_info_only() {
    let surplus = |d: &Value| {
        run("accept-record", d)
            .findings
            .iter()
            .filter(|f| f.rule == "jianshan.accept-record.surplus-return")
            .map(|f| f.severity.clone())
            .collect::<Vec<_>>()
    };
    let base = case("jianshan-accept-record-001"); // 116.40 of 120.00 spent
    assert_eq!(surplus(&base), vec!["info".to_string()]);
    assert!(run("accept-record", &base).valid);
    let mut d = base.clone();
    put(&mut d, "/actual_expenditure_wan", json!("120.00"));
    assert!(surplus(&d).is_empty());
    let mut d = base.clone();
    del(&mut d, "/actual_expenditure_wan");
    assert!(surplus(&d).is_empty());
}

// ------------------------------------------------------------------ monitor

#[test]
fn monitor_report_content_and_opinions() {
    let base = monitor_base();
    const RC: &[&str] = &["jianshan.monitor.required-content"];
    const TR: &[&str] = &["jianshan.monitor.trial-run-effect"];
    const OP: &[&str] = &["jianshan.monitor.user-supervisor-opinions"];
    table(
        "monitor",
        &base,
        vec![
            row(
                "progress absent",
                |d| del(d, "/progress_description"),
                RC,
                &[],
            ),
            row(
                "progress blank",
                |d| put(d, "/progress_description", json!("   ")),
                RC,
                &[],
            ),
            row(
                "progress malformed (too short)",
                |d| put(d, "/progress_description", json!("进度正常")),
                &[],
                &[],
            ),
            row(
                "planned funds absent",
                |d| del(d, "/funds_planned_wan"),
                RC,
                &[],
            ),
            row(
                "executed funds absent",
                |d| del(d, "/funds_executed_wan"),
                RC,
                &[],
            ),
            row(
                "executed funds a JSON number (malformed)",
                |d| put(d, "/funds_executed_wan", json!(92)),
                &[],
                &[],
            ),
            row(
                "trial effect absent",
                |d| del(d, "/trial_run_effect"),
                TR,
                &[],
            ),
            row(
                "trial effect malformed (too short)",
                |d| put(d, "/trial_run_effect", json!("运行正常")),
                &[],
                &[],
            ),
            row(
                "not in trial run, no effect",
                |d| {
                    put(d, "/in_trial_run", json!(false));
                    del(d, "/trial_run_effect");
                },
                &[],
                &[],
            ),
            row(
                "trial flag absent, no effect",
                |d| {
                    del(d, "/in_trial_run");
                    del(d, "/trial_run_effect");
                },
                &[],
                &[],
            ),
            row(
                "no user-unit opinion",
                |d| drop_attachment(d, "user_unit_opinion"),
                OP,
                &[],
            ),
            row(
                "no supervisor opinion",
                |d| drop_attachment(d, "supervision_unit_opinion"),
                OP,
                &[],
            ),
            row(
                "no supervisor, no supervisor opinion",
                |d| {
                    put(d, "/has_supervision_unit", json!(false));
                    drop_attachment(d, "supervision_unit_opinion");
                },
                &[],
                &[],
            ),
            row(
                "supervisor flag absent, no supervisor opinion",
                |d| {
                    del(d, "/has_supervision_unit");
                    drop_attachment(d, "supervision_unit_opinion");
                },
                &[],
                &[],
            ),
            row(
                "supervisor flag absent, no user opinion",
                |d| {
                    del(d, "/has_supervision_unit");
                    drop_attachment(d, "user_unit_opinion");
                },
                OP,
                &[],
            ),
            row(
                "issue report: annual rules do not apply",
                |d| {
                    put(d, "/report_type", json!("issue"));
                    put(d, "/issue_types", json!(["serious_delay"]));
                    put(
                        d,
                        "/issue_description",
                        json!("项目建设进度严重滞后，需整改并调整计划。"),
                    );
                    del(d, "/progress_description");
                    del(d, "/trial_run_effect");
                    put(d, "/attachments", json!([]));
                },
                &[],
                &[],
            ),
        ],
    );
}

// ------------------------------------------------------------------ self-eval

#[test]
fn self_eval_six_to_twelve_month_window() {
    let base = self_eval_base();
    const W: &[&str] = &["jianshan.self-eval.window-6-12-months"];
    let at = |acc: &'static str, op: &'static str, sub: &'static str| {
        move |d: &mut Value| {
            put(d, "/acceptance_date", json!(acc));
            put(d, "/operation_start_date", json!(op));
            put(d, "/submission_date", json!(sub));
        }
    };
    table(
        "self-eval",
        &base,
        vec![
            // R = max(2025-01-10, 2025-01-20) = 2025-01-20: 2025-07-20 … 2026-01-20 inclusive
            row(
                "day before window",
                |d| put(d, "/submission_date", json!("2025-07-19")),
                &[],
                W,
            ),
            row(
                "first day",
                |d| put(d, "/submission_date", json!("2025-07-20")),
                &[],
                &[],
            ),
            row(
                "last day",
                |d| put(d, "/submission_date", json!("2026-01-20")),
                &[],
                &[],
            ),
            row(
                "day after window",
                |d| put(d, "/submission_date", json!("2026-01-21")),
                &[],
                W,
            ),
            // the later date is the reference whichever field holds it
            row(
                "acceptance later, first day",
                at("2025-01-20", "2025-01-10", "2025-07-20"),
                &[],
                &[],
            ),
            row(
                "acceptance later, day before",
                at("2025-01-20", "2025-01-10", "2025-07-19"),
                &[],
                W,
            ),
            row(
                "acceptance later, day after",
                at("2025-01-20", "2025-01-10", "2026-01-21"),
                &[],
                W,
            ),
            // month-end clamping: R = 2024-08-31 → 2025-02-28 … 2025-08-31
            row(
                "R 08-31, 02-27",
                at("2024-08-30", "2024-08-31", "2025-02-27"),
                &[],
                W,
            ),
            row(
                "R 08-31, 02-28",
                at("2024-08-30", "2024-08-31", "2025-02-28"),
                &[],
                &[],
            ),
            row(
                "R 08-31, 08-31",
                at("2024-08-30", "2024-08-31", "2025-08-31"),
                &[],
                &[],
            ),
            row(
                "R 08-31, 09-01",
                at("2024-08-30", "2024-08-31", "2025-09-01"),
                &[],
                W,
            ),
            // R = 2024-02-29 → 2024-08-29 … 2025-02-28
            row(
                "R leap day, 08-28",
                at("2024-02-29", "2024-02-01", "2024-08-28"),
                &[],
                W,
            ),
            row(
                "R leap day, 08-29",
                at("2024-02-29", "2024-02-01", "2024-08-29"),
                &[],
                &[],
            ),
            row(
                "R leap day, 2025-02-28",
                at("2024-02-29", "2024-02-01", "2025-02-28"),
                &[],
                &[],
            ),
            row(
                "R leap day, 2025-03-01",
                at("2024-02-29", "2024-02-01", "2025-03-01"),
                &[],
                W,
            ),
            // R = 2025-03-31 → 2025-09-30 … 2026-03-31
            row(
                "R 03-31, 09-29",
                at("2025-03-31", "2025-03-31", "2025-09-29"),
                &[],
                W,
            ),
            row(
                "R 03-31, 09-30",
                at("2025-03-31", "2025-03-31", "2025-09-30"),
                &[],
                &[],
            ),
            // absent or malformed reference dates: no comparison can be made
            row(
                "operation date absent, early",
                |d| {
                    del(d, "/operation_start_date");
                    put(d, "/submission_date", json!("2025-02-01"));
                },
                &[],
                &[],
            ),
            row(
                "acceptance date invalid, late",
                |d| {
                    put(d, "/acceptance_date", json!("2025-02-30"));
                    put(d, "/submission_date", json!("2027-01-01"));
                },
                &[],
                &[],
            ),
            row(
                "submission date malformed",
                |d| put(d, "/submission_date", json!("2025/10/01")),
                &[],
                &[],
            ),
            // §2.3: only post_acceptance exists here; an outside code is a format error, and the
            // window condition (which does not read eval_type) still applies
            row(
                "performance type is outside the domain",
                |d| {
                    put(d, "/eval_type", json!("performance"));
                    put(d, "/submission_date", json!("2025-02-01"));
                },
                &[],
                W,
            ),
        ],
    );
}

// ------------------------------------------------------------------ pack shape

#[test]
fn forms_offered_follow_section_1() {
    for form in ["procure", "terminate", "fund"] {
        let r = validator_core::validate(J, form, &json!({"submission_date": "2025-09-01"}));
        assert!(
            matches!(r, Err(validator_core::ValidateError::FormNotOffered { .. })),
            "{form}: {r:?}"
        );
    }
    for form in [
        "apply",
        "change",
        "contract",
        "monitor",
        "accept",
        "accept-record",
        "self-eval",
    ] {
        assert!(
            validator_core::validate(J, form, &json!({})).is_ok(),
            "{form}"
        );
    }
}

/// The §3.6 table row by row against the pack data: ID, severity, exemptible bases, citation,
/// messages; and the §3 counts (17 error, 8 warning, 1 info, 1 exemptible).
#[test]
fn pack_matches_the_spec_table() {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/spec/domain.md"
    ))
    .expect("spec");
    let pack = validator_core::packs::pack(J).expect("pack");
    let rows: Vec<Vec<String>> = spec
        .lines()
        .filter(|l| l.starts_with("| `jianshan."))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 26);
    assert_eq!(pack.rules.len(), rows.len());
    let (mut e, mut w, mut i, mut x) = (0, 0, 0, 0);
    for r in &rows {
        let id = r[0].trim_matches('`');
        let rule = pack
            .rules
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("missing {id}"));
        assert_eq!(id.split('.').nth(1), Some(r[1].as_str()), "{id}: form");
        assert_eq!(
            format!("004_2a031bfe0eebf534.txt {}", rule.cite),
            r[2],
            "{id}: citation"
        );
        let (sev, bases) = match r[3].split_once("; 可豁免: ") {
            Some((s, b)) => (
                s.to_string(),
                b.split(", ").map(String::from).collect::<Vec<_>>(),
            ),
            None => (r[3].clone(), Vec::new()),
        };
        assert_eq!(rule.severity.as_str(), sev, "{id}: severity");
        let code_bases: Vec<String> = rule.exempt.iter().map(|b| b.code().to_string()).collect();
        assert_eq!(code_bases, bases, "{id}: exemptible bases");
        assert_eq!(rule.zh, r[5], "{id}: zh");
        assert_eq!(rule.en, r[6], "{id}: en");
        match rule.severity.as_str() {
            "error" => e += 1,
            "warning" => w += 1,
            _ => i += 1,
        }
        if !rule.exempt.is_empty() {
            x += 1;
        }
    }
    assert_eq!((e, w, i, x), (17, 8, 1, 1));
}

/// A fired rule reports the pack's citation (document, seed file, article as cited).
#[test]
fn findings_carry_the_citation() {
    let mut d = case("jianshan-change-001");
    put(&mut d, "/reason_category", json!("other"));
    let r = run("change", &d);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "jianshan.change.reason-not-eligible")
        .expect("fires");
    let c = f.citation.as_ref().expect("citation");
    assert_eq!(c.article, "四.14(1)至(3)");
    assert_eq!(c.source.as_deref(), Some("004_2a031bfe0eebf534.txt"));
    assert_eq!(f.severity, "error");
}
