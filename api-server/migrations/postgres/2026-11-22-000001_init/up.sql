-- shenbao intake service, initial schema (PostgreSQL).
-- Conventions shared with migrations/postgres: ids are 32 hex digits made in Rust (time-sortable),
-- instants are BIGINT Unix milliseconds, booleans are INTEGER 0/1, JSON is TEXT.

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    hash         TEXT NOT NULL UNIQUE,          -- SHA-256 (hex) of the bearer token; the token itself is never stored
    role         TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'unit')),
    jurisdiction TEXT,
    credit_code  TEXT,
    label        TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);

CREATE TABLE submissions (
    id               TEXT PRIMARY KEY NOT NULL,
    jurisdiction     TEXT NOT NULL,
    form             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('draft', 'final')),
    credit_code      TEXT NOT NULL,
    unit_name        TEXT,
    project_name     TEXT,
    data             TEXT NOT NULL,             -- the filing data as judged (JSON)
    report           TEXT NOT NULL,             -- the exact canonical JSON report it was judged by
    rule_set_version TEXT NOT NULL,
    rule_set_digest  TEXT NOT NULL,
    rule_ids         TEXT NOT NULL,             -- ' id1 id2 ' : distinct rule IDs of the findings
    valid            INTEGER NOT NULL CHECK (valid IN (0, 1)),
    errors           INTEGER NOT NULL,
    warnings         INTEGER NOT NULL,
    owner            TEXT NOT NULL REFERENCES tokens (id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

CREATE INDEX submissions_created ON submissions (created_at, id);
CREATE INDEX submissions_jurisdiction ON submissions (jurisdiction, created_at, id);
CREATE INDEX submissions_jurisdiction_form ON submissions (jurisdiction, form, created_at, id);
CREATE INDEX submissions_credit_code ON submissions (credit_code, created_at, id);
CREATE INDEX submissions_status ON submissions (status, created_at, id);

CREATE TABLE events (
    id            TEXT PRIMARY KEY NOT NULL,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    action        TEXT NOT NULL CHECK (action IN ('created', 'updated', 'finalized')),
    actor         TEXT NOT NULL,                -- token id
    at            BIGINT NOT NULL,
    detail        TEXT NOT NULL                 -- JSON: status, verdict, counts, rule set
);

CREATE INDEX events_submission ON events (submission_id, at, id);

-- The audit trail is append-only.
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;

CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE idempotency (
    actor        TEXT NOT NULL,                 -- token id
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,                 -- SHA-256 of method, path and body
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (actor, idem_key)
);
