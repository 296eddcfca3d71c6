//! TypeScript declarations of the values the bindings return, emitted into the generated
//! `validator_wasm.d.ts` (`typescript_custom_section`). They mirror the serde shapes of the core's
//! structs; a native test checks that every serialized key is declared.

use wasm_bindgen::prelude::wasm_bindgen;

/// The declarations, also readable from Rust (tests check them against the serde shapes).
pub const TS_TYPES: &str = r#"
/** Form data: JSON text, or a plain JSON-compatible object (the `data` of a filing). */
export type FilingData = string | Record<string, unknown>;

/** `error` blocks final submission; `warning` and `info` do not. */
export type Severity = "error" | "warning" | "info";

/** Which rule data produced a report. */
export interface RuleSet {
  digest: string;
  version: string;
}

/** A complete sentence in Chinese and English. */
export interface Message {
  en: string;
  zh: string;
}

/** The regulation (or standard) a rule comes from. */
export interface Citation {
  article: string;
  document: string;
  source: string | null;
}

/** One problem found in the data (spec/report.md). */
export interface Finding {
  /** Null for product rules that no regulation states. */
  citation: Citation | null;
  /** True when a valid exemption claim downgraded the finding from error to warning. */
  exempted: boolean;
  message: Message;
  /** JSON Pointers (RFC 6901) into the submitted data. */
  paths: string[];
  /** Rule ID, a public contract (never renamed). */
  rule: string;
  severity: Severity;
}

/** The validation report, identical on every surface (spec/report.md). */
export interface Report {
  /** Ordered: severity (error, warning, info), then rule ID, then first path. */
  findings: Finding[];
  form: string;
  jurisdiction: string;
  rule_set: RuleSet;
  /** True exactly when no finding has severity `error`. */
  valid: boolean;
}

/** A form a jurisdiction offers. */
export interface FormInfo {
  form: string;
  label_zh: string;
  label_en: string;
  /** "M": the text imposes a filing duty; "O": content rules only. */
  duty: "M" | "O";
  basis: string;
}

/** A jurisdiction (rule pack) and the forms it offers. */
export interface PackInfo {
  jurisdiction: string;
  region: string;
  document: string;
  source: string;
  status: string;
  forms: FormInfo[];
}

/** The documentation entry of a rule. */
export interface RuleInfo {
  id: string;
  pack: string;
  form: string;
  severity: Severity;
  /** Exemption bases a claim may cite for this rule (empty: not exemptible). */
  exemptible: string[];
  citation: Citation | null;
  /** The rule's condition in the rule language. */
  condition: string;
  /** Canonical paths of the fields the condition reads. */
  reads: string[];
  message_zh: string;
  message_en: string;
}

/** Why a document is on the checklist. */
export interface ChecklistReason {
  citation: Citation | null;
  rule: string;
  severity: Severity;
}

/** A document (attachment kind) the rules call for. */
export interface ChecklistItem {
  /** Whether the filing already lists an attachment of this kind. */
  attached: boolean;
  /** `attachment_kind` code. */
  kind: string;
  /** Chinese label of the kind. */
  label: string;
  reasons: ChecklistReason[];
  /** True when an error-level rule calls for it; otherwise recommended. */
  required: boolean;
}

/** The required-documents checklist (附件清单) for (possibly partial) data. */
export interface Checklist {
  form: string;
  items: ChecklistItem[];
  jurisdiction: string;
}

/** A JSON Schema (draft 2020-12) document. */
export type JsonSchema = Record<string, unknown>;
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_SECTION: &str = TS_TYPES;

#[cfg(test)]
mod tests {
    use super::TS_TYPES;
    use serde_json::{json, Value};

    /// The member names declared in `export interface name { … }`.
    fn members(name: &str) -> Vec<String> {
        let head = format!("export interface {name} {{");
        let start = TS_TYPES
            .find(&head)
            .unwrap_or_else(|| panic!("interface {name} declared"))
            + head.len();
        let body = &TS_TYPES[start..start + TS_TYPES[start..].find("\n}").expect("closed")];
        body.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("/**") && !l.starts_with('*') && !l.is_empty())
            .map(|l| {
                l.split(':')
                    .next()
                    .unwrap()
                    .trim_end_matches('?')
                    .to_string()
            })
            .collect()
    }

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    }

    fn check(name: &str, v: &Value) {
        let mut m = members(name);
        m.sort();
        assert_eq!(m, keys(v), "interface {name} vs serialized keys");
    }

    #[test]
    fn interfaces_declare_every_serialized_key() {
        let packs = validator_core::info::forms();
        let pack = packs
            .iter()
            .find(|p| !p.forms.is_empty())
            .expect("a pack offers a form");
        let (j, f) = (pack.jurisdiction, pack.forms[0].form);
        let pv = serde_json::to_value(pack).unwrap();
        check("PackInfo", &pv);
        check("FormInfo", &pv["forms"][0]);

        let data = json!({"submission_date": "2025-09-15"});
        let report = serde_json::to_value(validator_core::validate(j, f, &data).unwrap()).unwrap();
        check("Report", &report);
        check("RuleSet", &report["rule_set"]);
        let finding = &report["findings"][0];
        check("Finding", finding);
        check("Message", &finding["message"]);

        let info = serde_json::to_value(
            validator_core::info::rule_info("common.any.credit-code-format").unwrap(),
        )
        .unwrap();
        check("RuleInfo", &info);
        check("Citation", &info["citation"]);

        let list =
            validator_core::checklist::checklist(validator_core::Validator::builtin(), j, f, &data)
                .unwrap();
        let lv = serde_json::to_value(&list).unwrap();
        check("Checklist", &lv);
        // a checklist item from any offered form, if some form lists one for partial data
        let item = packs
            .iter()
            .flat_map(|p| p.forms.iter().map(move |f| (p.jurisdiction, f.form)))
            .filter_map(|(j, f)| {
                validator_core::checklist::checklist(
                    validator_core::Validator::builtin(),
                    j,
                    f,
                    &json!({}),
                )
                .ok()
            })
            .find_map(|c| c.items.into_iter().next());
        if let Some(item) = item {
            let iv = serde_json::to_value(&item).unwrap();
            check("ChecklistItem", &iv);
            check("ChecklistReason", &iv["reasons"][0]);
        }
    }
}
