package dev.cairn.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between the databases the store runs on. Everything else — the SQL of {@link JdbcTx}, paging, error
 * translation — is shared, so a dialect stays a handful of lines.
 */
interface Dialect {
    Dialect SQLITE = new SqliteDialect();

    /** The Flyway location of this dialect's migrations. */
    String migrations();

    /**
     * Whether the database has one write lock for everything (SQLite), so writers must also queue in this process;
     * otherwise row locks taken by {@code lockModel} serialise the writers of one model only.
     */
    boolean singleWriter();

    /** Appended to the query that finds a model in {@code lockModel}. */
    String lockClause();

    /** Starts a transaction that sees one consistent snapshot. */
    void beginRead(Connection connection) throws SQLException;

    /** Starts a transaction that will write; on SQLite it takes the write lock up front, so it never fails midway. */
    void beginWrite(Connection connection) throws SQLException;

    void commit(Connection connection) throws SQLException;

    void rollback(Connection connection) throws SQLException;

    /** Whether a statement failed because it broke a unique or primary key. */
    boolean isUniqueViolation(SQLException e);

    /** Whether the database is busy or unreachable: worth retrying later, not a bug. */
    boolean isUnavailable(SQLException e);
}
