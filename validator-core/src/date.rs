//! Calendar dates (proleptic Gregorian, read as Beijing dates) and the period arithmetic of
//! spec §0.5: `add_months` with month-end clamping (民法典第二百零一条、第二百零二条).

use std::fmt;

/// A calendar date, stored as days since 1970-01-01 so that comparisons and day arithmetic are
/// integer operations.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(i32);

impl Date {
    /// Builds a date; `None` if (y, m, d) is not a real calendar day or y is outside 0..=9999.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(0..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, real calendar day).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        Date::from_ymd(num(0..4)? as i32, num(5..7)?, num(8..10)?)
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }
    pub fn year(self) -> i32 {
        self.ymd().0
    }
    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.0 + 3).rem_euclid(7) as u32
    }
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }
    pub fn days(self) -> i32 {
        self.0
    }

    /// The same day-of-month `n` months later; if that month is shorter, its last day.
    /// 2024-02-29 + 12 → 2025-02-28; 2025-01-31 + 1 → 2025-02-28.
    pub fn add_months(self, n: i32) -> Option<Date> {
        let (y, m, d) = self.ymd();
        let total = y * 12 + (m as i32 - 1) + n;
        let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
        if !(0..=9999).contains(&ny) {
            return None;
        }
        Date::from_ymd(ny, nm, d.min(days_in_month(ny, nm)))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parses_only_real_days() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        for bad in [
            "2027-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-04-31",
            "2025-4-01",
            "2025/04/01",
            "２０２５-04-01",
            " 2025-04-01",
            "2025-04-01T00:00",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(d("1900-03-01").add_days(-1).to_string(), "1900-02-28");
        assert_eq!(d("2000-03-01").add_days(-1).to_string(), "2000-02-29");
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        assert_eq!(d("2025-01-31").add_months(1).unwrap(), d("2025-02-28"));
        assert_eq!(d("2024-01-31").add_months(1).unwrap(), d("2024-02-29"));
        assert_eq!(d("2024-02-29").add_months(12).unwrap(), d("2025-02-28"));
        assert_eq!(d("2024-02-29").add_months(48).unwrap(), d("2028-02-29"));
        assert_eq!(d("2025-08-31").add_months(6).unwrap(), d("2026-02-28"));
        assert_eq!(d("2025-03-31").add_months(-1).unwrap(), d("2025-02-28"));
        assert_eq!(d("2025-12-15").add_months(1).unwrap(), d("2026-01-15"));
        // Spans: 2025-01-01 … 2027-12-31 is exactly three years (end ≤ add_months(start, 36) − 1 day).
        assert_eq!(
            d("2025-01-01").add_months(36).unwrap().add_days(-1),
            d("2027-12-31")
        );
    }

    #[test]
    fn weekdays() {
        assert_eq!(d("2025-09-26").weekday(), 4); // Friday
        assert_eq!(d("2026-01-04").weekday(), 6); // Sunday
    }
}
