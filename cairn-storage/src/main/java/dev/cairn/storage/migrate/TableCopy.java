package dev.cairn.storage.migrate;

import dev.cairn.core.RegistryException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Copies every row of every source table into the target, ids included, in foreign-key order, converting each value
 * to the type the target column declares (PostgreSQL is stricter than SQLite about integers, booleans and JSON).
 */
final class TableCopy {
    private static final int BATCH = 1_000;

    /** One kind of user data and the query that counts it in a target. */
    private record UserData(String what, String count) {}

    /**
     * What makes a target "not empty": anything a user made. The migrations themselves seed experiment "0"
     * (MLflow's default), which the copy replaces with the source's.
     */
    private static final List<UserData> USER_DATA = List.of(
            new UserData("models", "SELECT COUNT(*) FROM models"),
            new UserData("runs", "SELECT COUNT(*) FROM runs"),
            new UserData("experiments", "SELECT COUNT(*) FROM experiments WHERE id <> 0"),
            new UserData("events", "SELECT COUNT(*) FROM events"),
            new UserData("artifacts", "SELECT COUNT(*) FROM artifacts"),
            new UserData("users", "SELECT COUNT(*) FROM users"),
            new UserData("API tokens", "SELECT COUNT(*) FROM api_tokens"),
            new UserData("policies", "SELECT COUNT(*) FROM policies"),
            new UserData("transition requests", "SELECT COUNT(*) FROM transition_requests"));

    private final SourceSchema schema;

    TableCopy(SourceSchema schema) {
        this.schema = schema;
    }

    /** Refuses, with what it found, a target that already holds a registry: a copy would mix two histories. */
    static void requireEmpty(Connection target, String where) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Statement statement = target.createStatement()) {
            for (UserData check : USER_DATA) {
                try (ResultSet rs = statement.executeQuery(check.count())) {
                    rs.next();
                    long rows = rs.getLong(1);
                    if (rows > 0) {
                        found.add(rows + " " + check.what());
                    }
                }
            }
        }
        if (!found.isEmpty()) {
            throw RegistryException.precondition("the target database " + where + " is not empty (it holds "
                    + String.join(", ", found) + "); migrate-storage only copies into a new, empty registry");
        }
    }

    /** Copies every table; the caller commits. Returns the number of rows copied per table, in copy order. */
    Map<String, Long> copy(Connection source, Connection target, TargetDatabase database) throws SQLException {
        // Seed rows left by the target's migrations are replaced by the source's (children first).
        List<SourceSchema.Table> tables = schema.tables();
        try (Statement statement = target.createStatement()) {
            for (int i = tables.size() - 1; i >= 0; i--) {
                statement.executeUpdate("DELETE FROM " + tables.get(i).name());
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (SourceSchema.Table table : tables) {
            rows.put(table.name(), copyTable(source, target, table));
        }
        for (SourceSchema.Table table : tables) {
            database.resetSequence(target, table.name(), schema.sequences().getOrDefault(table.name(), 0L));
        }
        return rows;
    }

    private long copyTable(Connection source, Connection target, SourceSchema.Table table) throws SQLException {
        Map<String, Integer> types = targetTypes(target, table);
        List<String> columns = table.columns();
        String insert = "INSERT INTO " + table.name() + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        long count = 0;
        try (Statement read = source.createStatement();
                ResultSet rs = read.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table.name());
                PreparedStatement write = target.prepareStatement(insert)) {
            while (rs.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    bind(write, i + 1, rs.getObject(i + 1), types.get(columns.get(i).toLowerCase(Locale.ROOT)));
                }
                write.addBatch();
                if (++count % BATCH == 0) {
                    write.executeBatch();
                }
            }
            if (count % BATCH != 0) {
                write.executeBatch();
            }
        }
        return count;
    }

    /** The target's column types by lower-case name; a source column the target lacks means different schemas. */
    private static Map<String, Integer> targetTypes(Connection target, SourceSchema.Table table) throws SQLException {
        Map<String, Integer> types = new HashMap<>();
        DatabaseMetaData meta = target.getMetaData();
        for (String name : List.of(table.name(), table.name().toLowerCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getColumns(null, target.getSchema(), name, null)) {
                while (rs.next()) {
                    types.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"));
                }
            }
            if (!types.isEmpty()) {
                break;
            }
        }
        for (String column : table.columns()) {
            if (!types.containsKey(column.toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException("the target database has no column " + table.name() + "." + column
                        + ": source and target are at different schema versions");
            }
        }
        return types;
    }

    private static void bind(PreparedStatement write, int index, Object value, int type) throws SQLException {
        if (value == null) {
            write.setNull(index, type);
            return;
        }
        switch (type) {
            case Types.BOOLEAN, Types.BIT -> write.setBoolean(index,
                    value instanceof Number n ? n.longValue() != 0 : Boolean.parseBoolean(value.toString()));
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> write.setLong(index, ((Number) value).longValue());
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL -> write.setDouble(index,
                    ((Number) value).doubleValue());
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> write.setObject(index,
                    OffsetDateTime.ofInstant(Instant.ofEpochMilli(((Number) value).longValue()), ZoneOffset.UTC));
            // json, jsonb and other driver-specific types take their text form.
            case Types.OTHER -> write.setObject(index, value.toString(), Types.OTHER);
            default -> write.setObject(index, value);
        }
    }
}
