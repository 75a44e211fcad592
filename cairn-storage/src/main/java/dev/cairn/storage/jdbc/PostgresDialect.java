package dev.cairn.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.sql.Statement;
import java.util.Set;

/**
 * PostgreSQL: writers of different models run in parallel, across processes too; each write serialises on its
 * model's row ({@code SELECT ... FOR UPDATE}) and, for a model that does not exist yet, on a transaction-scoped
 * advisory lock on its name. Writes run at READ COMMITTED, where those locks make every read-modify-write of a model
 * see the latest committed row; reads run at REPEATABLE READ READ ONLY, one snapshot for the whole transaction.
 */
final class PostgresDialect implements Dialect {
    /** The first key of Cairn's advisory locks ("CAIR"), so they do not collide with another application's. */
    private static final int LOCK_SPACE = 0x43414952;
    /** The second key of the lock that orders event appends; model-name locks use the name's hash instead. */
    private static final int EVENT_ORDER = 0;

    private static final String UNIQUE_VIOLATION = "23505";
    /** character_not_in_repertoire (a NUL in text), untranslatable_character. */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");
    /** serialization_failure, deadlock_detected: the server rolled the transaction back to let another one go on. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
    /**
     * Busy or going away rather than wrong: too many connections, lock or statement timeouts, shutdown, and the
     * serialisation failures once retries are used up. Class 08 (connection exceptions) is checked by prefix.
     */
    private static final Set<String> UNAVAILABLE = Set.of("40001", "40P01", "53300", "55P03", "57014", "57P01",
            "57P02", "57P03");

    @Override
    public String migrations() {
        return "classpath:db/migration/postgresql";
    }

    @Override
    public boolean singleWriter() {
        return false;
    }

    @Override
    public String lockClause() {
        return " FOR UPDATE";
    }

    @Override
    public void lockModelName(Sql sql, String name) {
        // A row lock cannot cover a row that does not exist yet; a lock on the name's hash can. A hash collision only
        // makes two models' writers take turns.
        sql.one("SELECT pg_advisory_xact_lock(?, hashtext(?))", rs -> Boolean.TRUE, LOCK_SPACE, name);
    }

    @Override
    public void lockEventOrder(Sql sql) {
        // Event numbers are handed out before the insert but become visible at commit, in commit order. Appending
        // under a lock held until commit makes the two orders the same. Every registry write appends an event, so this
        // lock orders registry writes from their first event to their commit; model-row locks are always taken before
        // it.
        sql.one("SELECT pg_advisory_xact_lock(?, ?)", rs -> Boolean.TRUE, LOCK_SPACE, EVENT_ORDER);
    }

    @Override
    public long nextEventSeq(Sql sql) {
        // The identity's own sequence: it never hands out a number twice, even to transactions that rolled back.
        return sql.scalar("SELECT nextval(pg_get_serial_sequence('events', 'seq'))");
    }

    @Override
    public String caseSensitiveLike(String column) {
        // No escape character, as in MLflow; PostgreSQL's LIKE is case-sensitive already.
        return column + " LIKE ? ESCAPE ''";
    }

    @Override
    public String likePattern(String mlflowPattern) {
        return mlflowPattern;
    }

    @Override
    public String caseInsensitiveLike(String column) {
        // COLLATE "C" keeps lower() to ASCII letters on the argument too, as on the "C" columns and on SQLite.
        return "lower(" + column + ") LIKE lower(? COLLATE \"C\") ESCAPE ''";
    }

    @Override
    public void beginRead(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        execute(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        connection.setAutoCommit(false); // READ COMMITTED, the server's default
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        connection.commit();
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        connection.rollback();
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    @Override
    public boolean isUnstorableText(SQLException e) {
        return e.getSQLState() != null && UNSTORABLE_TEXT.contains(e.getSQLState());
    }

    @Override
    public boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (UNAVAILABLE.contains(state) || state.startsWith("08"));
    }

    @Override
    public boolean isRetryable(SQLException e) {
        return e.getSQLState() != null && RETRYABLE.contains(e.getSQLState());
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public Sql.Fragment versionIn(String column, List<Integer> versions) {
        return new Sql.Fragment(column + " = ANY(?)", List.of(new Sql.IntArray(versions)));
    }
}
