//! CSV export, streamed page by page (bounded memory): UTF-8 with a byte-order mark so that
//! Excel opens it as UTF-8, CRLF line ends, RFC 4180 quoting. A text cell that starts with
//! `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so spreadsheets do not run it as a formula.

use super::error::ApiResult;
use super::AppState;
use crate::db::models::SubmissionSummary;
use crate::db::store::{self, Cursor, Filter};
use crate::util;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;

pub const HEADER: [&str; 13] = [
    "id",
    "jurisdiction",
    "form",
    "status",
    "credit_code",
    "unit_name",
    "project_name",
    "valid",
    "errors",
    "warnings",
    "rule_set_version",
    "created_at",
    "updated_at",
];

const PAGE: i64 = 500;

/// One CSV cell.
pub fn cell(s: &str) -> String {
    let guarded;
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn line(r: &SubmissionSummary) -> String {
    let cells = [
        cell(&r.id),
        cell(&r.jurisdiction),
        cell(&r.form),
        cell(&r.status),
        cell(&r.credit_code),
        cell(r.unit_name.as_deref().unwrap_or("")),
        cell(r.project_name.as_deref().unwrap_or("")),
        (if r.valid != 0 { "true" } else { "false" }).to_string(),
        r.errors.to_string(),
        r.warnings.to_string(),
        cell(&r.rule_set_version),
        util::rfc3339_beijing(r.created_at),
        util::rfc3339_beijing(r.updated_at),
    ];
    let mut s = cells.join(",");
    s.push_str("\r\n");
    s
}

fn chunk(rows: &[SubmissionSummary], first: bool) -> web::Bytes {
    let mut s = String::new();
    if first {
        s.push('\u{feff}');
        s.push_str(&HEADER.join(","));
        s.push_str("\r\n");
    }
    for r in rows {
        s.push_str(&line(r));
    }
    web::Bytes::from(s)
}

fn next_cursor(rows: &[SubmissionSummary]) -> Option<Cursor> {
    if rows.len() as i64 == PAGE {
        rows.last().map(|r| (r.created_at, r.id.clone()))
    } else {
        None
    }
}

/// The response: the first page is read before answering (so a database failure is a proper
/// error response), the rest while streaming.
pub async fn stream(state: web::Data<AppState>, filter: Filter) -> ApiResult<HttpResponse> {
    let st = state.store.clone();
    let f = filter.clone();
    let first = web::block(move || st.read(|c| store::list(c, &f, None, PAGE))).await??;
    let head = chunk(&first, true);
    let after = next_cursor(&first);
    let rest = futures_util::stream::unfold(after, move |after| {
        let state = state.clone();
        let filter = filter.clone();
        async move {
            let after = after?;
            let st = state.store.clone();
            let res =
                web::block(move || st.read(|c| store::list(c, &filter, Some(&after), PAGE))).await;
            match res {
                Ok(Ok(rows)) => Some((
                    Ok::<_, actix_web::Error>(chunk(&rows, false)),
                    next_cursor(&rows),
                )),
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "export aborted");
                    crate::metrics::get().db_error();
                    Some((
                        Err(actix_web::error::ErrorInternalServerError("export aborted")),
                        None,
                    ))
                }
                Err(_) => Some((
                    Err(actix_web::error::ErrorInternalServerError("export aborted")),
                    None,
                )),
            }
        }
    });
    let body =
        futures_util::stream::once(async move { Ok::<_, actix_web::Error>(head) }).chain(rest);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"shenbao-submissions.csv\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .streaming(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("-5,x"), "\"'-5,x\"");
        assert_eq!(cell("单位"), "单位");
    }
}
