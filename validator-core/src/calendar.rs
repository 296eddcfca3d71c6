//! The public-holiday calendar (spec §0.6) as operator data: one JSON file per year, taken from
//! the State Council's annual notice. 2025 and 2026 are built in; an operator adds a year by
//! handing its file to [`Calendar::with_year`] (the server does this at start; see
//! `docs/calendar.md`). Working days (工作日) are Monday–Friday that are not days off, plus the
//! make-up working days (调休上班日).

use crate::date::Date;
use crate::json::J;
use serde::Serialize;

/// One year file, exactly as operators write it (`docs/calendar.md`).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct YearFile {
    pub year: i32,
    /// Title of the State Council notice the schedule comes from.
    pub notice: String,
    /// Its document number, e.g. 国办发明电〔2024〕12号 (may be empty when not printed).
    pub document_no: String,
    /// Publication date of the notice, YYYY-MM-DD.
    pub published: String,
    /// Inclusive ranges of days off (放假).
    pub days_off: Vec<DayOffRange>,
    /// Weekend days designated as working days (调休上班).
    pub working_days: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DayOffRange {
    pub name: String,
    pub from: String,
    pub to: String,
}

impl YearFile {
    /// Reads a year file from JSON text, naming the member at fault. (Read by hand rather than
    /// by a serde derive, which would bring serde's error machinery into the browser bundle.)
    pub fn from_json(text: &str) -> Result<YearFile, CalendarError> {
        let doc = J::parse(text).map_err(|e| err("(file)", format!("not JSON: {e}")))?;
        let m = doc
            .as_object()
            .ok_or_else(|| err("(file)", "a year file is a JSON object"))?;
        const MEMBERS: &[&str] = &[
            "year",
            "notice",
            "document_no",
            "published",
            "days_off",
            "working_days",
        ];
        if let Some((k, _)) = m.iter().find(|(k, _)| !MEMBERS.contains(&k.as_ref())) {
            return Err(err(
                k.as_ref(),
                format!("unknown member (a year file has {})", MEMBERS.join(", ")),
            ));
        }
        let text_at =
            |v: Option<&J>, field: &str, required: bool| -> Result<String, CalendarError> {
                match v {
                    Some(J::Str(s)) => Ok(s.to_string()),
                    None if !required => Ok(String::new()),
                    None => Err(err(field, "missing")),
                    Some(_) => Err(err(field, "expected a string")),
                }
            };
        let list = |key: &str| -> Result<&[J], CalendarError> {
            match doc.get(key) {
                Some(J::Arr(a)) => Ok(a),
                None => Err(err(key, "missing")),
                Some(_) => Err(err(key, "expected an array")),
            }
        };
        let year = match doc.get("year") {
            Some(J::Num(n)) => n
                .as_i64()
                .and_then(|y| i32::try_from(y).ok())
                .ok_or_else(|| err("year", "expected an integer year"))?,
            None => return Err(err("year", "missing")),
            Some(_) => return Err(err("year", "expected an integer year")),
        };
        let mut days_off = Vec::new();
        for (i, r) in list("days_off")?.iter().enumerate() {
            let field = |k: &str| format!("days_off[{i}].{k}");
            let Some(entry) = r.as_object() else {
                return Err(err(
                    format!("days_off[{i}]"),
                    "expected an object {name, from, to}",
                ));
            };
            if let Some((k, _)) = entry
                .iter()
                .find(|(k, _)| !["name", "from", "to"].contains(&k.as_ref()))
            {
                return Err(err(field(k), "unknown member (a range has name, from, to)"));
            }
            days_off.push(DayOffRange {
                name: text_at(r.get("name"), &field("name"), true)?,
                from: text_at(r.get("from"), &field("from"), true)?,
                to: text_at(r.get("to"), &field("to"), true)?,
            });
        }
        let mut working_days = Vec::new();
        for (i, d) in list("working_days")?.iter().enumerate() {
            working_days.push(text_at(Some(d), &format!("working_days[{i}]"), true)?);
        }
        Ok(YearFile {
            year,
            notice: text_at(doc.get("notice"), "notice", true)?,
            document_no: text_at(doc.get("document_no"), "document_no", false)?,
            published: text_at(doc.get("published"), "published", true)?,
            days_off,
            working_days,
        })
    }
}

/// A problem found in a year file; `field` names the offending place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct CalendarError {
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> CalendarError {
    CalendarError {
        field: field.into(),
        message: message.into(),
    }
}

/// A checked year: a bit per day of the year, set when the day is a working day.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Year {
    working: DaySet,
    /// The file it was read from (`None`: the browser bundle's built-in years, which carry only
    /// their working days).
    file: Option<YearFile>,
}

/// The days of one year as a bit set, indexed by day of the year (0 = 1 January).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct DaySet([u64; 6]);

impl DaySet {
    fn index(d: Date) -> usize {
        (d.days() - Date::from_ymd(d.year(), 1, 1).expect("valid").days()) as usize
    }
    fn contains(&self, d: Date) -> bool {
        let i = Self::index(d);
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
    /// Adds `d`; false if it was there already.
    fn insert(&mut self, d: Date) -> bool {
        let i = Self::index(d);
        let had = self.0[i / 64] >> (i % 64) & 1 == 1;
        self.0[i / 64] |= 1 << (i % 64);
        !had
    }
}

/// The loaded calendar: the years it covers and, for each, which days are working days.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Calendar {
    /// Sorted by year, one entry per year.
    years: Vec<(i32, Year)>,
}

pub use crate::builtin_calendar::BUILTIN_WORKING_DAYS;

/// The year files shipped in the binary.
pub const BUILTIN_YEARS: &[&str] = &[
    include_str!("../calendar/2025.json"),
    include_str!("../calendar/2026.json"),
];

impl Calendar {
    /// The 2025–2026 calendar shipped with the rules.
    ///
    /// The browser bundle takes the working days from [`BUILTIN_WORKING_DAYS`] instead of reading
    /// and checking the year files at start-up (a test keeps the two equal); its [`years`]
    /// are then empty.
    ///
    /// [`years`]: Calendar::years
    pub fn builtin() -> Calendar {
        if cfg!(target_arch = "wasm32") {
            return Calendar {
                years: BUILTIN_WORKING_DAYS
                    .iter()
                    .map(|&(y, working)| {
                        (
                            y,
                            Year {
                                working: DaySet(working),
                                file: None,
                            },
                        )
                    })
                    .collect(),
            };
        }
        let mut c = Calendar::default();
        for text in BUILTIN_YEARS {
            // (no `expect`: formatting the error with `Debug` costs ~4 KB in the browser module)
            c = c
                .with_year_json(text)
                .unwrap_or_else(|_| panic!("built-in calendar files are valid (tested)"));
        }
        c
    }

    /// Parses and checks a year file (JSON text).
    pub fn parse_year(text: &str) -> Result<YearFile, CalendarError> {
        let file = YearFile::from_json(text)?;
        check_year(&file)?;
        Ok(file)
    }

    pub fn with_year_json(self, text: &str) -> Result<Calendar, CalendarError> {
        let file = Self::parse_year(text)?;
        self.with_year(file)
    }

    /// Adds (or replaces) one year after checking it.
    pub fn with_year(mut self, file: YearFile) -> Result<Calendar, CalendarError> {
        check_year(&file)?;
        let y = file.year;
        let (off, work) = day_sets(&file)?;
        let mut working = DaySet::default();
        let mut d = Date::from_ymd(y, 1, 1).expect("checked year");
        while d.year() == y {
            let weekday = d.weekday() < 5;
            if (weekday && !off.contains(d)) || work.contains(d) {
                working.insert(d);
            }
            d = d.add_days(1);
        }
        let year = Year {
            working,
            file: Some(file),
        };
        match self.years.binary_search_by_key(&y, |(k, _)| *k) {
            Ok(i) => self.years[i].1 = year,
            Err(i) => self.years.insert(i, (y, year)),
        }
        Ok(self)
    }

    /// The working days of each loaded year, one bit per day of the year (the form of
    /// [`BUILTIN_WORKING_DAYS`]).
    pub fn working_days(&self) -> Vec<(i32, [u64; 6])> {
        self.years.iter().map(|(y, d)| (*y, d.working.0)).collect()
    }

    pub fn years(&self) -> impl Iterator<Item = &YearFile> {
        self.years.iter().filter_map(|(_, y)| y.file.as_ref())
    }

    /// `Some(true/false)` inside the loaded years, `None` outside.
    pub fn is_working_day(&self, d: Date) -> Option<bool> {
        let i = self
            .years
            .binary_search_by_key(&d.year(), |(k, _)| *k)
            .ok()?;
        Some(self.years[i].1.working.contains(d))
    }

    /// The n-th working day after `d` (d itself not counted). `None` when the day-by-day walk
    /// visits a day outside the loaded calendar (spec §0.5): the deadline is then undefined.
    pub fn add_working_days(&self, d: Date, n: u32) -> Option<Date> {
        let mut day = d;
        let mut left = n;
        while left > 0 {
            day = day.add_days(1);
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Some(day)
    }

    /// A canonical text of the loaded working-day sets, for the rule-set digest.
    pub fn canonical(&self) -> String {
        let mut s = String::new();
        for (y, data) in &self.years {
            s.push_str(&format!("calendar {y}:"));
            for w in data.working.0 {
                s.push_str(&format!("{w:016x}"));
            }
            s.push('\n');
        }
        s
    }
}

fn parse_in_year(field: &str, s: &str, year: i32) -> Result<Date, CalendarError> {
    let d = Date::parse(s).ok_or_else(|| err(field, format!("“{s}” is not a YYYY-MM-DD date")))?;
    if d.year() != year {
        return Err(err(field, format!("{s} is not in {year}")));
    }
    Ok(d)
}

/// The days off and the make-up working days of a year file.
type DaySets = (DaySet, DaySet);

fn day_sets(f: &YearFile) -> Result<DaySets, CalendarError> {
    let mut off = DaySet::default();
    for (i, r) in f.days_off.iter().enumerate() {
        let from = parse_in_year(&format!("days_off[{i}].from"), &r.from, f.year)?;
        let to = parse_in_year(&format!("days_off[{i}].to"), &r.to, f.year)?;
        if to < from {
            return Err(err(
                format!("days_off[{i}]"),
                format!("range ends ({}) before it starts ({})", r.to, r.from),
            ));
        }
        let mut d = from;
        while d <= to {
            if !off.insert(d) {
                return Err(err(
                    format!("days_off[{i}]"),
                    format!("{d} is listed in more than one range"),
                ));
            }
            d = d.add_days(1);
        }
    }
    let mut work = DaySet::default();
    for (i, s) in f.working_days.iter().enumerate() {
        let field = format!("working_days[{i}]");
        let d = parse_in_year(&field, s, f.year)?;
        if d.weekday() < 5 {
            return Err(err(
                field,
                format!("{s} is a weekday; only a Saturday or Sunday can be a make-up working day"),
            ));
        }
        if off.contains(d) {
            return Err(err(
                field,
                format!("{s} is both a day off and a working day"),
            ));
        }
        if !work.insert(d) {
            return Err(err(field, format!("{s} is listed twice")));
        }
    }
    Ok((off, work))
}

/// The checks of `api-server calendar check`.
pub fn check_year(f: &YearFile) -> Result<(), CalendarError> {
    if !(2000..=2100).contains(&f.year) {
        return Err(err("year", format!("{} is outside 2000–2100", f.year)));
    }
    if f.notice.trim().is_empty() {
        return Err(err(
            "notice",
            "name the State Council notice the schedule comes from",
        ));
    }
    let published = Date::parse(&f.published).ok_or_else(|| {
        err(
            "published",
            format!("“{}” is not a YYYY-MM-DD date", f.published),
        )
    })?;
    if published.year() > f.year {
        return Err(err(
            "published",
            "the notice must be published before or during its year",
        ));
    }
    if f.days_off.is_empty() {
        return Err(err("days_off", "a year file lists at least one day off"));
    }
    for (i, r) in f.days_off.iter().enumerate() {
        if r.name.trim().is_empty() {
            return Err(err(format!("days_off[{i}].name"), "name the holiday"));
        }
    }
    day_sets(f).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn worked_examples_of_the_spec() {
        let c = Calendar::builtin();
        assert_eq!(
            c.add_working_days(d("2025-09-26"), 10),
            Some(d("2025-10-16"))
        );
        assert_eq!(
            c.add_working_days(d("2025-12-26"), 10),
            Some(d("2026-01-12"))
        );
        assert_eq!(
            c.add_working_days(d("2025-12-26"), 7),
            Some(d("2026-01-07"))
        );
        assert_eq!(
            c.add_working_days(d("2025-04-25"), 7),
            Some(d("2025-05-08"))
        );
    }

    #[test]
    fn make_up_days_and_holidays() {
        let c = Calendar::builtin();
        assert_eq!(c.is_working_day(d("2025-01-26")), Some(true)); // Sunday make-up day
        assert_eq!(c.is_working_day(d("2025-10-08")), Some(false)); // Wednesday off
        assert_eq!(c.is_working_day(d("2026-01-04")), Some(true));
        assert_eq!(c.is_working_day(d("2026-02-23")), Some(false)); // Monday off (春节)
        assert_eq!(c.is_working_day(d("2026-10-10")), Some(true));
        assert_eq!(c.is_working_day(d("2027-01-04")), None);
        // Spring festival 2026: signed Fri 02-13, make-up Sat 02-14 is day 1, then 02-24 …
        assert_eq!(
            c.add_working_days(d("2026-02-13"), 1),
            Some(d("2026-02-14"))
        );
        assert_eq!(
            c.add_working_days(d("2026-02-13"), 2),
            Some(d("2026-02-24"))
        );
    }

    #[test]
    fn walking_out_of_the_calendar_is_undefined() {
        let c = Calendar::builtin();
        assert_eq!(c.add_working_days(d("2026-12-24"), 10), None);
        assert_eq!(
            c.add_working_days(d("2026-12-30"), 1),
            Some(d("2026-12-31"))
        );
        // the start day itself may lie outside
        assert_eq!(
            c.add_working_days(d("2024-12-31"), 1),
            Some(d("2025-01-02"))
        );
    }

    #[test]
    fn year_file_checks() {
        let ok = BUILTIN_YEARS[0];
        assert!(Calendar::parse_year(ok).is_ok());
        let bad = ok.replace("\"2025-01-26\"", "\"2025-01-27\"");
        assert!(Calendar::parse_year(&bad)
            .unwrap_err()
            .message
            .contains("weekday"));
        let bad = ok.replace("\"2025-02-08\"", "\"2026-02-07\"");
        assert!(Calendar::parse_year(&bad)
            .unwrap_err()
            .message
            .contains("not in 2025"));
        let bad = ok.replace("\"2025-10-11\"", "\"2025-10-04\"");
        assert!(Calendar::parse_year(&bad)
            .unwrap_err()
            .message
            .contains("both"));
        // the reader names the member at fault
        let field = |text: &str| Calendar::parse_year(text).unwrap_err().field;
        assert_eq!(field("{"), "(file)");
        assert_eq!(field("[]"), "(file)");
        assert_eq!(field(&ok.replacen("\"year\"", "\"yaer\"", 1)), "yaer");
        assert_eq!(field(&ok.replace("2025,", "\"2025\",")), "year");
        assert_eq!(
            field(&ok.replacen("\"name\": \"元旦\", ", "", 1)),
            "days_off[0].name"
        );
        assert_eq!(
            field(&ok.replacen("\"to\": \"2025-01-01\"", "\"to\": 1", 1)),
            "days_off[0].to"
        );
        assert_eq!(
            field(&ok.replace("\"2025-01-26\"", "26")),
            "working_days[0]"
        );
        let no_doc_no = ok.replacen("\"document_no\": \"国办发明电〔2024〕12号\",", "", 1);
        assert_eq!(
            Calendar::parse_year(&no_doc_no).unwrap().document_no,
            "",
            "optional"
        );
    }
}
