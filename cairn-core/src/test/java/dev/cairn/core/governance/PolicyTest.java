package dev.cairn.core.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTest {
    @Test
    void governsProductionAndProtectedAliasesOnly() {
        Policy p = new Policy(Map.of(), Map.of(), false, false, false, false, null, false, 0, true, List.of("champion"));
        assertThat(p.governs(Pointer.stage(Stage.PRODUCTION))).isTrue();
        assertThat(p.governs(Pointer.stage(Stage.STAGING))).isFalse();
        assertThat(p.governs(Pointer.alias("champion"))).isTrue();
        assertThat(p.governs(Pointer.alias("challenger"))).isFalse();
    }

    @Test
    void aStagingDurationImpliesStagingFirst() {
        Policy p = new Policy(null, null, false, false, false, false, Duration.ofHours(2), false, 0, true, null);
        assertThat(p.requireStaging()).isTrue();
        assertThat(p.minMetrics()).isEmpty();
        assertThat(p.protectedAliases()).isEmpty();
    }

    @Test
    void badRulesAreRefused() {
        assertThatThrownBy(() -> new Policy(Map.of("auc", Double.NaN), Map.of(), false, false, false, false, null, false,
                0, true, List.of())).isInstanceOf(RegistryException.class).hasMessageContaining("finite number");
        assertThatThrownBy(() -> new Policy(Map.of(), Map.of(), false, false, false, false, null, false,
                11, true, List.of())).hasMessageContaining("approvals must be between 0 and 10");
        assertThatThrownBy(() -> new Policy(Map.of(), Map.of(), false, false, false, false, null, false,
                -1, true, List.of())).hasMessageContaining("approvals");
        assertThatThrownBy(() -> new Policy(Map.of(), Map.of(), false, false, false, false, null, false,
                0, true, List.of("bad alias!"))).isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> new Policy(Map.of(" ", 1.0), Map.of(), false, false, false, false, null, false,
                0, true, List.of())).hasMessageContaining("metric name");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(Durations.parse("d", "30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("d", "12h")).isEqualTo(Duration.ofHours(12));
        assertThat(Durations.parse("d", "15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("d", "45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("d", "PT36H")).isEqualTo(Duration.ofHours(36));
        assertThat(Durations.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        for (String bad : List.of("", "0d", "-1d", "1w", "abc", "P", "PT-1H", "1.5h")) {
            assertThatThrownBy(() -> Durations.parse("expires", bad)).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("expires '" + bad + "' is not a positive duration");
        }
    }
}
