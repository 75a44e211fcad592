package dev.cairn.core.webhook;

import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventKind;
import java.time.Instant;
import java.util.List;

/**
 * A subscription: events of one model ({@code model}, or of every model and the registry itself when null) and of
 * some kinds ({@code topics}, every kind when empty) are posted to {@code url}, signed with its secret. It receives the
 * events committed after {@code afterSeq}, the newest event when it was created.
 *
 * <p>The secret is needed to sign deliveries, so it is stored: {@code secret} is its stored form, sealed when the
 * operator set a key ({@link SecretSeal}; {@link WebhookService#signingSecret} opens it). It is never shown after
 * creation and {@link #toString()} leaves it out.
 */
public record Webhook(long id, String url, String model, List<EventKind> topics, String secret, String description,
                      String createdBy, Instant createdAt, long afterSeq) {
    public Webhook {
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    /**
     * Whether this webhook wants the event: of its model (or any), and of its topics. A rollback moves a stage or an
     * alias, so it also goes to the webhooks that want {@code stage.transitioned} (a stage's) or {@code alias.set} (an
     * alias's): whoever follows what serves hears of it.
     */
    public boolean wants(Event event) {
        return (model == null || model.equals(event.model())) && (topics.isEmpty() || topics.contains(event.kind())
                || event.kind() == EventKind.ROLLBACK && topics.contains(rolledBack(event)));
    }

    /** What a rollback moved: a stage ({@code Production}) or an alias ({@code @champion}). */
    private static EventKind rolledBack(Event rollback) {
        String pointer = rollback.payload().getOrDefault("pointer", "");
        return pointer.startsWith("@") ? EventKind.ALIAS_SET : EventKind.STAGE_TRANSITION;
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", url=" + url + ", model=" + model + ", topics=" + topics + ", secret=***"
                + ", description=" + description + ", createdBy=" + createdBy + ", createdAt=" + createdAt
                + ", afterSeq=" + afterSeq + "]";
    }
}
