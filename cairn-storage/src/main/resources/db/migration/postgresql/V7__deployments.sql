-- Deployment records, PostgreSQL dialect: the table and indexes of the SQLite V7, type for type.

CREATE TABLE deployments (
    model_id    BIGINT  NOT NULL REFERENCES models (id),
    instance_id TEXT    COLLATE "C" NOT NULL,
    version     INTEGER NOT NULL,
    reference   TEXT    COLLATE "C",
    since       BIGINT  NOT NULL,
    host        TEXT    COLLATE "C",
    reported_by TEXT    COLLATE "C" NOT NULL,
    last_seen   BIGINT  NOT NULL,
    PRIMARY KEY (model_id, instance_id)
);
-- A model's page lists its instances by version, newest first; pruning finds old rows without a scan.
CREATE INDEX deployments_by_version ON deployments (model_id, version, instance_id);
CREATE INDEX deployments_by_last_seen ON deployments (last_seen);
