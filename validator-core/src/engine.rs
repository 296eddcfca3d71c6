//! The validation pipeline: typed extraction with field-level findings → required-ness →
//! rules → exemption claims → report. Compiled (pack, form) tables are built once and cached.

use crate::calendar::Calendar;
use crate::date::Date;
use crate::decimal::parse_wan;
use crate::dsl::{Compiler, Ctx, Def, Doc, FieldInfo, FieldTable, Val, C};
use crate::formats;
use crate::json::J;
use crate::model::{self, all_fields, FormKind, Req, T};
use crate::packs::{self, Pack, Rule, Severity, COMMON, PACKS};
use crate::report::{sort_findings, Citation, Finding, Message, Report, RuleSetId};
use serde_json::Value;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Why a request could not be validated at all (as opposed to findings about the data).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidateError {
    #[error("unknown jurisdiction “{0}” (known: potou, bazhong, gaogang, pingyang, jianshan)")]
    UnknownJurisdiction(String),
    #[error("unknown form “{0}” (known: apply, change, procure, contract, monitor, terminate, fund, accept, accept-record, self-eval)")]
    UnknownForm(String),
    #[error("form {form} is not filed in jurisdiction {jurisdiction}")]
    FormNotOffered { jurisdiction: String, form: String },
    #[error("data must be a JSON object")]
    NotAnObject,
}

pub const RULE_SET_VERSION: &str = "2026.1";

/// `rule_set.digest` of the built-in rule data and calendar, precomputed for the browser
/// (`SHENBAO_BLESS=1 cargo test -p validator-core --test generated_docs` rewrites it).
pub use crate::builtin_digest::BUILTIN_RULE_SET_DIGEST;

/// The product check IDs of spec §3.1 used by the field-level pass.
pub(crate) mod ids {
    pub const REQUIRED: &str = "common.any.required-field";
    pub const FORMAT: &str = "common.any.field-format";
    pub const CREDIT_FORMAT: &str = "common.any.credit-code-format";
    pub const CREDIT_CHECK: &str = "common.any.credit-code-check-digit";
    pub const MOBILE: &str = "common.any.mobile-format";
    pub const LANDLINE: &str = "common.any.landline-format";
    pub const EMAIL: &str = "common.any.email-format";
    pub const AMOUNT: &str = "common.any.amount-format";
    pub const CLAIM: &str = "common.any.exemption-claim-invalid";
    pub const FIELD_LEVEL: &[&str] = &[
        REQUIRED,
        FORMAT,
        CREDIT_FORMAT,
        CREDIT_CHECK,
        MOBILE,
        LANDLINE,
        EMAIL,
        AMOUNT,
    ];
}

/// A rule compiled against a (pack, form) field table.
pub struct CompiledRule {
    pub pack: &'static Pack,
    pub rule: &'static Rule,
    pub cond: C,
    /// Fields the condition reads (indices into the table), deduplicated.
    pub reads: Vec<usize>,
    /// A field-level product check or the claim check: reported by the field pass, not by
    /// evaluating `cond`.
    pub field_level: bool,
}

/// Everything needed to validate one (pack, form).
pub struct Compiled {
    pub pack: &'static Pack,
    pub form: FormKind,
    pub table: FieldTable,
    /// Per field: the compiled required-ness condition (None: optional).
    pub required: Vec<Option<C>>,
    /// Per list field: the indices of its entries' fields, sorted by JSON member name.
    pub list_children: Vec<Vec<usize>>,
    /// The fields of each JSON object, sorted by member name: `[0]` the document itself,
    /// `[p + 1]` the object field `p` (attachment pseudo-fields excluded).
    pub members: Vec<Vec<usize>>,
    pub rules: Vec<CompiledRule>,
}

/// Named definitions shared by every pack (spec §0.5).
pub const COMMON_DEFS: &[(&str, &str)] = &[
    ("CONSTRUCTION", "project_nature ∈ {new_build, expansion, renovation, continuation, upgrade}"),
    ("SERVICE", "project_nature ∈ {om, service_purchase}"),
    (
        "adjustment_amount_wan",
        "max(Σ(budget_items[]: max(0, adjusted_wan − original_wan)), Σ(budget_items[]: max(0, original_wan − adjusted_wan)))",
    ),
];

fn defs_for(pack: &'static Pack) -> Vec<Def> {
    COMMON_DEFS
        .iter()
        .chain(COMMON.defs)
        .chain(pack.defs)
        .map(|(name, src)| Def { name, src })
        .collect()
}

fn build_table(pack: &'static Pack, form: FormKind) -> FieldTable {
    let attachment_kinds = model::enum_def("attachment_kind").expect("catalog").values;
    let mut fields: Vec<FieldInfo> = Vec::new();
    let mut root_slots = 0usize;
    let mut list_slots: Vec<usize> = Vec::new();
    for f in all_fields(form) {
        let (parent_path, key) = match f.path.rsplit_once(['.', '#']) {
            Some((p, k)) => (Some(p.strip_suffix("[]").unwrap_or(p)), k),
            None => (None, f.path),
        };
        let parent = parent_path.and_then(|p| fields.iter().position(|g| g.path == p));
        let list = match parent {
            Some(p) if matches!(fields[p].ty, T::List(_)) && !f.path.contains('#') => Some(p),
            Some(p) => fields[p].list,
            None => None,
        };
        let slot = match list {
            None => {
                root_slots += 1;
                root_slots - 1
            }
            Some(l) => {
                let s = list_slots[l];
                list_slots[l] += 1;
                s
            }
        };
        let (domain, full_domain) = match f.ty {
            T::Enum(name) | T::Multi(name, _) => {
                let full = crate::dsl::domain_of(name);
                let restricted = pack
                    .restriction(form, f.path)
                    .map(|r| r.to_vec())
                    .unwrap_or_else(|| full.clone());
                (restricted, full)
            }
            _ => (Vec::new(), Vec::new()),
        };
        list_slots.push(0);
        fields.push(FieldInfo {
            path: f.path,
            zh: f.zh,
            ty: f.ty,
            domain,
            full_domain,
            list,
            parent,
            slot,
            key,
        });
    }
    FieldTable {
        fields,
        attachment_kinds,
    }
}

/// `template` with each placeholder of `values` (`{字段}`, `{field}`, …) replaced by its value,
/// in one pass. (By hand rather than `str::replace`: the substring searcher it needs is ~2 KB of
/// code in the browser module.)
fn fill(template: &str, values: [(&str, &str); 2]) -> String {
    // (split_once / strip_prefix rather than indexing: no slicing panic to link in)
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let hit = values
            .iter()
            .find_map(|(k, v)| after.strip_prefix(k.strip_prefix('{')?).map(|r| (*v, r)));
        match hit {
            Some((v, r)) => {
                out.push_str(v);
                rest = r;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The rules that apply to a form, in the engine's order: those of `common`, then the pack's.
fn rules_of(
    pack: &'static Pack,
    form: FormKind,
) -> impl Iterator<Item = (&'static Pack, &'static Rule)> {
    [COMMON, pack].into_iter().flat_map(move |p| {
        p.rules
            .iter()
            .filter(move |r| packs::rule_form(r.id).is_none_or(|f| f == form))
            .map(move |r| (p, r))
    })
}

/// A field-level product check or the claim check: reported by the field pass, not by a
/// condition.
fn is_field_level(r: &Rule) -> bool {
    ids::FIELD_LEVEL.contains(&r.id) || r.id == ids::CLAIM
}

/// Compiles the conditions of a (pack, form) from the rule language: per field its
/// required-ness, per rule of [`rules_of`] its condition and the fields it reads (deduplicated).
/// The browser bundle reads the same from [`crate::precompiled`] instead.
pub(crate) fn compile_conditions(
    pack: &'static Pack,
    form: FormKind,
) -> Result<crate::precompiled::Conditions, String> {
    compile_conditions_on(pack, form, &build_table(pack, form))
}

/// [`compile_conditions`] against the (pack, form)'s field table, already built.
fn compile_conditions_on(
    pack: &'static Pack,
    form: FormKind,
    table: &FieldTable,
) -> Result<crate::precompiled::Conditions, String> {
    let defs = defs_for(pack);
    let mut required = Vec::with_capacity(table.fields.len());
    let model_fields: Vec<_> = all_fields(form).collect();
    for (i, f) in model_fields.iter().enumerate() {
        let mut alts: Vec<C> = Vec::new();
        let mut always = false;
        match f.req {
            Req::Yes => always = true,
            Req::No => {}
            Req::If(src) => alts.push(
                Compiler::new(table, &defs)
                    .cond(src)
                    .map_err(|e| format!("{}: required-if: {e}", f.path))?,
            ),
        }
        for (rf, path, cond) in pack.require {
            if *rf == form && *path == f.path {
                if cond.is_empty() {
                    always = true;
                } else {
                    alts.push(
                        Compiler::new(table, &defs)
                            .cond(cond)
                            .map_err(|e| format!("{}: {path}: {e}", pack.id))?,
                    );
                }
            }
        }
        debug_assert_eq!(table.fields[i].path, f.path);
        required.push(if always {
            Some(C::Const(true))
        } else if alts.is_empty() {
            None
        } else {
            Some(C::Or(alts))
        });
    }
    for (rf, path, _) in pack.require {
        if *rf == form && !model_fields.iter().any(|f| f.path == *path) {
            return Err(format!(
                "{}: requires unknown field {}.{path}",
                pack.id,
                form.key()
            ));
        }
    }
    let mut rules = Vec::new();
    for (_, r) in rules_of(pack, form) {
        if is_field_level(r) {
            rules.push((C::Const(false), Vec::new()));
            continue;
        }
        let mut c = Compiler::new(table, &defs);
        let cond = c.cond(r.when).map_err(|e| format!("{}: {e}", r.id))?;
        let mut reads = c.reads;
        let mut seen = std::collections::HashSet::new();
        reads.retain(|x| seen.insert(*x));
        rules.push((cond, reads));
    }
    Ok((required, rules))
}

/// The conditions of a (pack, form): compiled from the sources, or with the feature
/// `precompiled` read from the file generated from them.
/// `pi`, `fi`: the positions of the pack in [`PACKS`] and of the form in [`FormKind::ALL`].
fn conditions(
    pack: &'static Pack,
    form: FormKind,
    (pi, fi): (usize, usize),
    table: &FieldTable,
) -> Result<crate::precompiled::Conditions, String> {
    #[cfg(feature = "precompiled")]
    {
        let _ = (pack, form);
        crate::precompiled::decode(crate::precompiled::PRECOMPILED, pi, fi, table.fields.len())
    }
    #[cfg(not(feature = "precompiled"))]
    {
        let _ = (pi, fi);
        compile_conditions_on(pack, form, table)
    }
}

fn compile(pack: &'static Pack, form: FormKind, at: (usize, usize)) -> Result<Compiled, String> {
    let table = build_table(pack, form);
    let (required, conds) = conditions(pack, form, at, &table)?;
    let mut list_children = vec![Vec::new(); table.fields.len()];
    let mut members = vec![Vec::new(); table.fields.len() + 1];
    for (i, f) in table.fields.iter().enumerate() {
        if matches!(f.ty, T::Attachment) {
            continue;
        }
        match (f.list, f.parent) {
            (Some(l), _) => list_children[l].push(i),
            (None, None) => members[0].push(i),
            (None, Some(p)) => members[p + 1].push(i),
        }
    }
    for m in list_children.iter_mut().chain(members.iter_mut()) {
        crate::sort::sort_by(m, |&a, &b| table.fields[a].key.cmp(table.fields[b].key));
    }
    let rule_list: Vec<_> = rules_of(pack, form).collect();
    if rule_list.len() != conds.len() {
        return Err(format!(
            "{} {}: {} rules, {} conditions (stale precompiled conditions)",
            pack.id,
            form.key(),
            rule_list.len(),
            conds.len()
        ));
    }
    let rules = rule_list
        .into_iter()
        .zip(conds)
        .map(|((p, rule), (cond, reads))| CompiledRule {
            pack: p,
            rule,
            cond,
            reads,
            field_level: is_field_level(rule),
        })
        .collect();
    Ok(Compiled {
        pack,
        form,
        table,
        required,
        list_children,
        members,
        rules,
    })
}

static CACHE: OnceLock<Vec<OnceLock<Result<Compiled, String>>>> = OnceLock::new();

/// The compiled tables of a (pack, form); compiled on first use.
pub fn compiled(pack: &'static Pack, form: FormKind) -> Result<&'static Compiled, String> {
    let cache = CACHE.get_or_init(|| {
        (0..PACKS.len() * FormKind::ALL.len())
            .map(|_| OnceLock::new())
            .collect()
    });
    let pi = PACKS
        .iter()
        .position(|p| std::ptr::eq(*p, pack))
        .ok_or("pack not registered")?;
    let fi = FormKind::ALL
        .iter()
        .position(|f| *f == form)
        .expect("listed");
    cache[pi * FormKind::ALL.len() + fi]
        .get_or_init(|| compile(pack, form, (pi, fi)))
        .as_ref()
        .map_err(Clone::clone)
}

/// Resolves a (jurisdiction, form) pair the way every surface does.
pub fn resolve(jurisdiction: &str, form: &str) -> Result<(&'static Pack, FormKind), ValidateError> {
    let pack = packs::pack(jurisdiction)
        .ok_or_else(|| ValidateError::UnknownJurisdiction(jurisdiction.to_string()))?;
    let form_kind =
        FormKind::from_key(form).ok_or_else(|| ValidateError::UnknownForm(form.to_string()))?;
    if !pack.offers(form_kind) {
        return Err(ValidateError::FormNotOffered {
            jurisdiction: jurisdiction.to_string(),
            form: form.to_string(),
        });
    }
    Ok((pack, form_kind))
}

/// A validator over a given holiday calendar. [`Validator::builtin`] uses the shipped 2025–2026
/// calendar; servers may add operator year files.
pub struct Validator {
    calendar: Calendar,
    rule_set: RuleSetId,
}

impl Validator {
    pub fn new(calendar: Calendar) -> Validator {
        let digest = crate::digest::rule_set_digest(&calendar);
        Validator {
            calendar,
            rule_set: RuleSetId {
                version: RULE_SET_VERSION.to_string(),
                digest,
            },
        }
    }

    /// The shared validator with the built-in calendar.
    ///
    /// In the browser bundle its digest is the precomputed [`BUILTIN_RULE_SET_DIGEST`]: hashing
    /// all rule data at start-up would cost milliseconds and ship SHA-256 to every page. The
    /// native build computes it, and a test keeps the constant equal to the computed value.
    pub fn builtin() -> &'static Validator {
        static V: OnceLock<Validator> = OnceLock::new();
        V.get_or_init(|| {
            if cfg!(target_arch = "wasm32") {
                Validator {
                    calendar: Calendar::builtin(),
                    rule_set: RuleSetId {
                        version: RULE_SET_VERSION.to_string(),
                        digest: BUILTIN_RULE_SET_DIGEST.to_string(),
                    },
                }
            } else {
                Validator::new(Calendar::builtin())
            }
        })
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn rule_set(&self) -> &RuleSetId {
        &self.rule_set
    }

    /// Validates `data` (the form document) for a jurisdiction and form.
    pub fn validate(
        &self,
        jurisdiction: &str,
        form: &str,
        data: &Value,
    ) -> Result<Report, ValidateError> {
        self.validate_doc(jurisdiction, form, &J::from_value(data))
    }

    /// Validates a document parsed with [`J::parse`] (the fast path for JSON text).
    pub fn validate_doc(
        &self,
        jurisdiction: &str,
        form: &str,
        data: &J,
    ) -> Result<Report, ValidateError> {
        let (pack, form_kind) = resolve(jurisdiction, form)?;
        let obj = data.as_object().ok_or(ValidateError::NotAnObject)?;
        let c = compiled(pack, form_kind)
            .unwrap_or_else(|e| panic!("rule data failed to compile (a bug caught by tests): {e}"));
        let mut run = Run {
            c,
            findings: Vec::new(),
        };
        let doc = run.extract(obj);
        run.required(&doc, &self.calendar);
        run.rules(&doc, &self.calendar);
        let mut findings = run.findings;
        sort_findings(&mut findings);
        let valid = !findings.iter().any(|f| f.severity == "error");
        Ok(Report {
            findings,
            form: form.to_string(),
            jurisdiction: jurisdiction.to_string(),
            rule_set: self.rule_set.clone(),
            valid,
        })
    }

    /// Compiles every offered (pack, form): used by tests and at server start.
    pub fn check_rule_data() -> Result<(), String> {
        for p in PACKS {
            for (f, _, _) in p.forms {
                compiled(p, *f)?;
            }
        }
        Ok(())
    }
}

/// Runs `f` on the typed document of `obj` and the IDs of rules with a valid exemption claim
/// (used by the checklist).
pub(crate) fn with_doc<R>(
    c: &'static Compiled,
    obj: &[(Cow<str>, J)],
    f: impl FnOnce(&Doc, &[&'static str]) -> R,
) -> R {
    let mut run = Run {
        c,
        findings: Vec::new(),
    };
    let doc = run.extract(obj);
    let claims = run.claims(&doc);
    f(&doc, &claims.valid)
}

/// Walks `fields` (sorted by member name) together with the sorted members of `obj`, calling
/// `f` with each field and its raw value (`None`: no such member) — one merge, no lookups.
fn merge<'a>(
    table: &FieldTable,
    fields: &[usize],
    obj: &'a [(Cow<'a, str>, J<'a>)],
    mut f: impl FnMut(usize, Option<&'a J<'a>>),
) {
    let mut m = 0;
    for &i in fields {
        let key = table.fields[i].key;
        while m < obj.len() && obj[m].0.as_ref() < key {
            m += 1;
        }
        f(i, (m < obj.len() && obj[m].0 == key).then(|| &obj[m].1));
    }
}

/// A rule of the common pack by ID (the field-level checks and the claim check).
fn common_rule(id: &str) -> &'static Rule {
    COMMON
        .rules
        .iter()
        .find(|r| r.id == id)
        .expect("field-level rule IDs exist in the common pack")
}

/// A field-level problem: which rule reports it and the reason (zh, en) for `field-format`.
struct Problem {
    rule: &'static str,
    reason: (String, String),
}

fn problem(rule: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Problem {
    Problem {
        rule,
        reason: (zh.into(), en.into()),
    }
}

/// `n` absent slots.
fn absent<'a>(n: usize) -> Vec<Val<'a>> {
    std::iter::repeat_n(Val::Absent, n).collect()
}

struct Run<'c> {
    c: &'c Compiled,
    findings: Vec<Finding>,
}

impl<'c> Run<'c> {
    fn extract<'a>(&mut self, obj: &'a [(Cow<'a, str>, J<'a>)]) -> Doc<'a> {
        let t = &self.c.table;
        let root_n = t.fields.iter().filter(|f| f.list.is_none()).count();
        let mut doc = Doc {
            // (filled from iterators: `vec![x; n]` clones element by element, a measurable share
            // of a validation in the browser)
            root: absent(root_n),
            lists: std::iter::repeat_with(Vec::new)
                .take(t.fields.len())
                .collect(),
            attached: 0,
        };
        self.object(&mut doc, 0, obj);
        if let Some(a) = t.fields.iter().position(|f| f.path == "attachments") {
            let kind_slot = t
                .fields
                .iter()
                .find(|f| f.list == Some(a) && f.key == "kind")
                .map(|f| f.slot);
            for e in &doc.lists[a] {
                if let Some(Val::Code(k)) = kind_slot.and_then(|s| e.get(s)) {
                    if let Some(b) = t.attachment_kinds.iter().position(|(c, _)| c == k) {
                        doc.attached |= 1 << b;
                    }
                }
            }
        }
        // pseudo-fields attachments#kind
        for f in t.fields.iter() {
            if matches!(f.ty, T::Attachment) {
                let kind = f.key;
                let bit = t
                    .attachment_kinds
                    .iter()
                    .position(|(c, _)| *c == kind)
                    .expect("attachment pseudo-field names a kind");
                doc.root[f.slot] = if doc.attached >> bit & 1 == 1 {
                    Val::Present
                } else {
                    Val::Absent
                };
            }
        }
        doc
    }

    /// Types the members of one JSON object (`container`: 0 for the document, `p + 1` for the
    /// object field `p`): a merge of its sorted members with the container's sorted fields.
    fn object<'a>(
        &mut self,
        doc: &mut Doc<'a>,
        container: usize,
        obj: &'a [(Cow<'a, str>, J<'a>)],
    ) {
        let c = self.c;
        merge(&c.table, &c.members[container], obj, |i, raw| {
            self.field(doc, i, raw)
        });
    }

    /// Types one field of an object (not a list member) and descends into its value.
    fn field<'a>(&mut self, doc: &mut Doc<'a>, i: usize, raw: Option<&'a J<'a>>) {
        let c = self.c;
        let f = &c.table.fields[i];
        let (val, prob) = self.typed(i, raw);
        if let Some(p) = prob {
            self.field_finding(p, i, None);
        }
        doc.root[f.slot] = val;
        match (f.ty, val, raw) {
            (T::Object, Val::Present, Some(J::Obj(m))) => self.object(doc, i + 1, m),
            // Members of a malformed object are malformed (not absent): the object's format
            // finding already reports the gap, so no absence-sensitive rule may fire on it.
            (T::Object, Val::Bad, _) => self.mark_bad(doc, i),
            (T::List(_), Val::Present, Some(J::Arr(items))) => {
                let mut entries = Vec::with_capacity(items.len());
                for (k, item) in items.iter().enumerate() {
                    entries.push(match item {
                        J::Obj(m) => self.entry(i, k, m),
                        _ => {
                            let p = problem(ids::FORMAT, "应为对象", "must be an object");
                            let ptr = format!("{}/{k}", self.pointer(i, None));
                            self.push_field_finding(
                                p,
                                ptr,
                                &format!("{}[{k}]", f.path),
                                &format!("{}第{}项", f.zh, k + 1),
                            );
                            Vec::new()
                        }
                    });
                }
                doc.lists[i] = entries;
            }
            _ => {}
        }
    }

    /// Types the members of entry `k` of the list field `l`.
    fn entry<'a>(&mut self, l: usize, k: usize, obj: &'a [(Cow<'a, str>, J<'a>)]) -> Vec<Val<'a>> {
        let c = self.c;
        let children = &c.list_children[l];
        let mut slots = absent(children.len());
        merge(&c.table, children, obj, |ci, raw| {
            let (v, prob) = self.typed(ci, raw);
            if let Some(p) = prob {
                self.field_finding(p, ci, Some(k));
            }
            slots[c.table.fields[ci].slot] = v;
        });
        slots
    }

    /// Marks every member of the malformed object field `p` (recursively) malformed.
    fn mark_bad(&mut self, doc: &mut Doc, p: usize) {
        let c = self.c;
        for &i in &c.members[p + 1] {
            doc.root[c.table.fields[i].slot] = Val::Bad;
            if matches!(c.table.fields[i].ty, T::Object) {
                self.mark_bad(doc, i);
            }
        }
    }

    /// Types one raw JSON value against its field.
    fn typed<'a>(&self, i: usize, raw: Option<&'a J<'a>>) -> (Val<'a>, Option<Problem>) {
        let f = &self.c.table.fields[i];
        let v = match raw {
            None | Some(J::Null) => return (Val::Absent, None),
            Some(J::Str(s)) if formats::trim(s).is_empty() => return (Val::Absent, None),
            Some(J::Arr(a)) if a.is_empty() => return (Val::Absent, None),
            Some(v) => v,
        };
        let s = v.as_str();
        let bad = |p: Problem| (Val::Bad, Some(p));
        let want_string = || problem(ids::FORMAT, "应为文本", "must be a string");
        match f.ty {
            T::Text(min, max) => match s {
                Some(s) => {
                    let t = formats::trim(s);
                    let n = t.chars().count() as u32;
                    if n < min || n > max {
                        bad(problem(
                            ids::FORMAT,
                            format!("长度应为{min}至{max}个字符"),
                            format!("length must be {min}–{max} characters after trimming"),
                        ))
                    } else {
                        (Val::Str(t), None)
                    }
                }
                None => bad(want_string()),
            },
            T::CreditCode => match s {
                Some(s) if formats::credit_code_format_ok(s) => {
                    let p = (!formats::credit_code_check_ok(s))
                        .then(|| problem(ids::CREDIT_CHECK, "", ""));
                    (Val::Str(s), p)
                }
                _ => bad(problem(ids::CREDIT_FORMAT, "", "")),
            },
            T::Mobile => match s {
                Some(s) if formats::mobile_ok(s) => (Val::Str(s), None),
                _ => bad(problem(ids::MOBILE, "", "")),
            },
            T::Landline => match s {
                Some(s) if formats::landline_ok(s) => (Val::Str(s), None),
                _ => bad(problem(ids::LANDLINE, "", "")),
            },
            T::Email => match s {
                Some(s) if formats::email_ok(s) => (Val::Str(s), None),
                _ => bad(problem(ids::EMAIL, "", "")),
            },
            T::Sha256 => match s {
                Some(s) if formats::sha256_ok(s) => (Val::Str(s), None),
                Some(_) => bad(problem(
                    ids::FORMAT,
                    "应为64位小写十六进制字符",
                    "must be 64 lower-case hexadecimal characters",
                )),
                None => bad(want_string()),
            },
            T::ProjectCode => match s {
                Some(s) if formats::project_code_ok(s) => (Val::Str(s), None),
                Some(_) => bad(problem(
                    ids::FORMAT,
                    "应为“YYYY-行政区划6位-2位-2位-6位”格式",
                    "must look like YYYY-NNNNNN-NN-NN-NNNNNN",
                )),
                None => bad(want_string()),
            },
            T::Date => match s.map(Date::parse) {
                Some(Some(d)) => (Val::Date(d), None),
                _ => bad(problem(
                    ids::FORMAT,
                    "应为有效日期（YYYY-MM-DD）",
                    "must be a valid date (YYYY-MM-DD)",
                )),
            },
            T::Bool => match v {
                J::Bool(b) => (Val::Bool(*b), None),
                _ => bad(problem(
                    ids::FORMAT,
                    "应为 true 或 false",
                    "must be true or false",
                )),
            },
            T::Int(min, max) => match as_integer(v) {
                Some(n) if (min..=max).contains(&n) => (Val::Int(n), None),
                _ => bad(problem(
                    ids::FORMAT,
                    format!("应为{min}至{max}之间的整数"),
                    format!("must be an integer from {min} to {max}"),
                )),
            },
            T::Enum(_) => match s {
                Some(s) => match f.domain.iter().find(|c| **c == s) {
                    Some(c) => (Val::Code(c), None),
                    None if f.full_domain.contains(&s) => bad(problem(
                        ids::FORMAT,
                        "该取值不适用于本地区",
                        "this code is not used in this jurisdiction",
                    )),
                    None => bad(problem(
                        ids::FORMAT,
                        "取值不在允许的代码范围内",
                        "is not one of the allowed codes",
                    )),
                },
                None => bad(problem(
                    ids::FORMAT,
                    "应为代码字符串",
                    "must be a code string",
                )),
            },
            T::Multi(_, min) => {
                let Some(items) = v.as_array() else {
                    return bad(problem(
                        ids::FORMAT,
                        "应为代码数组",
                        "must be an array of codes",
                    ));
                };
                let mut mask = 0u64;
                for it in items {
                    let Some(code) = it.as_str() else {
                        return bad(problem(
                            ids::FORMAT,
                            "应为代码数组",
                            "must be an array of codes",
                        ));
                    };
                    if !f.domain.contains(&code) {
                        return bad(if f.full_domain.contains(&code) {
                            problem(
                                ids::FORMAT,
                                "含有不适用于本地区的取值",
                                "contains a code not used in this jurisdiction",
                            )
                        } else {
                            problem(
                                ids::FORMAT,
                                "含有不在允许范围内的取值",
                                "contains a code that is not allowed",
                            )
                        });
                    }
                    let bit = f
                        .full_domain
                        .iter()
                        .position(|c| *c == code)
                        .expect("in domain");
                    if mask >> bit & 1 == 1 {
                        return bad(problem(
                            ids::FORMAT,
                            "存在重复选项",
                            "contains duplicate codes",
                        ));
                    }
                    mask |= 1 << bit;
                }
                if (items.len() as u32) < min {
                    return bad(problem(
                        ids::FORMAT,
                        format!("至少应选择{min}项"),
                        format!("needs at least {min} items"),
                    ));
                }
                (Val::Set(mask), None)
            }
            T::Wan => match s.and_then(parse_wan) {
                Some(n) => (Val::Wan(n), None),
                None => bad(problem(ids::AMOUNT, "", "")),
            },
            T::Object => match v {
                J::Obj(_) => (Val::Present, None),
                _ => bad(problem(ids::FORMAT, "应为对象", "must be an object")),
            },
            T::List(min) => match v {
                J::Arr(a) if (a.len() as u32) < min => bad(problem(
                    ids::FORMAT,
                    format!("至少应有{min}项"),
                    format!("needs at least {min} entries"),
                )),
                J::Arr(_) => (Val::Present, None),
                _ => bad(problem(ids::FORMAT, "应为数组", "must be an array")),
            },
            T::Attachment => (Val::Absent, None),
        }
    }

    /// JSON Pointer of a field (entry index for list members).
    fn pointer(&self, i: usize, entry: Option<usize>) -> String {
        let f = &self.c.table.fields[i];
        if matches!(f.ty, T::Attachment) {
            return "/attachments".into();
        }
        let mut out = String::with_capacity(f.path.len() + 8);
        for (n, seg) in f.path.split('.').enumerate() {
            out.push('/');
            match seg.strip_suffix("[]") {
                Some(list) => {
                    out.push_str(list);
                    if let Some(e) = entry.filter(|_| n == 0) {
                        out.push('/');
                        out.push_str(&e.to_string());
                    }
                }
                None => out.push_str(seg),
            }
        }
        out
    }

    /// (display path, Chinese name) of a field.
    fn names(&self, i: usize, entry: Option<usize>) -> (String, String) {
        let f = &self.c.table.fields[i];
        match (f.list, entry) {
            (Some(l), Some(e)) => {
                let lf = &self.c.table.fields[l];
                // `a[].b` → `a[e].b` (a list member's path has one `[]`, at its first `[`)
                let path = match f.path.split_once('[') {
                    Some((list, rest)) => match rest.strip_prefix(']') {
                        Some(member) => format!("{list}[{e}]{member}"),
                        None => f.path.to_string(),
                    },
                    None => f.path.to_string(),
                };
                (path, format!("{}第{}项的{}", lf.zh, e + 1, f.zh))
            }
            _ => (f.path.to_string(), f.zh.to_string()),
        }
    }

    fn field_finding(&mut self, p: Problem, i: usize, entry: Option<usize>) {
        let ptr = self.pointer(i, entry);
        let (path, zh) = self.names(i, entry);
        self.push_field_finding(p, ptr, &path, &zh);
    }

    fn push_field_finding(&mut self, p: Problem, pointer: String, path: &str, zh_name: &str) {
        let rule = common_rule(p.rule);
        let zh = fill(rule.zh, [("{字段}", zh_name), ("{原因}", &p.reason.0)]);
        let en = fill(rule.en, [("{field}", path), ("{reason}", &p.reason.1)]);
        self.findings.push(Finding {
            citation: citation(COMMON, rule),
            exempted: false,
            message: Message { en, zh },
            paths: vec![pointer],
            rule: p.rule.to_string(),
            severity: rule.severity.as_str().to_string(),
        });
    }

    fn required(&mut self, doc: &Doc, cal: &Calendar) {
        let c = self.c;
        let t = &c.table;
        for (i, f) in t.fields.iter().enumerate() {
            let Some(cond) = &c.required[i] else { continue };
            // parent must be present (object) — list members are checked per entry below
            let parent_present = |doc: &Doc, p: usize| {
                t.fields[p].list.is_none() && matches!(doc.root[t.fields[p].slot], Val::Present)
            };
            match f.list {
                None => {
                    if let Some(p) = f.parent.filter(|_| !matches!(f.ty, T::Attachment)) {
                        if !parent_present(doc, p) {
                            continue;
                        }
                    }
                    if !matches!(doc.root[f.slot], Val::Absent) {
                        continue;
                    }
                    let mut ctx = Ctx::new(t, doc, cal);
                    if ctx.cond(cond) {
                        self.field_finding(problem(ids::REQUIRED, "", ""), i, None);
                    }
                }
                Some(l) => {
                    for (e, slots) in doc.lists[l].iter().enumerate() {
                        if slots.is_empty() || !matches!(slots[f.slot], Val::Absent) {
                            continue;
                        }
                        let mut ctx = Ctx::new(t, doc, cal);
                        ctx.elem = Some((l, e));
                        if ctx.cond(cond) {
                            self.field_finding(problem(ids::REQUIRED, "", ""), i, Some(e));
                        }
                    }
                }
            }
        }
    }

    fn rules(&mut self, doc: &Doc, cal: &Calendar) {
        let c = self.c;
        let t = &c.table;
        let claims = self.claims(doc);
        for cr in &c.rules {
            if cr.field_level {
                continue;
            }
            let mut ctx = Ctx::new(t, doc, cal);
            if !ctx.cond(&cr.cond) {
                continue;
            }
            ctx.trace = Some(Vec::new());
            ctx.cond(&cr.cond);
            let mut paths: Vec<String> = Vec::new();
            for (f, e) in ctx.trace.take().unwrap_or_default() {
                let p = self.pointer(f, e);
                if !paths.contains(&p) {
                    paths.push(p);
                }
            }
            let mut severity = cr.rule.severity;
            let mut exempted = false;
            if severity == Severity::Error && claims.valid.contains(&cr.rule.id) {
                severity = Severity::Warning;
                exempted = true;
            }
            self.findings.push(Finding {
                citation: citation(cr.pack, cr.rule),
                exempted,
                message: Message {
                    en: cr.rule.en.to_string(),
                    zh: cr.rule.zh.to_string(),
                },
                paths,
                rule: cr.rule.id.to_string(),
                severity: severity.as_str().to_string(),
            });
        }
        if !claims.invalid_paths.is_empty() {
            let rule = common_rule(ids::CLAIM);
            self.findings.push(Finding {
                citation: None,
                exempted: false,
                message: Message {
                    en: rule.en.to_string(),
                    zh: rule.zh.to_string(),
                },
                paths: claims.invalid_paths,
                rule: ids::CLAIM.to_string(),
                severity: rule.severity.as_str().to_string(),
            });
        }
    }

    /// Judges each exemption claim on its own (spec §0.3).
    fn claims(&self, doc: &Doc) -> Claims {
        let t = &self.c.table;
        let mut out = Claims {
            valid: Vec::new(),
            invalid_paths: Vec::new(),
        };
        let Some(l) = t.fields.iter().position(|f| f.path == "exemption_claims") else {
            return out;
        };
        let slot = |key: &str| {
            t.fields
                .iter()
                .find(|f| f.list == Some(l) && f.key == key)
                .map(|f| f.slot)
        };
        let (Some(rs), Some(bs)) = (slot("rule_id"), slot("basis")) else {
            return out;
        };
        for (e, slots) in doc.lists[l].iter().enumerate() {
            if slots.is_empty() {
                continue;
            }
            let Val::Str(rule_id) = slots[rs] else {
                continue;
            };
            let exemptible = self.c.rules.iter().find(|cr| {
                std::ptr::eq(cr.pack, self.c.pack)
                    && cr.rule.id == rule_id
                    && !cr.rule.exempt.is_empty()
            });
            match (exemptible, slots[bs]) {
                (None, _) => out
                    .invalid_paths
                    .push(format!("/exemption_claims/{e}/rule_id")),
                (Some(cr), Val::Code(basis)) => {
                    if cr.rule.exempt.iter().any(|b| b.code() == basis) {
                        out.valid.push(cr.rule.id);
                    } else {
                        // the condition read both the named rule and the basis (report.md:
                        // a rule names all the paths its condition read)
                        out.invalid_paths
                            .push(format!("/exemption_claims/{e}/rule_id"));
                        out.invalid_paths
                            .push(format!("/exemption_claims/{e}/basis"));
                    }
                }
                (Some(_), _) => {}
            }
        }
        out
    }
}

struct Claims {
    valid: Vec<&'static str>,
    invalid_paths: Vec<String>,
}

/// Integers: JSON integers, or numbers with a zero fraction (as JSON Schema's `integer`).
fn as_integer(v: &J) -> Option<i64> {
    let J::Num(n) = v else { return None };
    if let Some(n) = n.as_i64() {
        return Some(n);
    }
    let f = n.as_f64()?;
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

/// The citation of a rule (null for product rules without a standard).
pub fn citation(pack: &Pack, rule: &Rule) -> Option<Citation> {
    if pack.source.is_empty() {
        if rule.cite.is_empty() {
            return None;
        }
        return Some(Citation {
            article: rule.cite.to_string(),
            document: crate::packs::STANDARD_GB32100.to_string(),
            source: None,
        });
    }
    Some(Citation {
        article: rule.cite.to_string(),
        document: pack.document.to_string(),
        source: Some(pack.source.to_string()),
    })
}

#[cfg(test)]
mod fill_tests {
    #[test]
    fn fills_every_placeholder_and_keeps_other_braces() {
        assert_eq!(
            super::fill(
                "{field}: {reason} {x} {field}",
                [("{field}", "a.b"), ("{reason}", "bad")]
            ),
            "a.b: bad {x} a.b"
        );
        assert_eq!(
            super::fill(
                "依据{字段}{原因}。",
                [("{字段}", "名称"), ("{原因}", "为空")]
            ),
            "依据名称为空。"
        );
        assert_eq!(super::fill("", [("{a}", "1"), ("{b}", "2")]), "");
        assert_eq!(
            super::fill("{字段", [("{字段}", "x"), ("{原因}", "y")]),
            "{字段"
        );
    }

    /// `Run::names` writes `a[e].b` for `a[].b` by splitting at the first `[`.
    #[test]
    fn list_member_paths_have_their_brackets_first() {
        for form in crate::model::FormKind::ALL {
            for f in crate::model::all_fields(*form) {
                if let Some((_, rest)) = f.path.split_once('[') {
                    assert!(rest.starts_with(']'), "{}", f.path);
                }
            }
        }
    }
}
