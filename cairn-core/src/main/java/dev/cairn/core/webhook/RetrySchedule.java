package dev.cairn.core.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * When a failed delivery is tried again: after the n-th failed attempt, {@code initial × 2^(n-1)}, at most
 * {@code max}, give or take 20 % so receivers that come back are not hit by every delivery at once; once
 * {@code retryFor} has passed since the delivery was made, it is given up as failed.
 */
public record RetrySchedule(Duration initial, Duration max, Duration retryFor) {
    public static final RetrySchedule DEFAULT =
            new RetrySchedule(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(24));

    public RetrySchedule {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(retryFor, "retryFor");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("the first webhook retry delay must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the longest webhook retry delay (" + max
                    + ") must not be shorter than the first (" + initial + ")");
        }
        if (retryFor.isNegative()) {
            throw new IllegalArgumentException("webhook retries must last zero or more, got " + retryFor);
        }
    }

    /**
     * The pause after {@code failures} failed attempts (1 or more); {@code jitter} in [0, 1) picks where in the ±20 %
     * band it falls.
     */
    public Duration delayAfter(int failures, double jitter) {
        long capped = max.toMillis();
        long delay = Math.min(initial.toMillis(), capped);
        for (int n = 1; n < failures && delay < capped; n++) {
            delay = delay > capped / 2 ? capped : delay * 2;
        }
        double factor = 0.8 + 0.4 * jitter;
        return Duration.ofMillis(Math.max(1, Math.round(delay * factor)));
    }
}
