//! The committed JSON Schemas under `docs/schemas/{pack}/{form}.schema.json` must equal what
//! `validator_core::schema` generates for every (pack, form) the catalog offers — no missing, no
//! differing and no stale files. With `SHENBAO_BLESS=1` the test rewrites them instead (and removes
//! the files of packs/forms no longer offered).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use validator_core::schema;

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/schemas")
}

fn bless() -> bool {
    std::env::var("SHENBAO_BLESS").is_ok_and(|v| v == "1")
}

/// Every `*.json` file under `dir` (one level of pack directories), relative to `dir`.
fn committed_files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(packs) = std::fs::read_dir(dir) else {
        return out;
    };
    for p in packs.flatten() {
        let path = p.path();
        if path.is_dir() {
            for f in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.ends_with(".json") {
                    out.insert(format!("{}/{name}", p.file_name().to_string_lossy()));
                }
            }
        } else if path.extension().is_some_and(|x| x == "json") {
            out.insert(p.file_name().to_string_lossy().into_owned());
        }
    }
    out
}

/// A short description of the first difference between two texts.
fn first_difference(want: &str, got: &str) -> String {
    for (n, (a, b)) in want.lines().zip(got.lines()).enumerate() {
        if a != b {
            return format!(
                "first difference at line {}:\n      generated: {a}\n      committed: {b}",
                n + 1
            );
        }
    }
    format!(
        "generated has {} lines, committed has {}",
        want.lines().count(),
        got.lines().count()
    )
}

#[test]
fn committed_schemas_match_the_generator() {
    let dir = schemas_dir();
    let offered = schema::offered();
    assert!(!offered.is_empty(), "the catalog offers no form at all");
    let mut expected = BTreeSet::new();
    let mut problems = Vec::new();
    let mut written = 0;
    for (j, f) in &offered {
        let rel = schema::schema_file(j, f);
        expected.insert(rel.clone());
        let text = schema::render(
            &schema::schema(j, f)
                .unwrap_or_else(|e| panic!("{j}/{f} is offered but has no schema: {e}")),
        );
        let path = dir.join(&rel);
        match std::fs::read_to_string(&path) {
            Ok(committed) if committed == text => {}
            found => {
                if bless() {
                    std::fs::create_dir_all(path.parent().expect("pack directory"))
                        .expect("create docs/schemas/<pack>");
                    std::fs::write(&path, &text)
                        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
                    written += 1;
                } else {
                    match found {
                        Ok(committed) => problems.push(format!(
                            "  {rel}: differs from the generated schema; {}",
                            first_difference(&text, &committed)
                        )),
                        Err(_) => problems.push(format!("  {rel}: missing")),
                    }
                }
            }
        }
    }
    for stale in committed_files(&dir).difference(&expected) {
        let path = dir.join(stale);
        if bless() {
            std::fs::remove_file(&path)
                .unwrap_or_else(|e| panic!("cannot remove {}: {e}", path.display()));
            if let Some(parent) = path.parent() {
                if parent != dir && std::fs::read_dir(parent).is_ok_and(|mut d| d.next().is_none())
                {
                    let _ = std::fs::remove_dir(parent);
                }
            }
            written += 1;
        } else {
            problems.push(format!(
                "  {stale}: stale (its pack/form is no longer offered)"
            ));
        }
    }
    if bless() {
        eprintln!(
            "SHENBAO_BLESS=1: {written} schema file(s) written or removed under {}",
            dir.display()
        );
        return;
    }
    assert!(
        problems.is_empty(),
        "docs/schemas is out of date with validator_core::schema ({} problem(s)):\n{}\nRegenerate with: {}",
        problems.len(),
        problems.join("\n"),
        schema::REGENERATE
    );
    eprintln!("{} committed schemas match the generator", offered.len());
}

#[test]
fn every_schema_lists_what_it_cannot_express() {
    for (j, f) in schema::offered() {
        let s = schema::schema(j, f).unwrap();
        let description = s["description"].as_str().unwrap_or_default();
        let missing = schema::untranslatable(j, f);
        assert!(!missing.is_empty(), "{j}/{f}: the credit-code check digit is never expressible, so the list cannot be empty");
        for m in missing {
            assert!(
                description.contains(&m),
                "{j}/{f}: the top-level description does not list “{m}”"
            );
        }
    }
}
