package dev.cairn.storage.jdbc;

import dev.cairn.core.model.FileEntry;
import dev.cairn.core.model.Lineage;
import dev.cairn.core.model.Manifest;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.Signature;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.VersionStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Versions and their child rows. A page of versions is read with one query per child table for the whole page
 * ({@code version IN (...)}), so reading 100 versions costs the same handful of indexed queries as reading one.
 */
final class VersionTable {
    private static final String VERSION_QUERY = "SELECT v.model_id, m.name AS model_name, v.version, v.status, v.stage,"
            + " v.description, v.signature, v.format, v.source, v.run_id, v.lineage_run, v.environment, v.digest,"
            + " v.created_by, v.created_at, v.updated_at, v.content_addressed, v.run_link, v.storage_location,"
            + " c.model_id AS code_present, c.repository, c.commit_id,"
            + " c.branch, c.path, c.dirty"
            + " FROM versions v JOIN models m ON m.id = v.model_id"
            + " LEFT JOIN version_code c ON c.model_id = v.model_id AND c.version = v.version"
            + " WHERE v.model_id = ?";

    /** Versions per IN list: well under SQLite's bound-parameter limit, whatever the page size. */
    private static final int CHUNK = 500;

    private final Sql sql;
    private final Dialect dialect;
    private final JsonText json;

    VersionTable(Sql sql, Dialect dialect, JsonText json) {
        this.sql = sql;
        this.dialect = dialect;
        this.json = json;
    }

    void insert(ModelVersion v) {
        long id = v.modelId();
        int number = v.version();
        Lineage lineage = v.lineage();
        sql.insertUnique("version " + number + " of model '" + v.modelName() + "' already exists",
                "INSERT INTO versions (model_id, version, status, stage, description, signature, format, source,"
                        + " run_id, lineage_run, environment, digest, created_by, created_at, updated_at,"
                        + " content_addressed, run_link, storage_location)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, number, v.status(), v.stage(), v.description(), json.write(v.signature()), v.format(), v.source(),
                v.runId(), json.write(lineage.run()), json.write(lineage.environment()), v.manifest().digest(),
                v.createdBy(), v.createdAt(), v.updatedAt(), v.contentAddressed(), v.runLink(), v.storageLocation());
        v.tags().forEach((key, value) -> sql.update(
                "INSERT INTO version_tags (model_id, version, key, value) VALUES (?, ?, ?, ?)", id, number, key, value));
        v.metrics().forEach((name, value) -> sql.update(
                "INSERT INTO version_metrics (model_id, version, name, value) VALUES (?, ?, ?, ?)", id, number, name, value));
        v.params().forEach((name, value) -> sql.update(
                "INSERT INTO version_params (model_id, version, name, value) VALUES (?, ?, ?, ?)", id, number, name, value));
        for (FileEntry file : v.manifest().files()) {
            sql.update("INSERT INTO version_files (model_id, version, path, size, sha256) VALUES (?, ?, ?, ?, ?)",
                    id, number, file.path(), file.size(), file.sha256());
        }
        for (int i = 0; i < lineage.datasets().size(); i++) {
            Lineage.Dataset d = lineage.datasets().get(i);
            sql.update("INSERT INTO version_datasets (model_id, version, position, name, uri, dataset_version, digest,"
                    + " role) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, number, i, d.name(), d.uri(), d.version(),
                    d.digest(), d.role());
        }
        Lineage.Code code = lineage.code();
        if (code != null) {
            sql.update("INSERT INTO version_code (model_id, version, repository, commit_id, commit_key, branch, path,"
                    + " dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, number, code.repository(), code.commit(),
                    code.commit() == null ? null : code.commit().toLowerCase(Locale.ROOT), code.branch(), code.path(),
                    code.dirty());
        }
        for (int i = 0; i < lineage.parents().size(); i++) {
            Lineage.Parent p = lineage.parents().get(i);
            sql.update("INSERT INTO version_parents (model_id, version, position, parent_model, parent_version,"
                    + " relation) VALUES (?, ?, ?, ?, ?, ?)", id, number, i, p.model(), p.version(), p.relation());
        }
    }

    Optional<ModelVersion> find(long modelId, int version) {
        List<ModelVersion> found = load(VERSION_QUERY + " AND v.version = ?", modelId, List.of(modelId, version));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    List<ModelVersion> list(long modelId, VersionStatus status, Stage stage, Integer beforeVersion, int limit) {
        RegistrySearch.Statement statement = listStatement(modelId, status, stage, beforeVersion, limit);
        return load(statement.sql(), modelId, statement.args());
    }

    /** The query behind {@link #list}, on its own so that tests can ask the database how it runs it. */
    static RegistrySearch.Statement listStatement(long modelId, VersionStatus status, Stage stage,
                                                 Integer beforeVersion, int limit) {
        StringBuilder query = new StringBuilder(VERSION_QUERY);
        List<Object> args = new ArrayList<>(List.of(modelId));
        if (status != null) {
            query.append(" AND v.status = ?");
        } else {
            query.append(" AND v.status <> ?");
        }
        args.add(status != null ? status : VersionStatus.DELETED);
        if (stage != null) {
            query.append(" AND v.stage = ?");
            args.add(stage);
        }
        if (beforeVersion != null) {
            query.append(" AND v.version < ?");
            args.add(beforeVersion);
        }
        query.append(" ORDER BY v.version DESC LIMIT ?");
        args.add(limit);
        return new RegistrySearch.Statement(query.toString(), args);
    }

    /** For each stage holding a version that is not DELETED, the highest such version, by version number. */
    List<ModelVersion> latestPerStage(long modelId) {
        return load(VERSION_QUERY + " AND v.version IN (SELECT max(version) FROM versions WHERE model_id = ?"
                + " AND status <> ? GROUP BY stage) ORDER BY v.version", modelId,
                List.of(modelId, modelId, VersionStatus.DELETED));
    }

    /** Versions by (model id, version), in the order given, loaded a model and a chunk of versions at a time. */
    List<ModelVersion> load(List<Key> keys) {
        Map<Long, List<Integer>> byModel = new LinkedHashMap<>();
        keys.forEach(k -> byModel.computeIfAbsent(k.modelId(), id -> new ArrayList<>()).add(k.version()));
        Map<Key, ModelVersion> found = new HashMap<>();
        byModel.forEach((modelId, numbers) -> {
            for (int from = 0; from < numbers.size(); from += CHUNK) {
                List<Integer> chunk = numbers.subList(from, Math.min(numbers.size(), from + CHUNK));
                Sql.Fragment in = dialect.versionIn("v.version", chunk);
                List<Object> args = new ArrayList<>(List.of(modelId));
                args.addAll(in.args());
                load(VERSION_QUERY + " AND " + in.sql(), modelId, args)
                        .forEach(v -> found.put(new Key(v.modelId(), v.version()), v));
            }
        });
        return keys.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    /** A version's primary key. */
    record Key(long modelId, int version) {}

    private List<ModelVersion> load(String query, long modelId, List<Object> args) {
        List<VersionRow> rows = sql.list(query, this::versionRow, args.toArray());
        if (rows.isEmpty()) {
            return List.of();
        }
        Children children = new Children(modelId, rows.stream().map(r -> r.version).toList());
        return rows.stream().map(r -> r.assemble(children)).toList();
    }

    /** The columns of a version row, waiting for its child rows. */
    private record VersionRow(long modelId, String modelName, int version, VersionStatus status, Stage stage,
                              String description, Signature signature, String format, String source, String runId,
                              Lineage.Run run, Lineage.Environment environment, Lineage.Code code, String digest,
                              String createdBy, java.time.Instant createdAt, java.time.Instant updatedAt,
                              boolean contentAddressed, String runLink, String storageLocation) {

        ModelVersion assemble(Children c) {
            Lineage lineage = new Lineage(c.datasets.getOrDefault(version, List.of()), code, run,
                    c.parents.getOrDefault(version, List.of()), environment);
            Manifest manifest = new Manifest(c.files.getOrDefault(version, List.of()), digest);
            return new ModelVersion(modelId, modelName, version, status, stage, c.aliases.getOrDefault(version, List.of()),
                    description, c.tags.getOrDefault(version, Map.of()), c.metrics.getOrDefault(version, Map.of()),
                    c.params.getOrDefault(version, Map.of()), signature, format, source, runId, lineage, manifest,
                    createdBy, createdAt, updatedAt, contentAddressed, runLink, storageLocation);
        }
    }

    private VersionRow versionRow(ResultSet rs) throws SQLException {
        Lineage.Code code = rs.getObject("code_present") == null ? null : new Lineage.Code(rs.getString("repository"),
                rs.getString("commit_id"), rs.getString("branch"), rs.getString("path"),
                Sql.integer(rs, "dirty") == null ? null : rs.getInt("dirty") != 0);
        return new VersionRow(rs.getLong("model_id"), rs.getString("model_name"), rs.getInt("version"),
                VersionStatus.valueOf(rs.getString("status")), Stage.valueOf(rs.getString("stage")),
                rs.getString("description"), json.read(rs.getString("signature"), Signature.class),
                rs.getString("format"), rs.getString("source"), rs.getString("run_id"),
                json.read(rs.getString("lineage_run"), Lineage.Run.class),
                json.read(rs.getString("environment"), Lineage.Environment.class), code, rs.getString("digest"),
                rs.getString("created_by"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                rs.getInt("content_addressed") != 0, rs.getString("run_link"), rs.getString("storage_location"));
    }

    /** The child rows of a set of versions of one model, by version number. */
    private final class Children {
        final Map<Integer, Map<String, String>> tags = new HashMap<>();
        final Map<Integer, Map<String, Double>> metrics = new HashMap<>();
        final Map<Integer, Map<String, String>> params = new HashMap<>();
        final Map<Integer, List<FileEntry>> files = new HashMap<>();
        final Map<Integer, List<Lineage.Dataset>> datasets = new HashMap<>();
        final Map<Integer, List<Lineage.Parent>> parents = new HashMap<>();
        final Map<Integer, List<String>> aliases = new HashMap<>();

        Children(long modelId, List<Integer> versions) {
            Sql.Fragment in = dialect.versionIn("version", versions);
            String where = " WHERE model_id = ? AND " + in.sql();
            List<Object> bound = new ArrayList<>(List.of(modelId));
            bound.addAll(in.args());
            Object[] args = bound.toArray();
            sql.each("SELECT version, key, value FROM version_tags" + where, rs ->
                    tags.computeIfAbsent(rs.getInt(1), v -> new TreeMap<>()).put(rs.getString(2), rs.getString(3)), args);
            sql.each("SELECT version, name, value FROM version_metrics" + where, rs ->
                    metrics.computeIfAbsent(rs.getInt(1), v -> new TreeMap<>()).put(rs.getString(2), rs.getDouble(3)), args);
            sql.each("SELECT version, name, value FROM version_params" + where, rs ->
                    params.computeIfAbsent(rs.getInt(1), v -> new TreeMap<>()).put(rs.getString(2), rs.getString(3)), args);
            sql.each("SELECT version, path, size, sha256 FROM version_files" + where, rs ->
                    files.computeIfAbsent(rs.getInt(1), v -> new ArrayList<>())
                            .add(new FileEntry(rs.getString(2), rs.getLong(3), rs.getString(4))), args);
            sql.each("SELECT version, name, uri, dataset_version, digest, role FROM version_datasets" + where
                    + " ORDER BY version, position", rs -> datasets.computeIfAbsent(rs.getInt(1), v -> new ArrayList<>())
                    .add(new Lineage.Dataset(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            Lineage.DatasetRole.valueOf(rs.getString(6)))), args);
            sql.each("SELECT version, parent_model, parent_version, relation FROM version_parents" + where
                    + " ORDER BY version, position", rs -> parents.computeIfAbsent(rs.getInt(1), v -> new ArrayList<>())
                    .add(new Lineage.Parent(rs.getString(2), rs.getInt(3), rs.getString(4))), args);
            sql.each("SELECT version, alias FROM aliases" + where + " ORDER BY alias", rs ->
                    aliases.computeIfAbsent(rs.getInt(1), v -> new ArrayList<>()).add(rs.getString(2)), args);
        }
    }
}
