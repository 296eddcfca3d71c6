//! Request input, checked by hand so that every failure is an envelope naming what is wrong:
//! bodies (content type, size limit, nesting limit, JSON syntax with line/column, types and
//! unknown fields by path), query strings (unknown parameters, types, `validator` rules), the
//! `Idempotency-Key` header and the bearer token.

use super::error::{ApiError, ApiResult};
use super::AppState;
use crate::auth::{self, Principal};
use crate::db::store;
use actix_web::http::header;
use actix_web::{web, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

/// Whether the JSON text nests deeper than `limit` arrays/objects (a cheap byte scan that runs
/// before the parser, so a deep document costs no recursion).
pub fn too_deep(bytes: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // skip the string: jump to the next quote or backslash
                i += 1;
                loop {
                    match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                        None => return false,
                        Some(k) if bytes[i + k] == b'\\' => i += k + 2,
                        Some(k) => {
                            i += k;
                            break;
                        }
                    }
                    if i >= bytes.len() {
                        return false;
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

/// 415 unless the request declares a JSON body (`application/json`, optionally `charset=utf-8`).
pub fn require_json(req: &HttpRequest) -> ApiResult<()> {
    match req.mime_type() {
        Ok(Some(m)) if m.essence_str() == "application/json" => match m.get_param("charset") {
            None => Ok(()),
            Some(c) if c.as_str().eq_ignore_ascii_case("utf-8") => Ok(()),
            Some(_) => Err(ApiError::unsupported_media_type()),
        },
        _ => Err(ApiError::unsupported_media_type()),
    }
}

/// Reads the body up to `limit` bytes (413 above; a larger body is drained up to a bound so the
/// client can read the answer, then the connection is closed).
pub async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> ApiResult<web::Bytes> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let drain_cap = limit.saturating_mul(8).max(8 << 20) as u64;
    if let Some(n) = declared {
        if n > limit as u64 {
            if n <= drain_cap {
                while let Some(Ok(_)) = payload.next().await {}
            }
            return Err(ApiError::too_large(limit));
        }
    }
    let mut buf = web::BytesMut::new();
    let mut seen: u64 = 0;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => ApiError::too_large(limit),
            _ => ApiError::bad_request("the request body could not be read"),
        })?;
        seen += chunk.len() as u64;
        if seen > limit as u64 {
            if seen > drain_cap {
                return Err(ApiError::too_large(limit));
            }
            continue; // keep draining, answer 413 at the end
        }
        buf.extend_from_slice(&chunk);
    }
    if seen > limit as u64 {
        return Err(ApiError::too_large(limit));
    }
    Ok(buf.freeze())
}

fn backquoted(msg: &str, prefix: &str) -> Option<String> {
    let rest = msg.strip_prefix(prefix)?.strip_prefix('`')?;
    Some(rest.split('`').next()?.to_string())
}

/// Parses a JSON body into `T` (which denies unknown fields); 400 naming line/column or field.
pub fn parse_json<'de, T: Deserialize<'de>>(bytes: &'de [u8], depth: usize) -> ApiResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "the request body is empty: a JSON object is required",
        ));
    }
    if too_deep(bytes, depth) {
        return Err(ApiError::bad_request(format!(
            "the JSON body nests deeper than {depth} levels"
        )));
    }
    // The plain deserializer first; the path-tracking one runs only to explain a failure.
    if let Ok(v) = serde_json::from_slice::<T>(bytes) {
        return Ok(v);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let msg = inner.to_string();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => {
                    let field = backquoted(&msg, "unknown field ")
                        .or_else(|| backquoted(&msg, "missing field "))
                        .map(|f| {
                            if path == "." {
                                f
                            } else if path == f || path.ends_with(&format!(".{f}")) {
                                path.clone()
                            } else {
                                format!("{path}.{f}")
                            }
                        })
                        .or_else(|| (path != ".").then(|| path.clone()));
                    let e = ApiError::bad_request(format!("invalid request body: {msg}"));
                    match field {
                        Some(f) => e.field(f),
                        None => e,
                    }
                }
                _ => ApiError::bad_request(format!("malformed JSON: {msg}")),
            });
        }
    };
    de.end()
        .map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// The first failing field of a `validator` result, as a 400.
pub fn validation_error(errors: &ValidationErrors) -> ApiError {
    let mut fields: Vec<_> = errors.errors().iter().collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    for (name, kind) in fields {
        if let ValidationErrorsKind::Field(list) = kind {
            if let Some(e) = list.first() {
                let msg = e
                    .message
                    .as_ref()
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| e.code.to_string());
                return ApiError::bad_field(name.to_string(), format!("invalid {name}: {msg}"));
            }
        }
    }
    ApiError::bad_request("invalid request")
}

/// Parses the query string into `T` (which denies unknown fields) and runs its `validator` rules.
pub fn parse_query<T: DeserializeOwned + Validate>(req: &HttpRequest) -> ApiResult<T> {
    let qs = req.query_string();
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(qs.as_bytes()));
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.inner().to_string();
        let field = backquoted(&msg, "unknown field ")
            .or_else(|| backquoted(&msg, "duplicate field "))
            .or_else(|| (path != ".").then(|| path.clone()));
        let err = ApiError::bad_request(format!("invalid query: {msg}"));
        match field {
            Some(f) => err.field(f),
            None => err,
        }
    })?;
    value.validate().map_err(|e| validation_error(&e))?;
    Ok(value)
}

/// 400 unless the query string is empty (endpoints without parameters).
pub fn no_query(req: &HttpRequest) -> ApiResult<()> {
    match form_urlencoded::parse(req.query_string().as_bytes()).next() {
        None => Ok(()),
        Some((k, _)) => Err(ApiError::bad_field(
            k.to_string(),
            format!("unknown query parameter `{k}`"),
        )),
    }
}

pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// The `Idempotency-Key` header: absent, or 1–200 printable ASCII characters.
pub fn idempotency_key(req: &HttpRequest) -> ApiResult<Option<String>> {
    let mut values = req.headers().get_all(IDEMPOTENCY_HEADER);
    let Some(v) = values.next() else {
        return Ok(None);
    };
    let bad = || {
        ApiError::bad_field(
            IDEMPOTENCY_HEADER,
            "Idempotency-Key must be 1 to 200 printable ASCII characters, sent once",
        )
    };
    if values.next().is_some() {
        return Err(bad());
    }
    let b = v.as_bytes();
    if b.is_empty() || b.len() > 200 || !b.iter().all(|c| (0x20..=0x7e).contains(c)) {
        return Err(bad());
    }
    Ok(Some(String::from_utf8_lossy(b).into_owned()))
}

/// The caller of an endpoint that needs a token (401 otherwise).
pub async fn authenticate(req: &HttpRequest, state: &AppState) -> ApiResult<Principal> {
    let Some(h) = req.headers().get(header::AUTHORIZATION) else {
        return Err(ApiError::unauthorized(
            "a bearer token is required: Authorization: Bearer <token>",
        ));
    };
    let invalid = || ApiError::unauthorized("the bearer token is invalid or revoked");
    let secret = h.to_str().ok().and_then(auth::bearer).ok_or_else(invalid)?;
    if !auth::well_formed(secret) {
        return Err(invalid());
    }
    let hash = auth::hash(secret);
    let token = if state.store.is_local() {
        // An indexed read of a local SQLite file takes microseconds: cheaper inline than the
        // hop to a blocking thread (and every request pays it).
        state.store.read(|c| store::token_by_hash(c, &hash))?
    } else {
        let st = state.store.clone();
        web::block(move || st.read(|c| store::token_by_hash(c, &hash))).await??
    };
    match token {
        Some(t) if t.revoked_at.is_none() => Principal::from_token(&t).ok_or_else(invalid),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(!too_deep(br#"{"a":[[1]]}"#, 3));
        assert!(too_deep(br#"{"a":[[[1]]]}"#, 3));
        assert!(!too_deep(br#"{"a":"[[[[[[\"[[[["}"#, 2));
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(too_deep(deep.as_bytes(), 64));
        // an escaped backslash ends the string; brackets after it count
        assert!(too_deep(br#"{"a":"x\\","b":[[[1]]]}"#, 3));
        assert!(!too_deep(br#"{"a":"x\\\"[[[[","b":[1]}"#, 3));
        // unterminated strings and escapes at the end do not read past the input
        assert!(!too_deep(br#"{"a":"[[[["#, 2));
        assert!(!too_deep(br#"{"a":"\"#, 2));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct B {
        a: String,
        n: Option<u32>,
    }

    #[test]
    fn body_errors_name_the_field_or_the_position() {
        let e = parse_json::<B>(br#"{"a":"x","zzz":1}"#, 64).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("zzz"), "{e}");
        let e = parse_json::<B>(br#"{"a":5}"#, 64).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("a"), "{e}");
        let e = parse_json::<B>(br#"{"n":1}"#, 64).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("a"), "{e}");
        let e = parse_json::<B>(b"{\"a\":\n  \"x\",,}", 64).unwrap_err();
        assert!(e.message.contains("line 2 column"), "{e}");
        let e = parse_json::<B>(br#"{"a":"x"} trailing"#, 64).unwrap_err();
        assert!(e.message.contains("malformed JSON"), "{e}");
        assert!(parse_json::<B>(b"  ", 64).is_err());
    }
}
