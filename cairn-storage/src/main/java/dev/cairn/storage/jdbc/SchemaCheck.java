package dev.cairn.storage.jdbc;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Brings a database to the schema of this build with the dialect's Flyway migrations, then refuses to start on a
 * schema it does not know: one written by a newer Cairn, or one whose tables were altered by hand.
 */
final class SchemaCheck {
    /** Every table the store queries; a start-up probe of each finds a damaged schema before a user request does. */
    static final List<String> TABLES = List.of("models", "model_tags", "versions", "version_tags", "version_metrics",
            "version_params", "version_files", "version_datasets", "version_code", "version_parents", "aliases",
            "pointer_changes", "events", "experiments", "experiment_tags", "runs", "metrics", "latest_metrics", "params",
            "run_tags", "run_inputs", "artifacts", "users", "api_tokens", "model_grants", "policies",
            "transition_requests", "request_approvals", "webhooks", "webhook_deliveries", "webhook_attempts",
            "webhook_cursor", "deployments");

    private SchemaCheck() {}

    static void migrateAndCheck(DataSource dataSource, Dialect dialect, String where) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrations())
                .failOnMissingLocations(true)
                .load();
        try {
            flyway.migrate();
            List<MigrationInfo> future = Arrays.stream(flyway.info().all())
                    .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                    .toList();
            if (!future.isEmpty()) {
                throw new RegistryException(ErrorCode.FAILED_PRECONDITION, "the metadata database " + where
                        + " has schema version " + future.get(future.size() - 1).getVersion()
                        + ", newer than this Cairn knows; run a newer Cairn");
            }
        } catch (FlywayException e) {
            throw new RegistryException(ErrorCode.INTERNAL, "cannot migrate the metadata database " + where + ": "
                    + e.getMessage(), Map.of(), e);
        }
        probeTables(dataSource, where);
    }

    private static void probeTables(DataSource dataSource, String where) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0").close();
            }
        } catch (SQLException e) {
            throw new RegistryException(ErrorCode.INTERNAL, "the metadata database " + where
                    + " does not have the expected schema: " + e.getMessage(), Map.of(), e);
        }
    }
}
