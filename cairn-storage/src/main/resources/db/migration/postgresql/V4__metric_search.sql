-- Version search by metric (metrics.auc > 0.9) reads the matching versions from this index instead of every version.
CREATE INDEX version_metrics_by_name_value ON version_metrics (name, value, model_id, version);
