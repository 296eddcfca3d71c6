//! `Idempotency-Key` on POST: the first successful response of an (actor, key) is recorded in
//! the same transaction as the write it answers; a retry with the same request replays it, a
//! different request with the same key is refused (422 `idempotency_key_reused`).
//!
//! Concurrent duplicates: an in-process map serializes requests of one (actor, key), so the
//! second waits for the first and then replays its record; the table's primary key (actor, key)
//! is the backstop across processes (the loser's transaction rolls back and it replays).

use super::error::{ApiError, ApiResult};
use super::AppState;
use crate::db::models::Idempotency;
use crate::db::store;
use crate::util;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OwnedMutexGuard;

type Slot = Arc<tokio::sync::Mutex<()>>;

/// Requests in flight, by (actor, key).
#[derive(Default)]
pub struct InFlight {
    map: Mutex<HashMap<(String, String), Slot>>,
}

/// Held while a request with an idempotency key is processed.
pub struct Turn {
    owner: Arc<InFlight>,
    key: (String, String),
    slot: Slot,
    guard: Option<OwnedMutexGuard<()>>,
}

impl InFlight {
    /// Waits until no other request of this (actor, key) is in flight, then takes the turn.
    pub async fn enter(self: &Arc<Self>, actor: &str, key: &str) -> Turn {
        let k = (actor.to_string(), key.to_string());
        let slot = {
            let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
            m.entry(k.clone()).or_default().clone()
        };
        let guard = slot.clone().lock_owned().await;
        Turn {
            owner: self.clone(),
            key: k,
            slot,
            guard: Some(guard),
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.guard.take();
        let mut m = self.owner.map.lock().unwrap_or_else(|p| p.into_inner());
        // The map and this turn hold the slot: nobody else waits for it.
        if Arc::strong_count(&self.slot) == 2 {
            m.remove(&self.key);
        }
    }
}

/// The idempotency facts of one request.
#[derive(Clone, Debug)]
pub struct Idem {
    pub actor: String,
    pub key: String,
    pub hash: String,
}

impl Idem {
    pub fn new(req: &HttpRequest, actor: &str, key: String, body: &[u8]) -> Idem {
        let mut h = Vec::with_capacity(body.len() + 64);
        h.extend_from_slice(req.method().as_str().as_bytes());
        h.push(b' ');
        h.extend_from_slice(req.path().as_bytes());
        h.push(b'\n');
        h.extend_from_slice(body);
        Idem {
            actor: actor.to_string(),
            key,
            hash: util::sha256_hex(&h),
        }
    }

    /// The record of a response to this request.
    pub fn record(&self, status: StatusCode, body: &str) -> Idempotency {
        Idempotency {
            actor: self.actor.clone(),
            idem_key: self.key.clone(),
            request_hash: self.hash.clone(),
            status: i32::from(status.as_u16()),
            response: body.to_string(),
            created_at: util::now_ms(),
        }
    }
}

/// The answer for an existing record: its replay, or 422 if the request differs.
pub fn answer(idem: &Idem, rec: &Idempotency) -> ApiResult<HttpResponse> {
    if rec.request_hash != idem.hash {
        return Err(ApiError::unprocessable(
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different request: use a new key for a new request",
        )
        .field("Idempotency-Key"));
    }
    let status = u16::try_from(rec.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    Ok(HttpResponse::build(status)
        .content_type("application/json")
        .insert_header(("Idempotency-Replayed", "true"))
        .body(rec.response.clone()))
}

/// The answer when the database refused a second record of this (actor, key): a concurrent
/// request (possibly in another process) committed first.
pub fn raced(idem: &Idem, rec: &Idempotency) -> ApiResult<HttpResponse> {
    tracing::info!(target: "shenbao::idempotency", "duplicate request resolved by the database");
    answer(idem, rec)
}

/// Looks up a previous response of this (actor, key).
pub async fn prior(state: &AppState, idem: &Idem) -> ApiResult<Option<HttpResponse>> {
    let st = state.store.clone();
    let (a, k) = (idem.actor.clone(), idem.key.clone());
    let rec = web::block(move || st.read(|c| store::idempotency_record(c, &a, &k))).await??;
    rec.map(|r| answer(idem, &r)).transpose()
}
