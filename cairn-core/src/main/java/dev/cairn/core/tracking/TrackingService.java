package dev.cairn.core.tracking;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Page;
import dev.cairn.core.store.BlobStore;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStore.Tx;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Experiments, runs and proxied artifacts: the tracking calls an MLflow client makes before it registers a model.
 * Each change runs in one write transaction that checks before it writes, so a refused request changes nothing;
 * artifact bytes go to the blob store before the transaction that indexes them. Messages follow MLflow's where
 * clients or their tests read them (spec §5, §8.11).
 */
public final class TrackingService {
    public static final String DEFAULT_EXPERIMENT_ID = "0";
    public static final String RUN_NAME_TAG = "mlflow.runName";
    public static final String ARTIFACT_SCHEME = "mlflow-artifacts:/";
    static final int MAX_SEARCH_RESULTS = 50_000;
    static final int DEFAULT_RUN_RESULTS = 1000;
    static final int MAX_HISTORY_PAGE = 1_000_000;
    static final int MAX_BATCH_METRICS = 1000;
    static final int MAX_BATCH_PARAMS = 100;
    static final int MAX_BATCH_TAGS = 100;
    static final int MAX_BATCH_TOTAL = 1000;

    private final MetadataStore store;
    private final BlobStore blobs;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TrackingService(MetadataStore store, BlobStore blobs, Clock clock) {
        this.store = store;
        this.blobs = blobs;
        this.clock = clock;
    }

    // --- experiments ----------------------------------------------------------------------------------------------

    /** Returns the new experiment's id. */
    public String createExperiment(String name, String artifactLocation, List<KeyValue> tags) {
        TrackingChecks.experimentName(name);
        String location = artifactLocation == null || artifactLocation.isEmpty()
                ? null : TrackingChecks.artifactLocation(artifactLocation);
        Map<String, String> validTags = tags(tags, "Tag");
        return write(tx -> renamed(name, () -> tx.insertExperiment(name, location, validTags, now())));
    }

    public Experiment getExperiment(String experimentId) {
        return store.read(tx -> experiment(tx, experimentId));
    }

    public Experiment getExperimentByName(String name) {
        if (name == null || name.isEmpty()) {
            throw missing("experiment_name");
        }
        return store.read(tx -> tx.findExperimentByName(name)).orElseThrow(() ->
                RegistryException.notFound("Could not find experiment with name '" + name + "'"));
    }

    public Page<Experiment> searchExperiments(String filter, List<String> orderBy, ViewType view, Long maxResults,
                                              String pageToken) {
        if (maxResults == null || maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw RegistryException.invalid("Invalid value " + (maxResults == null ? 0 : maxResults)
                    + " for parameter 'max_results' supplied. It must be between 1 and " + MAX_SEARCH_RESULTS + ".");
        }
        ExperimentQuery query = SearchRules.experiments(filter, orderBy, view == null ? ViewType.ACTIVE_ONLY : view);
        long offset = SearchTokens.decode(pageToken);
        int limit = maxResults.intValue();
        List<Experiment> rows = store.read(tx -> tx.searchExperiments(query, offset, limit + 1));
        return page(rows, limit, offset);
    }

    public void deleteExperiment(String experimentId) {
        if (DEFAULT_EXPERIMENT_ID.equals(experimentId)) {
            throw RegistryException.invalid("Cannot delete the default experiment '" + DEFAULT_EXPERIMENT_ID
                    + "'. This is an internally reserved experiment.");
        }
        write(tx -> {
            Experiment experiment = experiment(tx, experimentId);
            if (experiment.deleted()) {
                throw noExperiment(experimentId);
            }
            tx.setExperimentDeleted(experimentId, true, now());
            return null;
        });
    }

    public void restoreExperiment(String experimentId) {
        write(tx -> {
            Experiment experiment = experiment(tx, experimentId);
            if (!experiment.deleted()) {
                throw noExperiment(experimentId);
            }
            tx.setExperimentDeleted(experimentId, false, now());
            return null;
        });
    }

    public void renameExperiment(String experimentId, String newName) {
        if (newName == null || newName.isEmpty()) {
            throw missing("new_name");
        }
        TrackingChecks.experimentName(newName);
        write(tx -> {
            Experiment experiment = experiment(tx, experimentId);
            if (experiment.deleted()) {
                throw RegistryException.precondition("Cannot rename a non-active experiment.");
            }
            if (!experiment.name().equals(newName)) {
                renamed(newName, () -> {
                    tx.renameExperiment(experimentId, newName, now());
                    return null;
                });
            }
            return null;
        });
    }

    public void setExperimentTag(String experimentId, String key, String value) {
        TrackingChecks.key(key, "Tag");
        String text = TrackingChecks.value(value, TrackingChecks.MAX_TAG_VALUE, "Tag", key);
        write(tx -> {
            activeExperiment(tx, experimentId);
            tx.setExperimentTag(experimentId, key, text, now());
            return null;
        });
    }

    public void deleteExperimentTag(String experimentId, String key) {
        if (key == null || key.isEmpty()) {
            throw missing("key");
        }
        write(tx -> {
            activeExperiment(tx, experimentId);
            if (!tx.deleteExperimentTag(experimentId, key)) {
                throw RegistryException.notFound("No tag with name: " + key + " in experiment with id " + experimentId);
            }
            return null;
        });
    }

    // --- runs -----------------------------------------------------------------------------------------------------

    /**
     * Creates a RUNNING run. The name is {@code runName}, else the {@code mlflow.runName} tag, else a generated one,
     * and the tag is added when missing, as MLflow does.
     */
    public Run createRun(String experimentId, String userId, String runName, Long startTime, List<KeyValue> tags) {
        String experiment = experimentId == null || experimentId.isEmpty() ? DEFAULT_EXPERIMENT_ID : experimentId;
        Map<String, String> runTags = tags(tags, "Tag");
        String tagName = runTags.get(RUN_NAME_TAG);
        if (runName != null && !runName.isEmpty() && tagName != null && !tagName.equals(runName)) {
            throw RegistryException.invalid("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with "
                    + "different values (run_name='" + runName + "', mlflow.runName='" + tagName + "').");
        }
        String name = runName != null && !runName.isEmpty() ? runName
                : tagName != null && !tagName.isEmpty() ? tagName : RunNames.random(random);
        TrackingChecks.value(name, TrackingChecks.MAX_RUN_NAME, "Run name", RUN_NAME_TAG);
        runTags.put(RUN_NAME_TAG, name);
        String runId = UUID.randomUUID().toString().replace("-", "");
        return write(tx -> {
            Experiment parent = activeExperiment(tx, experiment);
            tx.insertRun(new Run(runId, parent.id(), name, userId == null ? "" : userId, RunStatus.RUNNING,
                    startTime == null ? 0 : startTime, null, parent.artifactLocation() + "/" + runId + "/artifacts",
                    false, List.of(), Map.of(), runTags, List.of()));
            return tx.findRun(runId).orElseThrow();
        });
    }

    /** The run with its data; deleted runs too. */
    public Run getRun(String runId) {
        return store.read(tx -> tx.findRun(runId)).orElseThrow(() -> noRun(runId));
    }

    /** Changes the given fields (null: unchanged) and returns the run's info; a new name also sets the tag. */
    public Run updateRun(String runId, RunStatus status, Long endTime, String runName) {
        String name = runName == null || runName.isEmpty() ? null : runName;
        if (name != null) {
            TrackingChecks.value(name, TrackingChecks.MAX_RUN_NAME, "Run name", RUN_NAME_TAG);
        }
        return write(tx -> {
            activeRun(tx, runId);
            tx.updateRun(runId, status, endTime, name);
            if (name != null) {
                tx.setRunTags(runId, Map.of(RUN_NAME_TAG, name));
            }
            return tx.findRunInfo(runId).orElseThrow();
        });
    }

    public void deleteRun(String runId) {
        setRunDeleted(runId, true);
    }

    public void restoreRun(String runId) {
        setRunDeleted(runId, false);
    }

    private void setRunDeleted(String runId, boolean deleted) {
        write(tx -> {
            tx.findRunInfo(runId).orElseThrow(() -> noRun(runId));
            tx.setRunDeleted(runId, deleted);
            return null;
        });
    }

    public void logMetric(String runId, Metric metric) {
        logBatch(runId, List.of(metric), List.of(), List.of());
    }

    /** Params are immutable: logging the same value again is accepted, another value is refused. */
    public void logParam(String runId, String key, String value) {
        TrackingChecks.key(key, "Param");
        String text = TrackingChecks.value(value, TrackingChecks.MAX_PARAM_VALUE, "Param", key);
        write(tx -> {
            activeRun(tx, runId);
            String old = tx.params(runId, List.of(key)).get(key);
            if (old != null && !old.equals(text)) {
                throw RegistryException.invalid("Changing param values is not allowed. Param with key='" + key
                        + "' was already logged with value='" + old + "' for run ID='" + runId
                        + "'. Attempted logging new value '" + text + "'.");
            }
            if (old == null) {
                tx.insertParams(runId, Map.of(key, text));
            }
            return null;
        });
    }

    /**
     * Metrics, params and tags in one transaction, all checked before any is written (MLflow may write part of a
     * batch before it fails; here a refused batch changes nothing, so a client's retry is safe).
     */
    public void logBatch(String runId, List<Metric> metrics, List<KeyValue> params, List<KeyValue> tags) {
        checkBatchSize(metrics.size(), params.size(), tags.size());
        for (Metric metric : metrics) {
            TrackingChecks.key(metric.key(), "Metric");
            TrackingChecks.timestamp(metric.timestamp());
        }
        Map<String, String> newParams = new LinkedHashMap<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (KeyValue param : params) {
            TrackingChecks.key(param.key(), "Param");
            String text = TrackingChecks.value(param.value(), TrackingChecks.MAX_PARAM_VALUE, "Param", param.key());
            if (newParams.put(param.key(), text) != null) {
                duplicates.add(param.key());
            }
        }
        if (!duplicates.isEmpty()) {
            throw RegistryException.invalid("Duplicate parameter keys have been submitted: " + quoted(duplicates)
                    + ". Please ensure the request contains only one param value per param key.");
        }
        Map<String, String> newTags = tags(tags, "Tag");
        write(tx -> {
            activeRun(tx, runId);
            Map<String, String> stored = tx.params(runId, List.copyOf(newParams.keySet()));
            List<String> conflicts = new ArrayList<>();
            stored.forEach((key, old) -> {
                String value = newParams.get(key);
                if (!old.equals(value)) {
                    conflicts.add("{'key': '" + key + "', 'old_value': '" + old + "', 'new_value': '" + value + "'}");
                }
            });
            if (!conflicts.isEmpty()) {
                throw RegistryException.invalid("Changing param values is not allowed. Params were already logged='["
                        + String.join(", ", conflicts) + "]' for run ID='" + runId + "'.");
            }
            stored.keySet().forEach(newParams::remove);
            if (!metrics.isEmpty()) {
                tx.logMetrics(runId, metrics);
            }
            if (!newParams.isEmpty()) {
                tx.insertParams(runId, newParams);
            }
            applyTags(tx, runId, newTags);
            return null;
        });
    }

    /** Upserts a tag; {@code mlflow.runName} also renames the run. */
    public void setTag(String runId, String key, String value) {
        TrackingChecks.key(key, "Tag");
        String text = TrackingChecks.value(value, TrackingChecks.MAX_TAG_VALUE, "Tag", key);
        write(tx -> {
            activeRun(tx, runId);
            applyTags(tx, runId, Map.of(key, text));
            return null;
        });
    }

    public void deleteTag(String runId, String key) {
        if (key == null || key.isEmpty()) {
            throw missing("key");
        }
        write(tx -> {
            activeRun(tx, runId);
            if (!tx.deleteRunTag(runId, key)) {
                throw RegistryException.notFound("No tag with name: " + key + " in run with id " + runId);
            }
            return null;
        });
    }

    public void logInputs(String runId, List<DatasetInput> inputs) {
        for (DatasetInput input : inputs) {
            for (String[] field : new String[][] {{"name", input.name()}, {"digest", input.digest()},
                    {"source_type", input.sourceType()}, {"source", input.source()}}) {
                if (field[1] == null || field[1].isEmpty()) {
                    throw missing("dataset." + field[0]);
                }
            }
        }
        write(tx -> {
            activeRun(tx, runId);
            if (!inputs.isEmpty()) {
                tx.insertInputs(runId, inputs);
            }
            return null;
        });
    }

    /**
     * A metric's points in logging order, {@value #MAX_HISTORY_PAGE} at most per page. {@code maxResults} is checked
     * but does not shorten pages: MLflow's SQL store ignores it too, and the Java client 2.17.2, which always asks for
     * 25,000, fails on any answer that carries a next_page_token (it appends to an unmodifiable list).
     */
    public Page<Metric> metricHistory(String runId, String key, Integer maxResults, String pageToken) {
        if (key == null || key.isEmpty()) {
            throw missing("metric_key");
        }
        if (maxResults != null && maxResults < 1) {
            throw RegistryException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be at least 1.");
        }
        long after = SearchTokens.decode(pageToken);
        int limit = MAX_HISTORY_PAGE;
        List<LoggedMetric> points = store.read(tx -> {
            tx.findRunInfo(runId).orElseThrow(() -> noRun(runId));
            return tx.metricHistory(runId, key, after, limit + 1);
        });
        if (points.size() <= limit) {
            return new Page<>(points.stream().map(LoggedMetric::metric).toList(), null);
        }
        List<LoggedMetric> shown = points.subList(0, limit);
        return new Page<>(shown.stream().map(LoggedMetric::metric).toList(),
                SearchTokens.encode(shown.get(limit - 1).seq()));
    }

    public Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType view, Integer maxResults,
                                List<String> orderBy, String pageToken) {
        int limit = maxResults == null ? DEFAULT_RUN_RESULTS : maxResults;
        if (limit < 0 || limit > MAX_SEARCH_RESULTS) {
            throw RegistryException.invalid("Invalid value for request parameter max_results. It must be at most "
                    + MAX_SEARCH_RESULTS + ", but got value " + limit);
        }
        RunQuery query = SearchRules.runs(experimentIds, filter, orderBy, view == null ? ViewType.ACTIVE_ONLY : view);
        long offset = SearchTokens.decode(pageToken);
        if (limit == 0 || experimentIds.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        List<Run> rows = store.read(tx -> tx.searchRuns(query, offset, limit + 1));
        return page(rows, limit, offset);
    }

    /**
     * The children of a directory of a run's artifacts, paths relative to the run root. A run whose artifacts live
     * elsewhere (an experiment created with its own artifact location) lists as empty: Cairn does not hold them.
     */
    public RunListing listRunArtifacts(String runId, String path) {
        String dir = ArtifactPath.of(path);
        Run run = store.read(tx -> tx.findRunInfo(runId)).orElseThrow(() -> noRun(runId));
        if (!run.artifactUri().startsWith(ARTIFACT_SCHEME)) {
            return new RunListing(run.artifactUri(), List.of());
        }
        String root = ArtifactPath.of(run.artifactUri().substring(ARTIFACT_SCHEME.length()));
        String prefix = ArtifactPath.dirPrefix(dir);
        List<ArtifactEntry> children = store.read(tx -> tx.artifactChildren(ArtifactPath.dirPrefix(root) + prefix));
        return new RunListing(run.artifactUri(), children.stream()
                .map(c -> new ArtifactEntry(prefix + c.name(), c.directory(), c.size())).toList());
    }

    // --- proxied artifacts ----------------------------------------------------------------------------------------

    /** Streams the bytes into the blob store, then points the path at them (replacing an earlier file there). */
    public Artifact uploadArtifact(String path, InputStream content) {
        String file = writablePath(path);
        BlobStore.BlobInfo blob = blobs.put(content, Optional.empty());
        Artifact artifact = new Artifact(file, blob.size(), blob.sha256());
        write(tx -> {
            tx.putArtifact(artifact, now());
            return null;
        });
        return artifact;
    }

    public Artifact artifact(String path) {
        String file = ArtifactPath.file(path);
        return store.read(tx -> tx.findArtifact(file)).orElseThrow(() ->
                RegistryException.notFound("Artifact '" + file + "' not found"));
    }

    /** The artifact's bytes; the caller closes the stream. */
    public InputStream openArtifact(Artifact artifact) {
        return blobs.open(artifact.sha256(), 0, -1);
    }

    /** The immediate children of a directory ("" or null: the root); a missing directory has none. */
    public List<ArtifactEntry> listArtifacts(String dir) {
        String prefix = ArtifactPath.dirPrefix(ArtifactPath.of(dir));
        return store.read(tx -> tx.artifactChildren(prefix));
    }

    /** Removes a file, or a directory with everything below it; a missing path is not an error, as in MLflow. */
    public void deleteArtifacts(String path) {
        String file = writablePath(path);
        write(tx -> tx.deleteArtifacts(file));
    }

    private static String writablePath(String path) {
        String file = ArtifactPath.file(path);
        if ((file + "/").startsWith(ArtifactPath.RESERVED)) {
            throw RegistryException.invalid("Invalid path: '" + ArtifactPath.RESERVED + "' holds the files of "
                    + "registered model versions, which never change");
        }
        return file;
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private <T> T write(Function<Tx, T> work) {
        return store.write(work);
    }

    private long now() {
        return clock.millis();
    }

    private static <T> Page<T> page(List<T> rows, int limit, long offset) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        return new Page<>(rows.subList(0, limit), SearchTokens.encode(offset + limit));
    }

    private static <T> T renamed(String name, Supplier<T> change) {
        try {
            return change.get();
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.ALREADY_EXISTS) {
                throw new RegistryException(ErrorCode.ALREADY_EXISTS, "Experiment(name=" + name + ") already exists.",
                        Map.of(), e);
            }
            throw e;
        }
    }

    private static Experiment experiment(Tx tx, String experimentId) {
        return tx.findExperiment(experimentId).orElseThrow(() -> noExperiment(experimentId));
    }

    private static Experiment activeExperiment(Tx tx, String experimentId) {
        Experiment experiment = experiment(tx, experimentId);
        if (experiment.deleted()) {
            throw RegistryException.invalid("The experiment " + experimentId
                    + " must be in the 'active' state. Current state is deleted.");
        }
        return experiment;
    }

    private static Run activeRun(Tx tx, String runId) {
        Run run = tx.findRunInfo(runId).orElseThrow(() -> noRun(runId));
        if (run.deleted()) {
            throw RegistryException.invalid("The run " + runId + " must be in the 'active' state. Current state is "
                    + "deleted.");
        }
        return run;
    }

    private static void applyTags(Tx tx, String runId, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        tx.setRunTags(runId, tags);
        String name = tags.get(RUN_NAME_TAG);
        if (name != null) {
            tx.updateRun(runId, null, null, name);
        }
    }

    /** Validated tags in request order; a repeated key keeps its last value, as MLflow does. */
    private static Map<String, String> tags(List<KeyValue> tags, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        for (KeyValue tag : tags) {
            TrackingChecks.key(tag.key(), what);
            out.put(tag.key(), TrackingChecks.value(tag.value(), TrackingChecks.MAX_TAG_VALUE, what, tag.key()));
        }
        return out;
    }

    private static void checkBatchSize(int metrics, int params, int tags) {
        check(metrics, MAX_BATCH_METRICS, "metrics");
        check(params, MAX_BATCH_PARAMS, "params");
        check(tags, MAX_BATCH_TAGS, "tags");
        if (metrics + params + tags > MAX_BATCH_TOTAL) {
            throw RegistryException.invalid("A batch logging request can contain at most " + MAX_BATCH_TOTAL
                    + " total metrics, params, and tags. Got " + (metrics + params + tags) + " entities. Please split "
                    + "up entities across multiple requests and try again.");
        }
    }

    private static void check(int count, int max, String what) {
        if (count > max) {
            throw RegistryException.invalid("A batch logging request can contain at most " + max + " " + what
                    + ". Got " + count + " " + what + ". Please split up " + what
                    + " across multiple requests and try again.");
        }
    }

    private static String quoted(Set<String> keys) {
        return "[" + String.join(", ", keys.stream().map(k -> "'" + k + "'").toList()) + "]";
    }

    private static RegistryException missing(String field) {
        return RegistryException.invalid("Missing value for required parameter '" + field + "'. See the API docs for "
                + "more information about request parameters.");
    }

    private static RegistryException noExperiment(String experimentId) {
        return RegistryException.notFound("No Experiment with id=" + experimentId + " exists");
    }

    private static RegistryException noRun(String runId) {
        return RegistryException.notFound("Run '" + runId + "' not found");
    }
}
