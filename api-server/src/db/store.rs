//! The store: every read and every write of the service goes through this module.
//!
//! **Writes** are values ([`WriteOp`]) applied by one function, [`apply`], each in one
//! transaction together with its audit event and its idempotency record. The server hands them
//! to a single writer thread over a bounded queue ([`Store::write`]); a full queue is
//! back-pressure (`StoreError::Busy` → 503 with `Retry-After`), never unbounded memory. The
//! command line calls [`apply`] directly. Because every write is one `WriteOp` through one
//! queue, group commit (several ops per transaction, one fsync) is a change to the writer loop
//! alone.
//!
//! **Reads** use a pool of connections (`Store::read`), from blocking threads.

use super::models::{Event, Idempotency, Judgement, Submission, SubmissionSummary, Token};
use super::schema::{events, idempotency, submissions, tokens};
use super::{establish, migrate, ConnOptions, DbConnection, DbUrl, Manager, MultiBackend, Pool};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The write queue is full: retry later.
    #[error("the write queue is full")]
    Busy,
    /// The database cannot be reached (pool timeout, connection refused, writer gone).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A query failed.
    #[error("database error: {0}")]
    Db(#[from] DieselError),
}

/// One write, applied atomically with everything it carries.
#[derive(Clone, Debug)]
pub enum WriteOp {
    /// A new filing, its `created` event and (optionally) the idempotency record of the request.
    CreateSubmission {
        row: Submission,
        event: Event,
        idem: Option<Idempotency>,
    },
    /// A new judgement of a **draft** (update or finalization); refused unless still a draft.
    Rejudge {
        id: String,
        judgement: Judgement,
        event: Event,
        idem: Option<Idempotency>,
    },
    /// A new token (hash only).
    CreateToken {
        row: Token,
        idem: Option<Idempotency>,
    },
    /// Revokes a token (no-op if already revoked); answers with the token.
    RevokeToken { id: String, at: i64 },
}

#[derive(Clone, Debug)]
pub enum WriteOutcome {
    Done,
    /// The token after revocation.
    Token(Token),
    NotFound,
    /// The filing is final: immutable.
    NotDraft,
    /// The (actor, key) was already recorded — by a concurrent request or another process.
    IdempotencyExists(Idempotency),
}

fn is_unique_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Runs `f` in a write transaction (`BEGIN IMMEDIATE` on SQLite, so the write lock is taken up
/// front and the busy timeout applies). `f` returns the value and whether to commit.
fn write_txn<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> QueryResult<(T, bool)>,
) -> QueryResult<T> {
    let begin = match conn {
        DbConnection::Sqlite(_) => "BEGIN IMMEDIATE",
        DbConnection::Pg(_) => "BEGIN",
    };
    conn.batch_execute(begin)?;
    match f(conn) {
        Ok((v, true)) => match conn.batch_execute("COMMIT") {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = conn.batch_execute("ROLLBACK");
                Err(e)
            }
        },
        Ok((v, false)) => {
            conn.batch_execute("ROLLBACK")?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

enum Step {
    Ok(WriteOutcome),
    Abort(WriteOutcome),
    IdemConflict,
}

fn insert_idem(conn: &mut DbConnection, idem: &Option<Idempotency>) -> QueryResult<bool> {
    if let Some(i) = idem {
        match diesel::insert_into(idempotency::table)
            .values(i)
            .execute(conn)
        {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Ok(false),
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Applies one write in its own transaction. The single entry point for all writes.
pub fn apply(conn: &mut DbConnection, op: &WriteOp) -> QueryResult<WriteOutcome> {
    let idem_of = |op: &WriteOp| match op {
        WriteOp::CreateSubmission { idem, .. }
        | WriteOp::Rejudge { idem, .. }
        | WriteOp::CreateToken { idem, .. } => idem.clone(),
        WriteOp::RevokeToken { .. } => None,
    };
    let step = write_txn(conn, |c| {
        let step = match op {
            WriteOp::CreateSubmission { row, event, idem } => {
                if !insert_idem(c, idem)? {
                    Step::IdemConflict
                } else {
                    diesel::insert_into(submissions::table)
                        .values(row)
                        .execute(c)?;
                    diesel::insert_into(events::table)
                        .values(event)
                        .execute(c)?;
                    Step::Ok(WriteOutcome::Done)
                }
            }
            WriteOp::Rejudge {
                id,
                judgement,
                event,
                idem,
            } => {
                if !insert_idem(c, idem)? {
                    Step::IdemConflict
                } else {
                    let n = diesel::update(submissions::table)
                        .filter(submissions::id.eq(id))
                        .filter(submissions::status.eq("draft"))
                        .set(judgement)
                        .execute(c)?;
                    if n == 1 {
                        diesel::insert_into(events::table)
                            .values(event)
                            .execute(c)?;
                        Step::Ok(WriteOutcome::Done)
                    } else {
                        let exists: i64 = submissions::table
                            .filter(submissions::id.eq(id))
                            .count()
                            .get_result(c)?;
                        Step::Abort(if exists > 0 {
                            WriteOutcome::NotDraft
                        } else {
                            WriteOutcome::NotFound
                        })
                    }
                }
            }
            WriteOp::CreateToken { row, idem } => {
                if !insert_idem(c, idem)? {
                    Step::IdemConflict
                } else {
                    diesel::insert_into(tokens::table).values(row).execute(c)?;
                    Step::Ok(WriteOutcome::Done)
                }
            }
            WriteOp::RevokeToken { id, at } => {
                diesel::update(tokens::table)
                    .filter(tokens::id.eq(id))
                    .filter(tokens::revoked_at.is_null())
                    .set(tokens::revoked_at.eq(Some(*at)))
                    .execute(c)?;
                let t = tokens::table
                    .filter(tokens::id.eq(id))
                    .select(Token::as_select())
                    .first(c)
                    .optional()?;
                Step::Ok(t.map_or(WriteOutcome::NotFound, WriteOutcome::Token))
            }
        };
        Ok(match step {
            Step::Ok(o) => (Step::Ok(o), true),
            other => (other, false),
        })
    })?;
    match step {
        Step::Ok(o) | Step::Abort(o) => Ok(o),
        Step::IdemConflict => {
            let i = idem_of(op).expect("a conflict needs a record");
            let existing = idempotency::table
                .find((&i.actor, &i.idem_key))
                .select(Idempotency::as_select())
                .first(conn)?;
            Ok(WriteOutcome::IdempotencyExists(existing))
        }
    }
}

/// Filters of the submission list and export. Several values for one column must all hold
/// (the caller's scope is added as another equality, so out-of-scope filters match nothing).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub jurisdiction: Vec<String>,
    pub form: Option<String>,
    pub status: Option<String>,
    pub credit_code: Vec<String>,
    /// A rule ID (characters `[a-z0-9.-]` only: no LIKE wildcards).
    pub rule: Option<String>,
    /// Inclusive lower bound of `created_at` (Unix ms).
    pub from_ms: Option<i64>,
    /// Exclusive upper bound of `created_at` (Unix ms).
    pub to_ms: Option<i64>,
}

macro_rules! filtered {
    ($q:expr, $f:expr) => {{
        let f: &Filter = $f;
        let mut q = $q;
        for j in &f.jurisdiction {
            q = q.filter(submissions::jurisdiction.eq(j.clone()));
        }
        if let Some(x) = &f.form {
            q = q.filter(submissions::form.eq(x.clone()));
        }
        if let Some(x) = &f.status {
            q = q.filter(submissions::status.eq(x.clone()));
        }
        for c in &f.credit_code {
            q = q.filter(submissions::credit_code.eq(c.clone()));
        }
        if let Some(r) = &f.rule {
            q = q.filter(submissions::rule_ids.like(format!("% {r} %")));
        }
        if let Some(ms) = f.from_ms {
            q = q.filter(submissions::created_at.ge(ms));
        }
        if let Some(ms) = f.to_ms {
            q = q.filter(submissions::created_at.lt(ms));
        }
        q
    }};
}

/// A position in the newest-first order: (created_at, id) of the last row seen.
pub type Cursor = (i64, String);

pub struct Store {
    pool: Pool,
    url: DbUrl,
    writer: SyncSender<Job>,
}

struct Job {
    op: WriteOp,
    reply: tokio::sync::oneshot::Sender<Result<WriteOutcome, StoreError>>,
}

/// Settings of [`Store::open`].
#[derive(Clone, Debug)]
pub struct StoreOptions {
    pub pool_size: u32,
    pub write_queue: usize,
    pub conn: ConnOptions,
}

impl Store {
    /// Connects, applies pending migrations and starts the writer thread.
    pub fn open(url: &DbUrl, o: &StoreOptions) -> Result<Store, String> {
        let mut conn = establish(url, o.conn)?;
        for m in migrate(&mut conn)? {
            tracing::info!(migration = %m, "applied migration");
        }
        let pool = r2d2::Pool::builder()
            .max_size(o.pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(5))
            .build(Manager {
                url: url.clone(),
                options: o.conn,
            })
            .map_err(|e| format!("database pool: {e}"))?;
        let (tx, rx) = sync_channel::<Job>(o.write_queue);
        let (wurl, wopt) = (url.clone(), o.conn);
        std::thread::Builder::new()
            .name("shenbao-writer".into())
            .spawn(move || writer_loop(rx, Some(conn), &wurl, wopt))
            .map_err(|e| format!("cannot start the writer thread: {e}"))?;
        Ok(Store {
            pool,
            url: url.clone(),
            writer: tx,
        })
    }

    pub fn backend(&self) -> &'static str {
        self.url.backend()
    }

    /// Runs a read on a pooled connection (call from a blocking thread).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> QueryResult<T>,
    ) -> Result<T, StoreError> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(f(&mut conn)?)
    }

    /// Queues a write for the writer thread and waits for its outcome (async).
    pub async fn write(&self, op: WriteOp) -> Result<WriteOutcome, StoreError> {
        let (reply, rx) = tokio::sync::oneshot::channel();
        match self.writer.try_send(Job { op, reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(StoreError::Busy),
            Err(TrySendError::Disconnected(_)) => {
                return Err(StoreError::Unavailable("the writer stopped".into()))
            }
        }
        rx.await
            .unwrap_or_else(|_| Err(StoreError::Unavailable("the writer stopped".into())))
    }

    pub fn ping(&self) -> Result<(), StoreError> {
        self.read(|c| c.batch_execute("SELECT 1"))
    }
}

fn writer_loop(rx: Receiver<Job>, mut conn: Option<DbConnection>, url: &DbUrl, o: ConnOptions) {
    while let Ok(job) = rx.recv() {
        if conn.is_none() {
            match establish(url, o) {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    let _ = job.reply.send(Err(StoreError::Unavailable(e)));
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        let mut result = apply(c, &job.op).map_err(StoreError::from);
        if let Err(e) = &result {
            if c.batch_execute("SELECT 1").is_err() {
                // The connection is gone: the database is unavailable (503), not a bug (500).
                result = Err(StoreError::Unavailable(e.to_string()));
                conn = None; // reconnect before the next write
            }
        }
        let _ = job.reply.send(result);
    }
}

// ------------------------------------------------------------------ reads

pub fn token_by_hash(c: &mut DbConnection, hash: &str) -> QueryResult<Option<Token>> {
    tokens::table
        .filter(tokens::hash.eq(hash))
        .select(Token::as_select())
        .first(c)
        .optional()
}

pub fn all_tokens(c: &mut DbConnection) -> QueryResult<Vec<Token>> {
    tokens::table
        .order((tokens::created_at.asc(), tokens::id.asc()))
        .select(Token::as_select())
        .load(c)
}

pub fn submission(c: &mut DbConnection, id: &str) -> QueryResult<Option<Submission>> {
    submissions::table
        .find(id)
        .select(Submission::as_select())
        .first(c)
        .optional()
}

pub fn history(c: &mut DbConnection, id: &str) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::submission_id.eq(id))
        .order((events::at.asc(), events::id.asc()))
        .select(Event::as_select())
        .load(c)
}

pub fn idempotency_record(
    c: &mut DbConnection,
    actor: &str,
    key: &str,
) -> QueryResult<Option<Idempotency>> {
    idempotency::table
        .find((actor, key))
        .select(Idempotency::as_select())
        .first(c)
        .optional()
}

/// One page of summaries, newest first, strictly after `after`.
pub fn list(
    c: &mut DbConnection,
    f: &Filter,
    after: Option<&Cursor>,
    limit: i64,
) -> QueryResult<Vec<SubmissionSummary>> {
    let mut q = filtered!(
        submissions::table
            .select(SubmissionSummary::as_select())
            .into_boxed::<MultiBackend>(),
        f
    );
    if let Some((at, id)) = after {
        q = q.filter(
            submissions::created_at.lt(*at).or(submissions::created_at
                .eq(*at)
                .and(submissions::id.lt(id.clone()))),
        );
    }
    q.order((submissions::created_at.desc(), submissions::id.desc()))
        .limit(limit)
        .load(c)
}

/// One page of whole rows, oldest first, strictly after `after` (re-validation).
pub fn scan(
    c: &mut DbConnection,
    f: &Filter,
    after: Option<&Cursor>,
    limit: i64,
) -> QueryResult<Vec<Submission>> {
    let mut q = filtered!(
        submissions::table
            .select(Submission::as_select())
            .into_boxed::<MultiBackend>(),
        f
    );
    if let Some((at, id)) = after {
        q = q.filter(
            submissions::created_at.gt(*at).or(submissions::created_at
                .eq(*at)
                .and(submissions::id.gt(id.clone()))),
        );
    }
    q.order((submissions::created_at.asc(), submissions::id.asc()))
        .limit(limit)
        .load(c)
}
