//! Parse + validate throughput on the shared cases (`../shared/cases/*.json`, or `$SHENBAO_CASES`).
//!
//! Benchmarks, named so that `scripts/bench-summary.py` can pair each with its baseline:
//!
//! * `apply/<pack>/valid`, `apply/<pack>/invalid` — `validate_json` on the JSON text of a valid and
//!   an invalid `apply` case of every pack;
//! * `form/<form>` — the first case of every form that some pack offers (packs in spec order);
//! * `baseline/parse/<name>` — `serde_json::from_str::<Value>` of the same text alone, measured in
//!   the same run, so results can be reported as ratios (validate ÷ parse).
//!
//! Run: `cargo bench -p validator-core --bench validate` (about a minute), then
//! `python3 scripts/bench-summary.py` for the table.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use validator_core::model::FormKind;
use validator_core::packs::PACKS;

fn cases_dir() -> PathBuf {
    std::env::var_os("SHENBAO_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/cases"))
}

/// One benchmark input: the JSON text of a case's `data`.
struct Input {
    /// e.g. `apply/potou/valid`
    group: String,
    id: String,
    jurisdiction: String,
    form: String,
    case: String,
    text: String,
}

impl Input {
    fn new(group: &str, id: &str, case: &Value) -> Input {
        Input {
            group: group.to_string(),
            id: id.to_string(),
            jurisdiction: case["jurisdiction"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            form: case["form"].as_str().unwrap_or_default().to_string(),
            case: case["id"].as_str().unwrap_or_default().to_string(),
            text: serde_json::to_string(&case["data"]).expect("case data serializes"),
        }
    }

    /// `apply/potou/valid` → `apply-potou-valid`: the baseline's parameter.
    fn flat_name(&self) -> String {
        format!("{}/{}", self.group, self.id).replace('/', "-")
    }
}

fn load_cases() -> Vec<Value> {
    let dir = cases_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read cases at {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        out.extend(v.as_array().cloned().unwrap_or_default());
    }
    out
}

fn inputs() -> Vec<Input> {
    let cases = load_cases();
    let of = |j: &'static str, f: &'static str| {
        cases
            .iter()
            .filter(move |c| c["jurisdiction"] == j && c["form"] == f)
    };
    let valid = |c: &&Value| c["expect"]["valid_for_final_submission"].as_bool();
    let mut out = Vec::new();
    for p in PACKS {
        let mut apply = of(p.id, "apply");
        match apply.clone().find(|c| valid(c) == Some(true)) {
            Some(c) => out.push(Input::new("apply", &format!("{}/valid", p.id), c)),
            None => eprintln!("note: no valid apply case for {}", p.id),
        }
        match apply.find(|c| valid(c) == Some(false)) {
            Some(c) => out.push(Input::new("apply", &format!("{}/invalid", p.id), c)),
            None => eprintln!("note: no invalid apply case for {}", p.id),
        }
    }
    for f in FormKind::ALL {
        if !PACKS.iter().any(|p| p.offers(*f)) {
            continue;
        }
        // the first case of the form, packs in spec order, cases in file order
        let first = PACKS
            .iter()
            .filter(|p| p.offers(*f))
            .find_map(|p| of(p.id, f.key()).next());
        match first {
            Some(c) => out.push(Input::new("form", f.key(), c)),
            None => eprintln!("note: no case of form {}", f.key()),
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    assert!(
        !inputs.is_empty(),
        "no benchmark inputs found in {}",
        cases_dir().display()
    );
    for i in &inputs {
        // validate once outside the timing: compiles the (pack, form) tables and checks the input
        let r = validator_core::validate_json(&i.jurisdiction, &i.form, &i.text)
            .unwrap_or_else(|e| panic!("{}/{} ({}): {e}", i.group, i.id, i.case));
        eprintln!(
            "{}/{} ← {} ({} bytes, {} findings)",
            i.group,
            i.id,
            i.case,
            i.text.len(),
            r.findings.len()
        );
    }

    for group in ["apply", "form"] {
        let mut g = c.benchmark_group(group);
        for i in inputs.iter().filter(|i| i.group == group) {
            let (id, j, f, text) = (
                i.id.as_str(),
                i.jurisdiction.as_str(),
                i.form.as_str(),
                i.text.as_str(),
            );
            let bid = match id.split_once('/') {
                Some((a, b)) => BenchmarkId::new(a, b),
                None => BenchmarkId::from_parameter(id),
            };
            g.bench_function(bid, |b| {
                b.iter(|| {
                    validator_core::validate_json(black_box(j), black_box(f), black_box(text))
                })
            });
        }
        g.finish();
    }

    let mut g = c.benchmark_group("baseline");
    for i in &inputs {
        let text = i.text.as_str();
        g.bench_function(BenchmarkId::new("parse", i.flat_name()), |b| {
            b.iter(|| serde_json::from_str::<Value>(black_box(text)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    // modest: about 1.5 s per benchmark, well under a minute and a half for the whole run
    config = Criterion::default().sample_size(30).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
