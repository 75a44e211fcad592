package dev.cairn.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private final RetrySchedule schedule =
            new RetrySchedule(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1));

    @Test
    void theDelayDoublesAfterEachFailureUpToTheMaximum() {
        // jitter 0.5 is the middle of the ±20 % band
        assertThat(schedule.delayAfter(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(schedule.delayAfter(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(schedule.delayAfter(5, 0.5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(schedule.delayAfter(6, 0.5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(schedule.delayAfter(10_000, 0.5)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        assertThat(schedule.delayAfter(3, 0.0)).isEqualTo(Duration.ofMillis(3_200));
        assertThat(schedule.delayAfter(3, 0.999_999)).isBetween(Duration.ofMillis(4_799), Duration.ofMillis(4_800));
    }

    @Test
    void nonsenseSchedulesAreRefused() {
        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, Duration.ofSeconds(1), Duration.ofHours(1)))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofHours(1)))
                .hasMessageContaining("must not be shorter");
    }
}
