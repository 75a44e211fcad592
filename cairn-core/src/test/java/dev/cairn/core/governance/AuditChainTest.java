package dev.cairn.core.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventKind;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditChainTest {
    private static final Instant T = Instant.parse("2026-11-27T12:00:00.123Z");
    private static final Event EVENT = new Event(7, T, "alice", "fraud", 3, EventKind.STAGE_TRANSITION,
            Map.of("from", "Staging", "to", "Production"));

    @Test
    void theHashDependsOnEveryFieldAndOnThePreviousHash() {
        String hash = AuditChain.hash(AuditChain.GENESIS, EVENT);
        assertThat(hash).matches("[0-9a-f]{64}").isEqualTo(AuditChain.hash(AuditChain.GENESIS, EVENT));

        assertThat(AuditChain.hash("1".repeat(64), EVENT)).isNotEqualTo(hash);
        assertThat(AuditChain.hash(AuditChain.GENESIS, new Event(8, T, "alice", "fraud", 3, EVENT.kind(), EVENT.payload())))
                .isNotEqualTo(hash);
        assertThat(AuditChain.hash(AuditChain.GENESIS, new Event(7, T.plusMillis(1), "alice", "fraud", 3, EVENT.kind(),
                EVENT.payload()))).isNotEqualTo(hash);
        assertThat(AuditChain.hash(AuditChain.GENESIS, new Event(7, T, "mallory", "fraud", 3, EVENT.kind(), EVENT.payload())))
                .isNotEqualTo(hash);
        assertThat(AuditChain.hash(AuditChain.GENESIS, new Event(7, T, "alice", "fraud", 2, EVENT.kind(), EVENT.payload())))
                .isNotEqualTo(hash);
        assertThat(AuditChain.hash(AuditChain.GENESIS, new Event(7, T, "alice", "fraud", 3, EventKind.ROLLBACK,
                EVENT.payload()))).isNotEqualTo(hash);
        assertThat(AuditChain.hash(AuditChain.GENESIS, new Event(7, T, "alice", "fraud", 3, EVENT.kind(),
                Map.of("from", "Staging", "to", "Archived")))).isNotEqualTo(hash);
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        Event a = new Event(1, T, "ab", "c", null, EventKind.MODEL_CREATED, Map.of());
        Event b = new Event(1, T, "a", "bc", null, EventKind.MODEL_CREATED, Map.of());
        Event nullModel = new Event(1, T, "a", null, null, EventKind.MODEL_CREATED, Map.of());
        Event dashModel = new Event(1, T, "a", "-", null, EventKind.MODEL_CREATED, Map.of());
        assertThat(AuditChain.hash(AuditChain.GENESIS, a)).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, b));
        assertThat(AuditChain.hash(AuditChain.GENESIS, nullModel)).isNotEqualTo(AuditChain.hash(AuditChain.GENESIS, dashModel));
    }

    @Test
    void payloadOrderDoesNotMatterAndSubMillisecondsAreNotPartOfTheRecord() {
        Event ordered = new Event(1, T, "a", "m", null, EventKind.MODEL_TAG_SET,
                new java.util.LinkedHashMap<>(Map.of("key", "k")));
        Event nanos = new Event(1, T.plusNanos(999), "a", "m", null, EventKind.MODEL_TAG_SET, Map.of("key", "k"));
        assertThat(AuditChain.hash(AuditChain.GENESIS, ordered)).isEqualTo(AuditChain.hash(AuditChain.GENESIS, nanos));
    }
}
