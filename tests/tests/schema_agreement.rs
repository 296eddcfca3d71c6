//! The generated JSON Schemas (`validator_core::schema`) agree with the engine, path by path.
//!
//! For every shared case (`../shared/cases/*.json`, or `$SHENBAO_CASES`) whose (jurisdiction,
//! form) is offered, for a document synthesized from the field table (every field filled with a
//! valid value) and for thousands of mutations of both (missing / null / blank / wrong-typed
//! values, bad codes and dates, duplicates, lengths, amounts, credit codes, phones, e-mail, …,
//! plus condition flips combined with dropping conditionally required fields), the data is
//! validated with the `jsonschema` crate (draft 2020-12, format assertions on) and with the engine.
//! The JSON Pointers of the schema errors (a `required` error names parent + "/" + property,
//! `contains` on attachments names "/attachments", deeper errors are cut back to the field they
//! belong to) must equal the paths of the engine's field-level findings — except where
//! [`EXCEPTIONS`] names a requirement that JSON Schema cannot express.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use validator_core::dsl::{FieldInfo, C, E};
use validator_core::engine::{compiled, resolve, Compiled};
use validator_core::model::T;
use validator_core::schema;

/// The engine's field-level rules the schema expresses (spec §3.1).
const COMPARED: &[&str] = &[
    "common.any.required-field",
    "common.any.field-format",
    "common.any.credit-code-format",
    "common.any.mobile-format",
    "common.any.landline-format",
    "common.any.email-format",
    "common.any.amount-format",
];

/// Requirements of the engine's field-level pass that JSON Schema cannot express: (prefix of the
/// `schema::untranslatable` item, why). Every untranslatable item must be covered here, and only
/// these may cause disagreements (none of them currently does, because the only item is the
/// check-digit rule, which is not one of the [`COMPARED`] rules).
const EXCEPTIONS: &[(&str, &str)] = &[(
    "common.any.credit-code-check-digit",
    "GB 32100-2015 check character: a weighted sum of the first 17 characters modulo 31 — no JSON Schema keyword computes it. \
     The schema checks the character set and length (credit-code-format); the engine's check-digit rule is not compared.",
)];

fn cases_dir() -> PathBuf {
    std::env::var_os("SHENBAO_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/cases"))
}

fn load_cases() -> Vec<Value> {
    let dir = cases_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read cases at {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable case file");
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        out.extend(
            v.as_array()
                .expect("a case file is an array")
                .iter()
                .cloned(),
        );
    }
    out
}

fn build_validator(s: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(s)
        .unwrap_or_else(|e| panic!("the generated schema does not compile: {e}"))
}

// ---------------------------------------------------------------- one (pack, form)

struct Form {
    j: &'static str,
    f: &'static str,
    c: &'static Compiled,
    validator: jsonschema::Validator,
    untranslatable: Vec<String>,
}

impl Form {
    fn new(j: &'static str, f: &'static str) -> Form {
        let (pack, kind) = resolve(j, f).expect("offered");
        let c = compiled(pack, kind).expect("compiles");
        let s = schema::schema(j, f).expect("offered");
        Form {
            j,
            f,
            c,
            validator: build_validator(&s),
            untranslatable: schema::untranslatable(j, f),
        }
    }

    fn t(&self) -> &'static [FieldInfo] {
        &self.c.table.fields
    }

    fn child(&self, parent: Option<usize>, key: &str) -> Option<usize> {
        self.t()
            .iter()
            .position(|f| f.parent == parent && f.key == key && !matches!(f.ty, T::Attachment))
    }

    /// Cuts an instance pointer back to the field (or list entry) it belongs to.
    fn field_pointer(&self, ptr: &str) -> String {
        let segs: Vec<String> = ptr
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        let mut out: Vec<String> = Vec::new();
        let mut cur: Option<usize> = None;
        let mut i = 0;
        while i < segs.len() {
            let seg = &segs[i];
            match cur.map(|c| self.t()[c].ty) {
                Some(T::List(_)) if seg.parse::<usize>().is_ok() => {
                    out.push(seg.clone());
                    i += 1;
                    match segs.get(i).and_then(|k| self.child(cur, k)) {
                        Some(k) => {
                            out.push(segs[i].clone());
                            cur = Some(k);
                            i += 1;
                        }
                        None => break,
                    }
                }
                None | Some(T::Object) => match self.child(cur, seg) {
                    Some(k) => {
                        out.push(seg.clone());
                        cur = Some(k);
                        i += 1;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        out.iter().map(|s| format!("/{s}")).collect()
    }

    /// The canonical field path (`a[].b`) of a pointer the engine or the schema reported.
    fn canonical(&self, ptr: &str) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for s in ptr.split('/').skip(1) {
            if s.parse::<usize>().is_ok() {
                parts.push("[]");
            } else {
                parts.push(s);
            }
        }
        let mut out = String::new();
        for p in parts {
            if p == "[]" {
                out.push_str("[]");
            } else {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(p);
            }
        }
        out
    }

    fn engine_paths(&self, data: &Value) -> BTreeMap<String, BTreeSet<String>> {
        let r = validator_core::validate(self.j, self.f, data).expect("validates");
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in r
            .findings
            .iter()
            .filter(|f| COMPARED.contains(&f.rule.as_str()))
        {
            for p in &f.paths {
                out.entry(p.clone()).or_default().insert(f.rule.clone());
            }
        }
        out
    }

    fn schema_paths(&self, data: &Value) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for e in self.validator.iter_errors(data) {
            let mut ptr = e.instance_path().as_str().to_string();
            if let jsonschema::error::ValidationErrorKind::Required { property } = e.kind() {
                let p = property
                    .as_str()
                    .unwrap_or_default()
                    .replace('~', "~0")
                    .replace('/', "~1");
                ptr = format!("{ptr}/{p}");
            }
            let field = self.field_pointer(&ptr);
            out.entry(field).or_default().insert(format!(
                "{} @ {} ({})",
                e.kind().keyword(),
                e.schema_path().as_str(),
                short(&e.to_string())
            ));
        }
        out
    }

    /// The untranslatable item (covered by an exception) that excuses a disagreement at `ptr`.
    fn excuse(&self, ptr: &str) -> Option<&str> {
        let canon = self.canonical(ptr);
        self.untranslatable
            .iter()
            .find(|u| {
                u.starts_with(&format!("{canon}（"))
                    && EXCEPTIONS.iter().any(|(p, _)| u.starts_with(p))
            })
            .map(String::as_str)
    }
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(160).collect();
    s.replace('\n', " ")
}

// ---------------------------------------------------------------- data synthesis and mutation

/// A valid value for a field (children included).
fn valid_value(form: &Form, i: usize) -> Value {
    let fi = &form.t()[i];
    match fi.ty {
        T::Text(min, max) => json!("测".repeat(min.max(4).min(max) as usize)),
        T::CreditCode => json!("91350100M000100Y43"),
        T::Mobile => json!("13902601234"),
        T::Landline => json!("0759-3312345"),
        T::Email => json!("ptsl@example.org"),
        T::Sha256 => json!("a".repeat(64)),
        T::ProjectCode => json!("2025-440804-65-01-000123"),
        T::Date => json!("2025-06-30"),
        T::Bool => json!(false),
        T::Int(min, max) => json!(2025.clamp(min, max)),
        T::Enum(_) => json!(fi.domain[0]),
        T::Multi(..) => json!([fi.domain[0]]),
        T::Wan => json!("10.00"),
        T::Object => Value::Object(valid_children(form, Some(i))),
        T::List(_) => {
            if fi.path == "attachments" {
                let mut v: Vec<Value> = form
                    .t()
                    .iter()
                    .filter(|f| matches!(f.ty, T::Attachment))
                    .map(|f| json!({ "kind": f.key, "file_name": format!("{}.pdf", f.key) }))
                    .collect();
                v.push(json!({ "kind": "other", "file_name": "其他.pdf", "sha256": "0".repeat(64), "size_bytes": 1024 }));
                Value::Array(v)
            } else {
                json!([Value::Object(valid_children(form, Some(i)))])
            }
        }
        T::Attachment => Value::Null,
    }
}

fn valid_children(form: &Form, parent: Option<usize>) -> Map<String, Value> {
    let mut m = Map::new();
    for (j, f) in form.t().iter().enumerate() {
        if f.parent == parent && !matches!(f.ty, T::Attachment) {
            m.insert(f.key.to_string(), valid_value(form, j));
        }
    }
    m
}

/// The JSON object that holds field `i` (creating empty containers on the way when `create`).
fn container<'a>(
    form: &Form,
    doc: &'a mut Value,
    i: usize,
    create: bool,
) -> Option<&'a mut Map<String, Value>> {
    let fi = &form.t()[i];
    let Some(p) = fi.parent else {
        return doc.as_object_mut();
    };
    let pk = form.t()[p].key;
    let holder = container(form, doc, p, create)?;
    match form.t()[p].ty {
        T::Object => {
            if !holder.get(pk).is_some_and(Value::is_object) {
                if !create {
                    return None;
                }
                holder.insert(pk.to_string(), json!({}));
            }
            holder.get_mut(pk)?.as_object_mut()
        }
        T::List(_) => {
            if !holder
                .get(pk)
                .and_then(|v| v.as_array())
                .and_then(|a| a.first())
                .is_some_and(Value::is_object)
            {
                if !create {
                    return None;
                }
                holder.insert(pk.to_string(), json!([{}]));
            }
            holder
                .get_mut(pk)?
                .as_array_mut()?
                .first_mut()?
                .as_object_mut()
        }
        _ => None,
    }
}

#[derive(Clone)]
enum Edit {
    Remove(usize),
    Set(usize, Value),
}

fn apply(form: &Form, base: &Value, edits: &[Edit]) -> Value {
    let mut doc = base.clone();
    for e in edits {
        match e {
            Edit::Remove(i) => {
                if let Some(m) = container(form, &mut doc, *i, false) {
                    m.remove(form.t()[*i].key);
                }
            }
            Edit::Set(i, v) => {
                if let Some(m) = container(form, &mut doc, *i, true) {
                    m.insert(form.t()[*i].key.to_string(), v.clone());
                }
            }
        }
    }
    doc
}

fn describe(form: &Form, edits: &[Edit]) -> String {
    edits
        .iter()
        .map(|e| match e {
            Edit::Remove(i) => format!("drop {}", form.t()[*i].path),
            Edit::Set(i, v) => format!("{} = {}", form.t()[*i].path, short(&v.to_string())),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Values to try in a field: absent-equivalents, wrong types and the type's edge cases.
fn mutations(form: &Form, i: usize) -> Vec<Value> {
    let fi = &form.t()[i];
    let mut v: Vec<Value> = vec![
        Value::Null,
        json!(""),
        json!("  \t\n"),
        json!("\u{3000}\u{85}"),
        json!("\u{feff}"),
        json!([]),
        json!({}),
        json!(1),
        json!(true),
        json!("x"),
        json!([1]),
    ];
    match fi.ty {
        T::Text(min, max) => {
            let (min, max) = (min as usize, max as usize);
            v.push(json!(format!("  {}  ", "字".repeat(max))));
            v.push(json!("字".repeat(max + 1)));
            v.push(json!(format!("\u{3000}{}\u{3000}", "a".repeat(min))));
            v.push(json!(format!(" {} ", "a".repeat(min.saturating_sub(1)))));
            v.push(json!(format!(
                "{}\u{feff}",
                "a".repeat(min.saturating_sub(1))
            )));
            v.push(json!(format!("\u{85}{}\u{85}", "a".repeat(min))));
            v.push(json!(format!("a{}a", " ".repeat(min.saturating_sub(2)))));
            v.push(json!(format!("a{}", "\n".repeat(max))));
        }
        T::CreditCode => {
            for s in [
                "91350100m000100y43",
                "91350100M000100Y4I",
                "91350100M000100Y4",
                "91350100M000100Y433",
                "91350100M000100Y44",
                "91350100M000100Y4O",
                " 91350100M000100Y43",
                "９1350100M000100Y43",
            ] {
                v.push(json!(s));
            }
        }
        T::Mobile => {
            for s in [
                "+8613902601234",
                "12812345678",
                "1390260123",
                "13902601234 ",
                "139 0260 1234",
                "19912345678",
            ] {
                v.push(json!(s));
            }
        }
        T::Landline => {
            for s in [
                "07593312345",
                "0759-1312345",
                "0759-3312345-1234567",
                "010-23456789-123",
                "0759-3312345-",
                "759-3312345",
            ] {
                v.push(json!(s));
            }
        }
        T::Email => {
            for s in [
                "a@b",
                "@x.cn",
                "a@b..cn",
                "a@.cn",
                "a@b.c1",
                "a.b+c@mail.gov.cn",
                "用户@example.org",
                "a@b.cn ",
            ] {
                v.push(json!(s));
            }
            v.push(json!(format!("{}@example.cn", "a".repeat(243))));
            v.push(json!(format!("{}@example.cn", "a".repeat(244))));
        }
        T::Sha256 => {
            v.push(json!("A".repeat(64)));
            v.push(json!("a".repeat(63)));
            v.push(json!("0".repeat(64)));
        }
        T::ProjectCode => {
            for s in [
                "2025-44080-65-01-000123",
                "2025-440804-65-01-000123",
                "2025440804650100012",
                "2025-440804-65-01-00012a",
            ] {
                v.push(json!(s));
            }
        }
        T::Date => {
            for s in [
                "2027-02-29",
                "2024-02-29",
                "2025-13-01",
                "2025-1-01",
                " 2025-01-01",
                "2025-04-31",
                "0000-02-29",
                "1900-02-29",
                "2000-02-29",
                "２０２５-01-01",
                "2025-06-30T00:00:00Z",
                "2025/06/30",
                "2100-02-29",
            ] {
                v.push(json!(s));
            }
        }
        T::Bool => {
            v.extend([json!(false), json!("true"), json!(0)]);
        }
        T::Int(min, max) => {
            v.extend([
                json!(min - 1),
                json!(max + 1),
                json!(min),
                json!(max),
                json!(1.5),
                json!(min as f64),
                json!(min.to_string()),
                json!(1e20),
            ]);
        }
        T::Enum(_) => {
            v.extend(fi.full_domain.iter().map(|c| json!(c)));
            v.push(json!("zz_not_a_code"));
            v.push(json!(format!(" {}", fi.domain[0])));
        }
        T::Multi(..) => {
            let d0 = fi.domain[0];
            v.push(json!([d0, d0]));
            v.push(json!([d0, "zz_not_a_code"]));
            v.push(json!(d0));
            v.push(json!([d0, null]));
            v.push(json!(fi.domain));
            v.extend(
                fi.full_domain
                    .iter()
                    .filter(|c| !fi.domain.contains(c))
                    .map(|c| json!([c])),
            );
        }
        T::Wan => {
            for s in [
                "1.234",
                "01",
                "-1",
                "1,000",
                "12345678901",
                "0.5",
                "0",
                "9999999999.99",
                " 1",
                "1.",
                ".5",
                "1e3",
            ] {
                v.push(json!(s));
            }
            v.extend([json!(1), json!(1.5)]);
        }
        T::Object => {
            v.push(json!([{}]));
        }
        T::List(_) => {
            v.extend([json!([{}]), json!([null]), json!([{}, "x"]), json!([[]])]);
        }
        T::Attachment => {}
    }
    v
}

/// Fields a compiled condition reads.
fn reads(c: &C, out: &mut BTreeSet<usize>) {
    fn e(x: &E, out: &mut BTreeSet<usize>) {
        match x {
            E::Field(f) => {
                out.insert(*f);
            }
            E::Year(a) | E::SubDays(a, _) => e(a, out),
            E::MakeDate(v) => v.iter().for_each(|a| e(a, out)),
            E::AddMonths(a, b)
            | E::AddWorkingDays(a, b)
            | E::Add(a, b)
            | E::Sub(a, b)
            | E::Mul(a, b)
            | E::Max(a, b) => {
                e(a, out);
                e(b, out)
            }
            E::Sum { list, filter, body } => {
                out.insert(*list);
                if let Some(f) = filter {
                    reads(f, out);
                }
                e(body, out)
            }
            E::Min { list, body } => {
                out.insert(*list);
                e(body, out)
            }
            _ => {}
        }
    }
    match c {
        C::Or(v) | C::And(v) => v.iter().for_each(|c| reads(c, out)),
        C::Not(c) => reads(c, out),
        C::HasField(f) => {
            out.insert(*f);
        }
        C::Quant { list, cond, .. } => {
            out.insert(*list);
            reads(cond, out)
        }
        C::Duplicates { list, body } => {
            out.insert(*list);
            e(body, out)
        }
        C::Absent(x)
        | C::Present(x)
        | C::Defined(x)
        | C::Beyond(x)
        | C::InCodes { e: x, .. }
        | C::Intersects(x, _)
        | C::Subset(x, _)
        | C::LacksAny(x, _) => e(x, out),
        C::IsNot(a, b) | C::Cmp(_, a, b) => {
            e(a, out);
            e(b, out)
        }
        C::Const(_) | C::HasBit(_) | C::AnyNotAttached(_) => {}
    }
}

/// Values that flip conditions on a field: every allowed code, both booleans, a valid value, absence.
fn flips(form: &Form, i: usize) -> Vec<Option<Value>> {
    let fi = &form.t()[i];
    let mut v: Vec<Option<Value>> = vec![None, Some(valid_value(form, i))];
    match fi.ty {
        T::Enum(_) => v.extend(fi.full_domain.iter().map(|c| Some(json!(c)))),
        T::Multi(..) => v.extend(fi.domain.iter().map(|c| Some(json!([c])))),
        T::Bool => v.extend([Some(json!(true)), Some(json!(false))]),
        _ => {}
    }
    v
}

// ---------------------------------------------------------------- the comparison

#[derive(Default)]
struct Tally {
    checked: usize,
    /// Documents where the engine reports at least one field-level finding.
    with_findings: usize,
    agreed: usize,
    excused: usize,
    failures: Vec<String>,
}

fn compare(form: &Form, label: &str, data: &Value, tally: &mut Tally) {
    tally.checked += 1;
    let eng = form.engine_paths(data);
    let sch = form.schema_paths(data);
    if !eng.is_empty() {
        tally.with_findings += 1;
    }
    let ek: BTreeSet<&String> = eng.keys().collect();
    let sk: BTreeSet<&String> = sch.keys().collect();
    if ek == sk {
        tally.agreed += 1;
        return;
    }
    let mut lines = Vec::new();
    let mut all_excused = true;
    for p in ek.difference(&sk) {
        match form.excuse(p) {
            Some(u) => lines.push(format!("      (excused) engine-only {p}: {u}")),
            None => {
                all_excused = false;
                lines.push(format!("      engine only {p:<45} {:?}", eng[*p]));
            }
        }
    }
    for p in sk.difference(&ek) {
        all_excused = false;
        lines.push(format!("      schema only {p:<45} {:?}", sch[*p]));
    }
    if all_excused {
        tally.excused += 1;
        return;
    }
    if tally.failures.len() < 60 {
        tally.failures.push(format!(
            "  {}/{} {label}:\n{}",
            form.j,
            form.f,
            lines.join("\n")
        ));
    } else {
        tally.failures.push(String::new());
    }
}

fn check_form(form: &Form, bases: &[(String, Value)], tally: &mut Tally) {
    let t = form.t();
    // fields whose required-ness is conditional, and the fields their conditions read
    let mut conditional: Vec<usize> = Vec::new();
    let mut read: BTreeSet<usize> = BTreeSet::new();
    for (i, r) in form.c.required.iter().enumerate() {
        if let Some(c) = r {
            if !matches!(c, C::Const(true)) {
                conditional.push(i);
                reads(c, &mut read);
            }
        }
    }
    for (b, (name, base)) in bases.iter().enumerate() {
        compare(form, &format!("{name} (as is)"), base, tally);
        // the full mutation set on the synthesized document, the empty one and the first case;
        // every further case gets each field dropped, nulled and blanked (this keeps the run near
        // a minute; SHENBAO_SCHEMA_FULL=1 applies the full set to every case)
        let full = b == 0
            || matches!(name.as_str(), "synthesized" | "empty")
            || std::env::var_os("SHENBAO_SCHEMA_FULL").is_some();
        for (i, fi) in t.iter().enumerate() {
            if matches!(fi.ty, T::Attachment) {
                continue;
            }
            let edits = [Edit::Remove(i)];
            compare(
                form,
                &format!("{name}: {}", describe(form, &edits)),
                &apply(form, base, &edits),
                tally,
            );
            let values = if full {
                mutations(form, i)
            } else {
                vec![Value::Null, json!(" ")]
            };
            for v in values {
                let edits = [Edit::Set(i, v)];
                compare(
                    form,
                    &format!("{name}: {}", describe(form, &edits)),
                    &apply(form, base, &edits),
                    tally,
                );
            }
        }
        // attachment pseudo-fields: only another kind, each required kind alone or misspelt
        if let Some(a) = t.iter().position(|f| f.path == "attachments") {
            let kinds: Vec<&str> = t
                .iter()
                .filter(|f| matches!(f.ty, T::Attachment))
                .map(|f| f.key)
                .collect();
            let mut sets = vec![
                json!([{ "kind": "other", "file_name": "x.pdf" }]),
                json!([{ "kind": "other" }, "x"]),
            ];
            for k in &kinds {
                sets.push(json!([{ "kind": k }]));
                sets.push(json!([{ "kind": format!("{k} "), "file_name": "x.pdf" }]));
            }
            for s in sets {
                let edits = [Edit::Set(a, s)];
                compare(
                    form,
                    &format!("{name}: {}", describe(form, &edits)),
                    &apply(form, base, &edits),
                    tally,
                );
            }
        }
        if !full {
            continue;
        }
        for &x in &read {
            for v in flips(form, x) {
                let flip = match &v {
                    None => Edit::Remove(x),
                    Some(v) => Edit::Set(x, v.clone()),
                };
                compare(
                    form,
                    &format!("{name}: {}", describe(form, std::slice::from_ref(&flip))),
                    &apply(form, base, std::slice::from_ref(&flip)),
                    tally,
                );
                for &r in &conditional {
                    if r == x || matches!(t[r].ty, T::Attachment) {
                        continue;
                    }
                    for drop in [Edit::Remove(r), Edit::Set(r, Value::Null)] {
                        let edits = [flip.clone(), drop];
                        compare(
                            form,
                            &format!("{name}: {}", describe(form, &edits)),
                            &apply(form, base, &edits),
                            tally,
                        );
                    }
                }
            }
        }
    }
}

fn bases_for(form: &Form, cases: &[Value]) -> Vec<(String, Value)> {
    let mut bases: Vec<(String, Value)> = cases
        .iter()
        .filter(|c| c["jurisdiction"] == form.j && c["form"] == form.f && c["data"].is_object())
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("?").to_string(),
                c["data"].clone(),
            )
        })
        .collect();
    bases.push((
        "synthesized".to_string(),
        Value::Object(valid_children(form, None)),
    ));
    bases.push(("empty".to_string(), json!({})));
    bases
}

#[test]
fn schemas_agree_with_the_engine_path_by_path() {
    let offered = schema::offered();
    assert!(!offered.is_empty());
    let cases = load_cases();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    // (index, summary line, tally, untranslatable items not covered by EXCEPTIONS, shared cases used)
    let results: Vec<(usize, String, Tally, Vec<String>, usize)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|w| {
                let (offered, cases) = (&offered, &cases);
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (k, (j, f)) in offered.iter().enumerate().filter(|(k, _)| k % threads == w) {
                        let form = Form::new(j, f);
                        let uncovered: Vec<String> = form
                            .untranslatable
                            .iter()
                            .filter(|u| !EXCEPTIONS.iter().any(|(p, _)| u.starts_with(p)))
                            .map(|u| format!("  {j}/{f}: {u}"))
                            .collect();
                        let bases = bases_for(&form, cases);
                        let shared = bases.len() - 2;
                        let mut tally = Tally::default();
                        check_form(&form, &bases, &mut tally);
                        let line = format!("{j}/{f}: {shared} shared case(s) + 2 generated bases, {} documents, {} with field-level findings", tally.checked, tally.with_findings);
                        out.push((k, line, tally, uncovered, shared));
                    }
                    out
                })
            })
            .collect();
        let mut all: Vec<_> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect();
        all.sort_by_key(|r| r.0);
        all
    });
    let uncovered: Vec<String> = results.iter().flat_map(|r| r.3.iter().cloned()).collect();
    assert!(
        uncovered.is_empty(),
        "the schemas cannot express requirements that EXCEPTIONS does not name (fix the generator, or add each with its reason):\n{}",
        uncovered.join("\n")
    );
    let (mut checked, mut agreed, mut excused, mut with_findings, mut shared) = (0, 0, 0, 0, 0);
    let mut failures: Vec<String> = Vec::new();
    for (_, _, t, _, n) in &results {
        checked += t.checked;
        agreed += t.agreed;
        excused += t.excused;
        with_findings += t.with_findings;
        shared += n;
        failures.extend(t.failures.iter().cloned());
    }
    let shown: Vec<&String> = failures.iter().filter(|s| !s.is_empty()).take(60).collect();
    assert!(
        failures.is_empty(),
        "{} of {checked} documents disagree (schema error paths ≠ engine field-level finding paths); first {}:\n{}",
        failures.len(),
        shown.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
    // the comparison is not vacuous: most mutated documents do have field-level findings
    assert!(
        with_findings * 2 > checked,
        "only {with_findings} of {checked} documents have findings: the mutations do not bite"
    );
    eprintln!(
        "{checked} documents over {} forms ({shared} shared cases as bases, plus a synthesized and an empty document per form, and their mutations): \
         {agreed} agree exactly, {excused} only by a named exception; {with_findings} of them have field-level findings",
        results.len()
    );
    for (_, line, _, _, _) in &results {
        eprintln!("  {line}");
    }
}

#[test]
fn error_paths_are_mapped_like_the_engine_reports_them() {
    let form = Form::new("potou", "apply");
    let data = json!({
        "applicant": { "unit_name": " ", "credit_code": "91350100m000100y43", "contact_mobile": 1 },
        "content_types": ["infrastructure", "infrastructure"],
        "funding_sources": [{ "source": "local_fiscal", "amount_wan": 1 }, "x"],
        "attachments": [{ "kind": "other" }],
    });
    let eng = form.engine_paths(&data);
    let sch = form.schema_paths(&data);
    for p in [
        "/applicant/unit_name",
        "/applicant/credit_code",
        "/applicant/contact_mobile",
        "/applicant/unit_kind",
        "/content_types",
        "/funding_sources/0/amount_wan",
        "/funding_sources/1",
        "/attachments/0/file_name",
        "/submission_date",
    ] {
        assert!(eng.contains_key(p), "engine lacks {p}: {eng:?}");
        assert!(sch.contains_key(p), "schema lacks {p}: {sch:?}");
    }
    assert_eq!(
        eng.keys().collect::<Vec<_>>(),
        sch.keys().collect::<Vec<_>>()
    );
    assert_eq!(form.field_pointer("/content_types/1"), "/content_types");
    assert_eq!(
        form.field_pointer("/funding_sources/0/amount_wan"),
        "/funding_sources/0/amount_wan"
    );
    assert_eq!(
        form.field_pointer("/funding_sources/3/unknown/x"),
        "/funding_sources/3"
    );
    assert_eq!(
        form.canonical("/funding_sources/3/amount_wan"),
        "funding_sources[].amount_wan"
    );
}

#[test]
fn the_comparison_notices_a_wrong_schema() {
    // negative control: a schema that forgets the root `required` list must disagree on `{}`
    let (j, f) = schema::offered()[0];
    let mut form = Form::new(j, f);
    let mut s = schema::schema(j, f).unwrap();
    s.as_object_mut().unwrap().remove("required");
    form.validator = build_validator(&s);
    let mut tally = Tally::default();
    compare(
        &form,
        "{} against a schema without root `required`",
        &json!({}),
        &mut tally,
    );
    assert_eq!(
        tally.failures.len(),
        1,
        "the harness did not notice the missing required list"
    );
    // and the genuine schema agrees on the same document
    let form = Form::new(j, f);
    let mut tally = Tally::default();
    compare(&form, "{}", &json!({}), &mut tally);
    assert!(tally.failures.is_empty(), "{:?}", tally.failures);
    assert_eq!(tally.with_findings, 1);
}

// ---------------------------------------------------------------- every condition construct

/// Conditions of every construct the translator handles, with the scope they are translated for
/// (None: the root; an object: its value; a list: its first entry, written `some l[] with (…)`).
const TRANSLATABLE: &[(&str, Option<&str>)] = &[
    ("true", None),
    ("false", None),
    ("filing_stage = approval", None),
    ("filing_stage ≠ approval", None),
    ("filing_stage = plan_addition", None),
    ("not (filing_stage = approval)", None),
    ("filing_stage ∈ {approval, plan}", None),
    ("filing_stage ∉ {approval}", None),
    ("CONSTRUCTION", None),
    ("SERVICE or filing_stage = record", None),
    ("builds_mobile_app = true", None),
    ("builds_mobile_app ≠ true", None),
    ("builds_mobile_app is not true", None),
    ("approval_document is not preliminary_design", None),
    ("approval_document absent", None),
    ("approval_document present", None),
    ("predecessor_project absent", None),
    ("predecessor_project present", None),
    ("predecessor_project.accepted = true", None),
    ("predecessor_project.acceptance_date absent", None),
    ("not (predecessor_project.acceptance_date present)", None),
    ("applicant.supervising_department present", None),
    (
        "content_types ∩ {infrastructure, support_platform} ≠ ∅",
        None,
    ),
    ("infrastructure ∈ content_types", None),
    ("content_types ⊆ {infrastructure, support_platform}", None),
    (
        "content_types lacks any of {infrastructure, support_platform}",
        None,
    ),
    ("systems_added = 0", None),
    ("systems_added ≠ 0", None),
    ("systems_added > 2", None),
    ("systems_added ≤ 3", None),
    ("2 < systems_added", None),
    ("has(project_plan)", None),
    ("not has(project_plan)", None),
    ("has(approval_document)", None),
    (
        "any of {project_plan, data_resource_catalog} not attached",
        None,
    ),
    ("attachments absent", None),
    ("funding_sources present", None),
    ("some funding_sources[] with (source = local_fiscal)", None),
    ("no funding_sources[] with (source = local_fiscal)", None),
    (
        "some target_systems[] with (in_system_catalog = false)",
        None,
    ),
    (
        "some attachments[] with (kind = project_plan and file_name absent)",
        None,
    ),
    ("no attachments[] with (sha256 absent)", None),
    (
        "(filing_stage = record or builds_mobile_app = true) and not has(project_plan)",
        None,
    ),
    (
        "predecessor_project.accepted = true",
        Some("predecessor_project"),
    ),
    (
        "predecessor_project.acceptance_date absent",
        Some("predecessor_project"),
    ),
    (
        "not (predecessor_project.accepted = false)",
        Some("predecessor_project"),
    ),
    (
        "some funding_sources[] with (source = local_fiscal)",
        Some("funding_sources"),
    ),
    (
        "some funding_sources[] with (amount_wan absent)",
        Some("funding_sources"),
    ),
    (
        "some funding_sources[] with (source is not local_fiscal)",
        Some("funding_sources"),
    ),
    (
        "some funding_sources[] with (not (source = local_fiscal))",
        Some("funding_sources"),
    ),
    (
        "some attachments[] with (kind ∈ {project_plan, other})",
        Some("attachments"),
    ),
    (
        "some target_systems[] with (in_system_catalog = false and catalog_id absent)",
        Some("target_systems"),
    ),
    (
        "some annual_funding_plan[] with (year ≥ 2025)",
        Some("annual_funding_plan"),
    ),
    (
        "some annual_funding_plan[] with (not (year = 2025))",
        Some("annual_funding_plan"),
    ),
];

/// Constructs JSON Schema cannot express: the translator must refuse them (never mistranslate).
const REFUSED: &[(&str, Option<&str>)] = &[
    ("total_investment_wan > 10.00", None),
    ("planned_end_date ≤ planned_start_date", None),
    ("planned_start_date < submission_date", None),
    ("project_name = project_name", None),
    ("duplicates(annual_funding_plan[]: year)", None),
    (
        "Σ(funding_sources[]: amount_wan) = total_investment_wan",
        None,
    ),
    (
        "some funding_sources[] with (source = local_fiscal and filing_stage = approval)",
        Some("funding_sources"),
    ),
    (
        "some funding_sources[] with (source = local_fiscal and has(project_plan))",
        Some("funding_sources"),
    ),
];

#[test]
fn every_condition_construct_translates_exactly() {
    use validator_core::schema::probe::Probe;
    let (j, f) = ("potou", "apply");
    let refused = Probe::new(j, f, REFUSED).expect("the refused conditions compile");
    for ((src, _), r) in REFUSED.iter().zip(refused.schemas()) {
        assert!(
            r.is_err(),
            "“{src}” cannot be expressed but was translated to {}",
            r.unwrap()
        );
    }
    let probe = Probe::new(j, f, TRANSLATABLE).expect("the conditions compile");
    let full = schema::schema(j, f).unwrap();
    let validators: Vec<jsonschema::Validator> = TRANSLATABLE
        .iter()
        .zip(probe.schemas())
        .map(|((src, _), r)| {
            let pred = r.unwrap_or_else(|e| panic!("“{src}” was not translated: {e}"));
            build_validator(
                &json!({ "$schema": schema::DIALECT, "$defs": full["$defs"], "allOf": [pred] }),
            )
        })
        .collect();
    // a corpus: the cases, the synthesized and empty documents and their single-field mutations
    let form = Form::new(j, f);
    let cases = load_cases();
    let mut docs: Vec<Value> = Vec::new();
    for (b, (name, base)) in bases_for(&form, &cases).into_iter().enumerate() {
        docs.push(base.clone());
        if b == 0 || name == "synthesized" {
            for i in (0..form.t().len()).filter(|&i| !matches!(form.t()[i].ty, T::Attachment)) {
                docs.push(apply(&form, &base, &[Edit::Remove(i)]));
                for v in mutations(&form, i)
                    .into_iter()
                    .chain(flips(&form, i).into_iter().flatten())
                {
                    docs.push(apply(&form, &base, &[Edit::Set(i, v)]));
                }
            }
        }
    }
    let mut bad = Vec::new();
    let mut checks = 0;
    let mut truths = vec![[0usize; 2]; TRANSLATABLE.len()];
    for d in &docs {
        for (k, ((src, scope), truth)) in TRANSLATABLE.iter().zip(probe.engine(d, 0)).enumerate() {
            let Some(want) = truth else { continue };
            let instance = match scope {
                None => Some(d),
                Some(p)
                    if form
                        .t()
                        .iter()
                        .any(|x| x.path == *p && matches!(x.ty, T::List(_))) =>
                {
                    d.pointer(&format!("/{p}/0"))
                }
                Some(p) => d.pointer(&format!("/{p}")),
            };
            let Some(instance) = instance else { continue };
            checks += 1;
            truths[k][usize::from(want)] += 1;
            if validators[k].is_valid(instance) != want && bad.len() < 30 {
                bad.push(format!(
                    "  “{src}”: engine says {want}, the schema says {} on {}",
                    !want,
                    short(&instance.to_string())
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "schema ≠ engine for conditions:\n{}",
        bad.join("\n")
    );
    // every condition was seen both true and false (else the corpus does not test it)
    let one_sided: Vec<&str> = TRANSLATABLE
        .iter()
        .zip(&truths)
        .filter(|(_, t)| t[0] == 0 || t[1] == 0)
        .map(|((s, _), _)| *s)
        .filter(|s| !matches!(*s, "true" | "false" | "filing_stage = plan_addition"))
        .collect();
    assert!(
        one_sided.is_empty(),
        "conditions never seen both true and false: {one_sided:?}"
    );
    eprintln!(
        "{checks} condition evaluations on {} documents agree",
        docs.len()
    );
}

// ---------------------------------------------------------------- the patterns themselves

fn pattern_matches(pattern: &str, s: &str) -> bool {
    build_validator(&json!({ "type": "string", "pattern": pattern })).is_valid(&json!(s))
}

#[test]
fn trimmed_length_patterns_match_the_engine_exactly() {
    let alphabet = ['a', ' ', '\u{3000}', '\u{feff}', '\u{85}', '字'];
    let mut strings = vec![String::new()];
    let mut frontier = vec![String::new()];
    for _ in 0..5 {
        let mut next = Vec::new();
        for s in &frontier {
            for c in alphabet {
                next.push(format!("{s}{c}"));
            }
        }
        strings.extend(next.iter().cloned());
        frontier = next;
    }
    let mut bad = Vec::new();
    for (min, max) in [
        (1, 1),
        (1, 2),
        (1, 4),
        (2, 2),
        (2, 3),
        (2, 5),
        (3, 4),
        (4, 4),
    ] {
        let v = build_validator(
            &json!({ "type": "string", "pattern": schema::text_pattern(min, max) }),
        );
        for s in &strings {
            let n = s.trim().chars().count() as u32;
            let want = n >= min.max(1) && n <= max;
            if v.is_valid(&json!(s)) != want {
                bad.push(format!("({min},{max}) {s:?}: engine {want}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    // the long bounds the model uses compile and behave at their edges
    for (min, max) in [(10, 4000), (2, 2000), (1, 200)] {
        let p = schema::text_pattern(min, max);
        let mk = |n: u32| format!("  {}  ", "字".repeat(n as usize));
        assert!(
            pattern_matches(&p, &mk(min)) && pattern_matches(&p, &mk(max)),
            "({min},{max})"
        );
        assert!(
            !pattern_matches(&p, &mk(min - 1)) && !pattern_matches(&p, &mk(max + 1)),
            "({min},{max})"
        );
    }
}

#[test]
fn absent_pattern_is_exactly_the_engines_whitespace() {
    let p = format!("^[{}]*$", schema::WS_CLASS);
    let v = build_validator(&json!({ "type": "string", "pattern": p }));
    let mut bad = Vec::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let s = format!("{c}{c}");
        if v.is_valid(&json!(s)) != s.trim().is_empty() {
            bad.push(format!("U+{:04X}", c as u32));
        }
    }
    assert!(
        bad.is_empty(),
        "whitespace class differs from str::trim at {bad:?}"
    );
}

#[test]
fn date_pattern_accepts_exactly_the_engines_dates() {
    let v = build_validator(&json!({ "type": "string", "pattern": schema::DATE_PATTERN }));
    let fv = build_validator(&json!({ "type": "string", "format": "date" }));
    let mut bad = Vec::new();
    let years = [
        0, 1, 4, 100, 400, 1582, 1899, 1900, 1996, 2000, 2023, 2024, 2025, 2026, 2027, 2028, 2100,
        2400, 9996, 9999,
    ];
    for y in years {
        for m in 0..=13 {
            for d in 0..=32 {
                let s = format!("{y:04}-{m:02}-{d:02}");
                let want = validator_core::Date::parse(&s).is_some();
                if v.is_valid(&json!(s)) != want {
                    bad.push(format!("pattern {s}: engine {want}"));
                }
                if fv.is_valid(&json!(s)) != want {
                    bad.push(format!("format {s}: engine {want}"));
                }
            }
        }
    }
    for s in [
        "2025-1-01",
        "2025-01-1",
        "20250-01-01",
        "2025/01/01",
        " 2025-01-01",
        "2025-01-01 ",
        "２０２５-01-01",
        "2025-01-01T00:00:00Z",
        "",
    ] {
        if v.is_valid(&json!(s)) != validator_core::Date::parse(s).is_some() {
            bad.push(format!("pattern {s:?}"));
        }
    }
    assert!(bad.is_empty(), "{bad:?}");
}
