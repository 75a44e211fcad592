package dev.cairn.storage.jdbc;

import dev.cairn.core.deploy.Deployment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Deployment records: one row per model and serving instance, replaced by each of the instance's heartbeats. */
final class DeploymentTable {
    private final Sql sql;

    DeploymentTable(Sql sql) {
        this.sql = sql;
    }

    void put(long modelId, Deployment deployment) {
        sql.update("INSERT INTO deployments (model_id, instance_id, version, reference, since, host, reported_by,"
                        + " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model_id, instance_id) DO UPDATE SET"
                        + " version = excluded.version, reference = excluded.reference, since = excluded.since,"
                        + " host = excluded.host, reported_by = excluded.reported_by, last_seen = excluded.last_seen",
                modelId, deployment.instanceId(), deployment.version(), deployment.reference(), deployment.since(),
                deployment.host(), deployment.reportedBy(), deployment.lastSeen());
    }

    List<Deployment> list(long modelId) {
        return sql.list("SELECT m.name, d.instance_id, d.version, d.reference, d.since, d.host, d.reported_by,"
                + " d.last_seen FROM deployments d JOIN models m ON m.id = d.model_id WHERE d.model_id = ?"
                + " ORDER BY d.version DESC, d.instance_id", DeploymentTable::deployment, modelId);
    }

    int prune(Instant seenBefore) {
        return sql.update("DELETE FROM deployments WHERE last_seen < ?", Sql.millisFrom(seenBefore));
    }

    private static Deployment deployment(ResultSet rs) throws SQLException {
        return new Deployment(rs.getString("name"), rs.getString("instance_id"), rs.getInt("version"),
                rs.getString("reference"), Sql.instant(rs, "since"), rs.getString("host"), rs.getString("reported_by"),
                Sql.instant(rs, "last_seen"));
    }
}
