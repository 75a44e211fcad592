package dev.cairn.storage.jdbc;

import dev.cairn.core.store.TrackingTx;
import dev.cairn.core.tracking.Artifact;
import dev.cairn.core.tracking.ArtifactEntry;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.ExperimentQuery;
import dev.cairn.core.tracking.LoggedMetric;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunQuery;
import dev.cairn.core.tracking.RunStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One transaction's view of the tracking tables: experiments, runs and the proxied-artifact index. The SQL lives in
 * {@link ExperimentTable}, {@link RunTable} and {@link ArtifactTable}.
 */
abstract class JdbcTrackingTx implements TrackingTx {
    final Sql sql;
    final Dialect dialect;
    final JsonText json;
    private final ExperimentTable experiments;
    private final RunTable runs;
    private final ArtifactTable artifacts;

    JdbcTrackingTx(Sql sql, Dialect dialect, JsonText json) {
        this.sql = sql;
        this.dialect = dialect;
        this.json = json;
        this.experiments = new ExperimentTable(sql, dialect);
        this.runs = new RunTable(sql, dialect, json);
        this.artifacts = new ArtifactTable(sql);
    }

    @Override
    public Optional<Run> findRun(String runId) {
        return runs.find(runId);
    }

    @Override
    public List<Artifact> artifactsUnder(String prefix, String afterPath, int limit) {
        return artifacts.under(prefix, afterPath, limit);
    }

    @Override
    public void putArtifact(Artifact artifact, long now) {
        artifacts.put(artifact, now);
    }

    @Override
    public String insertExperiment(String name, String artifactLocation, Map<String, String> tags, long now) {
        return experiments.insert(name, artifactLocation, tags, now);
    }

    @Override
    public Optional<Experiment> findExperiment(String experimentId) {
        return experiments.find(experimentId);
    }

    @Override
    public Optional<Experiment> findExperimentByName(String name) {
        return experiments.findByName(name);
    }

    @Override
    public List<Experiment> searchExperiments(ExperimentQuery query, long offset, int limit) {
        return experiments.search(query, offset, limit);
    }

    @Override
    public void setExperimentDeleted(String experimentId, boolean deleted, long now) {
        experiments.setDeleted(experimentId, deleted, now);
    }

    @Override
    public void renameExperiment(String experimentId, String name, long now) {
        experiments.rename(experimentId, name, now);
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value, long now) {
        experiments.setTag(experimentId, key, value, now);
    }

    @Override
    public boolean deleteExperimentTag(String experimentId, String key) {
        return experiments.deleteTag(experimentId, key);
    }

    @Override
    public void insertRun(Run run) {
        runs.insert(run);
    }

    @Override
    public Optional<Run> findRunInfo(String runId) {
        return runs.findInfo(runId);
    }

    @Override
    public void updateRun(String runId, RunStatus status, Long endTime, String name) {
        runs.update(runId, status, endTime, name);
    }

    @Override
    public void setRunDeleted(String runId, boolean deleted) {
        runs.setDeleted(runId, deleted);
    }

    @Override
    public void logMetrics(String runId, List<Metric> metrics) {
        runs.logMetrics(runId, metrics);
    }

    @Override
    public List<LoggedMetric> metricHistory(String runId, String key, long afterSeq, int limit) {
        return runs.history(runId, key, afterSeq, limit);
    }

    @Override
    public Map<String, String> params(String runId, List<String> keys) {
        return runs.params(runId, keys);
    }

    @Override
    public void insertParams(String runId, Map<String, String> params) {
        runs.insertParams(runId, params);
    }

    @Override
    public void setRunTags(String runId, Map<String, String> tags) {
        runs.setTags(runId, tags);
    }

    @Override
    public boolean deleteRunTag(String runId, String key) {
        return runs.deleteTag(runId, key);
    }

    @Override
    public void insertInputs(String runId, List<DatasetInput> inputs) {
        runs.insertInputs(runId, inputs);
    }

    @Override
    public List<Run> searchRuns(RunQuery query, long offset, int limit) {
        return runs.search(query, offset, limit);
    }

    @Override
    public Optional<Artifact> findArtifact(String path) {
        return artifacts.find(path);
    }

    @Override
    public List<ArtifactEntry> artifactChildren(String prefix) {
        return artifacts.children(prefix);
    }

    @Override
    public int deleteArtifacts(String path) {
        return artifacts.delete(path);
    }
}
