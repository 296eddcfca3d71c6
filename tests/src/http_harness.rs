//! Harness of the HTTP tests (`tests/tests/http_*.rs` include it with `#[path]`; it is not part
//! of the library because it uses dev-dependencies): starts the REAL `api-server` binary on
//! `127.0.0.1:0` against a fresh SQLite file or a fresh PostgreSQL database, talks to it over
//! HTTP, runs its command line with the same environment, and cleans up afterwards.
//!
//! The binary is `$SHENBAO_BIN` if set, else `cargo build -p api-server` is run once and
//! `target/debug/api-server` used. PostgreSQL: 127.0.0.1:5432, user `postgres` (trust auth); a
//! database `shenbao_test_<random>` is created and dropped. `SHENBAO_TEST_PG=skip` skips the
//! PostgreSQL runs (they fail otherwise when PostgreSQL is unreachable).

#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn cases_dir() -> PathBuf {
    std::env::var_os("SHENBAO_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/cases"))
}

/// Every shared case, in file order.
pub fn cases() -> Vec<Value> {
    let dir = cases_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read cases at {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        out.extend(
            v.as_array()
                .expect("a case file is an array")
                .iter()
                .cloned(),
        );
    }
    out
}

pub fn case(id: &str) -> Value {
    cases()
        .into_iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no case {id}"))
}

/// The api-server binary (built once per test process unless `$SHENBAO_BIN` is set).
pub fn bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(b) = std::env::var_os("SHENBAO_BIN") {
            return PathBuf::from(b);
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-p", "api-server", "--quiet"])
            .current_dir(workspace())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build -p api-server failed");
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("target"));
        target.join("debug").join("api-server")
    })
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A unique lowercase token for names (databases, directories, keys).
pub fn unique() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut x = t ^ (u64::from(std::process::id()) << 32) ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // splitmix64
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    format!("{x:016x}{n:04x}")
}

/// A fresh valid unified social credit code (GB 32100-2015 check character computed).
pub fn credit_code() -> String {
    let u = unique();
    let digits: String = u
        .bytes()
        .map(|b| char::from(b'0' + (b % 10)))
        .take(15)
        .collect();
    let mut s = format!("91{digits}");
    let c = validator_core::formats::credit_code_check_char(&format!("{s}0"))
        .expect("17 valid characters");
    s.push(char::from(c));
    assert!(validator_core::formats::credit_code_check_ok(&s), "{s}");
    s
}

fn psql(sql: &str) -> Result<(), String> {
    let o = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            "5432",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-qAtc",
            sql,
        ])
        .output()
        .map_err(|e| format!("psql: {e}"))?;
    if o.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

pub fn pg_skipped() -> bool {
    std::env::var("SHENBAO_TEST_PG").is_ok_and(|v| v == "skip")
}

/// A database of one backend, dropped with the value.
pub struct Database {
    pub backend: Backend,
    pub url: String,
    pg_name: Option<String>,
    pub dir: PathBuf,
}

impl Database {
    /// `None` when PostgreSQL is skipped.
    pub fn create(backend: Backend) -> Option<Database> {
        let dir = std::env::temp_dir().join(format!("shenbao-http-{}", unique()));
        std::fs::create_dir_all(&dir).unwrap();
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.join("data/shenbao.db").display());
                Some(Database {
                    backend,
                    url,
                    pg_name: None,
                    dir,
                })
            }
            Backend::Postgres => {
                if pg_skipped() {
                    eprintln!("SHENBAO_TEST_PG=skip: PostgreSQL run skipped");
                    return None;
                }
                let name = format!("shenbao_test_{}", unique());
                if let Err(e) = psql(&format!("CREATE DATABASE {name}")) {
                    panic!(
                        "cannot create a PostgreSQL database on 127.0.0.1:5432 as postgres ({e}); start it with \
                         `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or set SHENBAO_TEST_PG=skip"
                    );
                }
                let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
                Some(Database {
                    backend,
                    url,
                    pg_name: Some(name),
                    dir,
                })
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if let Err(e) = psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")) {
                eprintln!("warning: could not drop {name}: {e}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An HTTP answer.
#[derive(Clone, Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts the status, printing the body otherwise; returns self.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Resp {
        assert_eq!(
            self.status,
            status,
            "unexpected status; body: {}",
            self.text()
        );
        self
    }

    /// Asserts an error envelope with this status; returns (code, field).
    #[track_caller]
    pub fn envelope(&self, status: u16) -> (String, Option<String>) {
        self.expect(status);
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "error content type {:?}",
            self.header("content-type")
        );
        let v = self.json();
        let e = &v["error"];
        assert_eq!(e["status"], status, "{v}");
        assert!(
            e["code"].is_string() && e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{v}"
        );
        (
            e["code"].as_str().unwrap().to_string(),
            e["field"].as_str().map(str::to_string),
        )
    }
}

/// A running server.
pub struct Server {
    pub base: String,
    pub db: Database,
    pub admin: String,
    pub env: Vec<(String, String)>,
    child: Option<Child>,
    log: PathBuf,
    agent: ureq::Agent,
}

pub const TODAY: &str = "2025-09-15";

impl Server {
    /// Starts a server on a fresh database with `SHENBAO_TODAY` = [`TODAY`]; `None` when the
    /// backend is skipped.
    pub fn start(backend: Backend) -> Option<Server> {
        Server::start_with(backend, &[("SHENBAO_TODAY", TODAY)])
    }

    pub fn start_with(backend: Backend, extra: &[(&str, &str)]) -> Option<Server> {
        let mut s = Server::prepare(backend, extra)?;
        s.spawn(&[]);
        Some(s)
    }

    /// A fresh database with an admin token ([`Server::admin`]), the server not yet started
    /// (see [`Server::spawn`]).
    pub fn prepare(backend: Backend, extra: &[(&str, &str)]) -> Option<Server> {
        let db = Database::create(backend)?;
        let mut env: Vec<(String, String)> = vec![
            ("DATABASE_URL".into(), db.url.clone()),
            ("SHENBAO_BIND".into(), "127.0.0.1:0".into()),
            (
                "SHENBAO_WEB_ROOT".into(),
                workspace().join("web-demo").display().to_string(),
            ),
            ("SHENBAO_LOG".into(), "info".into()),
            ("SHENBAO_WORKERS".into(), "2".into()),
        ];
        for (k, v) in extra {
            env.retain(|(x, _)| x != k);
            env.push((k.to_string(), v.to_string()));
        }
        let mut s = Server {
            base: String::new(),
            log: db.dir.join("server.log"),
            db,
            admin: String::new(),
            env,
            child: None,
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(60))
                .build(),
        };
        let o = s.cli(&[
            "token",
            "create",
            "--role",
            "admin",
            "--label",
            "test admin",
        ]);
        assert!(
            o.status.success(),
            "token create: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        s.admin = String::from_utf8(o.stdout).unwrap().trim().to_string();
        Some(s)
    }

    /// A command for the binary with this server's environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args(args)
            .env_remove("SHENBAO_CALENDAR_DIR")
            .env_remove("SHENBAO_LOG_FORMAT");
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// Runs the command line with this server's environment.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the binary runs")
    }

    /// Starts the server process (no subcommand: `serve` is the default) and waits for its
    /// `listening on` line.
    pub fn spawn(&mut self, args: &[&str]) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            while let Some(Ok(l)) = lines.next() {
                let _ = tx.send(l);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(l) => {
                    if let Some(addr) = l.strip_prefix("listening on ") {
                        self.base = addr.trim().to_string();
                        break;
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!("the server did not start; log:\n{}", self.log_text());
                }
            }
        }
        self.child = Some(child);
    }

    /// Starts a second server process on the same database; (process, base URL). The caller
    /// kills it.
    pub fn spawn_extra(&self) -> (Child, String) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let mut child = self
            .command(&[])
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("the server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        match lines.next() {
            Some(Ok(l)) if l.starts_with("listening on ") => {
                std::thread::spawn(move || for _ in lines {});
                let base = l.trim_start_matches("listening on ").trim().to_string();
                (child, base)
            }
            other => {
                let _ = child.kill();
                panic!(
                    "the second server did not start ({other:?}); log:\n{}",
                    self.log_text()
                );
            }
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM and wait (graceful shutdown); the exit status.
    pub fn stop(&mut self) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(st)) = child.try_wait() {
                return Some(st);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        child.wait().ok()
    }

    /// The server's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// `kill -9`: the process gets no chance to flush or clean up (crash tests).
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill(); // SIGKILL
            let _ = c.wait();
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// One request. `body`: (content type or "" for none, bytes).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Resp {
        self.request_at(&self.base, method, path, token, headers, body)
    }

    /// One request; a transport failure (connection refused or reset, e.g. by a crash) is an
    /// `Err` instead of a panic.
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Result<Resp, String> {
        self.try_request_at(&self.base, method, path, token, headers, body)
    }

    /// One request to another process on the same database (see [`Server::spawn_extra`]).
    pub fn request_at(
        &self,
        base: &str,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Resp {
        self.try_request_at(base, method, path, token, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn try_request_at(
        &self,
        base: &str,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Result<Resp, String> {
        let mut r = self.agent.request(method, &format!("{base}{path}"));
        if let Some(t) = token {
            r = r.set("Authorization", &format!("Bearer {t}"));
        }
        for (k, v) in headers {
            r = r.set(k, v);
        }
        let res = match body {
            Some((ct, bytes)) => {
                if !ct.is_empty() {
                    r = r.set("Content-Type", ct);
                }
                r.send_bytes(bytes)
            }
            None => r.call(),
        };
        let resp = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(format!("transport error: {e}")),
        };
        let status = resp.status();
        let headers = resp
            .headers_names()
            .into_iter()
            .flat_map(|n| {
                resp.all(&n)
                    .into_iter()
                    .map(move |v| (n.clone(), v.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut body = Vec::new();
        resp.into_reader()
            .read_to_end(&mut body)
            .map_err(|e| format!("body: {e}"))?;
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.request("GET", path, token, &[], None)
    }

    pub fn send_json(&self, method: &str, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.request(
            method,
            path,
            token,
            &[],
            Some(("application/json", body.to_string().as_bytes())),
        )
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.send_json("POST", path, token, body)
    }

    pub fn post_with_key(&self, path: &str, token: Option<&str>, key: &str, body: &Value) -> Resp {
        self.request(
            "POST",
            path,
            token,
            &[("Idempotency-Key", key)],
            Some(("application/json", body.to_string().as_bytes())),
        )
    }

    /// `/metrics` once every queued JSON Schema second check has run (they run off the request
    /// path), so that `shenbao_schema_*` counters are final.
    pub fn settled_metrics(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let m = self.get("/metrics", None).text();
            if m.contains("shenbao_schema_checks_pending 0\n") || Instant::now() > deadline {
                return m;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A new token through the API: (secret, id).
    pub fn token(
        &self,
        role: &str,
        jurisdiction: Option<&str>,
        credit_code: Option<&str>,
    ) -> (String, String) {
        let mut b = serde_json::json!({ "role": role, "label": format!("test {role}") });
        if let Some(j) = jurisdiction {
            b["jurisdiction"] = j.into();
        }
        if let Some(c) = credit_code {
            b["credit_code"] = c.into();
        }
        let r = self.post("/api/v1/tokens", Some(&self.admin), &b);
        r.expect(201);
        let v = r.json();
        (
            v["token"].as_str().unwrap().to_string(),
            v["id"].as_str().unwrap().to_string(),
        )
    }

    /// A unit token of a fresh credit code in `jurisdiction`: (secret, credit code).
    pub fn unit(&self, jurisdiction: &str) -> (String, String) {
        let cc = credit_code();
        (self.token("unit", Some(jurisdiction), Some(&cc)).0, cc)
    }

    /// Every page of the list for `query` (without cursor), following next_cursor.
    pub fn list_all(&self, token: &str, query: &str, limit: u32) -> Vec<Value> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..10_000 {
            let mut q = format!("limit={limit}");
            if !query.is_empty() {
                q = format!("{query}&{q}");
            }
            if let Some(c) = &cursor {
                q.push_str(&format!("&cursor={c}"));
            }
            let r = self.get(&format!("/api/v1/submissions?{q}"), Some(token));
            r.expect(200);
            let v = r.json();
            let items = v["items"].as_array().unwrap().clone();
            assert!(items.len() <= limit as usize);
            out.extend(items);
            match v["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return out,
            }
        }
        panic!("pagination does not end");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The value of one series in a `/metrics` text (`series` with its labels, as printed), if present.
pub fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

/// A filing's data: a case's data with the applicant's credit code replaced.
pub fn data_for(case_id: &str, credit_code: &str) -> Value {
    let mut d = case(case_id)["data"].clone();
    d["applicant"]["credit_code"] = credit_code.into();
    d
}

/// Runs named scenarios against one server, collecting every failure (with the server log).
/// A named test body run against a server.
pub type Scenario = (&'static str, fn(&Server));

pub fn run_scenarios(server: &Server, scenarios: &[Scenario]) {
    let mut failures = Vec::new();
    for (name, f) in scenarios {
        let started = Instant::now();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(server)));
        eprintln!(
            "[{:?}] {name}: {} ({} ms)",
            server.db.backend,
            if r.is_ok() { "ok" } else { "FAILED" },
            started.elapsed().as_millis()
        );
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{name}: {msg}"));
        }
    }
    let log = server.log_text();
    assert!(!log.contains("panicked"), "the server panicked:\n{log}");
    if !failures.is_empty() {
        let tail: Vec<&str> = log
            .lines()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        panic!(
            "{} scenario(s) failed on {:?}:\n{}\n--- server log (tail) ---\n{}",
            failures.len(),
            server.db.backend,
            failures.join("\n"),
            tail.join("\n")
        );
    }
}
