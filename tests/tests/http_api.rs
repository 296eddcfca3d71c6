//! The REST API of the intake service, end to end: the real `api-server` binary on an ephemeral
//! port, once on SQLite and once on PostgreSQL, the same scenarios on both (see
//! `tests/src/http_harness.rs`).

#![cfg(not(target_arch = "wasm32"))]

#[path = "../src/http_harness.rs"]
mod harness;

use harness::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const J: &str = "potou";
/// Valid for final submission on [`TODAY`] (its submission_date).
const VALID_CASE: &str = "potou-apply-001";

fn draft(data: &Value) -> Value {
    json!({"jurisdiction": J, "form": "apply", "data": data, "status": "draft"})
}

fn create(s: &Server, token: &str, body: &Value) -> Value {
    let r = s.post("/api/v1/submissions", Some(token), body);
    r.expect(201);
    r.json()
}

// ------------------------------------------------------------------ public endpoints

fn public_endpoints(s: &Server) {
    // forms
    let r = s.get("/api/v1/forms", None);
    r.expect(200);
    let v = r.json();
    let catalog = serde_json::to_value(validator_core::info::forms()).unwrap();
    assert_eq!(v["jurisdictions"], catalog);
    assert_eq!(v["rule_set"]["digest"], validator_core::rule_set().digest);
    assert_eq!(
        s.get("/api/v1/forms?x=1", None).envelope(400).1.as_deref(),
        Some("x")
    );

    // schema
    let r = s.get("/api/v1/forms/potou/apply/schema", None);
    r.expect(200);
    assert_eq!(
        r.json(),
        validator_core::schema::schema("potou", "apply").unwrap()
    );
    s.get("/api/v1/forms/atlantis/apply/schema", None)
        .envelope(404);
    s.get("/api/v1/forms/potou/nothing/schema", None)
        .envelope(404);

    // validate: the core's report, byte for byte
    let c = case("pingyang-apply-001");
    let r = s.post(
        "/api/v1/validate",
        None,
        &json!({"jurisdiction": c["jurisdiction"], "form": c["form"], "data": c["data"]}),
    );
    r.expect(200);
    let expected = validator_core::validate("pingyang", "apply", &c["data"])
        .unwrap()
        .to_canonical_json();
    assert_eq!(r.text(), expected);
    // public: a bad token does not matter
    s.request(
        "POST",
        "/api/v1/validate",
        Some("garbage"),
        &[],
        Some((
            "application/json",
            br#"{"jurisdiction":"potou","form":"apply","data":{}}"#,
        )),
    )
    .expect(200);

    // openapi + docs
    let r = s.get("/api/v1/openapi.json", None);
    r.expect(200);
    let d = r.json();
    assert_eq!(d["openapi"], "3.1.0");
    for p in [
        "/api/v1/submissions",
        "/api/v1/submissions/{id}",
        "/api/v1/submissions/export",
        "/api/v1/tokens/{id}",
        "/metrics",
    ] {
        assert!(d["paths"].get(p).is_some(), "{p}");
    }
    let r = s.get("/api/v1/docs", None);
    r.expect(200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = r.text();
    assert!(
        html.contains("/api/v1/docs/docs.js")
            && !html.contains("https://")
            && !html.contains("<style")
            && !html.contains(" style=")
    );
    assert!(!html.contains("<script>"), "no inline script");
    let js = s.get("/api/v1/docs/docs.js", None);
    js.expect(200);
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    assert!(js.text().contains("/api/v1/openapi.json") && !js.text().contains("https://"));
    s.get("/api/v1/docs/docs.css", None).expect(200);
    s.get("/api/v1/docs/other.js", None).envelope(404);

    // operations
    assert_eq!(s.get("/healthz", None).expect(200).json()["status"], "ok");
    let ready = s.get("/readyz", None);
    ready.expect(200);
    let backend = match s.db.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(ready.json()["database"], backend);
    s.settled_metrics();
    let m = s.get("/metrics", None);
    m.expect(200);
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    let text = m.text();
    for name in [
        "shenbao_http_requests_total{",
        "shenbao_http_requests_in_flight ",
        "shenbao_validations_total{",
        "shenbao_filings_stored_total{action=\"created\"}",
        "shenbao_schema_disagreements_total ",
        "shenbao_db_errors_total ",
    ] {
        assert!(text.contains(name), "metrics lack {name}:\n{text}");
    }
    assert!(
        text.contains("shenbao_schema_disagreements_total 0"),
        "the schema and the engine disagreed:\n{text}"
    );

    // static files with the CSP
    let csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    let r = s.get("/", None);
    r.expect(200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(r.header("content-security-policy"), Some(csp));
    let w = s.get("/pkg/validator_wasm_bg.wasm", None);
    w.expect(200);
    assert_eq!(w.header("content-type"), Some("application/wasm"));
    assert_eq!(
        s.get("/api/v1/docs", None)
            .header("content-security-policy"),
        Some(csp)
    );
    s.get("/no-such-file.js", None).envelope(404);
    // errors of the static file service use the envelope too
    s.get("/..%2fCargo.toml", None).envelope(400);
    let r = s.request(
        "POST",
        "/index.html",
        None,
        &[],
        Some(("application/json", b"{}")),
    );
    r.envelope(405);
    assert_eq!(r.header("content-security-policy"), Some(csp));

    // default 404 / 405 with the envelope
    s.get("/api/v1/nothing", None).envelope(404);
    let r = s.request("DELETE", "/api/v1/forms", None, &[], None);
    assert_eq!(r.envelope(405).0, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET"));
    let r = s.request(
        "PATCH",
        "/api/v1/submissions/0123456789abcdef0123456789abcdef",
        None,
        &[],
        None,
    );
    r.envelope(405);
    assert_eq!(r.header("allow"), Some("GET, PUT"));
}

// ------------------------------------------------------------------ auth matrix

fn auth_matrix(s: &Server) {
    let cc_own = credit_code();
    let cc_other = credit_code();
    let (admin2, _) = s.token("admin", None, None);
    let (reviewer_own, _) = s.token("reviewer", Some(J), None);
    let (reviewer_other, _) = s.token("reviewer", Some("bazhong"), None);
    let (unit_own, _) = s.token("unit", Some(J), Some(&cc_own));
    let (unit_other, _) = s.token("unit", Some(J), Some(&cc_other));
    let (unit_other_j, _) = s.token("unit", Some("bazhong"), Some(&cc_own));
    let (revoked, revoked_id) = s.token("unit", Some(J), Some(&cc_own));
    s.request(
        "DELETE",
        &format!("/api/v1/tokens/{revoked_id}"),
        Some(&s.admin),
        &[],
        None,
    )
    .expect(200);
    let unknown = "A".repeat(43);

    let data = data_for(VALID_CASE, &cc_own);
    let filing = create(s, &unit_own, &draft(&data));
    let id = filing["id"].as_str().unwrap().to_string();
    let who: Vec<(&str, Option<&str>)> = vec![
        ("admin", Some(&admin2)),
        ("reviewer_own", Some(&reviewer_own)),
        ("reviewer_other", Some(&reviewer_other)),
        ("unit_own", Some(&unit_own)),
        ("unit_other", Some(&unit_other)),
        ("unit_other_jurisdiction", Some(&unit_other_j)),
        ("none", None),
        ("unknown", Some(&unknown)),
        ("malformed", Some("x")),
        ("revoked", Some(&revoked)),
    ];
    let table = |role: &str, expect: [u16; 10]| -> u16 {
        let i = who.iter().position(|(n, _)| *n == role).unwrap();
        expect[i]
    };
    let mut failures: Vec<String> = Vec::new();
    fn verdict(what: &str, role: &str, got: &Resp, want: u16) -> Option<String> {
        if got.status != want {
            return Some(format!(
                "{what} as {role}: {} (want {want}) {}",
                got.status,
                got.text()
            ));
        }
        if want >= 400 {
            got.envelope(want);
        }
        None
    }
    macro_rules! check {
        ($what:expr, $role:expr, $got:expr, $want:expr $(,)?) => {
            failures.extend(verdict($what, $role, $got, $want))
        };
    }
    //                       admin rev_o rev_x unit_o unit_x unit_xj none unknown malformed revoked
    let read_one = [200, 200, 404, 200, 404, 404, 401, 401, 401, 401];
    let list = [200, 200, 200, 200, 200, 200, 401, 401, 401, 401];
    let write = [403, 403, 404, 200, 404, 404, 401, 401, 401, 401];
    let create_st = [403, 403, 403, 201, 403, 403, 401, 401, 401, 401];
    let admin_only = [200, 403, 403, 403, 403, 403, 401, 401, 401, 401];
    let admin_create = [201, 403, 403, 403, 403, 403, 401, 401, 401, 401];
    let public = [200; 10];

    for (role, tok) in &who {
        let tok = *tok;
        // public endpoints ignore tokens
        check!(
            "GET /api/v1/forms",
            role,
            &s.get("/api/v1/forms", tok),
            table(role, public)
        );
        check!(
            "GET schema",
            role,
            &s.get("/api/v1/forms/potou/apply/schema", tok),
            table(role, public)
        );
        check!(
            "POST validate",
            role,
            &s.post(
                "/api/v1/validate",
                tok,
                &json!({"jurisdiction": J, "form": "apply", "data": data})
            ),
            table(role, public),
        );
        check!(
            "GET openapi",
            role,
            &s.get("/api/v1/openapi.json", tok),
            table(role, public)
        );

        // read one
        let r = s.get(&format!("/api/v1/submissions/{id}"), tok);
        check!("GET submission", role, &r, table(role, read_one));
        // list and export: visible or not
        let r = s.get(&format!("/api/v1/submissions?credit_code={cc_own}"), tok);
        check!("GET list", role, &r, table(role, list));
        if r.status == 200 {
            let ids: Vec<String> = r.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_string())
                .collect();
            let visible = table(role, read_one) == 200;
            if ids.contains(&id) != visible {
                failures.push(format!(
                    "list as {role}: visibility {} (want {visible})",
                    !visible
                ));
            }
        }
        let r = s.get(
            &format!("/api/v1/submissions/export?credit_code={cc_own}"),
            tok,
        );
        check!("GET export", role, &r, table(role, list));
        if r.status == 200 {
            let visible = table(role, read_one) == 200;
            if r.text().contains(&id) != visible {
                failures.push(format!(
                    "export as {role}: visibility {} (want {visible})",
                    !visible
                ));
            }
        }
        // write: update the draft
        let r = s.send_json(
            "PUT",
            &format!("/api/v1/submissions/{id}"),
            tok,
            &json!({"data": data}),
        );
        check!("PUT submission", role, &r, table(role, write));
        // create (for cc_own in potou)
        let r = s.post("/api/v1/submissions", tok, &draft(&data));
        check!("POST submission", role, &r, table(role, create_st));
        // tokens
        check!(
            "GET tokens",
            role,
            &s.get("/api/v1/tokens", tok),
            table(role, admin_only)
        );
        let r = s.post(
            "/api/v1/tokens",
            tok,
            &json!({"role": "reviewer", "jurisdiction": "gaogang"}),
        );
        check!("POST tokens", role, &r, table(role, admin_create));
        let victim = {
            let (_, vid) = s.token("reviewer", Some("gaogang"), None);
            vid
        };
        let r = s.request(
            "DELETE",
            &format!("/api/v1/tokens/{victim}"),
            tok,
            &[],
            None,
        );
        check!("DELETE token", role, &r, table(role, admin_only));
        if role.starts_with("unit_other") || role.starts_with("reviewer_other") {
            // out of scope: finalize answers 404 like a missing filing
            let r = s.request(
                "POST",
                &format!("/api/v1/submissions/{id}/finalize"),
                tok,
                &[],
                None,
            );
            check!("POST finalize", role, &r, 404);
        }
        if matches!(*role, "admin" | "reviewer_own") {
            let r = s.request(
                "POST",
                &format!("/api/v1/submissions/{id}/finalize"),
                tok,
                &[],
                None,
            );
            check!("POST finalize", role, &r, 403);
        }
        if matches!(*role, "none" | "unknown" | "malformed" | "revoked") {
            let r = s.request(
                "POST",
                &format!("/api/v1/submissions/{id}/finalize"),
                tok,
                &[],
                None,
            );
            check!("POST finalize", role, &r, 401);
        }
    }
    // finally the owner finalizes
    let r = s.request(
        "POST",
        &format!("/api/v1/submissions/{id}/finalize"),
        Some(&unit_own),
        &[],
        None,
    );
    check!("POST finalize", "unit_own", &r, 200);

    // out-of-scope answers are indistinguishable from a missing filing
    let missing = "0123456789abcdef0123456789abcdef";
    let a = s.get(&format!("/api/v1/submissions/{missing}"), Some(&unit_other));
    let b = s.get(&format!("/api/v1/submissions/{id}"), Some(&unit_other));
    assert_eq!((a.status, a.body.clone()), (b.status, b.body.clone()));

    // a unit filing for another unit or jurisdiction: 403 with a clear message
    let r = s.post("/api/v1/submissions", Some(&unit_other), &draft(&data));
    let (_, field) = r.envelope(403);
    assert_eq!(field.as_deref(), Some("data.applicant.credit_code"));
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("credit_code"));
    let other_j =
        json!({"jurisdiction": "bazhong", "form": "apply", "data": data, "status": "draft"});
    assert_eq!(
        s.post("/api/v1/submissions", Some(&unit_own), &other_j)
            .envelope(403)
            .1
            .as_deref(),
        Some("jurisdiction")
    );
    // a revoked token stops working at once
    let r = s.get("/api/v1/submissions", Some(&revoked));
    r.envelope(401);
    assert!(r
        .header("www-authenticate")
        .is_some_and(|h| h.starts_with("Bearer")));
    assert!(failures.is_empty(), "auth matrix:\n{}", failures.join("\n"));
}

// ------------------------------------------------------------------ lifecycle

fn history_actions(v: &Value) -> Vec<String> {
    v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

fn lifecycle(s: &Server) {
    let (unit, cc) = s.unit(J);
    let (_, unit_id) = {
        // the token id is the actor of events: find it through the token list
        let list = s.get("/api/v1/tokens", Some(&s.admin)).json();
        let id = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["credit_code"] == cc.as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        ((), id)
    };
    let mut data = data_for(VALID_CASE, &cc);
    data["project_name"] = "lifecycle 测试项目".into();

    // a draft with errors is stored
    let mut broken = data.clone();
    broken.as_object_mut().unwrap().remove("project_name");
    let r = s.post("/api/v1/submissions", Some(&unit), &draft(&broken));
    r.expect(201);
    let created = r.json();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/submissions/{id}").as_str())
    );
    assert_eq!(created["status"], "draft");
    assert_eq!(created["valid"], false);
    assert_eq!(created["credit_code"], cc.as_str());
    assert_eq!(
        created["rule_set"],
        serde_json::to_value(validator_core::rule_set()).unwrap()
    );
    assert_eq!(created["report"]["rule_set"], created["rule_set"]);
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()));

    let got = s.get(&format!("/api/v1/submissions/{id}"), Some(&unit));
    got.expect(200);
    let g = got.json();
    assert_eq!(g["data"], broken);
    assert_eq!(g["report"], created["report"]);
    assert_eq!(history_actions(&g), ["created"]);
    assert_eq!(g["history"][0]["actor"], unit_id.as_str());
    assert_eq!(g["history"][0]["detail"]["valid"], false);

    // finalizing an invalid draft: 422 with the report; it stays a draft
    let r = s.request(
        "POST",
        &format!("/api/v1/submissions/{id}/finalize"),
        Some(&unit),
        &[],
        None,
    );
    let (code, _) = r.envelope(422);
    assert_eq!(code, "invalid_filing");
    assert_eq!(r.json()["report"]["valid"], false);
    assert_eq!(
        s.get(&format!("/api/v1/submissions/{id}"), Some(&unit))
            .json()["status"],
        "draft"
    );

    // update the draft
    let r = s.send_json(
        "PUT",
        &format!("/api/v1/submissions/{id}"),
        Some(&unit),
        &json!({"data": data}),
    );
    r.expect(200);
    assert_eq!(r.json()["valid"], true);
    assert_eq!(r.json()["status"], "draft");

    // finalize (with an empty JSON object as body): submission_date stamped with today
    let r = s.request(
        "POST",
        &format!("/api/v1/submissions/{id}/finalize"),
        Some(&unit),
        &[],
        Some(("application/json", b"{}")),
    );
    r.expect(200);
    let f = r.json();
    assert_eq!(f["status"], "final");
    assert_eq!(f["valid"], true);
    let g = s
        .get(&format!("/api/v1/submissions/{id}"), Some(&unit))
        .json();
    assert_eq!(g["data"]["submission_date"], TODAY);
    assert_eq!(g["status"], "final");
    assert_eq!(history_actions(&g), ["created", "updated", "finalized"]);
    for e in g["history"].as_array().unwrap() {
        assert_eq!(e["actor"], unit_id.as_str());
        assert!(e["at"].as_str().unwrap().ends_with("+08:00"));
    }
    assert_eq!(g["history"][2]["detail"]["status"], "final");

    // final filings are immutable
    let r = s.send_json(
        "PUT",
        &format!("/api/v1/submissions/{id}"),
        Some(&unit),
        &json!({"data": data}),
    );
    assert_eq!(r.envelope(409).0, "not_draft");
    let r = s.request(
        "POST",
        &format!("/api/v1/submissions/{id}/finalize"),
        Some(&unit),
        &[],
        None,
    );
    assert_eq!(r.envelope(409).0, "not_draft");
    assert_eq!(
        history_actions(
            &s.get(&format!("/api/v1/submissions/{id}"), Some(&unit))
                .json()
        )
        .len(),
        3
    );

    // a valid final filing directly: submission_date is today whatever was sent
    let mut d2 = data.clone();
    d2["submission_date"] = "2020-01-01".into();
    let r = s.post(
        "/api/v1/submissions",
        Some(&unit),
        &json!({"jurisdiction": J, "form": "apply", "data": d2, "status": "final"}),
    );
    r.expect(201);
    let fid = r.json()["id"].as_str().unwrap().to_string();
    let g = s
        .get(&format!("/api/v1/submissions/{fid}"), Some(&unit))
        .json();
    assert_eq!(g["data"]["submission_date"], TODAY);
    assert_eq!(g["status"], "final");
    assert_eq!(history_actions(&g), ["created"]);

    // a final filing with errors: 422 with the report, nothing stored
    let before = s.list_all(&unit, "", 200).len();
    let r = s.post(
        "/api/v1/submissions",
        Some(&unit),
        &json!({"jurisdiction": J, "form": "apply", "data": broken, "status": "final"}),
    );
    let (code, _) = r.envelope(422);
    assert_eq!(code, "invalid_filing");
    let rep = &r.json()["report"];
    assert_eq!(rep["valid"], false);
    assert!(rep["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "common.any.required-field" && f["paths"][0] == "/project_name"));
    assert_eq!(s.list_all(&unit, "", 200).len(), before, "nothing stored");

    // update keeps the owner's bindings: another unit's credit code is refused
    let (unit2, cc2) = s.unit(J);
    let other = create(s, &unit2, &draft(&data_for(VALID_CASE, &cc2)));
    let r = s.send_json(
        "PUT",
        &format!("/api/v1/submissions/{}", other["id"].as_str().unwrap()),
        Some(&unit2),
        &json!({"data": data}),
    );
    r.envelope(403);

    // a draft with a malformed credit code is kept as the unit's own
    let mut bad_cc = data.clone();
    bad_cc["applicant"]["credit_code"] = "12345".into();
    let r = create(s, &unit, &draft(&bad_cc));
    assert_eq!(r["credit_code"], cc.as_str());
    assert!(r["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "common.any.credit-code-format"));
}

// ------------------------------------------------------------------ idempotency

fn idempotency(s: &Server) {
    let (unit, cc) = s.unit(J);
    let body = draft(&data_for(VALID_CASE, &cc));
    let key = format!("key-{}", unique());
    let a = s.post_with_key("/api/v1/submissions", Some(&unit), &key, &body);
    a.expect(201);
    let b = s.post_with_key("/api/v1/submissions", Some(&unit), &key, &body);
    b.expect(201);
    assert_eq!(a.body, b.body, "the replay is the first answer");
    assert_eq!(b.header("idempotency-replayed"), Some("true"));
    assert_eq!(s.list_all(&unit, "", 200).len(), 1);

    // same key, different body
    let mut other = body.clone();
    other["data"]["project_name"] = "另一个项目名称".into();
    let r = s.post_with_key("/api/v1/submissions", Some(&unit), &key, &other);
    let (code, field) = r.envelope(422);
    assert_eq!(code, "idempotency_key_reused");
    assert_eq!(field.as_deref(), Some("Idempotency-Key"));
    assert_eq!(s.list_all(&unit, "", 200).len(), 1);

    // 8 concurrent duplicates: exactly one stored, every answer the same
    let key2 = format!("burst-{}", unique());
    let answers: Vec<Resp> = std::thread::scope(|scope| {
        let hs: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| s.post_with_key("/api/v1/submissions", Some(&unit), &key2, &other))
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in &answers {
        r.expect(201);
        assert_eq!(r.body, answers[0].body);
    }
    assert_eq!(
        answers
            .iter()
            .filter(|r| r.header("idempotency-replayed").is_none())
            .count(),
        1
    );
    assert_eq!(s.list_all(&unit, "", 200).len(), 2);

    // keys belong to their actor: another unit may use the same key
    let (unit2, cc2) = s.unit(J);
    s.post_with_key(
        "/api/v1/submissions",
        Some(&unit2),
        &key,
        &draft(&data_for(VALID_CASE, &cc2)),
    )
    .expect(201);

    // finalize with a key: the retry replays the 200
    let id = answers[0].json()["id"].as_str().unwrap().to_string();
    let fkey = format!("fin-{}", unique());
    let path = format!("/api/v1/submissions/{id}/finalize");
    let f1 = s.request(
        "POST",
        &path,
        Some(&unit),
        &[("Idempotency-Key", &fkey)],
        None,
    );
    f1.expect(200);
    let f2 = s.request(
        "POST",
        &path,
        Some(&unit),
        &[("Idempotency-Key", &fkey)],
        None,
    );
    f2.expect(200);
    assert_eq!(f1.body, f2.body);
    let g = s
        .get(&format!("/api/v1/submissions/{id}"), Some(&unit))
        .json();
    assert_eq!(history_actions(&g), ["created", "finalized"]);

    // token creation: a retry cannot show the secret again (409), nothing new is created
    let tkey = format!("tok-{}", unique());
    let tb = json!({"role": "reviewer", "jurisdiction": "jianshan", "label": tkey});
    let count = |s: &Server| {
        s.get("/api/v1/tokens", Some(&s.admin)).json()["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let n0 = count(s);
    s.post_with_key("/api/v1/tokens", Some(&s.admin), &tkey, &tb)
        .expect(201);
    let r = s.post_with_key("/api/v1/tokens", Some(&s.admin), &tkey, &tb);
    assert_eq!(r.envelope(409).0, "token_already_created");
    assert_eq!(count(s), n0 + 1);
    let r = s.post_with_key(
        "/api/v1/tokens",
        Some(&s.admin),
        &tkey,
        &json!({"role": "admin"}),
    );
    assert_eq!(r.envelope(422).0, "idempotency_key_reused");

    // malformed keys name the header
    for bad in ["x".repeat(201), "tab\there".to_string()] {
        let r = s.request(
            "POST",
            "/api/v1/submissions",
            Some(&unit),
            &[("Idempotency-Key", &bad)],
            Some(("application/json", body.to_string().as_bytes())),
        );
        assert_eq!(
            r.envelope(400).1.as_deref(),
            Some("Idempotency-Key"),
            "{bad}"
        );
    }
    s.post_with_key(
        "/api/v1/validate",
        None,
        &"k".repeat(200),
        &json!({"jurisdiction": J, "form": "apply", "data": {}}),
    )
    .expect(200);
    s.post_with_key(
        "/api/v1/validate",
        None,
        &"k".repeat(201),
        &json!({"jurisdiction": J, "form": "apply", "data": {}}),
    )
    .envelope(400);
}

// ------------------------------------------------------------------ pagination and filters

fn pagination_and_filters(s: &Server) {
    let (unit, cc) = s.unit(J);
    let (reviewer, _) = s.token("reviewer", Some(J), None);
    let base = data_for(VALID_CASE, &cc);
    let mut ids = Vec::new();
    for i in 0..7 {
        let mut d = base.clone();
        if i % 3 == 0 {
            d.as_object_mut().unwrap().remove("project_name"); // a required-field error
        }
        ids.push(
            create(s, &unit, &draft(&d))["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    // one final filing
    let fin = s.post(
        "/api/v1/submissions",
        Some(&unit),
        &json!({"jurisdiction": J, "form": "apply", "data": base, "status": "final"}),
    );
    fin.expect(201);
    ids.push(fin.json()["id"].as_str().unwrap().to_string());

    for limit in [1, 2, 3, 50] {
        let all = s.list_all(&unit, "", limit);
        let got: Vec<String> = all
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect();
        let set: BTreeSet<&String> = got.iter().collect();
        assert_eq!(set.len(), got.len(), "no duplicates (limit {limit})");
        let mut want = ids.clone();
        want.reverse(); // newest first
        assert_eq!(got, want, "limit {limit}");
    }
    // default limit 50 and the page shape
    let v = s.get("/api/v1/submissions", Some(&unit)).json();
    assert_eq!(v["items"].as_array().unwrap().len(), 8);
    assert!(v["next_cursor"].is_null());
    let item = &v["items"][0];
    for k in [
        "id",
        "jurisdiction",
        "form",
        "status",
        "credit_code",
        "unit_name",
        "project_name",
        "valid",
        "errors",
        "warnings",
        "rule_set",
        "created_at",
        "updated_at",
    ] {
        assert!(item.get(k).is_some(), "{k}");
    }

    let q = |query: &str| -> Vec<String> {
        s.list_all(&reviewer, &format!("credit_code={cc}&{query}"), 200)
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(q("").len(), 8);
    assert_eq!(q("status=final"), vec![ids[7].clone()]);
    assert_eq!(q("status=draft").len(), 7);
    assert_eq!(q("form=apply").len(), 8);
    assert_eq!(q("form=change").len(), 0);
    assert_eq!(q(&format!("jurisdiction={J}")).len(), 8);
    assert_eq!(q("jurisdiction=bazhong").len(), 0);
    assert_eq!(q("rule=common.any.required-field").len(), 3);
    assert_eq!(q("rule=common.any").len(), 0, "rule IDs match exactly");
    // dates are Beijing dates of created_at
    let created = s
        .get(&format!("/api/v1/submissions/{}", ids[0]), Some(&unit))
        .json()["created_at"]
        .as_str()
        .unwrap()[..10]
        .to_string();
    let day = validator_core::Date::parse(&created).unwrap();
    let fmt = |d: validator_core::Date| {
        let (y, m, dd) = d.ymd();
        format!("{y:04}-{m:02}-{dd:02}")
    };
    let (yesterday, tomorrow) = (fmt(day.add_days(-1)), fmt(day.add_days(1)));
    assert_eq!(q(&format!("from={created}&to={created}")).len(), 8);
    assert_eq!(q(&format!("from={created}")).len(), 8);
    assert_eq!(q(&format!("to={yesterday}")).len(), 0);
    assert_eq!(q(&format!("from={tomorrow}")).len(), 0);
    assert_eq!(
        q(&format!(
            "status=draft&rule=common.any.required-field&from={created}"
        ))
        .len(),
        3
    );
    let (_, field) = s
        .get(
            &format!("/api/v1/submissions?from={tomorrow}&to={yesterday}"),
            Some(&reviewer),
        )
        .envelope(400);
    assert_eq!(field.as_deref(), Some("from"));
    // the reviewer of another jurisdiction sees none of them, even when asking for them
    let (rev_other, _) = s.token("reviewer", Some("gaogang"), None);
    assert!(s
        .list_all(&rev_other, &format!("credit_code={cc}"), 50)
        .is_empty());
    assert!(s
        .list_all(
            &rev_other,
            &format!("credit_code={cc}&jurisdiction={J}"),
            50
        )
        .is_empty());
    // admin sees them
    assert_eq!(
        s.list_all(&s.admin, &format!("credit_code={cc}"), 3).len(),
        8
    );
}

// ------------------------------------------------------------------ export

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut cell)),
                '\r' => {}
                '\n' => {
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                _ => cell.push(c),
            }
        }
    }
    assert!(
        cell.is_empty() && row.is_empty(),
        "the CSV ends with a line break"
    );
    rows
}

fn export(s: &Server) {
    let (unit, cc) = s.unit(J);
    let mut d = data_for(VALID_CASE, &cc);
    d["applicant"]["unit_name"] = "单位, \"引号\"\n第二行".into();
    d["project_name"] = "=HYPERLINK(\"x\")".into();
    let tricky = create(s, &unit, &draft(&d))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let plain = s
        .post("/api/v1/submissions", Some(&unit), &json!({"jurisdiction": J, "form": "apply", "data": data_for(VALID_CASE, &cc), "status": "final"}));
    plain.expect(201);
    let plain = plain.json()["id"].as_str().unwrap().to_string();

    let r = s.get(
        &format!("/api/v1/submissions/export?credit_code={cc}"),
        Some(&unit),
    );
    r.expect(200);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(r
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(&r.body[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
    let text = String::from_utf8(r.body[3..].to_vec()).unwrap();
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0],
        [
            "id",
            "jurisdiction",
            "form",
            "status",
            "credit_code",
            "unit_name",
            "project_name",
            "valid",
            "errors",
            "warnings",
            "rule_set_version",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(rows.len(), 3, "{text}");
    let by_id: BTreeMap<&str, &Vec<String>> =
        rows[1..].iter().map(|r| (r[0].as_str(), r)).collect();
    let t = by_id[tricky.as_str()];
    assert_eq!(t[5], "单位, \"引号\"\n第二行");
    assert_eq!(t[6], "'=HYPERLINK(\"x\")", "formulas are defused");
    assert_eq!(t[3], "draft");
    let p = by_id[plain.as_str()];
    assert_eq!(
        (p[3].as_str(), p[7].as_str(), p[8].as_str()),
        ("final", "true", "0")
    );
    assert_eq!(p[4], cc);
    assert_eq!(p[10], validator_core::RULE_SET_VERSION);
    assert!(p[11].ends_with("+08:00"));
    // newest first, like the list
    assert_eq!(rows[1][0], plain);

    // filters
    let r = s.get(
        &format!("/api/v1/submissions/export?credit_code={cc}&status=final"),
        Some(&unit),
    );
    let rows = parse_csv(std::str::from_utf8(&r.body[3..]).unwrap());
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], plain);
    let r = s.get(
        &format!("/api/v1/submissions/export?credit_code={cc}&form=change"),
        Some(&unit),
    );
    assert_eq!(
        parse_csv(std::str::from_utf8(&r.body[3..]).unwrap()).len(),
        1,
        "header only"
    );
    // bad filters and paging parameters are refused
    s.get("/api/v1/submissions/export?limit=5", Some(&unit))
        .envelope(400);
    s.get("/api/v1/submissions/export?status=maybe", Some(&unit))
        .envelope(400);
    s.get("/api/v1/submissions/export", None).envelope(401);

    // many rows stream across internal pages
    let (unit2, cc2) = s.unit(J);
    let d2 = data_for(VALID_CASE, &cc2);
    for _ in 0..3 {
        create(s, &unit2, &draft(&d2));
    }
    let r = s.get(
        &format!("/api/v1/submissions/export?credit_code={cc2}"),
        Some(&s.admin),
    );
    assert_eq!(
        parse_csv(std::str::from_utf8(&r.body[3..]).unwrap()).len(),
        4
    );
}

// ------------------------------------------------------------------ shared cases

/// The CLI's canonical report for a case.
fn cli_report(s: &Server, c: &Value) -> String {
    let dir = s.db.dir.join("cases");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.json", c["id"].as_str().unwrap()));
    std::fs::write(&file, c["data"].to_string()).unwrap();
    let o = s.cli(&[
        "validate",
        "--jurisdiction",
        c["jurisdiction"].as_str().unwrap(),
        "--form",
        c["form"].as_str().unwrap(),
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap().trim_end().to_string()
}

fn shared_cases(s: &Server) {
    let cases = cases();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let mut units: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut fallback: BTreeMap<String, String> = BTreeMap::new();
    let mut failures = Vec::new();
    for c in &cases {
        let (j, f, id) = (
            c["jurisdiction"].as_str().unwrap(),
            c["form"].as_str().unwrap(),
            c["id"].as_str().unwrap(),
        );
        let claimed = c["data"]
            .pointer("/applicant/credit_code")
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("");
        let cc = if validator_core::formats::credit_code_format_ok(claimed)
            && validator_core::formats::credit_code_check_ok(claimed)
        {
            claimed.to_string()
        } else {
            // malformed or absent: the draft is kept as the posting unit's own
            fallback
                .entry(j.to_string())
                .or_insert_with(credit_code)
                .clone()
        };
        let token = units
            .entry((j.to_string(), cc.clone()))
            .or_insert_with(|| s.token("unit", Some(j), Some(&cc)).0)
            .clone();
        let cli = cli_report(s, c);
        let r = s.post(
            "/api/v1/submissions",
            Some(&token),
            &json!({"jurisdiction": j, "form": f, "data": c["data"], "status": "draft"}),
        );
        if r.status != 201 {
            failures.push(format!("{id}: POST {} {}", r.status, r.text()));
            continue;
        }
        let sid = r.json()["id"].as_str().unwrap().to_string();
        let needle = format!("\"report\":{cli}");
        if !r.text().contains(&needle) {
            failures.push(format!(
                "{id}: the 201 answer's report differs from the CLI's"
            ));
        }
        let g = s.get(&format!("/api/v1/submissions/{sid}"), Some(&token));
        if !g.text().contains(&needle) {
            failures.push(format!(
                "{id}: the stored report differs from the CLI's\n  cli:    {cli}\n  stored: {}",
                g.json()["report"]
            ));
        }
        let g = g.json();
        if g["data"] != c["data"] {
            failures.push(format!("{id}: stored data differs"));
        }
        // the expectations of the case hold for the stored report
        let report = &g["report"];
        let rules = |sev: &str| -> BTreeSet<String> {
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x["severity"] == sev)
                .map(|x| x["rule"].as_str().unwrap().to_string())
                .collect()
        };
        let want = |k: &str| -> BTreeSet<String> {
            c["expect"][k]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect()
        };
        if rules("error") != want("errors")
            || rules("warning") != want("warnings")
            || report["valid"] != c["expect"]["valid_for_final_submission"]
        {
            failures.push(format!(
                "{id}: the stored report does not meet the case's expectations"
            ));
        }
        // and POST /validate answers the same bytes
        let v = s.post(
            "/api/v1/validate",
            None,
            &json!({"jurisdiction": j, "form": f, "data": c["data"]}),
        );
        if v.text() != cli {
            failures.push(format!("{id}: /validate differs from the CLI"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    let m = s.settled_metrics();
    assert!(
        m.contains("shenbao_schema_disagreements_total 0"),
        "the JSON Schema disagreed with the engine on a shared case:\n{m}"
    );
    let agreed = metric(&m, "shenbao_schema_checks_total{result=\"agreed\"}").unwrap_or(0.0);
    assert!(
        agreed >= cases.len() as f64,
        "every case posted as a draft was checked: {agreed} agreed\n{m}"
    );
    assert!(
        !m.contains("result=\"skipped\""),
        "no check was skipped:\n{m}"
    );
}

// ------------------------------------------------------------------ bad input

fn bad_input(s: &Server) {
    let (unit, cc) = s.unit(J);
    let good = draft(&data_for(VALID_CASE, &cc));
    let id = create(s, &unit, &good)["id"].as_str().unwrap().to_string();
    let put_path = format!("/api/v1/submissions/{id}");
    let fin_path = format!("/api/v1/submissions/{id}/finalize");
    let limit: usize = 1024 * 1024;
    let huge = format!("{{\"jurisdiction\":\"potou\",\"form\":\"apply\",\"status\":\"draft\",\"data\":{{\"x\":\"{}\"}}}}", "a".repeat(limit + 10));
    let deep = format!(
        "{{\"jurisdiction\":\"potou\",\"form\":\"apply\",\"status\":\"draft\",\"data\":{}1{}}}",
        "[".repeat(100),
        "]".repeat(100)
    );
    let deep_ok = format!("{{\"jurisdiction\":\"potou\",\"form\":\"apply\",\"status\":\"draft\",\"data\":{{\"a\":{}1{}}}}}", "[".repeat(60), "]".repeat(60));
    let very_deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));

    struct Case<'a> {
        what: &'a str,
        method: &'a str,
        path: String,
        token: Option<&'a str>,
        ct: &'a str,
        body: Vec<u8>,
        status: u16,
        field: Option<&'a str>,
    }
    let mut list: Vec<Case> = Vec::new();
    let posts: [(&str, String, Option<&str>); 4] = [
        ("validate", "/api/v1/validate".to_string(), None),
        (
            "create",
            "/api/v1/submissions".to_string(),
            Some(unit.as_str()),
        ),
        ("put", put_path.clone(), Some(unit.as_str())),
        (
            "tokens",
            "/api/v1/tokens".to_string(),
            Some(s.admin.as_str()),
        ),
    ];
    for (name, path, token) in &posts {
        let method = if *name == "put" { "PUT" } else { "POST" };
        let is_validate = *name == "validate";
        let c = |what: &'static str,
                 ct: &'static str,
                 body: &[u8],
                 status: u16,
                 field: Option<&'static str>| Case {
            what,
            method,
            path: path.clone(),
            token: *token,
            ct,
            // POST /validate has no status field
            body: if is_validate
                && what != "status on validate"
                && body.windows(8).any(|w| w == b"\"status\"")
            {
                String::from_utf8_lossy(body)
                    .replace(", \"status\": \"draft\"", "")
                    .into_bytes()
            } else {
                body.to_vec()
            },
            status,
            field,
        };
        list.push(c(
            "malformed JSON",
            "application/json",
            b"{\"jurisdiction\": \"potou\",,}",
            400,
            None,
        ));
        list.push(c(
            "truncated JSON",
            "application/json",
            b"{\"data\": {",
            400,
            None,
        ));
        list.push(c(
            "trailing garbage",
            "application/json",
            b"{} {}",
            400,
            None,
        ));
        list.push(c("empty body", "application/json", b"", 400, None));
        list.push(c("array body", "application/json", b"[1,2]", 400, None));
        list.push(c("string body", "application/json", b"\"x\"", 400, None));
        list.push(c(
            "invalid UTF-8",
            "application/json",
            b"{\"data\": \"\xff\xfe\"}",
            400,
            None,
        ));
        list.push(c(
            "huge body",
            "application/json",
            huge.as_bytes(),
            413,
            None,
        ));
        list.push(c(
            "deep nesting",
            "application/json",
            deep.as_bytes(),
            400,
            None,
        ));
        list.push(c(
            "very deep nesting",
            "application/json",
            very_deep.as_bytes(),
            400,
            None,
        ));
        list.push(c(
            "text/plain",
            "text/plain",
            b"{}",
            415,
            Some("Content-Type"),
        ));
        list.push(c(
            "form encoded",
            "application/x-www-form-urlencoded",
            b"a=b",
            415,
            Some("Content-Type"),
        ));
        list.push(c("no content type", "", b"{}", 415, Some("Content-Type")));
        list.push(c(
            "latin1 charset",
            "application/json; charset=latin1",
            b"{}",
            415,
            Some("Content-Type"),
        ));
        list.push(c(
            "unknown field",
            "application/json",
            b"{\"zzz\": 1}",
            400,
            Some("zzz"),
        ));
        match *name {
            "tokens" => {
                list.push(c(
                    "wrong type",
                    "application/json",
                    b"{\"role\": 5}",
                    400,
                    Some("role"),
                ));
                list.push(c(
                    "bad role",
                    "application/json",
                    b"{\"role\": \"god\"}",
                    400,
                    Some("role"),
                ));
                list.push(c(
                    "admin with jurisdiction",
                    "application/json",
                    b"{\"role\": \"admin\", \"jurisdiction\": \"potou\"}",
                    400,
                    Some("jurisdiction"),
                ));
                list.push(c(
                    "reviewer without jurisdiction",
                    "application/json",
                    b"{\"role\": \"reviewer\"}",
                    400,
                    Some("jurisdiction"),
                ));
                list.push(c(
                    "unit without credit code",
                    "application/json",
                    b"{\"role\": \"unit\", \"jurisdiction\": \"potou\"}",
                    400,
                    Some("credit_code"),
                ));
                list.push(c("bad check digit", "application/json", b"{\"role\": \"unit\", \"jurisdiction\": \"potou\", \"credit_code\": \"114408040073500110\"}", 400, Some("credit_code")));
                list.push(c(
                    "short credit code",
                    "application/json",
                    b"{\"role\": \"unit\", \"jurisdiction\": \"potou\", \"credit_code\": \"1144\"}",
                    400,
                    Some("credit_code"),
                ));
                list.push(c(
                    "unknown jurisdiction",
                    "application/json",
                    b"{\"role\": \"reviewer\", \"jurisdiction\": \"atlantis\"}",
                    400,
                    Some("jurisdiction"),
                ));
                list.push(c(
                    "label too long",
                    "application/json",
                    format!(
                        "{{\"role\": \"admin\", \"label\": \"{}\"}}",
                        "x".repeat(201)
                    )
                    .as_bytes(),
                    400,
                    Some("label"),
                ));
            }
            "put" => {
                list.push(c(
                    "wrong type",
                    "application/json",
                    b"{\"data\": 5}",
                    400,
                    Some("data"),
                ));
                list.push(c(
                    "missing data",
                    "application/json",
                    b"{}",
                    400,
                    Some("data"),
                ));
                list.push(c(
                    "extra field",
                    "application/json",
                    b"{\"data\": {}, \"status\": \"final\"}",
                    400,
                    Some("status"),
                ));
            }
            _ => {
                list.push(c("wrong type", "application/json", b"{\"jurisdiction\": 5, \"form\": \"apply\", \"data\": {}, \"status\": \"draft\"}", 400, Some("jurisdiction")));
                list.push(c("data not an object", "application/json", b"{\"jurisdiction\": \"potou\", \"form\": \"apply\", \"data\": [], \"status\": \"draft\"}", 400, Some("data")));
                list.push(c("unknown jurisdiction", "application/json", b"{\"jurisdiction\": \"atlantis\", \"form\": \"apply\", \"data\": {}, \"status\": \"draft\"}", 400, Some("jurisdiction")));
                list.push(c("unknown form", "application/json", b"{\"jurisdiction\": \"potou\", \"form\": \"nope\", \"data\": {}, \"status\": \"draft\"}", 400, Some("form")));
                list.push(c(
                    "missing form",
                    "application/json",
                    b"{\"jurisdiction\": \"potou\", \"data\": {}, \"status\": \"draft\"}",
                    400,
                    Some("form"),
                ));
                if *name == "create" {
                    list.push(c("bad status", "application/json", b"{\"jurisdiction\": \"potou\", \"form\": \"apply\", \"data\": {}, \"status\": \"done\"}", 400, Some("status")));
                    list.push(c(
                        "missing status",
                        "application/json",
                        b"{\"jurisdiction\": \"potou\", \"form\": \"apply\", \"data\": {}}",
                        400,
                        Some("status"),
                    ));
                } else {
                    list.push(c("status on validate", "application/json", b"{\"jurisdiction\": \"potou\", \"form\": \"apply\", \"data\": {}, \"status\": \"draft\"}", 400, Some("status")));
                }
                list.push(c(
                    "deep but allowed",
                    "application/json",
                    deep_ok
                        .replace(
                            ",\"status\":\"draft\"",
                            if *name == "validate" {
                                ""
                            } else {
                                ",\"status\":\"draft\""
                            },
                        )
                        .as_bytes(),
                    if *name == "create" { 201 } else { 200 },
                    None,
                ));
            }
        }
    }
    // finalize: body must be empty or {}
    for (what, ct, body, status, field) in [
        (
            "finalize with a field",
            "application/json",
            &b"{\"force\": true}"[..],
            400,
            Some("force"),
        ),
        (
            "finalize malformed",
            "application/json",
            &b"{"[..],
            400,
            None,
        ),
        (
            "finalize text/plain",
            "text/plain",
            &b"{}"[..],
            415,
            Some("Content-Type"),
        ),
    ] {
        list.push(Case {
            what,
            method: "POST",
            path: fin_path.clone(),
            token: Some(&unit),
            ct,
            body: body.to_vec(),
            status,
            field,
        });
    }

    let mut failures = Vec::new();
    for c in &list {
        let r = s.request(c.method, &c.path, c.token, &[], Some((c.ct, &c.body)));
        if r.status != c.status {
            failures.push(format!(
                "{} {} [{}]: {} (want {}) {}",
                c.method,
                c.path,
                c.what,
                r.status,
                c.status,
                r.text().chars().take(300).collect::<String>()
            ));
            continue;
        }
        if c.status >= 400 {
            let (_, field) = r.envelope(c.status);
            if c.field.is_some() && field.as_deref() != c.field {
                failures.push(format!(
                    "{} {} [{}]: field {field:?} (want {:?})",
                    c.method, c.path, c.what, c.field
                ));
            }
            if c.what == "malformed JSON" && !r.text().contains("line 1 column") {
                failures.push(format!(
                    "{} [{}]: no line/column: {}",
                    c.path,
                    c.what,
                    r.text()
                ));
            }
        }
    }

    // query parameters
    let queries: &[(&str, &str)] = &[
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("limit=201", "limit"),
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("limit=", "limit"),
        ("limit=1.5", "limit"),
        ("limit=99999999999999999999", "limit"),
        ("from=2025-02-30", "from"),
        ("from=20250101", "from"),
        ("to=yesterday", "to"),
        ("from=", "from"),
        ("cursor=garbage", "cursor"),
        ("cursor=", "cursor"),
        ("cursor=%00%01", "cursor"),
        ("cursor=MTIzOmFiYw", "cursor"),
        (
            "cursor=LTE6MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY",
            "cursor",
        ),
        ("status=maybe", "status"),
        ("jurisdiction=atlantis", "jurisdiction"),
        ("form=nope", "form"),
        ("credit_code=123", "credit_code"),
        ("rule=UPPER", "rule"),
        ("rule=a%25b", "rule"),
        ("unknown=1", "unknown"),
        ("limit=1&limit=2", "limit"),
    ];
    for (q, field) in queries {
        let r = s.get(&format!("/api/v1/submissions?{q}"), Some(&unit));
        if r.status != 400 {
            failures.push(format!("GET ?{q}: {} {}", r.status, r.text()));
            continue;
        }
        let (_, f) = r.envelope(400);
        if f.as_deref() != Some(*field) {
            failures.push(format!("GET ?{q}: field {f:?} (want {field})"));
        }
    }
    for path in [
        "/api/v1/forms?x=1",
        &format!("{put_path}?x=1"),
        "/api/v1/tokens?x=1",
    ] {
        let tok = if path.contains("tokens") {
            Some(s.admin.as_str())
        } else {
            Some(unit.as_str())
        };
        let r = s.get(path, tok);
        if r.status != 400 {
            failures.push(format!("GET {path}: {}", r.status));
        }
    }
    // path parameters: malformed ids are simply not found
    for p in [
        "/api/v1/submissions/not-an-id",
        "/api/v1/submissions/0123",
        "/api/v1/submissions/%00",
        "/api/v1/submissions/ABCDEF0123456789ABCDEF0123456789",
    ] {
        let r = s.get(p, Some(&unit));
        if r.status != 404 {
            failures.push(format!("GET {p}: {}", r.status));
        }
    }
    s.request("DELETE", "/api/v1/tokens/zzz", Some(&s.admin), &[], None)
        .envelope(404);
    s.request(
        "DELETE",
        "/api/v1/tokens/0123456789abcdef0123456789abcdef",
        Some(&s.admin),
        &[],
        None,
    )
    .envelope(404);

    // authorization headers
    for h in [
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer a b",
        &format!("Bearer {}", "A".repeat(500)),
        "Token abc",
    ] {
        let r = s.request(
            "GET",
            "/api/v1/submissions",
            None,
            &[("Authorization", h)],
            None,
        );
        if r.status != 401 {
            failures.push(format!("Authorization {h:?}: {}", r.status));
        } else {
            r.envelope(401);
        }
    }
    assert!(failures.is_empty(), "bad input:\n{}", failures.join("\n"));

    // the data of the draft is untouched by all of this
    let g = s.get(&put_path, Some(&unit)).json();
    assert_eq!(history_actions(&g), ["created"]);
    assert_eq!(s.get("/healthz", None).status, 200);
    let m = s.get("/metrics", None).text();
    assert!(
        !m.lines()
            .any(|l| l.starts_with("shenbao_http_requests_total") && l.contains("status=\"5")),
        "a 5xx was answered:\n{m}"
    );
}

const SCENARIOS: &[Scenario] = &[
    ("public endpoints", public_endpoints),
    ("auth matrix", auth_matrix),
    ("lifecycle", lifecycle),
    ("idempotency", idempotency),
    ("pagination and filters", pagination_and_filters),
    ("export", export),
    ("shared cases", shared_cases),
    ("bad input", bad_input),
];

#[test]
fn sqlite() {
    let s = Server::start(Backend::Sqlite).expect("sqlite always runs");
    run_scenarios(&s, SCENARIOS);
}

#[test]
fn postgres() {
    if let Some(s) = Server::start(Backend::Postgres) {
        run_scenarios(&s, SCENARIOS);
    }
}
