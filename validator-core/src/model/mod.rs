//! The canonical form model (spec §2): the envelope and the ten forms, field by field, with
//! types, Chinese labels and required-ness; and the enum catalog (§2.4).

pub mod enums;
pub mod forms;

/// A field type (spec §2 "type" and "values / format" columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum T {
    /// String whose trimmed length (in characters) lies in min..=max.
    Text(u32, u32),
    CreditCode,
    Mobile,
    Landline,
    Email,
    Sha256,
    ProjectCode,
    Date,
    Bool,
    /// Integer in min..=max.
    Int(i64, i64),
    /// One code of the named enum.
    Enum(&'static str),
    /// Multi-select of the named enum: no duplicates, at least `min` items.
    Multi(&'static str, u32),
    /// 万元 amount: a decimal string.
    Wan,
    Object,
    /// Array of objects with at least `min` items.
    List(u32),
    /// Pseudo-field `attachments#kind`: an attachment of that kind is required.
    Attachment,
}

/// Whether a field must be filled (spec §2 "required" column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Req {
    Yes,
    No,
    /// Required when the condition (rule language, `crate::dsl`) holds.
    If(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// Canonical path: `a.b` for object members, `a[].b` for members of array elements,
    /// `attachments#kind` for a required attachment.
    pub path: &'static str,
    pub zh: &'static str,
    pub ty: T,
    pub req: Req,
    /// The spec's basis / note column (articles of the seeds, defaults).
    pub basis: &'static str,
}

impl Field {
    pub const fn new(
        path: &'static str,
        zh: &'static str,
        ty: T,
        req: Req,
        basis: &'static str,
    ) -> Field {
        Field {
            path,
            zh,
            ty,
            req,
            basis,
        }
    }
}

#[derive(Debug)]
pub struct EnumDef {
    pub name: &'static str,
    pub values: &'static [(&'static str, &'static str)],
}

pub fn enum_def(name: &str) -> Option<&'static EnumDef> {
    enums::ENUMS.iter().find(|e| e.name == name)
}

/// The Chinese label of an enum code.
pub fn enum_label(name: &str, code: &str) -> Option<&'static str> {
    enum_def(name)?
        .values
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, z)| *z)
}

macro_rules! forms {
    ($($variant:ident = $key:literal, $zh:literal, $en:literal, $fields:ident;)*) => {
        /// The ten filings of spec §1.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FormKind { $($variant),* }

        impl FormKind {
            pub const ALL: &'static [FormKind] = &[$(FormKind::$variant),*];
            pub fn key(self) -> &'static str { match self { $(FormKind::$variant => $key),* } }
            pub fn label_zh(self) -> &'static str { match self { $(FormKind::$variant => $zh),* } }
            pub fn label_en(self) -> &'static str { match self { $(FormKind::$variant => $en),* } }
            /// Form-specific fields (the envelope is shared: [`forms::ENVELOPE`]).
            pub fn fields(self) -> &'static [Field] { match self { $(FormKind::$variant => forms::$fields),* } }
            pub fn from_key(key: &str) -> Option<FormKind> {
                match key { $($key => Some(FormKind::$variant),)* _ => None }
            }
        }
    };
}

forms! {
    Apply = "apply", "立项/计划申报表", "Project application", APPLY;
    Change = "change", "调整备案表", "Change / adjustment filing", CHANGE;
    Procure = "procure", "采购文件报备表", "Procurement-document filing", PROCURE;
    Contract = "contract", "合同备案表", "Contract filing", CONTRACT;
    Monitor = "monitor", "绩效监控/重大问题报告", "Monitoring or issue report", MONITOR;
    Terminate = "terminate", "终止申请", "Termination request", TERMINATE;
    Fund = "fund", "资金申请", "Fund disbursement request", FUND;
    Accept = "accept", "验收申请", "Acceptance application", ACCEPT;
    AcceptRecord = "accept-record", "验收结果备案", "Acceptance-result filing", ACCEPT_RECORD;
    SelfEval = "self-eval", "绩效自评/应用效果自评备案", "Self-evaluation filing", SELF_EVAL;
}

/// Every field of a form, envelope first, in model order.
pub fn all_fields(form: FormKind) -> impl Iterator<Item = &'static Field> {
    forms::ENVELOPE.iter().chain(form.fields())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_enum_reference_resolves_and_parents_precede_children() {
        for &form in FormKind::ALL {
            let fields: Vec<_> = all_fields(form).collect();
            for (i, f) in fields.iter().enumerate() {
                if let T::Enum(e) | T::Multi(e, _) = f.ty {
                    assert!(enum_def(e).is_some(), "{} {}", form.key(), f.path);
                }
                let parent = f
                    .path
                    .rsplit_once(['.', '#'])
                    .map(|(p, _)| p.trim_end_matches("[]"));
                if let Some(parent) = parent {
                    let pos = fields.iter().position(|g| g.path == parent);
                    assert!(
                        pos.is_some_and(|p| p < i) || parent == "attachments",
                        "{} {}",
                        form.key(),
                        f.path
                    );
                }
            }
        }
    }
}
