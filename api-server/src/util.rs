//! Small helpers of the service: identifiers, clocks (Beijing time), hashing, encodings.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};
use validator_core::Date;

/// Beijing time (Asia/Shanghai) is UTC+8 all year (no daylight saving since 1991).
pub const BEIJING_OFFSET_MS: i64 = 8 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The Beijing calendar date of an instant.
pub fn beijing_date(ms: i64) -> Date {
    epoch_date().add_days((ms + BEIJING_OFFSET_MS).div_euclid(DAY_MS) as i32)
}

fn epoch_date() -> Date {
    Date::from_ymd(1970, 1, 1).expect("1970-01-01 is a date")
}

/// The first millisecond of a Beijing calendar day.
pub fn beijing_day_start_ms(d: Date) -> i64 {
    i64::from(d.days()) * DAY_MS - BEIJING_OFFSET_MS
}

/// `YYYY-MM-DD`.
pub fn date_string(d: Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{y:04}-{m:02}-{day:02}")
}

/// RFC 3339 in Beijing time with milliseconds: `2026-05-01T09:30:00.000+08:00`.
pub fn rfc3339_beijing(ms: i64) -> String {
    let local = ms + BEIJING_OFFSET_MS;
    let d = epoch_date().add_days(local.div_euclid(DAY_MS) as i32);
    let t = local.rem_euclid(DAY_MS);
    let (h, mi, s, milli) = (t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
    format!("{}T{h:02}:{mi:02}:{s:02}.{milli:03}+08:00", date_string(d))
}

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // The OS generator does not fail on supported platforms; a failure is fatal for secrets.
    getrandom::fill(&mut b).expect("the operating system's random generator is available");
    b
}

/// A new identifier made at `ms`: 128 bits as 32 lowercase hex digits — 48 bits of Unix milliseconds then
/// 80 random bits, so identifiers sort by creation time.
///
/// Within a process identifiers are strictly increasing: a second identifier in the same
/// millisecond (or after the clock stepped back) continues from the previous one (+1), so
/// `(created_at, id)` orders filings by creation even within a millisecond.
pub fn new_id_at(ms: i64) -> String {
    static LAST: std::sync::Mutex<(u64, u128)> = std::sync::Mutex::new((0, 0));
    let ms = (ms.max(0) as u64) & 0xffff_ffff_ffff;
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    const RAND_MAX: u128 = (1u128 << 80) - 1;
    let (ms, rand) = if ms > last.0 || last.1 >= RAND_MAX {
        let mut b = [0u8; 16];
        b[6..].copy_from_slice(&random_bytes::<10>());
        // Leave headroom so that increments within the millisecond do not overflow.
        (
            ms.max(last.0 + u64::from(last.1 >= RAND_MAX)),
            u128::from_be_bytes(b) >> 1,
        )
    } else {
        (last.0, last.1 + 1)
    };
    *last = (ms, rand);
    format!("{ms:012x}{rand:020x}")
}

/// Whether `s` has the shape of an identifier made by [`new_id`].
pub fn is_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(H[usize::from(b >> 4)] as char);
        s.push(H[usize::from(b & 15)] as char);
    }
    s
}

/// SHA-256 as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_dates_change_at_16_utc() {
        // 2026-05-01T15:59:59.999Z is 23:59:59.999 in Beijing; one millisecond later it is May 2.
        let d = Date::from_ymd(2026, 5, 1).unwrap();
        let start = beijing_day_start_ms(d);
        assert_eq!(beijing_date(start), d);
        assert_eq!(beijing_date(start - 1), d.add_days(-1));
        assert_eq!(beijing_date(start + DAY_MS - 1), d);
        assert_eq!(rfc3339_beijing(start), "2026-05-01T00:00:00.000+08:00");
        assert_eq!(rfc3339_beijing(0), "1970-01-01T08:00:00.000+08:00");
    }

    #[test]
    fn ids_sort_by_time_and_have_the_documented_shape() {
        let a = new_id_at(1_000);
        let b = new_id_at(2_000);
        assert!(is_id(&a) && is_id(&b));
        assert!(a < b);
        let c = new_id_at(2_000);
        let d = new_id_at(1_500);
        assert!(
            b < c && c < d,
            "monotonic within a millisecond and when the clock steps back"
        );
        assert!(!is_id("ABC"));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
