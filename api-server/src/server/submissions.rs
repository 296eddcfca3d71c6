//! Filings: create (draft or final), update a draft, finalize, read with history, list, export.

use super::catalog::json_response;
use super::error::{ApiError, ApiResult};
use super::extract::{
    authenticate, idempotency_key, no_query, parse_json, parse_query, read_body, require_json,
};
use super::idempotency::{self, Idem};
use super::{validate_error, AppState};
use crate::auth::{Principal, Role};
use crate::db::models::{Event, Judgement, Submission, SubmissionSummary};
use crate::db::store::{self, Cursor, Filter, WriteOp, WriteOutcome};
use crate::util;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use validator::{Validate, ValidationError};
use validator_core::json::J;
use validator_core::{formats, Date, Report};

// ------------------------------------------------------------------ input

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Final,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Final => "final",
        }
    }
}

/// The filing's `data` stays text until the engine's borrowed document reads it ([`J`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody<'a> {
    pub jurisdiction: String,
    pub form: String,
    #[serde(borrow)]
    pub data: &'a RawValue,
    pub status: Status,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody<'a> {
    #[serde(borrow)]
    pub data: &'a RawValue,
}

/// The document of a `data` member, which must be an object.
fn data_doc(raw: &RawValue) -> ApiResult<J<'_>> {
    let doc =
        J::parse(raw.get()).map_err(|_| ApiError::bad_request("data is not JSON").field("data"))?;
    if doc.as_object().is_none() {
        return Err(validate_error(validator_core::ValidateError::NotAnObject));
    }
    Ok(doc)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalizeBody {}

fn v_jurisdiction(j: &str) -> Result<(), ValidationError> {
    match validator_core::packs::pack(j) {
        Some(_) => Ok(()),
        None => Err(ValidationError::new("jurisdiction")
            .with_message(format!("unknown jurisdiction {j:?}").into())),
    }
}

fn v_form(f: &str) -> Result<(), ValidationError> {
    match validator_core::model::FormKind::from_key(f) {
        Some(_) => Ok(()),
        None => {
            Err(ValidationError::new("form").with_message(format!("unknown form {f:?}").into()))
        }
    }
}

fn v_status(s: &str) -> Result<(), ValidationError> {
    match s {
        "draft" | "final" => Ok(()),
        _ => Err(ValidationError::new("status").with_message("expected draft or final".into())),
    }
}

fn v_credit_code(c: &str) -> Result<(), ValidationError> {
    if formats::credit_code_format_ok(c) {
        Ok(())
    } else {
        Err(ValidationError::new("credit_code")
            .with_message("expected an 18-character unified social credit code".into()))
    }
}

fn v_rule(r: &str) -> Result<(), ValidationError> {
    if !r.is_empty()
        && r.len() <= 100
        && r.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        Ok(())
    } else {
        Err(ValidationError::new("rule")
            .with_message("expected a rule ID such as common.any.required-field".into()))
    }
}

fn v_date(d: &str) -> Result<(), ValidationError> {
    match Date::parse(d) {
        Some(_) => Ok(()),
        None => Err(ValidationError::new("date").with_message("expected a date YYYY-MM-DD".into())),
    }
}

fn v_cursor(c: &str) -> Result<(), ValidationError> {
    match decode_cursor(c) {
        Some(_) => Ok(()),
        None => {
            Err(ValidationError::new("cursor")
                .with_message("not a cursor returned by this API".into()))
        }
    }
}

/// Query parameters of the list (and, without `cursor`/`limit`, of the export).
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    #[validate(custom(function = "v_jurisdiction"))]
    pub jurisdiction: Option<String>,
    #[validate(custom(function = "v_form"))]
    pub form: Option<String>,
    #[validate(custom(function = "v_status"))]
    pub status: Option<String>,
    #[validate(custom(function = "v_credit_code"))]
    pub credit_code: Option<String>,
    #[validate(custom(function = "v_rule"))]
    pub rule: Option<String>,
    #[validate(custom(function = "v_date"))]
    pub from: Option<String>,
    #[validate(custom(function = "v_date"))]
    pub to: Option<String>,
    #[validate(custom(function = "v_cursor"))]
    pub cursor: Option<String>,
    #[validate(range(min = 1, max = 200, message = "must be between 1 and 200"))]
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    #[validate(custom(function = "v_jurisdiction"))]
    pub jurisdiction: Option<String>,
    #[validate(custom(function = "v_form"))]
    pub form: Option<String>,
    #[validate(custom(function = "v_status"))]
    pub status: Option<String>,
    #[validate(custom(function = "v_credit_code"))]
    pub credit_code: Option<String>,
    #[validate(custom(function = "v_rule"))]
    pub rule: Option<String>,
    #[validate(custom(function = "v_date"))]
    pub from: Option<String>,
    #[validate(custom(function = "v_date"))]
    pub to: Option<String>,
}

pub const DEFAULT_LIMIT: u32 = 50;

pub fn encode_cursor(c: &Cursor) -> String {
    util::b64url(format!("{}:{}", c.0, c.1).as_bytes())
}

pub fn decode_cursor(s: &str) -> Option<Cursor> {
    let text = String::from_utf8(util::b64url_decode(s)?).ok()?;
    let (at, id) = text.split_once(':')?;
    let at: i64 = at.parse().ok()?;
    (at >= 0 && util::is_id(id)).then(|| (at, id.to_string()))
}

#[allow(clippy::too_many_arguments)]
fn build_filter(
    jurisdiction: Option<String>,
    form: Option<String>,
    status: Option<String>,
    credit_code: Option<String>,
    rule: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> ApiResult<Filter> {
    let from = from.as_deref().and_then(Date::parse);
    let to = to.as_deref().and_then(Date::parse);
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(ApiError::bad_field("from", "from must not be after to"));
        }
    }
    Ok(Filter {
        jurisdiction: jurisdiction.into_iter().collect(),
        form,
        status,
        credit_code: credit_code.into_iter().collect(),
        rule,
        from_ms: from.map(util::beijing_day_start_ms),
        to_ms: to.map(|d| util::beijing_day_start_ms(d.add_days(1))),
    })
}

// ------------------------------------------------------------------ output

#[derive(Serialize)]
pub struct RuleSetOut<'a> {
    pub digest: &'a str,
    pub version: &'a str,
}

/// The answer of create / update / finalize.
#[derive(Serialize)]
struct Written<'a> {
    id: &'a str,
    jurisdiction: &'a str,
    form: &'a str,
    status: &'a str,
    credit_code: &'a str,
    valid: bool,
    report: &'a RawValue,
    rule_set: RuleSetOut<'a>,
    created_at: String,
    updated_at: String,
}

#[derive(Serialize)]
pub struct SummaryOut<'a> {
    pub id: &'a str,
    pub jurisdiction: &'a str,
    pub form: &'a str,
    pub status: &'a str,
    pub credit_code: &'a str,
    pub unit_name: Option<&'a str>,
    pub project_name: Option<&'a str>,
    pub valid: bool,
    pub errors: i32,
    pub warnings: i32,
    pub rule_set: RuleSetOut<'a>,
    pub created_at: String,
    pub updated_at: String,
}

impl<'a> SummaryOut<'a> {
    fn of(s: &'a SubmissionSummary) -> SummaryOut<'a> {
        SummaryOut {
            id: &s.id,
            jurisdiction: &s.jurisdiction,
            form: &s.form,
            status: &s.status,
            credit_code: &s.credit_code,
            unit_name: s.unit_name.as_deref(),
            project_name: s.project_name.as_deref(),
            valid: s.valid != 0,
            errors: s.errors,
            warnings: s.warnings,
            rule_set: RuleSetOut {
                digest: &s.rule_set_digest,
                version: &s.rule_set_version,
            },
            created_at: util::rfc3339_beijing(s.created_at),
            updated_at: util::rfc3339_beijing(s.updated_at),
        }
    }
}

#[derive(Serialize)]
struct EventOut<'a> {
    id: &'a str,
    action: &'a str,
    actor: &'a str,
    at: String,
    detail: &'a RawValue,
}

#[derive(Serialize)]
struct Detail<'a> {
    id: &'a str,
    jurisdiction: &'a str,
    form: &'a str,
    status: &'a str,
    credit_code: &'a str,
    unit_name: Option<&'a str>,
    project_name: Option<&'a str>,
    valid: bool,
    errors: i32,
    warnings: i32,
    data: &'a RawValue,
    report: &'a RawValue,
    rule_set: RuleSetOut<'a>,
    created_at: String,
    updated_at: String,
    history: Vec<EventOut<'a>>,
}

fn raw(s: &str) -> ApiResult<&RawValue> {
    serde_json::from_str::<&RawValue>(s).map_err(|e| {
        tracing::error!(error = %e, "stored JSON does not parse");
        ApiError::internal()
    })
}

fn to_json<T: Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(|e| {
        tracing::error!(error = %e, "response does not serialize");
        ApiError::internal()
    })
}

// ------------------------------------------------------------------ judgement

/// A filing judged by the core, with the derived columns.
struct Judged {
    data: String,
    report: String,
    report_value: Report,
    unit_name: Option<String>,
    project_name: Option<String>,
    rule_ids: String,
    errors: i32,
    warnings: i32,
}

fn text_at(data: &J, path: &[&str]) -> Option<String> {
    path.iter()
        .try_fold(data, |v, k| v.get(k))
        .and_then(J::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn judged(data: &J, report: Report) -> Judged {
    let mut ids: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let rule_ids = if ids.is_empty() {
        " ".to_string()
    } else {
        format!(" {} ", ids.join(" "))
    };
    let count = |s: &str| report.findings.iter().filter(|f| f.severity == s).count() as i32;
    Judged {
        data: data.to_json(),
        report: report.to_canonical_json(),
        unit_name: text_at(data, &["applicant", "unit_name"]),
        project_name: text_at(data, &["project_name"]),
        rule_ids,
        errors: count("error"),
        warnings: count("warning"),
        report_value: report,
    }
}

/// Who the filing says it is from: a well-formed credit code of `applicant.credit_code`, if any.
fn claimed_credit_code(data: &J) -> Option<String> {
    let c = data.get("applicant")?.get("credit_code")?.as_str()?.trim();
    (formats::credit_code_format_ok(c) && formats::credit_code_check_ok(c)).then(|| c.to_string())
}

/// A unit may file only as itself: a filing naming another (well-formed) credit code is refused.
/// A draft whose credit code is absent or malformed is kept as the unit's own (the report says
/// what is wrong); a final filing cannot be malformed (the core reports an error → 422).
fn check_unit_owns(p: &Principal, data: &J) -> ApiResult<()> {
    if let Some(c) = claimed_credit_code(data) {
        if p.credit_code.as_deref() != Some(c.as_str()) {
            return Err(ApiError::forbidden(
                "applicant.credit_code names another unit: a unit token files only for its own credit code",
            )
            .field("data.applicant.credit_code"));
        }
    }
    Ok(())
}

fn require_unit(p: &Principal) -> ApiResult<()> {
    match p.role {
        Role::Unit => Ok(()),
        Role::Reviewer => Err(ApiError::forbidden(
            "reviewer tokens are read-only: only a unit token writes filings",
        )),
        Role::Admin => Err(ApiError::forbidden(
            "admin tokens manage tokens: only a unit token writes filings",
        )),
    }
}

fn stamp_today(data: &mut J, today: Date) {
    data.set(
        "submission_date",
        J::Str(Cow::Owned(util::date_string(today))),
    );
}

fn detail_json(action: &str, status: &str, j: &Judged) -> String {
    serde_json::json!({
        "action": action,
        "status": status,
        "valid": j.report_value.valid,
        "errors": j.errors,
        "warnings": j.warnings,
        "rule_set": j.report_value.rule_set,
    })
    .to_string()
}

/// 422 with the report: a final filing with errors is refused and nothing is stored.
fn refused(j: &Judged) -> ApiError {
    let mut e = ApiError::unprocessable(
        "invalid_filing",
        format!(
            "the filing has {} error(s): a final filing must be valid — nothing was stored (see report)",
            j.errors
        ),
    );
    e.report = Some(j.report.clone());
    e
}

fn written_body(
    row_like: (&str, &str, &str, &str, &str, i64, i64),
    j: &Judged,
) -> ApiResult<String> {
    let (id, jur, form, status, cc, created, updated) = row_like;
    let rs = &j.report_value.rule_set;
    to_json(&Written {
        id,
        jurisdiction: jur,
        form,
        status,
        credit_code: cc,
        valid: j.report_value.valid,
        report: raw(&j.report)?,
        rule_set: RuleSetOut {
            digest: &rs.digest,
            version: &rs.version,
        },
        created_at: util::rfc3339_beijing(created),
        updated_at: util::rfc3339_beijing(updated),
    })
}

fn outcome_error(o: WriteOutcome, idem: Option<&Idem>) -> ApiResult<HttpResponse> {
    match o {
        WriteOutcome::IdempotencyExists(rec) => match idem {
            Some(i) => idempotency::raced(i, &rec),
            None => Err(ApiError::internal()),
        },
        WriteOutcome::NotFound => Err(ApiError::not_found("no such submission")),
        WriteOutcome::NotDraft => Err(not_draft()),
        WriteOutcome::Done | WriteOutcome::Token(_) => Err(ApiError::internal()),
    }
}

fn not_draft() -> ApiError {
    ApiError::conflict(
        "not_draft",
        "the submission is final: final filings are immutable",
    )
}

fn path_id(req: &HttpRequest) -> ApiResult<String> {
    let id = req.match_info().get("id").unwrap_or_default();
    if util::is_id(id) {
        Ok(id.to_string())
    } else {
        Err(ApiError::not_found("no such submission"))
    }
}

/// Loads a filing the caller may see (404 otherwise, whether or not it exists).
async fn visible(state: &web::Data<AppState>, p: &Principal, id: String) -> ApiResult<Submission> {
    let st = state.store.clone();
    let row = web::block(move || st.read(|c| store::submission(c, &id))).await??;
    match row {
        Some(s) if p.can_read(&s) => Ok(s),
        _ => Err(ApiError::not_found("no such submission")),
    }
}

// ------------------------------------------------------------------ handlers

/// `POST /api/v1/submissions`.
pub async fn create(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let p = authenticate(&req, &state).await?;
    let key = idempotency_key(&req)?;
    require_json(&req)?;
    let bytes = read_body(&req, payload, state.cfg.body_limit).await?;
    let body: CreateBody = parse_json(&bytes, state.cfg.json_depth)?;
    validator_core::engine::resolve(&body.jurisdiction, &body.form).map_err(validate_error)?;
    let mut data = data_doc(body.data)?;
    require_unit(&p)?;
    if p.jurisdiction.as_deref() != Some(body.jurisdiction.as_str()) {
        return Err(
            ApiError::forbidden("a unit token files only in its own jurisdiction")
                .field("jurisdiction"),
        );
    }
    check_unit_owns(&p, &data)?;

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

    let CreateBody {
        jurisdiction,
        form,
        status,
        ..
    } = body;
    if status == Status::Final {
        stamp_today(&mut data, state.today());
    }
    let j = state
        .judge_doc(&jurisdiction, &form, &data)
        .map(|r| judged(&data, r))
        .map_err(validate_error)?;
    state.second_check(&jurisdiction, &form, j.data.clone(), &j.report_value);
    if status == Status::Final && !j.report_value.valid {
        return Err(refused(&j));
    }

    let now = util::now_ms();
    let id = util::new_id_at(now);
    let credit_code = p.credit_code.clone().unwrap_or_default();
    let body = written_body(
        (
            &id,
            &jurisdiction,
            &form,
            status.as_str(),
            &credit_code,
            now,
            now,
        ),
        &j,
    )?;
    let event = Event {
        id: util::new_id_at(now),
        submission_id: id.clone(),
        action: "created".into(),
        actor: p.token_id.clone(),
        at: now,
        detail: detail_json("created", status.as_str(), &j),
    };
    let row = Submission {
        id: id.clone(),
        jurisdiction,
        form,
        status: status.as_str().into(),
        credit_code,
        unit_name: j.unit_name,
        project_name: j.project_name,
        data: j.data,
        report: j.report,
        rule_set_version: j.report_value.rule_set.version.clone(),
        rule_set_digest: j.report_value.rule_set.digest.clone(),
        rule_ids: j.rule_ids,
        valid: i32::from(j.report_value.valid),
        errors: j.errors,
        warnings: j.warnings,
        owner: p.token_id.clone(),
        created_at: now,
        updated_at: now,
    };
    let rec = idem.as_ref().map(|i| i.record(StatusCode::CREATED, &body));
    match state
        .store
        .write(WriteOp::CreateSubmission {
            row,
            event,
            idem: rec,
        })
        .await?
    {
        WriteOutcome::Done => {
            crate::metrics::get().stored("created");
            Ok(HttpResponse::Created()
                .content_type("application/json")
                .insert_header(("Location", format!("/api/v1/submissions/{id}")))
                .body(body))
        }
        other => outcome_error(other, idem.as_ref()),
    }
}

/// Re-judges a draft with new data (update) or stamped data (finalize).
async fn rejudge(
    state: &web::Data<AppState>,
    p: &Principal,
    current: Submission,
    mut data: J<'_>,
    finalize: bool,
    idem: Option<Idem>,
) -> ApiResult<HttpResponse> {
    if finalize {
        stamp_today(&mut data, state.today());
    }
    let j = state
        .judge_doc(&current.jurisdiction, &current.form, &data)
        .map(|r| judged(&data, r))
        .map_err(validate_error)?;
    state.second_check(
        &current.jurisdiction,
        &current.form,
        j.data.clone(),
        &j.report_value,
    );
    if finalize && !j.report_value.valid {
        return Err(refused(&j));
    }
    let (action, status, ok) = if finalize {
        ("finalized", "final", StatusCode::OK)
    } else {
        ("updated", "draft", StatusCode::OK)
    };
    let now = util::now_ms().max(current.updated_at);
    let body = written_body(
        (
            &current.id,
            &current.jurisdiction,
            &current.form,
            status,
            &current.credit_code,
            current.created_at,
            now,
        ),
        &j,
    )?;
    let event = Event {
        id: util::new_id_at(now),
        submission_id: current.id.clone(),
        action: action.into(),
        actor: p.token_id.clone(),
        at: now,
        detail: detail_json(action, status, &j),
    };
    let judgement = Judgement {
        status: status.into(),
        unit_name: j.unit_name,
        project_name: j.project_name,
        data: j.data,
        report: j.report,
        rule_set_version: j.report_value.rule_set.version.clone(),
        rule_set_digest: j.report_value.rule_set.digest.clone(),
        rule_ids: j.rule_ids,
        valid: i32::from(j.report_value.valid),
        errors: j.errors,
        warnings: j.warnings,
        updated_at: now,
    };
    let rec = idem.as_ref().map(|i| i.record(ok, &body));
    match state
        .store
        .write(WriteOp::Rejudge {
            id: current.id.clone(),
            judgement,
            event,
            idem: rec,
        })
        .await?
    {
        WriteOutcome::Done => {
            crate::metrics::get().stored(action);
            Ok(json_response(ok, body))
        }
        other => outcome_error(other, idem.as_ref()),
    }
}

/// `PUT /api/v1/submissions/{id}`: replaces the data of a draft.
pub async fn update(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let p = authenticate(&req, &state).await?;
    let id = path_id(&req)?;
    require_json(&req)?;
    let bytes = read_body(&req, payload, state.cfg.body_limit).await?;
    let body: UpdateBody = parse_json(&bytes, state.cfg.json_depth)?;
    let data = data_doc(body.data)?;
    let current = visible(&state, &p, id).await?;
    require_unit(&p)?;
    if current.status != "draft" {
        return Err(not_draft());
    }
    check_unit_owns(&p, &data)?;
    rejudge(&state, &p, current, data, false, None).await
}

/// `POST /api/v1/submissions/{id}/finalize`: turns a draft final (same checks as a final filing).
pub async fn finalize(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let p = authenticate(&req, &state).await?;
    let id = path_id(&req)?;
    let key = idempotency_key(&req)?;
    let bytes = read_body(&req, payload, state.cfg.body_limit).await?;
    if !bytes.iter().all(u8::is_ascii_whitespace) {
        require_json(&req)?;
        let _: FinalizeBody = parse_json(&bytes, state.cfg.json_depth)?;
    }
    let current = visible(&state, &p, id).await?;
    require_unit(&p)?;
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
    // Re-read after waiting for a concurrent duplicate.
    let current = if idem.is_some() {
        visible(&state, &p, current.id).await?
    } else {
        current
    };
    if current.status != "draft" {
        return Err(not_draft());
    }
    let text = current.data.clone();
    let data = J::parse(&text).map_err(|e| {
        tracing::error!(error = %e, "stored data does not parse");
        ApiError::internal()
    })?;
    rejudge(&state, &p, current, data, true, idem).await
}

/// `GET /api/v1/submissions/{id}`: data, report, rule set and history.
pub async fn get(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    no_query(&req)?;
    let p = authenticate(&req, &state).await?;
    let id = path_id(&req)?;
    let s = visible(&state, &p, id).await?;
    let st = state.store.clone();
    let sid = s.id.clone();
    let events = web::block(move || st.read(|c| store::history(c, &sid))).await??;
    let mut history = Vec::with_capacity(events.len());
    for e in &events {
        history.push(EventOut {
            id: &e.id,
            action: &e.action,
            actor: &e.actor,
            at: util::rfc3339_beijing(e.at),
            detail: raw(&e.detail)?,
        });
    }
    let body = to_json(&Detail {
        id: &s.id,
        jurisdiction: &s.jurisdiction,
        form: &s.form,
        status: &s.status,
        credit_code: &s.credit_code,
        unit_name: s.unit_name.as_deref(),
        project_name: s.project_name.as_deref(),
        valid: s.valid != 0,
        errors: s.errors,
        warnings: s.warnings,
        data: raw(&s.data)?,
        report: raw(&s.report)?,
        rule_set: RuleSetOut {
            digest: &s.rule_set_digest,
            version: &s.rule_set_version,
        },
        created_at: util::rfc3339_beijing(s.created_at),
        updated_at: util::rfc3339_beijing(s.updated_at),
        history,
    })?;
    Ok(json_response(StatusCode::OK, body))
}

#[derive(Serialize)]
struct Page<'a> {
    items: Vec<SummaryOut<'a>>,
    next_cursor: Option<String>,
}

/// `GET /api/v1/submissions`: newest first, cursor paging.
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let q: ListQuery = parse_query(&req)?;
    let p = authenticate(&req, &state).await?;
    let mut filter = build_filter(
        q.jurisdiction,
        q.form,
        q.status,
        q.credit_code,
        q.rule,
        q.from,
        q.to,
    )?;
    p.scope(&mut filter);
    let after = q.cursor.as_deref().and_then(decode_cursor);
    let limit = i64::from(q.limit.unwrap_or(DEFAULT_LIMIT));
    let st = state.store.clone();
    let mut rows =
        web::block(move || st.read(|c| store::list(c, &filter, after.as_ref(), limit + 1)))
            .await??;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| encode_cursor(&(r.created_at, r.id.clone())))
    } else {
        None
    };
    let body = to_json(&Page {
        items: rows.iter().map(SummaryOut::of).collect(),
        next_cursor: next,
    })?;
    Ok(json_response(StatusCode::OK, body))
}

/// `GET /api/v1/submissions/export`: the same filters, streamed as CSV.
pub async fn export(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let q: ExportQuery = parse_query(&req)?;
    let p = authenticate(&req, &state).await?;
    let mut filter = build_filter(
        q.jurisdiction,
        q.form,
        q.status,
        q.credit_code,
        q.rule,
        q.from,
        q.to,
    )?;
    p.scope(&mut filter);
    super::csv::stream(state, filter).await
}
