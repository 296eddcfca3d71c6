//! Token management (admin only): create (the secret is shown once), list (no secrets), revoke.

use super::catalog::json_response;
use super::error::{ApiError, ApiResult};
use super::extract::{
    authenticate, idempotency_key, no_query, parse_json, read_body, require_json, validation_error,
};
use super::idempotency::{self, Idem};
use super::AppState;
use crate::auth::{self, Principal, Role};
use crate::db::models::Token;
use crate::db::store::{self, WriteOp, WriteOutcome};
use crate::util;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

fn v_role(r: &str) -> Result<(), ValidationError> {
    match Role::parse(r) {
        Some(_) => Ok(()),
        None => {
            Err(ValidationError::new("role")
                .with_message("expected admin, reviewer or unit".into()))
        }
    }
}

fn v_label(l: &str) -> Result<(), ValidationError> {
    if l.chars().any(char::is_control) {
        Err(ValidationError::new("label")
            .with_message("must not contain control characters".into()))
    } else {
        Ok(())
    }
}

/// Input of `POST /api/v1/tokens` (and of `api-server token create`).
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    #[validate(custom(function = "v_role"))]
    pub role: String,
    #[validate(length(min = 1, max = 32, message = "must be a jurisdiction ID"))]
    pub jurisdiction: Option<String>,
    #[validate(length(equal = 18, message = "must be 18 characters"))]
    pub credit_code: Option<String>,
    #[validate(
        length(max = 200, message = "must be at most 200 characters"),
        custom(function = "v_label")
    )]
    pub label: Option<String>,
}

impl TokenInput {
    /// Validates (DTO rules, then role bindings and the credit code's check character) and makes
    /// the row; the error names the offending input.
    pub fn into_token(self) -> Result<(Token, String), ApiError> {
        self.validate().map_err(|e| validation_error(&e))?;
        let role = Role::parse(&self.role)
            .ok_or_else(|| ApiError::bad_field("role", "expected admin, reviewer or unit"))?;
        auth::check_bindings(
            role,
            self.jurisdiction.as_deref(),
            self.credit_code.as_deref(),
        )
        .map_err(|(field, msg)| ApiError::bad_field(field, msg))?;
        Ok(auth::new_token(
            role,
            self.jurisdiction,
            self.credit_code,
            self.label.unwrap_or_default(),
        ))
    }
}

#[derive(Serialize)]
pub struct TokenOut<'a> {
    pub id: &'a str,
    pub role: &'a str,
    pub jurisdiction: Option<&'a str>,
    pub credit_code: Option<&'a str>,
    pub label: &'a str,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// The secret: only in the answer that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<&'a str>,
}

impl<'a> TokenOut<'a> {
    pub fn of(t: &'a Token, secret: Option<&'a str>) -> TokenOut<'a> {
        TokenOut {
            id: &t.id,
            role: &t.role,
            jurisdiction: t.jurisdiction.as_deref(),
            credit_code: t.credit_code.as_deref(),
            label: &t.label,
            created_at: util::rfc3339_beijing(t.created_at),
            revoked_at: t.revoked_at.map(util::rfc3339_beijing),
            token: secret,
        }
    }
}

fn require_admin(p: &Principal) -> ApiResult<()> {
    if p.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::forbidden("only an admin token manages tokens"))
    }
}

fn json<T: Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(|_| ApiError::internal())
}

/// `POST /api/v1/tokens`.
pub async fn create(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let p = authenticate(&req, &state).await?;
    require_admin(&p)?;
    let key = idempotency_key(&req)?;
    require_json(&req)?;
    let bytes = read_body(&req, payload, state.cfg.body_limit).await?;
    let input: TokenInput = parse_json(&bytes, state.cfg.json_depth)?;
    let (row, secret) = input.into_token()?;

    let idem = key.map(|k| Idem::new(&req, &p.token_id, k, &bytes));
    let _turn = match &idem {
        Some(i) => Some(state.inflight.enter(&i.actor, &i.key).await),
        None => None,
    };
    if let Some(i) = &idem {
        if let Some(replay) = idempotency::prior(&state, i).await? {
            return Ok(replay);
        }
    }
    let body = json(&TokenOut::of(&row, Some(&secret)))?;
    // The secret is never stored, so a replay cannot show it again: the recorded answer to a
    // retry is a 409 naming the token that was created.
    let rec = idem.as_ref().map(|i| {
        let replay = ApiError::conflict(
            "token_already_created",
            format!(
                "this Idempotency-Key already created token {}; its secret is shown only once — revoke it and create a new one if it was lost",
                row.id
            ),
        );
        i.record(StatusCode::CONFLICT, &replay.body())
    });
    let id = row.id.clone();
    match state
        .store
        .write(WriteOp::CreateToken { row, idem: rec })
        .await?
    {
        WriteOutcome::Done => {
            tracing::info!(token = %id, "token created");
            Ok(HttpResponse::Created()
                .content_type("application/json")
                .insert_header(("Location", format!("/api/v1/tokens/{id}")))
                .insert_header(("Cache-Control", "no-store"))
                .body(body))
        }
        WriteOutcome::IdempotencyExists(rec) => match &idem {
            Some(i) => idempotency::raced(i, &rec),
            None => Err(ApiError::internal()),
        },
        _ => Err(ApiError::internal()),
    }
}

#[derive(Serialize)]
struct TokenList<'a> {
    items: Vec<TokenOut<'a>>,
}

/// `GET /api/v1/tokens`.
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let p = authenticate(&req, &state).await?;
    require_admin(&p)?;
    let st = state.store.clone();
    let rows = web::block(move || st.read(store::all_tokens)).await??;
    let body = json(&TokenList {
        items: rows.iter().map(|t| TokenOut::of(t, None)).collect(),
    })?;
    Ok(json_response(StatusCode::OK, body))
}

/// `DELETE /api/v1/tokens/{id}`: revokes (idempotent); answers the token.
pub async fn revoke(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let p = authenticate(&req, &state).await?;
    require_admin(&p)?;
    let id = req.match_info().get("id").unwrap_or_default().to_string();
    if !util::is_id(&id) {
        return Err(ApiError::not_found("no such token"));
    }
    match state
        .store
        .write(WriteOp::RevokeToken {
            id,
            at: util::now_ms(),
        })
        .await?
    {
        WriteOutcome::Token(t) => {
            tracing::info!(token = %t.id, "token revoked");
            Ok(json_response(
                StatusCode::OK,
                json(&TokenOut::of(&t, None))?,
            ))
        }
        WriteOutcome::NotFound => Err(ApiError::not_found("no such token")),
        _ => Err(ApiError::internal()),
    }
}
