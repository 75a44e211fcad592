-- What the MLflow-compatible registry needs, PostgreSQL dialect: the columns and indexes of the SQLite V3.

-- 0 for a version that only refers to files kept elsewhere (an MLflow source such as s3://...): no manifest to verify.
ALTER TABLE versions ADD COLUMN content_addressed INTEGER NOT NULL DEFAULT 1;
-- MLflow's link to the training run, echoed as given.
ALTER TABLE versions ADD COLUMN run_link TEXT COLLATE "C";
-- Where MLflow clients download the files from: the source as registered, or the artifact-index directory
-- (mlflow-artifacts:/_cairn/models/<name>/<version>) a committed version's files were published under.
ALTER TABLE versions ADD COLUMN storage_location TEXT COLLATE "C";

-- model-versions/search filters: run_id = / IN, and tag conditions start from the matching tag rows instead of
-- walking every version.
CREATE INDEX versions_by_run ON versions (run_id);
CREATE INDEX version_tags_by_key_value ON version_tags (key, value, model_id, version);
CREATE INDEX model_tags_by_key_value ON model_tags (key, value);
