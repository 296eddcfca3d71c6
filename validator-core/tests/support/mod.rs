//! Shared by the rule tests (`tests/rules_*.rs`, each includes it with `mod support;`): the
//! visible shared cases, read once per test binary. The tests name specific cases by ID, so
//! they always read `../shared/cases/` (not `$SHENBAO_CASES`).

use serde_json::Value;
use std::sync::OnceLock;

const PACKS: &[&str] = &["potou", "bazhong", "gaogang", "pingyang", "jianshan"];

/// A shared case by ID (the whole case: id, jurisdiction, form, data, expect).
pub fn shared_case(id: &str) -> &'static Value {
    static CASES: OnceLock<Vec<Value>> = OnceLock::new();
    CASES
        .get_or_init(|| {
            PACKS
                .iter()
                .flat_map(|p| {
                    let path =
                        format!("{}/../../shared/cases/{p}.json", env!("CARGO_MANIFEST_DIR"));
                    let text =
                        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
                    let v: Value =
                        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
                    v.as_array().expect("a case file is an array").clone()
                })
                .collect()
        })
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no shared case {id}"))
}
