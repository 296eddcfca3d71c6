//! Rule packs: one module per jurisdiction plus `common`. A pack is pure data — its metadata,
//! the forms it offers, its enum restrictions (§2.3), the fields it additionally requires, its
//! named definitions, and its rules (§3). Adding a jurisdiction means adding a module here and
//! listing it in [`PACKS`]; the engine does not change.

mod bazhong;
mod common;
mod gaogang;
mod jianshan;
mod pingyang;
mod potou;

use crate::model::FormKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Exemption bases (enum `exemption_basis`, spec §0.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    LawRegulation,
    HigherMandate,
    SpecialCircumstance,
    Other,
}

impl Basis {
    pub fn code(self) -> &'static str {
        match self {
            Basis::LawRegulation => "law_regulation",
            Basis::HigherMandate => "higher_mandate",
            Basis::SpecialCircumstance => "special_circumstance",
            Basis::Other => "other",
        }
    }
}

/// One rule of spec §3. The form is the second segment of the ID.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// Bases of an exemption claim that downgrade this rule to a warning (可豁免).
    pub exempt: &'static [Basis],
    /// The article as the seed numbers it ("第二十一条", "第7条(1)", "四.14"); empty for product rules.
    pub cite: &'static str,
    /// The firing condition in the rule language (`crate::dsl`).
    pub when: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// How a pack offers a form (spec §1): a filing duty ("M") or content rules only ("O").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    Mandatory,
    Optional,
}

#[derive(Debug)]
pub struct Pack {
    pub id: &'static str,
    /// 地区, e.g. 坡头区（广东省湛江市）.
    pub region: &'static str,
    /// The regulation's title as in the text (citation `document`); empty for `common`.
    pub document: &'static str,
    /// The seed file (citation `source`); empty for `common`.
    pub source: &'static str,
    /// Status / effective date of the text (spec §0.1).
    pub status: &'static str,
    pub forms: &'static [(FormKind, Duty, &'static str)],
    /// Pack-restricted enum domains (spec §2.3): `form.field` → allowed codes.
    pub restrict: &'static [(&'static str, &'static [&'static str])],
    /// Extra required fields: (form, path, condition or "" for always).
    pub require: &'static [(FormKind, &'static str, &'static str)],
    /// Named definitions usable in this pack's conditions (`NAME := …`).
    pub defs: &'static [(&'static str, &'static str)],
    pub rules: &'static [Rule],
}

/// The standard behind the credit-code checks (spec §3.1, report.md).
pub const STANDARD_GB32100: &str = "GB 32100-2015 法人和其他组织统一社会信用代码编码规则";

/// The common product pack (runs in every jurisdiction).
pub static COMMON: &Pack = &common::PACK;

/// The jurisdictions, in the order of spec §0.1.
pub static PACKS: &[&Pack] = &[
    &potou::PACK,
    &bazhong::PACK,
    &gaogang::PACK,
    &pingyang::PACK,
    &jianshan::PACK,
];

pub fn pack(id: &str) -> Option<&'static Pack> {
    PACKS.iter().copied().find(|p| p.id == id)
}

/// The form segment of a rule ID (`pack.form.slug`), `None` for `any`.
pub fn rule_form(id: &str) -> Option<FormKind> {
    let form = id.split('.').nth(1)?;
    FormKind::from_key(form)
}

/// Every rule, common first.
pub fn all_rules() -> impl Iterator<Item = (&'static Pack, &'static Rule)> {
    std::iter::once(COMMON)
        .chain(PACKS.iter().copied())
        .flat_map(|p| p.rules.iter().map(move |r| (p, r)))
}

pub fn find_rule(id: &str) -> Option<(&'static Pack, &'static Rule)> {
    all_rules().find(|(_, r)| r.id == id)
}

impl Pack {
    pub fn offers(&self, form: FormKind) -> bool {
        self.forms.iter().any(|(f, _, _)| *f == form)
    }
    /// The restricted domain of `form.field`, if this pack restricts it.
    pub fn restriction(&self, form: FormKind, path: &str) -> Option<&'static [&'static str]> {
        self.restrict
            .iter()
            .find(|(k, _)| k.split_once('.') == Some((form.key(), path)))
            .map(|(_, v)| *v)
    }
}
