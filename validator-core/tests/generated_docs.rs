//! The committed rule documentation (`docs/rules/*.md`) must equal what `validator_core::docs`
//! renders from the rule data, so the pages cannot drift from the rules the engine runs.
//!
//! * A stale or missing page fails with the list of differences.
//! * `SHENBAO_BLESS=1 cargo test -p validator-core --test generated_docs` rewrites the pages and
//!   removes pages of packs that no longer exist.
//! * Every rule has exactly one entry, on its pack's page, with its condition verbatim.
//! * The rule counts by pack and severity equal the count table of spec §3
//!   (`../shared/spec/domain.md`, or `$SHENBAO_SPEC`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use validator_core::docs;

fn docs_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/rules");
    dir.canonicalize().unwrap_or(dir)
}

fn bless() -> bool {
    std::env::var("SHENBAO_BLESS").is_ok_and(|v| v == "1")
}

const BLESS: &str = "run SHENBAO_BLESS=1 cargo test -p validator-core --test generated_docs";

/// A generated file of the crate (`rel` from its manifest directory): with `SHENBAO_BLESS=1`
/// rewritten to `want` if it differs (and `None`), else its committed contents.
fn committed_unless_blessed(rel: &str, want: &[u8]) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    let got = std::fs::read(&path).unwrap_or_default();
    if bless() {
        if got != want {
            std::fs::write(&path, want).unwrap();
        }
        return None;
    }
    Some(got)
}

/// The Markdown files currently in the directory (name → contents).
fn committed(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        if path.is_file() && path.extension().is_some_and(|x| x == "md") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.insert(
                name,
                std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            );
        }
    }
    out
}

/// The first differing line, for a readable failure message.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i), g.get(i));
        if a != b {
            return format!(
                "first difference at line {}:\n        generated: {}\n        committed: {}",
                i + 1,
                a.map_or("<end of file>".to_string(), |s| format!("{s:?}")),
                b.map_or("<end of file>".to_string(), |s| format!("{s:?}"))
            );
        }
    }
    "contents differ only in the final newline".to_string()
}

#[test]
fn rule_docs_are_up_to_date() {
    let dir = docs_dir();
    let generated = docs::generated_files();
    let wanted: BTreeMap<&str, &str> = generated
        .iter()
        .map(|(f, s)| (f.as_str(), s.as_str()))
        .collect();
    let on_disk = committed(&dir);

    if bless() {
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        for (name, body) in &wanted {
            if on_disk.get(*name).map(String::as_str) != Some(*body) {
                std::fs::write(dir.join(name), body)
                    .unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
                eprintln!("wrote docs/rules/{name}");
            }
        }
        for name in on_disk.keys().filter(|n| !wanted.contains_key(n.as_str())) {
            std::fs::remove_file(dir.join(name))
                .unwrap_or_else(|e| panic!("cannot remove {name}: {e}"));
            eprintln!("removed stale docs/rules/{name}");
        }
        return;
    }

    let mut problems = Vec::new();
    for (name, body) in &wanted {
        match on_disk.get(*name) {
            None => problems.push(format!("  missing: docs/rules/{name}")),
            Some(got) if got != body => problems.push(format!(
                "  stale:   docs/rules/{name}; {}",
                first_difference(body, got)
            )),
            Some(_) => {}
        }
    }
    for name in on_disk.keys().filter(|n| !wanted.contains_key(n.as_str())) {
        problems.push(format!(
            "  extra:   docs/rules/{name} (no such pack any more)"
        ));
    }
    assert!(
        problems.is_empty(),
        "the rule documentation in {} does not match the rule data:\n{}\n\nRegenerate it with:\n    {}\n",
        dir.display(),
        problems.join("\n"),
        docs::REGENERATE
    );
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(docs::generated_files(), docs::generated_files());
    assert_eq!(docs::index_markdown(), docs::index_markdown());
}

#[test]
fn one_page_per_pack_and_one_entry_per_rule() {
    let files = docs::generated_files();
    let mut ids: Vec<&str> = validator_core::packs::all_rules()
        .map(|(_, r)| r.id)
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "rule IDs must be unique across packs");
    for (pack, rule) in validator_core::packs::all_rules() {
        let anchor = format!("<a id=\"{}\"></a>", rule.id);
        let homes: Vec<&str> = files
            .iter()
            .filter(|(_, s)| s.matches(&anchor).count() == 1)
            .map(|(f, _)| f.as_str())
            .collect();
        assert_eq!(
            homes,
            vec![docs::page_file(pack.id).as_str()],
            "{} must have exactly one entry, on its pack's page",
            rule.id
        );
        let page = docs::pack_markdown(pack.id).expect("a documented pack");
        assert!(
            page.contains(rule.when.trim_end()),
            "{}: the condition must appear verbatim",
            rule.id
        );
    }
    assert!(docs::pack_markdown("no-such-pack").is_none());
    assert_eq!(
        files.len(),
        2 + validator_core::packs::PACKS.len(),
        "index + common + one page per jurisdiction"
    );
}

/// Parses the count table of spec §3 (`| pack | error | warning | info | total | exemptible |`).
fn spec_counts() -> Option<BTreeMap<String, [usize; 5]>> {
    let spec = std::env::var_os("SHENBAO_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec/domain.md")
        });
    let text = std::fs::read_to_string(spec).ok()?;
    let start = text.find("Counts by pack and severity")?;
    let mut out = BTreeMap::new();
    for line in text[start..]
        .lines()
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
    {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let nums: Vec<usize> = cells
            .iter()
            .skip(1)
            .filter_map(|c| c.parse().ok())
            .collect();
        if cells.len() == 6 && nums.len() == 5 {
            out.insert(
                cells[0].trim_matches('*').to_string(),
                [nums[0], nums[1], nums[2], nums[3], nums[4]],
            );
        }
    }
    Some(out)
}

/// The index's counts (by pack and base severity) against the count table of spec §3.
#[test]
fn rule_counts_match_spec_table() {
    let Some(spec) = spec_counts().filter(|t| !t.is_empty()) else {
        eprintln!("spec §3 count table not found (set SHENBAO_SPEC); skipped");
        return;
    };
    let mut mismatches = Vec::new();
    let mut all = [0usize; 5];
    for p in docs::documented_packs() {
        let c = docs::Counts::of(p);
        let got = [c.error, c.warning, c.info, c.total, c.exemptible];
        for (a, g) in all.iter_mut().zip(got) {
            *a += g;
        }
        match spec.get(p.id) {
            Some(want) if *want == got => {}
            want => mismatches.push(format!(
                "  {}: spec {want:?}, rule data {got:?} (error, warning, info, total, exemptible)",
                p.id
            )),
        }
    }
    if spec.get("all") != Some(&all) {
        mismatches.push(format!(
            "  all: spec {:?}, rule data {all:?}",
            spec.get("all")
        ));
    }
    assert!(
        mismatches.is_empty(),
        "rule counts differ from spec §3:\n{}",
        mismatches.join("\n")
    );
}

/// The digest the browser bundle uses (it does not hash the rule data at start-up) must be the
/// one the native build computes; `SHENBAO_BLESS=1` rewrites `src/builtin_digest.rs`.
#[test]
fn the_precomputed_builtin_digest_is_fresh() {
    let computed = validator_core::Validator::new(validator_core::Calendar::builtin())
        .rule_set()
        .digest
        .clone();
    let want = format!(
        "//! Generated by `SHENBAO_BLESS=1 cargo test -p validator-core --test generated_docs`: the\n\
         //! `rule_set.digest` of the built-in rule data and calendar. Do not edit.\n\n\
         pub const BUILTIN_RULE_SET_DIGEST: &str =\n    \"{computed}\";\n"
    );
    let Some(got) = committed_unless_blessed("src/builtin_digest.rs", want.as_bytes()) else {
        return;
    };
    assert_eq!(
        validator_core::engine::BUILTIN_RULE_SET_DIGEST,
        computed,
        "src/builtin_digest.rs is stale: {BLESS}"
    );
    assert_eq!(
        String::from_utf8_lossy(&got),
        want,
        "src/builtin_digest.rs is not in its generated form"
    );
}

/// The conditions the browser bundle reads instead of compiling them (feature `precompiled`)
/// must be what the rule sources compile to; `SHENBAO_BLESS=1` rewrites `src/precompiled.bin`.
#[test]
fn the_precompiled_conditions_are_fresh() {
    let built = validator_core::precompiled::build().expect("the built-in rules compile");
    let Some(got) = committed_unless_blessed("src/precompiled.bin", &built) else {
        return;
    };
    assert!(
        got == built,
        "src/precompiled.bin is stale ({} bytes, the sources compile to {}): {BLESS}",
        got.len(),
        built.len()
    );
}

/// The browser bundle's built-in calendar (working-day bits, no year files to parse at start-up)
/// must be what the year files say; `SHENBAO_BLESS=1` rewrites `src/builtin_calendar.rs`.
#[test]
fn the_precomputed_builtin_calendar_is_fresh() {
    let years = validator_core::Calendar::builtin().working_days();
    let mut want = String::from(
        "//! Generated by `SHENBAO_BLESS=1 cargo test -p validator-core --test generated_docs`: the working\n\
         //! days of the built-in calendar years, one bit per day of the year. Do not edit.\n\n\
         pub const BUILTIN_WORKING_DAYS: &[(i32, [u64; 6])] = &[\n",
    );
    for (y, bits) in &years {
        want.push_str(&format!("    (\n        {y},\n        [\n"));
        for b in bits {
            want.push_str(&format!("            0x{b:016x},\n"));
        }
        want.push_str("        ],\n    ),\n");
    }
    want.push_str("];\n");
    let Some(got) = committed_unless_blessed("src/builtin_calendar.rs", want.as_bytes()) else {
        return;
    };
    assert_eq!(
        validator_core::calendar::BUILTIN_WORKING_DAYS,
        &years[..],
        "src/builtin_calendar.rs is stale: {BLESS}"
    );
    assert_eq!(
        String::from_utf8_lossy(&got),
        want,
        "src/builtin_calendar.rs is not in its generated form"
    );
}
