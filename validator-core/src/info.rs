//! Catalog queries for every surface: the packs and forms on offer, rule documentation entries.

use crate::engine::{citation, compiled};
use crate::model::FormKind;
use crate::packs::{self, Duty, PACKS};
use crate::report::Citation;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FormInfo {
    pub form: &'static str,
    pub label_zh: &'static str,
    pub label_en: &'static str,
    /// "M": the text imposes a filing duty; "O": content rules only (spec §1).
    pub duty: &'static str,
    pub basis: &'static str,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PackInfo {
    pub jurisdiction: &'static str,
    pub region: &'static str,
    pub document: &'static str,
    pub source: &'static str,
    pub status: &'static str,
    pub forms: Vec<FormInfo>,
}

/// The jurisdictions and the forms each offers, in spec order.
pub fn forms() -> Vec<PackInfo> {
    PACKS
        .iter()
        .map(|p| PackInfo {
            jurisdiction: p.id,
            region: p.region,
            document: p.document,
            source: p.source,
            status: p.status,
            forms: FormKind::ALL
                .iter()
                .filter_map(|f| p.forms.iter().find(|(k, _, _)| k == f))
                .map(|(f, d, b)| FormInfo {
                    form: f.key(),
                    label_zh: f.label_zh(),
                    label_en: f.label_en(),
                    duty: if *d == Duty::Mandatory { "M" } else { "O" },
                    basis: b,
                })
                .collect(),
        })
        .collect()
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: &'static str,
    pub pack: &'static str,
    pub form: &'static str,
    pub severity: &'static str,
    pub exemptible: Vec<&'static str>,
    pub citation: Option<Citation>,
    pub condition: &'static str,
    /// Canonical paths of the fields the condition reads (empty for field-level checks).
    pub reads: Vec<&'static str>,
    pub message_zh: &'static str,
    pub message_en: &'static str,
}

/// The documentation entry of a rule, from the same data the engine runs.
pub fn rule_info(id: &str) -> Option<RuleInfo> {
    let (pack, rule) = packs::find_rule(id)?;
    let form = rule.id.split('.').nth(1).unwrap_or("any");
    Some(RuleInfo {
        id: rule.id,
        pack: pack.id,
        form,
        severity: rule.severity.as_str(),
        exemptible: rule.exempt.iter().map(|b| b.code()).collect(),
        citation: citation(pack, rule),
        condition: rule.when,
        reads: reads_of(pack.id, rule.id),
        message_zh: rule.zh,
        message_en: rule.en,
    })
}

/// Fields read by a rule, taken from its compiled form in the first pack/form where it runs.
pub fn reads_of(pack_id: &str, rule_id: &str) -> Vec<&'static str> {
    let form = packs::rule_form(rule_id);
    for p in PACKS
        .iter()
        .filter(|p| pack_id == "common" || p.id == pack_id)
    {
        for (f, _, _) in p
            .forms
            .iter()
            .filter(|(f, _, _)| form.is_none_or(|x| x == *f))
        {
            if let Ok(c) = compiled(p, *f) {
                if let Some(cr) = c.rules.iter().find(|cr| cr.rule.id == rule_id) {
                    return cr.reads.iter().map(|&i| c.table.fields[i].path).collect();
                }
            }
        }
    }
    Vec::new()
}
