//! The rule language: conditions written the way spec §3 writes them, compiled once per
//! (pack, form) against the form's field table and evaluated with the semantics of spec §0.5.
//!
//! ```text
//! cond    := or                     or := and ("or" and)*       and := unary ("and" unary)*
//! unary   := "not" unary | atom
//! atom    := "(" cond ")" | "true" | "false" | NAME            NAME: a definition (CONSTRUCTION, …)
//!          | "has" "(" kind-or-enum-field ")"                 has(k): some attachment has kind k
//!          | "any of" "{" kinds "}" "not attached"           not every listed kind is attached
//!          | ("some" | "no") list "[]" "with" "(" cond ")"     existence over the entries of a list
//!          | "duplicates" "(" list "[]" ":" expr ")"
//!          | expr ("absent" | "present" | "is not" expr | "is defined" | "is beyond calendar")
//!          | expr CMP expr                                   CMP: = ≠ < ≤ > ≥ (or != <= >=)
//!          | expr ("∈" | "∉") "{" codes "}"  | code "∈" multi | expr "∩" "{" codes "}" "≠" "∅"
//!          | expr "⊆" "{" codes "}"  | expr "lacks any of" "{" codes "}"
//! expr    := term (("+" | "−" | "-") (term | INT "day"))*      term := factor (("×" | "*") factor)*
//! factor  := INT | DECIMAL (万元, "30.00") | path | code
//!          | year(e) | date(y, m, d) | add_months(d, n) | add_working_days(d, n) | max(a, b)
//!          | "Σ" "(" list "[]" ["where" cond] ":" expr ")" | "min" "(" list "[]" ":" expr ")"
//! ```
//!
//! Semantics (spec §0.5, normative): a comparison that reads an absent or malformed value is
//! false — also under `not`. Absence-sensitive forms are only `x absent` (missing, null, blank
//! string or empty array — not malformed), `x is not c` (x absent, or well-formed and ≠ c), and
//! `not has(k)`. `x present` is a comparison: true only for a well-formed value. `some` over an absent list is false and `no` is true. Σ over a
//! present list is 0 when nothing is selected, and malformed if any selected entry's value is.
//! Inside `with (…)`, `where` and after `:` a bare name is first looked up among the entry's
//! fields, then at the root. A bare name that is neither a field nor a definition is an enum code,
//! checked at compile time against the domain of what it is compared with.

use crate::calendar::Calendar;
use crate::date::Date;
use crate::decimal::parse_wan;
use crate::model::{enum_def, T};

// ---------------------------------------------------------------- tokens

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Dec(i64),
    Sym(&'static str),
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let cs: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let s = i;
            while i < cs.len()
                && (cs[i].is_ascii_alphanumeric() || cs[i] == '_' || cs[i] == '.' || cs[i] == '#')
            {
                i += 1;
            }
            out.push(Tok::Ident(cs[s..i].iter().collect()));
            continue;
        }
        if c.is_ascii_digit() {
            let s = i;
            while i < cs.len() && (cs[i].is_ascii_digit() || cs[i] == '.') {
                i += 1;
            }
            let t: String = cs[s..i].iter().collect();
            if t.contains('.') {
                out.push(Tok::Dec(
                    parse_wan(&t).ok_or_else(|| format!("bad decimal {t}"))?,
                ));
            } else {
                out.push(Tok::Int(t.parse().map_err(|_| format!("bad integer {t}"))?));
            }
            continue;
        }
        let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
        let sym = match two.as_str() {
            "!=" => Some("≠"),
            "<=" => Some("≤"),
            ">=" => Some("≥"),
            ":=" => Some(":="),
            "[]" => Some("[]"),
            _ => None,
        };
        if let Some(s) = sym {
            out.push(Tok::Sym(s));
            i += 2;
            continue;
        }
        let s = match c {
            '=' => "=",
            '≠' => "≠",
            '<' => "<",
            '≤' => "≤",
            '>' => ">",
            '≥' => "≥",
            '∈' => "∈",
            '∉' => "∉",
            '∩' => "∩",
            '∅' => "∅",
            '⊆' => "⊆",
            '×' | '*' => "×",
            '+' => "+",
            '−' | '-' => "−",
            'Σ' => "Σ",
            '(' => "(",
            ')' => ")",
            '{' => "{",
            '}' => "}",
            ',' => ",",
            ':' => ":",
            _ => return Err(format!("unexpected character {c:?}")),
        };
        out.push(Tok::Sym(s));
        i += 1;
    }
    Ok(out)
}

// ---------------------------------------------------------------- syntax tree

#[derive(Clone, Debug)]
enum Ex {
    Name(String),
    Int(i64),
    Dec(i64),
    Call(String, Vec<Ex>),
    Bin(&'static str, Box<Ex>, Box<Ex>),
    SubDays(Box<Ex>, i64),
    Agg {
        f: &'static str,
        list: String,
        filter: Option<Box<Cx>>,
        body: Box<Ex>,
    },
}

#[derive(Clone, Debug)]
enum Cx {
    Or(Vec<Cx>),
    And(Vec<Cx>),
    Not(Box<Cx>),
    Bool(bool),
    Name(String),
    Has(String),
    AnyNotAttached(Vec<String>),
    Quant {
        some: bool,
        list: String,
        cond: Box<Cx>,
    },
    Duplicates {
        list: String,
        body: Ex,
    },
    Absent(Ex),
    Present(Ex),
    IsNot(Ex, Ex),
    Defined(Ex),
    Beyond(Ex),
    Cmp(&'static str, Ex, Ex),
    InSet {
        neg: bool,
        e: Ex,
        set: Vec<String>,
    },
    Intersects(Ex, Vec<String>),
    Subset(Ex, Vec<String>),
    LacksAny(Ex, Vec<String>),
}

struct Parser {
    t: Vec<Tok>,
    p: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.p)
    }
    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(x)) if *x == s)
    }
    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(x)) if x == w)
    }
    fn is_word_at(&self, k: usize, w: &str) -> bool {
        matches!(self.t.get(self.p + k), Some(Tok::Ident(x)) if x == w)
    }
    fn sym(&mut self, s: &str) -> Result<(), String> {
        if self.is_sym(s) {
            self.p += 1;
            Ok(())
        } else {
            Err(format!("expected `{s}` at {:?}", self.peek()))
        }
    }
    fn word(&mut self, w: &str) -> Result<(), String> {
        if self.is_word(w) {
            self.p += 1;
            Ok(())
        } else {
            Err(format!("expected `{w}` at {:?}", self.peek()))
        }
    }
    fn ident(&mut self) -> Result<String, String> {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                let s = s.clone();
                self.p += 1;
                Ok(s)
            }
            t => Err(format!("expected a name at {t:?}")),
        }
    }
    fn list_ref(&mut self) -> Result<String, String> {
        let l = self.ident()?;
        self.sym("[]")?;
        Ok(l)
    }
    fn set(&mut self) -> Result<Vec<String>, String> {
        self.sym("{")?;
        let mut v = vec![self.ident()?];
        while self.is_sym(",") {
            self.p += 1;
            v.push(self.ident()?);
        }
        self.sym("}")?;
        Ok(v)
    }

    fn cond(&mut self) -> Result<Cx, String> {
        let mut v = vec![self.and()?];
        while self.is_word("or") {
            self.p += 1;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 {
            v.pop().expect("one")
        } else {
            Cx::Or(v)
        })
    }
    fn and(&mut self) -> Result<Cx, String> {
        let mut v = vec![self.unary()?];
        while self.is_word("and") {
            self.p += 1;
            v.push(self.unary()?);
        }
        Ok(if v.len() == 1 {
            v.pop().expect("one")
        } else {
            Cx::And(v)
        })
    }
    fn unary(&mut self) -> Result<Cx, String> {
        if self.is_word("not") {
            self.p += 1;
            return Ok(Cx::Not(Box::new(self.unary()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Cx, String> {
        if self.is_sym("(") {
            self.p += 1;
            let c = self.cond()?;
            self.sym(")")?;
            return Ok(c);
        }
        if self.is_word("true") || self.is_word("false") {
            let b = self.is_word("true");
            self.p += 1;
            return Ok(Cx::Bool(b));
        }
        if self.is_word("has") && matches!(self.t.get(self.p + 1), Some(Tok::Sym("("))) {
            self.p += 2;
            let k = self.ident()?;
            self.sym(")")?;
            return Ok(Cx::Has(k));
        }
        if self.is_word("any") && self.is_word_at(1, "of") {
            self.p += 2;
            let s = self.set()?;
            self.word("not")?;
            self.word("attached")?;
            return Ok(Cx::AnyNotAttached(s));
        }
        if (self.is_word("some") || self.is_word("no"))
            && matches!(self.t.get(self.p + 2), Some(Tok::Sym("[]")))
        {
            let some = self.is_word("some");
            self.p += 1;
            let list = self.list_ref()?;
            self.word("with")?;
            self.sym("(")?;
            let c = self.cond()?;
            self.sym(")")?;
            return Ok(Cx::Quant {
                some,
                list,
                cond: Box::new(c),
            });
        }
        if self.is_word("duplicates") {
            self.p += 1;
            self.sym("(")?;
            let list = self.list_ref()?;
            self.sym(":")?;
            let body = self.expr()?;
            self.sym(")")?;
            return Ok(Cx::Duplicates { list, body });
        }
        if let Some(Tok::Ident(n)) = self.peek() {
            if n.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                let n = n.clone();
                self.p += 1;
                return Ok(Cx::Name(n));
            }
        }
        let e = self.expr()?;
        self.predicate(e)
    }
    fn predicate(&mut self, e: Ex) -> Result<Cx, String> {
        if self.is_word("absent") {
            self.p += 1;
            return Ok(Cx::Absent(e));
        }
        if self.is_word("present") {
            self.p += 1;
            return Ok(Cx::Present(e));
        }
        if self.is_word("is") {
            self.p += 1;
            if self.is_word("not") {
                self.p += 1;
                return Ok(Cx::IsNot(e, self.expr()?));
            }
            if self.is_word("defined") {
                self.p += 1;
                return Ok(Cx::Defined(e));
            }
            self.word("beyond")?;
            self.word("calendar")?;
            return Ok(Cx::Beyond(e));
        }
        if self.is_word("lacks") {
            self.p += 1;
            self.word("any")?;
            self.word("of")?;
            return Ok(Cx::LacksAny(e, self.set()?));
        }
        for op in ["=", "≠", "<", "≤", ">", "≥"] {
            if self.is_sym(op) {
                self.p += 1;
                return Ok(Cx::Cmp(op, e, self.expr()?));
            }
        }
        if self.is_sym("∈") || self.is_sym("∉") {
            let neg = self.is_sym("∉");
            self.p += 1;
            if self.is_sym("{") {
                return Ok(Cx::InSet {
                    neg,
                    e,
                    set: self.set()?,
                });
            }
            // code ∈ multi-select field
            let field = self.expr()?;
            let Ex::Name(code) = e else {
                return Err("left of `∈ field` must be a code".into());
            };
            if neg {
                return Err("`code ∉ field` is not supported; write not (code ∈ field)".into());
            }
            return Ok(Cx::Intersects(field, vec![code]));
        }
        if self.is_sym("∩") {
            self.p += 1;
            let s = self.set()?;
            self.sym("≠")?;
            self.sym("∅")?;
            return Ok(Cx::Intersects(e, s));
        }
        if self.is_sym("⊆") {
            self.p += 1;
            return Ok(Cx::Subset(e, self.set()?));
        }
        Err(format!(
            "expected a comparison after expression, found {:?}",
            self.peek()
        ))
    }

    fn expr(&mut self) -> Result<Ex, String> {
        let mut e = self.term()?;
        loop {
            let op = if self.is_sym("+") {
                "+"
            } else if self.is_sym("−") {
                "−"
            } else {
                break;
            };
            self.p += 1;
            if op == "−" {
                if let (Some(Tok::Int(n)), true) = (
                    self.peek().cloned(),
                    self.is_word_at(1, "day") || self.is_word_at(1, "days"),
                ) {
                    self.p += 2;
                    e = Ex::SubDays(Box::new(e), n);
                    continue;
                }
            }
            e = Ex::Bin(op, Box::new(e), Box::new(self.term()?));
        }
        Ok(e)
    }
    fn term(&mut self) -> Result<Ex, String> {
        let mut e = self.factor()?;
        while self.is_sym("×") {
            self.p += 1;
            e = Ex::Bin("×", Box::new(e), Box::new(self.factor()?));
        }
        Ok(e)
    }
    fn factor(&mut self) -> Result<Ex, String> {
        match self.peek().cloned() {
            Some(Tok::Int(n)) => {
                self.p += 1;
                Ok(Ex::Int(n))
            }
            Some(Tok::Dec(n)) => {
                self.p += 1;
                Ok(Ex::Dec(n))
            }
            Some(Tok::Sym("Σ")) => {
                self.p += 1;
                self.agg("Σ")
            }
            Some(Tok::Ident(n))
                if n == "min" && matches!(self.t.get(self.p + 1), Some(Tok::Sym("("))) =>
            {
                self.p += 1;
                self.agg("min")
            }
            Some(Tok::Ident(n)) => {
                self.p += 1;
                if self.is_sym("(")
                    && ["year", "date", "add_months", "add_working_days", "max"]
                        .contains(&n.as_str())
                {
                    self.p += 1;
                    let mut args = vec![self.expr()?];
                    while self.is_sym(",") {
                        self.p += 1;
                        args.push(self.expr()?);
                    }
                    self.sym(")")?;
                    return Ok(Ex::Call(n, args));
                }
                Ok(Ex::Name(n))
            }
            t => Err(format!("expected a value at {t:?}")),
        }
    }
    fn agg(&mut self, f: &'static str) -> Result<Ex, String> {
        self.sym("(")?;
        let list = self.list_ref()?;
        let filter = if self.is_word("where") {
            self.p += 1;
            Some(Box::new(self.cond()?))
        } else {
            None
        };
        self.sym(":")?;
        let body = Box::new(self.expr()?);
        self.sym(")")?;
        Ok(Ex::Agg {
            f,
            list,
            filter,
            body,
        })
    }
}

fn parse_cond(src: &str) -> Result<Cx, String> {
    let mut p = Parser { t: lex(src)?, p: 0 };
    let c = p.cond()?;
    if p.p != p.t.len() {
        return Err(format!("unexpected {:?}", p.t[p.p]));
    }
    Ok(c)
}

fn parse_expr(src: &str) -> Result<Ex, String> {
    let mut p = Parser { t: lex(src)?, p: 0 };
    let e = p.expr()?;
    if p.p != p.t.len() {
        return Err(format!("unexpected {:?}", p.t[p.p]));
    }
    Ok(e)
}

// ---------------------------------------------------------------- compiled form

/// The field table a condition is compiled against: one entry per field of a (pack, form).
pub struct FieldTable {
    pub fields: Vec<FieldInfo>,
    /// Index of the `attachments[].kind`-domain (attachment kinds, bit positions).
    pub attachment_kinds: &'static [(&'static str, &'static str)],
}

pub struct FieldInfo {
    pub path: &'static str,
    pub zh: &'static str,
    pub ty: T,
    /// The allowed codes of an enum / multi-select field (pack restriction applied).
    pub domain: Vec<&'static str>,
    /// The full enum domain (bit positions of multi-selects).
    pub full_domain: Vec<&'static str>,
    /// Enclosing list field (for members of array elements).
    pub list: Option<usize>,
    /// Parent object or list field.
    pub parent: Option<usize>,
    /// Slot in the root table or in the element table of `list`.
    pub slot: usize,
    /// JSON member name.
    pub key: &'static str,
}

/// Static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int,
    IntLit,
    Wan,
    Date,
    Str,
    Code(usize),
    Set(usize),
    Obj,
    List,
}

#[derive(Debug, Clone, PartialEq)]
pub enum E {
    Field(usize),
    Int(i64),
    Wan(i64),
    Bool(bool),
    Code(&'static str),
    Year(Box<E>),
    MakeDate(Box<[E; 3]>),
    AddMonths(Box<E>, Box<E>),
    AddWorkingDays(Box<E>, Box<E>),
    SubDays(Box<E>, i64),
    Add(Box<E>, Box<E>),
    Sub(Box<E>, Box<E>),
    Mul(Box<E>, Box<E>),
    Max(Box<E>, Box<E>),
    Sum {
        list: usize,
        filter: Option<Box<C>>,
        body: Box<E>,
    },
    Min {
        list: usize,
        body: Box<E>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum C {
    Or(Vec<C>),
    And(Vec<C>),
    Not(Box<C>),
    Const(bool),
    /// has(k) with a constant kind (bit) or an enum field naming the kind.
    HasBit(u32),
    HasField(usize),
    AnyNotAttached(u64),
    Quant {
        some: bool,
        list: usize,
        cond: Box<C>,
    },
    Duplicates {
        list: usize,
        body: E,
    },
    Absent(E),
    Present(E),
    IsNot(E, E),
    Defined(E),
    Beyond(E),
    Cmp(Op, E, E),
    InCodes {
        neg: bool,
        e: E,
        codes: Vec<&'static str>,
    },
    Intersects(E, u64),
    Subset(E, u64),
    LacksAny(E, u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A named definition visible to conditions.
pub struct Def {
    pub name: &'static str,
    pub src: &'static str,
}

pub struct Compiler<'a> {
    pub table: &'a FieldTable,
    pub defs: &'a [Def],
    scope: Option<usize>,
    depth: usize,
    /// Fields read (for documentation and the checklist).
    pub reads: Vec<usize>,
}

impl<'a> Compiler<'a> {
    pub fn new(table: &'a FieldTable, defs: &'a [Def]) -> Self {
        Compiler {
            table,
            defs,
            scope: None,
            depth: 0,
            reads: Vec::new(),
        }
    }

    pub fn cond(&mut self, src: &str) -> Result<C, String> {
        let cx = parse_cond(src)?;
        self.c(&cx)
    }

    fn field(&self, name: &str) -> Option<usize> {
        let t = &self.table.fields;
        if let Some(l) = self.scope {
            let prefix = t[l].path;
            if let Some(i) = t.iter().position(|f| {
                f.list == Some(l)
                    && f.path.len() > prefix.len() + 3
                    && &f.path[prefix.len() + 3..] == name
                    && f.path.starts_with(prefix)
            }) {
                return Some(i);
            }
        }
        t.iter().position(|f| f.list.is_none() && f.path == name)
    }

    fn list(&self, name: &str) -> Result<usize, String> {
        let i = self
            .table
            .fields
            .iter()
            .position(|f| f.path == name)
            .ok_or_else(|| format!("unknown list {name}"))?;
        match self.table.fields[i].ty {
            T::List(_) => Ok(i),
            _ => Err(format!("{name} is not a list of objects")),
        }
    }

    fn def(&self, name: &str) -> Option<&'static str> {
        self.defs
            .iter()
            .rev()
            .find(|d| d.name == name)
            .map(|d| d.src)
    }

    fn ty_of(&self, i: usize) -> Ty {
        let f = &self.table.fields[i];
        match f.ty {
            T::Text(..)
            | T::CreditCode
            | T::Mobile
            | T::Landline
            | T::Email
            | T::Sha256
            | T::ProjectCode => Ty::Str,
            T::Date => Ty::Date,
            T::Bool => Ty::Bool,
            T::Int(..) => Ty::Int,
            T::Enum(_) => Ty::Code(i),
            T::Multi(..) => Ty::Set(i),
            T::Wan => Ty::Wan,
            T::Object | T::Attachment => Ty::Obj,
            T::List(_) => Ty::List,
        }
    }

    fn with_scope<R>(
        &mut self,
        list: usize,
        f: impl FnOnce(&mut Self) -> Result<R, String>,
    ) -> Result<R, String> {
        let saved = self.scope.replace(list);
        let r = f(self);
        self.scope = saved;
        r
    }

    fn c(&mut self, cx: &Cx) -> Result<C, String> {
        Ok(match cx {
            Cx::Or(v) => C::Or(v.iter().map(|c| self.c(c)).collect::<Result<_, _>>()?),
            Cx::And(v) => C::And(v.iter().map(|c| self.c(c)).collect::<Result<_, _>>()?),
            Cx::Not(c) => C::Not(Box::new(self.c(c)?)),
            Cx::Bool(b) => C::Const(*b),
            Cx::Name(n) => {
                let src = self
                    .def(n)
                    .ok_or_else(|| format!("unknown definition {n}"))?;
                self.depth += 1;
                if self.depth > 8 {
                    return Err(format!("definition {n} is recursive"));
                }
                let r = self.cond(src).map_err(|e| format!("in {n}: {e}"));
                self.depth -= 1;
                r?
            }
            Cx::Has(k) => {
                if let Some(i) = self
                    .field(k)
                    .filter(|&i| matches!(self.table.fields[i].ty, T::Enum(_)))
                {
                    self.reads.push(i);
                    C::HasField(i)
                } else {
                    C::HasBit(self.kind_bit(k)?)
                }
            }
            Cx::AnyNotAttached(ks) => C::AnyNotAttached(
                ks.iter()
                    .try_fold(0u64, |m, k| Ok::<_, String>(m | 1 << self.kind_bit(k)?))?,
            ),
            Cx::Quant { some, list, cond } => {
                let l = self.list(list)?;
                self.reads.push(l);
                let c = self.with_scope(l, |s| s.c(cond))?;
                C::Quant {
                    some: *some,
                    list: l,
                    cond: Box::new(c),
                }
            }
            Cx::Duplicates { list, body } => {
                let l = self.list(list)?;
                let (b, _) = self.with_scope(l, |s| s.e(body, None))?;
                C::Duplicates { list: l, body: b }
            }
            Cx::Absent(e) => C::Absent(self.e(e, None)?.0),
            Cx::Present(e) => C::Present(self.e(e, None)?.0),
            Cx::IsNot(a, b) => {
                let (ea, ta) = self.e(a, None)?;
                let (eb, tb) = self.e(b, Some(ta))?;
                self.check_cmp(ta, tb)?;
                C::IsNot(ea, eb)
            }
            Cx::Defined(e) => C::Defined(self.e(e, None)?.0),
            Cx::Beyond(e) => C::Beyond(self.e(e, None)?.0),
            Cx::Cmp(op, a, b) => {
                let (mut ea, mut ta) = self.e(a, None)?;
                let (mut eb, mut tb) = self.e(b, Some(ta))?;
                if ta == Ty::IntLit && tb != Ty::IntLit {
                    // re-type the literal on the left against the right side
                    (ea, ta) = self.e(a, Some(tb))?;
                } else if tb == Ty::IntLit && ta != Ty::IntLit {
                    (eb, tb) = self.e(b, Some(ta))?;
                }
                self.check_cmp(ta, tb)?;
                let op = match *op {
                    "=" => Op::Eq,
                    "≠" => Op::Ne,
                    "<" => Op::Lt,
                    "≤" => Op::Le,
                    ">" => Op::Gt,
                    _ => Op::Ge,
                };
                if matches!(ta, Ty::Bool | Ty::Str | Ty::Code(_)) && !matches!(op, Op::Eq | Op::Ne)
                {
                    return Err("ordering comparison on a non-ordered value".into());
                }
                C::Cmp(op, ea, eb)
            }
            Cx::InSet { neg, e, set } => {
                let (ee, t) = self.e(e, None)?;
                let Ty::Code(f) = t else {
                    return Err(format!("∈ needs an enum on the left, got {t:?}"));
                };
                let codes = set
                    .iter()
                    .map(|c| self.code_in(f, c))
                    .collect::<Result<_, _>>()?;
                C::InCodes {
                    neg: *neg,
                    e: ee,
                    codes,
                }
            }
            Cx::Intersects(e, set) => {
                let (ee, m) = self.set_mask(e, set)?;
                C::Intersects(ee, m)
            }
            Cx::Subset(e, set) => {
                let (ee, m) = self.set_mask(e, set)?;
                C::Subset(ee, m)
            }
            Cx::LacksAny(e, set) => {
                let (ee, m) = self.set_mask(e, set)?;
                C::LacksAny(ee, m)
            }
        })
    }

    fn set_mask(&mut self, e: &Ex, set: &[String]) -> Result<(E, u64), String> {
        let (ee, t) = self.e(e, None)?;
        let Ty::Set(f) = t else {
            return Err(format!("set operation needs a multi-select, got {t:?}"));
        };
        let mut m = 0u64;
        for c in set {
            let code = self.code_in(f, c)?;
            let bit = self.table.fields[f]
                .full_domain
                .iter()
                .position(|x| *x == code)
                .expect("code_in checked");
            m |= 1 << bit;
        }
        Ok((ee, m))
    }

    fn kind_bit(&self, k: &str) -> Result<u32, String> {
        self.table
            .attachment_kinds
            .iter()
            .position(|(c, _)| *c == k)
            .map(|p| p as u32)
            .ok_or_else(|| format!("unknown attachment kind {k}"))
    }

    fn code_in(&self, field: usize, code: &str) -> Result<&'static str, String> {
        let f = &self.table.fields[field];
        f.full_domain
            .iter()
            .copied()
            .find(|c| *c == code)
            .ok_or_else(|| format!("`{code}` is not a code of {}", f.path))
    }

    fn check_cmp(&self, a: Ty, b: Ty) -> Result<(), String> {
        let ok = match (a, b) {
            (Ty::Code(_), Ty::Code(_)) => true,
            (Ty::IntLit, Ty::Int) | (Ty::Int, Ty::IntLit) | (Ty::IntLit, Ty::IntLit) => true,
            _ => a == b,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("cannot compare {a:?} with {b:?}"))
        }
    }

    /// Compiles an expression; `hint` is the type of the other operand (to type enum codes and
    /// integer literals against it).
    fn e(&mut self, ex: &Ex, hint: Option<Ty>) -> Result<(E, Ty), String> {
        Ok(match ex {
            Ex::Int(n) => match hint {
                Some(Ty::Wan) => (E::Wan(n * 100), Ty::Wan),
                _ => (E::Int(*n), Ty::IntLit),
            },
            Ex::Dec(n) => (E::Wan(*n), Ty::Wan),
            Ex::Name(n) if n == "true" || n == "false" => (E::Bool(n == "true"), Ty::Bool),
            Ex::Name(n) => {
                if let Some(Ty::Code(f)) = hint {
                    // an enum code of the other operand's domain wins over a same-named field
                    if let Ok(c) = self.code_in(f, n) {
                        return Ok((E::Code(c), Ty::Code(f)));
                    }
                }
                if let Some(i) = self.field(n) {
                    if let Some(l) = self.table.fields[i].list {
                        if self.scope != Some(l) {
                            return Err(format!(
                                "{n} is a field of list entries; use it inside some/no/Σ"
                            ));
                        }
                    }
                    self.reads.push(i);
                    (E::Field(i), self.ty_of(i))
                } else if let Some(src) = self.def(n) {
                    let ex = parse_expr(src).map_err(|e| format!("in {n}: {e}"))?;
                    self.depth += 1;
                    if self.depth > 8 {
                        return Err(format!("definition {n} is recursive"));
                    }
                    let r = self.e(&ex, hint);
                    self.depth -= 1;
                    r?
                } else if let Some(Ty::Code(f)) = hint {
                    (E::Code(self.code_in(f, n)?), Ty::Code(f))
                } else {
                    return Err(format!("unknown name `{n}`"));
                }
            }
            Ex::Call(f, args) => {
                let want = |n: usize| {
                    if args.len() == n {
                        Ok(())
                    } else {
                        Err(format!("{f} takes {n} arguments"))
                    }
                };
                match f.as_str() {
                    "year" => {
                        want(1)?;
                        let (a, t) = self.e(&args[0], None)?;
                        expect(t, Ty::Date)?;
                        (E::Year(Box::new(a)), Ty::Int)
                    }
                    "date" => {
                        want(3)?;
                        let mut v = Vec::new();
                        for a in args {
                            let (e, t) = self.e(a, Some(Ty::Int))?;
                            expect_int(t)?;
                            v.push(e);
                        }
                        let [a, b, c]: [E; 3] = v.try_into().map_err(|_| "arity")?;
                        (E::MakeDate(Box::new([a, b, c])), Ty::Date)
                    }
                    "add_months" | "add_working_days" => {
                        want(2)?;
                        let (d, t) = self.e(&args[0], None)?;
                        expect(t, Ty::Date)?;
                        let (n, tn) = self.e(&args[1], Some(Ty::Int))?;
                        expect_int(tn)?;
                        if f == "add_months" {
                            (E::AddMonths(Box::new(d), Box::new(n)), Ty::Date)
                        } else {
                            (E::AddWorkingDays(Box::new(d), Box::new(n)), Ty::Date)
                        }
                    }
                    "max" => {
                        want(2)?;
                        let (mut a, mut ta) = self.e(&args[0], hint)?;
                        let (b, tb) = self.e(&args[1], Some(ta))?;
                        if ta == Ty::IntLit && tb != Ty::IntLit {
                            (a, ta) = self.e(&args[0], Some(tb))?;
                        }
                        self.check_cmp(ta, tb)?;
                        let t = if ta == Ty::IntLit { tb } else { ta };
                        (E::Max(Box::new(a), Box::new(b)), t)
                    }
                    _ => return Err(format!("unknown function {f}")),
                }
            }
            Ex::Bin(op, a, b) => {
                let (mut ea, mut ta) = self.e(a, hint)?;
                let (eb, tb) = self.e(b, if *op == "×" { Some(Ty::Int) } else { Some(ta) })?;
                if ta == Ty::IntLit && tb != Ty::IntLit && *op != "×" {
                    (ea, ta) = self.e(a, Some(tb))?;
                }
                let t = match (*op, ta, tb) {
                    ("×", Ty::Wan, Ty::IntLit | Ty::Int) => Ty::Wan,
                    ("×", Ty::Int | Ty::IntLit, Ty::Int | Ty::IntLit) => Ty::Int,
                    ("+" | "−", Ty::Int | Ty::IntLit, Ty::Int | Ty::IntLit) => Ty::Int,
                    ("+" | "−", Ty::Wan, Ty::Wan) => Ty::Wan,
                    _ => return Err(format!("cannot apply {op} to {ta:?} and {tb:?}")),
                };
                let (a, b) = (Box::new(ea), Box::new(eb));
                let e = match *op {
                    "+" => E::Add(a, b),
                    "−" => E::Sub(a, b),
                    _ => E::Mul(a, b),
                };
                (e, t)
            }
            Ex::SubDays(a, n) => {
                let (e, t) = self.e(a, None)?;
                expect(t, Ty::Date)?;
                (E::SubDays(Box::new(e), *n), Ty::Date)
            }
            Ex::Agg {
                f,
                list,
                filter,
                body,
            } => {
                let l = self.list(list)?;
                self.reads.push(l);
                let (flt, (b, t)) = self.with_scope(l, |s| {
                    let flt = filter.as_ref().map(|c| s.c(c)).transpose()?;
                    Ok((flt, s.e(body, hint)?))
                })?;
                if *f == "Σ" {
                    if !matches!(t, Ty::Wan | Ty::Int) {
                        return Err("Σ sums amounts or integers".into());
                    }
                    (
                        E::Sum {
                            list: l,
                            filter: flt.map(Box::new),
                            body: Box::new(b),
                        },
                        t,
                    )
                } else {
                    if flt.is_some() {
                        return Err("min takes no filter".into());
                    }
                    (
                        E::Min {
                            list: l,
                            body: Box::new(b),
                        },
                        t,
                    )
                }
            }
        })
    }
}

fn expect(t: Ty, want: Ty) -> Result<(), String> {
    if t == want {
        Ok(())
    } else {
        Err(format!("expected {want:?}, got {t:?}"))
    }
}
fn expect_int(t: Ty) -> Result<(), String> {
    if matches!(t, Ty::Int | Ty::IntLit) {
        Ok(())
    } else {
        Err(format!("expected an integer, got {t:?}"))
    }
}

// ---------------------------------------------------------------- evaluation

/// A typed field value after format checks (spec §0.5: malformed values are not usable).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val<'a> {
    Absent,
    Bad,
    Bool(bool),
    Int(i64),
    Wan(i64),
    Date(Date),
    Str(&'a str),
    Code(&'static str),
    Set(u64),
    Present,
}

/// The typed document: root slots and, per list field, the slots of each entry.
pub struct Doc<'a> {
    pub root: Vec<Val<'a>>,
    /// Indexed by list field index: entries, each a slot vector.
    pub lists: Vec<Vec<Vec<Val<'a>>>>,
    pub attached: u64,
}

/// Result of evaluating an expression.
#[derive(Clone, Copy, Debug, PartialEq)]
enum V<'a> {
    /// Absent or malformed: every comparison on it is false.
    No,
    /// A working-day walk left the loaded calendar.
    Beyond,
    Bool(bool),
    Int(i64),
    Date(Date),
    Str(&'a str),
    Code(&'static str),
    Set(u64),
    Obj,
}

/// Evaluation context. `trace`, when set, collects (field, entry) pairs read.
pub struct Ctx<'d, 'a> {
    pub table: &'d FieldTable,
    pub doc: &'d Doc<'a>,
    pub cal: &'d Calendar,
    pub elem: Option<(usize, usize)>,
    pub trace: Option<Vec<(usize, Option<usize>)>>,
    /// Attachment set override (for the checklist's counterfactuals).
    pub attached: u64,
}

impl<'d, 'a> Ctx<'d, 'a> {
    pub fn new(table: &'d FieldTable, doc: &'d Doc<'a>, cal: &'d Calendar) -> Self {
        Ctx {
            table,
            doc,
            cal,
            elem: None,
            trace: None,
            attached: doc.attached,
        }
    }

    fn read(&mut self, f: usize) -> Val<'a> {
        let info = &self.table.fields[f];
        match info.list {
            None => {
                if let Some(t) = &mut self.trace {
                    t.push((f, None));
                }
                self.doc.root[info.slot]
            }
            Some(l) => match self.elem {
                Some((el, i)) if el == l => {
                    if let Some(t) = &mut self.trace {
                        t.push((f, Some(i)));
                    }
                    // an entry that is not an object has no slots: it is malformed
                    self.doc.lists[l]
                        .get(i)
                        .and_then(|e| e.get(info.slot))
                        .copied()
                        .unwrap_or(Val::Bad)
                }
                _ => Val::Absent,
            },
        }
    }

    /// `Ok(n)` for a present list, `Err(true)` when absent, `Err(false)` when malformed.
    fn entries(&mut self, list: usize) -> Result<usize, bool> {
        let n = self.doc.lists[list].len();
        match self.read(list) {
            Val::Present if n > 0 => Ok(n),
            Val::Bad => Err(false),
            _ => Err(true),
        }
    }

    fn ev(&mut self, e: &E) -> V<'a> {
        match e {
            E::Field(f) => match self.read(*f) {
                Val::Absent | Val::Bad => V::No,
                Val::Bool(b) => V::Bool(b),
                Val::Int(n) | Val::Wan(n) => V::Int(n),
                Val::Date(d) => V::Date(d),
                Val::Str(s) => V::Str(s),
                Val::Code(c) => V::Code(c),
                Val::Set(s) => V::Set(s),
                Val::Present => V::Obj,
            },
            E::Int(n) | E::Wan(n) => V::Int(*n),
            E::Bool(b) => V::Bool(*b),
            E::Code(c) => V::Code(c),
            E::Year(a) => match self.ev(a) {
                V::Date(d) => V::Int(i64::from(d.year())),
                _ => V::No,
            },
            E::MakeDate(args) => {
                let [a, b, c] = &**args;
                match (self.ev(a), self.ev(b), self.ev(c)) {
                    (V::Int(y), V::Int(m), V::Int(d)) => i32::try_from(y)
                        .ok()
                        .zip(u32::try_from(m).ok())
                        .zip(u32::try_from(d).ok())
                        .and_then(|((y, m), d)| Date::from_ymd(y, m, d))
                        .map_or(V::No, V::Date),
                    _ => V::No,
                }
            }
            E::AddMonths(d, n) => match (self.ev(d), self.ev(n)) {
                (V::Date(d), V::Int(n)) => i32::try_from(n)
                    .ok()
                    .and_then(|n| d.add_months(n))
                    .map_or(V::No, V::Date),
                _ => V::No,
            },
            E::AddWorkingDays(d, n) => match (self.ev(d), self.ev(n)) {
                (V::Date(d), V::Int(n)) => match u32::try_from(n) {
                    Ok(n) => self.cal.add_working_days(d, n).map_or(V::Beyond, V::Date),
                    Err(_) => V::No,
                },
                _ => V::No,
            },
            E::SubDays(a, n) => match self.ev(a) {
                V::Date(d) => i32::try_from(*n).map_or(V::No, |n| V::Date(d.add_days(-n))),
                v => v,
            },
            E::Add(a, b) | E::Sub(a, b) | E::Mul(a, b) => match (self.ev(a), self.ev(b)) {
                (V::Int(x), V::Int(y)) => {
                    let r = match e {
                        E::Add(..) => x.checked_add(y),
                        E::Sub(..) => x.checked_sub(y),
                        _ => x.checked_mul(y),
                    };
                    r.map_or(V::No, V::Int)
                }
                _ => V::No,
            },
            E::Max(a, b) => match (self.ev(a), self.ev(b)) {
                (V::Int(x), V::Int(y)) => V::Int(x.max(y)),
                (V::Date(x), V::Date(y)) => V::Date(x.max(y)),
                _ => V::No,
            },
            E::Sum { list, filter, body } => {
                let Ok(n) = self.entries(*list) else {
                    return V::No;
                };
                let saved = self.elem;
                let mut total: i64 = 0;
                let mut ok = true;
                for i in 0..n {
                    self.elem = Some((*list, i));
                    if filter.as_ref().is_some_and(|c| !self.cond(c)) {
                        continue;
                    }
                    match self.ev(body) {
                        V::Int(v) => total = total.saturating_add(v),
                        _ => ok = false,
                    }
                }
                self.elem = saved;
                if ok {
                    V::Int(total)
                } else {
                    V::No
                }
            }
            E::Min { list, body } => {
                let Ok(n) = self.entries(*list) else {
                    return V::No;
                };
                let saved = self.elem;
                let mut best: Option<i64> = None;
                let mut ok = true;
                for i in 0..n {
                    self.elem = Some((*list, i));
                    match self.ev(body) {
                        V::Int(v) => best = Some(best.map_or(v, |b| b.min(v))),
                        _ => ok = false,
                    }
                }
                self.elem = saved;
                match (ok, best) {
                    (true, Some(b)) => V::Int(b),
                    _ => V::No,
                }
            }
        }
    }

    /// The enum code an expression evaluates to, if any.
    pub fn code_of(&mut self, e: &E) -> Option<&'static str> {
        match self.ev(e) {
            V::Code(c) => Some(c),
            _ => None,
        }
    }

    fn compare(op: Op, a: V, b: V) -> bool {
        use std::cmp::Ordering;
        let ord: Option<Ordering> = match (a, b) {
            (V::Int(x), V::Int(y)) => Some(x.cmp(&y)),
            (V::Date(x), V::Date(y)) => Some(x.cmp(&y)),
            (V::Bool(x), V::Bool(y)) => Some(x.cmp(&y)),
            (V::Str(x), V::Str(y)) => Some(x.cmp(y)),
            (V::Code(x), V::Code(y)) => Some(x.cmp(y)),
            _ => None,
        };
        let Some(o) = ord else { return false };
        match op {
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
        }
    }

    fn is_absent(&mut self, e: &E) -> bool {
        match e {
            E::Field(f) => matches!(self.read(*f), Val::Absent),
            _ => false,
        }
    }

    pub fn cond(&mut self, c: &C) -> bool {
        match c {
            C::Or(v) => v.iter().any(|c| self.cond(c)),
            C::And(v) => v.iter().all(|c| self.cond(c)),
            C::Not(c) => !self.cond(c),
            C::Const(b) => *b,
            C::HasBit(b) => {
                self.read_attachments();
                self.attached >> b & 1 == 1
            }
            C::HasField(f) => {
                self.read_attachments();
                match self.ev(&E::Field(*f)) {
                    V::Code(code) => self
                        .table
                        .attachment_kinds
                        .iter()
                        .position(|(k, _)| *k == code)
                        .is_some_and(|b| self.attached >> b & 1 == 1),
                    _ => false,
                }
            }
            C::AnyNotAttached(m) => {
                self.read_attachments();
                self.attached & m != *m
            }
            C::Quant { some, list, cond } => {
                let n = match self.entries(*list) {
                    Ok(n) => n,
                    Err(absent) => return absent && !*some,
                };
                let saved = self.elem;
                let mut found = false;
                for i in 0..n {
                    self.elem = Some((*list, i));
                    if self.cond(cond) {
                        found = true;
                        break;
                    }
                }
                self.elem = saved;
                found == *some
            }
            C::Duplicates { list, body } => {
                let Ok(n) = self.entries(*list) else {
                    return false;
                };
                let saved = self.elem;
                let mut seen: Vec<V> = Vec::with_capacity(n);
                let mut dup = false;
                for i in 0..n {
                    self.elem = Some((*list, i));
                    let v = self.ev(body);
                    if matches!(v, V::No | V::Beyond) {
                        continue;
                    }
                    if seen.contains(&v) {
                        dup = true;
                        break;
                    }
                    seen.push(v);
                }
                self.elem = saved;
                dup
            }
            C::Absent(e) => self.is_absent(e),
            // `present` is a comparison: a malformed value is not present (§0.5).
            C::Present(e) => !matches!(self.ev(e), V::No | V::Beyond),
            C::IsNot(a, b) => {
                if self.is_absent(a) {
                    return true;
                }
                let (x, y) = (self.ev(a), self.ev(b));
                !matches!(x, V::No | V::Beyond) && Self::compare(Op::Ne, x, y)
            }
            C::Defined(e) => !matches!(self.ev(e), V::No | V::Beyond),
            C::Beyond(e) => matches!(self.ev(e), V::Beyond),
            C::Cmp(op, a, b) => {
                let x = self.ev(a);
                if matches!(x, V::No | V::Beyond) {
                    return false;
                }
                let y = self.ev(b);
                Self::compare(*op, x, y)
            }
            C::InCodes { neg, e, codes } => match self.ev(e) {
                V::Code(c) => codes.contains(&c) != *neg,
                _ => false,
            },
            C::Intersects(e, m) => matches!(self.ev(e), V::Set(s) if s & m != 0),
            C::Subset(e, m) => matches!(self.ev(e), V::Set(s) if s != 0 && s & !m == 0),
            C::LacksAny(e, m) => matches!(self.ev(e), V::Set(s) if s & m != *m),
        }
    }

    fn read_attachments(&mut self) {
        if let Some(t) = &mut self.trace {
            if let Some(i) = self
                .table
                .fields
                .iter()
                .position(|f| f.path == "attachments")
            {
                t.push((i, None));
            }
        }
    }
}

/// Checks that an enum name exists (used by the table builder).
pub fn domain_of(name: &str) -> Vec<&'static str> {
    enum_def(name)
        .map(|d| d.values.iter().map(|(c, _)| *c).collect())
        .unwrap_or_default()
}

/// The fields a condition reads, without compiling it against a table (for docs).
pub fn parse_check(src: &str) -> Result<(), String> {
    parse_cond(src).map(|_| ())
}
