//! The store: every read and every write of the service goes through this module.
//!
//! **Writes** are values ([`WriteOp`]), each applied atomically together with its audit event
//! and its idempotency record. The server hands them to a single writer thread over a bounded
//! queue ([`Store::write`]); a full queue is back-pressure (`StoreError::Busy` → 503 with
//! `Retry-After`), never unbounded memory. The command line calls [`apply`] directly.
//!
//! **Group commit.** The writer takes whatever writes queued up while the previous commit was
//! being made durable (at most [`MAX_BATCH`]) and applies them in one transaction with one
//! fsync ([`apply_batch`]): each op in its own `SAVEPOINT`, so an op that fails or aborts is
//! rolled back alone and its neighbours still commit. Nobody waits for a batch to fill: at low
//! load a batch is one op and the latency is one commit. Every caller is answered only after
//! `COMMIT` returned, i.e. after the WAL (SQLite, `synchronous=FULL`) or the commit record
//! (PostgreSQL, `synchronous_commit=on`) is on disk. If the commit itself fails, every op of
//! the batch is retried in its own transaction, so one bad op cannot fail the others.
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

fn idem_of(op: &WriteOp) -> Option<&Idempotency> {
    match op {
        WriteOp::CreateSubmission { idem, .. }
        | WriteOp::Rejudge { idem, .. }
        | WriteOp::CreateToken { idem, .. } => idem.as_ref(),
        WriteOp::RevokeToken { .. } => None,
    }
}

/// Applies one write in its own transaction (the command line's path).
pub fn apply(conn: &mut DbConnection, op: &WriteOp) -> QueryResult<WriteOutcome> {
    let step = write_txn(conn, |c| {
        let step = step(c, op)?;
        let commit = matches!(step, Step::Ok(_));
        Ok((step, commit))
    })?;
    finish(conn, op, step)
}

/// The outcome of a step whose transaction (or savepoint) has been committed or rolled back.
fn finish(conn: &mut DbConnection, op: &WriteOp, step: Step) -> QueryResult<WriteOutcome> {
    match step {
        Step::Ok(o) | Step::Abort(o) => Ok(o),
        Step::IdemConflict => {
            let Some(i) = idem_of(op) else {
                return Err(DieselError::NotFound);
            };
            let existing = idempotency::table
                .find((&i.actor, &i.idem_key))
                .select(Idempotency::as_select())
                .first(conn)?;
            Ok(WriteOutcome::IdempotencyExists(existing))
        }
    }
}

/// The most writes one transaction takes (the queue may hold more).
pub const MAX_BATCH: usize = 256;

/// Applies several writes in one transaction (one fsync), each op in its own savepoint so that
/// a failing or aborting op is rolled back alone. Answers per op, in order; `Err` means the
/// transaction as a whole failed (nothing of it is committed) — see [`writer_loop`].
pub fn apply_batch(
    conn: &mut DbConnection,
    ops: &[&WriteOp],
) -> QueryResult<Vec<QueryResult<WriteOutcome>>> {
    if ops.len() > 1 {
        if let Some(rs) = insert_all(conn, ops) {
            return Ok(rs);
        }
    }
    conn.batch_execute(begin_of(conn))?;
    let run = |conn: &mut DbConnection| -> QueryResult<Vec<QueryResult<WriteOutcome>>> {
        let mut out = Vec::with_capacity(ops.len());
        for op in ops {
            conn.batch_execute("SAVEPOINT op")?;
            let result = match step(conn, op) {
                Ok(Step::Ok(o)) => {
                    conn.batch_execute("RELEASE SAVEPOINT op")?;
                    Ok(o)
                }
                Ok(other) => {
                    conn.batch_execute("ROLLBACK TO SAVEPOINT op")?;
                    conn.batch_execute("RELEASE SAVEPOINT op")?;
                    finish(conn, op, other)
                }
                Err(e) => {
                    conn.batch_execute("ROLLBACK TO SAVEPOINT op")?;
                    conn.batch_execute("RELEASE SAVEPOINT op")?;
                    Err(e)
                }
            };
            out.push(result);
        }
        conn.batch_execute("COMMIT")?;
        Ok(out)
    };
    run(conn).inspect_err(|_| {
        let _ = conn.batch_execute("ROLLBACK");
    })
}

fn begin_of(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Sqlite(_) => "BEGIN IMMEDIATE",
        DbConnection::Pg(_) => "BEGIN",
    }
}

/// The fast path of a batch of new filings (the common case under load): three multi-row
/// `INSERT`s — idempotency records, filings, events — in one transaction, a handful of round
/// trips instead of five per filing. `None` when the batch holds other writes or any insert
/// fails (a duplicate idempotency key, say): then nothing of it is committed and the caller
/// applies the ops one savepoint at a time, which isolates the failing one.
fn insert_all(conn: &mut DbConnection, ops: &[&WriteOp]) -> Option<Vec<QueryResult<WriteOutcome>>> {
    let mut rows = Vec::with_capacity(ops.len());
    let mut events_ = Vec::with_capacity(ops.len());
    let mut idems = Vec::new();
    for op in ops {
        let WriteOp::CreateSubmission { row, event, idem } = op else {
            return None;
        };
        rows.push(row);
        events_.push(event);
        idems.extend(idem.iter());
    }
    conn.batch_execute(begin_of(conn)).ok()?;
    // MultiConnection has no multi-row INSERT: run it on the backend's own connection.
    macro_rules! insert_rows {
        ($c:expr, $table:expr, $rows:expr) => {
            // chunks keep every statement under the backends' bind-parameter limits
            for chunk in $rows.chunks(100) {
                let chunk: Vec<_> = chunk.iter().map(|r| *r).collect();
                match &mut *$c {
                    DbConnection::Sqlite(c) => diesel::insert_into($table).values(chunk).execute(c),
                    DbConnection::Pg(c) => diesel::insert_into($table).values(chunk).execute(c),
                }?;
            }
        };
    }
    let run = |c: &mut DbConnection| -> QueryResult<()> {
        insert_rows!(c, idempotency::table, idems);
        insert_rows!(c, submissions::table, rows);
        insert_rows!(c, events::table, events_);
        c.batch_execute("COMMIT")
    };
    match run(conn) {
        Ok(()) => Some(ops.iter().map(|_| Ok(WriteOutcome::Done)).collect()),
        Err(_) => {
            let _ = conn.batch_execute("ROLLBACK");
            None
        }
    }
}

/// One write, inside a transaction the caller owns.
fn step(c: &mut DbConnection, op: &WriteOp) -> QueryResult<Step> {
    Ok(match op {
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
    })
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

    /// Whether the database is a local file (SQLite): reads take microseconds, no network.
    pub fn is_local(&self) -> bool {
        matches!(self.url, DbUrl::Sqlite(_))
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

/// The single writer: group commit over the bounded queue (see the module documentation).
fn writer_loop(rx: Receiver<Job>, mut conn: Option<DbConnection>, url: &DbUrl, o: ConnOptions) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Ok(first) = rx.recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if conn.is_none() {
            match establish(url, o) {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    for job in batch.drain(..) {
                        let _ = job.reply.send(Err(StoreError::Unavailable(e.clone())));
                    }
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        let ops: Vec<&WriteOp> = batch.iter().map(|j| &j.op).collect();
        let results: Vec<Result<WriteOutcome, StoreError>> = match apply_batch(c, &ops) {
            Ok(rs) => rs
                .into_iter()
                .map(|r| r.map_err(StoreError::from))
                .collect(),
            // The transaction failed as a whole: nothing of it is committed. Retry each op in
            // its own transaction so that one bad op cannot fail its neighbours.
            Err(_) => ops
                .iter()
                .map(|op| apply(c, op).map_err(StoreError::from))
                .collect(),
        };
        crate::metrics::get().write_batch(batch.len());
        let mut broken = false;
        for (job, mut result) in batch.drain(..).zip(results) {
            if let Err(StoreError::Db(e)) = &result {
                if broken || c.batch_execute("SELECT 1").is_err() {
                    // The connection is gone: the database is unavailable (503), not a bug.
                    broken = true;
                    result = Err(StoreError::Unavailable(e.to_string()));
                }
            }
            let _ = job.reply.send(result);
        }
        if broken {
            conn = None; // reconnect before the next write
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::{new_id_at, now_ms};

    fn token(id: &str) -> Token {
        Token {
            id: id.into(),
            hash: format!("hash-{id}"),
            role: "unit".into(),
            jurisdiction: Some("potou".into()),
            credit_code: Some("114408040073500118".into()),
            label: String::new(),
            created_at: 1,
            revoked_at: None,
        }
    }

    fn create(owner: &str, idem_key: Option<&str>) -> WriteOp {
        let now = now_ms();
        let id = new_id_at(now);
        WriteOp::CreateSubmission {
            row: Submission {
                id: id.clone(),
                jurisdiction: "potou".into(),
                form: "apply".into(),
                status: "draft".into(),
                credit_code: "114408040073500118".into(),
                unit_name: None,
                project_name: None,
                data: "{}".into(),
                report: "{}".into(),
                rule_set_version: "v".into(),
                rule_set_digest: "d".into(),
                rule_ids: " ".into(),
                valid: 0,
                errors: 1,
                warnings: 0,
                owner: owner.into(),
                created_at: now,
                updated_at: now,
            },
            event: Event {
                id: new_id_at(now),
                submission_id: id,
                action: "created".into(),
                actor: owner.into(),
                at: now,
                detail: "{}".into(),
            },
            idem: idem_key.map(|k| Idempotency {
                actor: owner.into(),
                idem_key: k.into(),
                request_hash: format!("h-{k}"),
                status: 201,
                response: format!("first answer for {k}"),
                created_at: now,
            }),
        }
    }

    fn count(c: &mut DbConnection) -> (i64, i64) {
        let s = submissions::table.count().get_result(c).unwrap();
        let e = events::table.count().get_result(c).unwrap();
        (s, e)
    }

    /// One failing op (a foreign-key violation) and one idempotency duplicate inside a batch:
    /// the neighbours commit, the failing op leaves nothing, the duplicate gets the first record.
    fn batch_isolates_ops(conn: &mut DbConnection) {
        migrate(conn).unwrap();
        apply(
            conn,
            &WriteOp::CreateToken {
                row: token("t1"),
                idem: None,
            },
        )
        .unwrap();
        let a = create("t1", None);
        let bad = create("no-such-token", None);
        let c = create("t1", Some("k1"));
        let dup = create("t1", Some("k1"));
        let d = create("t1", None);
        let out = apply_batch(conn, &[&a, &bad, &c, &dup, &d]).unwrap();
        assert!(matches!(out[0], Ok(WriteOutcome::Done)), "{:?}", out[0]);
        assert!(out[1].is_err(), "the FK violation fails: {:?}", out[1]);
        assert!(matches!(out[2], Ok(WriteOutcome::Done)), "{:?}", out[2]);
        match &out[3] {
            Ok(WriteOutcome::IdempotencyExists(rec)) => {
                assert_eq!(rec.response, "first answer for k1")
            }
            other => panic!("the duplicate key must see the first record: {other:?}"),
        }
        assert!(matches!(out[4], Ok(WriteOutcome::Done)), "{:?}", out[4]);
        assert_eq!(
            count(conn),
            (3, 3),
            "a, c and d with their events; nothing of bad or dup"
        );
        let WriteOp::CreateSubmission { row, .. } = &bad else {
            unreachable!()
        };
        assert!(submission(conn, &row.id).unwrap().is_none());
        // A batch of new filings only: the multi-row fast path.
        let ops: Vec<WriteOp> = (0..5)
            .map(|n| create("t1", (n % 2 == 0).then(|| format!("fast-{n}")).as_deref()))
            .collect();
        let refs: Vec<&WriteOp> = ops.iter().collect();
        let out = apply_batch(conn, &refs).unwrap();
        assert!(
            out.iter().all(|o| matches!(o, Ok(WriteOutcome::Done))),
            "{out:?}"
        );
        assert_eq!(count(conn), (8, 8));
        let idem: i64 = idempotency::table.count().get_result(conn).unwrap();
        assert_eq!(idem, 1 + 3, "k1 and fast-0, fast-2, fast-4");
        for op in &ops {
            let WriteOp::CreateSubmission { row, .. } = op else {
                unreachable!()
            };
            let stored = submission(conn, &row.id).unwrap().expect("stored");
            assert_eq!(stored.unit_name, None, "None is stored as NULL");
            assert_eq!(history(conn, &row.id).unwrap().len(), 1);
        }
        // A batch of one is an ordinary transaction.
        let e = create("t1", None);
        let out = apply_batch(conn, &[&e]).unwrap();
        assert!(matches!(out[0], Ok(WriteOutcome::Done)));
        assert_eq!(count(conn), (9, 9));
    }

    #[test]
    fn sqlite_batch_isolates_ops() {
        let dir = std::env::temp_dir().join(format!("shenbao-batch-{}", new_id_at(now_ms())));
        let mut conn = establish(&DbUrl::Sqlite(dir.join("t.db")), ConnOptions::default()).unwrap();
        batch_isolates_ops(&mut conn);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn postgres_batch_isolates_ops() {
        if std::env::var("SHENBAO_TEST_PG").is_ok_and(|v| v == "skip") {
            eprintln!("SHENBAO_TEST_PG=skip: PostgreSQL run skipped");
            return;
        }
        let admin_url = "postgres://postgres@127.0.0.1:5432/postgres";
        let name = format!("shenbao_batch_{}", new_id_at(now_ms()));
        let mut admin = establish(&DbUrl::Postgres(admin_url.into()), ConnOptions::default())
            .expect("PostgreSQL on 127.0.0.1:5432 (or set SHENBAO_TEST_PG=skip)");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = DbUrl::Postgres(format!("postgres://postgres@127.0.0.1:5432/{name}"));
        {
            let mut conn = establish(&url, ConnOptions::default()).unwrap();
            batch_isolates_ops(&mut conn);
        }
        admin
            .batch_execute(&format!("DROP DATABASE {name}"))
            .unwrap();
    }
}
