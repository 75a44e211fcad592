package dev.cairn.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite: transactions are begun and ended with plain statements on an auto-commit connection, because the driver's
 * own {@code setAutoCommit(false)} opens the next transaction as soon as one commits and would hold the write lock
 * while the connection sits idle in the pool.
 */
final class SqliteDialect implements Dialect {

    @Override
    public String migrations() {
        return "classpath:db/migration/sqlite";
    }

    @Override
    public boolean singleWriter() {
        return true;
    }

    @Override
    public String lockClause() {
        return ""; // BEGIN IMMEDIATE already holds the database's only write lock
    }

    @Override
    public void lockModelName(Sql sql, String name) {
        // BEGIN IMMEDIATE already serialises every writer.
    }

    @Override
    public void lockEventOrder(Sql sql) {
        // One writer at a time: events commit in the order of their numbers.
    }

    @Override
    public long nextEventSeq(Sql sql) {
        // What AUTOINCREMENT itself hands out: one above both the highest number ever used and the highest row. The
        // write lock, held from BEGIN IMMEDIATE, keeps any other writer from taking the same number meanwhile.
        return sql.scalar("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),"
                + " COALESCE((SELECT MAX(seq) FROM events), 0)) + 1");
    }

    @Override
    public String caseSensitiveLike(String column) {
        return column + " GLOB ?"; // SQLite's LIKE ignores ASCII case; GLOB is its case-sensitive match
    }

    @Override
    public String likePattern(String mlflowPattern) {
        return SearchSql.glob(mlflowPattern);
    }

    @Override
    public String caseInsensitiveLike(String column) {
        return "lower(" + column + ") LIKE lower(?)";
    }

    @Override
    public void beginRead(Connection connection) throws SQLException {
        execute(connection, "BEGIN DEFERRED");
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        execute(connection, "COMMIT");
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        execute(connection, "ROLLBACK");
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return e instanceof SQLiteException s && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
    }

    @Override
    public boolean isUnstorableText(SQLException e) {
        return false; // SQLite stores any string
    }

    @Override
    public boolean isUnavailable(SQLException e) {
        if (!(e instanceof SQLiteException s)) {
            return false;
        }
        int primary = s.getResultCode().code & 0xff; // extended codes such as SQLITE_BUSY_SNAPSHOT keep it in the low byte
        return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code
                || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code;
    }

    @Override
    public boolean isRetryable(SQLException e) {
        return false; // a write holds the only write lock from BEGIN, so no transaction is ever chosen as a victim
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
