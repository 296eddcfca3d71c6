//! The intake service: actix-web application, routes and the `serve` entry point.
//!
//! Request flow: the `observe` middleware (metrics, one log line without contents) → the
//! handler, which checks in this order: query parameters, authentication, idempotency key,
//! content type and size, JSON syntax/shape, semantic input (jurisdiction, form, data), scope and
//! permissions, then validates with validator-core (inline: microseconds), hands writes to the
//! store's writer, queues the JSON Schema second check and answers.

pub mod catalog;
pub mod csv;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod ops;
pub mod submissions;
pub mod tokens;

use crate::agreement::SchemaChecker;
use crate::config::Config;
use crate::db::store::StoreOptions;
use crate::db::{ConnOptions, Store};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers, Next};
use actix_web::{body::MessageBody, web, App, HttpServer};
use error::ApiError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use validator_core::json::J;
use validator_core::{Report, ValidateError, Validator};

pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub struct AppState {
    pub store: Arc<Store>,
    pub cfg: Config,
    pub validator: Validator,
    pub schemas: SchemaChecker,
    pub inflight: Arc<idempotency::InFlight>,
    /// Requests with a body being handled (load shedding, [`Config::max_in_flight`]).
    pub heavy_in_flight: AtomicUsize,
}

impl AppState {
    /// Today's Beijing date (or `SHENBAO_TODAY`), for final filings.
    pub fn today(&self) -> validator_core::Date {
        self.cfg
            .today
            .unwrap_or_else(|| crate::util::beijing_date(crate::util::now_ms()))
    }

    /// Validates with the core and counts the verdict. A validation takes microseconds, so it
    /// runs on the request's own worker thread.
    pub fn judge_doc(&self, j: &str, f: &str, data: &J) -> Result<Report, ValidateError> {
        let report = self.validator.validate_doc(j, f, data)?;
        crate::metrics::get().validation(j, f, report.valid);
        Ok(report)
    }

    /// Queues the JSON Schema second check of a judged filing (`data`: its JSON text). Never
    /// fails or delays the request: a disagreement is logged and counted.
    pub fn second_check(&self, j: &str, f: &str, data: String, report: &Report) {
        if self.cfg.schema_check {
            self.schemas.submit(j, f, data, report);
        }
    }
}

/// 400 naming the input that a [`ValidateError`] concerns.
pub fn validate_error(e: ValidateError) -> ApiError {
    let field = match &e {
        ValidateError::UnknownJurisdiction(_) => "jurisdiction",
        ValidateError::UnknownForm(_) | ValidateError::FormNotOffered { .. } => "form",
        ValidateError::NotAnObject => "data",
    };
    ApiError::bad_field(field, e.to_string())
}

/// Metrics and the access log. The log line names the route pattern, never the path, query or
/// body (filing contents and tokens stay out of logs).
async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let m = crate::metrics::get();
    let start = Instant::now();
    let method = req.method().to_string();
    // Load shedding: beyond SHENBAO_MAX_IN_FLIGHT requests with a body at once, answer 503 at
    // once rather than queue work the machine cannot do in time.
    let heavy =
        matches!(*req.method(), Method::POST | Method::PUT) && req.path().starts_with("/api/");
    let state = heavy
        .then(|| req.app_data::<web::Data<AppState>>().cloned())
        .flatten();
    // The place is taken before the request counts as in flight, so that a request seen in
    // flight in /metrics holds its place (the load-shedding test relies on it).
    let slot = state
        .as_ref()
        .map(|state| Slot::take(&state.heavy_in_flight, state.cfg.max_in_flight));
    m.request_started();
    if let Some(None) = slot {
        let e = ApiError::unavailable("the service is overloaded: retry shortly");
        let res = req.into_response(actix_web::ResponseError::error_response(&e));
        let secs = start.elapsed().as_secs_f64();
        m.shed();
        m.request_finished(&method, "(shed)", 503, secs);
        return Ok(res.map_into_right_body());
    }
    let _slot = slot.flatten();
    let res = next
        .call(req)
        .await
        .map(ServiceResponse::map_into_left_body);
    let secs = start.elapsed().as_secs_f64();
    let (route, status) = match &res {
        Ok(r) => (route_label(r.request()), r.status().as_u16()),
        Err(e) => (
            "(error)".to_string(),
            e.as_response_error().status_code().as_u16(),
        ),
    };
    m.request_finished(&method, &route, status, secs);
    tracing::info!(target: "shenbao::access", method = %method, route = %route, status, ms = (secs * 1000.0).round() as u64, "request");
    res
}

/// One of the `SHENBAO_MAX_IN_FLIGHT` places of requests with a body; released on drop.
struct Slot<'a>(&'a AtomicUsize);

impl<'a> Slot<'a> {
    fn take(counter: &'a AtomicUsize, max: usize) -> Option<Slot<'a>> {
        let mut n = counter.load(Ordering::Relaxed);
        loop {
            if n >= max {
                return None;
            }
            match counter.compare_exchange_weak(n, n + 1, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return Some(Slot(counter)),
                Err(x) => n = x,
            }
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Turns an error answer that did not come from our handlers (actix-files refusing a path
/// segment or a method, …) into the envelope; JSON answers pass unchanged.
fn envelope_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let e = match status.as_u16() {
        400 => ApiError::bad_request("malformed request path"),
        404 => ApiError::not_found("no such resource"),
        405 => ApiError::new(
            status,
            "method_not_allowed",
            "method not allowed here (allowed: GET, HEAD)",
        )
        .header(header::ALLOW, "GET, HEAD"),
        413 => ApiError::new(status, "payload_too_large", "the request is too large"),
        415 => ApiError::unsupported_media_type(),
        s if s >= 500 => ApiError::internal(),
        _ => ApiError::new(
            status,
            "error",
            status.canonical_reason().unwrap_or("error"),
        ),
    };
    let (req, _) = res.into_parts();
    let resp = actix_web::ResponseError::error_response(&e);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, resp).map_into_right_body(),
    ))
}

fn route_label(req: &actix_web::HttpRequest) -> String {
    match req.match_pattern() {
        Some(p)
            if p.starts_with("/api/")
                || p.starts_with("/healthz")
                || p.starts_with("/readyz")
                || p.starts_with("/metrics") =>
        {
            p
        }
        Some(_) => "static".to_string(),
        None if req.path().starts_with("/api/") => "unmatched".to_string(),
        None => "static".to_string(),
    }
}

/// Configures every route of the service (also used by in-process tests).
pub fn routes(cfg: &mut web::ServiceConfig, web_root: Option<std::path::PathBuf>) {
    use ops::method_not_allowed as nm;
    cfg.service(
        web::scope("/api/v1")
            .service(
                web::resource("/forms")
                    .route(web::get().to(catalog::forms))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/forms/{jurisdiction}/{form}/schema")
                    .route(web::get().to(catalog::schema))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/validate")
                    .route(web::post().to(catalog::validate))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/submissions")
                    .route(web::get().to(submissions::list))
                    .route(web::post().to(submissions::create))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/submissions/export")
                    .route(web::get().to(submissions::export))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/submissions/{id}")
                    .route(web::get().to(submissions::get))
                    .route(web::put().to(submissions::update))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/submissions/{id}/finalize")
                    .route(web::post().to(submissions::finalize))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/tokens")
                    .route(web::get().to(tokens::list))
                    .route(web::post().to(tokens::create))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/tokens/{id}")
                    .route(web::delete().to(tokens::revoke))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/openapi.json")
                    .route(web::get().to(ops::openapi))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/docs")
                    .route(web::get().to(ops::docs_page))
                    .default_service(web::to(nm)),
            )
            .service(
                web::resource("/docs/{asset}")
                    .route(web::get().to(ops::docs_asset))
                    .default_service(web::to(nm)),
            )
            .default_service(web::to(ops::not_found)),
    )
    .service(
        web::resource("/healthz")
            .route(web::get().to(ops::healthz))
            .default_service(web::to(nm)),
    )
    .service(
        web::resource("/readyz")
            .route(web::get().to(ops::readyz))
            .default_service(web::to(nm)),
    )
    .service(
        web::resource("/metrics")
            .route(web::get().to(ops::metrics))
            .default_service(web::to(nm)),
    );
    if let Some(root) = web_root {
        cfg.service(
            actix_files::Files::new("/", root)
                .index_file("index.html")
                .prefer_utf8(true)
                .default_handler(web::to(ops::not_found)),
        );
    }
}

/// Starts the service and blocks until it stops (SIGINT/SIGTERM: graceful shutdown).
pub fn serve(cfg: Config, validator: Validator) -> Result<(), String> {
    tracing::info!(
        database = %cfg.database.redacted(),
        bind = %cfg.bind,
        rule_set = %validator.rule_set().digest,
        "starting shenbao intake service"
    );
    let store = Store::open(
        &cfg.database,
        &StoreOptions {
            pool_size: cfg.db_pool,
            write_queue: cfg.write_queue,
            conn: ConnOptions {
                busy_timeout_ms: cfg.busy_timeout_ms,
            },
        },
    )?;
    let web_root = if cfg.web_root.is_dir() {
        Some(cfg.web_root.clone())
    } else {
        tracing::warn!(web_root = %cfg.web_root.display(), "SHENBAO_WEB_ROOT is not a directory: no static files are served");
        None
    };
    let workers = cfg
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let bind = cfg.bind;
    let cfg_schema_queue = cfg.schema_queue;
    let state = web::Data::new(AppState {
        store: Arc::new(store),
        cfg,
        validator,
        schemas: SchemaChecker::background(cfg_schema_queue)?,
        inflight: Arc::default(),
        heavy_in_flight: AtomicUsize::new(0),
    });
    actix_web::rt::System::new().block_on(async move {
        let server = HttpServer::new(move || {
            let root = web_root.clone();
            App::new()
                .app_data(state.clone())
                // innermost first: error envelopes, then security headers on every answer
                .wrap(ErrorHandlers::new().default_handler(envelope_errors))
                .wrap(
                    DefaultHeaders::new()
                        .add((
                            header::CONTENT_SECURITY_POLICY,
                            HeaderValue::from_static(CSP),
                        ))
                        .add((
                            header::X_CONTENT_TYPE_OPTIONS,
                            HeaderValue::from_static("nosniff"),
                        ))
                        .add((
                            header::REFERRER_POLICY,
                            HeaderValue::from_static("no-referrer"),
                        )),
                )
                .wrap(actix_web::middleware::from_fn(observe))
                .configure(|c| routes(c, root))
                .default_service(web::to(ops::not_found))
        })
        .workers(workers)
        .bind(bind)
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        for addr in server.addrs() {
            // Tests and scripts read the port from this line.
            println!("listening on http://{addr}");
            tracing::info!(%addr, "listening");
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        server.run().await.map_err(|e| format!("server error: {e}"))
    })
}
