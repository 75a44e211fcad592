package dev.cairn.storage.jdbc;

import dev.cairn.core.RegistryException;
import dev.cairn.core.search.Clause;
import dev.cairn.core.search.Entity;
import dev.cairn.core.search.OrderBy;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.ExperimentQuery;
import dev.cairn.core.tracking.ViewType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The experiments and experiment_tags tables. */
final class ExperimentTable {
    private static final String COLUMNS = "e.id, e.name, e.artifact_location, e.deleted, e.creation_time, e.last_update_time";
    private static final Map<String, String> COLUMN_OF = Map.of("name", "e.name", "experiment_id", "e.id",
            "creation_time", "e.creation_time", "last_update_time", "e.last_update_time");

    private final Sql sql;
    private final Dialect dialect;

    ExperimentTable(Sql sql, Dialect dialect) {
        this.sql = sql;
        this.dialect = dialect;
    }

    /** Experiment ids are integers in the table and decimal strings everywhere else; anything else names nothing. */
    static Long id(String experimentId) {
        if (experimentId == null || experimentId.isEmpty() || experimentId.length() > 18
                || !experimentId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(experimentId);
    }

    String insert(String name, String artifactLocation, Map<String, String> tags, long now) {
        sql.insertUnique("experiment '" + name + "' already exists",
                "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (?, ?, ?, ?)",
                name, artifactLocation == null ? "" : artifactLocation, now, now);
        long id = sql.scalar("SELECT id FROM experiments WHERE name = ?", name);
        if (artifactLocation == null) {
            sql.update("UPDATE experiments SET artifact_location = ? WHERE id = ?", "mlflow-artifacts:/" + id, id);
        }
        tags.forEach((key, value) -> setTag(id, key, value));
        return Long.toString(id);
    }

    Optional<Experiment> find(String experimentId) {
        Long id = id(experimentId);
        return id == null ? Optional.empty() : first("e.id = ?", id);
    }

    Optional<Experiment> findByName(String name) {
        return first("e.name = ?", name);
    }

    private Optional<Experiment> first(String where, Object arg) {
        List<Experiment> rows = withTags(sql.list("SELECT " + COLUMNS + " FROM experiments e WHERE " + where,
                ExperimentTable::row, arg));
        return rows.stream().findFirst();
    }

    List<Experiment> search(ExperimentQuery query, long offset, int limit) {
        SearchSql q = new SearchSql().append("SELECT " + COLUMNS + " FROM experiments e WHERE 1 = 1");
        if (query.view() == ViewType.ACTIVE_ONLY) {
            q.append(" AND e.deleted = 0");
        } else if (query.view() == ViewType.DELETED_ONLY) {
            q.append(" AND e.deleted = 1");
        }
        for (Clause clause : query.filter()) {
            q.append(" AND ");
            if (clause.entity() == Entity.TAG) {
                q.append("EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.id AND t.key = ? AND ",
                        clause.key()).compare(dialect, "t.value", clause).append(")");
            } else {
                q.compare(dialect, column(clause.key()), clause);
            }
        }
        q.append(" ORDER BY ");
        List<String> order = new ArrayList<>();
        for (OrderBy o : query.orderBy()) {
            order.add(column(o.key()) + (o.ascending() ? " ASC" : " DESC"));
        }
        q.append(String.join(", ", order)).append(" LIMIT ? OFFSET ?", limit, offset);
        return withTags(sql.list(q.text(), ExperimentTable::row, q.args()));
    }

    void setDeleted(String experimentId, boolean deleted, long now) {
        long id = id(experimentId);
        sql.update("UPDATE experiments SET deleted = ?, last_update_time = ? WHERE id = ?", deleted, now, id);
        if (deleted) {
            sql.update("UPDATE runs SET deleted = " + RunTable.DELETED_WITH_EXPERIMENT
                    + " WHERE experiment_id = ? AND deleted = 0", id);
        } else {
            sql.update("UPDATE runs SET deleted = 0 WHERE experiment_id = ? AND deleted = "
                    + RunTable.DELETED_WITH_EXPERIMENT, id);
        }
    }

    void rename(String experimentId, String name, long now) {
        sql.insertUnique("experiment '" + name + "' already exists",
                "UPDATE experiments SET name = ?, last_update_time = ? WHERE id = ?", name, now, id(experimentId));
    }

    void setTag(String experimentId, String key, String value, long now) {
        long id = id(experimentId);
        setTag(id, key, value);
        sql.update("UPDATE experiments SET last_update_time = ? WHERE id = ?", now, id);
    }

    private void setTag(long id, String key, String value) {
        sql.update("INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value", id, key, value);
    }

    boolean deleteTag(String experimentId, String key) {
        return sql.update("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", id(experimentId), key) > 0;
    }

    private static String column(String key) {
        String column = COLUMN_OF.get(key);
        if (column == null) {
            throw RegistryException.invalid("experiments cannot be searched by '" + key + "'");
        }
        return column;
    }

    private List<Experiment> withTags(List<Experiment> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<String, Map<String, String>> tags = new HashMap<>();
        for (List<Experiment> chunk : RunTable.chunks(rows)) {
            SearchSql q = new SearchSql().append("SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (");
            for (int i = 0; i < chunk.size(); i++) {
                q.append(i == 0 ? "?" : ", ?", Long.parseLong(chunk.get(i).id()));
            }
            q.append(") ORDER BY experiment_id, key");
            sql.each(q.text(), rs -> tags.computeIfAbsent(Long.toString(rs.getLong(1)), k -> new LinkedHashMap<>())
                    .put(rs.getString(2), rs.getString(3)), q.args());
        }
        return rows.stream().map(e -> new Experiment(e.id(), e.name(), e.artifactLocation(), e.deleted(),
                e.creationTime(), e.lastUpdateTime(), tags.getOrDefault(e.id(), Map.of()))).toList();
    }

    private static Experiment row(ResultSet rs) throws SQLException {
        return new Experiment(Long.toString(rs.getLong("id")), rs.getString("name"), rs.getString("artifact_location"),
                rs.getInt("deleted") != 0, rs.getLong("creation_time"), rs.getLong("last_update_time"), Map.of());
    }
}
