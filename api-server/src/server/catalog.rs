//! Public endpoints: the catalog of forms, the JSON Schemas and `POST /api/v1/validate`.

use super::error::{ApiError, ApiResult};
use super::extract::{idempotency_key, no_query, parse_json, read_body, require_json};
use super::{validate_error, AppState};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;

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
pub struct ValidateBody {
    pub jurisdiction: String,
    pub form: String,
    pub data: Value,
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
    let body: ValidateBody = parse_json(&bytes, state.cfg.json_depth)?;
    validator_core::engine::resolve(&body.jurisdiction, &body.form).map_err(validate_error)?;
    let st = state.clone();
    let report = web::block(move || st.judge(&body.jurisdiction, &body.form, &body.data))
        .await?
        .map_err(validate_error)?;
    Ok(json_response(
        actix_web::http::StatusCode::OK,
        report.to_canonical_json(),
    ))
}
