//! The built-in conditions, compiled ahead of time (feature `precompiled`, used by the browser
//! bundle).
//!
//! Natively the engine compiles every condition of a (pack, form) from the rule language on
//! first use ([`crate::dsl::Compiler`]). The browser does not need the lexer, parser and type
//! checker — about a sixth of the module's code — to run conditions that never change, so
//! [`build`] compiles every offered (pack, form) here, writes the results in the small binary
//! code below, and `precompiled.bin` keeps them; with the feature on, the engine reads that file
//! instead of compiling (see [`load`]) and the linker drops the compiler.
//!
//! `precompiled.bin` is generated: `SHENBAO_BLESS=1 cargo test -p validator-core --test
//! generated_docs` rewrites it, and the same test fails while it differs from what the sources
//! compile to. The wasm parity tests check the reports the browser computes from it against the
//! native ones, case by case.
//!
//! ## Format
//! Unsigned integers are LEB128, signed ones zigzag LEB128, strings a length and UTF-8 bytes.
//! ```text
//! file   := "SBC1" pool combos
//! pool   := n (len cond){n}              every distinct compiled condition, once (len: bytes)
//! combos := n (pack form nfields req{nfields} nrules rule{nrules}){n}
//! req    := 0 (optional) | 1 + pool index
//! rule   := pool index  nreads  field{nreads}
//! ```
//! `pack` indexes [`PACKS`], `form` [`FormKind::ALL`]; the rules of a combination come in the
//! engine's order (common, then the pack, those of the form). Condition and expression nodes are
//! a tag byte followed by their operands, in the order of the fields of [`C`] and [`E`].

use crate::dsl::{Op, C, E};
use crate::model::FormKind;
use crate::packs::PACKS;

const MAGIC: &[u8; 4] = b"SBC1";

// ---------------------------------------------------------------- writing

struct W(Vec<u8>);

impl W {
    fn u(&mut self, mut x: u64) {
        loop {
            let b = (x & 0x7f) as u8;
            x >>= 7;
            if x == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }
    fn i(&mut self, x: i64) {
        self.u(((x << 1) ^ (x >> 63)) as u64);
    }
    fn n(&mut self, x: usize) {
        self.u(x as u64);
    }
    fn s(&mut self, s: &str) {
        self.n(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn tag(&mut self, t: u8) {
        self.0.push(t);
    }

    fn e(&mut self, e: &E) {
        match e {
            E::Field(f) => {
                self.tag(0);
                self.n(*f);
            }
            E::Int(x) => {
                self.tag(1);
                self.i(*x);
            }
            E::Wan(x) => {
                self.tag(2);
                self.i(*x);
            }
            E::Bool(b) => {
                self.tag(3);
                self.tag(*b as u8);
            }
            E::Code(c) => {
                self.tag(4);
                self.s(c);
            }
            E::Year(a) => {
                self.tag(5);
                self.e(a);
            }
            E::MakeDate(abc) => {
                self.tag(6);
                abc.iter().for_each(|x| self.e(x));
            }
            E::AddMonths(a, b) => self.e2(7, a, b),
            E::AddWorkingDays(a, b) => self.e2(8, a, b),
            E::SubDays(a, d) => {
                self.tag(9);
                self.e(a);
                self.i(*d);
            }
            E::Add(a, b) => self.e2(10, a, b),
            E::Sub(a, b) => self.e2(11, a, b),
            E::Mul(a, b) => self.e2(12, a, b),
            E::Max(a, b) => self.e2(13, a, b),
            E::Sum { list, filter, body } => {
                self.tag(14);
                self.n(*list);
                match filter {
                    None => self.tag(0),
                    Some(c) => {
                        self.tag(1);
                        self.c(c);
                    }
                }
                self.e(body);
            }
            E::Min { list, body } => {
                self.tag(15);
                self.n(*list);
                self.e(body);
            }
        }
    }
    fn e2(&mut self, t: u8, a: &E, b: &E) {
        self.tag(t);
        self.e(a);
        self.e(b);
    }

    fn c(&mut self, c: &C) {
        match c {
            C::Or(v) | C::And(v) => {
                self.tag(if matches!(c, C::Or(_)) { 0 } else { 1 });
                self.n(v.len());
                v.iter().for_each(|x| self.c(x));
            }
            C::Not(x) => {
                self.tag(2);
                self.c(x);
            }
            C::Const(b) => {
                self.tag(3);
                self.tag(*b as u8);
            }
            C::HasBit(b) => {
                self.tag(4);
                self.u(*b as u64);
            }
            C::HasField(f) => {
                self.tag(5);
                self.n(*f);
            }
            C::AnyNotAttached(m) => {
                self.tag(6);
                self.u(*m);
            }
            C::Quant { some, list, cond } => {
                self.tag(7);
                self.tag(*some as u8);
                self.n(*list);
                self.c(cond);
            }
            C::Duplicates { list, body } => {
                self.tag(8);
                self.n(*list);
                self.e(body);
            }
            C::Absent(e) => self.c1(9, e),
            C::Present(e) => self.c1(10, e),
            C::IsNot(a, b) => {
                self.tag(11);
                self.e(a);
                self.e(b);
            }
            C::Defined(e) => self.c1(12, e),
            C::Beyond(e) => self.c1(13, e),
            C::Cmp(op, a, b) => {
                self.tag(14);
                self.tag(match op {
                    Op::Eq => 0,
                    Op::Ne => 1,
                    Op::Lt => 2,
                    Op::Le => 3,
                    Op::Gt => 4,
                    Op::Ge => 5,
                });
                self.e(a);
                self.e(b);
            }
            C::InCodes { neg, e, codes } => {
                self.tag(15);
                self.tag(*neg as u8);
                self.e(e);
                self.n(codes.len());
                codes.iter().for_each(|s| self.s(s));
            }
            C::Intersects(e, m) => self.cm(16, e, *m),
            C::Subset(e, m) => self.cm(17, e, *m),
            C::LacksAny(e, m) => self.cm(18, e, *m),
        }
    }
    fn c1(&mut self, t: u8, e: &E) {
        self.tag(t);
        self.e(e);
    }
    fn cm(&mut self, t: u8, e: &E, m: u64) {
        self.tag(t);
        self.e(e);
        self.u(m);
    }
}

/// Compiles every offered (pack, form) from the rule language and encodes the results
/// (the contents `precompiled.bin` must have).
pub fn build() -> Result<Vec<u8>, String> {
    let mut pool: Vec<Vec<u8>> = Vec::new();
    let mut intern = |c: &C| -> usize {
        let mut w = W(Vec::new());
        w.c(c);
        match pool.iter().position(|p| *p == w.0) {
            Some(i) => i,
            None => {
                pool.push(w.0);
                pool.len() - 1
            }
        }
    };
    let mut combos = W(Vec::new());
    let mut count = 0;
    for (pi, pack) in PACKS.iter().enumerate() {
        for (fi, form) in FormKind::ALL.iter().enumerate() {
            if !pack.offers(*form) {
                continue;
            }
            let (required, rules) = crate::engine::compile_conditions(pack, *form)?;
            count += 1;
            combos.n(pi);
            combos.n(fi);
            combos.n(required.len());
            for r in &required {
                match r {
                    None => combos.n(0),
                    Some(c) => combos.n(intern(c) + 1),
                }
            }
            combos.n(rules.len());
            for (cond, reads) in &rules {
                combos.n(intern(cond));
                combos.n(reads.len());
                reads.iter().for_each(|&f| combos.n(f));
            }
        }
    }
    let mut out = W(MAGIC.to_vec());
    out.n(pool.len());
    for p in &pool {
        out.n(p.len());
        out.0.extend_from_slice(p);
    }
    out.n(count);
    out.0.extend_from_slice(&combos.0);
    Ok(out.0)
}

// ---------------------------------------------------------------- reading

/// The generated file (see the module documentation).
#[cfg(feature = "precompiled")]
pub static PRECOMPILED: &[u8] = include_bytes!("precompiled.bin");

/// Compiled conditions of one (pack, form): per field its required-ness, per rule (in the
/// engine's order) its condition and the fields it reads.
pub type Conditions = (Vec<Option<C>>, Vec<(C, Vec<usize>)>);

struct R {
    b: &'static [u8],
    at: usize,
}

/// A damaged file (the reader's one error; [`decode`] names it): a unit error keeps the
/// reader small, since it runs in the browser.
#[derive(Debug)]
struct Bad;

type Res<T> = Result<T, Bad>;

impl R {
    fn byte(&mut self) -> Res<u8> {
        let x = *self.b.get(self.at).ok_or(Bad)?;
        self.at += 1;
        Ok(x)
    }
    fn u(&mut self) -> Res<u64> {
        let mut x = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            x |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(x);
            }
        }
        Err(Bad)
    }
    fn i(&mut self) -> Res<i64> {
        let x = self.u()?;
        Ok((x >> 1) as i64 ^ -((x & 1) as i64))
    }
    fn n(&mut self) -> Res<usize> {
        usize::try_from(self.u()?).map_err(|_| Bad)
    }
    fn flag(&mut self) -> Res<bool> {
        Ok(self.byte()? != 0)
    }
    fn s(&mut self) -> Res<&'static str> {
        let n = self.n()?;
        let bytes = self
            .b
            .get(self.at..self.at.checked_add(n).ok_or(Bad)?)
            .ok_or(Bad)?;
        self.at += n;
        std::str::from_utf8(bytes).map_err(|_| Bad)
    }
    fn bx(&mut self) -> Res<Box<E>> {
        Ok(Box::new(self.e()?))
    }

    fn e(&mut self) -> Res<E> {
        Ok(match self.byte()? {
            0 => E::Field(self.n()?),
            1 => E::Int(self.i()?),
            2 => E::Wan(self.i()?),
            3 => E::Bool(self.flag()?),
            4 => E::Code(self.s()?),
            5 => E::Year(self.bx()?),
            6 => E::MakeDate(Box::new([self.e()?, self.e()?, self.e()?])),
            7 => E::AddMonths(self.bx()?, self.bx()?),
            8 => E::AddWorkingDays(self.bx()?, self.bx()?),
            9 => E::SubDays(self.bx()?, self.i()?),
            10 => E::Add(self.bx()?, self.bx()?),
            11 => E::Sub(self.bx()?, self.bx()?),
            12 => E::Mul(self.bx()?, self.bx()?),
            13 => E::Max(self.bx()?, self.bx()?),
            14 => E::Sum {
                list: self.n()?,
                filter: if self.flag()? {
                    Some(Box::new(self.c()?))
                } else {
                    None
                },
                body: self.bx()?,
            },
            15 => E::Min {
                list: self.n()?,
                body: self.bx()?,
            },
            _ => return Err(Bad),
        })
    }

    fn c(&mut self) -> Res<C> {
        Ok(match self.byte()? {
            t @ (0 | 1) => {
                let v = (0..self.n()?).map(|_| self.c()).collect::<Res<_>>()?;
                if t == 0 {
                    C::Or(v)
                } else {
                    C::And(v)
                }
            }
            2 => C::Not(Box::new(self.c()?)),
            3 => C::Const(self.flag()?),
            4 => C::HasBit(u32::try_from(self.u()?).map_err(|_| Bad)?),
            5 => C::HasField(self.n()?),
            6 => C::AnyNotAttached(self.u()?),
            7 => C::Quant {
                some: self.flag()?,
                list: self.n()?,
                cond: Box::new(self.c()?),
            },
            8 => C::Duplicates {
                list: self.n()?,
                body: self.e()?,
            },
            9 => C::Absent(self.e()?),
            10 => C::Present(self.e()?),
            11 => C::IsNot(self.e()?, self.e()?),
            12 => C::Defined(self.e()?),
            13 => C::Beyond(self.e()?),
            14 => {
                let op = match self.byte()? {
                    0 => Op::Eq,
                    1 => Op::Ne,
                    2 => Op::Lt,
                    3 => Op::Le,
                    4 => Op::Gt,
                    5 => Op::Ge,
                    _ => return Err(Bad),
                };
                C::Cmp(op, self.e()?, self.e()?)
            }
            15 => C::InCodes {
                neg: self.flag()?,
                e: self.e()?,
                codes: (0..self.n()?).map(|_| self.s()).collect::<Res<_>>()?,
            },
            16 => C::Intersects(self.e()?, self.u()?),
            17 => C::Subset(self.e()?, self.u()?),
            18 => C::LacksAny(self.e()?, self.u()?),
            _ => return Err(Bad),
        })
    }
}

/// Reads the conditions of (pack `pi`, form `fi`) from `bytes` (the format of [`build`]);
/// `fields` is the length of the form's field table, checked against the file.
pub fn decode(
    bytes: &'static [u8],
    pi: usize,
    fi: usize,
    fields: usize,
) -> Result<Conditions, String> {
    match read(bytes, pi, fi) {
        Ok(Some((required, _))) if required.len() != fields => Err(format!(
            "precompiled conditions: {} fields, the table has {fields} (stale file)",
            required.len()
        )),
        Ok(Some(conditions)) => Ok(conditions),
        Ok(None) => Err(format!(
            "precompiled conditions: no entry for pack {pi} form {fi} (stale file)"
        )),
        Err(Bad) => Err("precompiled conditions: damaged file".into()),
    }
}

fn read(bytes: &'static [u8], pi: usize, fi: usize) -> Res<Option<Conditions>> {
    if bytes.get(..4) != Some(&MAGIC[..]) {
        return Err(Bad);
    }
    let mut r = R { b: bytes, at: 4 };
    // the pool: remember where each condition starts, decode only those this form uses
    let mut starts = Vec::new();
    for _ in 0..r.n()? {
        let len = r.n()?;
        starts.push(r.at);
        r.at = r.at.checked_add(len).ok_or(Bad)?;
    }
    let pool = |at: usize| -> Res<C> {
        R {
            b: bytes,
            at: *starts.get(at).ok_or(Bad)?,
        }
        .c()
    };
    for _ in 0..r.n()? {
        let (p, f, n) = (r.n()?, r.n()?, r.n()?);
        let mine = p == pi && f == fi;
        let mut required = Vec::new();
        for _ in 0..n {
            let k = r.n()?;
            if mine {
                required.push(if k == 0 { None } else { Some(pool(k - 1)?) });
            }
        }
        let mut rules = Vec::new();
        for _ in 0..r.n()? {
            let k = r.n()?;
            let reads = (0..r.n()?).map(|_| r.n()).collect::<Res<Vec<_>>>()?;
            if mine {
                rules.push((pool(k)?, reads));
            }
        }
        if mine {
            return Ok(Some((required, rules)));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every offered (pack, form) reads back exactly what the compiler produced.
    #[test]
    fn decoding_gives_back_the_compiled_conditions() {
        let bytes: &'static [u8] = build().unwrap().leak();
        let mut combos = 0;
        for (pi, pack) in PACKS.iter().enumerate() {
            for (fi, form) in FormKind::ALL.iter().enumerate() {
                if !pack.offers(*form) {
                    continue;
                }
                let want = crate::engine::compile_conditions(pack, *form).unwrap();
                let got = decode(bytes, pi, fi, want.0.len()).unwrap();
                assert!(got == want, "{} {}", pack.id, form.key());
                combos += 1;
            }
        }
        assert!(combos >= 37, "{combos} combinations");
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let bytes = build().unwrap();
        let n = crate::engine::compile_conditions(PACKS[0], FormKind::ALL[0])
            .unwrap()
            .0
            .len();
        // (a cut after the entry of pack 0, form 0 does not concern it)
        for cut in [0, 3, 4, 5, 6, bytes.len() / 4, bytes.len() / 2] {
            let short: &'static [u8] = bytes[..cut].to_vec().leak();
            assert!(decode(short, 0, 0, n).is_err(), "cut at {cut}");
        }
        let full: &'static [u8] = bytes.leak();
        assert!(decode(full, 0, 0, n + 1).unwrap_err().contains("stale"));
        assert!(decode(full, 99, 0, n).unwrap_err().contains("no entry"));
    }
}
