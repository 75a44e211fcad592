package dev.cairn.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.query.Condition;
import dev.cairn.core.query.RegistryQuery;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How PostgreSQL runs the registry's hot queries on a registry big enough for the planner to care (200 models of 100
 * versions, analysed): from an index, never a walk of every version. The SQLite plans are in {@link RegistrySearchTest}.
 */
class PostgresQueryPlanTest {
    private static String url;

    @BeforeAll
    static void fill() throws Exception {
        url = TestPostgres.newDatabase();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO models (name, created_at, updated_at, last_version)"
                    + " SELECT 'model-' || m, 0, 0, 100 FROM generate_series(1, 200) m");
            s.execute("INSERT INTO versions (model_id, version, status, created_at, updated_at, run_id)"
                    + " SELECT id, v, CASE WHEN v % 10 = 0 THEN 'DELETED' ELSE 'READY' END, v, v, 'run-' || id || '-' || v"
                    + " FROM models CROSS JOIN generate_series(1, 100) v");
            s.execute("INSERT INTO version_tags (model_id, version, key, value)"
                    + " SELECT model_id, version, 'team', 'team-' || (version % 50) FROM versions");
            s.execute("ANALYZE");
        }
    }

    @Test
    void aTagEqualitySearchStartsFromTheTagIndex() throws Exception {
        String plan = plan(RegistrySearch.versions(Dialect.POSTGRES, new RegistryQuery(List.of(
                Condition.tag("team", Condition.Op.EQ, "team-7"), Condition.tag("team", Condition.Op.LIKE, "team-%")),
                List.of(new RegistryQuery.Sort(RegistryQuery.SortKey.UPDATED, false))), 0, 100));
        assertThat(plan).contains("version_tags_by_key_value").doesNotContain("Seq Scan on versions");
    }

    @Test
    void listingAModelsVersionsReadsOnlyThatModelsRows() throws Exception {
        String plan = plan(VersionTable.listStatement(17, null, null, 50, 20));
        assertThat(plan).contains("Index").doesNotContain("Seq Scan on versions");
    }

    @Test
    void aRunIdSearchUsesTheRunIndex() throws Exception {
        String plan = plan(RegistrySearch.versions(Dialect.POSTGRES, new RegistryQuery(List.of(
                Condition.texts(Condition.Field.RUN_ID, Condition.Op.IN, List.of("run-1-1", "run-2-2"))), List.of()), 0, 100));
        assertThat(plan).contains("versions_by_run").doesNotContain("Seq Scan on versions");
    }

    private static String plan(RegistrySearch.Statement statement) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement query = connection.prepareStatement("EXPLAIN " + statement.sql())) {
            for (int i = 0; i < statement.args().size(); i++) {
                Object arg = statement.args().get(i);
                query.setObject(i + 1, arg instanceof Enum<?> e ? e.name() : arg);
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return String.join("\n", lines);
        }
    }
}
