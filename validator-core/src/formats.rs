//! Hand-written matchers for the fixed formats of spec §2.1 and §3.1. They implement exactly
//! the regular expressions the spec gives (quoted on each function) without pulling the regex
//! crate and its Unicode tables into the browser bundle.

const CS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const W: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn cs_index(c: u8) -> Option<u32> {
    CS.iter().position(|&x| x == c).map(|i| i as u32)
}

/// 18 characters from `0-9 A-H J-N P Q R T U W X Y` (GB 32100-2015 character set).
pub fn credit_code_format_ok(s: &str) -> bool {
    s.len() == 18 && s.bytes().all(|c| cs_index(c).is_some())
}

/// GB 32100-2015 check character: c18 = CS[(31 − Σ v(ci)·wi mod 31) mod 31].
/// Callers check the format first; returns false for malformed input.
pub fn credit_code_check_ok(s: &str) -> bool {
    credit_code_check_char(s).is_some_and(|c| s.as_bytes().get(17) == Some(&c))
}

/// The check character the first 17 characters call for.
pub fn credit_code_check_char(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    if b.len() < 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, w) in W.iter().enumerate() {
        sum += cs_index(b[i])? * w;
    }
    // The outer `mod 31` matters when the weighted sum is ≡ 0 (mod 31): 31 − 0 = 31 → '0'.
    Some(CS[((31 - sum % 31) % 31) as usize])
}

fn digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

/// `^1[3-9][0-9]{9}$`
pub fn mobile_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && digits(&b[2..])
}

/// `^0[0-9]{2,3}-[2-9][0-9]{6,7}(-[0-9]{1,6})?$`
pub fn landline_ok(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(area), Some(num)) = (parts.next(), parts.next()) else {
        return false;
    };
    let ext = parts.next();
    if parts.next().is_some() {
        return false;
    }
    let (a, n) = (area.as_bytes(), num.as_bytes());
    let area_ok = (3..=4).contains(&a.len()) && a[0] == b'0' && digits(a);
    let num_ok = (7..=8).contains(&n.len()) && (b'2'..=b'9').contains(&n[0]) && digits(n);
    let ext_ok = ext.is_none_or(|e| (1..=6).contains(&e.len()) && digits(e.as_bytes()));
    area_ok && num_ok && ext_ok
}

/// ≤ 254 characters and `^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$`
pub fn email_ok(s: &str) -> bool {
    if s.chars().count() > 254 {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._%+-".contains(&c));
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let (tld, rest) = labels.split_last().expect("len >= 2");
    let rest_ok = rest
        .iter()
        .all(|l| !l.is_empty() && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'));
    let tld_ok = tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic());
    local_ok && rest_ok && tld_ok
}

/// `^[0-9a-f]{64}$`
pub fn sha256_ok(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// `^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$`
pub fn project_code_ok(s: &str) -> bool {
    let lens = [4, 6, 2, 2, 6];
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip(lens)
            .all(|(p, l)| p.len() == l && digits(p.as_bytes()))
}

/// `str::trim` (Unicode white space), answered without decoding when the first and the last
/// character are certainly not white space: printable ASCII, or a character whose UTF-8 lead
/// byte is 0xE4 or above (U+4000 and beyond: CJK ideographs; the last white-space character is
/// U+3000, lead byte 0xE3). That is nearly every value a form holds.
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let solid = |c: u8| (0x21..0x7f).contains(&c) || c >= 0xe4;
    if let (Some(&first), Some(&last)) = (b.first(), b.last()) {
        let mut i = b.len() - 1;
        if last >= 0x80 {
            // back to the last character's lead byte
            while i > 0 && (0x80..0xc0).contains(&b[i]) {
                i -= 1;
            }
        }
        if solid(first) && solid(b[i]) {
            return s;
        }
    }
    s.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_from_the_cases_are_valid() {
        for c in [
            "114408040073500118",
            "11511900008745015K",
            "91350100M000100Y43",
        ] {
            assert!(credit_code_format_ok(c) && credit_code_check_ok(c), "{c}");
        }
        assert!(!credit_code_check_ok("114408040073500110"));
    }

    #[test]
    fn weighted_sum_zero_mod_31_gives_check_char_zero() {
        // Σ v·w ≡ 0 (mod 31): a naive `31 − sum % 31` yields index 31 (out of range) —
        // the bug of one popular JS validator. The second mod 31 maps it to '0'.
        // "00000000000000000" has sum 0 → check char '0'.
        assert_eq!(credit_code_check_char("00000000000000000"), Some(b'0'));
        assert!(credit_code_check_ok("000000000000000000"));
        // A realistic-looking code whose weighted sum is a non-zero multiple of 31.
        let body = find_body_with_zero_sum();
        let code = format!("{body}0");
        assert!(
            credit_code_format_ok(&code) && credit_code_check_ok(&code),
            "{code}"
        );
    }

    fn find_body_with_zero_sum() -> String {
        // Vary the last three characters of a plausible prefix until the weighted sum ≡ 0.
        let prefix = b"91440300MA5";
        for a in CS.iter() {
            for b in CS.iter() {
                let mut body = prefix.to_vec();
                body.extend_from_slice(&[b'1', b'2', b'3', b'4', *a, *b]);
                let sum: u32 = body
                    .iter()
                    .zip(W)
                    .map(|(c, w)| cs_index(*c).unwrap() * w)
                    .sum();
                if sum.is_multiple_of(31) && sum > 0 {
                    return String::from_utf8(body).unwrap();
                }
            }
        }
        unreachable!("some pair reaches every residue")
    }

    #[test]
    fn credit_code_charset() {
        for bad in [
            "11440804007350011",
            "1144080400735001180",
            "11440804007350011I",
            "11440804007350011o",
            "11440804007350011Z",
            "11440804007350011 ",
        ] {
            assert!(!credit_code_format_ok(bad), "{bad}");
        }
    }

    #[test]
    fn phones_and_mail() {
        assert!(
            mobile_ok("13902601234")
                && !mobile_ok("12812345678")
                && !mobile_ok("+8613902601234")
                && !mobile_ok("139 0260 1234")
        );
        assert!(
            landline_ok("0759-3312345")
                && landline_ok("010-23456789-123")
                && !landline_ok("07593312345")
        );
        assert!(
            !landline_ok("0759-1312345")
                && !landline_ok("0759-3312345-")
                && !landline_ok("0759-3312345-1234567")
        );
        assert!(
            email_ok("ptsl@example.org")
                && email_ok("a.b+c@mail.gov.cn")
                && !email_ok("ptsl@example")
                && !email_ok("@x.cn")
        );
        assert!(!email_ok("a@b..cn") && !email_ok("a@.cn") && !email_ok("a@b.c1"));
        assert!(
            project_code_ok("2025-440804-65-01-000123")
                && !project_code_ok("2025-44080-65-01-000123")
        );
        assert!(sha256_ok(&"a".repeat(64)) && !sha256_ok(&"A".repeat(64)));
    }

    #[test]
    fn trim_is_str_trim() {
        let ws: Vec<char> = (0..=0x3001u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        let mut ends: Vec<String> = ws.iter().map(|c| c.to_string()).collect();
        ends.extend(
            [
                "", "a", "~", "\u{7f}", "\u{80}", "é", "中", "\u{3001}", "\u{4000}", "😀", "\u{0}",
                "x y",
            ]
            .map(String::from),
        );
        for a in &ends {
            for b in &ends {
                for mid in ["", "项目", "a b", " "] {
                    let s = format!("{a}{mid}{b}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
    }
}
