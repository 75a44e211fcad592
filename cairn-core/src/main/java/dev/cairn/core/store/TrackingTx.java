package dev.cairn.core.store;

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
 * The tracking part of a metadata transaction: experiments, runs and the proxied-artifact index, kept in the same
 * database as the registry so that registering a version from a run reads the run in the same transaction.
 * Same error rules as {@link MetadataStore}. Experiment ids are decimal strings; an id that is not one finds nothing.
 */
public interface TrackingTx {

    /** The run with its latest metrics, params, tags and dataset inputs; deleted runs too. */
    Optional<Run> findRun(String runId);

    /**
     * Artifacts whose path starts with {@code prefix} (a directory path ending in '/', or "" for all), ordered by path,
     * after {@code afterPath} when given.
     */
    List<Artifact> artifactsUnder(String prefix, String afterPath, int limit);

    /**
     * Points an artifact path at a stored blob, replacing what the path held. The registry calls it too, to publish a
     * committed version's files under {@code _cairn/models/<name>/<version>/} so MLflow clients can download them.
     */
    void putArtifact(Artifact artifact, long now);

    // --- experiments ----------------------------------------------------------------------------------------------

    /**
     * Inserts an active experiment and returns its id; {@code artifactLocation} null stores
     * {@code mlflow-artifacts:/<id>}. ALREADY_EXISTS when the name is taken, by a deleted experiment too.
     */
    String insertExperiment(String name, String artifactLocation, Map<String, String> tags, long now);

    Optional<Experiment> findExperiment(String experimentId);

    /** The experiment with this exact name, active or deleted (names are unique across both). */
    Optional<Experiment> findExperimentByName(String name);

    /** Experiments matching the query in its order, skipping {@code offset}. */
    List<Experiment> searchExperiments(ExperimentQuery query, long offset, int limit);

    /** Marks the experiment and every run in it deleted or active again. */
    void setExperimentDeleted(String experimentId, boolean deleted, long now);

    /** ALREADY_EXISTS when another experiment has the name. */
    void renameExperiment(String experimentId, String name, long now);

    void setExperimentTag(String experimentId, String key, String value, long now);

    /** Returns whether the tag existed. */
    boolean deleteExperimentTag(String experimentId, String key);

    // --- runs -----------------------------------------------------------------------------------------------------

    /** Inserts a run with its tags; its metrics, params and inputs must be empty. */
    void insertRun(Run run);

    /** The run's info only (its metrics, params, tags and inputs left empty): what a write checks first. */
    Optional<Run> findRunInfo(String runId);

    /** Changes the given fields; null leaves one as it is. */
    void updateRun(String runId, RunStatus status, Long endTime, String name);

    void setRunDeleted(String runId, boolean deleted);

    /**
     * Appends metric points in the given order, skipping exact repeats of a stored (key, value, timestamp, step), and
     * keeps each key's latest value by MLflow's rule.
     */
    void logMetrics(String runId, List<Metric> metrics);

    /** A key's points in logging order, after position {@code afterSeq} (0: from the start). */
    List<LoggedMetric> metricHistory(String runId, String key, long afterSeq, int limit);

    /** The stored values of these param keys (missing keys are absent from the map). */
    Map<String, String> params(String runId, List<String> keys);

    /** Inserts params whose keys the run does not have yet; existing keys keep their value. */
    void insertParams(String runId, Map<String, String> params);

    /** Upserts tags. */
    void setRunTags(String runId, Map<String, String> tags);

    /** Returns whether the tag existed. */
    boolean deleteRunTag(String runId, String key);

    /** Appends dataset inputs; an input of a dataset (name, digest) the run already has is skipped. */
    void insertInputs(String runId, List<DatasetInput> inputs);

    /** Runs matching the query in its order, skipping {@code offset}, with their data. */
    List<Run> searchRuns(RunQuery query, long offset, int limit);

    // --- proxied artifacts ----------------------------------------------------------------------------------------

    Optional<Artifact> findArtifact(String path);

    /**
     * The immediate children of a directory ({@code prefix} "dir/" or "" for the root), ordered by name; a child
     * directory appears once however many files it holds, and costs one index seek rather than a scan of its files.
     */
    List<ArtifactEntry> artifactChildren(String prefix);

    /** Removes the file at {@code path} and every file below {@code path + "/"}; returns how many were removed. */
    int deleteArtifacts(String path);
}
