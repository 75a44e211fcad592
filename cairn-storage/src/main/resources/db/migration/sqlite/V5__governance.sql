-- Governance: users and their API tokens, per-model grants, promotion policies, transition requests with their
-- approvals, and the hash chain that makes the event log tamper-evident. Times are epoch milliseconds.

CREATE TABLE users (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    role       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT
);

-- Only the sha256 of a token's secret is stored; a request finds its token by that hash.
CREATE TABLE api_tokens (
    id         TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    hash       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);

CREATE TABLE model_grants (
    model_id INTEGER NOT NULL REFERENCES models (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    role     TEXT    NOT NULL,
    PRIMARY KEY (model_id, user_id)
);

-- A model's own policy, or the registry's default where model_id is NULL. The policy is JSON, read whole.
CREATE TABLE policies (
    model_id INTEGER REFERENCES models (id),
    policy   TEXT    NOT NULL
);
-- One row per model and one default row: NULL counts as 0, which no model id takes.
CREATE UNIQUE INDEX policies_by_model ON policies (COALESCE(model_id, 0));

-- target is the pointer's key (stage:Production, alias:champion); decided_* stay NULL while the request is PENDING.
CREATE TABLE transition_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id         INTEGER NOT NULL REFERENCES models (id),
    version          INTEGER NOT NULL,
    target           TEXT    NOT NULL,
    requested_by     TEXT    NOT NULL,
    comment          TEXT,
    status           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    decided_by       TEXT,
    decided_at       INTEGER,
    decision_comment TEXT
);
CREATE INDEX transition_requests_by_model ON transition_requests (model_id, id);
CREATE INDEX transition_requests_by_status ON transition_requests (status, id);

CREATE TABLE request_approvals (
    request_id INTEGER NOT NULL REFERENCES transition_requests (id),
    approver   TEXT    NOT NULL,
    time       INTEGER NOT NULL,
    comment    TEXT,
    PRIMARY KEY (request_id, approver)
);

-- Each event stores the hash of the one before it and its own (AuditChain). Rows from before this migration start
-- with NULL and are linked in when the store opens; the partial index finds them without a scan.
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
CREATE INDEX events_unhashed ON events (seq) WHERE hash IS NULL;
CREATE INDEX events_by_actor ON events (actor, seq);
CREATE INDEX events_by_time ON events (time);
