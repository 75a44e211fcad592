-- Cairn registry metadata, SQLite dialect. Times are epoch milliseconds; enums are stored by name.
-- Child rows of a version reference it by (model_id, version), the key every query of the store starts from.

CREATE TABLE models (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    owner        TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    last_version INTEGER NOT NULL DEFAULT 0,
    generation   INTEGER NOT NULL DEFAULT 0,
    deleted_at   INTEGER
);
-- A deleted model frees its name: uniqueness holds among live models only.
CREATE UNIQUE INDEX models_live_name ON models (name) WHERE deleted_at IS NULL;

CREATE TABLE model_tags (
    model_id INTEGER NOT NULL REFERENCES models (id),
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (model_id, key)
);

CREATE TABLE versions (
    model_id    INTEGER NOT NULL REFERENCES models (id),
    version     INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    stage       TEXT    NOT NULL DEFAULT 'NONE',
    description TEXT    NOT NULL DEFAULT '',
    signature   TEXT,
    format      TEXT,
    source      TEXT,
    run_id      TEXT,
    lineage_run TEXT,
    environment TEXT,
    digest      TEXT,
    created_by  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (model_id, version)
);
CREATE INDEX versions_by_status ON versions (model_id, status, version);
CREATE INDEX versions_by_stage ON versions (model_id, stage, version);

CREATE TABLE version_tags (
    model_id INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (model_id, version, key),
    FOREIGN KEY (model_id, version) REFERENCES versions (model_id, version)
);

CREATE TABLE version_metrics (
    model_id INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    value    REAL    NOT NULL,
    PRIMARY KEY (model_id, version, name),
    FOREIGN KEY (model_id, version) REFERENCES versions (model_id, version)
);

CREATE TABLE version_params (
    model_id INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (model_id, version, name),
    FOREIGN KEY (model_id, version) REFERENCES versions (model_id, version)
);

CREATE TABLE version_files (
    model_id INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    path     TEXT    NOT NULL,
    size     INTEGER NOT NULL,
    sha256   TEXT    NOT NULL,
    PRIMARY KEY (model_id, version, path),
    FOREIGN KEY (model_id, version) REFERENCES versions (model_id, version)
);
-- Which manifests reference a blob: garbage collection and retention ask this.
CREATE INDEX version_files_by_sha256 ON version_files (sha256);

CREATE TABLE version_datasets (
    model_id        INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    name            TEXT,
    uri             TEXT,
    dataset_version TEXT,
    digest          TEXT,
    role            TEXT    NOT NULL,
    PRIMARY KEY (model_id, version, position),
    FOREIGN KEY (model_id, version) REFERENCES versions (model_id, version)
);
CREATE INDEX version_datasets_by_uri ON version_datasets (uri);
CREATE INDEX version_datasets_by_name ON version_datasets (name);
CREATE INDEX version_datasets_by_digest ON version_datasets (digest);

CREATE TABLE version_code (
    model_id   INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    repository TEXT,
    commit_id  TEXT,
    -- lower-cased commit, so a prefix search is an index range scan
    commit_key TEXT,
    branch     TEXT,
    path       TEXT,
    dirty      INTEGER,
    PRIMARY KEY (model_id, version),
    FOREIGN KEY (model_id, version) REFERENCES versions (model_id, version)
);
CREATE INDEX version_code_by_commit ON version_code (commit_key);

CREATE TABLE version_parents (
    model_id       INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    parent_model   TEXT    NOT NULL,
    parent_version INTEGER NOT NULL,
    relation       TEXT,
    PRIMARY KEY (model_id, version, position),
    FOREIGN KEY (model_id, version) REFERENCES versions (model_id, version)
);
CREATE INDEX version_parents_by_parent ON version_parents (parent_model, parent_version);

CREATE TABLE aliases (
    model_id INTEGER NOT NULL,
    alias    TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (model_id, alias),
    FOREIGN KEY (model_id, version) REFERENCES versions (model_id, version)
);
CREATE INDEX aliases_by_version ON aliases (model_id, version);

CREATE TABLE pointer_changes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    model_id  INTEGER NOT NULL REFERENCES models (id),
    pointer   TEXT    NOT NULL,
    version   INTEGER,
    rollback  INTEGER NOT NULL,
    event_seq INTEGER NOT NULL
);
CREATE INDEX pointer_changes_by_pointer ON pointer_changes (model_id, pointer, id);

-- AUTOINCREMENT: a sequence number is never reused, so watchers can resume after the last one they saw.
CREATE TABLE events (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    time    INTEGER NOT NULL,
    actor   TEXT,
    model   TEXT,
    version INTEGER,
    kind    TEXT    NOT NULL,
    payload TEXT    NOT NULL
);
CREATE INDEX events_by_model ON events (model, seq);
