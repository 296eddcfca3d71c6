//! A direct JSON reader for [`J`]: the common case, fast.
//!
//! `serde_json`'s visitor-based path costs about a sixth of a validation in the browser. This
//! reader builds a [`J`] in one pass over the bytes and borrows every string without escapes.
//! It is deliberately partial: it returns `None` for anything it is not certain to read exactly
//! as `serde_json` does — malformed text, surrogate escapes, numbers other than plain integers
//! that fit 64 bits, nesting deeper than [`MAX_DEPTH`] — and [`J::parse`] then hands the text to
//! `serde_json`, which either reads it or reports the error (same message, same position). So the
//! two paths agree by construction on everything this reader declines, and the differential tests
//! (`validator-core/tests/json_fast.rs`) check they agree on everything it accepts.

use super::{normalize, J};
use std::borrow::Cow;

/// Deeper documents go to `serde_json` (whose own limit is 128).
const MAX_DEPTH: usize = 100;

/// `Some(document)` when `text` is JSON this reader handles, else `None` (see the module docs).
pub fn parse(text: &str) -> Option<J<'_>> {
    let mut r = Reader {
        s: text,
        b: text.as_bytes(),
        at: 0,
    };
    let v = r.value(0)?;
    r.ws();
    (r.at == r.b.len()).then_some(v)
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.b.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn lit(&mut self, word: &[u8], v: J<'a>) -> Option<J<'a>> {
        let end = self.at + word.len();
        (self.b.get(self.at..end) == Some(word)).then(|| {
            self.at = end;
            v
        })
    }

    /// After an opening bracket: `close`, or `item (',' item)* close`, the items read by `item`.
    fn items(
        &mut self,
        depth: usize,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.at += 1;
        if self.eat(close) {
            return Some(());
        }
        loop {
            item(self)?;
            if self.eat(close) {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<J<'a>> {
        self.ws();
        match *self.b.get(self.at)? {
            b'{' => {
                let mut members = Vec::new();
                self.items(depth, b'}', |r| {
                    r.ws();
                    if r.b.get(r.at) != Some(&b'"') {
                        return None;
                    }
                    let k = r.string()?;
                    if !r.eat(b':') {
                        return None;
                    }
                    members.push((k, r.value(depth + 1)?));
                    Some(())
                })?;
                Some(J::Obj(normalize(members)))
            }
            b'[' => {
                let mut items = Vec::new();
                self.items(depth, b']', |r| {
                    items.push(r.value(depth + 1)?);
                    Some(())
                })?;
                Some(J::Arr(items))
            }
            b'"' => self.string().map(J::Str),
            b't' => self.lit(b"true", J::Bool(true)),
            b'f' => self.lit(b"false", J::Bool(false)),
            b'n' => self.lit(b"null", J::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// A plain integer of at most 18 digits (what `serde_json` makes of it exactly); anything
    /// else — fractions, exponents, leading zeros, `-0`, longer integers — is left to `serde_json`.
    fn number(&mut self) -> Option<J<'a>> {
        let neg = self.b[self.at] == b'-';
        let start = self.at + neg as usize;
        let mut end = start;
        while let Some(b'0'..=b'9') = self.b.get(end) {
            end += 1;
        }
        let digits = self.s.get(start..end)?;
        if digits.is_empty()
            || (digits.len() > 1 && digits.starts_with('0'))
            || digits.len() > 18
            || matches!(self.b.get(end), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        let n: u64 = digits.parse().ok()?;
        if neg && n == 0 {
            return None; // serde_json reads `-0` as the float −0.0
        }
        self.at = end;
        Some(J::Num(if neg {
            serde_json::Number::from(-(n as i64))
        } else {
            serde_json::Number::from(n)
        }))
    }

    /// A string at `self.at` (which is `"`): borrowed when it has no escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at + 1;
        let mut i = skip_plain(self.b, start);
        loop {
            match *self.b.get(i)? {
                b'"' => {
                    self.at = i + 1;
                    return Some(Cow::Borrowed(self.s.get(start..i)?));
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
        // with escapes: copy, decoding them
        let mut out = String::with_capacity(i - start + 16);
        let mut run = start;
        loop {
            match *self.b.get(i)? {
                b'"' => {
                    out.push_str(self.s.get(run..i)?);
                    self.at = i + 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    out.push_str(self.s.get(run..i)?);
                    let c = match *self.b.get(i + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = self.s.get(i + 2..i + 6)?;
                            if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                                return None;
                            }
                            // surrogates (pairs or lone) are left to serde_json
                            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                        }
                        _ => return None,
                    };
                    out.push(c);
                    i += if self.b[i + 1] == b'u' { 6 } else { 2 };
                    run = i;
                }
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
    }
}

/// The index of the first byte at or after `i` that is `"`, `\\` or a control character (or
/// the length): eight bytes at a time, the first such byte found from the word's mask; byte by
/// byte only in the last few bytes of the text.
pub(crate) fn skip_plain(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // the high bit of every byte of x below n (n ≤ 0x80); a borrow can flag bytes above a byte
    // that is below n, never below it, so the lowest flag is exact
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGH;
    while let Some(w) = b.get(i..i + 8).and_then(|s| <[u8; 8]>::try_from(s).ok()) {
        let w = u64::from_le_bytes(w);
        let m = below(w ^ (ONES * b'"' as u64), 1)
            | below(w ^ (ONES * b'\\' as u64), 1)
            | below(w, 0x20);
        if m != 0 {
            // little-endian: the first byte of the text is the lowest of the word
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    #[test]
    fn skip_plain_stops_at_the_first_special_byte() {
        for text in [
            "",
            "abc",
            "abcdefghij\"x",
            "项目申报单位统一社会信用代码\"",
            "12345678\u{1}",
            "\\",
            "1234567\"",
            "123456789abcdef\\",
            // several special bytes in one word, and after multi-byte characters
            "ab\u{1}\"\\cdefghijkl",
            "abcdefg\u{1f}\u{1}\"xyz",
            "项目\\\"\u{0}申报表\"",
            "\u{7f}\u{80}\u{ff}ÿ\"",
        ] {
            let b = text.as_bytes();
            let want = b
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .unwrap_or(b.len());
            for from in 0..=b.len() {
                let w = b[from..]
                    .iter()
                    .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                    .map_or(b.len(), |p| p + from);
                assert_eq!(super::skip_plain(b, from), w, "{text:?} from {from}");
            }
            assert_eq!(super::skip_plain(b, 0), want);
        }
    }
}
