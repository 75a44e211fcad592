package dev.cairn.storage.jdbc;

import dev.cairn.core.governance.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Promotion policies, stored as JSON: a row per model that has its own and the registry's default in the row without a
 * model. Every statement finds its row by {@code COALESCE(model_id, 0)}, the key of the table's unique index.
 */
final class PolicyTable {
    private final Sql sql;
    private final JsonText json;

    PolicyTable(Sql sql, JsonText json) {
        this.sql = sql;
        this.json = json;
    }

    Optional<Policy> find(Long modelId) {
        return sql.one("SELECT policy FROM policies WHERE COALESCE(model_id, 0) = ?",
                rs -> json.read(rs.getString(1), Stored.class).policy(), key(modelId));
    }

    void set(Long modelId, Policy policy) {
        sql.update("INSERT INTO policies (model_id, policy) VALUES (?, ?)"
                + " ON CONFLICT ((COALESCE(model_id, 0))) DO UPDATE SET policy = excluded.policy",
                modelId, json.write(Stored.of(policy)));
    }

    boolean delete(Long modelId) {
        return sql.update("DELETE FROM policies WHERE COALESCE(model_id, 0) = ?", key(modelId)) > 0;
    }

    /** Model ids start at 1, so 0 names the default. */
    private static long key(Long modelId) {
        return modelId == null ? 0 : modelId;
    }

    /** The stored form of a {@link Policy}: plain values JSON can hold, the least time in Staging in seconds. */
    record Stored(Map<String, Double> minMetrics, Map<String, Double> maxMetrics, boolean requireDatasetDigest,
                  boolean requireCommit, boolean requireCleanTree, boolean requireStaging, Long stagingForSeconds,
                  boolean requireCompatibleSignature, int approvals, boolean fourEyes, List<String> protectedAliases) {

        static Stored of(Policy p) {
            return new Stored(p.minMetrics(), p.maxMetrics(), p.requireDatasetDigest(), p.requireCommit(),
                    p.requireCleanTree(), p.requireStaging(), p.stagingFor() == null ? null : p.stagingFor().toSeconds(),
                    p.requireCompatibleSignature(), p.approvals(), p.fourEyes(), p.protectedAliases());
        }

        Policy policy() {
            return new Policy(minMetrics, maxMetrics, requireDatasetDigest, requireCommit, requireCleanTree,
                    requireStaging, stagingForSeconds == null ? null : Duration.ofSeconds(stagingForSeconds),
                    requireCompatibleSignature, approvals, fourEyes, protectedAliases);
        }
    }
}
