package dev.cairn.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the databases the store runs on. Everything else — the SQL of {@link JdbcTx}, paging, error
 * translation — is shared, so a dialect stays a handful of lines.
 */
interface Dialect {
    Dialect SQLITE = new SqliteDialect();
    Dialect POSTGRES = new PostgresDialect();

    /** The Flyway location of this dialect's migrations. */
    String migrations();

    /**
     * Whether the database has one write lock for everything (SQLite), so writers must also queue in this process;
     * otherwise row locks taken by {@code lockModel} serialise the writers of one model only.
     */
    boolean singleWriter();

    /** Appended to a query that finds the row a write then changes ({@code lockModel}, a run's inputs). */
    String lockClause();

    /**
     * Serialises, until the transaction ends, every writer that looks up or creates the live model called
     * {@code name}, even while no row of that name exists yet: a writer that finds no model and creates it then
     * never races another doing the same.
     */
    void lockModelName(Sql sql, String name);

    /**
     * Called before an event is appended; holds until the transaction ends whatever makes event numbers become
     * visible in the order they were handed out, so a watcher that read up to seq N never later meets an N-1.
     */
    void lockEventOrder(Sql sql);

    /**
     * Hands out the next event's sequence number before its row is inserted, so the row can carry its chain hash,
     * which covers the number. Called under {@link #lockEventOrder}; never returns a number a committed event had,
     * deleted rows included.
     */
    long nextEventSeq(Sql sql);

    /** A case-sensitive match of {@code column} against one bound pattern ({@link #likePattern}), as MLflow's LIKE. */
    String caseSensitiveLike(String column);

    /** The argument bound for {@link #caseSensitiveLike}, from an MLflow pattern (% and _, no escape character). */
    String likePattern(String mlflowPattern);

    /** A match of {@code column} against one bound MLflow pattern ignoring ASCII case, as MLflow's ILIKE. */
    String caseInsensitiveLike(String column);

    /**
     * {@code column} matched against a list of version numbers, with the arguments to bind. PostgreSQL gets one array
     * parameter: with a list of single parameters, its generic plan for a prepared statement stops using the index.
     */
    default Sql.Fragment versionIn(String column, List<Integer> versions) {
        return new Sql.Fragment(column + " IN (" + JdbcTx.placeholders(versions.size()) + ")", List.copyOf(versions));
    }

    /** Starts a transaction that sees one consistent snapshot. */
    void beginRead(Connection connection) throws SQLException;

    /** Starts a transaction that will write; on SQLite it takes the write lock up front, so it never fails midway. */
    void beginWrite(Connection connection) throws SQLException;

    void commit(Connection connection) throws SQLException;

    void rollback(Connection connection) throws SQLException;

    /** Whether a statement failed because it broke a unique or primary key. */
    boolean isUniqueViolation(SQLException e);

    /** Whether the database cannot store a text value at all (PostgreSQL refuses the NUL character). */
    boolean isUnstorableText(SQLException e);

    /** Whether the database is busy or unreachable: worth retrying later, not a bug. */
    boolean isUnavailable(SQLException e);

    /**
     * Whether the database rolled the whole transaction back to break a conflict with another one (deadlock,
     * serialisation failure), so running it again from the start is safe and will likely succeed.
     */
    boolean isRetryable(SQLException e);
}
