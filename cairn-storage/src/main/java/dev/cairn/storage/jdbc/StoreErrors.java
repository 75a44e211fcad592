package dev.cairn.storage.jdbc;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.Map;

/** Turns JDBC failures into the port's errors, so no {@link SQLException} leaves the adapter. */
final class StoreErrors {
    private final Dialect dialect;

    StoreErrors(Dialect dialect) {
        this.dialect = dialect;
    }

    /** {@code what} says what was being done, for the message: "finding model 'x'". */
    RegistryException translate(SQLException e, String what) {
        if (dialect.isUniqueViolation(e)) {
            return new RegistryException(ErrorCode.ALREADY_EXISTS, "already exists (" + what + ")", Map.of(), e);
        }
        if (dialect.isUnstorableText(e)) {
            // The caller's value, not the store, is at fault; the transaction rolls back, so nothing changed.
            return new RegistryException(ErrorCode.INVALID_ARGUMENT, "the metadata database cannot store a value ("
                    + what + "): " + e.getMessage(), Map.of(), e);
        }
        if (isUnavailable(e)) {
            return new RegistryException(ErrorCode.UNAVAILABLE,
                    "the metadata database is busy or unreachable (" + what + "); try again", Map.of(), e);
        }
        return new RegistryException(ErrorCode.INTERNAL, "metadata store failed " + what + ": " + e.getMessage(),
                Map.of(), e);
    }

    boolean isUniqueViolation(SQLException e) {
        return dialect.isUniqueViolation(e);
    }

    private boolean isUnavailable(SQLException e) {
        return dialect.isUnavailable(e) || e instanceof SQLTransientException
                || e instanceof SQLNonTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    }
}
