//! Durable acknowledgement under crashes (issue: “every acknowledged filing survives a crash”).
//!
//! For each backend: clients post filings concurrently (final and draft, each with an
//! `Idempotency-Key`), the server is killed with SIGKILL at a random moment, restarted on the same
//! database, and then:
//! - every filing that got a 201 is stored, with the report it was answered with and its
//!   `created` audit event;
//! - every request whose answer was lost in the crash is retried with the same key and body and
//!   answers 201 — the stored filing if it had been committed, a new one otherwise — so each
//!   request is stored exactly once;
//! - nothing half-written is visible: the stored filings are exactly the acknowledged ones, each
//!   whole (data, report, history).
//!
//! Repeated over several cycles on SQLite and on PostgreSQL.

#![cfg(not(target_arch = "wasm32"))]

#[path = "../src/http_harness.rs"]
mod harness;

use harness::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Valid for final submission on [`TODAY`].
const CASE: &str = "potou-apply-001";
const CYCLES: usize = 4;
const CLIENTS: usize = 8;

/// A request: its idempotency key and body.
#[derive(Clone)]
struct Sent {
    key: String,
    body: Vec<u8>,
}

/// What the clients saw in one cycle.
#[derive(Default)]
struct Seen {
    /// id → (key, report answered with).
    acked: BTreeMap<String, (String, Value)>,
    /// Requests whose answer never came (the connection died with the server).
    lost: Vec<Sent>,
    /// 503 answers (back-pressure): nothing stored.
    busy: usize,
}

fn random_ms(lo: u64, hi: u64) -> u64 {
    let x = u64::from_str_radix(&unique()[..12], 16).unwrap();
    lo + x % (hi - lo)
}

fn post(s: &Server, unit: &str, sent: &Sent) -> Result<Resp, String> {
    s.try_request(
        "POST",
        "/api/v1/submissions",
        Some(unit),
        &[("Idempotency-Key", &sent.key)],
        Some(("application/json", &sent.body)),
    )
}

fn record(seen: &Mutex<Seen>, sent: &Sent, r: Result<Resp, String>) -> bool {
    let mut g = seen.lock().unwrap();
    match r {
        Ok(r) if r.status == 201 => {
            let v = r.json();
            let id = v["id"].as_str().unwrap().to_string();
            g.acked.insert(id, (sent.key.clone(), v["report"].clone()));
            true
        }
        Ok(r) if r.status == 503 => {
            assert!(r.header("retry-after").is_some(), "503 without Retry-After");
            g.busy += 1;
            true
        }
        Ok(r) => panic!("unexpected answer {}: {}", r.status, r.text()),
        Err(_) => {
            g.lost.push(sent.clone());
            false
        }
    }
}

fn crash_cycles(backend: Backend) {
    let Some(mut s) = Server::prepare(backend, &[("SHENBAO_TODAY", TODAY)]) else {
        return;
    };
    s.spawn(&[]);
    let (unit, cc) = s.unit("potou");
    let (reviewer, _) = s.token("reviewer", Some("potou"), None);
    let data = data_for(CASE, &cc);
    let mut acked: BTreeMap<String, (String, Value)> = BTreeMap::new();
    let (mut lost_total, mut busy_total) = (0, 0);

    for cycle in 0..CYCLES {
        let seen = Mutex::new(Seen::default());
        let dead = AtomicBool::new(false);
        let pid = s.pid().expect("running");
        std::thread::scope(|scope| {
            for client in 0..CLIENTS {
                let (s, seen, dead, data, unit) = (&s, &seen, &dead, &data, &unit);
                scope.spawn(move || {
                    let mut n = 0u64;
                    while !dead.load(Ordering::Relaxed) {
                        n += 1;
                        let status = if (n + client as u64).is_multiple_of(4) { "draft" } else { "final" };
                        let body = json!({"jurisdiction": "potou", "form": "apply", "status": status, "data": data});
                        let sent = Sent {
                            key: format!("crash-{cycle}-{client}-{n}-{}", unique()),
                            body: body.to_string().into_bytes(),
                        };
                        if !record(seen, &sent, post(s, unit, &sent)) {
                            break;
                        }
                    }
                });
            }
            // Kill at a random moment once writes are flowing (a slow first request on a debug
            // build must not make the cycle empty).
            for _ in 0..600 {
                if !seen.lock().unwrap().acked.is_empty() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            std::thread::sleep(Duration::from_millis(random_ms(50, 1200)));
            let st = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()
                .unwrap();
            assert!(st.success());
            dead.store(true, Ordering::Relaxed);
        });
        s.kill9(); // reap
        s.spawn(&[]);
        let seen = seen.into_inner().unwrap();
        assert!(
            !seen.acked.is_empty(),
            "cycle {cycle}: no filing was acknowledged before the kill"
        );
        lost_total += seen.lost.len();
        busy_total += seen.busy;
        acked.extend(seen.acked);

        // Every acknowledged filing is there, whole, with the report it was answered with.
        for (id, (_, report)) in &acked {
            let r = s.get(&format!("/api/v1/submissions/{id}"), Some(&reviewer));
            assert_eq!(
                r.status,
                200,
                "cycle {cycle}: acknowledged {id} lost: {}",
                r.text()
            );
            let v = r.json();
            assert_eq!(&v["report"], report, "{id}: stored report differs");
            assert_eq!(v["data"]["applicant"]["credit_code"], cc.as_str());
            let h = v["history"].as_array().unwrap();
            assert_eq!(h[0]["action"], "created", "{id}: no created event: {v}");
        }
        // Requests cut off by the crash: the same key and body give exactly one filing.
        for sent in &seen.lost {
            let r = post(&s, &unit, sent).expect("the restarted server answers");
            assert_eq!(r.status, 201, "retry of {}: {}", sent.key, r.text());
            let v = r.json();
            let id = v["id"].as_str().unwrap().to_string();
            assert!(
                acked
                    .insert(id.clone(), (sent.key.clone(), v["report"].clone()))
                    .is_none(),
                "retry of a lost request answered with another request's filing {id}"
            );
        }
        // Nothing else is stored: no half-written or duplicated filing.
        let listed = s.list_all(&reviewer, "", 200);
        let ids: Vec<&str> = listed.iter().map(|i| i["id"].as_str().unwrap()).collect();
        let expected: Vec<&str> = acked.keys().map(String::as_str).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted, expected,
            "cycle {cycle}: stored filings ≠ acknowledged filings"
        );
        eprintln!(
            "[{backend:?}] cycle {cycle}: {} acknowledged in total, {} lost answers retried, {} busy",
            acked.len(),
            seen.lost.len(),
            seen.busy
        );
    }
    // A second read of everything after the last restart, with whole details.
    for (id, (_, report)) in &acked {
        let v = s
            .get(&format!("/api/v1/submissions/{id}"), Some(&reviewer))
            .json();
        assert_eq!(&v["report"], report);
        assert!(v["report"]["rule_set"]["digest"].is_string());
    }
    eprintln!(
        "[{backend:?}] {CYCLES} kill -9 cycles: {} filings durable, {lost_total} lost answers, {busy_total} busy",
        acked.len()
    );
    let log = s.log_text();
    assert!(!log.contains("panicked"), "the server panicked:\n{log}");
}

#[test]
fn sqlite_survives_kill_9() {
    crash_cycles(Backend::Sqlite);
}

#[test]
fn postgres_survives_kill_9() {
    crash_cycles(Backend::Postgres);
}
