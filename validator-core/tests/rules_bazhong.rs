//! Focused, data-driven tests of the subtle conditions of the `bazhong` pack (spec §3.3, seed
//! 001_14342659012a6c0d.txt «“智慧巴中”建设项目管理办法»).
//!
//! Every scenario starts from a *valid* case of `shared/cases/bazhong.json`, mutates it with
//! serde_json and asserts the exact sets of error and warning rule IDs the report contains (all
//! packs, so a stray common finding is noticed as well). Expectations are derived from the spec
//! text (§0.5 semantics, §0.7 threshold table, §3.3 conditions), not from the implementation.

use serde_json::{json, Value};
use std::collections::BTreeSet;

mod support;

const REQ: &str = "common.any.required-field";
const FMT: &str = "common.any.field-format";
const AMT: &str = "common.any.amount-format";
const CLAIM: &str = "common.any.exemption-claim-invalid";

/// (form, data) of a shared case.
fn base(id: &str) -> (String, Value) {
    let c = support::shared_case(id);
    (c["form"].as_str().unwrap().to_string(), c["data"].clone())
}

/// Set the value at a JSON pointer, creating missing object members on the way.
fn set(v: &mut Value, ptr: &str, val: Value) {
    let mut cur = v;
    let parts: Vec<&str> = ptr.trim_start_matches('/').split('/').collect();
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        cur = match cur {
            Value::Array(a) => {
                let idx: usize = p.parse().expect("array index");
                if last {
                    a[idx] = val;
                    return;
                }
                &mut a[idx]
            }
            other => {
                if !other.is_object() {
                    *other = json!({});
                }
                let o = other.as_object_mut().unwrap();
                if last {
                    o.insert(p.to_string(), val);
                    return;
                }
                o.entry(p.to_string()).or_insert_with(|| json!({}))
            }
        };
    }
}

/// Remove the member at a JSON pointer (object members only).
fn del(v: &mut Value, ptr: &str) {
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    let p = if parent.is_empty() {
        v
    } else {
        v.pointer_mut(parent).expect("parent exists")
    };
    p.as_object_mut().unwrap().remove(key);
}

fn attach(v: &mut Value, kind: &str) {
    let a = v
        .as_object_mut()
        .unwrap()
        .entry("attachments")
        .or_insert_with(|| json!([]));
    a.as_array_mut()
        .unwrap()
        .push(json!({"kind": kind, "file_name": format!("{kind}.pdf")}));
}

fn detach(v: &mut Value, kind: &str) {
    let a = v["attachments"].as_array_mut().expect("attachments");
    let before = a.len();
    a.retain(|x| x["kind"] != kind);
    assert!(
        a.len() < before,
        "attachment {kind} was not there to remove"
    );
}

fn claim(v: &mut Value, rule: &str, basis: &str) {
    let a = v
        .as_object_mut()
        .unwrap()
        .entry("exemption_claims")
        .or_insert_with(|| json!([]));
    a.as_array_mut().unwrap().push(json!({
        "rule_id": rule,
        "basis": basis,
        "document_no": "示例文件〔2025〕1号",
        "explanation": "示例说明：依据该文件须按此办理，特此声明。"
    }));
}

/// Single-line total: total, one local fiscal source and one yearly amount, all equal.
fn set_total(v: &mut Value, amount: &str) {
    set(v, "/total_investment_wan", json!(amount));
    set(
        v,
        "/funding_sources",
        json!([{"source": "local_fiscal", "amount_wan": amount}]),
    );
    set(
        v,
        "/annual_funding_plan",
        json!([{"year": 2026, "amount_wan": amount}]),
    );
}

struct Outcome {
    errors: BTreeSet<String>,
    warnings: BTreeSet<String>,
    infos: BTreeSet<String>,
    valid: bool,
}

fn run(form: &str, data: &Value) -> Outcome {
    let r = validator_core::validate("bazhong", form, data).expect("validates");
    let pick = |s: &str| r.rules_with(s).into_iter().map(String::from).collect();
    Outcome {
        errors: pick("error"),
        warnings: pick("warning"),
        infos: pick("info"),
        valid: r.valid,
    }
}

fn set_of(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Collects scenario failures so one run reports all of them.
#[derive(Default)]
struct Checker {
    ran: usize,
    failures: Vec<String>,
}

impl Checker {
    fn check(
        &mut self,
        name: &str,
        case: &str,
        edit: impl FnOnce(&mut Value),
        errors: &[&str],
        warnings: &[&str],
    ) {
        let (form, mut data) = base(case);
        edit(&mut data);
        let o = run(&form, &data);
        self.ran += 1;
        let (we, ww) = (set_of(errors), set_of(warnings));
        if o.errors != we || o.warnings != ww || o.valid != errors.is_empty() {
            self.failures.push(format!(
                "{name} [{case}]\n   errors   want {we:?}\n            got  {:?}\n   warnings want {ww:?}\n            got  {:?}",
                o.errors, o.warnings
            ));
        }
    }

    fn info(
        &mut self,
        name: &str,
        case: &str,
        edit: impl FnOnce(&mut Value),
        rule: &str,
        fires: bool,
    ) {
        let (form, mut data) = base(case);
        edit(&mut data);
        let o = run(&form, &data);
        self.ran += 1;
        if o.infos.contains(rule) != fires {
            self.failures.push(format!(
                "{name} [{case}]: info {rule} expected {} but infos were {:?}",
                if fires { "present" } else { "absent" },
                o.infos
            ));
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} scenarios failed:\n{}",
            self.failures.len(),
            self.ran,
            self.failures.join("\n")
        );
    }
}

const APPLY: &str = "bazhong-apply-001"; // approval stage, self-built FSR, gov_service, fully valid
const PREFILING: &str = "bazhong-apply-022"; // upper_prefiling, valid
const SERVICE: &str = "bazhong-apply-017"; // service procurement (goods flag set; reset below)
const CONTRACT: &str = "bazhong-contract-001"; // O&M contract, 3-year total term, valid
const SELF_EVAL: &str = "bazhong-self-eval-001"; // go-live 2024-03-15, filed 2025-03-15, valid
const TERMINATE: &str = "bazhong-terminate-001"; // valid
const ACCEPT_RECORD: &str = "bazhong-accept-record-001"; // valid
const ACCEPT: &str = "bazhong-accept-004"; // made valid by `accept_ok`
const MONITOR: &str = "bazhong-monitor-001"; // made valid by `monitor_ok`
const CHANGE: &str = "bazhong-change-001"; // made valid by `change_ok`

fn service_ok(v: &mut Value) {
    set(v, "/service_procurement/is_goods_or_works", json!(false));
}

fn accept_ok(v: &mut Value) {
    set(v, "/pre_acceptance/done", json!(true));
    set(v, "/pre_acceptance/filed_with_office", json!(true));
    attach(v, "pre_acceptance_report");
}

fn monitor_ok(v: &mut Value) {
    set(v, "/submission_date", json!("2025-12-20"));
    attach(v, "user_unit_opinion");
}

fn change_ok(v: &mut Value) {
    set(v, "/already_implemented", json!(false));
}

#[test]
fn the_base_scenarios_are_valid() {
    let mut c = Checker::default();
    for id in [
        APPLY,
        PREFILING,
        CONTRACT,
        SELF_EVAL,
        TERMINATE,
        ACCEPT_RECORD,
    ] {
        c.check("base", id, |_| {}, &[], &[]);
    }
    c.check("base", SERVICE, service_ok, &[], &[]);
    c.check("base", ACCEPT, accept_ok, &[], &[]);
    c.check("base", MONITOR, monitor_ok, &[], &[]);
    c.check("base", CHANGE, change_ok, &[], &[]);
    c.finish();
}

// ---------------------------------------------------------------- 第二条: 30万元以上 (≥ 30.00)

#[test]
fn below_30_wan_boundary() {
    let w = "bazhong.apply.below-30-wan";
    let mut c = Checker::default();
    c.check(
        "exactly 30.00 is in scope",
        APPLY,
        |v| set_total(v, "30.00"),
        &[],
        &[],
    );
    c.check(
        "30 (no decimals) is in scope",
        APPLY,
        |v| set_total(v, "30"),
        &[],
        &[],
    );
    c.check(
        "29.99 is below",
        APPLY,
        |v| set_total(v, "29.99"),
        &[],
        &[w],
    );
    c.check("0.01 is below", APPLY, |v| set_total(v, "0.01"), &[], &[w]);
    // a malformed or absent total is reported by its own rule, not by the threshold rule
    c.check(
        "JSON number is malformed, not below",
        APPLY,
        |v| set(v, "/total_investment_wan", json!(29)),
        &[AMT],
        &[],
    );
    c.check(
        "three decimals is malformed",
        APPLY,
        |v| set(v, "/total_investment_wan", json!("29.999")),
        &[AMT],
        &[],
    );
    c.check(
        "absent total does not fire",
        APPLY,
        |v| del(v, "/total_investment_wan"),
        &[REQ],
        &[],
    );
    c.finish();
}

#[test]
fn classified_project_is_refused_by_pack_and_product() {
    let mut c = Checker::default();
    c.check(
        "is_classified = true",
        APPLY,
        |v| set(v, "/is_classified", json!(true)),
        &[
            "bazhong.apply.classified-out-of-scope",
            "common.apply.classified-not-accepted",
        ],
        &[],
    );
    c.check(
        "is_classified absent",
        APPLY,
        |v| del(v, "/is_classified"),
        &[REQ],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- 第八条 and its exemptions

#[test]
fn article_8_prohibitions() {
    let hw = "bazhong.apply.hardware-procurement";
    let lease = "bazhong.apply.network-lease";
    let cloud = "bazhong.apply.cloud-deployment";
    let dup = "bazhong.apply.common-system-duplication";
    let mut c = Checker::default();
    c.check(
        "(一) machine room",
        APPLY,
        |v| set(v, "/builds_machine_room_dc", json!(true)),
        &[hw],
        &[],
    );
    c.check(
        "(一) hardware",
        APPLY,
        |v| set(v, "/procures_server_storage_hardware", json!(true)),
        &[hw],
        &[],
    );
    c.check(
        "(一) absent flag is not true",
        APPLY,
        |v| del(v, "/builds_machine_room_dc"),
        &[REQ],
        &[],
    );
    for ct in [
        "internet_line_lease",
        "private_network_lease",
        "terminal_security_unmanaged",
    ] {
        c.check(
            &format!("(二) {ct}"),
            APPLY,
            |v| set(v, "/content_types", json!(["application_system", ct])),
            &[lease],
            &[],
        );
    }
    // (三) only new builds and upgrades; anything but gov_cloud (including not_applicable)
    c.check(
        "(三) new build on own room",
        APPLY,
        |v| set(v, "/deployment_location", json!("self_built_room")),
        &[cloud],
        &[],
    );
    c.check(
        "(三) new build on upper platform",
        APPLY,
        |v| set(v, "/deployment_location", json!("upper_platform")),
        &[cloud],
        &[],
    );
    c.check(
        "(三) expansion on public cloud is not covered",
        APPLY,
        |v| {
            set(v, "/project_nature", json!("expansion"));
            set(v, "/deployment_location", json!("public_cloud"));
        },
        &[],
        &[],
    );
    c.check(
        "(三) upgrade not migrated",
        APPLY,
        |v| {
            set(v, "/project_nature", json!("upgrade"));
            set(v, "/predecessor_project", json!({"project_name": "原示例系统项目", "accepted": true, "acceptance_date": "2023-06-30"}));
            set(v, "/deployment_location", json!("public_cloud"));
        },
        &[cloud],
        &[],
    );
    c.check(
        "(三) absent location: required, comparison false",
        APPLY,
        |v| del(v, "/deployment_location"),
        &[REQ],
        &[],
    );
    c.check(
        "(三) location outside the enum: malformed, comparison false",
        APPLY,
        |v| set(v, "/deployment_location", json!("moon")),
        &[FMT],
        &[],
    );
    // (四) new build / expansion only; only the standalone app form
    for ct in [
        "common_system",
        "website_platform",
        "big_data_platform",
        "enforcement_inspection_system",
    ] {
        c.check(
            &format!("(四) new {ct}"),
            APPLY,
            |v| set(v, "/content_types", json!([ct])),
            &[dup],
            &[],
        );
    }
    c.check(
        "(四) expansion big data platform",
        APPLY,
        |v| {
            set(v, "/project_nature", json!("expansion"));
            set(v, "/content_types", json!(["big_data_platform"]));
        },
        &[dup],
        &[],
    );
    c.check(
        "(四) renovation of a common system is not covered",
        APPLY,
        |v| {
            set(v, "/project_nature", json!("renovation"));
            set(v, "/content_types", json!(["common_system"]));
        },
        &[],
        &[],
    );
    c.check(
        "(四) standalone app",
        APPLY,
        |v| {
            set(v, "/builds_mobile_app", json!(true));
            set(
                v,
                "/mobile_app_forms",
                json!(["wechat_mini_program", "standalone_app"]),
            );
        },
        &[dup],
        &[],
    );
    c.check(
        "(四) mini programs only",
        APPLY,
        |v| {
            set(v, "/builds_mobile_app", json!(true));
            set(
                v,
                "/mobile_app_forms",
                json!([
                    "wechat_mini_program",
                    "alipay_mini_program",
                    "other_mini_program"
                ]),
            );
        },
        &[],
        &[],
    );
    c.check(
        "(四) standalone app on an upgrade is not covered",
        APPLY,
        |v| {
            set(v, "/project_nature", json!("upgrade"));
            set(v, "/predecessor_project", json!({"project_name": "原示例系统项目", "accepted": true, "acceptance_date": "2023-06-30"}));
            set(v, "/builds_mobile_app", json!(true));
            set(v, "/mobile_app_forms", json!(["standalone_app"]));
        },
        &[],
        &[],
    );
    c.check(
        "(四) standalone app listed but builds_mobile_app = false",
        APPLY,
        |v| set(v, "/mobile_app_forms", json!(["standalone_app"])),
        &[],
        &[],
    );
    c.finish();
}

#[test]
fn article_8_5_platform_integration() {
    let pi = "bazhong.apply.platform-integration";
    let ds = "bazhong.apply.data-sharing-platform";
    let mut c = Checker::default();
    for p in ["gov_service_platform", "common_support_platform"] {
        c.check(
            &format!("gov_service without {p}"),
            APPLY,
            |v| set(v, &format!("/integrations/{p}"), json!(false)),
            &[pi],
            &[],
        );
    }
    c.check(
        "gov_service without the data-sharing platform (also 第十条)",
        APPLY,
        |v| set(v, "/integrations/data_sharing_platform", json!(false)),
        &[ds, pi],
        &[],
    );
    c.check(
        "public_service missing one platform (absent ⇒ not all true)",
        APPLY,
        |v| {
            set(v, "/system_function_category", json!("public_service"));
            del(v, "/integrations/common_support_platform");
        },
        &[REQ, pi],
        &[],
    );
    c.check(
        "office needs only the collaborative platform",
        APPLY,
        |v| {
            set(v, "/system_function_category", json!("office"));
            set(v, "/integrations/gov_service_platform", json!(false));
            set(v, "/integrations/common_support_platform", json!(false));
            set(
                v,
                "/integrations/collaborative_office_platform",
                json!(true),
            );
        },
        &[],
        &[],
    );
    c.check(
        "decision_support without the collaborative platform",
        APPLY,
        |v| set(v, "/system_function_category", json!("decision_support")),
        &[pi],
        &[],
    );
    c.check(
        "office with collaborative platform absent (is not true)",
        APPLY,
        |v| {
            set(v, "/system_function_category", json!("office"));
            del(v, "/integrations/collaborative_office_platform");
        },
        &[REQ, pi],
        &[],
    );
    c.check(
        "business_management is not covered by 第八条(五)",
        APPLY,
        |v| {
            set(v, "/system_function_category", json!("business_management"));
            set(v, "/integrations/gov_service_platform", json!(false));
            set(v, "/integrations/common_support_platform", json!(false));
        },
        &[],
        &[],
    );
    c.check(
        "integrations of the wrong JSON kind: members malformed, comparisons false inside not(…)",
        APPLY,
        |v| set(v, "/integrations", json!("all connected")),
        &[FMT, pi],
        &[],
    );
    c.check(
        "integrations absent: pack-required; gov_service is then not connected",
        APPLY,
        |v| del(v, "/integrations"),
        &[REQ, pi],
        &[],
    );
    c.finish();
}

#[test]
fn article_8_6_to_8_targets_catalog_sharing_upgrade() {
    let pt = "bazhong.apply.performance-targets-missing";
    let rc = "bazhong.apply.resource-catalog-missing";
    let ns = "bazhong.apply.non-shared-infrastructure";
    let up = "bazhong.apply.upgrade-before-acceptance";
    let mut c = Checker::default();
    c.check(
        "targets absent",
        APPLY,
        |v| del(v, "/performance_targets"),
        &[pt],
        &[],
    );
    c.check(
        "targets empty array counts as absent",
        APPLY,
        |v| set(v, "/performance_targets", json!([])),
        &[pt],
        &[],
    );
    c.check(
        "targets null counts as absent",
        APPLY,
        |v| set(v, "/performance_targets", Value::Null),
        &[pt],
        &[],
    );
    c.check(
        "catalog not compiled",
        APPLY,
        |v| set(v, "/data_resource_catalog/compiled", json!(false)),
        &[rc],
        &[],
    );
    c.check(
        "catalog not attached",
        APPLY,
        |v| detach(v, "data_resource_catalog"),
        &[rc],
        &[],
    );
    c.check(
        "catalog flag absent but attached: only required-field",
        APPLY,
        |v| del(v, "/data_resource_catalog/compiled"),
        &[REQ],
        &[],
    );
    for ct in ["infrastructure", "support_platform", "data_resource"] {
        c.check(
            &format!("(七) {ct} not shared"),
            APPLY,
            |v| {
                set(v, "/content_types", json!([ct]));
                set(v, "/open_for_shared_use", json!(false));
            },
            &[ns],
            &[],
        );
    }
    c.check(
        "(七) shared-use flag absent: required, not false",
        APPLY,
        |v| del(v, "/open_for_shared_use"),
        &[REQ],
        &[],
    );
    c.check(
        "(七) application system only: flag false is irrelevant and not required",
        APPLY,
        |v| {
            set(v, "/content_types", json!(["application_system"]));
            set(v, "/open_for_shared_use", json!(false));
        },
        &[],
        &[],
    );
    c.check(
        "(七) application system only: flag may be omitted",
        APPLY,
        |v| {
            set(v, "/content_types", json!(["application_system"]));
            del(v, "/open_for_shared_use");
        },
        &[],
        &[],
    );
    let upgrade = |v: &mut Value, accepted: Value| {
        set(v, "/project_nature", json!("upgrade"));
        set(
            v,
            "/predecessor_project",
            json!({"project_name": "原示例系统项目", "accepted": accepted}),
        );
    };
    c.check(
        "(八) upgrade of unaccepted project",
        APPLY,
        |v| upgrade(v, json!(false)),
        &[up],
        &[],
    );
    c.check(
        "(八) upgrade of accepted project",
        APPLY,
        |v| {
            upgrade(v, json!(true));
            set(
                v,
                "/predecessor_project/acceptance_date",
                json!("2023-06-30"),
            );
        },
        &[],
        &[],
    );
    c.check(
        "(八) accepted absent",
        APPLY,
        |v| upgrade(v, Value::Null),
        &[REQ],
        &[],
    );
    c.check(
        "(八) new build with unaccepted predecessor is not an upgrade",
        APPLY,
        |v| {
            set(
                v,
                "/predecessor_project",
                json!({"project_name": "原示例系统项目", "accepted": false}),
            )
        },
        &[],
        &[],
    );
    c.finish();
}

#[test]
fn exemption_claims() {
    let hw = "bazhong.apply.hardware-procurement";
    let agg = "bazhong.apply.unit-data-aggregation";
    let list = "bazhong.apply.not-in-annual-list";
    let rc = "bazhong.apply.resource-catalog-missing";
    let mut c = Checker::default();
    let hardware = |v: &mut Value| set(v, "/procures_server_storage_hardware", json!(true));
    c.check(
        "第八条: law_regulation downgrades",
        APPLY,
        |v| {
            hardware(v);
            claim(v, hw, "law_regulation");
        },
        &[],
        &[hw],
    );
    for basis in ["higher_mandate", "special_circumstance", "other"] {
        c.check(
            &format!("第八条: {basis} is not an allowed basis"),
            APPLY,
            |v| {
                hardware(v);
                claim(v, hw, basis);
            },
            &[CLAIM, hw],
            &[],
        );
    }
    // every 第八条 rule accepts law_regulation
    type Mutation = fn(&mut Value);
    let art8: [(&str, Mutation); 8] = [
        ("bazhong.apply.hardware-procurement", |v| {
            set(v, "/builds_machine_room_dc", json!(true))
        }),
        ("bazhong.apply.network-lease", |v| {
            set(v, "/content_types", json!(["internet_line_lease"]))
        }),
        ("bazhong.apply.cloud-deployment", |v| {
            set(v, "/deployment_location", json!("public_cloud"))
        }),
        ("bazhong.apply.common-system-duplication", |v| {
            set(v, "/content_types", json!(["common_system"]))
        }),
        ("bazhong.apply.platform-integration", |v| {
            set(v, "/integrations/gov_service_platform", json!(false))
        }),
        ("bazhong.apply.performance-targets-missing", |v| {
            del(v, "/performance_targets")
        }),
        ("bazhong.apply.non-shared-infrastructure", |v| {
            set(v, "/open_for_shared_use", json!(false))
        }),
        ("bazhong.apply.upgrade-before-acceptance", |v| {
            set(v, "/project_nature", json!("upgrade"));
            set(
                v,
                "/predecessor_project",
                json!({"project_name": "原示例系统项目", "accepted": false}),
            );
        }),
    ];
    for (rule, make) in art8 {
        c.check(&format!("{rule} fires"), APPLY, make, &[rule], &[]);
        c.check(
            &format!("{rule} law_regulation"),
            APPLY,
            |v| {
                make(v);
                claim(v, rule, "law_regulation");
            },
            &[],
            &[rule],
        );
        c.check(
            &format!("{rule} higher_mandate rejected"),
            APPLY,
            |v| {
                make(v);
                claim(v, rule, "higher_mandate");
            },
            &[CLAIM, rule],
            &[],
        );
    }
    // 第十一条 / 第十五条 “原则上”: all four bases
    for basis in [
        "law_regulation",
        "higher_mandate",
        "special_circumstance",
        "other",
    ] {
        c.check(
            &format!("第十一条 aggregation {basis}"),
            APPLY,
            |v| {
                set(v, "/applicant_status/data_aggregation_done", json!(false));
                claim(v, agg, basis);
            },
            &[],
            &[agg],
        );
        c.check(
            &format!("第十五条 annual list {basis}"),
            APPLY,
            |v| {
                set(v, "/in_annual_list", json!(false));
                claim(v, list, basis);
            },
            &[],
            &[list],
        );
    }
    c.check(
        "第十六条 catalogue is not exemptible",
        APPLY,
        |v| {
            set(v, "/data_resource_catalog/compiled", json!(false));
            claim(v, rc, "law_regulation");
        },
        &[CLAIM, rc],
        &[],
    );
    c.check(
        "第三十条 is not exemptible",
        APPLY,
        |v| {
            set(v, "/applicant_status/has_unaccepted_projects", json!(true));
            claim(v, "bazhong.apply.unit-unaccepted-projects", "other");
        },
        &[CLAIM, "bazhong.apply.unit-unaccepted-projects"],
        &[],
    );
    c.check(
        "a claim for a rule that does not fire still downgrades nothing and is valid",
        APPLY,
        |v| claim(v, hw, "law_regulation"),
        &[],
        &[],
    );
    c.check(
        "one invalid claim does not cancel a valid one",
        APPLY,
        |v| {
            hardware(v);
            set(v, "/in_annual_list", json!(false));
            claim(v, hw, "other");
            claim(v, list, "other");
        },
        &[CLAIM, hw],
        &[list],
    );
    c.check(
        "a claim naming a bazhong rule of another form is invalid here",
        APPLY,
        |v| {
            set(v, "/in_annual_list", json!(false));
            claim(v, "bazhong.contract.om-term-over-3-years", "law_regulation");
        },
        &[CLAIM, list],
        &[],
    );
    c.check(
        "a basis outside the enum is malformed: format error, no downgrade",
        APPLY,
        |v| {
            hardware(v);
            claim(v, hw, "statute");
        },
        &[FMT, hw],
        &[],
    );
    c.check(
        "a claim naming a rule of another pack is invalid",
        APPLY,
        |v| {
            set(v, "/in_annual_list", json!(false));
            claim(v, "potou.apply.om-system-not-in-catalog", "other");
        },
        &[CLAIM, list],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- 第十条、第十一条 sharing

#[test]
fn sharing_platform_and_sharing_exemption() {
    let ds = "bazhong.apply.data-sharing-platform";
    let cr = "bazhong.apply.non-sharing-committee-review";
    let agg = "bazhong.apply.unit-data-aggregation";
    let mut c = Checker::default();
    // business_management keeps 第八条(五) out of the picture
    let bm = |v: &mut Value| set(v, "/system_function_category", json!("business_management"));
    c.check(
        "not connected, no exemption: error",
        APPLY,
        |v| {
            bm(v);
            set(v, "/integrations/data_sharing_platform", json!(false));
        },
        &[ds],
        &[],
    );
    c.check(
        "not connected, exemption reason given: committee warning only",
        APPLY,
        |v| {
            bm(v);
            set(v, "/integrations/data_sharing_platform", json!(false));
            set(
                v,
                "/sharing_exemption",
                json!({"reason": "数据含未公开执法信息，依规定不得对外共享。"}),
            );
        },
        &[],
        &[cr],
    );
    c.check(
        "connected and exemption given: neither",
        APPLY,
        |v| {
            bm(v);
            set(
                v,
                "/sharing_exemption",
                json!({"reason": "数据含未公开执法信息，依规定不得对外共享。"}),
            );
        },
        &[],
        &[],
    );
    c.check(
        "connection flag absent (is not true) without exemption",
        APPLY,
        |v| {
            bm(v);
            del(v, "/integrations/data_sharing_platform");
        },
        &[REQ, ds],
        &[],
    );
    c.check(
        "exemption object without reason: reason absent ⇒ error",
        APPLY,
        |v| {
            bm(v);
            set(v, "/integrations/data_sharing_platform", json!(false));
            set(
                v,
                "/sharing_exemption",
                json!({"legal_basis": "示例条例第五条"}),
            );
        },
        &[REQ, ds],
        &[],
    );
    c.check(
        "integrations absent: neither sharing rule (integrations present is false)",
        APPLY,
        |v| {
            bm(v);
            del(v, "/integrations");
        },
        &[REQ],
        &[],
    );
    c.check(
        "O&M project is not CONSTRUCTION: neither",
        APPLY,
        |v| {
            bm(v);
            set(v, "/project_nature", json!("om"));
            set(v, "/predecessor_project", json!({"project_name": "原示例系统项目", "accepted": true, "acceptance_date": "2023-06-30"}));
            set(v, "/integrations/data_sharing_platform", json!(false));
        },
        &[],
        &[],
    );
    c.check(
        "continuation is CONSTRUCTION",
        APPLY,
        |v| {
            bm(v);
            set(v, "/project_nature", json!("continuation"));
            set(v, "/predecessor_project", json!({"project_name": "原示例系统项目", "accepted": true, "acceptance_date": "2023-06-30"}));
            set(v, "/integrations/data_sharing_platform", json!(false));
        },
        &[ds],
        &[],
    );
    c.check(
        "unit has not aggregated its data",
        APPLY,
        |v| set(v, "/applicant_status/data_aggregation_done", json!(false)),
        &[agg],
        &[],
    );
    c.check(
        "aggregation: service purchase is not CONSTRUCTION",
        APPLY,
        |v| {
            set(v, "/project_nature", json!("service_purchase"));
            set(v, "/applicant_status/data_aggregation_done", json!(false));
        },
        &[],
        &[],
    );
    c.check(
        "applicant_status absent: pack-required, rules silent",
        APPLY,
        |v| del(v, "/applicant_status"),
        &[REQ],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- 第十三条–第二十条 procedure

#[test]
fn upper_prefiling_and_annual_demand() {
    let pf = "bazhong.apply.prefiling-without-upper-funds";
    let nd = "bazhong.apply.annual-demand-next-year";
    let mut c = Checker::default();
    c.info(
        "prefiling notice",
        PREFILING,
        |_| {},
        "bazhong.apply.upper-funded-prefiling",
        true,
    );
    c.info(
        "no notice at approval",
        APPLY,
        |_| {},
        "bazhong.apply.upper-funded-prefiling",
        false,
    );
    c.check(
        "upper funds of 0.00 do not count",
        PREFILING,
        |v| set(v, "/funding_sources", json!([{"source": "upper_fiscal", "amount_wan": "0.00"}, {"source": "local_fiscal", "amount_wan": "200.00"}])),
        &[],
        &[pf],
    );
    c.check(
        "upper funds of 0.01 count",
        PREFILING,
        |v| set(v, "/funding_sources", json!([{"source": "upper_fiscal", "amount_wan": "0.01"}, {"source": "local_fiscal", "amount_wan": "199.99"}])),
        &[],
        &[],
    );
    c.check(
        "an upper entry with a malformed amount does not satisfy the inner comparison",
        PREFILING,
        |v| set(v, "/funding_sources", json!([{"source": "upper_fiscal", "amount_wan": 180}, {"source": "local_fiscal", "amount_wan": "20.00"}])),
        &[AMT],
        &[pf],
    );
    c.check(
        "an upper entry with absent amount does not satisfy the inner comparison",
        PREFILING,
        |v| set(v, "/funding_sources", json!([{"source": "upper_fiscal"}, {"source": "local_fiscal", "amount_wan": "200.00"}])),
        &[REQ],
        &[pf],
    );
    c.check(
        "self-raised funds are not upper funds",
        PREFILING,
        |v| {
            set(
                v,
                "/funding_sources",
                json!([{"source": "self_raised", "amount_wan": "200.00"}]),
            )
        },
        &[],
        &[pf],
    );
    c.check(
        "local-only funding outside prefiling: no warning",
        APPLY,
        |_| {},
        &[],
        &[],
    );
    // 第十四条: plan filed in 2025 must start funding in 2026
    let plan = |v: &mut Value| {
        set(v, "/filing_stage", json!("plan"));
        del(v, "/approval_document");
    };
    c.check("plan for next year", PREFILING, plan, &[], &[]);
    c.check(
        "plan whose first year is the year after next",
        PREFILING,
        |v| {
            plan(v);
            set(
                v,
                "/annual_funding_plan",
                json!([{"year": 2027, "amount_wan": "200.00"}]),
            );
            set(v, "/planned_start_date", json!("2027-03-01"));
            set(v, "/planned_end_date", json!("2027-11-30"));
        },
        &[],
        &[nd],
    );
    c.check(
        "plan for the current year",
        PREFILING,
        |v| {
            plan(v);
            set(v, "/submission_date", json!("2026-01-05"));
        },
        &[],
        &[nd],
    );
    c.check(
        "minimum year counts, not the first entry",
        PREFILING,
        |v| {
            plan(v);
            set(v, "/annual_funding_plan", json!([{"year": 2027, "amount_wan": "50.00"}, {"year": 2026, "amount_wan": "150.00"}]));
            set(v, "/planned_end_date", json!("2027-11-30"));
        },
        &[],
        &[],
    );
    c.check(
        "approval stage is not checked for the next year",
        APPLY,
        |v| set(v, "/submission_date", json!("2024-11-10")),
        &[],
        &[],
    );
    c.finish();
}

#[test]
fn annual_list_documents_and_merged_plan() {
    let list = "bazhong.apply.not-in-annual-list";
    let dm = "bazhong.apply.document-matches-mode";
    let mp = "bazhong.apply.merged-plan-eligibility";
    let fsr = "bazhong.apply.fsr-without-proposal";
    let des = "bazhong.apply.design-without-fsr";
    let mut c = Checker::default();
    c.check(
        "not in annual list",
        APPLY,
        |v| set(v, "/in_annual_list", json!(false)),
        &[list],
        &[],
    );
    c.check(
        "annual-list flag absent: required only",
        APPLY,
        |v| del(v, "/in_annual_list"),
        &[REQ],
        &[],
    );
    c.check(
        "record stage: annual list not checked (and not required)",
        APPLY,
        |v| {
            set(v, "/filing_stage", json!("record"));
            del(v, "/in_annual_list");
            set(v, "/in_special_plan", json!(true));
        },
        &[],
        &[],
    );
    // document types
    let doc = |v: &mut Value, d: &str| {
        set(v, "/approval_document", json!(d));
        attach(v, d);
    };
    c.check(
        "self-build with a construction plan",
        APPLY,
        |v| doc(v, "construction_plan"),
        &[dm],
        &[],
    );
    c.check(
        "self-build with a project plan",
        APPLY,
        |v| doc(v, "project_plan"),
        &[dm],
        &[],
    );
    c.check(
        "self-build with a service-needs plan",
        APPLY,
        |v| doc(v, "service_needs_plan"),
        &[dm],
        &[],
    );
    c.check(
        "self-build with a proposal",
        APPLY,
        |v| doc(v, "project_proposal"),
        &[],
        &[],
    );
    c.check(
        "self-build with a preliminary design after FSR approval",
        APPLY,
        |v| {
            doc(v, "preliminary_design");
            set(v, "/prior_approvals/0/document", json!("feasibility_study"));
        },
        &[],
        &[],
    );
    c.check(
        "preliminary design without FSR approval",
        APPLY,
        |v| doc(v, "preliminary_design"),
        &[],
        &[des],
    );
    c.check(
        "preliminary design, no prior approvals at all",
        APPLY,
        |v| {
            doc(v, "preliminary_design");
            del(v, "/prior_approvals");
        },
        &[],
        &[des],
    );
    c.check(
        "service procurement must file a service-needs plan",
        SERVICE,
        |v| {
            service_ok(v);
            doc(v, "feasibility_study");
        },
        &[dm],
        &[],
    );
    c.check(
        "plan stage: document type not checked",
        PREFILING,
        |v| {
            set(v, "/filing_stage", json!("plan"));
            set(v, "/approval_document", json!("construction_plan"));
        },
        &[],
        &[],
    );
    // 第十七条(三): 总投资不超过300万元 → ≤ 300.00
    let merged = |v: &mut Value, basis: Option<&str>, total: &str| {
        doc(v, "implementation_plan");
        set_total(v, total);
        set(v, "/planned_end_date", json!("2026-12-31"));
        if let Some(b) = basis {
            set(v, "/merge_basis", json!(b));
        }
    };
    c.check(
        "merged plan, 300.00, small investment",
        APPLY,
        |v| merged(v, Some("small_investment"), "300.00"),
        &[],
        &[],
    );
    c.check(
        "merged plan, 300.01, small investment",
        APPLY,
        |v| merged(v, Some("small_investment"), "300.01"),
        &[mp],
        &[],
    );
    c.check(
        "merged plan, 300.01, leadership requirement",
        APPLY,
        |v| merged(v, Some("leadership_requirement"), "300.01"),
        &[],
        &[],
    );
    c.check(
        "merged plan, 300.01, national security emergency",
        APPLY,
        |v| merged(v, Some("national_security_emergency"), "300.01"),
        &[],
        &[],
    );
    c.check(
        "merged plan, 300.00, basis absent: required but eligible",
        APPLY,
        |v| merged(v, None, "300.00"),
        &[REQ],
        &[],
    );
    c.check(
        "merged plan, 300.01, basis absent: not eligible",
        APPLY,
        |v| merged(v, None, "300.01"),
        &[REQ, mp],
        &[],
    );
    c.check(
        "merged plan, malformed total and no basis: comparisons false inside not(…) ⇒ fires",
        APPLY,
        |v| {
            merged(v, None, "250.00");
            set(v, "/total_investment_wan", json!("250.001"));
        },
        &[AMT, REQ, mp],
        &[],
    );
    c.check(
        "merged plan, malformed total but mandate basis: eligible",
        APPLY,
        |v| {
            merged(v, Some("leadership_requirement"), "250.00");
            set(v, "/total_investment_wan", json!(250));
        },
        &[AMT],
        &[],
    );
    // 第十九条: direct FSR
    let no_proposal = |v: &mut Value| del(v, "/prior_approvals");
    c.check(
        "FSR direct, on the annual list",
        APPLY,
        no_proposal,
        &[],
        &[],
    );
    c.check(
        "FSR direct, not on the list: warning besides the list error",
        APPLY,
        |v| {
            no_proposal(v);
            set(v, "/in_annual_list", json!(false));
        },
        &[list],
        &[fsr],
    );
    c.check(
        "FSR direct, in a special plan",
        APPLY,
        |v| {
            no_proposal(v);
            set(v, "/in_annual_list", json!(false));
            set(v, "/in_special_plan", json!(true));
        },
        &[list],
        &[],
    );
    c.check(
        "FSR direct, endorsed by the city",
        APPLY,
        |v| {
            no_proposal(v);
            set(v, "/in_annual_list", json!(false));
            set(v, "/mandated_by_higher_authority", json!({"flag": true, "authority": "municipal", "document_no": "示例巴委〔2025〕2号"}));
        },
        &[list],
        &[],
    );
    c.check(
        "FSR direct, list flag absent (is not true)",
        APPLY,
        |v| {
            no_proposal(v);
            del(v, "/in_annual_list");
        },
        &[REQ],
        &[fsr],
    );
    c.check(
        "FSR with only an unrelated prior approval",
        APPLY,
        |v| {
            set(v, "/prior_approvals/0/document", json!("construction_plan"));
            set(v, "/in_annual_list", json!(false));
        },
        &[list],
        &[fsr],
    );
    c.finish();
}

#[test]
fn service_procurement_conditions() {
    let gw = "bazhong.apply.service-not-goods-or-works";
    let ca = "bazhong.apply.service-cost-advantage";
    let mpv = "bazhong.apply.service-multiple-providers";
    let mut c = Checker::default();
    c.check("goods", SERVICE, |_| {}, &[gw], &[]);
    c.check(
        "works bundled with services",
        SERVICE,
        |v| {
            service_ok(v);
            set(
                v,
                "/service_procurement/bundles_works_and_services",
                json!(true),
            );
        },
        &[gw],
        &[],
    );
    c.check(
        "fee equal to self-build cost is not lower",
        SERVICE,
        |v| {
            service_ok(v);
            set(
                v,
                "/service_procurement/lifetime_service_fee_wan",
                json!("240.00"),
            );
        },
        &[ca],
        &[],
    );
    c.check(
        "fee 0.01 below self-build cost",
        SERVICE,
        |v| {
            service_ok(v);
            set(
                v,
                "/service_procurement/lifetime_service_fee_wan",
                json!("239.99"),
            );
        },
        &[],
        &[],
    );
    c.check(
        "fee malformed: comparison false",
        SERVICE,
        |v| {
            service_ok(v);
            set(
                v,
                "/service_procurement/lifetime_service_fee_wan",
                json!(260),
            );
        },
        &[AMT],
        &[],
    );
    c.check(
        "two providers suffice",
        SERVICE,
        |v| {
            service_ok(v);
            set(v, "/service_procurement/potential_provider_count", json!(2));
        },
        &[],
        &[],
    );
    c.check(
        "a single provider",
        SERVICE,
        |v| {
            service_ok(v);
            set(v, "/service_procurement/potential_provider_count", json!(1));
        },
        &[mpv],
        &[],
    );
    c.check(
        "no provider",
        SERVICE,
        |v| {
            service_ok(v);
            set(v, "/service_procurement/potential_provider_count", json!(0));
        },
        &[mpv],
        &[],
    );
    c.check(
        "service_procurement absent: required at approval, rules silent",
        SERVICE,
        |v| del(v, "/service_procurement"),
        &[REQ],
        &[],
    );
    c.check(
        "plan stage: block not required",
        SERVICE,
        |v| {
            set(v, "/filing_stage", json!("plan"));
            del(v, "/approval_document");
            del(v, "/service_procurement");
            detach(v, "service_needs_plan");
            set(v, "/submission_date", json!("2025-10-10"));
        },
        &[],
        &[],
    );
    c.finish();
}

#[test]
fn pre_review_opinions_and_security_statement() {
    let op = "bazhong.apply.pre-review-opinions";
    let sr = "bazhong.apply.secure-reliable-statement";
    let mut c = Checker::default();
    for k in [
        "opinion_cac",
        "opinion_secrecy",
        "opinion_finance",
        "opinion_public_security",
        "opinion_industry_it",
    ] {
        c.check(&format!("missing {k}"), APPLY, |v| detach(v, k), &[op], &[]);
    }
    c.check(
        "industry authority exists, opinion missing",
        APPLY,
        |v| set(v, "/has_industry_authority", json!(true)),
        &[op],
        &[],
    );
    c.check(
        "industry authority exists, opinion attached",
        APPLY,
        |v| {
            set(v, "/has_industry_authority", json!(true));
            attach(v, "opinion_industry_authority");
        },
        &[],
        &[],
    );
    c.check(
        "industry-authority flag absent: required, no opinion demanded",
        APPLY,
        |v| del(v, "/has_industry_authority"),
        &[REQ],
        &[],
    );
    c.check(
        "security statement missing",
        APPLY,
        |v| detach(v, "secure_reliable_statement"),
        &[sr],
        &[],
    );
    c.check(
        "prefiling: neither opinions nor statement are demanded",
        PREFILING,
        |_| {},
        &[],
        &[],
    );
    c.finish();
}

#[test]
fn cross_department_owner_and_notice() {
    let cd = "bazhong.apply.cross-department-scope";
    let ow = "bazhong.apply.owner-is-principal";
    let mut c = Checker::default();
    let cross = |v: &mut Value, scopes: Vec<Option<&str>>| {
        set(v, "/is_cross_department", json!(true));
        set(
            v,
            "/lead_department",
            json!({"unit_name": "巴中市示例行业管理局", "credit_code": "11511900008745015K"}),
        );
        let deps: Vec<Value> = scopes
            .into_iter()
            .map(|s| {
                let mut d =
                    json!({"unit_name": "巴中市示例参建局", "credit_code": "91510100MA6DJ2R518"});
                if let Some(s) = s {
                    d["scope"] = json!(s);
                }
                d
            })
            .collect();
        set(v, "/participating_departments", Value::Array(deps));
    };
    c.check(
        "all scopes defined",
        APPLY,
        |v| cross(v, vec![Some("负责数据对接"), Some("负责前端应用")]),
        &[],
        &[],
    );
    c.check(
        "one scope missing",
        APPLY,
        |v| cross(v, vec![Some("负责数据对接"), None]),
        &[cd],
        &[],
    );
    c.check(
        "blank scope counts as absent",
        APPLY,
        |v| cross(v, vec![Some("   ")]),
        &[cd],
        &[],
    );
    c.check(
        "too-short scope is malformed, not absent",
        APPLY,
        |v| cross(v, vec![Some("短")]),
        &[FMT],
        &[],
    );
    c.check(
        "not cross-department: scopes irrelevant",
        APPLY,
        |v| {
            cross(v, vec![None]);
            set(v, "/is_cross_department", json!(false));
        },
        &[],
        &[],
    );
    c.check(
        "owner differs from principal",
        APPLY,
        |v| set(v, "/project_owner_name", json!("李四")),
        &[],
        &[ow],
    );
    c.check(
        "owner absent",
        APPLY,
        |v| del(v, "/project_owner_name"),
        &[],
        &[],
    );
    c.check(
        "principal absent",
        APPLY,
        |v| del(v, "/applicant/unit_principal_name"),
        &[],
        &[],
    );
    c.info(
        "civil works notice",
        APPLY,
        |v| set(v, "/involves_civil_works_or_high_energy", json!(true)),
        "bazhong.apply.special-approvals-notice",
        true,
    );
    c.info(
        "no civil works",
        APPLY,
        |_| {},
        "bazhong.apply.special-approvals-notice",
        false,
    );
    c.finish();
}

// ---------------------------------------------------------------- 第三十条、第三十二条、第四十七条

#[test]
fn unit_status_rules_by_project_nature() {
    let ua = "bazhong.apply.unit-unaccepted-projects";
    let om = "bazhong.apply.om-unaccepted-project";
    let sv = "bazhong.apply.unit-sharing-violation";
    let sn = "bazhong.apply.unit-security-noncompliance";
    let mut c = Checker::default();
    let nature = |v: &mut Value, n: &str| {
        set(v, "/project_nature", json!(n));
        if ["om", "upgrade", "continuation"].contains(&n) {
            set(
                v,
                "/predecessor_project",
                json!({"project_name": "原示例系统项目", "accepted": true, "acceptance_date": "2023-06-30"}),
            );
        }
    };
    for (n, build, nre) in [
        ("new_build", true, true),
        ("expansion", true, true),
        ("renovation", true, true),
        ("continuation", true, false),
        ("upgrade", true, false),
        ("om", false, false),
        ("service_purchase", false, false),
    ] {
        let want: &[&str] = if build { &[ua] } else { &[] };
        c.check(
            &format!("{n}: unaccepted projects"),
            APPLY,
            |v| {
                nature(v, n);
                set(v, "/applicant_status/has_unaccepted_projects", json!(true));
            },
            want,
            &[],
        );
        let want: &[&str] = if nre { &[sv] } else { &[] };
        c.check(
            &format!("{n}: sharing violation"),
            APPLY,
            |v| {
                nature(v, n);
                set(v, "/applicant_status/data_sharing_violation", json!(true));
            },
            want,
            &[],
        );
        let want: &[&str] = if nre { &[sn] } else { &[] };
        c.check(
            &format!("{n}: security non-compliance"),
            APPLY,
            |v| {
                nature(v, n);
                set(v, "/applicant_status/security_noncompliant", json!(true));
            },
            want,
            &[],
        );
    }
    c.check(
        "O&M for an unaccepted project",
        APPLY,
        |v| {
            nature(v, "om");
            set(
                v,
                "/predecessor_project",
                json!({"project_name": "原示例系统项目", "accepted": false}),
            );
        },
        &[om],
        &[],
    );
    c.check(
        "O&M, predecessor absent: required, rule silent",
        APPLY,
        |v| {
            nature(v, "om");
            del(v, "/predecessor_project");
        },
        &[REQ],
        &[],
    );
    c.check(
        "flag given as a string is malformed, not true",
        APPLY,
        |v| {
            set(
                v,
                "/applicant_status/has_unaccepted_projects",
                json!("true"),
            )
        },
        &[FMT],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- 第二十五条 change

#[test]
fn change_retroactive_overrun() {
    let ro = "bazhong.change.retroactive-overrun";
    let note = "bazhong.change.change-procedure-notice";
    let mut c = Checker::default();
    c.check("overrun already implemented", CHANGE, |_| {}, &[ro], &[]);
    c.check(
        "no overrun (equal total) already implemented",
        CHANGE,
        |v| {
            set(v, "/adjusted_total_wan", json!("500.00"));
            set(v, "/budget_items/0/adjusted_wan", json!("300.00"));
        },
        &[],
        &[],
    );
    c.check(
        "overrun by 0.01 already implemented",
        CHANGE,
        |v| {
            set(v, "/adjusted_total_wan", json!("500.01"));
            set(v, "/budget_items/0/adjusted_wan", json!("300.01"));
        },
        &[ro],
        &[],
    );
    c.check(
        "overrun not yet implemented: a request",
        CHANGE,
        change_ok,
        &[],
        &[],
    );
    c.check(
        "already_implemented absent: pack-required",
        CHANGE,
        |v| del(v, "/already_implemented"),
        &[REQ],
        &[],
    );
    c.info(
        "procedure notice on content change",
        CHANGE,
        change_ok,
        note,
        true,
    );
    c.info(
        "procedure notice on budget change only",
        CHANGE,
        |v| {
            change_ok(v);
            set(v, "/main_content_changed", json!(false));
        },
        note,
        true,
    );
    c.info(
        "no notice without changes",
        CHANGE,
        |v| {
            change_ok(v);
            set(v, "/main_content_changed", json!(false));
            set(v, "/adjusted_total_wan", json!("500.00"));
            set(v, "/budget_items/0/adjusted_wan", json!("300.00"));
        },
        note,
        false,
    );
    c.finish();
}

// ---------------------------------------------------------------- 第二十七条、第三十八条 contract

#[test]
fn contract_terms_and_ip() {
    let t3 = "bazhong.contract.om-term-over-3-years";
    let t1 = "bazhong.contract.om-annual-contract";
    let ip = "bazhong.contract.ip-terms";
    let mut c = Checker::default();
    let term = |v: &mut Value, s: &str, e: &str| {
        set(v, "/service_term_start_date", json!(s));
        set(v, "/service_term_end_date", json!(e));
    };
    let perf = |v: &mut Value, s: &str, e: &str| {
        set(v, "/performance_start_date", json!(s));
        set(v, "/performance_end_date", json!(e));
    };
    c.check(
        "total term exactly three years",
        CONTRACT,
        |v| term(v, "2025-01-01", "2027-12-31"),
        &[],
        &[],
    );
    c.check(
        "total term three years and a day",
        CONTRACT,
        |v| term(v, "2025-01-01", "2028-01-01"),
        &[t3],
        &[],
    );
    c.check(
        "mid-month start, exactly three years",
        CONTRACT,
        |v| term(v, "2025-01-15", "2028-01-14"),
        &[],
        &[],
    );
    c.check(
        "mid-month start, one day more",
        CONTRACT,
        |v| term(v, "2025-01-15", "2028-01-15"),
        &[t3],
        &[],
    );
    // 2024-02-29 + 36 months → 2027-02-28 (month-end clamp), − 1 day → 2027-02-27
    c.check(
        "leap-day start: last allowed day is add_months − 1 day",
        CONTRACT,
        |v| {
            perf(v, "2024-02-29", "2025-02-27");
            term(v, "2024-02-29", "2027-02-27");
        },
        &[],
        &[],
    );
    c.check(
        "leap-day start: clamped anniversary is beyond the span",
        CONTRACT,
        |v| {
            perf(v, "2024-02-29", "2025-02-27");
            term(v, "2024-02-29", "2027-02-28");
        },
        &[t3],
        &[],
    );
    c.check(
        "leap-day start: one-year contract to the clamped anniversary runs longer than a year",
        CONTRACT,
        |v| {
            perf(v, "2024-02-29", "2025-02-28");
            term(v, "2024-02-29", "2027-02-27");
        },
        &[],
        &[t1],
    );
    c.check(
        "no service term: performance period is the total term (within 3 years, over 1)",
        CONTRACT,
        |v| {
            del(v, "/service_term_start_date");
            del(v, "/service_term_end_date");
            perf(v, "2025-01-01", "2027-12-31");
        },
        &[],
        &[t1],
    );
    c.check(
        "no service term: performance period over three years",
        CONTRACT,
        |v| {
            del(v, "/service_term_start_date");
            del(v, "/service_term_end_date");
            perf(v, "2025-01-01", "2028-01-01");
        },
        &[t3],
        &[t1],
    );
    c.check(
        "service term given: performance period is not the total term",
        CONTRACT,
        |v| {
            perf(v, "2025-01-01", "2028-06-30");
            term(v, "2025-01-01", "2027-12-31");
        },
        &[],
        &[t1],
    );
    c.check(
        "one-year contract, one day more",
        CONTRACT,
        |v| perf(v, "2025-01-01", "2026-01-01"),
        &[],
        &[t1],
    );
    c.check(
        "contract of less than a year",
        CONTRACT,
        |v| perf(v, "2025-03-01", "2025-12-31"),
        &[],
        &[],
    );
    c.check(
        "not an O&M contract: terms unchecked",
        CONTRACT,
        |v| {
            set(v, "/contract_kind", json!("construction"));
            perf(v, "2025-01-01", "2026-06-30");
            term(v, "2025-01-01", "2029-12-31");
        },
        &[],
        &[],
    );
    c.check(
        "malformed service-term end: comparison false",
        CONTRACT,
        |v| term(v, "2025-01-01", "2028-02-30"),
        &[FMT],
        &[],
    );
    c.check(
        "software development without IP terms",
        CONTRACT,
        |v| set(v, "/involves_software_development", json!(true)),
        &[ip],
        &[],
    );
    c.check(
        "software development, IP terms not defined",
        CONTRACT,
        |v| {
            set(v, "/involves_software_development", json!(true));
            set(v, "/ip_terms", json!({"defined": false}));
        },
        &[ip],
        &[],
    );
    c.check(
        "software development, IP terms defined",
        CONTRACT,
        |v| {
            set(v, "/involves_software_development", json!(true));
            set(
                v,
                "/ip_terms",
                json!({"defined": true, "owner": "project_unit"}),
            );
        },
        &[],
        &[],
    );
    c.check(
        "software flag absent: required, rule silent",
        CONTRACT,
        |v| del(v, "/involves_software_development"),
        &[REQ],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- 第二十八条、第二十九条 acceptance

#[test]
fn acceptance_trial_run_pre_acceptance_materials() {
    let tr = "bazhong.accept.trial-run-3-months";
    let tn = "bazhong.accept.trial-run-normal";
    let ac = "bazhong.accept.all-content-complete";
    let pa = "bazhong.accept.pre-acceptance";
    let pf = "bazhong.accept.pre-acceptance-filed";
    let mat = "bazhong.accept.materials";
    let mut c = Checker::default();
    let trial = |v: &mut Value, s: &str, e: &str| {
        accept_ok(v);
        set(v, "/trial_run/start_date", json!(s));
        set(v, "/trial_run/end_date", json!(e));
    };
    c.check(
        "exactly three months",
        ACCEPT,
        |v| trial(v, "2025-01-10", "2025-04-10"),
        &[],
        &[],
    );
    c.check(
        "one day short",
        ACCEPT,
        |v| trial(v, "2025-01-10", "2025-04-09"),
        &[tr],
        &[],
    );
    // 2024-11-30 + 3 months → 2025-02-28 (clamped)
    c.check(
        "month-end clamp reached",
        ACCEPT,
        |v| trial(v, "2024-11-30", "2025-02-28"),
        &[],
        &[],
    );
    c.check(
        "month-end clamp missed",
        ACCEPT,
        |v| trial(v, "2024-11-30", "2025-02-27"),
        &[tr],
        &[],
    );
    c.check(
        "no trial run at all",
        ACCEPT,
        |v| {
            accept_ok(v);
            del(v, "/trial_run");
        },
        &[tr],
        &[],
    );
    c.check(
        "trial end malformed: comparison false (format error only)",
        ACCEPT,
        |v| trial(v, "2025-01-10", "2025-04-31"),
        &[FMT],
        &[],
    );
    c.check(
        "trial run not normal",
        ACCEPT,
        |v| {
            accept_ok(v);
            set(v, "/trial_run/normal", json!(false));
        },
        &[tn],
        &[],
    );
    c.check(
        "content incomplete",
        ACCEPT,
        |v| {
            accept_ok(v);
            set(v, "/all_content_completed", json!(false));
        },
        &[ac],
        &[],
    );
    c.check("pre-acceptance not done", ACCEPT, |_| {}, &[pa], &[]);
    c.check(
        "pre-acceptance absent",
        ACCEPT,
        |v| {
            accept_ok(v);
            del(v, "/pre_acceptance");
        },
        &[pa],
        &[],
    );
    c.check(
        "pre-acceptance done, report missing",
        ACCEPT,
        |v| {
            accept_ok(v);
            detach(v, "pre_acceptance_report");
        },
        &[pa],
        &[],
    );
    c.check(
        "pre-acceptance not reported to the office",
        ACCEPT,
        |v| {
            accept_ok(v);
            set(v, "/pre_acceptance/filed_with_office", json!(false));
        },
        &[],
        &[pf],
    );
    c.check(
        "office report flag absent (is not true)",
        ACCEPT,
        |v| {
            accept_ok(v);
            del(v, "/pre_acceptance/filed_with_office");
        },
        &[REQ],
        &[pf],
    );
    for k in [
        "construction_summary",
        "financial_report",
        "audit_report",
        "info_sharing_report",
        "third_party_test_report",
        "security_risk_assessment",
        "djcp_test_report",
        "data_security_risk_assessment",
        "crypto_assessment_report",
    ] {
        c.check(
            &format!("material {k} missing"),
            ACCEPT,
            |v| {
                accept_ok(v);
                detach(v, k);
            },
            &[mat],
            &[],
        );
    }
    c.check(
        "O&M project: none of the construction acceptance rules",
        ACCEPT,
        |v| {
            set(v, "/project_nature", json!("om"));
            del(v, "/trial_run");
            del(v, "/completion_date");
            set(v, "/attachments", json!([]));
        },
        &[],
        &[],
    );
    c.check(
        "pre-acceptance stage: final-acceptance rules do not apply",
        ACCEPT,
        |v| {
            set(v, "/acceptance_stage", json!("pre_acceptance"));
            del(v, "/trial_run");
            set(v, "/attachments", json!([]));
        },
        &[],
        &[],
    );
    c.check(
        "stage outside the bazhong domain is malformed",
        ACCEPT,
        |v| set(v, "/acceptance_stage", json!("initial")),
        &[FMT],
        &[],
    );
    c.finish();
}

#[test]
fn accept_record_upper_level_result() {
    let mut c = Checker::default();
    let upper = |v: &mut Value| {
        set(v, "/record_kind", json!("upper_level_result"));
        set(
            v,
            "/attachments",
            json!([{"kind": "acceptance_report", "file_name": "acceptance_report.pdf"}]),
        );
    };
    c.check(
        "upper-level result with report",
        ACCEPT_RECORD,
        upper,
        &[],
        &[],
    );
    c.info(
        "upper-level result notice",
        ACCEPT_RECORD,
        upper,
        "bazhong.accept-record.upper-level-result",
        true,
    );
    c.info(
        "pre-acceptance record: no notice",
        ACCEPT_RECORD,
        |_| {},
        "bazhong.accept-record.upper-level-result",
        false,
    );
    c.check(
        "upper-level result without report",
        ACCEPT_RECORD,
        |v| {
            upper(v);
            set(v, "/attachments", json!([]));
        },
        &[REQ],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- 第四十一条 monitoring

#[test]
fn monitoring_report() {
    let ye = "bazhong.monitor.year-end-deadline";
    let rc = "bazhong.monitor.required-content";
    let te = "bazhong.monitor.trial-run-effect";
    let op = "bazhong.monitor.user-supervisor-opinions";
    let mut c = Checker::default();
    let on = |v: &mut Value, d: &str| {
        monitor_ok(v);
        set(v, "/submission_date", json!(d));
    };
    c.check(
        "filed on 31 December",
        MONITOR,
        |v| on(v, "2025-12-31"),
        &[],
        &[],
    );
    c.check(
        "filed on 1 January",
        MONITOR,
        |v| on(v, "2026-01-01"),
        &[],
        &[ye],
    );
    c.check(
        "filed during the year",
        MONITOR,
        |v| on(v, "2025-06-30"),
        &[],
        &[],
    );
    c.check(
        "report year absent: required, deadline silent",
        MONITOR,
        |v| {
            on(v, "2026-01-05");
            del(v, "/report_year");
        },
        &[REQ],
        &[],
    );
    for f in [
        "progress_description",
        "funds_planned_wan",
        "funds_executed_wan",
    ] {
        c.check(
            &format!("{f} absent"),
            MONITOR,
            |v| {
                monitor_ok(v);
                del(v, &format!("/{f}"));
            },
            &[rc],
            &[],
        );
    }
    c.check(
        "blank progress counts as absent",
        MONITOR,
        |v| {
            monitor_ok(v);
            set(v, "/progress_description", json!("   "));
        },
        &[rc],
        &[],
    );
    c.check(
        "in trial run without effect",
        MONITOR,
        |v| {
            monitor_ok(v);
            set(v, "/in_trial_run", json!(true));
        },
        &[te],
        &[],
    );
    c.check(
        "in trial run with effect",
        MONITOR,
        |v| {
            monitor_ok(v);
            set(v, "/in_trial_run", json!(true));
            set(
                v,
                "/trial_run_effect",
                json!("试运行平稳，发现两处接口超时问题已整改。"),
            );
        },
        &[],
        &[],
    );
    c.check(
        "user unit opinion missing",
        MONITOR,
        |v| {
            monitor_ok(v);
            detach(v, "user_unit_opinion");
        },
        &[op],
        &[],
    );
    c.check(
        "supervisor opinion missing",
        MONITOR,
        |v| {
            monitor_ok(v);
            detach(v, "supervision_unit_opinion");
        },
        &[op],
        &[],
    );
    c.check(
        "no supervisor: its opinion is not needed",
        MONITOR,
        |v| {
            monitor_ok(v);
            detach(v, "supervision_unit_opinion");
            set(v, "/has_supervision_unit", json!(false));
        },
        &[],
        &[],
    );
    c.check(
        "issue report: annual rules do not apply",
        MONITOR,
        |v| {
            set(v, "/report_type", json!("issue"));
            set(v, "/issue_types", json!(["serious_delay"]));
            set(
                v,
                "/issue_description",
                json!("工程严重逾期，主体开发进度落后计划约五个月。"),
            );
            del(v, "/progress_description");
            set(v, "/attachments", json!([]));
        },
        &[],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- 第四十二条 self-evaluation window

#[test]
fn self_evaluation_window_12_to_24_months() {
    let w = "bazhong.self-eval.window-12-24-months";
    let rs = "bazhong.self-eval.required-sections";
    let mut c = Checker::default();
    let at = |v: &mut Value, op: &str, sub: &str| {
        set(v, "/acceptance_date", json!(op));
        set(v, "/operation_start_date", json!(op));
        set(v, "/submission_date", json!(sub));
    };
    c.check(
        "12 months to the day",
        SELF_EVAL,
        |v| at(v, "2024-03-15", "2025-03-15"),
        &[],
        &[],
    );
    c.check(
        "one day before 12 months",
        SELF_EVAL,
        |v| at(v, "2024-03-15", "2025-03-14"),
        &[],
        &[w],
    );
    c.check(
        "24 months to the day",
        SELF_EVAL,
        |v| at(v, "2024-03-15", "2026-03-15"),
        &[],
        &[],
    );
    c.check(
        "one day after 24 months",
        SELF_EVAL,
        |v| at(v, "2024-03-15", "2026-03-16"),
        &[],
        &[w],
    );
    // 2024-02-29 + 12 → 2025-02-28; + 24 → 2026-02-28
    c.check(
        "leap day +12 clamps to 28 Feb",
        SELF_EVAL,
        |v| at(v, "2024-02-29", "2025-02-28"),
        &[],
        &[],
    );
    c.check(
        "leap day, day before clamp",
        SELF_EVAL,
        |v| at(v, "2024-02-29", "2025-02-27"),
        &[],
        &[w],
    );
    c.check(
        "leap day +24 clamps to 28 Feb",
        SELF_EVAL,
        |v| at(v, "2024-02-29", "2026-02-28"),
        &[],
        &[],
    );
    c.check(
        "leap day, day after +24",
        SELF_EVAL,
        |v| at(v, "2024-02-29", "2026-03-01"),
        &[],
        &[w],
    );
    c.check(
        "31st +12 to a 31-day month",
        SELF_EVAL,
        |v| at(v, "2024-08-31", "2025-08-31"),
        &[],
        &[],
    );
    c.check(
        "31st, day before",
        SELF_EVAL,
        |v| at(v, "2024-08-31", "2025-08-30"),
        &[],
        &[w],
    );
    c.check(
        "window counts from go-live, not acceptance",
        SELF_EVAL,
        |v| {
            set(v, "/acceptance_date", json!("2024-01-10"));
            set(v, "/operation_start_date", json!("2024-06-01"));
            set(v, "/submission_date", json!("2025-05-31"));
        },
        &[],
        &[w],
    );
    c.check(
        "go-live absent: required, window silent",
        SELF_EVAL,
        |v| del(v, "/operation_start_date"),
        &[REQ],
        &[],
    );
    c.check(
        "go-live malformed: comparison false",
        SELF_EVAL,
        |v| set(v, "/operation_start_date", json!("2024-02-30")),
        &[FMT],
        &[],
    );
    for s in ["resource_use", "data_sharing", "info_security"] {
        c.check(
            &format!("section {s} missing"),
            SELF_EVAL,
            |v| {
                let all = [
                    "resource_use",
                    "data_sharing",
                    "info_security",
                    "application_effect",
                ];
                let keep: Vec<&str> = all.iter().copied().filter(|x| *x != s).collect();
                set(v, "/sections_covered", json!(keep));
            },
            &[rs],
            &[],
        );
    }
    c.check(
        "extra sections are fine",
        SELF_EVAL,
        |v| {
            set(
                v,
                "/sections_covered",
                json!([
                    "info_security",
                    "system_operation",
                    "resource_use",
                    "data_sharing"
                ]),
            )
        },
        &[],
        &[],
    );
    c.check(
        "sections absent: required, rule silent",
        SELF_EVAL,
        |v| del(v, "/sections_covered"),
        &[REQ],
        &[],
    );
    c.check(
        "eval_type outside the bazhong domain is malformed",
        SELF_EVAL,
        |v| set(v, "/eval_type", json!("performance")),
        &[FMT],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- 第二十六条 termination

#[test]
fn termination_conditions() {
    let sp = "bazhong.terminate.substantive-progress";
    let rs = "bazhong.terminate.reason";
    let tu = "bazhong.terminate.target-unachievable";
    let mut c = Checker::default();
    c.check(
        "external environment",
        TERMINATE,
        |v| set(v, "/reason_category", json!("external_environment")),
        &[],
        &[],
    );
    c.check(
        "objective unattainable is no reason",
        TERMINATE,
        |v| set(v, "/reason_category", json!("objective_unattainable")),
        &[rs],
        &[],
    );
    c.check(
        "other is no reason",
        TERMINATE,
        |v| set(v, "/reason_category", json!("other")),
        &[rs],
        &[],
    );
    c.check(
        "reason absent: required, ∉ is a comparison",
        TERMINATE,
        |v| del(v, "/reason_category"),
        &[REQ],
        &[],
    );
    c.check(
        "reason outside the enum: malformed",
        TERMINATE,
        |v| set(v, "/reason_category", json!("budget_cut")),
        &[FMT],
        &[],
    );
    c.check(
        "no substantive progress",
        TERMINATE,
        |v| set(v, "/has_substantive_progress", json!(false)),
        &[sp],
        &[],
    );
    c.check(
        "progress flag absent",
        TERMINATE,
        |v| del(v, "/has_substantive_progress"),
        &[REQ],
        &[],
    );
    c.check(
        "target still achievable",
        TERMINATE,
        |v| set(v, "/overall_target_unachievable", json!(false)),
        &[tu],
        &[],
    );
    c.check(
        "target flag null = absent",
        TERMINATE,
        |v| set(v, "/overall_target_unachievable", Value::Null),
        &[REQ],
        &[],
    );
    c.finish();
}

// ---------------------------------------------------------------- §1 / §2.3

#[test]
fn forms_offered_and_restricted_domains() {
    for form in ["procure", "fund"] {
        assert!(
            validator_core::validate("bazhong", form, &json!({})).is_err(),
            "bazhong must not offer {form}"
        );
    }
    let mut c = Checker::default();
    c.check(
        "plan_addition is outside bazhong filing stages",
        PREFILING,
        |v| set(v, "/filing_stage", json!("plan_addition")),
        &[FMT],
        &[],
    );
    c.check(
        "record is a bazhong filing stage",
        PREFILING,
        |v| set(v, "/filing_stage", json!("record")),
        &[],
        &[],
    );
    c.finish();
}
