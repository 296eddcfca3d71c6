//! Property tests of the engine: whatever the data, `validate` never panics and always returns a
//! well-formed report (spec `report.md`).
//!
//! * (a) arbitrary JSON values — keys drawn from the real field names of the forms plus random
//!   ones — for every offered (pack, form); and documents shaped like each form with random,
//!   mostly plausible, often malformed values;
//! * (b) random mutations of the valid shared cases (`../shared/cases`, or `$SHENBAO_CASES`).
//!
//! Well-formed means: findings sorted by (severity rank, rule, first path); `valid` == no error;
//! every rule ID exists, belongs to `common` or the active pack and runs on the form; severity is the
//! rule's own, or warning when `exempted` (only exemptible errors); paths are RFC 6901 pointers
//! starting with "/" that resolve in the data or name an absent field; messages are non-empty with
//! placeholders filled; the canonical JSON round-trips.
//!
//! `PROPTEST_CASES` overrides the number of cases (default 256 per property).

use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Number, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;
use validator_core::model::{all_fields, enums::ENUMS, FormKind, T};
use validator_core::packs::{self, PACKS};
use validator_core::{Report, ValidateError};

// ---------------------------------------------------------------------------------------------
// The catalog: offered (pack, form) pairs, field names, codes, rule IDs
// ---------------------------------------------------------------------------------------------

fn offered() -> Vec<(&'static str, FormKind)> {
    PACKS
        .iter()
        .flat_map(|p| {
            FormKind::ALL
                .iter()
                .filter(|f| p.offers(**f))
                .map(move |f| (p.id, *f))
        })
        .collect()
}

/// Every key segment of every field path of every form (`applicant`, `credit_code`, …).
fn field_keys() -> &'static Vec<&'static str> {
    static K: OnceLock<Vec<&'static str>> = OnceLock::new();
    K.get_or_init(|| {
        let mut set = BTreeSet::new();
        for f in FormKind::ALL {
            for field in all_fields(*f) {
                for seg in field.path.split(['.', '#']) {
                    set.insert(seg.trim_end_matches("[]"));
                }
            }
        }
        set.into_iter().collect()
    })
}

fn all_codes() -> &'static Vec<&'static str> {
    static C: OnceLock<Vec<&'static str>> = OnceLock::new();
    C.get_or_init(|| {
        ENUMS
            .iter()
            .flat_map(|e| e.values.iter().map(|(c, _)| *c))
            .collect()
    })
}

fn codes_of(name: &str) -> Vec<&'static str> {
    ENUMS
        .iter()
        .find(|e| e.name == name)
        .map(|e| e.values.iter().map(|(c, _)| *c).collect())
        .unwrap_or_default()
}

fn rule_ids() -> &'static Vec<&'static str> {
    static R: OnceLock<Vec<&'static str>> = OnceLock::new();
    R.get_or_init(|| packs::all_rules().map(|(_, r)| r.id).collect())
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256);
    // no regression files: failures are reported, not written next to the sources
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

fn finite_f64() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        prop::sample::select(vec![
            0.5, -0.0, 1.0, 1e300, -1e300, 9.0e15, 1.5e16, 2025.0, 12.34
        ])
        .prop_map(Value::from),
    ]
}

fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "\\PC{0,12}",
        1 => Just(String::new()),
        1 => Just("   ".to_string()),
        2 => prop::sample::select(all_codes().clone()).prop_map(String::from),
        1 => prop::sample::select(rule_ids().clone()).prop_map(String::from),
        2 => date_string(),
        2 => amount_string(),
        1 => prop::sample::select(vec!["true", "null", "0", "114408040073500118", "13902601234", "0759-3312345", "a@b.org", "~1/", "\u{0}"]).prop_map(String::from),
    ]
}

fn date_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (2023i32..2029, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => (0i32..10000, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => prop::sample::select(vec!["9999-12-31", "0000-01-01", "0001-01-01", "2024-02-29", "2025-02-29", "2025-2-3", "20250101", "2025-01-01T00:00:00", "2025/01/01", "+2025-01-01"])
            .prop_map(String::from),
    ]
}

fn amount_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "(0|[1-9][0-9]{0,5})(\\.[0-9]{1,2})?",
        1 => "[0-9.\\-e+ ]{0,12}",
        1 => prop::sample::select(vec!["9999999999.99", "99999999999", "0.00", "-1", "1.234", "1e3", "01", "12.", ".5", "１２", " 12"]).prop_map(String::from),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(field_keys().clone()).prop_map(String::from),
        1 => "[a-z_]{0,10}",
        1 => "\\PC{0,6}",
        1 => prop::sample::select(vec!["", "~", "~0", "~1", "/", "a/b", "attachments#x"]).prop_map(String::from),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => finite_f64(),
        4 => interesting_string().prop_map(Value::String),
    ]
}

/// Arbitrary JSON with bounded depth and size; object keys mostly real field names.
fn any_json() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
            ]
        })
        .boxed()
}

/// A field of a form as a tree node (objects and lists hold their members).
struct Node {
    key: &'static str,
    ty: T,
    children: Vec<Node>,
}

fn form_tree(form: FormKind) -> Vec<Node> {
    let mut root: Vec<Node> = Vec::new();
    for f in all_fields(form) {
        if f.path.contains('#') {
            continue; // attachments#kind pseudo-fields: covered by attachments[].kind
        }
        let segs: Vec<&'static str> = f.path.split('.').collect();
        let mut level = &mut root;
        for seg in &segs[..segs.len() - 1] {
            let name = seg.trim_end_matches("[]");
            let i = level
                .iter()
                .position(|n| n.key == name)
                .expect("parents precede children");
            level = &mut level[i].children;
        }
        level.push(Node {
            key: segs[segs.len() - 1],
            ty: f.ty,
            children: Vec::new(),
        });
    }
    root
}

/// A value for a field of type `ty` (mostly plausible, sometimes malformed).
fn typed_value(key: &'static str, ty: T) -> BoxedStrategy<Value> {
    let s = |st: BoxedStrategy<String>| st.prop_map(Value::String).boxed();
    match ty {
        T::Text(min, max) => {
            let min = min as usize;
            let max = (max as usize).min(40);
            let mut arms: Vec<(u32, BoxedStrategy<String>)> = vec![
                (4, prop::collection::vec(prop::sample::select(vec!['示', '例', '项', '目', 'a', 'Z', '1', ' ']), min..=max.max(min)).prop_map(|v| v.into_iter().collect()).boxed()),
                (1, interesting_string().boxed()),
                (1, Just("x".repeat(1001)).boxed()),
            ];
            if key == "rule_id" {
                arms.push((6, prop::sample::select(rule_ids().clone()).prop_map(String::from).boxed()));
            }
            s(Union::new_weighted(arms).boxed())
        }
        T::CreditCode => s(prop_oneof![
            3 => prop::sample::select(vec!["114408040073500118", "11511900008745015K", "11330326002715018M", "91350100M000100Y43", "114408040073500119", "11440804007350011", "I14408040073500118"]).prop_map(String::from),
            1 => "[0-9A-Z]{18}",
        ]
        .boxed()),
        T::Mobile => s(prop_oneof![3 => "1[3-9][0-9]{9}", 1 => "[0-9+ ]{0,14}"].boxed()),
        T::Landline => s(prop_oneof![3 => "0[0-9]{2,3}-[0-9]{7,8}(-[0-9]{1,4})?", 1 => "[0-9\\- ]{0,16}"].boxed()),
        T::Email => s(prop_oneof![3 => "[a-z0-9.]{1,8}@[a-z]{1,8}\\.(org|cn)", 1 => "\\PC{0,12}"].boxed()),
        T::Sha256 => s(prop_oneof![3 => "[0-9a-f]{64}", 1 => "[0-9a-fA-F]{60,66}"].boxed()),
        T::ProjectCode => s(prop_oneof![3 => "20[0-9]{2}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}", 1 => "[0-9\\-]{0,30}"].boxed()),
        T::Date => s(date_string().boxed()),
        T::Bool => prop_oneof![8 => any::<bool>().prop_map(Value::Bool), 1 => Just(Value::from("true")), 1 => Just(Value::from(1))].boxed(),
        T::Int(min, max) => prop_oneof![
            6 => (min..=max).prop_map(Value::from),
            1 => prop::sample::select(vec![min.saturating_sub(1), max.saturating_add(1), i64::MIN, i64::MAX]).prop_map(Value::from),
            1 => finite_f64(),
            1 => (min..=max).prop_map(|n| Value::from(n.to_string())),
        ]
        .boxed(),
        T::Enum(name) => {
            let codes = codes_of(name);
            prop_oneof![
                8 => prop::sample::select(codes).prop_map(Value::from),
                1 => prop::sample::select(all_codes().clone()).prop_map(Value::from),
                1 => Just(Value::from("bogus_code")),
            ]
            .boxed()
        }
        T::Multi(name, _) => {
            let codes = codes_of(name);
            prop_oneof![
                8 => prop::collection::vec(prop::sample::select(codes), 0..4).prop_map(Value::from),
                1 => prop::collection::vec(prop::sample::select(all_codes().clone()), 0..3).prop_map(Value::from),
                1 => Just(Value::from("not_an_array")),
            ]
            .boxed()
        }
        T::Wan => prop_oneof![8 => amount_string().prop_map(Value::String), 1 => finite_f64(), 1 => any::<u32>().prop_map(Value::from)].boxed(),
        T::Object | T::List(_) | T::Attachment => any_json(),
    }
}

fn node_value(n: &Node) -> BoxedStrategy<Value> {
    let plausible = match n.ty {
        T::Object => object_of(&n.children),
        T::List(_) => {
            let entry = Union::new_weighted(vec![(8, object_of(&n.children)), (1, leaf().boxed())]);
            prop::collection::vec(entry, 0..4)
                .prop_map(Value::Array)
                .boxed()
        }
        ty => typed_value(n.key, ty),
    };
    Union::new_weighted(vec![(12, plausible), (1, leaf().boxed()), (1, any_json())]).boxed()
}

/// An object with a random subset of the given fields, plus sometimes a stray key.
fn object_of(children: &[Node]) -> BoxedStrategy<Value> {
    let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = children
        .iter()
        .map(|c| {
            let k = c.key.to_string();
            prop::option::weighted(0.7, node_value(c))
                .prop_map(move |v| v.map(|v| (k.clone(), v)))
                .boxed()
        })
        .collect();
    (parts, prop::collection::vec((key(), leaf()), 0..2))
        .prop_map(|(parts, extra)| {
            let mut m: Map<String, Value> = extra.into_iter().collect();
            for (k, v) in parts.into_iter().flatten() {
                m.insert(k, v);
            }
            Value::Object(m)
        })
        .boxed()
}

/// (form index into `offered_forms()`, a document shaped like that form).
fn form_documents(forms: &[FormKind]) -> BoxedStrategy<(usize, Value)> {
    let arms: Vec<BoxedStrategy<(usize, Value)>> = forms
        .iter()
        .enumerate()
        .map(|(i, f)| object_of(&form_tree(*f)).prop_map(move |v| (i, v)).boxed())
        .collect();
    Union::new(arms).boxed()
}

// ---------------------------------------------------------------------------------------------
// Mutations of valid cases
// ---------------------------------------------------------------------------------------------

fn cases_dir() -> PathBuf {
    std::env::var_os("SHENBAO_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/cases"))
}

/// The valid shared cases of offered (pack, form) pairs: (jurisdiction, form, data).
fn valid_cases() -> &'static Vec<(String, String, Value)> {
    static V: OnceLock<Vec<(String, String, Value)>> = OnceLock::new();
    V.get_or_init(|| {
        let dir = cases_dir();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read cases at {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let offered = offered();
        let mut out = Vec::new();
        for f in files {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).expect("readable"))
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            for c in v.as_array().into_iter().flatten() {
                let (Some(j), Some(form)) = (c["jurisdiction"].as_str(), c["form"].as_str()) else {
                    continue;
                };
                let is_offered = offered.iter().any(|(p, k)| *p == j && k.key() == form);
                if is_offered
                    && c["expect"]["valid_for_final_submission"] == Value::Bool(true)
                    && c["data"].is_object()
                {
                    out.push((j.to_string(), form.to_string(), c["data"].clone()));
                }
            }
        }
        out
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete,
    Null,
    EmptyString,
    EmptyArray,
    WrongType,
    HugeString,
    Number(Value),
    NestedObject(usize),
    DuplicateEntries,
    ShuffleEnum(usize),
    FlipBool,
    BadDate(String),
    FarDate(&'static str),
    AmountNumber(Value),
    BadAmount(String),
    AddClaim { rule: usize, basis: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::Delete),
        2 => Just(Mutation::Null),
        2 => Just(Mutation::EmptyString),
        1 => Just(Mutation::EmptyArray),
        2 => Just(Mutation::WrongType),
        1 => Just(Mutation::HugeString),
        1 => prop_oneof![any::<i64>().prop_map(Value::from), finite_f64()].prop_map(Mutation::Number),
        1 => (1usize..100).prop_map(Mutation::NestedObject),
        2 => Just(Mutation::DuplicateEntries),
        3 => any::<usize>().prop_map(Mutation::ShuffleEnum),
        2 => Just(Mutation::FlipBool),
        2 => prop_oneof![
            Just("2025-02-30".to_string()), Just("2025-13-01".to_string()), Just("2025-00-10".to_string()),
            Just("2025-1-5".to_string()), Just("20250105".to_string()), Just("".to_string()), date_string(),
        ].prop_map(Mutation::BadDate),
        2 => prop::sample::select(vec!["9999-12-31", "2999-01-01", "2100-02-28", "2027-01-01", "0001-01-01", "1900-01-01"]).prop_map(Mutation::FarDate),
        2 => prop_oneof![any::<u32>().prop_map(Value::from), finite_f64()].prop_map(Mutation::AmountNumber),
        2 => prop_oneof![amount_string(), Just("-5".to_string()), Just("1.234".to_string()), Just("abc".to_string()), Just("9999999999.99".to_string())].prop_map(Mutation::BadAmount),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(rule, basis)| Mutation::AddClaim { rule, basis }),
    ]
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Every location below the root, in document order.
fn locations(v: &Value) -> Vec<Vec<Seg>> {
    fn walk(v: &Value, at: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    at.push(Seg::Key(k.clone()));
                    out.push(at.clone());
                    walk(c, at, out);
                    at.pop();
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    at.push(Seg::Index(i));
                    out.push(at.clone());
                    walk(c, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

fn get<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let mut cur = v;
    for s in path {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Object(m)) => m.get(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn get_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match (s, cur) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_amount(path: &[Seg], v: &Value) -> bool {
    let named = matches!(path.last(), Some(Seg::Key(k)) if k.ends_with("_wan"));
    named
        || v.as_str().is_some_and(|s| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.') && s.contains('.')
        })
}

/// Applies one mutation to the `pick`-th applicable location (no-op when none applies).
fn apply(data: &mut Value, pick: usize, m: &Mutation) {
    if let Mutation::AddClaim { rule, basis } = m {
        let bases = codes_of("exemption_basis");
        let claim = serde_json::json!({
            "rule_id": rule_ids()[rule % rule_ids().len()],
            "basis": bases[basis % bases.len()],
            "document_no": "示例文件〔2025〕1号",
            "explanation": "依据上级文件要求，本项目属于例外情形，特此说明。"
        });
        let obj = data.as_object_mut().expect("case data is an object");
        match obj.get_mut("exemption_claims") {
            Some(Value::Array(a)) => a.push(claim),
            _ => {
                obj.insert("exemption_claims".into(), Value::Array(vec![claim]));
            }
        }
        return;
    }
    let all = locations(data);
    let applicable: Vec<&Vec<Seg>> = all
        .iter()
        .filter(|p| {
            let v = get(data, p).unwrap_or(&Value::Null);
            match m {
                Mutation::DuplicateEntries => v.as_array().is_some_and(|a| !a.is_empty()),
                Mutation::ShuffleEnum(_) => v.as_str().is_some_and(|s| all_codes().contains(&s)),
                Mutation::FlipBool => v.is_boolean(),
                Mutation::BadDate(_) | Mutation::FarDate(_) => v.as_str().is_some_and(is_date),
                Mutation::AmountNumber(_) | Mutation::BadAmount(_) => is_amount(p, v),
                _ => true,
            }
        })
        .collect();
    if applicable.is_empty() {
        return;
    }
    let path = applicable[pick % applicable.len()].clone();
    if let Mutation::Delete = m {
        let (last, parent) = path.split_last().expect("below the root");
        match (get_mut(data, parent), last) {
            (Some(Value::Object(o)), Seg::Key(k)) => {
                o.remove(k);
            }
            (Some(Value::Array(a)), Seg::Index(i)) => {
                a.remove(*i);
            }
            _ => {}
        }
        return;
    }
    let Some(v) = get_mut(data, &path) else {
        return;
    };
    *v = match m {
        Mutation::Null => Value::Null,
        Mutation::EmptyString => Value::from(""),
        Mutation::EmptyArray => Value::Array(Vec::new()),
        Mutation::WrongType => match v {
            Value::String(_) => Value::from(42),
            Value::Number(_) => Value::from("42"),
            Value::Bool(b) => Value::from(if *b { "true" } else { "false" }),
            Value::Array(_) => Value::Object(Map::new()),
            Value::Object(_) => Value::Array(vec![Value::from("x")]),
            Value::Null => Value::Bool(false),
        },
        Mutation::HugeString => Value::from("超长文本x".repeat(14_000)),
        Mutation::Number(n) => n.clone(),
        Mutation::NestedObject(depth) => {
            let mut x = Value::from("deep");
            for i in 0..*depth {
                let k = field_keys()[i % field_keys().len()];
                x = serde_json::json!({ k: x });
            }
            x
        }
        Mutation::DuplicateEntries => {
            let a = v.as_array().expect("filtered");
            let mut out = a.clone();
            out.push(a[pick % a.len()].clone());
            out.extend(a.iter().cloned());
            Value::Array(out)
        }
        Mutation::ShuffleEnum(k) => {
            let s = v.as_str().expect("filtered");
            // another code of the same enum when the code is unambiguous, else any code
            let same: Vec<&str> = ENUMS
                .iter()
                .filter(|e| e.values.iter().any(|(c, _)| *c == s))
                .flat_map(|e| e.values.iter().map(|(c, _)| *c))
                .collect();
            let pool = if k % 4 == 0 || same.is_empty() {
                all_codes().clone()
            } else {
                same
            };
            Value::from(pool[k % pool.len()])
        }
        Mutation::FlipBool => Value::Bool(!v.as_bool().expect("filtered")),
        Mutation::BadDate(s) => Value::from(s.as_str()),
        Mutation::FarDate(s) => Value::from(*s),
        Mutation::AmountNumber(n) => n.clone(),
        Mutation::BadAmount(s) => Value::from(s.as_str()),
        Mutation::Delete | Mutation::AddClaim { .. } => unreachable!("handled above"),
    };
}

// ---------------------------------------------------------------------------------------------
// The report contract
// ---------------------------------------------------------------------------------------------

const FIELD_LEVEL: &[&str] = &[
    "common.any.required-field",
    "common.any.field-format",
    "common.any.credit-code-format",
    "common.any.credit-code-check-digit",
    "common.any.mobile-format",
    "common.any.landline-format",
    "common.any.email-format",
    "common.any.amount-format",
];

fn rank(s: &str) -> u8 {
    match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// Whether the dotted path (list markers removed) names a list field of the form.
fn is_list_field(form: Option<FormKind>, dotted: &str) -> bool {
    let forms: Vec<FormKind> = form.map_or_else(|| FormKind::ALL.to_vec(), |f| vec![f]);
    forms.iter().any(|f| {
        all_fields(*f).any(|x| matches!(x.ty, T::List(_)) && x.path.replace("[]", "") == dotted)
    })
}

/// Checks an RFC 6901 pointer against the data: it must start with "/", use only `~0`/`~1`
/// escapes, and resolve — or stop at an absent member: a missing key, or a member of a value that
/// is not an object (wrong-typed parent, reported by the format rule). At an array that the form
/// declares as a list, the token must be a canonical in-range index.
fn check_pointer(ptr: &str, data: &Value, form: Option<FormKind>) -> Result<(), String> {
    let Some(rest) = ptr.strip_prefix('/') else {
        return Err(format!("pointer {ptr:?} does not start with '/'"));
    };
    let mut cur = data;
    let mut dotted: Vec<String> = Vec::new();
    for raw in rest.split('/') {
        let mut tok = String::new();
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '~' {
                match chars.next() {
                    Some('0') => tok.push('~'),
                    Some('1') => tok.push('/'),
                    _ => return Err(format!("pointer {ptr:?} has a bad '~' escape")),
                }
            } else {
                tok.push(c);
            }
        }
        cur = match cur {
            Value::Object(m) => match m.get(&tok) {
                Some(v) => {
                    dotted.push(tok);
                    v
                }
                None => return Ok(()), // names an absent field
            },
            Value::Array(a) => {
                let canonical = tok == "0"
                    || (!tok.is_empty()
                        && !tok.starts_with('0')
                        && tok.bytes().all(|b| b.is_ascii_digit()));
                match tok.parse::<usize>() {
                    Ok(i) if canonical && i < a.len() => {
                        dotted.push("[]".into()); // inside an entry: no longer at the list itself
                        &a[i]
                    }
                    Ok(_) => {
                        return Err(format!(
                            "pointer {ptr:?}: index {tok:?} is outside an array of {} entries",
                            a.len()
                        ))
                    }
                    Err(_) if is_list_field(form, &dotted.join(".")) => {
                        return Err(format!(
                            "pointer {ptr:?}: token {tok:?} is not an index of the list /{}",
                            dotted.join("/")
                        ))
                    }
                    Err(_) => return Ok(()), // an object field holding an array: the member is absent
                }
            }
            _ => return Ok(()), // the parent is a scalar or null: the member is absent
        };
    }
    Ok(())
}

fn check_report(report: &Report, data: &Value, j: &str, form: FormKind) -> Result<(), String> {
    if report.jurisdiction != j || report.form != form.key() {
        return Err(format!(
            "report echoes {}/{}, asked {j}/{}",
            report.jurisdiction,
            report.form,
            form.key()
        ));
    }
    if &report.rule_set != validator_core::rule_set() {
        return Err("rule_set differs from the built-in rule set".into());
    }
    let has_error = report.findings.iter().any(|f| f.severity == "error");
    if report.valid == has_error {
        return Err(format!(
            "valid = {} but error findings present = {has_error}",
            report.valid
        ));
    }
    for w in report.findings.windows(2) {
        let ka = (rank(&w[0].severity), &w[0].rule, w[0].paths.first());
        let kb = (rank(&w[1].severity), &w[1].rule, w[1].paths.first());
        if ka > kb {
            return Err(format!("findings out of order: {ka:?} before {kb:?}"));
        }
    }
    let mut seen_rules = BTreeSet::new();
    let mut seen_field = BTreeSet::new();
    for f in &report.findings {
        let ctx = |m: String| format!("finding {} {:?}: {m}", f.rule, f.paths);
        let Some((pack, rule)) = packs::find_rule(&f.rule) else {
            return Err(ctx("unknown rule ID".into()));
        };
        if pack.id != "common" && pack.id != j {
            return Err(ctx(format!("rule of pack {} in a {j} report", pack.id)));
        }
        if packs::rule_form(&f.rule).is_some_and(|rf| rf != form) {
            return Err(ctx(format!(
                "rule of another form in a {} report",
                form.key()
            )));
        }
        if !matches!(f.severity.as_str(), "error" | "warning" | "info") {
            return Err(ctx(format!("bad severity {:?}", f.severity)));
        }
        if f.exempted {
            if f.severity != "warning"
                || rule.severity.as_str() != "error"
                || rule.exempt.is_empty()
            {
                return Err(ctx(format!(
                    "exempted with severity {} (base {}, exemptible: {})",
                    f.severity,
                    rule.severity.as_str(),
                    !rule.exempt.is_empty()
                )));
            }
        } else if f.severity != rule.severity.as_str() {
            return Err(ctx(format!(
                "severity {} but the rule says {}",
                f.severity,
                rule.severity.as_str()
            )));
        }
        if f.message.zh.trim().is_empty() || f.message.en.trim().is_empty() {
            return Err(ctx("empty message".into()));
        }
        for ph in ["{字段}", "{原因}", "{field}", "{reason}"] {
            if f.message.zh.contains(ph) || f.message.en.contains(ph) {
                return Err(ctx(format!("unfilled placeholder {ph}")));
            }
        }
        if f.citation != validator_core::engine::citation(pack, rule) {
            return Err(ctx("citation differs from the rule's".into()));
        }
        if f.paths.is_empty() {
            return Err(ctx("no path".into()));
        }
        let distinct: BTreeSet<&String> = f.paths.iter().collect();
        if distinct.len() != f.paths.len() {
            return Err(ctx("duplicate paths".into()));
        }
        for p in &f.paths {
            check_pointer(p, data, Some(form)).map_err(&ctx)?;
        }
        if FIELD_LEVEL.contains(&f.rule.as_str()) {
            if f.paths.len() != 1 {
                return Err(ctx("a field-level finding names exactly one path".into()));
            }
            if !seen_field.insert((f.rule.clone(), f.paths[0].clone())) {
                return Err(ctx("reported twice for the same path".into()));
            }
        } else if !seen_rules.insert(f.rule.clone()) {
            return Err(ctx("a rule reports at most once per submission".into()));
        }
    }
    let canon = report.to_canonical_json();
    let back: Report = serde_json::from_str(&canon)
        .map_err(|e| format!("canonical JSON does not parse back: {e}"))?;
    if &back != report || back.to_canonical_json() != canon {
        return Err("canonical JSON does not round-trip".into());
    }
    Ok(())
}

/// Validates `data` for (j, form): objects give a well-formed report, anything else NotAnObject.
fn run(j: &str, form: FormKind, data: &Value) -> Result<(), TestCaseError> {
    let got = validator_core::validate(j, form.key(), data);
    match (data.is_object(), got) {
        (true, Ok(report)) => {
            check_report(&report, data, j, form).map_err(|e| {
                TestCaseError::fail(format!("{j}/{}: {e}\n  data: {data}", form.key()))
            })?;
            let again = validator_core::validate(j, form.key(), data).expect("validated once");
            prop_assert_eq!(&again, &report, "validation is deterministic");
        }
        (false, Err(ValidateError::NotAnObject)) => {}
        (is_obj, other) => {
            return Err(TestCaseError::fail(format!(
                "{j}/{}: object = {is_obj}, got {other:?}\n  data: {data}",
                form.key()
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// (a) Arbitrary JSON, mostly objects keyed by real field names, for every offered (pack, form).
    #[test]
    fn arbitrary_json_never_panics(data in prop_oneof![
        4 => prop::collection::vec((key(), any_json()), 0..12).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        1 => any_json(),
    ]) {
        for (j, form) in offered() {
            run(j, form, &data)?;
        }
    }

    /// (a) Documents shaped like each form, with plausible and malformed values.
    #[test]
    fn form_shaped_documents_never_panic((i, data) in form_documents(&offered_forms())) {
        let form = offered_forms()[i];
        for (j, f) in offered().into_iter().filter(|(_, f)| *f == form) {
            run(j, f, &data)?;
        }
    }

    /// (b) Random mutations of the valid shared cases.
    #[test]
    fn mutated_cases_never_panic(
        case in any::<prop::sample::Index>(),
        mutations in prop::collection::vec((any::<usize>(), mutation()), 1..5),
    ) {
        let cases = valid_cases();
        prop_assume!(!cases.is_empty());
        let (j, form, original) = &cases[case.index(cases.len())];
        let mut data = original.clone();
        for (pick, m) in &mutations {
            apply(&mut data, *pick, m);
        }
        let form = FormKind::from_key(form).expect("known form");
        run(j, form, &data)?;
        // the text entry point agrees with the value entry point
        let text = serde_json::to_string(&data).expect("serializes");
        match validator_core::validate_json(j, form.key(), &text) {
            Ok(via_text) => prop_assert_eq!(via_text, validator_core::validate(j, form.key(), &data).expect("validated")),
            // serde_json refuses text nested deeper than 128 levels: an input error, not a panic
            Err(validator_core::InputError::Json(e)) if depth(&data) > 127 => prop_assert!(e.contains("recursion limit"), "{}", e),
            Err(e) => return Err(TestCaseError::fail(format!("validate_json: {e}"))),
        }
    }

    /// Arbitrary text through the text entry point: never panics; malformed JSON is an input error.
    #[test]
    fn arbitrary_text_never_panics(text in prop_oneof![
        "\\PC{0,40}",
        any_json().prop_map(|v| v.to_string()),
        any_json().prop_map(|v| { let s = v.to_string(); s.chars().take(s.chars().count() / 2).collect::<String>() }),
    ]) {
        if let Some((j, form)) = offered().first() {
            let parsed = serde_json::from_str::<Value>(&text);
            match (validator_core::validate_json(j, form.key(), &text), parsed) {
                (Ok(r), Ok(v)) => check_report(&r, &v, j, *form).map_err(TestCaseError::fail)?,
                (Err(validator_core::InputError::Json(_)), Err(_)) => {}
                (Err(validator_core::InputError::Validate(ValidateError::NotAnObject)), Ok(v)) => prop_assert!(!v.is_object()),
                (got, parsed) => return Err(TestCaseError::fail(format!("text {text:?}: {got:?} (parse: {parsed:?})"))),
            }
        }
    }
}

fn depth(v: &Value) -> usize {
    match v {
        Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn offered_forms() -> Vec<FormKind> {
    FormKind::ALL
        .iter()
        .copied()
        .filter(|f| PACKS.iter().any(|p| p.offers(*f)))
        .collect()
}

#[test]
fn the_catalog_is_not_empty() {
    assert!(!offered().is_empty(), "no pack offers a form");
    assert!(
        !valid_cases().is_empty(),
        "no valid shared case found in {}",
        cases_dir().display()
    );
}

#[test]
fn pointer_checker_itself() {
    let data = serde_json::json!({"a": {"b": [1, {"c": 2}]}, "s": "x", "n": null});
    for ok in [
        "/a", "/a/b/1/c", "/a/x", "/zzz/y", "/s/sub", "/n/k", "/a/b/0", "/a/b/c",
    ] {
        assert!(check_pointer(ok, &data, None).is_ok(), "{ok}");
    }
    for bad in ["", "a", "/a/b/2", "/a/b/01", "/a/~2"] {
        assert!(check_pointer(bad, &data, None).is_err(), "{bad}");
    }
    // a list of the model must be indexed
    let data = serde_json::json!({"attachments": [{"kind": "x"}]});
    assert!(check_pointer("/attachments/0/kind", &data, Some(FormKind::Apply)).is_ok());
    assert!(check_pointer("/attachments/kind", &data, Some(FormKind::Apply)).is_err());
    assert!(check_pointer("/attachments/1/kind", &data, Some(FormKind::Apply)).is_err());
    let data = serde_json::json!({"attachments": [[]]});
    assert!(
        check_pointer("/attachments/0/kind", &data, Some(FormKind::Apply)).is_ok(),
        "a member of a malformed entry is absent"
    );
}

/// The generators are only as good as the rules they reach: most rules must fire on generated
/// inputs, and exemption claims must be exercised (run with `--nocapture` to see which never fire).
#[test]
fn generators_reach_most_rules() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeMap;
    let mut runner = TestRunner::deterministic();
    let mut hits: BTreeMap<String, usize> = BTreeMap::new();
    let mut exempted = 0;
    let forms = offered_forms();
    let docs = form_documents(&forms);
    let muts = (
        any::<prop::sample::Index>(),
        prop::collection::vec((any::<usize>(), mutation()), 1..5),
    );
    let n = 600;
    for _ in 0..n {
        let (i, data) = docs.new_tree(&mut runner).unwrap().current();
        for (j, f) in offered().into_iter().filter(|(_, f)| *f == forms[i]) {
            let r = validator_core::validate(j, f.key(), &data).unwrap();
            for x in &r.findings {
                *hits.entry(x.rule.clone()).or_default() += 1;
            }
        }
        let (case, ms) = muts.new_tree(&mut runner).unwrap().current();
        let cases = valid_cases();
        let (j, form, original) = &cases[case.index(cases.len())];
        let mut data = original.clone();
        for (pick, m) in &ms {
            apply(&mut data, *pick, m);
        }
        let r = validator_core::validate(j, form, &data).unwrap();
        exempted += r.findings.iter().filter(|f| f.exempted).count();
        for x in &r.findings {
            *hits.entry(x.rule.clone()).or_default() += 1;
        }
    }
    let never: Vec<&str> = validator_core::packs::all_rules()
        .map(|(_, r)| r.id)
        .filter(|id| !hits.contains_key(*id))
        .collect();
    eprintln!("{n} form-shaped documents and {n} mutated cases: {} of {} rules fired, {exempted} exempted findings", hits.len(), rule_ids().len());
    eprintln!("never fired: {never:#?}");
    assert!(
        hits.len() >= 180,
        "generators reach only {} rules",
        hits.len()
    );
    assert!(exempted > 0, "no exemption claim was exercised");
}
