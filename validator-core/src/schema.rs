//! JSON Schemas (draft 2020-12) generated from the form model, one per (pack, form).
//!
//! The schema is built from the very [`Compiled`] tables the engine validates with: the field
//! table (types, pack-restricted enum domains) and the compiled required-ness conditions (the
//! model's `Req` plus the pack's `require` entries). It expresses exactly the engine's
//! field-level pass (spec §2, §3.1): `common.any.required-field`, `common.any.field-format` and
//! the credit-code-format, mobile, landline, e-mail and amount rules. Regulation rules (§3.2–3.6)
//! are not part of it.
//!
//! How the engine's semantics are carried over:
//!
//! * **Absent-equivalents** (spec §0.5): `null`, a string of whitespace only and `[]` count as
//!   absent. `$defs/absent` matches exactly those; an optional field is
//!   `anyOf: [{$ref: absent}, <type>]`, a required one carries `not: {$ref: absent}` and is listed
//!   in its container's `required`. "Whitespace" is the engine's (`str::trim`, Unicode
//!   White_Space), spelled out as an explicit character class ([`WS_CLASS`]) because ECMA-262 `\s`
//!   differs (it includes U+FEFF and lacks U+0085).
//! * **Trimmed lengths** are patterns ([`text_pattern`]): leading whitespace, a non-whitespace
//!   character, any middle, a non-whitespace character, trailing whitespace.
//! * **Dates** carry `format: date` and a pattern that accepts exactly the real Gregorian
//!   calendar days ([`DATE_PATTERN`]), so they are checked even where `format` is only an
//!   annotation.
//! * **Children of objects** are required only when the object is present: their `required`
//!   lives inside the object's subschema, which JSON Schema applies to objects only.
//! * **Conditional required-ness** becomes `allOf: [{if, then}]`, placed in the innermost object /
//!   list entry that holds every field involved. The `if` is translated from the compiled
//!   condition ([`C`]) with the §0.5 semantics: a comparison reads a field only when it is
//!   present and well-formed, so the `if` requires the property and constrains it to a valid
//!   value; `not` is exact negation.
//! * **Attachment pseudo-fields** `attachments#k` become
//!   `contains: {properties: {kind: {const: k}}}` on `attachments`.
//!
//! Whatever cannot be expressed is never dropped silently: it is listed in the schema's top-level
//! `description` and returned by [`untranslatable`]. The GB 32100-2015 check character of credit
//! codes is always such an item.
//!
//! Output is deterministic: object keys are sorted ([`canonical`]) whatever serde_json features
//! are enabled, and nothing depends on hash-map order.

use crate::dsl::{FieldInfo, Op, C, E};
use crate::engine::{compiled, resolve, Compiled, ValidateError};
use crate::model::{self, all_fields, FormKind, Req, T};
use crate::packs::Pack;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The meta-schema every generated schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Base of the schemas' `$id`.
pub const ID_BASE: &str = "https://shenbao.example/schemas";

/// The command that rewrites the committed schemas under `docs/schemas/`.
pub const REGENERATE: &str =
    "SHENBAO_BLESS=1 cargo test -p validator-core --test generated_schemas";

/// The whitespace the engine trims (`char::is_whitespace`, Unicode White_Space), as the body of a
/// regular-expression character class that reads the same in ECMA-262 and Rust.
pub const WS_CLASS: &str =
    r"\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// `YYYY-MM-DD`, real Gregorian calendar days only (leap years included), years 0000–9999:
/// exactly what the engine's date parser accepts.
pub const DATE_PATTERN: &str = "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$";

/// 万元 amounts (spec §0.4).
pub const AMOUNT_PATTERN: &str = r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$";
/// Credit-code character set (GB 32100-2015, no I O S V Z); the check character is not expressible.
pub const CREDIT_CODE_PATTERN: &str = "^[0-9A-HJ-NPQRTUWXY]{18}$";
pub const MOBILE_PATTERN: &str = "^1[3-9][0-9]{9}$";
pub const LANDLINE_PATTERN: &str = "^0[0-9]{2,3}-[2-9][0-9]{6,7}(-[0-9]{1,6})?$";
pub const EMAIL_PATTERN: &str =
    r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$";
pub const SHA256_PATTERN: &str = "^[0-9a-f]{64}$";
pub const PROJECT_CODE_PATTERN: &str = "^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$";

const ABSENT_REF: &str = "#/$defs/absent";

/// The pattern of a string whose trimmed length (in characters) lies in `min..=max`.
/// A trimmed length of 0 is absence, never a value, so `min` is treated as at least 1.
pub fn text_pattern(min: u32, max: u32) -> String {
    let (w, n) = (format!("[{WS_CLASS}]*"), format!("[^{WS_CLASS}]"));
    let any = |a: u32, b: u32| match (a, b) {
        (0, 0) => String::new(),
        (a, b) if a == b => format!(r"[\s\S]{{{a}}}"),
        (a, b) => format!(r"[\s\S]{{{a},{b}}}"),
    };
    let min = min.max(1);
    if max <= 1 {
        format!("^{w}{n}{w}$")
    } else if min == 1 {
        format!("^{w}{n}(?:{}{n})?{w}$", any(0, max - 2))
    } else {
        format!("^{w}{n}{}{n}{w}$", any(min - 2, max - 2))
    }
}

/// The `$id` of a (pack, form) schema.
pub fn schema_id(jurisdiction: &str, form: &str) -> String {
    format!("{ID_BASE}/{jurisdiction}/{form}.schema.json")
}

/// The file of a (pack, form) schema inside `docs/schemas/`.
pub fn schema_file(jurisdiction: &str, form: &str) -> String {
    format!("{jurisdiction}/{form}.schema.json")
}

/// The JSON Schema (draft 2020-12) of one (jurisdiction, form), true to the engine's field-level
/// pass. Errors exactly as [`crate::validate`] does for an unknown or unoffered pair.
pub fn schema(jurisdiction: &str, form: &str) -> Result<Value, ValidateError> {
    let (pack, form_kind) = resolve(jurisdiction, form)?;
    Ok(generate(pack, form_kind).0)
}

/// The requirements of a (jurisdiction, form) that its schema cannot express (also listed in the
/// schema's top-level `description`). Empty for an unknown or unoffered pair.
pub fn untranslatable(jurisdiction: &str, form: &str) -> Vec<String> {
    match resolve(jurisdiction, form) {
        Ok((pack, form_kind)) => generate(pack, form_kind).1,
        Err(_) => Vec::new(),
    }
}

/// Every offered (jurisdiction, form), as the catalog lists them.
pub fn offered() -> Vec<(&'static str, &'static str)> {
    crate::info::forms()
        .into_iter()
        .flat_map(|p| p.forms.into_iter().map(move |f| (p.jurisdiction, f.form)))
        .collect()
}

/// Pretty-printed JSON with sorted keys and a trailing newline (the committed file format).
pub fn render(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(&canonical(v)).expect("a JSON value serializes");
    s.push('\n');
    s
}

/// A copy of `v` whose objects hold their keys in sorted order (also with `preserve_order`).
pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&m[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn generate(pack: &'static Pack, form: FormKind) -> (Value, Vec<String>) {
    let c = compiled(pack, form)
        .unwrap_or_else(|e| panic!("rule data failed to compile (a bug caught by tests): {e}"));
    let mut g = Gen {
        pack,
        form,
        c,
        untranslatable: Vec::new(),
        conds: BTreeMap::new(),
    };
    let out = g.build();
    (out, g.untranslatable)
}

// ---------------------------------------------------------------- generator

/// Why a condition could not be translated in a scope.
enum Miss {
    /// It reads a field outside the scope: try an enclosing one.
    Scope,
    /// JSON Schema cannot express it.
    Never(String),
}

type Tr = Result<Value, Miss>;

struct Gen {
    pack: &'static Pack,
    form: FormKind,
    c: &'static Compiled,
    untranslatable: Vec<String>,
    /// `if`/`then` entries by scope node (None: root; Some(object or list field)).
    conds: BTreeMap<Option<usize>, Vec<Value>>,
}

fn obj(pairs: Vec<(&str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn absent() -> Value {
    json!({ "$ref": ABSENT_REF })
}

fn not_absent() -> Value {
    json!({ "not": { "$ref": ABSENT_REF } })
}

fn all_of(mut v: Vec<Value>) -> Value {
    v.retain(|x| x != &Value::Bool(true));
    if v.iter().any(|x| x == &Value::Bool(false)) {
        return Value::Bool(false);
    }
    match v.len() {
        0 => Value::Bool(true),
        1 => v.pop().expect("one"),
        _ => json!({ "allOf": v }),
    }
}

fn any_of(mut v: Vec<Value>) -> Value {
    v.retain(|x| x != &Value::Bool(false));
    if v.iter().any(|x| x == &Value::Bool(true)) {
        return Value::Bool(true);
    }
    match v.len() {
        0 => Value::Bool(false),
        1 => v.pop().expect("one"),
        _ => json!({ "anyOf": v }),
    }
}

fn not(v: Value) -> Value {
    match v {
        Value::Bool(b) => Value::Bool(!b),
        v => json!({ "not": v }),
    }
}

/// Merges `extra` into an object schema (keys of `extra` win; `type` and `allOf` are combined by the callers).
fn with(mut base: Map<String, Value>, extra: Value) -> Value {
    if let Value::Object(m) = extra {
        for (k, v) in m {
            base.insert(k, v);
        }
    }
    Value::Object(base)
}

impl Gen {
    fn fields(&self) -> &'static [FieldInfo] {
        &self.c.table.fields
    }

    fn required_always(&self, i: usize) -> bool {
        matches!(self.c.required[i], Some(C::Const(true)))
    }

    fn is_list(&self, i: usize) -> bool {
        matches!(self.fields()[i].ty, T::List(_))
    }

    /// The validity schema of a present (non-absent) value, without annotations or children.
    /// Scalar formats and enum code lists are shared through `$defs` ([`Gen::type_def`]).
    fn base(&self, i: usize) -> Map<String, Value> {
        let f = &self.fields()[i];
        let def_ref = |name: String| obj(vec![("$ref", json!(format!("#/$defs/{name}")))]);
        let code = |name: &str| {
            let mut m = def_ref(name.to_string());
            if f.domain.len() != f.full_domain.len() {
                m.insert("enum".into(), json!(f.domain));
            }
            m
        };
        match f.ty {
            T::Bool => obj(vec![("type", json!("boolean"))]),
            T::Int(min, max) => obj(vec![
                ("type", json!("integer")),
                ("minimum", json!(min)),
                ("maximum", json!(max)),
            ]),
            T::Enum(name) => code(name),
            T::Multi(name, min) => obj(vec![
                ("type", json!("array")),
                ("minItems", json!(min.max(1))),
                ("uniqueItems", json!(true)),
                ("items", Value::Object(code(name))),
            ]),
            T::Object => obj(vec![("type", json!("object"))]),
            T::List(min) => obj(vec![
                ("type", json!("array")),
                ("minItems", json!(min.max(1))),
            ]),
            T::Attachment => Map::new(),
            _ => def_ref(Self::type_def(f.ty).expect("a scalar format").0),
        }
    }

    /// The shared `$defs` entry of a string format: (name, schema).
    fn type_def(ty: T) -> Option<(String, Value)> {
        let s = |title: &str, pattern: &str, d: &str| json!({ "title": title, "type": "string", "pattern": pattern, "description": d });
        Some(match ty {
            T::Text(min, max) => (
                format!("text_{min}_{max}"),
                json!({
                    "title": format!("文本（{min}–{max} 字）"),
                    "type": "string",
                    "pattern": text_pattern(min, max),
                    "description": format!("去除首尾空白后长度为 {min}–{max} 个字符（Unicode 标量值）。首尾空白按引擎的 trim（Unicode White_Space）计算。"),
                }),
            ),
            T::CreditCode => (
                "credit_code".into(),
                s("统一社会信用代码", CREDIT_CODE_PATTERN, "18 位，由数字和除 I、O、S、V、Z 以外的大写字母组成（common.any.credit-code-format）。第 18 位为 GB 32100-2015 校验字符（前 17 位加权求和模 31），JSON Schema 无法表达，由引擎规则 common.any.credit-code-check-digit 检查。"),
            ),
            T::Mobile => ("mobile".into(), s("手机号", MOBILE_PATTERN, "11 位中国大陆手机号码（1 开头，第二位为 3 至 9），不含空格及国家代码（common.any.mobile-format）。")),
            T::Landline => ("landline".into(), s("固定电话", LANDLINE_PATTERN, "“区号-号码”或“区号-号码-分机号”，如 0759-3123456（common.any.landline-format）。")),
            T::Email => (
                "email".into(),
                json!({ "title": "电子邮箱", "type": "string", "maxLength": 254, "pattern": EMAIL_PATTERN, "description": "不超过 254 个字符（common.any.email-format）。不使用 format: email：引擎只接受这一 pattern。" }),
            ),
            T::Sha256 => ("sha256".into(), s("SHA-256", SHA256_PATTERN, "64 位小写十六进制。")),
            T::ProjectCode => ("project_code".into(), s("投资项目代码", PROJECT_CODE_PATTERN, "YYYY-行政区划6位-2位-2位-6位。")),
            T::Date => (
                "date".into(),
                json!({ "title": "日期", "type": "string", "format": "date", "pattern": DATE_PATTERN, "description": "公历日期 YYYY-MM-DD（北京时间）。pattern 只接受真实存在的日期（含闰年规则，如 2027-02-29 不合法），不依赖 format 断言。" }),
            ),
            T::Wan => (
                "amount_wan".into(),
                s("金额（万元）", AMOUNT_PATTERN, "万元金额，以字符串表示：非负，最多两位小数，不含千分位；JSON 数字不被接受（common.any.amount-format，规格 §0.4）。"),
            ),
            _ => return None,
        })
    }

    /// `items` of a list field: applied only to lists long enough to be well-formed, as the
    /// engine checks entries only then.
    fn items(&self, l: usize, items: Value) -> Value {
        match self.fields()[l].ty {
            T::List(min) if min > 1 => {
                json!({ "if": { "type": "array", "minItems": min }, "then": { "items": items } })
            }
            _ => json!({ "items": items }),
        }
    }

    /// The `$defs` entry of an enum: every code of §2.4 with its Chinese label.
    fn enum_def(name: &str) -> Value {
        let def = model::enum_def(name).expect("enum of the model");
        let one_of: Vec<Value> = def
            .values
            .iter()
            .map(|(c, zh)| json!({ "const": c, "title": zh }))
            .collect();
        json!({
            "title": format!("代码表 {name}（规格 §2.4）"),
            "description": "代码 = 中文标签（title）。字段另有 enum 时，只允许其中的代码（规则包限定，规格 §2.3）。",
            "type": "string",
            "oneOf": one_of,
        })
    }

    // ------------------------------------------------------------ structure

    fn build(&mut self) -> Value {
        // conditional requirements first: they fill `self.conds`, which the containers read
        let n = self.fields().len();
        let required: &'static [Option<C>] = &self.c.required;
        let descs: Vec<Vec<String>> = required
            .iter()
            .enumerate()
            .map(|(i, r)| match r {
                Some(C::Const(true)) | None => Vec::new(),
                Some(cond) => self.conditional(i, cond),
            })
            .collect();
        for i in 0..n {
            let f = &self.fields()[i];
            if matches!(f.ty, T::Attachment) && self.required_always(i) {
                let then = self.require_then(i, None);
                let entry = json!({ "description": format!("必填附件：{}（{}）", f.zh, f.key), "allOf": [then] });
                self.conds.entry(None).or_default().push(entry);
            }
        }
        let (props, required) = self.children(None, &descs);
        let mut root = obj(vec![
            ("$schema", json!(DIALECT)),
            ("$id", json!(schema_id(self.pack.id, self.form.key()))),
            (
                "title",
                json!(format!("{} — {}", self.form.label_zh(), self.pack.region)),
            ),
            ("type", json!("object")),
            ("properties", Value::Object(props)),
        ]);
        if !required.is_empty() {
            root.insert("required".into(), json!(required));
        }
        if let Some(v) = self.conds.remove(&None) {
            root.insert("allOf".into(), json!(v));
        }
        let mut defs = obj(vec![(
            "absent",
            json!({
                "title": "未填写（视同缺省）",
                "description": "null、空字符串或只含空白字符的字符串、空数组：引擎一律视为未填写（规格 §0.5）。空白字符与引擎的 trim 一致（Unicode White_Space：含 U+0085，不含 U+FEFF），因此用显式字符类而不用 \\s。",
                "anyOf": [
                    { "type": "null" },
                    { "type": "string", "pattern": format!("^[{WS_CLASS}]*$") },
                    { "type": "array", "maxItems": 0 },
                ],
            }),
        )]);
        for f in self.fields() {
            match f.ty {
                T::Enum(name) | T::Multi(name, _) => {
                    defs.insert(name.to_string(), Self::enum_def(name));
                }
                ty => {
                    if let Some((name, def)) = Self::type_def(ty) {
                        defs.insert(name, def);
                    }
                }
            }
        }
        root.insert("$defs".into(), Value::Object(defs));
        self.untranslatable.extend(self.check_digit_note());
        root.insert("description".into(), json!(self.top_description()));
        canonical(&Value::Object(root))
    }

    fn check_digit_note(&self) -> Option<String> {
        let paths: Vec<&str> = self
            .fields()
            .iter()
            .filter(|f| matches!(f.ty, T::CreditCode))
            .map(|f| f.path)
            .collect();
        (!paths.is_empty()).then(|| {
            format!(
                "common.any.credit-code-check-digit（{}）：GB 32100-2015 第 18 位校验字符（前 17 位加权求和模 31）无法用 JSON Schema 表达；schema 只检查字符集与长度（common.any.credit-code-format），校验位仍由引擎检查。",
                paths.join("、")
            )
        })
    }

    fn top_description(&self) -> String {
        let mut s = format!(
            "{}（{}）— {}（规则包 {}）的字段级 JSON Schema（draft 2020-12），由 validator-core 从引擎实际使用的字段表与必填条件生成（请勿手工修改）。\
             它表达规格 §2 的类型、格式、必填与条件必填，即引擎字段级检查 common.any.required-field、common.any.field-format、\
             common.any.credit-code-format、common.any.mobile-format、common.any.landline-format、common.any.email-format、\
             common.any.amount-format；各地区规则（§3）只由校验引擎判断，通过本 schema 不等于可以最终提交。\
             null、空字符串/只含空白的字符串和空数组视为未填写（$defs/absent）。未列出的属性不受限制（引擎忽略它们）。\
             日期的 format 只在开启格式断言时检查，但 pattern 已精确排除不存在的日期（使用 Ajv 时请加载 ajv-formats，或关闭 validateFormats）。正则均按 ECMA-262 u 模式书写，Rust 与 JavaScript 结果一致。",
            self.form.label_zh(),
            self.form.label_en(),
            self.pack.region,
            self.pack.id
        );
        s.push_str("\n\nJSON Schema 无法表达、仍只由引擎检查的要求：");
        for u in &self.untranslatable {
            s.push_str("\n- ");
            s.push_str(u);
        }
        s
    }

    /// Properties and unconditional `required` of a container (None: the root; an object field;
    /// a list field, whose entries are the container).
    fn children(
        &mut self,
        parent: Option<usize>,
        descs: &[Vec<String>],
    ) -> (Map<String, Value>, Vec<&'static str>) {
        let mut props = Map::new();
        let mut required = Vec::new();
        let kids: Vec<usize> = (0..self.fields().len())
            .filter(|&j| {
                self.fields()[j].parent == parent && !matches!(self.fields()[j].ty, T::Attachment)
            })
            .collect();
        for j in kids {
            let f = &self.fields()[j];
            if self.required_always(j) {
                required.push(f.key);
            }
            let p = self.property(j, descs);
            props.insert(f.key.to_string(), p);
        }
        (props, required)
    }

    fn property(&mut self, i: usize, descs: &[Vec<String>]) -> Value {
        let f = &self.fields()[i];
        let base = self.base(i);
        let mut p = if self.required_always(i) {
            let mut p = base;
            p.insert("not".into(), absent());
            p
        } else {
            obj(vec![("anyOf", json!([absent(), Value::Object(base)]))])
        };
        match f.ty {
            T::Object => {
                let (props, req) = self.children(Some(i), descs);
                p.insert("properties".into(), Value::Object(props));
                if !req.is_empty() {
                    p.insert("required".into(), json!(req));
                }
                if let Some(v) = self.conds.remove(&Some(i)) {
                    p.insert("allOf".into(), json!(v));
                }
            }
            T::List(_) => {
                let (props, req) = self.children(Some(i), descs);
                let mut item = obj(vec![
                    ("type", json!("object")),
                    ("properties", Value::Object(props)),
                ]);
                if !req.is_empty() {
                    item.insert("required".into(), json!(req));
                }
                if let Some(v) = self.conds.remove(&Some(i)) {
                    item.insert("allOf".into(), json!(v));
                }
                item.insert(
                    "description".into(),
                    json!(format!("{}的一项（必须是对象）", f.zh)),
                );
                if let Value::Object(m) = self.items(i, Value::Object(item)) {
                    p.extend(m);
                }
            }
            _ => {}
        }
        p.insert("title".into(), json!(f.zh));
        let d = self.describe(i, &descs[i]);
        if !d.is_empty() {
            p.insert("description".into(), json!(d));
        }
        Value::Object(p)
    }

    fn describe(&self, i: usize, cond_notes: &[String]) -> String {
        let f = &self.fields()[i];
        let mut parts: Vec<String> = Vec::new();
        if self.required_always(i) {
            parts.push(match f.parent {
                Some(p) if self.is_list(p) => "必填（每一项中）。".to_string(),
                Some(_) => "必填（所在对象填写时）。".to_string(),
                None => "必填。".to_string(),
            });
        }
        parts.extend(cond_notes.iter().cloned());
        let ty = match f.ty {
            T::Text(min, max) => format!("文本，去除首尾空白后 {min}–{max} 个字符。"),
            T::CreditCode => "统一社会信用代码；第 18 位校验字符无法用 JSON Schema 表达，由引擎检查（见 $defs/credit_code）。".into(),
            T::Mobile => "手机号（见 $defs/mobile）。".into(),
            T::Landline => "固定电话（见 $defs/landline）。".into(),
            T::Email => "电子邮箱（见 $defs/email）。".into(),
            T::Sha256 => "64 位小写十六进制。".into(),
            T::ProjectCode => "投资项目代码 YYYY-行政区划6位-2位-2位-6位。".into(),
            T::Date => "日期 YYYY-MM-DD。".into(),
            T::Bool => "true 或 false（字符串 \"true\" 不被接受）。".into(),
            T::Int(min, max) => format!("整数 {min}–{max}。"),
            T::Enum(name) => format!("代码，中文标签见 $defs/{name}。{}", self.restriction_note(i)),
            T::Multi(name, min) => format!("多选代码数组：不得重复，至少 {} 项；中文标签见 $defs/{name}。{}", min.max(1), self.restriction_note(i)),
            T::Wan => "万元金额，字符串（见 $defs/amount_wan）；JSON 数字不被接受。".into(),
            T::Object => "对象；其中的必填项只在本对象填写时检查。".into(),
            T::List(min) if min > 1 => format!("数组，至少 {min} 项，每项为对象。"),
            T::List(_) => "数组，每项为对象。".into(),
            T::Attachment => String::new(),
        };
        if !ty.is_empty() {
            parts.push(ty);
        }
        let basis = all_fields(self.form)
            .find(|m| m.path == f.path)
            .map(|m| m.basis)
            .unwrap_or("");
        if !basis.is_empty() {
            parts.push(format!("依据/说明：{basis}。"));
        }
        parts.join("")
    }

    fn restriction_note(&self, i: usize) -> String {
        let f = &self.fields()[i];
        if f.domain.len() == f.full_domain.len() {
            String::new()
        } else {
            format!(
                "本地区（{}）限定可用值：{}（规格 §2.3）。",
                self.pack.id,
                f.domain.join("、")
            )
        }
    }

    // ------------------------------------------------------------ conditional required-ness

    /// The source text and origin of each alternative of a field's compiled required-ness
    /// condition (the same order as the engine's compiler builds them).
    fn alt_sources(&self, i: usize) -> Vec<(String, String)> {
        let f = &self.fields()[i];
        let mut v = Vec::new();
        if let Some(m) = all_fields(self.form).find(|m| m.path == f.path) {
            if let Req::If(src) = m.req {
                v.push((src.to_string(), "§2 字段表".to_string()));
            }
        }
        for (rf, path, cond) in self.pack.require {
            if *rf == self.form && *path == f.path && !cond.is_empty() {
                v.push((cond.to_string(), format!("{} 规则包", self.pack.id)));
            }
        }
        v
    }

    /// Translates the conditional required-ness of field `i`; returns the notes for its description.
    fn conditional(&mut self, i: usize, cond: &C) -> Vec<String> {
        let alts: Vec<&C> = match cond {
            C::Or(v) => v.iter().collect(),
            c => vec![c],
        };
        let mut srcs = self.alt_sources(i);
        if srcs.len() != alts.len() {
            srcs = alts
                .iter()
                .map(|_| ("（编译后的条件）".to_string(), "引擎".to_string()))
                .collect();
        }
        let f = &self.fields()[i];
        // candidate scopes, innermost first
        let mut scopes = Vec::new();
        if !matches!(f.ty, T::Attachment) {
            let mut p = f.parent;
            while let Some(n) = p {
                scopes.push(Some(n));
                p = self.fields()[n].parent;
            }
        }
        scopes.push(None);
        let mut notes = Vec::new();
        for (alt, (src, origin)) in alts.into_iter().zip(srcs) {
            let mut reason = String::new();
            let mut placed = false;
            let mut never_holds = false;
            for &scope in &scopes {
                match self.pred(alt, scope) {
                    Ok(p) => {
                        let then = self.require_then(i, scope);
                        let description = format!("条件必填（{origin}）：当 {src} 时，{}（{}）必填。", f.zh, f.path);
                        let entry = match p {
                            // the condition cannot hold in this jurisdiction (e.g. a code it does not use)
                            Value::Bool(false) => None,
                            Value::Bool(true) => Some(json!({ "description": description, "allOf": [then] })),
                            p => Some(json!({ "description": description, "if": p, "then": then })),
                        };
                        never_holds = entry.is_none();
                        if let Some(e) = entry {
                            self.conds.entry(scope).or_default().push(e);
                        }
                        placed = true;
                        break;
                    }
                    Err(Miss::Scope) => reason = "条件读取的字段与必填字段不在同一层级（列表项内外混用），JSON Schema 无法引用".into(),
                    Err(Miss::Never(r)) => {
                        reason = r;
                        break;
                    }
                }
            }
            if placed && never_holds {
                notes.push(format!(
                    "条件必填（{origin}）：当 {src} 时必填——本地区该条件不会成立。"
                ));
            } else if placed {
                notes.push(format!("条件必填（{origin}）：当 {src} 时必填。"));
            } else {
                notes.push(format!("条件必填（{origin}）：当 {src} 时必填——此条件无法用 JSON Schema 表达，仅由引擎检查。"));
                self.untranslatable.push(format!(
                    "{}（{}）条件必填「{src}」（{origin}）：{reason}。",
                    f.path, f.zh
                ));
            }
        }
        notes
    }

    /// The `then` that requires field `i`, seen from `scope`.
    fn require_then(&self, i: usize, scope: Option<usize>) -> Value {
        let t = self.fields();
        let f = &t[i];
        if matches!(f.ty, T::Attachment) {
            return self.attachment_present(f.key).unwrap_or(Value::Bool(false));
        }
        let mut cur = json!({ "required": [f.key], "properties": { f.key: not_absent() } });
        let mut node = f.parent;
        while node != scope {
            let n = node.expect("scope encloses the field");
            let inner = if self.is_list(n) {
                self.items(n, cur)
            } else {
                cur
            };
            cur = json!({ "properties": { t[n].key: inner } });
            node = t[n].parent;
        }
        cur
    }

    /// "Some attachment has kind `k`" at the root (None when `k` is not an allowed kind).
    fn attachment_present(&self, kind: &str) -> Option<Value> {
        let t = self.fields();
        let a = t
            .iter()
            .position(|f| f.path == "attachments" && f.parent.is_none())?;
        let k = t.iter().find(|f| f.list == Some(a) && f.key == "kind")?;
        let code = k.domain.iter().find(|c| **c == kind)?;
        Some(json!({
            "required": ["attachments"],
            "properties": { "attachments": {
                "type": "array",
                "contains": { "type": "object", "required": ["kind"], "properties": { "kind": { "const": code } } },
            } },
        }))
    }

    /// "Field `f` is reachable from `scope` (every enclosing object present) and its value
    /// satisfies `x`". In a list-entry scope the entry must be an object (the engine reads the
    /// fields of any other entry as malformed).
    fn read(&self, f: usize, x: Value, scope: Option<usize>) -> Tr {
        let t = self.fields();
        let fi = &t[f];
        if matches!(fi.ty, T::Attachment) {
            return Err(Miss::Never("附件伪字段只能以 has(k) 读取".into()));
        }
        let mut cur = json!({ "required": [fi.key], "properties": { fi.key: x } });
        let mut node = fi.parent;
        loop {
            if node == scope {
                break;
            }
            let Some(n) = node else {
                return Err(Miss::Scope);
            };
            if self.is_list(n) {
                // a field of list entries read outside its entry
                return Err(Miss::Scope);
            }
            cur = json!({ "required": [t[n].key], "properties": { t[n].key: with(obj(vec![("type", json!("object"))]), cur) } });
            node = t[n].parent;
        }
        if scope.is_some() {
            cur = with(obj(vec![("type", json!("object"))]), cur);
        }
        Ok(cur)
    }

    /// "Field `f` is absent" seen from `scope`: the first enclosing object that is not an object
    /// is absent (a malformed one makes its members malformed, not absent), or every enclosing
    /// object is present and `f` is missing or an absent-equivalent. In a list-entry scope the
    /// entry must be an object.
    fn absent(&self, f: usize, scope: Option<usize>) -> Tr {
        let t = self.fields();
        let mut cur = json!({ "properties": { t[f].key: absent() } });
        let mut node = t[f].parent;
        loop {
            if node == scope {
                break;
            }
            let Some(n) = node else {
                return Err(Miss::Scope);
            };
            if self.is_list(n) {
                return Err(Miss::Scope);
            }
            cur = json!({ "properties": { t[n].key: { "anyOf": [absent(), with(obj(vec![("type", json!("object"))]), cur)] } } });
            node = t[n].parent;
        }
        Ok(match scope {
            Some(s) if self.is_list(s) => with(obj(vec![("type", json!("object"))]), cur),
            _ => cur,
        })
    }

    fn field_of(e: &E) -> Option<usize> {
        match e {
            E::Field(f) => Some(*f),
            _ => None,
        }
    }

    fn codes_of_mask(&self, f: usize, m: u64) -> Vec<&'static str> {
        self.fields()[f]
            .full_domain
            .iter()
            .enumerate()
            .filter(|(b, _)| m >> b & 1 == 1)
            .map(|(_, c)| *c)
            .collect()
    }

    /// A schema that validates exactly when the condition holds (spec §0.5 semantics), evaluated
    /// on the instance at `scope`.
    fn pred(&self, c: &C, scope: Option<usize>) -> Tr {
        let t = self.fields();
        let never = |what: &str| Err(Miss::Never(format!("{what} 无法用 JSON Schema 表达")));
        match c {
            C::Const(b) => Ok(Value::Bool(*b)),
            C::Or(v) => Ok(any_of(
                v.iter()
                    .map(|c| self.pred(c, scope))
                    .collect::<Result<_, _>>()?,
            )),
            C::And(v) => Ok(all_of(
                v.iter()
                    .map(|c| self.pred(c, scope))
                    .collect::<Result<_, _>>()?,
            )),
            C::Not(c) => Ok(not(self.pred(c, scope)?)),
            C::Present(e) | C::Defined(e) => {
                let Some(f) = Self::field_of(e) else {
                    return never("对表达式的 present 判断");
                };
                if matches!(t[f].ty, T::Attachment) {
                    return self.has_kind(t[f].key, scope);
                }
                self.read(f, Value::Object(self.base(f)), scope)
            }
            C::Absent(e) => {
                let Some(f) = Self::field_of(e) else {
                    return Ok(Value::Bool(false));
                };
                if matches!(t[f].ty, T::Attachment) {
                    return Ok(not(self.has_kind(t[f].key, scope)?));
                }
                self.absent(f, scope)
            }
            C::IsNot(a, b) => {
                let absent = self.pred(&C::Absent(a.clone()), scope)?;
                let ne = self.pred(&C::Cmp(Op::Ne, a.clone(), b.clone()), scope)?;
                Ok(any_of(vec![absent, ne]))
            }
            C::Cmp(op, a, b) => {
                let (f, lit, op) = match (a, b) {
                    (E::Field(f), l) if Self::literal(l) => (*f, l, *op),
                    (l, E::Field(f)) if Self::literal(l) => (*f, l, flip(*op)),
                    _ => return never("两个字段之间或含运算的比较"),
                };
                let fi = &t[f];
                let x = match (fi.ty, lit) {
                    (T::Enum(_), E::Code(code)) => {
                        let allowed: Vec<&str> = fi
                            .domain
                            .iter()
                            .copied()
                            .filter(|d| match op {
                                Op::Eq => d == code,
                                Op::Ne => d != code,
                                _ => false,
                            })
                            .collect();
                        match allowed.as_slice() {
                            [] => return Ok(Value::Bool(false)),
                            [one] => json!({ "const": one }),
                            many => json!({ "enum": many }),
                        }
                    }
                    (T::Bool, E::Bool(v)) => match op {
                        Op::Eq => json!({ "const": v }),
                        Op::Ne => json!({ "const": !v }),
                        _ => return never("布尔值的大小比较"),
                    },
                    (T::Int(..), E::Int(n)) => {
                        let k = match op {
                            Op::Eq => json!({ "const": n }),
                            Op::Ne => json!({ "not": { "const": n } }),
                            Op::Lt => json!({ "exclusiveMaximum": n }),
                            Op::Le => json!({ "maximum": n }),
                            Op::Gt => json!({ "exclusiveMinimum": n }),
                            Op::Ge => json!({ "minimum": n }),
                        };
                        all_of(vec![Value::Object(self.base(f)), k])
                    }
                    _ => return never("对金额、日期或文本的比较"),
                };
                self.read(f, x, scope)
            }
            C::InCodes { neg, e, codes } => {
                let Some(f) = Self::field_of(e) else {
                    return never("对表达式的 ∈ 判断");
                };
                let allowed: Vec<&str> = t[f]
                    .domain
                    .iter()
                    .copied()
                    .filter(|d| codes.contains(d) != *neg)
                    .collect();
                if allowed.is_empty() {
                    return Ok(Value::Bool(false));
                }
                self.read(f, json!({ "enum": allowed }), scope)
            }
            C::Intersects(e, m) | C::Subset(e, m) | C::LacksAny(e, m) => {
                let Some(f) = Self::field_of(e) else {
                    return never("对表达式的集合运算");
                };
                let codes = self.codes_of_mask(f, *m);
                let k = match c {
                    C::Intersects(..) => json!({ "contains": { "enum": codes } }),
                    C::Subset(..) => json!({ "items": { "enum": codes } }),
                    _ => any_of(
                        codes
                            .iter()
                            .map(|c| json!({ "not": { "contains": { "const": c } } }))
                            .collect(),
                    ),
                };
                self.read(f, all_of(vec![Value::Object(self.base(f)), k]), scope)
            }
            C::HasBit(b) => {
                let kind = self
                    .c
                    .table
                    .attachment_kinds
                    .get(*b as usize)
                    .map(|(k, _)| *k)
                    .unwrap_or("");
                self.has_kind(kind, scope)
            }
            C::HasField(f) => {
                let mut alts = Vec::new();
                for code in t[*f].domain.clone() {
                    if self
                        .c
                        .table
                        .attachment_kinds
                        .iter()
                        .any(|(k, _)| *k == code)
                    {
                        let eq = self.read(*f, json!({ "const": code }), scope)?;
                        alts.push(all_of(vec![eq, self.has_kind(code, scope)?]));
                    }
                }
                Ok(any_of(alts))
            }
            C::AnyNotAttached(m) => {
                let mut alts = Vec::new();
                for (b, (k, _)) in self.c.table.attachment_kinds.iter().enumerate() {
                    if m >> b & 1 == 1 {
                        alts.push(not(self.has_kind(k, scope)?));
                    }
                }
                Ok(any_of(alts))
            }
            C::Quant { some, list, cond } => {
                let inner = match self.pred(cond, Some(*list)) {
                    Ok(p) => p,
                    Err(Miss::Scope) => {
                        return Err(Miss::Never("some/no 内的条件读取了列表项以外的字段".into()))
                    }
                    Err(e) => return Err(e),
                };
                let base = Value::Object(self.base(*list));
                if *some {
                    self.read(
                        *list,
                        all_of(vec![base, json!({ "contains": inner })]),
                        scope,
                    )
                } else {
                    let absent = self.pred(&C::Absent(E::Field(*list)), scope)?;
                    let none = self.read(
                        *list,
                        all_of(vec![base, json!({ "not": { "contains": inner } })]),
                        scope,
                    )?;
                    Ok(any_of(vec![absent, none]))
                }
            }
            C::Duplicates { .. } => never("列表项取值重复（duplicates）"),
            C::Beyond(_) => never("工作日历范围判断"),
        }
    }

    fn has_kind(&self, kind: &str, scope: Option<usize>) -> Tr {
        if scope.is_some() {
            return Err(Miss::Scope);
        }
        Ok(self.attachment_present(kind).unwrap_or(Value::Bool(false)))
    }

    fn literal(e: &E) -> bool {
        matches!(e, E::Code(_) | E::Bool(_) | E::Int(_) | E::Wan(_))
    }
}

fn flip(op: Op) -> Op {
    match op {
        Op::Lt => Op::Gt,
        Op::Le => Op::Ge,
        Op::Gt => Op::Lt,
        Op::Ge => Op::Le,
        o => o,
    }
}

/// Test hook (not part of the API): translates conditions of the rule language the way required-
/// ness conditions are translated, and evaluates them with the engine, so that tests can check
/// that "the schema validates" and "the condition holds" coincide for every construct.
#[doc(hidden)]
pub mod probe {
    use super::{Gen, Miss};
    use crate::dsl::{Compiler, Ctx, Def, C};
    use crate::engine::{compiled, resolve, with_doc, Compiled, Validator, COMMON_DEFS};
    use crate::packs::COMMON;
    use serde_json::Value;
    use std::collections::BTreeMap;

    /// Compiled conditions of one (jurisdiction, form). A condition with a `scope` (the path of
    /// an object or list field) is translated for the instance at that object / list entry; for a
    /// list, write the condition as `some list[] with (…)` and the inner condition is used.
    pub struct Probe {
        c: &'static Compiled,
        gen: Gen,
        conds: Vec<(C, Option<usize>)>,
    }

    impl Probe {
        pub fn new(
            jurisdiction: &str,
            form: &str,
            conds: &[(&str, Option<&str>)],
        ) -> Result<Probe, String> {
            let (pack, form_kind) = resolve(jurisdiction, form).map_err(|e| e.to_string())?;
            let c = compiled(pack, form_kind)?;
            let defs: Vec<Def> = COMMON_DEFS
                .iter()
                .chain(COMMON.defs)
                .chain(pack.defs)
                .map(|(name, src)| Def { name, src })
                .collect();
            let mut out = Vec::new();
            for (src, scope) in conds {
                let cond = Compiler::new(&c.table, &defs)
                    .cond(src)
                    .map_err(|e| format!("{src}: {e}"))?;
                let scope = match scope {
                    None => None,
                    Some(path) => Some(
                        c.table
                            .fields
                            .iter()
                            .position(|f| f.path == *path)
                            .ok_or_else(|| format!("no field {path}"))?,
                    ),
                };
                let cond = match (scope, cond) {
                    (
                        Some(l),
                        C::Quant {
                            some: true,
                            list,
                            cond,
                        },
                    ) if list == l => *cond,
                    (Some(l), _) if matches!(c.table.fields[l].ty, crate::model::T::List(_)) => {
                        return Err(format!("{src}: write `some list[] with (…)`"))
                    }
                    (_, cond) => cond,
                };
                out.push((cond, scope));
            }
            Ok(Probe {
                c,
                gen: Gen {
                    pack,
                    form: form_kind,
                    c,
                    untranslatable: Vec::new(),
                    conds: BTreeMap::new(),
                },
                conds: out,
            })
        }

        /// The schema of each condition, or why it cannot be expressed.
        pub fn schemas(&self) -> Vec<Result<Value, String>> {
            self.conds
                .iter()
                .map(|(c, scope)| match self.gen.pred(c, *scope) {
                    Ok(v) => Ok(super::canonical(&v)),
                    Err(Miss::Scope) => Err("reads a field outside its scope".to_string()),
                    Err(Miss::Never(r)) => Err(r),
                })
                .collect()
        }

        /// The engine's truth of each condition on `data` (entry `entry` for list scopes); None
        /// where the scope does not exist in the data (object not present, no such entry).
        pub fn engine(&self, data: &Value, entry: usize) -> Vec<Option<bool>> {
            let data = crate::json::J::from_value(data);
            let Some(obj) = data.as_object() else {
                return vec![None; self.conds.len()];
            };
            let t = &self.c.table;
            with_doc(self.c, obj, |doc, _| {
                self.conds
                    .iter()
                    .map(|(c, scope)| {
                        let mut ctx = Ctx::new(t, doc, Validator::builtin().calendar());
                        let applies = match scope {
                            None => true,
                            Some(s) if matches!(t.fields[*s].ty, crate::model::T::List(_)) => {
                                ctx.elem = Some((*s, entry));
                                doc.lists[*s].len() > entry
                            }
                            Some(s) => {
                                matches!(doc.root[t.fields[*s].slot], crate::dsl::Val::Present)
                            }
                        };
                        applies.then(|| ctx.cond(c))
                    })
                    .collect()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_class_is_the_engines_trim() {
        // parse the class body back into characters and compare with char::is_whitespace
        let mut set = Vec::new();
        let body: Vec<char> = WS_CLASS.chars().collect();
        let mut i = 0;
        let read = |i: &mut usize| -> char {
            if body[*i] == '\\' {
                let c = body[*i + 1];
                *i += 2;
                match c {
                    't' => '\t',
                    'n' => '\n',
                    'v' => '\u{b}',
                    'f' => '\u{c}',
                    'r' => '\r',
                    'u' => {
                        let hex: String = body[*i..*i + 4].iter().collect();
                        *i += 4;
                        char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap()
                    }
                    other => other,
                }
            } else {
                *i += 1;
                body[*i - 1]
            }
        };
        while i < body.len() {
            let a = read(&mut i);
            if i < body.len() && body[i] == '-' {
                i += 1;
                let b = read(&mut i);
                set.extend((a as u32..=b as u32).filter_map(char::from_u32));
            } else {
                set.push(a);
            }
        }
        set.sort();
        let want: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(set, want);
    }

    #[test]
    fn text_patterns_have_the_expected_shape() {
        let n = format!("[^{WS_CLASS}]");
        let w = format!("[{WS_CLASS}]*");
        assert_eq!(text_pattern(1, 1), format!("^{w}{n}{w}$"));
        assert_eq!(
            text_pattern(1, 200),
            format!("^{w}{n}(?:[\\s\\S]{{0,198}}{n})?{w}$")
        );
        assert_eq!(text_pattern(2, 2), format!("^{w}{n}{n}{w}$"));
        assert_eq!(
            text_pattern(2, 100),
            format!("^{w}{n}[\\s\\S]{{0,98}}{n}{w}$")
        );
        assert_eq!(text_pattern(10, 10), format!("^{w}{n}[\\s\\S]{{8}}{n}{w}$"));
        assert_eq!(
            text_pattern(10, 4000),
            format!("^{w}{n}[\\s\\S]{{8,3998}}{n}{w}$")
        );
    }

    #[test]
    fn every_offered_form_has_a_deterministic_schema() {
        for (j, f) in offered() {
            let a = render(&schema(j, f).unwrap());
            let b = render(&schema(j, f).unwrap());
            assert_eq!(a, b, "{j}/{f}");
            let v = schema(j, f).unwrap();
            assert_eq!(v["$id"], json!(schema_id(j, f)));
            assert_eq!(v["$schema"], json!(DIALECT));
            for u in untranslatable(j, f) {
                assert!(
                    v["description"].as_str().unwrap().contains(&u),
                    "{j}/{f}: {u}"
                );
            }
        }
    }

    #[test]
    fn unknown_pairs_error_like_validate() {
        assert!(matches!(
            schema("atlantis", "apply"),
            Err(ValidateError::UnknownJurisdiction(_))
        ));
        assert!(matches!(
            schema("potou", "nothing"),
            Err(ValidateError::UnknownForm(_))
        ));
        assert!(untranslatable("atlantis", "apply").is_empty());
    }
}
