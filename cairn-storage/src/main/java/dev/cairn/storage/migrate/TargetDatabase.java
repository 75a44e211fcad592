package dev.cairn.storage.migrate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * What differs between the databases a registry can be copied into: how to connect, and how to carry over the
 * sequences behind generated ids, since rows inserted with explicit ids do not advance a PostgreSQL identity.
 */
sealed interface TargetDatabase {

    static TargetDatabase of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return new Sqlite(jdbcUrl);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new Postgres(jdbcUrl);
        }
        throw new IllegalArgumentException("the target database must be a jdbc:sqlite: or jdbc:postgresql: URL");
    }

    /** A connection with auto-commit off: the whole copy is one transaction. */
    Connection connect() throws SQLException;

    /**
     * Sets the sequence behind {@code table}'s generated id, if it has one, so the next id is above both the highest
     * copied id and {@code highWater}, the source's own high-water mark (ids of rows that no longer exist are not
     * handed out again).
     */
    void resetSequence(Connection connection, String table, long highWater) throws SQLException;

    record Sqlite(String url) implements TargetDatabase {
        @Override
        public Connection connect() throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.enforceForeignKeys(true);
            config.setBusyTimeout(10_000);
            Connection connection = config.createConnection(url);
            connection.setAutoCommit(false);
            return connection;
        }

        @Override
        public void resetSequence(Connection connection, String table, long highWater) throws SQLException {
            // Inserting explicit ids already raised sqlite_sequence to the highest copied id; only a higher
            // high-water mark is left to carry over.
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?")) {
                update.setLong(1, highWater);
                update.setString(2, table);
                update.setLong(3, highWater);
                update.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sqlite_sequence (name, seq)"
                    + " SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)")) {
                insert.setString(1, table);
                insert.setLong(2, highWater);
                insert.setString(3, table);
                insert.executeUpdate();
            }
        }
    }

    record Postgres(String url) implements TargetDatabase {
        @Override
        public Connection connect() throws SQLException {
            Connection connection = DriverManager.getConnection(url);
            connection.setAutoCommit(false);
            return connection;
        }

        @Override
        public void resetSequence(Connection connection, String table, long highWater) throws SQLException {
            String column = null;
            try (PreparedStatement find = connection.prepareStatement("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = ?"
                    + " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')")) {
                find.setString(1, table);
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next()) {
                        column = rs.getString(1);
                    }
                }
            }
            if (column == null) {
                return;
            }
            long highest;
            try (PreparedStatement max = connection.prepareStatement(
                    "SELECT COALESCE(MAX(" + column + "), 0) FROM " + table)) {
                try (ResultSet rs = max.executeQuery()) {
                    rs.next();
                    highest = Math.max(rs.getLong(1), highWater);
                }
            }
            // setval(seq, n, true): the next id is n + 1; a sequence cannot be set below 1, so an unused one is set
            // to 1 "not yet called", which hands out 1 next.
            try (PreparedStatement set = connection.prepareStatement(
                    "SELECT setval(pg_get_serial_sequence(?, ?), ?, ?)")) {
                set.setString(1, table);
                set.setString(2, column);
                set.setLong(3, Math.max(highest, 1));
                set.setBoolean(4, highest >= 1);
                set.executeQuery().close();
            }
        }
    }
}
