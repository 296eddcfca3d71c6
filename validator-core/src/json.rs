//! The JSON document as the engine reads it.
//!
//! `serde_json::Value` allocates a `String` for every key and string and a B-tree for every
//! object; for a filing of a few kilobytes that is most of the cost of a validation. [`J`]
//! borrows every string that has no escape sequence from the input text, and holds an object as
//! a vector of members sorted by key with duplicates removed — the **last** occurrence of a
//! key wins, exactly as in `serde_json::Map` — so lookups are binary searches and the engine
//! sees the same document whichever way it arrived ([`J::parse`] from text, [`J::from_value`]
//! from an already-parsed `Value`).

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

mod fast;

/// Whether `s` is written into a JSON string as is: no `"`, `\\` or control character (what
/// `serde_json` escapes), checked eight bytes at a time.
pub(crate) fn is_plain(s: &str) -> bool {
    fast::skip_plain(s.as_bytes(), 0) == s.len()
}

/// One JSON value (see the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub enum J<'a> {
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Arr(Vec<J<'a>>),
    /// Members sorted by key, keys unique.
    Obj(Vec<(Cow<'a, str>, J<'a>)>),
}

impl<'a> J<'a> {
    /// Parses JSON text: the direct reader ([`fast`]) for the common case; everything it
    /// declines, malformed text included, goes to `serde_json` (same syntax errors, same
    /// recursion limit).
    pub fn parse(text: &'a str) -> Result<J<'a>, serde_json::Error> {
        match fast::parse(text) {
            Some(j) => Ok(j),
            None => serde_json::from_str(text),
        }
    }

    /// Parses JSON bytes (UTF-8 is checked first; `serde_json` reports invalid UTF-8).
    pub fn parse_slice(bytes: &'a [u8]) -> Result<J<'a>, serde_json::Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(text),
            Err(_) => serde_json::from_slice(bytes),
        }
    }

    /// Parses JSON text with `serde_json` only (the reference the direct reader is tested
    /// against).
    pub fn parse_with_serde(text: &'a str) -> Result<J<'a>, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Views a parsed `Value`, borrowing its strings.
    pub fn from_value(v: &'a Value) -> J<'a> {
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Num(n.clone()),
            Value::String(s) => J::Str(Cow::Borrowed(s)),
            Value::Array(a) => J::Arr(a.iter().map(J::from_value).collect()),
            // a Map is already sorted and unique
            Value::Object(m) => J::Obj(
                m.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), J::from_value(v)))
                    .collect(),
            ),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[J<'a>]> {
        match self {
            J::Arr(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, J<'a>)]> {
        match self {
            J::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// The member `key` of an object (`None` for other values).
    pub fn get(&self, key: &str) -> Option<&J<'a>> {
        get(self.as_object()?, key)
    }
}

impl<'a> J<'a> {
    /// Sets the member `key` of an object (replacing it or inserting it in order); other values
    /// are left alone.
    pub fn set(&mut self, key: &str, value: J<'a>) {
        if let J::Obj(m) = self {
            match m.binary_search_by(|(k, _)| k.as_ref().cmp(key)) {
                Ok(i) => m[i].1 = value,
                Err(i) => m.insert(i, (Cow::Owned(key.to_owned()), value)),
            }
        }
    }

    /// Removes and returns the member `key` of an object.
    pub fn take(&mut self, key: &str) -> Option<J<'a>> {
        let J::Obj(m) = self else { return None };
        let i = m.binary_search_by(|(k, _)| k.as_ref().cmp(key)).ok()?;
        Some(m.remove(i).1)
    }

    /// Compact JSON text — byte for byte what `serde_json` writes for the same `Value` (sorted
    /// keys).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl serde::Serialize for J<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            J::Null => s.serialize_unit(),
            J::Bool(b) => s.serialize_bool(*b),
            J::Num(n) => n.serialize(s),
            J::Str(x) => s.serialize_str(x),
            J::Arr(a) => {
                let mut q = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    q.serialize_element(v)?;
                }
                q.end()
            }
            J::Obj(m) => {
                let mut q = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    q.serialize_entry(k.as_ref(), v)?;
                }
                q.end()
            }
        }
    }
}

/// The member `key` of an object's members.
pub fn get<'m, 'a>(members: &'m [(Cow<'a, str>, J<'a>)], key: &str) -> Option<&'m J<'a>> {
    members
        .binary_search_by(|(k, _)| k.as_ref().cmp(key))
        .ok()
        .map(|i| &members[i].1)
}

/// Sorts members by key (stable) and keeps the last of each run of equal keys.
fn normalize<'a>(mut members: Vec<(Cow<'a, str>, J<'a>)>) -> Vec<(Cow<'a, str>, J<'a>)> {
    if members.windows(2).all(|w| w[0].0 < w[1].0) {
        return members;
    }
    crate::sort::sort_by(&mut members, |a, b| a.0.cmp(&b.0));
    // `dedup_by` keeps the earlier element of a run: move the later value into it.
    members.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            std::mem::swap(later, earlier);
            true
        } else {
            false
        }
    });
    members
}

/// A string that borrows from the input when it can.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> Deserialize<'de> for J<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = J<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<J<'de>, E> {
                Ok(J::Null)
            }
            fn visit_none<E>(self) -> Result<J<'de>, E> {
                Ok(J::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<J<'de>, D::Error> {
                J::deserialize(d)
            }
            fn visit_bool<E>(self, b: bool) -> Result<J<'de>, E> {
                Ok(J::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<J<'de>, E> {
                Ok(J::Num(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<J<'de>, E> {
                Ok(J::Num(n.into()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<J<'de>, E> {
                // JSON text cannot hold NaN or infinities; serde_json's Value maps them to null.
                Ok(Number::from_f64(n).map_or(J::Null, J::Num))
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<J<'de>, E> {
                Ok(J::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<J<'de>, E> {
                Ok(J::Str(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<J<'de>, E> {
                Ok(J::Str(Cow::Owned(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J<'de>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(J::Arr(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J<'de>, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(Str(k)) = map.next_key::<Str<'de>>()? {
                    out.push((k, map.next_value()?));
                }
                Ok(J::Obj(normalize(out)))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_value_give_the_same_document() {
        for text in [
            r#"{"b": 1, "a": [true, null, "x\ny", 2.5, -3], "c": {"z": {}, "y": []}}"#,
            r#"{"k": 1, "k": 2, "a": 0, "k": "last"}"#,
            r#"[{"é": "ü"}, 18446744073709551615, -9223372036854775808, 1e300]"#,
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(J::parse(text).unwrap(), J::from_value(&v), "{text}");
        }
    }

    #[test]
    fn serializes_as_serde_json_does() {
        let text = r#"{"b": 1, "a": [true, null, "x\ny\u00e9", 2.5, -3, 1e300], "c": {"z": {}, "y": []}, "b": 2}"#;
        let v: Value = serde_json::from_str(text).unwrap();
        assert_eq!(J::parse(text).unwrap().to_json(), v.to_string());
    }

    #[test]
    fn set_replaces_or_inserts_in_order() {
        let mut j = J::parse(r#"{"a": 1, "c": 3}"#).unwrap();
        j.set("b", J::Str("x".into()));
        j.set("c", J::Null);
        assert_eq!(j.to_json(), r#"{"a":1,"b":"x","c":null}"#);
    }

    #[test]
    fn objects_are_sorted_and_the_last_duplicate_wins() {
        let j = J::parse(r#"{"k": 1, "b": 0, "k": 2, "a": 0, "k": "last"}"#).unwrap();
        let keys: Vec<&str> = j.as_object().unwrap().iter().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["a", "b", "k"]);
        assert_eq!(j.get("k").and_then(J::as_str), Some("last"));
        assert_eq!(j.get("nope"), None);
    }

    #[test]
    fn unescaped_strings_are_borrowed() {
        let text = r#"{"plain": "abc", "esc": "a\"b"}"#;
        let j = J::parse(text).unwrap();
        assert!(matches!(j.get("plain"), Some(J::Str(Cow::Borrowed("abc")))));
        assert!(matches!(j.get("esc"), Some(J::Str(Cow::Owned(s))) if s == "a\"b"));
    }

    #[test]
    fn syntax_errors_are_serde_jsons() {
        let a = J::parse("{\"a\": ").unwrap_err().to_string();
        let b = serde_json::from_str::<Value>("{\"a\": ")
            .unwrap_err()
            .to_string();
        assert_eq!(a, b);
        let deep = "[".repeat(200);
        assert!(J::parse(&deep).is_err(), "recursion limit");
    }
}
