//! Differential tests of the direct JSON reader (`validator_core::json`, module `fast`): for any
//! text — valid JSON in every layout, and JSON damaged at random — `J::parse` must give exactly
//! what `serde_json` gives: the same document, or the same error message.

use proptest::prelude::*;
use serde_json::{Map, Number, Value};
use validator_core::json::J;

fn same(text: &str) -> Result<(), TestCaseError> {
    let fast = J::parse(text).map_err(|e| e.to_string());
    let serde = J::parse_with_serde(text).map_err(|e| e.to_string());
    prop_assert_eq!(fast, serde, "text: {:?}", text);
    Ok(())
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{0,8}",
        "[ -~]{0,12}",
        "[\u{0}-\u{7f}]{0,6}",
        "[项目申报单位统一社会信用代码é€😀\u{2028}]{0,6}",
        any::<String>(),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        (0i64..3000).prop_map(Number::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        (-1e6f64..1e6).prop_filter_map("finite", |x| Number::from_f64((x * 100.0).round() / 100.0)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((string(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// JSON text of `v` with members repeated (duplicate keys) and odd whitespace.
fn with_duplicates_and_spacing(v: &Value, ws: &str) -> String {
    match v {
        Value::Object(m) => {
            let mut parts: Vec<String> = m
                .iter()
                .map(|(k, x)| {
                    format!(
                        "{}{ws}:{ws}{}",
                        Value::String(k.clone()),
                        with_duplicates_and_spacing(x, ws)
                    )
                })
                .collect();
            if let Some((k, _)) = m.iter().next() {
                parts.insert(0, format!("{}:0", Value::String(k.clone())));
            }
            format!("{{{ws}{}{ws}}}", parts.join(&format!("{ws},{ws}")))
        }
        Value::Array(a) => {
            let parts: Vec<String> = a
                .iter()
                .map(|x| with_duplicates_and_spacing(x, ws))
                .collect();
            format!("[{ws}{}{ws}]", parts.join(&format!(",{ws}")))
        }
        x => x.to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn valid_json_reads_as_serde_json_reads_it(v in value(), ws in "[ \t\r\n]{0,2}") {
        same(&v.to_string())?;
        same(&serde_json::to_string_pretty(&v).unwrap())?;
        same(&with_duplicates_and_spacing(&v, &ws))?;
    }

    #[test]
    fn objects_in_any_order_with_shared_prefixes_and_repeated_keys_read_as_serde_json_reads_them(
        // keys that tie on their first eight bytes, end early, contain NUL or CJK; up to 70
        // members (past the small-object sort's 64)
        members in prop::collection::vec((prop::sample::select(vec![
            "", "a", "ab", "project_", "project_n", "project_name", "project_nature", "project_a",
            "project_a\u{0}", "project\u{0}", "项目", "项目a", "applicant", "approval_document",
        ]), 0u8..5), 0..70),
    ) {
        let body: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{}:{v}", Value::String(k.to_string())))
            .collect();
        let text = format!("{{{}}}", body.join(","));
        same(&text)?;
        // both readers share the members' sort: check it against serde_json's own map (sorted
        // keys, the last of repeated keys wins)
        let value: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(J::parse(&text).unwrap(), J::from_value(&value), "text: {:?}", text);
    }

    #[test]
    fn damaged_json_fails_or_reads_as_serde_json_does(
        v in value(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(vec![
            "", "\"", "\\", "\\u", "\\ud800", "\\u00e9", "\\x", ",", ":", "{", "}", "[", "]", "-", "0", "01", ".", "e", "E+", "1e999",
            "t", "true", "nul", " ", "\u{1}", "\n", "/", "项", "18446744073709551616", "-9223372036854775809",
        ])), 1..4),
    ) {
        let mut text = v.to_string();
        for (at, op, s) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            match op {
                0 => text.insert_str(i, s),
                1 => {
                    let mut j = (i + 1).min(text.len());
                    while !text.is_char_boundary(j) {
                        j += 1;
                    }
                    text.replace_range(i..j, s);
                }
                _ => text.truncate(i),
            }
        }
        same(&text)?;
    }
}

#[test]
fn edge_cases_agree() {
    for text in [
        "",
        " ",
        "{",
        "}",
        "[]",
        "{}",
        "[,]",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "01",
        "-",
        "-0",
        "-0.0",
        "0",
        "1e2",
        "1E+2",
        "1.5e-3",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "1e400",
        "123456789012345678",
        "1234567890123456789",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"\\u00e9\\u0000\"",
        "\"\\uZZZZ\"",
        "\"\\u12\"",
        "\"a\u{1}b\"",
        "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
        "\"\\q\"",
        "truex",
        "true false",
        "nul",
        "[true,false,null]",
        "\u{feff}{}",
        "{\"k\":1,\"k\":2}",
        "[\"项目\",\"申报\\n单位\"]",
        " {\"a\" : [ 1 , { \"b\" : null } ] } ",
    ] {
        let fast = J::parse(text).map_err(|e| e.to_string());
        let serde = J::parse_with_serde(text).map_err(|e| e.to_string());
        assert_eq!(fast, serde, "text: {text:?}");
    }
    let deep_ok = format!("{}{}", "[".repeat(120), "]".repeat(120));
    let deep_bad = format!("{}{}", "[".repeat(200), "]".repeat(200));
    for text in [deep_ok, deep_bad] {
        let fast = J::parse(&text).map_err(|e| e.to_string());
        let serde = J::parse_with_serde(&text).map_err(|e| e.to_string());
        assert_eq!(fast, serde, "depth {}", text.len() / 2);
    }
}

#[test]
fn bytes_agree_including_invalid_utf8() {
    for bytes in [
        &b"{\"a\":\"\xff\"}"[..],
        b"{\"a\":1}",
        b"[\"\xe9\xa1\xb9\"]",
        b"\xc3",
    ] {
        let fast = J::parse_slice(bytes).map_err(|e| e.to_string());
        let serde = serde_json::from_slice::<J>(bytes).map_err(|e| e.to_string());
        assert_eq!(fast, serde, "bytes: {bytes:?}");
    }
}
