package dev.cairn.storage.jdbc;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.search.Clause;
import dev.cairn.core.search.Entity;
import dev.cairn.core.search.OrderBy;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.LoggedMetric;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunQuery;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.ViewType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runs table and its children: metric history, latest metrics, params, tags and dataset inputs. */
final class RunTable {
    /** runs.deleted: 0 active, 1 deleted on its own, 2 deleted with its experiment (restoring the experiment revives these only). */
    static final int DELETED = 1;
    static final int DELETED_WITH_EXPERIMENT = 2;
    /** Rows per multi-row INSERT or IN list: well under SQLite's limit of bound parameters per statement. */
    static final int CHUNK = 500;
    private static final String COLUMNS =
            "r.run_id, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.deleted";
    private static final Map<String, String> ATTRIBUTE_COLUMN = Map.of("run_id", "r.run_id", "run_name", "r.name",
            "status", "r.status", "user_id", "r.user_id", "artifact_uri", "r.artifact_uri",
            "start_time", "r.start_time", "end_time", "r.end_time");
    private static final Map<String, String> DATASET_COLUMN = Map.of("name", "d.name", "digest", "d.digest",
            "context", "d.context");
    /** MLflow's latest-value rule: the greatest (step, timestamp, value); NaN counts above every number. */
    private static final Comparator<Metric> LATEST = Comparator.comparingLong(Metric::step)
            .thenComparingLong(Metric::timestamp)
            .thenComparingInt(m -> Double.isNaN(m.value()) ? 1 : 0)
            .thenComparingDouble(m -> Double.isNaN(m.value()) ? 0 : m.value());

    private final Sql sql;
    private final Dialect dialect;
    private final JsonText json;

    RunTable(Sql sql, Dialect dialect, JsonText json) {
        this.sql = sql;
        this.dialect = dialect;
        this.json = json;
    }

    void insert(Run run) {
        sql.insertUnique("run '" + run.id() + "' already exists",
                "INSERT INTO runs (run_id, experiment_id, name, user_id, status, start_time, end_time, artifact_uri,"
                        + " deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                run.id(), ExperimentTable.id(run.experimentId()), run.name(), run.userId(), run.status(),
                run.startTime(), run.endTime(), run.artifactUri());
        setTags(run.id(), run.tags());
    }

    Optional<Run> findInfo(String runId) {
        return sql.one("SELECT " + COLUMNS + " FROM runs r WHERE r.run_id = ?", RunTable::row, runId);
    }

    Optional<Run> find(String runId) {
        return findInfo(runId).map(run -> withData(List.of(run)).get(0));
    }

    void update(String runId, RunStatus status, Long endTime, String name) {
        if (status != null) {
            sql.update("UPDATE runs SET status = ? WHERE run_id = ?", status, runId);
        }
        if (endTime != null) {
            sql.update("UPDATE runs SET end_time = ? WHERE run_id = ?", endTime, runId);
        }
        if (name != null) {
            sql.update("UPDATE runs SET name = ? WHERE run_id = ?", name, runId);
        }
    }

    void setDeleted(String runId, boolean deleted) {
        sql.update("UPDATE runs SET deleted = ? WHERE run_id = ?", deleted ? DELETED : 0, runId);
    }

    void logMetrics(String runId, List<Metric> metrics) {
        for (List<Metric> chunk : chunks(metrics)) {
            SearchSql q = new SearchSql().append(
                    "INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step) VALUES ");
            for (int i = 0; i < chunk.size(); i++) {
                Metric m = chunk.get(i);
                boolean nan = Double.isNaN(m.value());
                q.append(i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)",
                        runId, m.key(), nan ? 0.0 : m.value(), nan, m.timestamp(), m.step());
            }
            q.append(" ON CONFLICT DO NOTHING");
            sql.update(q.text(), q.args());
        }
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric m : metrics) {
            latest.merge(m.key(), m, (a, b) -> LATEST.compare(b, a) > 0 ? b : a);
        }
        for (Metric m : latest.values()) {
            boolean nan = Double.isNaN(m.value());
            sql.update("INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,"
                    + " timestamp = excluded.timestamp, step = excluded.step"
                    + " WHERE (excluded.step, excluded.timestamp, excluded.is_nan, excluded.value)"
                    + " > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.is_nan, latest_metrics.value)",
                    runId, m.key(), nan ? 0.0 : m.value(), nan, m.timestamp(), m.step());
        }
    }

    List<LoggedMetric> history(String runId, String key, long afterSeq, int limit) {
        return sql.list("SELECT seq, key, value, is_nan, timestamp, step FROM metrics"
                        + " WHERE run_id = ? AND key = ? AND seq > ? ORDER BY seq LIMIT ?",
                rs -> new LoggedMetric(rs.getLong("seq"), metric(rs)), runId, key, afterSeq, limit);
    }

    Map<String, String> params(String runId, List<String> keys) {
        Map<String, String> out = new HashMap<>();
        for (List<String> chunk : chunks(keys)) {
            SearchSql q = new SearchSql().append("SELECT key, value FROM params WHERE run_id = ? AND key IN (", runId);
            for (int i = 0; i < chunk.size(); i++) {
                q.append(i == 0 ? "?" : ", ?", chunk.get(i));
            }
            sql.each(q.append(")").text(), rs -> out.put(rs.getString(1), rs.getString(2)), q.args());
        }
        return out;
    }

    void insertParams(String runId, Map<String, String> params) {
        upsert("INSERT INTO params (run_id, key, value) VALUES ", " ON CONFLICT (run_id, key) DO NOTHING", runId, params);
    }

    void setTags(String runId, Map<String, String> tags) {
        upsert("INSERT INTO run_tags (run_id, key, value) VALUES ",
                " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value", runId, tags);
    }

    private void upsert(String insert, String onConflict, String runId, Map<String, String> values) {
        for (List<Map.Entry<String, String>> chunk : chunks(List.copyOf(values.entrySet()))) {
            SearchSql q = new SearchSql().append(insert);
            for (int i = 0; i < chunk.size(); i++) {
                q.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)", runId, chunk.get(i).getKey(), chunk.get(i).getValue());
            }
            sql.update(q.append(onConflict).text(), q.args());
        }
    }

    boolean deleteTag(String runId, String key) {
        return sql.update("DELETE FROM run_tags WHERE run_id = ? AND key = ?", runId, key) > 0;
    }

    void insertInputs(String runId, List<DatasetInput> inputs) {
        // Positions count up per run: two writers adding inputs to one run must take turns.
        sql.one("SELECT run_id FROM runs WHERE run_id = ?" + dialect.lockClause(), rs -> Boolean.TRUE, runId);
        long position = sql.scalar("SELECT COALESCE(MAX(position), -1) + 1 FROM run_inputs WHERE run_id = ?", runId);
        for (DatasetInput input : inputs) {
            int added = sql.update("INSERT INTO run_inputs (run_id, position, name, digest, source_type, source, schema,"
                            + " profile, tags, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (run_id, name, digest) DO NOTHING",
                    runId, position, input.name(), input.digest(), input.sourceType(), input.source(), input.schema(),
                    input.profile(), json.write(input.tags()), input.tags().get("mlflow.data.context"));
            position += added;
        }
    }

    List<Run> search(RunQuery query, long offset, int limit) {
        List<Long> experiments = query.experimentIds().stream().map(ExperimentTable::id)
                .filter(id -> id != null).distinct().toList();
        if (experiments.isEmpty()) {
            return List.of();
        }
        SearchSql q = new SearchSql().append("SELECT " + COLUMNS + " FROM runs r");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < query.orderBy().size(); i++) {
            OrderBy o = query.orderBy().get(i);
            String dir = o.ascending() ? " ASC" : " DESC";
            String alias = "o" + i;
            switch (o.entity()) {
                case ATTRIBUTE -> {
                    String column = attribute(o.key());
                    order.add("(" + column + " IS NULL)");
                    order.add(column + dir);
                }
                case METRIC -> {
                    q.append(" LEFT JOIN latest_metrics " + alias + " ON " + alias + ".run_id = r.run_id AND " + alias
                            + ".key = ?", o.key());
                    order.add("(" + alias + ".run_id IS NULL)");
                    order.add(alias + ".is_nan");
                    order.add(alias + ".value" + dir);
                }
                case PARAM, TAG -> {
                    String table = o.entity() == Entity.PARAM ? "params" : "run_tags";
                    q.append(" LEFT JOIN " + table + " " + alias + " ON " + alias + ".run_id = r.run_id AND " + alias
                            + ".key = ?", o.key());
                    order.add("(" + alias + ".run_id IS NULL)");
                    order.add(alias + ".value" + dir);
                }
                default -> throw new RegistryException(ErrorCode.INTERNAL, "cannot order runs by " + o.entity());
            }
        }
        q.append(" WHERE r.experiment_id IN (");
        for (int i = 0; i < experiments.size(); i++) {
            q.append(i == 0 ? "?" : ", ?", experiments.get(i));
        }
        q.append(")");
        if (query.view() == ViewType.ACTIVE_ONLY) {
            q.append(" AND r.deleted = 0");
        } else if (query.view() == ViewType.DELETED_ONLY) {
            q.append(" AND r.deleted <> 0");
        }
        for (Clause clause : query.filter()) {
            q.append(" AND ");
            switch (clause.entity()) {
                case ATTRIBUTE -> q.compare(dialect, attribute(clause.key()), clause);
                case METRIC -> q.append("EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_id = r.run_id AND m.key = ?"
                        + " AND m.is_nan = 0 AND ", clause.key()).compare(dialect, "m.value", clause).append(")");
                case PARAM -> q.append("EXISTS (SELECT 1 FROM params p WHERE p.run_id = r.run_id AND p.key = ? AND ",
                        clause.key()).compare(dialect, "p.value", clause).append(")");
                case TAG -> q.append("EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.run_id AND t.key = ? AND ",
                        clause.key()).compare(dialect, "t.value", clause).append(")");
                case DATASET -> q.append("EXISTS (SELECT 1 FROM run_inputs d WHERE d.run_id = r.run_id AND ")
                        .compare(dialect, dataset(clause.key()), clause).append(")");
            }
        }
        q.append(" ORDER BY " + String.join(", ", order)).append(" LIMIT ? OFFSET ?", limit, offset);
        return withData(sql.list(q.text(), RunTable::row, q.args()));
    }

    /** Fills in the data of runs read without it, with one query per child table for the whole list. */
    private List<Run> withData(List<Run> runs) {
        if (runs.isEmpty()) {
            return runs;
        }
        Map<String, List<Metric>> metrics = new HashMap<>();
        Map<String, Map<String, String>> params = new HashMap<>();
        Map<String, Map<String, String>> tags = new HashMap<>();
        Map<String, List<DatasetInput>> inputs = new HashMap<>();
        for (List<Run> chunk : chunks(runs)) {
            String in = " WHERE run_id IN (" + String.join(", ", chunk.stream().map(r -> "?").toList()) + ")";
            Object[] ids = chunk.stream().map(Run::id).toArray();
            sql.each("SELECT run_id, key, value, is_nan, timestamp, step FROM latest_metrics" + in + " ORDER BY run_id, key",
                    rs -> metrics.computeIfAbsent(rs.getString("run_id"), k -> new ArrayList<>()).add(metric(rs)), ids);
            sql.each("SELECT run_id, key, value FROM params" + in + " ORDER BY run_id, key",
                    rs -> params.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3)), ids);
            sql.each("SELECT run_id, key, value FROM run_tags" + in + " ORDER BY run_id, key",
                    rs -> tags.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3)), ids);
            sql.each("SELECT run_id, name, digest, source_type, source, schema, profile, tags FROM run_inputs" + in
                            + " ORDER BY run_id, position",
                    rs -> inputs.computeIfAbsent(rs.getString("run_id"), k -> new ArrayList<>()).add(new DatasetInput(
                            rs.getString("name"), rs.getString("digest"), rs.getString("source_type"),
                            rs.getString("source"), rs.getString("schema"), rs.getString("profile"),
                            json.readMap(rs.getString("tags")))), ids);
        }
        return runs.stream().map(r -> new Run(r.id(), r.experimentId(), r.name(), r.userId(), r.status(),
                r.startTime(), r.endTime(), r.artifactUri(), r.deleted(), metrics.get(r.id()), params.get(r.id()),
                tags.get(r.id()), inputs.get(r.id()))).toList();
    }

    private static String attribute(String key) {
        return known(ATTRIBUTE_COLUMN, key, "attribute");
    }

    private static String dataset(String key) {
        return known(DATASET_COLUMN, key, "dataset attribute");
    }

    private static String known(Map<String, String> columns, String key, String what) {
        String column = columns.get(key);
        if (column == null) {
            throw RegistryException.invalid("runs cannot be searched by " + what + " '" + key + "'");
        }
        return column;
    }

    static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += CHUNK) {
            out.add(items.subList(i, Math.min(items.size(), i + CHUNK)));
        }
        return out;
    }

    private static Metric metric(ResultSet rs) throws SQLException {
        double value = rs.getInt("is_nan") != 0 ? Double.NaN : rs.getDouble("value");
        return new Metric(rs.getString("key"), value, rs.getLong("timestamp"), rs.getLong("step"));
    }

    private static Run row(ResultSet rs) throws SQLException {
        long end = rs.getLong("end_time");
        Long endTime = rs.wasNull() ? null : end;
        return new Run(rs.getString("run_id"), Long.toString(rs.getLong("experiment_id")), rs.getString("name"),
                rs.getString("user_id"), RunStatus.valueOf(rs.getString("status")), rs.getLong("start_time"), endTime,
                rs.getString("artifact_uri"), rs.getInt("deleted") != 0, List.of(), Map.of(), Map.of(), List.of());
    }
}
