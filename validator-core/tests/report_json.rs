//! `Report::to_canonical_json` is written by hand (for speed in the browser): it must be byte for
//! byte what `serde_json::to_string` writes for the same report — on every shared case, and on
//! generated reports whose strings need every kind of escape.

use proptest::prelude::*;
use serde_json::Value;
use validator_core::report::{Citation, Finding, Message, Report, RuleSetId};

#[test]
fn every_shared_case_report_serializes_as_serde_json_does() {
    let mut n = 0;
    for pack in ["potou", "bazhong", "gaogang", "pingyang", "jianshan"] {
        let path = format!(
            "{}/../../shared/cases/{pack}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let cases: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for c in &cases {
            let (j, f) = (
                c["jurisdiction"].as_str().unwrap(),
                c["form"].as_str().unwrap(),
            );
            let report = validator_core::validate(j, f, &c["data"]).unwrap();
            assert_eq!(
                report.to_canonical_json(),
                serde_json::to_string(&report).unwrap(),
                "{}",
                c["id"]
            );
            n += 1;
        }
    }
    assert!(n > 0, "no shared cases");
}

fn text() -> impl Strategy<Value = String> {
    // plain text, CJK, and every character serde_json escapes (controls, quote, backslash), plus
    // some it does not (DEL, U+2028, non-BMP)
    prop::collection::vec(
        prop_oneof![
            "[a-z0-9 ._/-]{0,12}",
            "[项目申报单位统一社会信用代码]{0,6}",
            prop::sample::select(vec![
                "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}", "\u{c}", "\u{1f}",
                "\u{7f}", "\u{2028}", "😀", "/",
            ])
            .prop_map(String::from),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn finding() -> impl Strategy<Value = Finding> {
    (
        prop::option::of((text(), text(), prop::option::of(text()))),
        any::<bool>(),
        (text(), text()),
        prop::collection::vec(text(), 0..3),
        text(),
        text(),
    )
        .prop_map(
            |(citation, exempted, (en, zh), paths, rule, severity)| Finding {
                citation: citation.map(|(article, document, source)| Citation {
                    article,
                    document,
                    source,
                }),
                exempted,
                message: Message { en, zh },
                paths,
                rule,
                severity,
            },
        )
}

proptest! {
    #[test]
    fn generated_reports_serialize_as_serde_json_does(
        findings in prop::collection::vec(finding(), 0..4),
        form in text(),
        jurisdiction in text(),
        digest in text(),
        version in text(),
        valid in any::<bool>(),
    ) {
        let report = Report { findings, form, jurisdiction, rule_set: RuleSetId { digest, version }, valid };
        prop_assert_eq!(report.to_canonical_json(), serde_json::to_string(&report).unwrap());
    }
}
