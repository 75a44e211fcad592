package dev.cairn.storage.jdbc;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prepared statements on one connection, with Java values bound the same way everywhere (instants as epoch
 * milliseconds, enums by name, booleans as 0/1) and failures translated at once.
 */
final class Sql {
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface RowAction {
        void accept(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    private final StoreErrors errors;

    Sql(Connection connection, StoreErrors errors) {
        this.connection = connection;
        this.errors = errors;
    }

    int update(String sql, Object... args) {
        try (PreparedStatement statement = prepare(sql, args)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw errors.translate(e, describe(sql));
        }
    }

    /**
     * Runs an insert that a unique key may refuse and returns the rows it inserted; {@code duplicate} is the message
     * the caller then sees.
     */
    int insertUnique(String duplicate, String sql, Object... args) {
        try (PreparedStatement statement = prepare(sql, args)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            if (errors.isUniqueViolation(e)) {
                throw new RegistryException(ErrorCode.ALREADY_EXISTS, duplicate, Map.of(), e);
            }
            throw errors.translate(e, describe(sql));
        }
    }

    <T> List<T> list(String sql, Row<T> row, Object... args) {
        try (PreparedStatement statement = prepare(sql, args); ResultSet rs = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.map(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw errors.translate(e, describe(sql));
        }
    }

    /** Hands every row to {@code action}, for results gathered into maps. */
    void each(String sql, RowAction action, Object... args) {
        list(sql, rs -> {
            action.accept(rs);
            return Boolean.TRUE;
        }, args);
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... args) {
        List<T> rows = list(sql, row, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** A query that answers exactly one long, such as an {@code INSERT ... RETURNING} key. */
    long scalar(String sql, Object... args) {
        return one(sql, rs -> rs.getLong(1), args).orElseThrow(() ->
                new RegistryException(ErrorCode.INTERNAL, "no row from " + describe(sql)));
    }

    /** A piece of SQL and the values its placeholders take. */
    record Fragment(String sql, List<Object> args) {}

    /** A list of integers bound as one SQL array parameter (PostgreSQL's {@code = ANY(?)}). */
    record IntArray(List<Integer> values) {}

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof IntArray array) {
                    statement.setArray(i + 1, connection.createArrayOf("integer", array.values().toArray()));
                } else {
                    bind(statement, i + 1, args[i]);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Instant instant) {
            statement.setLong(index, instant.toEpochMilli());
        } else if (value instanceof Enum<?> e) {
            statement.setString(index, e.name());
        } else if (value instanceof Boolean b) {
            statement.setInt(index, b ? 1 : 0);
        } else if (value instanceof String s) {
            statement.setString(index, s);
        } else if (value instanceof Integer n) {
            statement.setInt(index, n);
        } else if (value instanceof Long n) {
            statement.setLong(index, n);
        } else if (value instanceof Double d) {
            statement.setDouble(index, d);
        } else {
            throw new IllegalArgumentException("cannot bind " + value.getClass().getName());
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /**
     * The first whole millisecond at or after {@code instant}. Stored times are whole milliseconds, so
     * {@code time >= millisFrom(t)} and {@code time < millisFrom(t)} compare exactly as against {@code t} itself.
     */
    static long millisFrom(Instant instant) {
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /** "running INSERT INTO models", enough to tell statements apart in a message. */
    private static String describe(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return "running " + (flat.length() > 60 ? flat.substring(0, 60) + "..." : flat);
    }
}
