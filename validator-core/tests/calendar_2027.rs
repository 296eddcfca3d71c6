//! Issue 3: a year file written from the documented format (an invented 2027 — test data, not a
//! real notice) is accepted, and a working-day deadline that walks into 2027 is computed once it
//! is loaded; before that the calendar-coverage warning fires and the deadline rule is skipped.

use serde_json::{json, Value};
use validator_core::{Calendar, Date, Validator};

const TEST_2027: &str = include_str!("data/2027-test.json");

fn contract(signing: &str, submission: &str) -> Value {
    json!({
        "submission_date": submission,
        "applicant": {"unit_name": "泰州医药高新区示例局", "credit_code": "114408040073500118", "unit_kind": "party_government",
                      "admin_level": "district_county", "contact_name": "王敏", "contact_mobile": "13912345678"},
        "project_name": "高港区示例数据平台运维项目", "project_nature": "om", "project_total_wan": "80.00",
        "contract_kind": "om", "contract_no": "GG-2026-001", "signing_date": signing, "contract_amount_wan": "80.00",
        "supplier": {"unit_name": "示例科技有限公司", "credit_code": "91350100M000100Y43"},
        "procurement_method": "public_tender", "performance_start_date": "2027-01-01", "performance_end_date": "2027-12-31",
        "involves_software_development": false,
        "attachments": [{"kind": "procurement_documents", "file_name": "a.pdf"}, {"kind": "award_documents", "file_name": "b.pdf"},
                        {"kind": "contract_copy", "file_name": "c.pdf"}, {"kind": "payment_plan", "file_name": "d.pdf"}]
    })
}

fn rules(v: &Validator, data: &Value) -> (Vec<String>, Vec<String>) {
    let r = v.validate("gaogang", "contract", data).unwrap();
    let ids = |s| r.rules_with(s).into_iter().map(String::from).collect();
    (ids("error"), ids("warning"))
}

#[test]
fn the_2027_test_file_is_a_valid_year_file() {
    let f = Calendar::parse_year(TEST_2027).expect("documented format");
    assert_eq!(f.year, 2027);
    assert!(f.notice.contains("TEST DATA"));
}

#[test]
fn a_deadline_walking_into_2027_is_computed_once_the_year_is_loaded() {
    let builtin = Validator::new(Calendar::builtin());
    let with_2027 = Validator::new(Calendar::builtin().with_year_json(TEST_2027).unwrap());
    assert_ne!(
        builtin.rule_set().digest,
        with_2027.rule_set().digest,
        "the calendar is part of the rule set"
    );

    // Signed Thu 2026-12-24: the 10th working day lies in 2027.
    let late = contract("2026-12-24", "2027-01-20");
    let (_, w) = rules(&builtin, &late);
    assert_eq!(
        w,
        ["common.contract.calendar-not-covered"],
        "without 2027 the deadline is undefined"
    );
    let (_, w) = rules(&with_2027, &late);
    assert_eq!(
        w,
        ["gaogang.contract.filing-10-working-days"],
        "with 2027 the late filing is caught"
    );

    // 12-25, 12-28..31 (5), 01-04..08 (5): the 10th working day is Fri 2027-01-08.
    let d = |s| Date::parse(s).unwrap();
    assert_eq!(
        with_2027.calendar().add_working_days(d("2026-12-24"), 10),
        Some(d("2027-01-08"))
    );
    let on_time = contract("2026-12-24", "2027-01-08");
    assert_eq!(rules(&with_2027, &on_time), (vec![], vec![]));
    // The invented make-up Saturday 2027-02-13 counts; the invented spring festival does not.
    assert_eq!(
        with_2027.calendar().add_working_days(d("2027-02-04"), 1),
        Some(d("2027-02-12"))
    );
    assert_eq!(
        with_2027.calendar().add_working_days(d("2027-02-12"), 1),
        Some(d("2027-02-13"))
    );
}
