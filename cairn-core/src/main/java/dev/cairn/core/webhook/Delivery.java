package dev.cairn.core.webhook;

import java.time.Instant;
import java.util.List;

/**
 * One event ({@code eventSeq}), or a test ping ({@code eventSeq} null), sent to one webhook under {@code topic}. The
 * {@code id} is what the receiver sees in {@code Cairn-Webhook-Id}, the same on every retry. {@code attemptLog} is
 * oldest first; it is empty where a store read the delivery without it.
 */
public record Delivery(String id, long webhookId, Long eventSeq, String topic, DeliveryStatus status, int attempts,
                       Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, Integer lastStatusCode,
                       String lastError, List<DeliveryAttempt> attemptLog) {
    public Delivery {
        attemptLog = attemptLog == null ? List.of() : List.copyOf(attemptLog);
    }

    public Delivery withAttemptLog(List<DeliveryAttempt> log) {
        return new Delivery(id, webhookId, eventSeq, topic, status, attempts, createdAt, nextAttemptAt, deliveredAt,
                lastStatusCode, lastError, log);
    }
}
