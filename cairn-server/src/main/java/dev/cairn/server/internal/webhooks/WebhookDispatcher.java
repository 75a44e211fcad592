package dev.cairn.server.internal.webhooks;

import dev.cairn.core.RegistryService;
import dev.cairn.core.webhook.Delivery;
import dev.cairn.core.webhook.DeliveryStatus;
import dev.cairn.core.webhook.Dispatch;
import dev.cairn.core.webhook.WebhookService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background half of webhooks: one thread turns committed events into deliveries (fan-out) and hands the due
 * deliveries to a bounded pool of senders. Each webhook has at most one delivery in flight, so a slow or dead receiver
 * holds one sender at most, and no registry write ever waits for a receiver. The thread wakes when this process commits
 * a change and looks every second for changes of other replicas and for retries that fell due. Everything it works
 * from is in the database, so a restarted or second server carries on where this one stopped.
 */
public final class WebhookDispatcher implements AutoCloseable {
    static final int SENDERS = 8;
    static final int FAN_OUT_PAGE = 500;
    static final Duration POLL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookService webhooks;
    private final WebhookSender sender;
    private final RegistryService registry;
    private final Semaphore idleSenders = new Semaphore(SENDERS);
    private final ExecutorService senders;
    private final Thread loop;
    private volatile boolean running = true;

    public WebhookDispatcher(WebhookService webhooks, WebhookSender sender, RegistryService registry) {
        this.webhooks = webhooks;
        this.sender = sender;
        this.registry = registry;
        AtomicInteger numbers = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(SENDERS, r -> {
            Thread t = new Thread(r, "cairn-webhook-sender-" + numbers.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.loop = new Thread(this::run, "cairn-webhooks");
        this.loop.setDaemon(true);
    }

    public void start() {
        loop.start();
    }

    private void run() {
        while (running) {
            long seen = registry.changeCount();
            try {
                while (running && webhooks.fanOut(FAN_OUT_PAGE) == FAN_OUT_PAGE) {
                    // caught up only when a page comes back short
                }
                sendDue();
            } catch (RuntimeException e) {
                // The database may be briefly unavailable; nothing is lost, the next round starts from the database.
                LOG.warn("webhook dispatch failed, retrying: {}", e.getMessage());
            }
            if (running) {
                registry.awaitChange(seen, POLL);
            }
        }
    }

    private void sendDue() {
        int free = idleSenders.availablePermits();
        if (free == 0) {
            return;
        }
        for (Dispatch dispatch : webhooks.claimDue(free)) {
            if (!idleSenders.tryAcquire()) {
                break; // cannot happen: only this thread takes permits
            }
            senders.execute(() -> send(dispatch));
        }
    }

    /**
     * Sends one delivery, then, while this webhook's next delivery is due at once (a backlog after an outage), the
     * next ones, keeping its order and its single place in the pool.
     */
    private void send(Dispatch dispatch) {
        try {
            Dispatch current = dispatch;
            while (current != null && running) {
                Optional<Delivery> outcome = sender.attempt(current);
                current = outcome.isPresent() && outcome.get().status() == DeliveryStatus.DELIVERED
                        ? next(current.webhook().id()) : null;
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook {} delivery failed to record, its lease will expire: {}", dispatch.webhook().id(),
                    e.getMessage());
        } finally {
            idleSenders.release();
        }
    }

    private Dispatch next(long webhookId) {
        List<Dispatch> claimed = webhooks.claimNext(webhookId);
        return claimed.isEmpty() ? null : claimed.get(0);
    }

    /** Stops taking deliveries and waits briefly for the attempts in flight; the unfinished are retried later. */
    @Override
    public void close() {
        running = false;
        senders.shutdown();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(POLL.toSeconds() + 5));
            if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
                senders.shutdownNow();
                senders.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
