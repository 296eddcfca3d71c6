//! Rows of the tables in `schema.rs`.

use super::schema::{events, idempotency, submissions, tokens};
use diesel::prelude::*;

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = tokens)]
pub struct Token {
    pub id: String,
    pub hash: String,
    pub role: String,
    pub jurisdiction: Option<String>,
    pub credit_code: Option<String>,
    pub label: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// A whole submission row.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = submissions, treat_none_as_default_value = false)]
pub struct Submission {
    pub id: String,
    pub jurisdiction: String,
    pub form: String,
    pub status: String,
    pub credit_code: String,
    pub unit_name: Option<String>,
    pub project_name: Option<String>,
    pub data: String,
    pub report: String,
    pub rule_set_version: String,
    pub rule_set_digest: String,
    pub rule_ids: String,
    pub valid: i32,
    pub errors: i32,
    pub warnings: i32,
    pub owner: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A submission without its data and report: what lists and exports need.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = submissions)]
pub struct SubmissionSummary {
    pub id: String,
    pub jurisdiction: String,
    pub form: String,
    pub status: String,
    pub credit_code: String,
    pub unit_name: Option<String>,
    pub project_name: Option<String>,
    pub rule_set_version: String,
    pub rule_set_digest: String,
    pub valid: i32,
    pub errors: i32,
    pub warnings: i32,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The verdict columns a re-validation replaces (update of a draft, finalization).
#[derive(Clone, Debug, AsChangeset)]
#[diesel(table_name = submissions)]
pub struct Judgement {
    pub status: String,
    pub unit_name: Option<String>,
    pub project_name: Option<String>,
    pub data: String,
    pub report: String,
    pub rule_set_version: String,
    pub rule_set_digest: String,
    pub rule_ids: String,
    pub valid: i32,
    pub errors: i32,
    pub warnings: i32,
    pub updated_at: i64,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = events, treat_none_as_default_value = false)]
pub struct Event {
    pub id: String,
    pub submission_id: String,
    pub action: String,
    pub actor: String,
    pub at: i64,
    pub detail: String,
}

#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency, treat_none_as_default_value = false)]
pub struct Idempotency {
    pub actor: String,
    pub idem_key: String,
    pub request_hash: String,
    pub status: i32,
    pub response: String,
    pub created_at: i64,
}
