//! Operations of the intake service with the real binary: `migrate`, `token create|list|revoke`,
//! `revalidate`, startup errors, graceful shutdown and log hygiene — on SQLite and PostgreSQL.

#![cfg(not(target_arch = "wasm32"))]

#[path = "../src/http_harness.rs"]
mod harness;

use harness::*;
use serde_json::{json, Value};
use std::process::Output;

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn usage_error(o: &Output, needle: &str) {
    assert_eq!(
        o.status.code(),
        Some(2),
        "stdout: {}\nstderr: {}",
        out(o),
        err(o)
    );
    assert!(
        err(o).contains(needle),
        "stderr lacks {needle:?}: {}",
        err(o)
    );
    assert!(!err(o).contains("panicked"), "{}", err(o));
    assert!(out(o).trim().is_empty(), "nothing on stdout: {}", out(o));
}

fn command_line(backend: Backend) {
    let Some(mut s) = Server::prepare(backend, &[("SHENBAO_TODAY", TODAY)]) else {
        return;
    };

    // migrate: already applied by `token create` of the harness
    let o = s.cli(&["migrate"]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("up to date"), "{}", out(&o));

    // token create validates its inputs
    usage_error(
        &s.cli(&[
            "token",
            "create",
            "--role",
            "unit",
            "--jurisdiction",
            "potou",
        ]),
        "--credit-code",
    );
    usage_error(
        &s.cli(&[
            "token",
            "create",
            "--role",
            "unit",
            "--jurisdiction",
            "potou",
            "--credit-code",
            "114408040073500110",
        ]),
        "check character",
    );
    usage_error(
        &s.cli(&["token", "create", "--role", "reviewer"]),
        "--jurisdiction",
    );
    usage_error(
        &s.cli(&[
            "token",
            "create",
            "--role",
            "reviewer",
            "--jurisdiction",
            "atlantis",
        ]),
        "unknown jurisdiction",
    );
    usage_error(
        &s.cli(&[
            "token",
            "create",
            "--role",
            "admin",
            "--jurisdiction",
            "potou",
        ]),
        "--jurisdiction",
    );
    let o = s.cli(&["token", "create", "--role", "boss"]);
    assert_eq!(o.status.code(), Some(2));

    // the secret is printed once, on stdout, alone
    let cc = credit_code();
    let o = s.cli(&[
        "token",
        "create",
        "--role",
        "unit",
        "--jurisdiction",
        "potou",
        "--credit-code",
        &cc,
        "--label",
        "CLI unit",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let unit = out(&o).trim().to_string();
    assert_eq!(unit.len(), 43, "{unit}");
    assert_eq!(out(&o).lines().count(), 1);
    assert!(!err(&o).contains(&unit));

    // list: every token, never a secret or a hash
    let o = s.cli(&["token", "list", "--format", "json"]);
    assert!(o.status.success(), "{}", err(&o));
    let rows: Vec<Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{}", out(&o));
    assert!(!out(&o).contains(&unit) && !out(&o).contains(&s.admin));
    assert!(rows
        .iter()
        .all(|r| r.get("token").is_none() && r.get("hash").is_none()));
    let unit_id = rows
        .iter()
        .find(|r| r["credit_code"] == cc.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        rows.iter().find(|r| r["id"] == unit_id.as_str()).unwrap()["label"],
        "CLI unit"
    );
    let o = s.cli(&["token", "list", "--format", "text"]);
    assert!(out(&o).contains(&unit_id) && out(&o).contains("active"));

    // the explicit `serve` subcommand; the CLI-made tokens work
    s.spawn(&["serve"]);
    let mut ids = Vec::new();
    for case_id in ["potou-apply-001", "potou-apply-004", "potou-apply-005"] {
        let mut d = case(case_id)["data"].clone();
        d["applicant"]["credit_code"] = cc.as_str().into();
        let r = s.post(
            "/api/v1/submissions",
            Some(&unit),
            &json!({"jurisdiction": "potou", "form": "apply", "data": d, "status": "draft"}),
        );
        r.expect(201);
        ids.push(r.json()["id"].as_str().unwrap().to_string());
    }
    let reports: Vec<Value> = ids
        .iter()
        .map(|id| {
            s.get(&format!("/api/v1/submissions/{id}"), Some(&unit))
                .json()["report"]
                .clone()
        })
        .collect();

    // revalidate: nothing differs under the same rules
    let o = s.cli(&["revalidate", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).trim().is_empty(), "{}", out(&o));
    assert!(
        err(&o).contains("revalidated 3 filing(s): 0 differ"),
        "{}",
        err(&o)
    );
    // another calendar: another digest, every filing listed, stored verdicts untouched
    let cal = s.db.dir.join("calendar");
    std::fs::create_dir_all(&cal).unwrap();
    std::fs::copy(
        workspace().join("api-server/tests/data/2027-test.json"),
        cal.join("2027.json"),
    )
    .unwrap();
    let o = s
        .command(&["revalidate", "--format", "json"])
        .env("SHENBAO_CALENDAR_DIR", &cal)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let diffs: Vec<Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(diffs.len(), 3, "{}", out(&o));
    for d in &diffs {
        assert!(ids.contains(&d["id"].as_str().unwrap().to_string()));
        assert_ne!(d["digest_before"], d["digest_now"]);
        assert_eq!(d["digest_before"], validator_core::rule_set().digest);
    }
    let o = s
        .command(&[
            "revalidate",
            "--format",
            "text",
            "--jurisdiction",
            "potou",
            "--form",
            "apply",
        ])
        .env("SHENBAO_CALENDAR_DIR", &cal)
        .output()
        .unwrap();
    assert_eq!(out(&o).lines().count(), 3);
    assert!(out(&o).contains("digest sha256:"), "{}", out(&o));
    let o = s
        .command(&["revalidate", "--jurisdiction", "bazhong"])
        .env("SHENBAO_CALENDAR_DIR", &cal)
        .output()
        .unwrap();
    assert!(out(&o).trim().is_empty());
    for (id, before) in ids.iter().zip(&reports) {
        assert_eq!(
            &s.get(&format!("/api/v1/submissions/{id}"), Some(&unit))
                .json()["report"],
            before,
            "stored verdicts are not altered"
        );
    }
    usage_error(
        &s.cli(&["revalidate", "--jurisdiction", "atlantis"]),
        "unknown jurisdiction",
    );
    usage_error(&s.cli(&["revalidate", "--form", "nope"]), "unknown form");

    // revoke through the command line: the token stops working at once
    usage_error(&s.cli(&["token", "revoke", "nothex"]), "not a token id");
    usage_error(
        &s.cli(&["token", "revoke", "0123456789abcdef0123456789abcdef"]),
        "no such token",
    );
    let o = s.cli(&["token", "revoke", &unit_id]);
    assert!(o.status.success(), "{}", err(&o));
    s.get("/api/v1/submissions", Some(&unit)).envelope(401);
    let o = s.cli(&["token", "list", "--format", "text"]);
    assert!(out(&o)
        .lines()
        .any(|l| l.contains(&unit_id) && l.contains("revoked")));

    // graceful shutdown on SIGTERM
    let st = s.stop().expect("was running");
    assert!(st.success(), "exit status {st:?}; log:\n{}", s.log_text());
    assert!(!s.log_text().contains("panicked"));
}

#[test]
fn command_line_sqlite() {
    command_line(Backend::Sqlite);
}

#[test]
fn command_line_postgres() {
    command_line(Backend::Postgres);
}

#[test]
fn a_fresh_database_is_migrated_by_the_migrate_command() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(db) = Database::create(backend) else {
            continue;
        };
        let o = std::process::Command::new(bin())
            .arg("migrate")
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", err(&o));
        assert!(out(&o).contains("applied 20261122000001"), "{}", out(&o));
        let o = std::process::Command::new(bin())
            .arg("migrate")
            .env("DATABASE_URL", &db.url)
            .output()
            .unwrap();
        assert!(out(&o).contains("up to date"), "{}", out(&o));
    }
}

#[test]
fn startup_errors_are_clear_and_exit_2() {
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut c = std::process::Command::new(bin());
        c.args(args)
            .env("SHENBAO_BIND", "127.0.0.1:0")
            .env("DATABASE_URL", "sqlite:///nonexistent-dir-shenbao/x/y.db");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let o = run(&[("DATABASE_URL", "mysql://u@h/db")], &["serve"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("unsupported database URL scheme"),
        "{}",
        err(&o)
    );
    let o = run(&[("DATABASE_URL", "./data/x.db")], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("DATABASE_URL"), "{}", err(&o));
    let o = run(&[("SHENBAO_BIND", "nonsense")], &["serve"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("SHENBAO_BIND"), "{}", err(&o));
    let o = run(&[("SHENBAO_BODY_LIMIT", "lots")], &["serve"]);
    assert!(err(&o).contains("SHENBAO_BODY_LIMIT"), "{}", err(&o));
    let o = run(&[("SHENBAO_JSON_DEPTH", "100000")], &["serve"]);
    assert!(err(&o).contains("SHENBAO_JSON_DEPTH"), "{}", err(&o));
    let o = run(&[("SHENBAO_TODAY", "2025-02-30")], &["serve"]);
    assert!(err(&o).contains("SHENBAO_TODAY"), "{}", err(&o));
    // an unreachable database: a clear error, no panic
    let o = run(
        &[("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")],
        &["serve"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("127.0.0.1"), "{}", err(&o));
    assert!(!err(&o).contains("panicked"));
    let o = run(
        &[("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")],
        &["migrate"],
    );
    assert_eq!(o.status.code(), Some(2));
    // the existing subcommands still work, and `--help` lists the new ones
    let o = run(&[], &["--help"]);
    for sub in [
        "validate",
        "checklist",
        "calendar",
        "forms",
        "serve",
        "migrate",
        "token",
        "revalidate",
    ] {
        assert!(out(&o).contains(sub), "{sub}: {}", out(&o));
    }
}

#[test]
fn logs_are_json_lines_without_contents_or_tokens() {
    let Some(mut s) = Server::prepare(
        Backend::Sqlite,
        &[("SHENBAO_LOG_FORMAT", "json"), ("SHENBAO_LOG", "debug")],
    ) else {
        return;
    };
    s.spawn(&[]);
    let (unit, cc) = s.unit("potou");
    let marker = "MARKER-项目-7f3a9c";
    let mut d = case("potou-apply-001")["data"].clone();
    d["applicant"]["credit_code"] = cc.as_str().into();
    d["project_name"] = marker.into();
    d["applicant"]["contact_phone"] = "13912345678".into();
    let r = s.post(
        "/api/v1/submissions",
        Some(&unit),
        &json!({"jurisdiction": "potou", "form": "apply", "data": d, "status": "draft"}),
    );
    r.expect(201);
    let id = r.json()["id"].as_str().unwrap().to_string();
    s.get(&format!("/api/v1/submissions/{id}"), Some(&unit))
        .expect(200);
    s.get(
        &format!("/api/v1/submissions?credit_code={cc}"),
        Some(&unit),
    )
    .expect(200);
    s.request(
        "POST",
        "/api/v1/submissions",
        Some(&unit),
        &[],
        Some((
            "application/json",
            format!("{{\"x\": \"{marker}\"").as_bytes(),
        )),
    )
    .envelope(400);
    s.get("/api/v1/submissions", Some(&"B".repeat(43)))
        .envelope(401);
    let st = s.stop().unwrap();
    assert!(st.success());
    let log = s.log_text();
    assert!(log.lines().count() >= 5, "{log}");
    for line in log.lines() {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        assert!(
            v.get("level").is_some() && v.get("fields").is_some(),
            "{line}"
        );
    }
    assert!(
        log.contains("\"route\":\"/api/v1/submissions/{id}\""),
        "{log}"
    );
    for secret in [
        marker,
        "13912345678",
        unit.as_str(),
        s.admin.as_str(),
        &"B".repeat(43),
        cc.as_str(),
    ] {
        assert!(!log.contains(secret), "the log contains {secret:?}:\n{log}");
    }
    assert!(!log.contains('\u{1b}'), "no terminal colours in a file");
}

/// Duplicates sent concurrently to two server processes on one database: the idempotency
/// table's primary key decides, exactly one filing is stored, every answer is the first one.
fn idempotency_across_processes(backend: Backend) {
    let Some(s) = Server::start(backend) else {
        return;
    };
    let (mut other, base2) = s.spawn_extra();
    let (unit, cc) = s.unit("potou");
    let mut d = case("potou-apply-001")["data"].clone();
    d["applicant"]["credit_code"] = cc.as_str().into();
    let body =
        json!({"jurisdiction": "potou", "form": "apply", "data": d, "status": "draft"}).to_string();
    for round in 0..5 {
        let key = format!("two-processes-{round}-{}", unique());
        let answers: Vec<Resp> = std::thread::scope(|scope| {
            let hs: Vec<_> = (0..8)
                .map(|i| {
                    let base = if i % 2 == 0 {
                        s.base.clone()
                    } else {
                        base2.clone()
                    };
                    let (s, unit, key, body) = (&s, &unit, &key, &body);
                    scope.spawn(move || {
                        s.request_at(
                            &base,
                            "POST",
                            "/api/v1/submissions",
                            Some(unit),
                            &[("Idempotency-Key", key)],
                            Some(("application/json", body.as_bytes())),
                        )
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &answers {
            assert_eq!(r.status, 201, "{}", r.text());
            assert_eq!(r.body, answers[0].body, "every answer is the first one");
        }
        assert_eq!(
            s.list_all(&unit, "", 200).len(),
            round + 1,
            "exactly one filing per key"
        );
    }
    let _ = other.kill();
    let _ = other.wait();
    let log = s.log_text();
    assert!(!log.contains("panicked"));
    let raced = log
        .matches("duplicate request resolved by the database")
        .count();
    eprintln!("{backend:?}: {raced} duplicate(s) resolved by the database's primary key");
    assert!(raced > 0, "the cross-process backstop was not exercised");
}

#[test]
fn idempotency_across_processes_sqlite() {
    idempotency_across_processes(Backend::Sqlite);
}

#[test]
fn idempotency_across_processes_postgres() {
    idempotency_across_processes(Backend::Postgres);
}

/// Load shedding: beyond `SHENBAO_MAX_IN_FLIGHT` requests with a body, the answer is an
/// immediate 503 with `Retry-After` (the envelope), and the held request still completes.
#[test]
fn requests_beyond_max_in_flight_are_shed_with_503() {
    use std::io::{Read, Write};
    let Some(s) = Server::start_with(
        Backend::Sqlite,
        &[("SHENBAO_TODAY", TODAY), ("SHENBAO_MAX_IN_FLIGHT", "1")],
    ) else {
        return;
    };
    let body = json!({"jurisdiction": "potou", "form": "apply", "data": {}}).to_string();
    // hold one place: headers and half of the body, then wait
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut held = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        held,
        "POST /api/v1/validate HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    let (a, b) = body.split_at(body.len() / 2);
    held.write_all(a.as_bytes()).unwrap();
    held.flush().unwrap();
    // Wait until a worker has read the held request's head and given it the place: /metrics
    // (a read, never shed) counts itself and the held request. Probing with POSTs instead would
    // race: with two workers, a probe can reach its worker first, take the place for the
    // moment it is validated, and get the held request shed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let m = s.get("/metrics", None).text();
        let in_flight = metric(&m, "shenbao_http_requests_in_flight")
            .expect("/metrics reports shenbao_http_requests_in_flight");
        if in_flight >= 2.0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the held request was not taken up within 60 s; log:\n{}",
            s.log_text()
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // the next request with a body is shed at once
    let r = s.post(
        "/api/v1/validate",
        None,
        &json!({"jurisdiction": "potou", "form": "apply", "data": {}}),
    );
    assert_eq!(r.envelope(503).0, "service_unavailable");
    assert_eq!(r.header("retry-after"), Some("1"));
    // reads are not shed
    s.get("/api/v1/forms", None).expect(200);
    // the held request completes normally
    held.write_all(b.as_bytes()).unwrap();
    let mut answer = String::new();
    held.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // and the place is free again
    s.post(
        "/api/v1/validate",
        None,
        &json!({"jurisdiction": "potou", "form": "apply", "data": {}}),
    )
    .expect(200);
    let m = s.get("/metrics", None).text();
    assert!(
        m.lines()
            .any(|l| l.starts_with("shenbao_requests_shed_total ") && !l.ends_with(" 0")),
        "{m}"
    );
}
