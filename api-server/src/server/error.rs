//! The one error envelope of the API:
//! `{"error": {"status": 400, "code": "bad_request", "message": "…", "field": "limit"}}`,
//! plus `report` for a refused final filing. Every error response of the service is built here.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::value::RawValue;
use std::fmt;

use crate::db::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// The canonical report (refused final filings).
    pub report: Option<String>,
    pub headers: Vec<(header::HeaderName, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            report: None,
            headers: Vec::new(),
        }
    }

    pub fn field(mut self, f: impl Into<String>) -> ApiError {
        self.field = Some(f.into());
        self
    }

    pub fn header(mut self, name: header::HeaderName, value: impl Into<String>) -> ApiError {
        self.headers.push((name, value.into()));
        self
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 400 naming the offending parameter, header or body field.
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::bad_request(message).field(field)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
            .header(header::WWW_AUTHENTICATE, "Bearer realm=\"shenbao\"")
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body exceeds the limit of {limit} bytes"),
        )
    }

    pub fn unsupported_media_type() -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the request body must be JSON: send Content-Type: application/json",
        )
        .field("Content-Type")
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            message,
        )
        .header(header::RETRY_AFTER, "1")
    }

    /// A real internal error: logged by the caller, answered without details.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }

    /// The envelope as JSON text.
    pub fn body(&self) -> String {
        let mut e = serde_json::Map::new();
        e.insert("status".into(), self.status.as_u16().into());
        e.insert("code".into(), self.code.into());
        e.insert("message".into(), self.message.clone().into());
        if let Some(f) = &self.field {
            e.insert("field".into(), f.clone().into());
        }
        let env = serde_json::Value::Object(e);
        match &self.report {
            // The report is spliced in verbatim (canonical bytes).
            Some(r) => match RawValue::from_string(r.clone()) {
                Ok(raw) => format!("{{\"error\":{env},\"report\":{raw}}}"),
                Err(_) => format!("{{\"error\":{env}}}"),
            },
            None => format!("{{\"error\":{env}}}"),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut r = HttpResponse::build(self.status);
        r.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ));
        r.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                r.insert_header((name.clone(), v));
            }
        }
        r.body(self.body())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::Busy => ApiError::unavailable("the service is busy: retry shortly"),
            StoreError::Unavailable(m) => {
                crate::metrics::get().db_error();
                tracing::error!(error = %m, "database unavailable");
                ApiError::unavailable("the database is unavailable: retry shortly")
            }
            StoreError::Db(d) => {
                crate::metrics::get().db_error();
                tracing::error!(error = %d, "database error");
                ApiError::internal()
            }
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> ApiError {
        tracing::error!("a blocking task was cancelled");
        ApiError::internal()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
