-- MLflow tracking: experiments, runs and the proxied-artifact index. Times are epoch milliseconds.
-- Every query starts from an indexed key: a run by its id, a run's children by (run_id, key), a search by experiment.

CREATE TABLE experiments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    -- MLflow refuses a name held by a deleted experiment too, so the uniqueness covers all rows.
    name              TEXT    NOT NULL UNIQUE,
    artifact_location TEXT    NOT NULL,
    deleted           INTEGER NOT NULL DEFAULT 0,
    creation_time     INTEGER NOT NULL,
    last_update_time  INTEGER NOT NULL
);
CREATE INDEX experiments_by_creation ON experiments (deleted, creation_time);

-- MLflow clients create runs in experiment "0" when they name none, so it exists from the start.
INSERT INTO experiments (id, name, artifact_location, deleted, creation_time, last_update_time)
VALUES (0, 'Default', 'mlflow-artifacts:/0', 0,
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));

CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments (id),
    key           TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, key)
);

CREATE TABLE runs (
    run_id        TEXT    PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id),
    name          TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    start_time    INTEGER NOT NULL,
    end_time      INTEGER,
    artifact_uri  TEXT    NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, deleted, start_time);

-- seq keeps the logging order, which is the order MLflow clients expect the history back in.
CREATE TABLE metrics (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id    TEXT    NOT NULL REFERENCES runs (run_id),
    key       TEXT    NOT NULL,
    -- SQLite cannot store NaN (it reads back as NULL): NaN is value 0 with is_nan 1, as MLflow stores it.
    value     REAL    NOT NULL,
    is_nan    INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    step      INTEGER NOT NULL
);
CREATE INDEX metrics_history ON metrics (run_id, key, seq);
-- Logging the same point again is ignored.
CREATE UNIQUE INDEX metrics_point ON metrics (run_id, key, timestamp, step, value, is_nan);

-- The latest value per (run, key) by MLflow's rule, kept on every write so run reads and searches need no history.
CREATE TABLE latest_metrics (
    run_id    TEXT    NOT NULL REFERENCES runs (run_id),
    key       TEXT    NOT NULL,
    value     REAL    NOT NULL,
    is_nan    INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    step      INTEGER NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX latest_metrics_by_value ON latest_metrics (key, value);

CREATE TABLE params (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX params_by_value ON params (key, value);

CREATE TABLE run_tags (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX run_tags_by_value ON run_tags (key, value);

CREATE TABLE run_inputs (
    run_id      TEXT    NOT NULL REFERENCES runs (run_id),
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    digest      TEXT    NOT NULL,
    source_type TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    schema      TEXT,
    profile     TEXT,
    -- the input's tags as a JSON object; mlflow.data.context is copied out for dataset filters
    tags        TEXT    NOT NULL,
    context     TEXT,
    PRIMARY KEY (run_id, position),
    UNIQUE (run_id, name, digest)
);

-- Proxied artifacts: the full path after "mlflow-artifacts:/" → the blob holding its bytes. Directory listings are
-- range scans of the primary key.
CREATE TABLE artifacts (
    path       TEXT    PRIMARY KEY,
    size       INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
-- Which artifacts reference a blob: garbage collection asks this.
CREATE INDEX artifacts_by_sha256 ON artifacts (sha256);
