-- Deployment records: what each serving instance last reported it serves. One row per (model, instance), replaced by
-- each heartbeat; rows nobody refreshed for a week are pruned. Times are epoch milliseconds.

CREATE TABLE deployments (
    model_id    INTEGER NOT NULL REFERENCES models (id),
    instance_id TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    reference   TEXT,
    since       INTEGER NOT NULL,
    host        TEXT,
    reported_by TEXT    NOT NULL,
    last_seen   INTEGER NOT NULL,
    PRIMARY KEY (model_id, instance_id)
);
-- A model's page lists its instances by version, newest first; pruning finds old rows without a scan.
CREATE INDEX deployments_by_version ON deployments (model_id, version, instance_id);
CREATE INDEX deployments_by_last_seen ON deployments (last_seen);
