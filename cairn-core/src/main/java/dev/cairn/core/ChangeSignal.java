package dev.cairn.core;

/**
 * Wakes long polls when this process changes the registry. Changes made by other replicas are found by the poll
 * interval instead, so a waiter notices any change within {@link #POLL_NANOS}.
 */
final class ChangeSignal {
    static final long POLL_NANOS = 200_000_000L;

    private long counter;

    synchronized long current() {
        return counter;
    }

    synchronized void signal() {
        counter++;
        notifyAll();
    }

    /** Waits until a change after {@code seen} or until {@code nanos} pass. */
    synchronized void awaitAfter(long seen, long nanos) {
        long deadline = System.nanoTime() + nanos;
        try {
            while (counter == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
