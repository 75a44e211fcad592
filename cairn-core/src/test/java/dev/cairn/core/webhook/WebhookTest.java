package dev.cairn.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTest {
    private static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");

    @Test
    void aWebhookWantsItsModelsEventsOfItsTopics() {
        Webhook fraudStages = webhook("fraud", EventKind.STAGE_TRANSITION);
        assertThat(fraudStages.wants(event("fraud", EventKind.STAGE_TRANSITION, Map.of()))).isTrue();
        assertThat(fraudStages.wants(event("churn", EventKind.STAGE_TRANSITION, Map.of()))).isFalse();
        assertThat(fraudStages.wants(event("fraud", EventKind.ALIAS_SET, Map.of()))).isFalse();
        assertThat(webhook(null).wants(event(null, EventKind.USER_CREATED, Map.of()))).as("everything").isTrue();
    }

    @Test
    void aRollbackGoesToWhoeverFollowsTheStageOrAliasItMoved() {
        Event stageRollback = event("fraud", EventKind.ROLLBACK, Map.of("pointer", "Production", "from", "2", "to", "1"));
        Event aliasRollback = event("fraud", EventKind.ROLLBACK, Map.of("pointer", "@champion", "from", "2", "to", "1"));
        assertThat(webhook("fraud", EventKind.STAGE_TRANSITION).wants(stageRollback)).isTrue();
        assertThat(webhook("fraud", EventKind.STAGE_TRANSITION).wants(aliasRollback)).isFalse();
        assertThat(webhook("fraud", EventKind.ALIAS_SET).wants(aliasRollback)).isTrue();
        assertThat(webhook("fraud", EventKind.ALIAS_SET).wants(stageRollback)).isFalse();
        assertThat(webhook("fraud", EventKind.ROLLBACK).wants(aliasRollback)).isTrue();
        assertThat(webhook("fraud", EventKind.VERSION_COMMITTED).wants(stageRollback)).isFalse();
        assertThat(webhook("churn", EventKind.STAGE_TRANSITION).wants(stageRollback)).isFalse();
    }

    private static Webhook webhook(String model, EventKind... topics) {
        return new Webhook(1, "https://hooks.example.com/cairn", model, List.of(topics), "s".repeat(16), "", "ada", NOW, 0);
    }

    private static Event event(String model, EventKind kind, Map<String, String> payload) {
        return new Event(7, NOW, "ada", model, 1, kind, payload);
    }
}
