package dev.cairn.core.webhook;

import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.Action;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.Page;
import dev.cairn.core.model.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStore.Tx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Webhooks: subscriptions, and the outbox their deliveries go through. Deliveries are made from the event table after
 * the events commit (fan-out), so a webhook misses no event and slows no write; they are leased one at a time per
 * webhook for sending, and every attempt is recorded. Sending itself (HTTP) is the server's. Every call here needs the
 * registry-wide admin role: webhook URLs and secrets are sensitive, and webhooks make the server reach out.
 */
public final class WebhookService {
    /** The topic of a test delivery, which carries no event. */
    public static final String PING = "ping";
    /** How long a sender holds a delivery: longer than one attempt can take, short enough to recover from a crash. */
    public static final Duration LEASE = Duration.ofSeconds(60);
    static final int MIN_SECRET = 16;
    static final int MAX_SECRET = 256;
    static final int MAX_DESCRIPTION = 1_000;
    static final int MAX_URL = 2_000;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1_000;
    private static final String TOKEN_KIND = "deliveries:";

    private final MetadataStore store;
    private final Clock clock;
    private final RetrySchedule retry;
    private final ReceiverAddresses addresses;
    private final SecretSeal seal;
    private final SecureRandom random = new SecureRandom();
    /** The newest event this process knows to be fanned out (or to concern no webhook): what lets it skip a write. */
    private volatile long fannedOut = -1;

    /** A new webhook and its secret, shown this once. */
    public record Created(Webhook webhook, String secret) {
        @Override
        public String toString() {
            return "Created[webhook=" + webhook + ", secret=***]";
        }
    }

    /** What {@link #sealStoredSecrets()} did: secrets it sealed now, and sealed ones this server cannot open. */
    public record SecretsReport(int sealedNow, int unopenable) {}

    public WebhookService(MetadataStore store, Clock clock, RetrySchedule retry, ReceiverAddresses addresses,
                          SecretSeal seal) {
        this.store = store;
        this.clock = clock;
        this.retry = retry;
        this.addresses = addresses;
        this.seal = seal;
    }

    /** Where webhooks may post; the dispatcher checks each delivery's address again, as DNS answers change. */
    public ReceiverAddresses addresses() {
        return addresses;
    }

    // --- subscriptions ------------------------------------------------------------------------------------------

    /**
     * Subscribes {@code spec.url} to the events committed from now on. INVALID_ARGUMENT for a bad or refused URL, an
     * unknown topic or a short secret; NOT_FOUND for an unknown model.
     */
    public Created create(Actor actor, NewWebhook spec) {
        administer(actor);
        URI url = ReceiverAddresses.parse(spec.url());
        if (url.toString().length() > MAX_URL) {
            throw RegistryException.invalid("url must be at most " + MAX_URL + " characters");
        }
        List<EventKind> topics = spec.topics().stream().map(EventKind::fromTopic).distinct().toList();
        String secret = spec.secret() == null ? generateSecret() : checkSecret(spec.secret());
        String description = spec.description() == null ? "" : spec.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            throw RegistryException.invalid("description must be at most " + MAX_DESCRIPTION + " characters");
        }
        String model = spec.model() == null || spec.model().isBlank() ? null : spec.model().strip();
        // Resolved before the transaction: no network wait while the database is held.
        addresses.check(url);
        Instant now = now();
        Webhook stored = store.write(tx -> {
            Long modelId = null;
            if (model != null) {
                RegisteredModel found = tx.findModel(model).orElseThrow(() ->
                        RegistryException.notFound("model '" + model + "' does not exist"));
                modelId = found.id();
            }
            long after = tx.holdEventOrder();
            long id = tx.insertWebhook(modelId, new Webhook(0, url.toString(), model, topics, seal.seal(secret),
                    description, actor.name(), now, after));
            // The webhook starts after its own creation, which it need not be told about.
            tx.setWebhookStart(id, audit(tx, actor, EventKind.WEBHOOK_CREATED, tx.findWebhook(id).orElseThrow(), now));
            return tx.findWebhook(id).orElseThrow();
        });
        return new Created(stored, secret);
    }

    public List<Webhook> list(Actor actor) {
        administer(actor);
        return store.read(Tx::listWebhooks);
    }

    public Webhook get(Actor actor, long id) {
        administer(actor);
        return store.read(tx -> webhook(tx, id));
    }

    /** Deletes the webhook and its delivery log; deliveries not yet made are dropped. Returns what was deleted. */
    public Webhook delete(Actor actor, long id) {
        administer(actor);
        return store.write(tx -> {
            Webhook found = webhook(tx, id);
            tx.deleteWebhook(id);
            audit(tx, actor, EventKind.WEBHOOK_DELETED, found, now());
            return found;
        });
    }

    // --- the delivery log ---------------------------------------------------------------------------------------

    /** A webhook's deliveries, newest first, each with its attempts. */
    public Page<Delivery> deliveries(Actor actor, long webhookId, DeliveryStatus status, Integer limit, String pageToken) {
        administer(actor);
        int size = limit(limit);
        String before = decode(pageToken);
        List<Delivery> rows = store.read(tx -> {
            webhook(tx, webhookId);
            return tx.listDeliveries(webhookId, status, before, size + 1);
        });
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<Delivery> items = rows.subList(0, size);
        return new Page<>(items, encode(items.get(size - 1).id()));
    }

    public Delivery delivery(Actor actor, long webhookId, String deliveryId) {
        administer(actor);
        return store.read(tx -> delivery(tx, webhookId, deliveryId));
    }

    /** Sends a delivery's event (or ping) again as a new delivery with a new id, due now. */
    public Delivery replay(Actor actor, long webhookId, String deliveryId) {
        administer(actor);
        Instant now = now();
        return store.write(tx -> {
            Delivery original = delivery(tx, webhookId, deliveryId);
            Delivery copy = pending(webhookId, original.eventSeq(), original.topic(), now);
            tx.insertDelivery(copy);
            return tx.findDelivery(webhookId, copy.id()).orElseThrow();
        });
    }

    /** Makes a ping delivery, leased to the caller, who sends it at once and records the outcome. */
    public Dispatch ping(Actor actor, long webhookId) {
        administer(actor);
        Instant now = now();
        return store.write(tx -> {
            Webhook webhook = webhook(tx, webhookId);
            Delivery ping = pending(webhookId, null, PING, now);
            tx.insertDelivery(ping);
            tx.leaseDelivery(ping.id(), now, now.plus(LEASE));
            return new Dispatch(webhook, ping, null);
        });
    }

    // --- the dispatcher's side ----------------------------------------------------------------------------------

    /**
     * The secret that signs the webhook's deliveries, opened from its stored form. FAILED_PRECONDITION, naming the key
     * it needs, when it is sealed with a key this server does not have.
     */
    public String signingSecret(Webhook webhook) {
        try {
            return seal.open(webhook.secret());
        } catch (RegistryException e) {
            throw RegistryException.precondition("cannot sign: " + e.getMessage());
        }
    }

    /**
     * Run at start-up: with a key, seals the secrets stored in plain text (webhooks made before the key was set), so
     * setting a key protects every secret; and counts the sealed secrets this server cannot open, for a warning.
     */
    public SecretsReport sealStoredSecrets() {
        List<Webhook> all = store.read(Tx::listWebhooks);
        int unopenable = (int) all.stream()
                .filter(w -> SecretSeal.isSealed(w.secret()) && !seal.sealedWithThisKey(w.secret())).count();
        List<Webhook> plain = seal.hasKey()
                ? all.stream().filter(w -> !SecretSeal.isSealed(w.secret())).toList() : List.of();
        if (!plain.isEmpty()) {
            // Secrets never change once made, so sealing what was read is safe; replicas starting together may both
            // seal one, each validly.
            store.write(tx -> {
                plain.forEach(w -> tx.setWebhookSecret(w.id(), seal.seal(w.secret())));
                return null;
            });
        }
        return new SecretsReport(plain.size(), unopenable);
    }

    /**
     * Turns up to {@code maxEvents} events committed since the last fan-out into pending deliveries, one per webhook
     * that wants each, and moves the cursor past them, in one transaction. Returns how many events it read: fewer than
     * {@code maxEvents} means it has caught up.
     */
    public int fanOut(int maxEvents) {
        // A read first: the dispatcher calls this after every write and every second, and most of the time there is
        // nothing new, or no webhook at all. A webhook made later starts after the newest event of its time, so
        // events committed while none exists concern none, and the registry's writers never wait for this.
        long[] probe = store.read(tx -> new long[] {tx.lastEventSeq(), tx.listWebhooks().isEmpty() ? 0 : 1});
        long head = probe[0];
        if (head <= fannedOut) {
            return 0;
        }
        if (probe[1] == 0) {
            fannedOut = head;
            return 0;
        }
        Instant now = now();
        // {events read, newest event done}; the hint is kept only once the transaction committed.
        long[] done = store.write(tx -> {
            long cursor = tx.lockWebhookCursor();
            List<Webhook> webhooks = tx.listWebhooks();
            if (webhooks.isEmpty()) {
                // A webhook made later starts after the newest event of its time, so these concern none.
                return new long[] {0, head};
            }
            // A webhook receives only events after its creation: no need to read the ones before the oldest webhook.
            long from = Math.max(cursor, webhooks.stream().mapToLong(Webhook::afterSeq).min().orElseThrow());
            List<Event> events = tx.events(EventFilter.ALL, from, maxEvents);
            for (Event event : events) {
                for (Webhook webhook : webhooks) {
                    if (webhook.afterSeq() < event.seq() && webhook.wants(event)) {
                        tx.insertDelivery(pending(webhook.id(), event.seq(), event.kind().topic(), now));
                    }
                }
            }
            long last = events.isEmpty() ? from : events.get(events.size() - 1).seq();
            if (last != cursor) {
                tx.setWebhookCursor(last);
            }
            return new long[] {events.size(), last};
        });
        fannedOut = done[1];
        return (int) done[0];
    }

    /** Leases up to {@code limit} due deliveries (at most one per webhook) for sending. */
    public List<Dispatch> claimDue(int limit) {
        return claim(null, limit);
    }

    /** Leases the webhook's next delivery when it is due now: empty or one. */
    public List<Dispatch> claimNext(long webhookId) {
        return claim(webhookId, 1);
    }

    private List<Dispatch> claim(Long webhookId, int limit) {
        Instant now = now();
        List<Delivery> due = store.read(tx -> tx.dueDeliveries(webhookId, now, limit));
        if (due.isEmpty()) {
            return List.of();
        }
        return store.write(tx -> {
            List<Dispatch> claimed = new ArrayList<>();
            for (Delivery delivery : due) {
                if (!tx.leaseDelivery(delivery.id(), now, now.plus(LEASE))) {
                    continue; // another dispatcher took it
                }
                Optional<Webhook> webhook = tx.findWebhook(delivery.webhookId());
                if (webhook.isEmpty()) {
                    continue;
                }
                claimed.add(new Dispatch(webhook.get(), delivery, event(tx, delivery.eventSeq())));
            }
            return claimed;
        });
    }

    /**
     * Records one attempt of a leased delivery: delivered on 2xx; otherwise due again after the retry schedule's
     * pause, or failed once its retry time is over. Returns the delivery as it now stands, or empty when its webhook
     * was deleted meanwhile.
     */
    public Optional<Delivery> record(Dispatch dispatch, Integer statusCode, String error, long durationMillis) {
        Instant now = now();
        return store.write(tx -> {
            Optional<Delivery> current = tx.findDelivery(dispatch.webhook().id(), dispatch.delivery().id());
            if (current.isEmpty()) {
                return Optional.<Delivery>empty();
            }
            Delivery delivery = current.get();
            int number = delivery.attempts() + 1;
            DeliveryAttempt attempt = new DeliveryAttempt(number, now, statusCode, error, durationMillis);
            DeliveryStatus status;
            Instant next = null;
            if (attempt.succeeded()) {
                status = DeliveryStatus.DELIVERED;
            } else if (!now.isBefore(delivery.createdAt().plus(retry.retryFor()))) {
                status = DeliveryStatus.FAILED;
            } else {
                status = DeliveryStatus.PENDING;
                next = now.plus(retry.delayAfter(number, ThreadLocalRandom.current().nextDouble()));
            }
            tx.recordAttempt(delivery.id(), attempt, status, next);
            return tx.findDelivery(dispatch.webhook().id(), delivery.id());
        });
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static void administer(Actor actor) {
        Action.ADMINISTER.check(actor, actor.role(), "the registry");
    }

    private static Webhook webhook(Tx tx, long id) {
        return tx.findWebhook(id).orElseThrow(() -> RegistryException.notFound("no webhook has id " + id));
    }

    private static Delivery delivery(Tx tx, long webhookId, String deliveryId) {
        webhook(tx, webhookId);
        return tx.findDelivery(webhookId, deliveryId).orElseThrow(() ->
                RegistryException.notFound("webhook " + webhookId + " has no delivery '" + deliveryId + "'"));
    }

    private static Event event(Tx tx, Long seq) {
        if (seq == null) {
            return null;
        }
        List<Event> found = tx.events(EventFilter.ALL, seq - 1, 1);
        if (found.isEmpty() || found.get(0).seq() != seq) {
            throw new IllegalStateException("event " + seq + " of a delivery is not in the event log");
        }
        return found.get(0);
    }

    private static Delivery pending(long webhookId, Long eventSeq, String topic, Instant now) {
        return new Delivery(UUID.randomUUID().toString(), webhookId, eventSeq, topic, DeliveryStatus.PENDING, 0, now, now,
                null, null, null, List.of());
    }

    private String generateSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String checkSecret(String secret) {
        if (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            throw RegistryException.invalid("secret must be " + MIN_SECRET + " to " + MAX_SECRET
                    + " characters (leave it out to have one generated), got " + secret.length());
        }
        if (secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw RegistryException.invalid("secret must not contain control characters");
        }
        if (secret.startsWith(SecretSeal.MARK)) {
            throw RegistryException.invalid("secret must not start with '" + SecretSeal.MARK + "', which marks the "
                    + "sealed secrets the registry stores");
        }
        return secret;
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RegistryException.invalid("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    private static String encode(String deliveryId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((TOKEN_KIND + deliveryId).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(TOKEN_KIND) && text.length() > TOKEN_KIND.length()) {
                return text.substring(TOKEN_KIND.length());
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw RegistryException.invalid("page_token '" + token + "' is not a token of this list");
    }

    /** Records a change to the webhooks in the audit log, in the transaction that makes it; returns its number. */
    private static long audit(Tx tx, Actor actor, EventKind kind, Webhook webhook, Instant now) {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("webhook", Long.toString(webhook.id()));
        payload.put("host", URI.create(webhook.url()).getHost());
        if (kind == EventKind.WEBHOOK_CREATED) {
            payload.put("topics", webhook.topics().isEmpty() ? "*"
                    : webhook.topics().stream().map(EventKind::topic).collect(Collectors.joining(",")));
        }
        return tx.appendEvent(new Event(0, now, actor.name(), webhook.model(), null, kind, payload));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
