-- Webhooks: subscriptions, the outbox of their deliveries and every attempt. Deliveries are made from the events
-- table after the events commit; webhook_cursor (one row) says up to which event that was done. Times are epoch
-- milliseconds.

-- model_id NULL: every model's events and the registry's own. topics: comma-separated event kinds, empty for all.
-- The secret is kept because every delivery is signed with it: sealed (AES-GCM) when the operator sets
-- CAIRN_WEBHOOKS_SECRET_KEY, else as given. The API never shows it after creation.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    url         TEXT    NOT NULL,
    model_id    INTEGER REFERENCES models (id),
    topics      TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    description TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    after_seq   INTEGER NOT NULL
);

-- seq orders a webhook's deliveries (they go out one at a time, in this order); id is the public one, the same on
-- every retry. event_seq is NULL for a ping.
CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT    NOT NULL UNIQUE,
    webhook_id       INTEGER NOT NULL REFERENCES webhooks (id),
    event_seq        INTEGER,
    topic            TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    attempts         INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    next_attempt_at  INTEGER,
    delivered_at     INTEGER,
    last_status_code INTEGER,
    last_error       TEXT,
    leased_until     INTEGER
);
-- A webhook's log, newest first, and the head of its queue.
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
CREATE INDEX webhook_deliveries_by_status ON webhook_deliveries (webhook_id, status, seq);
-- The due ones, without reading the delivered and failed ones.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';

CREATE TABLE webhook_attempts (
    delivery_seq INTEGER NOT NULL REFERENCES webhook_deliveries (seq),
    attempt      INTEGER NOT NULL,
    time         INTEGER NOT NULL,
    status_code  INTEGER,
    error        TEXT,
    duration_ms  INTEGER NOT NULL,
    PRIMARY KEY (delivery_seq, attempt)
);

CREATE TABLE webhook_cursor (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL
);
INSERT INTO webhook_cursor (id, last_seq) VALUES (1, 0);
