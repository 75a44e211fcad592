package dev.cairn.core.webhook;

import java.time.Instant;

/**
 * One HTTP attempt of a delivery: the receiver's status code, or null when no answer came, and what went wrong, or
 * null when the receiver answered 2xx.
 */
public record DeliveryAttempt(int attempt, Instant time, Integer statusCode, String error, long durationMillis) {
    /** Whether the receiver took the delivery. */
    public boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
