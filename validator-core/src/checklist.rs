//! The required-documents checklist (issue 3), derived from the rules — not from a second table.
//!
//! For every rule of the (pack, form) whose condition mentions attachments (`has(k)`,
//! `any of {…} not attached`), and for every kind `k` it mentions, the rule is evaluated on the
//! filing's data with every kind attached except `k`. If it then fires, `k` is a document the
//! rule requires for this data. Because conditions use attachments only negatively ("not
//! attached"), this is exactly the set of kinds whose absence makes the rule fire. Required
//! attachment pseudo-fields (`attachments#k`, spec §2) are listed when their required-ness
//! condition holds. Partial data is fine: a rule whose other conditions cannot be decided yet
//! does not list its documents.

use crate::dsl::{Ctx, C, E};
use crate::engine::{citation, compiled, resolve, with_doc, ValidateError, Validator};
use crate::json::J;
use crate::model::{enum_label, T};
use crate::packs::{find_rule, Severity, COMMON};
use crate::report::Citation;
use serde::Serialize;
use serde_json::Value;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Checklist {
    pub form: String,
    pub items: Vec<ChecklistItem>,
    pub jurisdiction: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ChecklistItem {
    /// Whether the filing already lists an attachment of this kind.
    pub attached: bool,
    /// `attachment_kind` code.
    pub kind: String,
    /// Chinese label of the kind.
    pub label: String,
    /// The rules that call for it.
    pub reasons: Vec<Reason>,
    /// True when a rule of severity error calls for it (after exemption claims); otherwise it is
    /// recommended (warning-level rules).
    pub required: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Reason {
    pub citation: Option<Citation>,
    pub rule: String,
    pub severity: String,
}

fn kinds_mentioned(c: &C, out: &mut Vec<Kind>) {
    match c {
        C::Or(v) | C::And(v) => v.iter().for_each(|c| kinds_mentioned(c, out)),
        C::Not(c) => kinds_mentioned(c, out),
        C::Quant { cond, .. } => kinds_mentioned(cond, out),
        C::HasBit(b) => out.push(Kind::Bit(*b)),
        C::HasField(f) => out.push(Kind::Field(*f)),
        C::AnyNotAttached(m) => (0..64)
            .filter(|b| m >> b & 1 == 1)
            .for_each(|b| out.push(Kind::Bit(b))),
        _ => {}
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Bit(u32),
    Field(usize),
}

/// Whether a rule's condition involves attachments at all (a "required-attachment rule").
pub fn is_attachment_rule(cond: &C) -> bool {
    let mut v = Vec::new();
    kinds_mentioned(cond, &mut v);
    !v.is_empty()
}

/// Lists the attachments the rules require for (possibly partial) data.
pub fn checklist(
    v: &Validator,
    jurisdiction: &str,
    form: &str,
    data: &Value,
) -> Result<Checklist, ValidateError> {
    checklist_doc(v, jurisdiction, form, &J::from_value(data))
}

/// [`checklist`] of a document parsed with [`J::parse`].
pub fn checklist_doc(
    v: &Validator,
    jurisdiction: &str,
    form: &str,
    data: &J,
) -> Result<Checklist, ValidateError> {
    let (pack, form_kind) = resolve(jurisdiction, form)?;
    let obj = data.as_object().ok_or(ValidateError::NotAnObject)?;
    let c = compiled(pack, form_kind)
        .unwrap_or_else(|e| panic!("rule data failed to compile (a bug caught by tests): {e}"));
    let kinds = c.table.attachment_kinds;
    let all: u64 = if kinds.len() >= 64 {
        u64::MAX
    } else {
        (1u64 << kinds.len()) - 1
    };
    // (kind bit, reason)
    let mut found: Vec<(u32, Reason)> = Vec::new();
    let attached = with_doc(c, obj, |doc, valid_claims| {
        for cr in &c.rules {
            let mut mentioned = Vec::new();
            kinds_mentioned(&cr.cond, &mut mentioned);
            if mentioned.is_empty() {
                continue;
            }
            let mut bits: Vec<u32> = Vec::new();
            for k in mentioned {
                let bit = match k {
                    Kind::Bit(b) => Some(b),
                    Kind::Field(f) => {
                        let mut ctx = Ctx::new(&c.table, doc, v.calendar());
                        ctx.code_of(&E::Field(f))
                            .and_then(|code| kinds.iter().position(|(k, _)| *k == code))
                            .map(|p| p as u32)
                    }
                };
                if let Some(b) = bit.filter(|b| !bits.contains(b)) {
                    bits.push(b);
                }
            }
            for b in bits {
                let mut ctx = Ctx::new(&c.table, doc, v.calendar());
                ctx.attached = all & !(1u64 << b);
                if ctx.cond(&cr.cond) {
                    let mut sev = cr.rule.severity;
                    if sev == Severity::Error && valid_claims.contains(&cr.rule.id) {
                        sev = Severity::Warning;
                    }
                    found.push((
                        b,
                        Reason {
                            citation: citation(cr.pack, cr.rule),
                            rule: cr.rule.id.to_string(),
                            severity: sev.as_str().to_string(),
                        },
                    ));
                }
            }
        }
        // required attachment pseudo-fields
        for (i, f) in c.table.fields.iter().enumerate() {
            if !matches!(f.ty, T::Attachment) {
                continue;
            }
            let Some(req) = &c.required[i] else { continue };
            let mut ctx = Ctx::new(&c.table, doc, v.calendar());
            if ctx.cond(req) {
                let b = kinds
                    .iter()
                    .position(|(k, _)| *k == f.key)
                    .expect("pseudo-field names a kind") as u32;
                let (_, rule) = find_rule("common.any.required-field").expect("exists");
                let model_basis = crate::model::all_fields(form_kind)
                    .find(|m| m.path == f.path)
                    .map(|m| m.basis)
                    .unwrap_or("");
                let cite = model_basis
                    .split('；')
                    .find_map(|part| part.strip_prefix(pack.source).map(|a| a.trim().to_string()))
                    .filter(|a| !a.is_empty() && !pack.source.is_empty())
                    .map(|article| Citation {
                        article,
                        document: pack.document.to_string(),
                        source: Some(pack.source.to_string()),
                    })
                    .or_else(|| citation(COMMON, rule));
                found.push((
                    b,
                    Reason {
                        citation: cite,
                        rule: rule.id.to_string(),
                        severity: rule.severity.as_str().to_string(),
                    },
                ));
            }
        }
        doc.attached
    });
    let mut items: Vec<ChecklistItem> = Vec::new();
    for (b, (code, label)) in kinds.iter().enumerate() {
        let mut reasons: Vec<Reason> = found
            .iter()
            .filter(|(k, _)| *k as usize == b)
            .map(|(_, r)| r.clone())
            .collect();
        if reasons.is_empty() {
            continue;
        }
        crate::sort::sort_by(&mut reasons, |a, b| a.rule.cmp(&b.rule));
        reasons.dedup_by(|a, b| a.rule == b.rule);
        items.push(ChecklistItem {
            attached: attached >> b & 1 == 1,
            kind: code.to_string(),
            label: enum_label("attachment_kind", code)
                .unwrap_or(label)
                .to_string(),
            required: reasons.iter().any(|r| r.severity == "error"),
            reasons,
        });
    }
    Ok(Checklist {
        form: form.to_string(),
        items,
        jurisdiction: jurisdiction.to_string(),
    })
}
