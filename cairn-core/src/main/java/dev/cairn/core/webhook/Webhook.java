package dev.cairn.core.webhook;

import dev.cairn.core.model.EventKind;
import java.time.Instant;
import java.util.List;

/**
 * A subscription: events of one model ({@code model}, or of every model and the registry itself when null) and of
 * some kinds ({@code topics}, every kind when empty) are posted to {@code url}, signed with {@code secret}. It receives
 * the events committed after {@code afterSeq}, the newest event when it was created.
 *
 * <p>The secret is needed to sign deliveries, so it is stored, but it is never shown after creation and
 * {@link #toString()} leaves it out.
 */
public record Webhook(long id, String url, String model, List<EventKind> topics, String secret, String description,
                      String createdBy, Instant createdAt, long afterSeq) {
    public Webhook {
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    /** Whether this webhook wants {@code kind} of events of {@code eventModel} (null: not a model's event). */
    public boolean wants(EventKind kind, String eventModel) {
        return (topics.isEmpty() || topics.contains(kind)) && (model == null || model.equals(eventModel));
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", url=" + url + ", model=" + model + ", topics=" + topics + ", secret=***"
                + ", description=" + description + ", createdBy=" + createdBy + ", createdAt=" + createdAt
                + ", afterSeq=" + afterSeq + "]";
    }
}
