//! Process metrics in the Prometheus text format (`GET /metrics`). Label values are bounded:
//! routes are patterns (`/api/v1/submissions/{id}`), jurisdictions and forms are catalog keys.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

const BUCKETS: [f64; 9] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    durations: Mutex<BTreeMap<String, Histogram>>,
    in_flight: AtomicI64,
    validations: Mutex<BTreeMap<(String, String, &'static str), u64>>,
    stored: Mutex<BTreeMap<&'static str, u64>>,
    disagreements: Mutex<BTreeMap<(String, String), u64>>,
    db_errors: AtomicU64,
    write_batches: AtomicU64,
    write_ops: AtomicU64,
    write_batch_max: AtomicU64,
    schema_checks: Mutex<BTreeMap<&'static str, u64>>,
    schema_checks_pending: AtomicI64,
    shed: AtomicU64,
}

static METRICS: OnceLock<Metrics> = OnceLock::new();

/// The process-wide metrics.
pub fn get() -> &'static Metrics {
    METRICS.get_or_init(Metrics::default)
}

fn bump<K: Ord>(m: &Mutex<BTreeMap<K, u64>>, k: K) {
    if let Ok(mut g) = m.lock() {
        *g.entry(k).or_insert(0) += 1;
    }
}

/// Escapes a label value.
fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    pub fn request_started(&self) {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
    }

    pub fn request_finished(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        bump(
            &self.requests,
            (method.to_string(), route.to_string(), status),
        );
        if let Ok(mut g) = self.durations.lock() {
            let h = g.entry(route.to_string()).or_default();
            for (i, b) in BUCKETS.iter().enumerate() {
                if seconds <= *b {
                    h.counts[i] += 1;
                }
            }
            h.sum += seconds;
            h.count += 1;
        }
    }

    /// A validation by the engine; `verdict` is `valid` or `invalid`.
    pub fn validation(&self, jurisdiction: &str, form: &str, valid: bool) {
        bump(
            &self.validations,
            (
                jurisdiction.to_string(),
                form.to_string(),
                if valid { "valid" } else { "invalid" },
            ),
        );
    }

    /// A filing write committed: `created`, `updated` or `finalized`.
    pub fn stored(&self, action: &'static str) {
        bump(&self.stored, action);
    }

    pub fn disagreement(&self, jurisdiction: &str, form: &str) {
        bump(
            &self.disagreements,
            (jurisdiction.to_string(), form.to_string()),
        );
    }

    /// A request shed under overload (503).
    pub fn shed(&self) {
        self.shed.fetch_add(1, Ordering::Relaxed);
    }

    /// A second check finished: `agreed`, `disagreed`, `skipped` (queue full) or `failed`.
    pub fn schema_check(&self, result: &'static str) {
        bump(&self.schema_checks, result);
    }

    pub fn schema_check_queued(&self) {
        self.schema_checks_pending.fetch_add(1, Ordering::Relaxed);
    }

    pub fn schema_check_done(&self) {
        self.schema_checks_pending.fetch_sub(1, Ordering::Relaxed);
    }

    /// A group-commit transaction of `ops` writes.
    pub fn write_batch(&self, ops: usize) {
        self.write_batches.fetch_add(1, Ordering::Relaxed);
        self.write_ops.fetch_add(ops as u64, Ordering::Relaxed);
        self.write_batch_max
            .fetch_max(ops as u64, Ordering::Relaxed);
    }

    pub fn db_error(&self) {
        self.db_errors.fetch_add(1, Ordering::Relaxed);
    }

    pub fn disagreements_total(&self) -> u64 {
        self.disagreements
            .lock()
            .map(|g| g.values().sum())
            .unwrap_or(0)
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let rs = validator_core::rule_set();
        family(
            &mut s,
            "shenbao_build_info",
            "gauge",
            "Build and rule set of this process.",
        );
        let _ = writeln!(
            s,
            "shenbao_build_info{{version=\"{}\",rule_set_version=\"{}\",rule_set_digest=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION"),
            esc(&rs.version),
            esc(&rs.digest)
        );

        family(
            &mut s,
            "shenbao_http_requests_total",
            "counter",
            "HTTP requests by method, route pattern and status.",
        );
        if let Ok(g) = self.requests.lock() {
            for ((m, r, st), n) in g.iter() {
                let _ = writeln!(
                    s,
                    "shenbao_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{st}\"}} {n}",
                    esc(m),
                    esc(r)
                );
            }
        }
        family(
            &mut s,
            "shenbao_http_request_duration_seconds",
            "histogram",
            "Time to the response head, by route pattern.",
        );
        if let Ok(g) = self.durations.lock() {
            for (r, h) in g.iter() {
                let r = esc(r);
                for (i, b) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        s,
                        "shenbao_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{b}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    s,
                    "shenbao_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    s,
                    "shenbao_http_request_duration_seconds_sum{{route=\"{r}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    s,
                    "shenbao_http_request_duration_seconds_count{{route=\"{r}\"}} {}",
                    h.count
                );
            }
        }
        scalar(
            &mut s,
            "shenbao_http_requests_in_flight",
            "gauge",
            "Requests being handled.",
            self.in_flight.load(Ordering::Relaxed),
        );

        family(
            &mut s,
            "shenbao_validations_total",
            "counter",
            "Filings validated by the engine, by verdict.",
        );
        if let Ok(g) = self.validations.lock() {
            for ((j, f, v), n) in g.iter() {
                let _ = writeln!(
                    s,
                    "shenbao_validations_total{{jurisdiction=\"{}\",form=\"{}\",verdict=\"{v}\"}} {n}",
                    esc(j),
                    esc(f)
                );
            }
        }
        family(
            &mut s,
            "shenbao_filings_stored_total",
            "counter",
            "Filing writes committed, by action.",
        );
        if let Ok(g) = self.stored.lock() {
            for a in ["created", "updated", "finalized"] {
                let _ = writeln!(
                    s,
                    "shenbao_filings_stored_total{{action=\"{a}\"}} {}",
                    g.get(a).copied().unwrap_or(0)
                );
            }
        }
        scalar(
            &mut s,
            "shenbao_schema_disagreements_total",
            "counter",
            "Filings where the JSON Schema and the engine disagreed (a defect).",
            self.disagreements_total(),
        );
        if let Ok(g) = self.disagreements.lock() {
            family(
                &mut s,
                "shenbao_schema_disagreements_by_form_total",
                "counter",
                "The same, by jurisdiction and form.",
            );
            for ((j, f), n) in g.iter() {
                let _ = writeln!(
                    s,
                    "shenbao_schema_disagreements_by_form_total{{jurisdiction=\"{}\",form=\"{}\"}} {n}",
                    esc(j),
                    esc(f)
                );
            }
        }
        scalar(
            &mut s,
            "shenbao_db_errors_total",
            "counter",
            "Database errors (queries failed or database unreachable).",
            self.db_errors.load(Ordering::Relaxed),
        );
        scalar(
            &mut s,
            "shenbao_requests_shed_total",
            "counter",
            "Requests answered 503 at once because SHENBAO_MAX_IN_FLIGHT were being handled.",
            self.shed.load(Ordering::Relaxed),
        );
        family(
            &mut s,
            "shenbao_schema_checks_total",
            "counter",
            "JSON Schema second checks by result (agreed, disagreed, skipped when the checker is behind, failed).",
        );
        if let Ok(g) = self.schema_checks.lock() {
            for (r, n) in g.iter() {
                let _ = writeln!(s, "shenbao_schema_checks_total{{result=\"{r}\"}} {n}");
            }
        }
        scalar(
            &mut s,
            "shenbao_schema_checks_pending",
            "gauge",
            "Filings waiting for their second check.",
            self.schema_checks_pending.load(Ordering::Relaxed),
        );
        scalar(
            &mut s,
            "shenbao_write_batches_total",
            "counter",
            "Group-commit transactions (one fsync each).",
            self.write_batches.load(Ordering::Relaxed),
        );
        scalar(
            &mut s,
            "shenbao_write_ops_total",
            "counter",
            "Writes applied by group-commit transactions.",
            self.write_ops.load(Ordering::Relaxed),
        );
        scalar(
            &mut s,
            "shenbao_write_batch_max",
            "gauge",
            "Largest group-commit transaction so far.",
            self.write_batch_max.load(Ordering::Relaxed),
        );
        s
    }
}

/// The `# HELP` and `# TYPE` lines of a metric family.
fn family(s: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(s, "# HELP {name} {help}");
    let _ = writeln!(s, "# TYPE {name} {kind}");
}

/// A metric family of one unlabelled sample.
fn scalar(s: &mut String, name: &str, kind: &str, help: &str, value: impl std::fmt::Display) {
    family(s, name, kind, help);
    let _ = writeln!(s, "{name} {value}");
}
