//! Operational endpoints (health, readiness, metrics), the API description and its browsable
//! UI, and the default 404/405 answers.

use super::catalog::json_response;
use super::error::{ApiError, ApiResult};
use super::extract::no_query;
use super::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn healthz() -> HttpResponse {
    json_response(StatusCode::OK, r#"{"status":"ok"}"#.to_string())
}

pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let st = state.store.clone();
    let backend = st.backend();
    match web::block(move || st.ping()).await? {
        Ok(()) => Ok(json_response(
            StatusCode::OK,
            serde_json::json!({"status": "ready", "database": backend}).to_string(),
        )),
        Err(e) => {
            crate::metrics::get().db_error();
            tracing::warn!(error = %e, "readiness check failed");
            Err(ApiError::unavailable("the database is unreachable"))
        }
    }
}

pub async fn metrics() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(crate::metrics::get().render())
}

pub async fn openapi(req: HttpRequest) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    Ok(json_response(
        StatusCode::OK,
        crate::openapi::document_text().to_string(),
    ))
}

const DOCS_HTML: &str = include_str!("assets/docs.html");
const DOCS_JS: &str = include_str!("assets/docs.js");
const DOCS_CSS: &str = include_str!("assets/docs.css");

pub async fn docs_page(req: HttpRequest) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(DOCS_HTML))
}

pub async fn docs_asset(req: HttpRequest) -> ApiResult<HttpResponse> {
    let (ct, body) = match req.match_info().get("asset").unwrap_or_default() {
        "docs.js" => ("text/javascript; charset=utf-8", DOCS_JS),
        "docs.css" => ("text/css; charset=utf-8", DOCS_CSS),
        _ => return Err(ApiError::not_found("no such resource")),
    };
    Ok(HttpResponse::Ok()
        .content_type(ct)
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body))
}

pub async fn not_found() -> HttpResponse {
    use actix_web::ResponseError;
    ApiError::not_found("no such resource").error_response()
}

/// The methods each route answers, for 405 answers (`Allow`).
fn allowed(pattern: &str) -> &'static str {
    match pattern {
        "/api/v1/validate" | "/api/v1/submissions/{id}/finalize" => "POST",
        "/api/v1/submissions" | "/api/v1/tokens" => "GET, POST",
        "/api/v1/submissions/{id}" => "GET, PUT",
        "/api/v1/tokens/{id}" => "DELETE",
        _ => "GET",
    }
}

pub async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    let allow = allowed(req.match_pattern().as_deref().unwrap_or(""));
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "method {} is not allowed here (allowed: {allow})",
            req.method()
        ),
    )
    .header(header::ALLOW, allow)
    .error_response()
}
