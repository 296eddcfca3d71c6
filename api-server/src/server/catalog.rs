//! Public endpoints: the catalog of forms, the JSON Schemas and `POST /api/v1/validate`.

use super::error::{ApiError, ApiResult};
use super::extract::{idempotency_key, no_query, parse_json, read_body, require_json, too_deep};
use super::{validate_error, AppState};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::value::RawValue;
use validator_core::json::J;

pub fn json_response(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json")
        .body(body)
}

pub async fn forms(req: HttpRequest) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let body = serde_json::json!({
        "jurisdictions": validator_core::info::forms(),
        "rule_set": validator_core::rule_set(),
    });
    Ok(json_response(
        actix_web::http::StatusCode::OK,
        body.to_string(),
    ))
}

pub async fn schema(req: HttpRequest) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let j = req.match_info().get("jurisdiction").unwrap_or_default();
    let f = req.match_info().get("form").unwrap_or_default();
    let s = validator_core::schema::schema(j, f)
        .map_err(|e| ApiError::not_found(format!("no schema: {e}")))?;
    Ok(json_response(
        actix_web::http::StatusCode::OK,
        validator_core::schema::canonical(&s).to_string(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateBody<'a> {
    pub jurisdiction: String,
    pub form: String,
    /// Kept as text: the engine reads it without building a `Value`.
    #[serde(borrow)]
    pub data: &'a RawValue,
}

/// The body of `POST /api/v1/validate` read in one pass: (jurisdiction, form, data). A body of
/// any other shape is read again by [`parse_json`], whose errors name the offending member.
fn validate_body(bytes: &[u8], depth: usize) -> ApiResult<(String, String, J<'_>)> {
    if !too_deep(bytes, depth) {
        if let Ok(mut doc) = J::parse_slice(bytes) {
            if doc.as_object().is_some_and(|m| m.len() == 3) {
                let j = doc.take("jurisdiction");
                let f = doc.take("form");
                let d = doc.take("data");
                if let (Some(J::Str(j)), Some(J::Str(f)), Some(d)) = (j, f, d) {
                    return Ok((j.into_owned(), f.into_owned(), d));
                }
            }
        }
    }
    let body: ValidateBody = parse_json(bytes, depth)?;
    let data = J::parse(body.data.get())
        .map_err(|_| ApiError::bad_request("data is not JSON").field("data"))?;
    Ok((body.jurisdiction, body.form, data))
}

/// `POST /api/v1/validate`: the report, whatever the verdict (public; stores nothing).
pub async fn validate(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    // Checked for shape only: validation is a pure function, so a retry is already idempotent.
    idempotency_key(&req)?;
    require_json(&req)?;
    let bytes = read_body(&req, payload, state.cfg.body_limit).await?;
    let (jurisdiction, form, data) = validate_body(&bytes, state.cfg.json_depth)?;
    validator_core::engine::resolve(&jurisdiction, &form).map_err(validate_error)?;
    // A pre-check takes nothing in: the JSON Schema second check is for filings
    // (`POST /api/v1/submissions` and the writes after it), where a defect would be stored.
    let report = state
        .judge_doc(&jurisdiction, &form, &data)
        .map_err(validate_error)?;
    Ok(json_response(
        actix_web::http::StatusCode::OK,
        report.to_canonical_json(),
    ))
}
