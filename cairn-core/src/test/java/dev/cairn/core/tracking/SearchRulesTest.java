package dev.cairn.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.search.Entity;
import dev.cairn.core.search.OrderBy;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchRulesTest {

    @Test
    void runAttributesComeOutCanonicalWithTieBreaksAppended() {
        RunQuery query = SearchRules.runs(List.of("1"), "`run name` = 'a' and created > 5 and attr.RUN_ID IN ('x')",
                List.of("metrics.acc DESC"), ViewType.ALL);
        assertThat(query.filter()).extracting(c -> c.key()).containsExactly("run_name", "start_time", "run_id");
        assertThat(query.orderBy()).containsExactly(new OrderBy(Entity.METRIC, "acc", false),
                new OrderBy(Entity.ATTRIBUTE, "start_time", false), new OrderBy(Entity.ATTRIBUTE, "run_id", true));
    }

    @Test
    void refusesWhatMlflowRefuses() {
        for (String filter : List.of("metrics.a = 'x'", "params.a > 1", "tags.a IN ('x')", "status IN ('A')",
                "start_time = 'x'", "bogus = 'x'", "datasets.size = 'x'", "run_name = 3")) {
            assertThatThrownBy(() -> SearchRules.runs(List.of("1"), filter, List.of(), ViewType.ALL)).as(filter)
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        for (String filter : List.of("metrics.a > 1", "params.a = 'x'", "name > 'a'", "creation_time = 'x'")) {
            assertThatThrownBy(() -> SearchRules.experiments(filter, List.of(), ViewType.ALL)).as(filter)
                    .isInstanceOf(RegistryException.class);
        }
        assertThatThrownBy(() -> SearchRules.experiments("", List.of("tags.x"), ViewType.ALL))
                .isInstanceOf(RegistryException.class);
    }

    @Test
    void experimentOrderingDefaultsToNewestFirst() {
        assertThat(SearchRules.experiments("", List.of(), ViewType.ALL).orderBy()).containsExactly(
                new OrderBy(Entity.ATTRIBUTE, "creation_time", false), new OrderBy(Entity.ATTRIBUTE, "experiment_id", true));
        assertThat(SearchRules.experiments("", List.of("attribute.name"), ViewType.ALL).orderBy()).containsExactly(
                new OrderBy(Entity.ATTRIBUTE, "name", true), new OrderBy(Entity.ATTRIBUTE, "experiment_id", false));
    }

    @Test
    void artifactPathsAreNormalisedOrRefused() {
        assertThat(ArtifactPath.of("a//b/./c/")).isEqualTo("a/b/c");
        assertThat(ArtifactPath.of(null)).isEmpty();
        for (String bad : List.of("../a", "a/../b", "a\\b", "/abs", "C:/x", "a#b")) {
            assertThatThrownBy(() -> ArtifactPath.of(bad)).as(bad).hasMessage("Invalid path");
        }
    }

    @Test
    void pageTokensUseMlflowsFormat() {
        assertThat(SearchTokens.encode(3)).isEqualTo("eyJvZmZzZXQiOiAzfQ==");
        assertThat(SearchTokens.decode("eyJvZmZzZXQiOiAzfQ==")).isEqualTo(3);
        assertThatThrownBy(() -> SearchTokens.decode("bogus")).isInstanceOf(RegistryException.class);
    }
}
