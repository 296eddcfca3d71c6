//! End-to-end tests of the `api-server` command line: exit statuses, one-line input errors, and
//! byte-for-byte identity of the printed reports with `validator_core`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use validator_core::{Calendar, Validator};

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/cases/potou.json");
const CAL_2025: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../validator-core/calendar/2025.json"
);
const CAL_2026: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../validator-core/calendar/2026.json"
);
const CAL_2027_TEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/2027-test.json");

/// A fresh temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("shenbao-cli-{}-{tag}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(CASES).expect("shared cases");
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn case(id: &str) -> Value {
    cases()
        .into_iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("case {id}"))
}

fn api() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_api-server"));
    c.env_remove("SHENBAO_CALENDAR_DIR");
    c
}

fn run(args: &[&str]) -> Output {
    api().args(args).output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// Asserts exit 2 with exactly one `error: …` line on stderr, no panic, nothing on stdout.
fn assert_input_error(o: &Output, contains: &str) {
    let err = stderr(o);
    assert_eq!(code(o), 2, "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one stderr line expected: {err:?}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains(contains),
        "{err:?} should mention {contains:?}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(o));
}

fn validate_json(dir: &TempDir, id: &str) -> (PathBuf, String) {
    let c = case(id);
    let p = dir.write(&format!("{id}.json"), &c["data"].to_string());
    let expected = validator_core::validate("potou", c["form"].as_str().unwrap(), &c["data"])
        .unwrap()
        .to_canonical_json();
    (p, expected)
}

#[test]
fn valid_file_exits_0_with_the_core_report() {
    let dir = TempDir::new("valid");
    let (p, expected) = validate_json(&dir, "potou-apply-001");
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{expected}\n"));
    let parsed: Value = serde_json::from_str(stdout(&o).trim_end()).unwrap();
    assert_eq!(parsed["valid"], true);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn invalid_file_exits_1_with_the_core_report() {
    let dir = TempDir::new("invalid");
    let (p, expected) = validate_json(&dir, "potou-apply-010");
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        "--format",
        "json",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{expected}\n"));
    let parsed: Value = serde_json::from_str(stdout(&o).trim_end()).unwrap();
    assert_eq!(parsed["valid"], false);
    assert!(parsed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "common.any.email-format"));
}

#[test]
fn every_potou_case_matches_the_core_and_its_expectation() {
    let dir = TempDir::new("all");
    for c in cases() {
        let id = c["id"].as_str().unwrap();
        let form = c["form"].as_str().unwrap();
        let (p, expected) = validate_json(&dir, id);
        let o = run(&[
            "validate",
            "--jurisdiction",
            "potou",
            "--form",
            form,
            p.to_str().unwrap(),
        ]);
        let valid = c["expect"]["valid_for_final_submission"].as_bool().unwrap();
        assert_eq!(code(&o), if valid { 0 } else { 1 }, "{id}: {}", stderr(&o));
        assert_eq!(stdout(&o), format!("{expected}\n"), "{id}");
    }
}

#[test]
fn text_format_is_a_chinese_summary() {
    let dir = TempDir::new("text");
    let (p, _) = validate_json(&dir, "potou-apply-010");
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        "--format",
        "text",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with(p.to_str().unwrap()) && first.contains("不通过"),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.contains("common.any.email-format"))
        .expect("finding line");
    assert!(
        line.trim_start().starts_with("错误") && line.contains("/applicant/contact_email"),
        "{line}"
    );
    assert!(line.contains("电子邮箱"), "{line}");
    // a regulation's finding carries its citation
    assert!(
        out.lines()
            .any(|l| l.contains("提示") && l.contains("依据《")),
        "{out}"
    );

    let (p, _) = validate_json(&dir, "potou-apply-001");
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        "--format",
        "text",
        p.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).lines().next().unwrap().contains(": 通过"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_directory_gives_one_line_per_file_and_a_summary() {
    let dir = TempDir::new("dir");
    let ids = [
        "potou-apply-001",
        "potou-apply-004",
        "potou-apply-010",
        "potou-apply-011",
        "potou-apply-013",
    ];
    let mut expected = Vec::new();
    for id in ids {
        expected.push(validate_json(&dir, id).1);
    }
    dir.write("notes.txt", "not a filing");
    std::fs::create_dir(dir.path().join("sub.json")).unwrap(); // a directory named *.json is skipped
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines, expected, "one report per file, sorted by name");
    let err = stderr(&o);
    assert!(
        !err.contains('\r'),
        "no progress bar when stderr is not a terminal: {err:?}"
    );
    assert!(
        err.contains("summary: 5 files, 2 valid, 3 invalid"),
        "{err}"
    );
    let rule_lines: Vec<&str> = err
        .lines()
        .filter(|l| l.trim_start().starts_with(char::is_numeric))
        .collect();
    assert!(!rule_lines.is_empty() && rule_lines.len() <= 5, "{err}");
    assert!(
        err.contains("common.any.field-format") || err.contains("potou.apply."),
        "{err}"
    );
    // counts are sorted, most frequent first
    let counts: Vec<usize> = rule_lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{err}");
}

#[test]
fn a_bad_file_among_several_is_reported_and_the_rest_validated() {
    let dir = TempDir::new("mixed");
    let (good, expected) = validate_json(&dir, "potou-apply-001");
    let bad = dir.write("bad.json", "{\"submission_date\": ");
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), format!("{expected}\n"));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("error: {}: malformed JSON", bad.display())),
        "{err}"
    );
}

#[test]
fn input_errors_exit_2_with_one_line() {
    let dir = TempDir::new("errors");
    let (good, _) = validate_json(&dir, "potou-apply-001");
    let good = good.to_str().unwrap();
    let missing = dir.path().join("missing.json");
    let malformed = dir.write("malformed.json", "{\"a\": [1, 2,\n");
    let array = dir.write("array.json", "[{\"submission_date\": \"2025-09-15\"}]");
    let v = |j: &str, f: &str, p: &str| run(&["validate", "--jurisdiction", j, "--form", f, p]);

    let o = v("potou", "apply", missing.to_str().unwrap());
    assert_input_error(&o, &format!("error: {}: ", missing.display()));
    let o = v("potou", "apply", malformed.to_str().unwrap());
    assert_input_error(&o, "malformed JSON");
    let o = v("potou", "apply", array.to_str().unwrap());
    assert_input_error(&o, "data must be a JSON object");
    let o = v("atlantis", "apply", good);
    assert_input_error(&o, "unknown jurisdiction “atlantis”");
    let o = v("potou", "nonsense", good);
    assert_input_error(&o, "unknown form “nonsense”");
    let o = v("potou", "procure", good);
    assert_input_error(&o, "form procure is not filed in jurisdiction potou");
    // jurisdiction and form are checked before any file is read
    let o = v("atlantis", "apply", missing.to_str().unwrap());
    assert_input_error(&o, "unknown jurisdiction");
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["validate", "--jurisdiction", "potou", "some.json"]);
    assert_eq!(code(&o), 2);
    assert!(!stderr(&o).contains("panicked"));
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        "--format",
        "xml",
        "some.json",
    ]);
    assert_eq!(code(&o), 2);
    let o = run(&["validate", "--jurisdiction", "potou", "--form", "apply"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn calendar_check_accepts_the_built_in_years() {
    let o = run(&["calendar", "check", CAL_2025, CAL_2026]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().all(|l| l.starts_with("ok: ")), "{out}");
    assert!(
        out.contains("(2025: ") && out.contains("(2026: 33 days off, 6 make-up working days)"),
        "{out}"
    );
}

#[test]
fn calendar_check_names_the_offending_field() {
    let dir = TempDir::new("cal");
    let text = std::fs::read_to_string(CAL_2026).unwrap();
    let weekday = dir.write(
        "2026-weekday.json",
        &text.replace("\"2026-02-14\"", "\"2026-02-16\""),
    );
    let o = run(&["calendar", "check", CAL_2025, weekday.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert_eq!(
        stdout(&o).lines().count(),
        1,
        "the good file is still reported ok"
    );
    let err = stderr(&o);
    assert_eq!(err.trim_end(), format!("error: {}: working_days[1]: 2026-02-16 is a weekday; only a Saturday or Sunday can be a make-up working day", weekday.display()));

    let outside = dir.write(
        "2026-outside.json",
        &text.replace("\"to\": \"2026-10-07\"", "\"to\": \"2027-10-07\""),
    );
    let o = run(&["calendar", "check", outside.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains(": days_off[6].to: "), "{}", stderr(&o));

    let unnamed = dir.write(
        "2026-unnamed.json",
        &text.replace("国务院办公厅关于2026年部分节假日安排的通知", " "),
    );
    let o = run(&["calendar", "check", unnamed.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains(": notice: "), "{}", stderr(&o));

    let o = run(&[
        "calendar",
        "check",
        dir.path().join("nope.json").to_str().unwrap(),
        weekday.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2, "unreadable wins over invalid");
}

#[test]
fn calendar_check_accepts_the_made_up_2027_test_year() {
    let text = std::fs::read_to_string(CAL_2027_TEST).unwrap();
    assert!(text.contains("TEST DATA — invented 2027 schedule, not a real State Council notice"));
    let o = run(&["calendar", "check", CAL_2027_TEST]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!("ok: {CAL_2027_TEST} (2027: 19 days off, 4 make-up working days)\n")
    );
}

#[test]
fn operator_calendars_extend_the_built_in_one() {
    let dir = TempDir::new("opcal");
    let (p, builtin_report) = validate_json(&dir, "potou-apply-001");
    let text = std::fs::read_to_string(CAL_2027_TEST).unwrap();
    let v = Validator::new(Calendar::builtin().with_year_json(&text).unwrap());
    let expected = v
        .validate("potou", "apply", &case("potou-apply-001")["data"])
        .unwrap()
        .to_canonical_json();
    assert_ne!(
        expected, builtin_report,
        "the rule-set digest covers the calendar"
    );

    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        "--calendar",
        CAL_2027_TEST,
        p.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{expected}\n"));

    let caldir = TempDir::new("caldir");
    caldir.write("2027.json", &text);
    caldir.write("README.txt", "ignored");
    let o = api()
        .args([
            "validate",
            "--jurisdiction",
            "potou",
            "--form",
            "apply",
            p.to_str().unwrap(),
        ])
        .env("SHENBAO_CALENDAR_DIR", caldir.path())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{expected}\n"));

    let o = api()
        .args(["calendar", "show", "--year", "2027"])
        .env("SHENBAO_CALENDAR_DIR", caldir.path())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("2027-01-31  周日  调休上班"),
        "{}",
        stdout(&o)
    );

    // a bad year file is an input error naming file and field
    let bad = caldir.write(
        "2027-bad.json",
        &text.replace("\"2027-01-31\"", "\"2027-02-01\""),
    );
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        "--calendar",
        bad.to_str().unwrap(),
        p.to_str().unwrap(),
    ]);
    assert_input_error(&o, &format!("error: {}: working_days[0]: ", bad.display()));
    let o = api()
        .args([
            "validate",
            "--jurisdiction",
            "potou",
            "--form",
            "apply",
            p.to_str().unwrap(),
        ])
        .env("SHENBAO_CALENDAR_DIR", caldir.path())
        .output()
        .unwrap();
    assert_input_error(&o, "working_days[0]");
    let o = run(&[
        "validate",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        "--calendar",
        "/nonexistent/2027.json",
        p.to_str().unwrap(),
    ]);
    assert_input_error(&o, "error: /nonexistent/2027.json: ");
}

#[test]
fn calendar_show_prints_the_built_in_years() {
    let o = run(&["calendar", "show", "--year", "2026"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("2026-02-14  周六  调休上班"), "{out}");
    assert!(out.contains("2026-10-01  周四  放假（国庆节）"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("2025-")), "{out}");
    let o = run(&["calendar", "show"]);
    assert!(stdout(&o).contains("2025-01-26  周日  调休上班"));
    let o = run(&["calendar", "show", "--year", "1999"]);
    assert_input_error(&o, "no calendar loaded for year 1999");
}

#[test]
fn forms_lists_the_catalog_as_json() {
    let o = run(&["forms"]);
    assert_eq!(code(&o), 0);
    let printed: Value = serde_json::from_str(stdout(&o).trim_end()).unwrap();
    assert_eq!(
        printed,
        serde_json::to_value(validator_core::info::forms()).unwrap()
    );
    let o = run(&["forms", "--format", "text"]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.trim_start().starts_with("apply")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn checklist_prints_the_core_checklist() {
    let dir = TempDir::new("checklist");
    for id in ["potou-apply-001", "potou-apply-013"] {
        let c = case(id);
        let p = dir.write("data.json", &c["data"].to_string());
        let list = validator_core::checklist::checklist(
            Validator::builtin(),
            "potou",
            "apply",
            &c["data"],
        )
        .unwrap();
        let missing = list.items.iter().any(|i| i.required && !i.attached);
        let o = run(&[
            "checklist",
            "--jurisdiction",
            "potou",
            "--form",
            "apply",
            "--format",
            "json",
            p.to_str().unwrap(),
        ]);
        assert_eq!(
            code(&o),
            if missing { 1 } else { 0 },
            "{id}: {}",
            stderr(&o)
        );
        assert_eq!(
            stdout(&o),
            format!("{}\n", serde_json::to_string(&list).unwrap()),
            "{id}"
        );

        let o = run(&[
            "checklist",
            "--jurisdiction",
            "potou",
            "--form",
            "apply",
            "--format",
            "text",
            p.to_str().unwrap(),
        ]);
        let out = stdout(&o);
        if list.items.is_empty() {
            assert_eq!(out.lines().count(), 1);
        } else {
            assert_eq!(out.lines().count(), list.items.len(), "{out}");
            for (line, item) in out.lines().zip(&list.items) {
                assert!(
                    line.starts_with(if item.attached { "☑" } else { "☐" }),
                    "{line}"
                );
                assert!(
                    line.contains(&format!("{}（{}）", item.label, item.kind)),
                    "{line}"
                );
                assert!(
                    line.contains(if item.required { "必需" } else { "建议" }),
                    "{line}"
                );
                assert!(
                    item.reasons.iter().all(|r| line.contains(&r.rule)),
                    "{line}"
                );
            }
        }
    }
    let p = dir.write("array.json", "[]");
    let o = run(&[
        "checklist",
        "--jurisdiction",
        "potou",
        "--form",
        "apply",
        p.to_str().unwrap(),
    ]);
    assert_input_error(&o, "data must be a JSON object");
    let o = run(&[
        "checklist",
        "--jurisdiction",
        "potou",
        "--form",
        "procure",
        p.to_str().unwrap(),
    ]);
    assert_input_error(&o, "form procure is not filed in jurisdiction potou");
}
