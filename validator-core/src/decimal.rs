//! 万元 amounts (spec §0.4): decimal strings held exactly as integers of 0.01 万元 (= 100 元).
//! No floating point anywhere; JSON numbers are rejected by the caller before this is reached.

/// Parses `^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$` into hundredths of 万元.
pub fn parse_wan(s: &str) -> Option<i64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let ib = int.as_bytes();
    if ib.is_empty()
        || ib.len() > 10
        || !ib.iter().all(u8::is_ascii_digit)
        || (ib.len() > 1 && ib[0] == b'0')
    {
        return None;
    }
    let mut v: i64 = ib.iter().fold(0, |a, &c| a * 10 + i64::from(c - b'0')) * 100;
    if let Some(f) = frac {
        let fb = f.as_bytes();
        if fb.is_empty() || fb.len() > 2 || !fb.iter().all(u8::is_ascii_digit) {
            return None;
        }
        v += i64::from(fb[0] - b'0') * 10;
        if fb.len() == 2 {
            v += i64::from(fb[1] - b'0');
        }
    }
    Some(v)
}

/// Formats hundredths of 万元 as a canonical decimal string with two places.
pub fn format_wan(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn accepts_the_spec_pattern() {
        assert_eq!(parse_wan("0"), Some(0));
        assert_eq!(parse_wan("0.5"), Some(50));
        assert_eq!(parse_wan("0.05"), Some(5));
        assert_eq!(parse_wan("30.00"), Some(3000));
        assert_eq!(parse_wan("200"), Some(20000));
        assert_eq!(parse_wan("9999999999.99"), Some(999_999_999_999));
        assert_eq!(parse_wan("1234567890"), Some(123_456_789_000));
    }
    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            ".5",
            "5.",
            "05",
            "00",
            "-1",
            "+1",
            "1.234",
            "1,000",
            "1e3",
            " 1",
            "1 ",
            "12345678901",
            "1.2.3",
            "١٢",
            "0x10",
            "NaN",
        ] {
            assert_eq!(parse_wan(bad), None, "{bad:?}");
        }
    }
    #[test]
    fn formats() {
        assert_eq!(format_wan(5), "0.05");
        assert_eq!(format_wan(-150), "-1.50");
        assert_eq!(format_wan(3000), "30.00");
    }
}
