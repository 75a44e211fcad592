package dev.cairn.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.query.Condition;
import dev.cairn.core.query.RegistryQuery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How SQLite runs registry searches: selective conditions start from an index, never from a walk of every version. */
class RegistrySearchTest {
    @TempDir
    Path dir;

    @Test
    void aTagEqualitySearchStartsFromTheTagIndex() throws Exception {
        List<String> plan = plan(RegistrySearch.versions(Dialect.SQLITE, new RegistryQuery(List.of(
                Condition.tag("stage", Condition.Op.EQ, "prod"), Condition.tag("k", Condition.Op.LIKE, "v%")),
                List.of(new RegistryQuery.Sort(RegistryQuery.SortKey.UPDATED, false))), 0, 100));
        assertThat(plan.get(0)).contains("version_tags_by_key_value");
        assertThat(plan).noneMatch(step -> step.matches("SCAN v\\b.*") || step.startsWith("SCAN versions"));
    }

    @Test
    void aRunIdSearchUsesTheRunIndex() throws Exception {
        List<String> plan = plan(RegistrySearch.versions(Dialect.SQLITE, new RegistryQuery(List.of(
                Condition.texts(Condition.Field.RUN_ID, Condition.Op.IN, List.of("a", "b"))), List.of()), 0, 100));
        assertThat(String.join("\n", plan)).doesNotContain("SCAN v ");
    }

    @Test
    void likeIsCaseSensitiveAsInMlflow() {
        assertThat(SearchSql.glob("a%b_c*[?")).isEqualTo("a*b?c[*][[][?]");
    }

    private List<String> plan(RegistrySearch.Statement statement) throws Exception {
        Path db = dir.resolve("plan.db");
        JdbcMetadataStore.sqlite(db).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             PreparedStatement query = connection.prepareStatement("EXPLAIN QUERY PLAN " + statement.sql())) {
            for (int i = 0; i < statement.args().size(); i++) {
                Object arg = statement.args().get(i);
                query.setObject(i + 1, arg instanceof Enum<?> e ? e.name() : arg);
            }
            List<String> steps = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        }
    }
}
