package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.Role;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.Page;
import dev.cairn.core.store.MetadataStore.Tx;
import dev.cairn.core.webhook.Delivery;
import dev.cairn.core.webhook.DeliveryStatus;
import dev.cairn.core.webhook.Dispatch;
import dev.cairn.core.webhook.NewWebhook;
import dev.cairn.core.webhook.ReceiverAddresses;
import dev.cairn.core.webhook.RetrySchedule;
import dev.cairn.core.webhook.SecretSeal;
import dev.cairn.core.webhook.Webhook;
import dev.cairn.core.webhook.WebhookService;
import dev.cairn.storage.GovernanceServiceContract.MovableClock;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook outbox over the real stores ({@link SqliteWebhookServiceTest}, {@link PostgresWebhookServiceTest}):
 * subscriptions, fan-out from the event table, one delivery in flight per webhook and in order, leases, retries on
 * the schedule until they run out, the delivery log, replay and deletion. No HTTP: attempts are recorded as a sender
 * would record them.
 */
abstract class WebhookServiceContract {
    static final Actor ADMIN = Actor.local("ada");
    static final String URL = "http://127.0.0.1:9/hook";
    static final RetrySchedule RETRY = new RetrySchedule(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1));
    /** Every service here seals secrets, as a server with CAIRN_WEBHOOKS_SECRET_KEY does. */
    static final SecretSeal SEAL = SecretSeal.withKey(new byte[SecretSeal.KEY_BYTES]);

    @TempDir
    Path dir;

    JdbcMetadataStore store;
    RegistryService registry;
    WebhookService webhooks;
    final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T09:00:00Z"));

    /** The JDBC URL of a fresh, empty database; {@code dir} is this test's temporary directory. */
    abstract String newDatabase(Path dir);

    WebhookService service(SecretSeal seal) {
        return new WebhookService(store, clock, RETRY, new ReceiverAddresses(true), seal);
    }

    @BeforeEach
    void start() {
        store = JdbcMetadataStore.open(newDatabase(dir));
        registry = new RegistryService(store, new FileBlobStore(dir.resolve("blobs")), clock);
        webhooks = service(SEAL);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aWebhookGetsTheEventsAfterItWasMadeOfItsModelAndTopicsInOrder() {
        registry.createModel(ADMIN, "fraud", "", Map.of());
        registry.createModel(ADMIN, "churn", "", Map.of());
        registry.setModelTag(ADMIN, "fraud", "before", "1"); // before the webhook: never delivered
        WebhookService.Created created = webhooks.create(ADMIN, new NewWebhook(URL, "fraud",
                List.of("model.tag_set", "MODEL_UPDATED"), null, "tags"));
        Webhook hook = created.webhook();
        assertThat(hook.topics()).containsExactly(EventKind.MODEL_TAG_SET, EventKind.MODEL_UPDATED);
        assertThat(created.secret()).as("generated").startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(webhooks.signingSecret(hook)).isEqualTo(created.secret());
        assertThat(hook.toString()).doesNotContain(hook.secret()).doesNotContain(created.secret());
        assertThat(created.toString()).doesNotContain(created.secret());

        registry.setModelTag(ADMIN, "fraud", "a", "1");
        registry.setModelTag(ADMIN, "churn", "a", "1"); // another model
        registry.updateModel(ADMIN, "fraud", "described");
        registry.createModel(ADMIN, "other", "", Map.of()); // another topic
        registry.setModelTag(ADMIN, "fraud", "b", "2");
        assertThat(webhooks.fanOut(500)).isPositive();
        assertThat(webhooks.fanOut(500)).isZero();

        List<Delivery> log = all(hook.id());
        assertThat(log).extracting(Delivery::topic).containsExactly("model.tag_set", "model.updated", "model.tag_set")
                .as("newest first in the log").isNotEmpty();
        assertThat(log).allMatch(d -> d.status() == DeliveryStatus.PENDING && d.attempts() == 0);

        // One at a time per webhook, oldest first: the next is due only once the one before is delivered.
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Dispatch> due = webhooks.claimDue(10);
            assertThat(due).hasSize(1);
            assertThat(webhooks.claimDue(10)).as("leased: not handed out twice").isEmpty();
            Dispatch d = due.get(0);
            assertThat(d.event().kind().topic()).isEqualTo(d.delivery().topic());
            sent.add(d.event().seq() + "");
            Delivery done = webhooks.record(d, 204, null, 3).orElseThrow();
            assertThat(done.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(done.deliveredAt()).isNotNull();
        }
        assertThat(sent).isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        assertThat(webhooks.claimDue(10)).isEmpty();
    }

    @Test
    void failedAttemptsAreRetriedOnTheScheduleUntilTheyRunOut() {
        registry.createModel(ADMIN, "fraud", "", Map.of());
        Webhook hook = webhooks.create(ADMIN, new NewWebhook(URL, null, List.of(), "0123456789abcdef", null)).webhook();
        registry.setModelTag(ADMIN, "fraud", "a", "1");
        registry.setModelTag(ADMIN, "fraud", "b", "2");
        webhooks.fanOut(500);

        Dispatch first = webhooks.claimDue(10).get(0);
        Delivery failed = webhooks.record(first, 503, "the receiver answered HTTP 503", 12).orElseThrow();
        assertThat(failed.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastStatusCode()).isEqualTo(503);
        Duration wait = Duration.between(clock.instant(), failed.nextAttemptAt());
        assertThat(wait).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        // The second delivery waits behind the first, so the receiver sees them in order.
        assertThat(webhooks.claimDue(10)).isEmpty();

        clock.advance(Duration.ofSeconds(2));
        Dispatch again = webhooks.claimDue(10).get(0);
        assertThat(again.delivery().id()).isEqualTo(first.delivery().id());
        Delivery twice = webhooks.record(again, null, "cannot connect", 5).orElseThrow();
        assertThat(Duration.between(clock.instant(), twice.nextAttemptAt()))
                .isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
        assertThat(twice.attemptLog()).extracting(a -> a.statusCode() == null ? "none" : a.statusCode().toString())
                .containsExactly("503", "none");

        clock.advance(Duration.ofMinutes(2)); // past retry_for
        Delivery gaveUp = webhooks.record(webhooks.claimDue(10).get(0), 500, "HTTP 500", 1).orElseThrow();
        assertThat(gaveUp.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(gaveUp.nextAttemptAt()).isNull();
        // A failed delivery no longer holds the queue.
        Dispatch second = webhooks.claimDue(10).get(0);
        assertThat(second.delivery().id()).isNotEqualTo(first.delivery().id());
        assertThat(page(hook.id(), DeliveryStatus.FAILED)).extracting(Delivery::id).containsExactly(first.delivery().id());
    }

    @Test
    void anExpiredLeaseIsTakenOverAndReplayMakesANewDelivery() {
        registry.createModel(ADMIN, "fraud", "", Map.of());
        Webhook hook = webhooks.create(ADMIN, new NewWebhook(URL, "fraud", List.of(), null, null)).webhook();
        registry.setModelTag(ADMIN, "fraud", "a", "1");
        webhooks.fanOut(500);
        Dispatch crashed = webhooks.claimDue(10).get(0); // a sender that never records
        clock.advance(WebhookService.LEASE.plusSeconds(1));
        Dispatch retaken = webhooks.claimDue(10).get(0);
        assertThat(retaken.delivery().id()).isEqualTo(crashed.delivery().id());
        Delivery delivered = webhooks.record(retaken, 200, null, 1).orElseThrow();

        Delivery replay = webhooks.replay(ADMIN, hook.id(), delivered.id());
        assertThat(replay.id()).isNotEqualTo(delivered.id());
        assertThat(replay.eventSeq()).isEqualTo(delivered.eventSeq());
        assertThat(replay.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(webhooks.claimDue(10)).extracting(d -> d.delivery().id()).containsExactly(replay.id());
        assertThat(all(hook.id()).get(0).id()).as("newest first").isEqualTo(replay.id());
    }

    @Test
    void pagesOfTheLogAndDeletion() {
        registry.createModel(ADMIN, "fraud", "", Map.of());
        Webhook hook = webhooks.create(ADMIN, new NewWebhook(URL, "fraud", List.of(), null, null)).webhook();
        for (int i = 0; i < 5; i++) {
            registry.setModelTag(ADMIN, "fraud", "k" + i, "v");
        }
        webhooks.fanOut(2);
        webhooks.fanOut(2);
        webhooks.fanOut(2);
        Page<Delivery> first = webhooks.deliveries(ADMIN, hook.id(), null, 2, null);
        Page<Delivery> second = webhooks.deliveries(ADMIN, hook.id(), null, 2, first.nextPageToken());
        Page<Delivery> third = webhooks.deliveries(ADMIN, hook.id(), null, 2, second.nextPageToken());
        List<Long> seqs = new ArrayList<>();
        for (Page<Delivery> p : List.of(first, second, third)) {
            p.items().forEach(d -> seqs.add(d.eventSeq()));
        }
        assertThat(seqs).hasSize(5).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(third.nextPageToken()).isNull();

        webhooks.record(webhooks.claimDue(1).get(0), 500, "HTTP 500", 1);
        assertThat(webhooks.delete(ADMIN, hook.id()).id()).isEqualTo(hook.id());
        assertThat(webhooks.list(ADMIN)).isEmpty();
        assertThat(webhooks.claimDue(10)).isEmpty();
        assertThatThrownBy(() -> webhooks.deliveries(ADMIN, hook.id(), null, null, null))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void secretsAreStoredSealedAndOpenedOnlyWithTheirKey() {
        String secret = "receiver-secret-0123456789";
        Webhook hook = webhooks.create(ADMIN, new NewWebhook(URL, null, List.of(), secret, null)).webhook();
        String stored = store.read((Tx tx) -> tx.findWebhook(hook.id())).orElseThrow().secret();
        assertThat(stored).startsWith("sealed:v1:" + SEAL.keyId() + ":").doesNotContain(secret);
        assertThat(webhooks.signingSecret(hook)).isEqualTo(secret);

        WebhookService keyless = service(SecretSeal.none());
        assertThatThrownBy(() -> keyless.signingSecret(hook)).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
            assertThat(e.getMessage()).contains(SEAL.keyId()).contains(SecretSeal.KEY_VARIABLE);
        });
        SecretSeal otherKey = SecretSeal.withKey("another key of thirty-two bytes!".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> service(otherKey).signingSecret(hook)).hasMessageContaining(SEAL.keyId())
                .hasMessageContaining(otherKey.keyId());
        assertThat(keyless.sealStoredSecrets()).isEqualTo(new WebhookService.SecretsReport(0, 1));
        assertThat(store.read((Tx tx) -> tx.findWebhook(hook.id())).orElseThrow().secret()).isEqualTo(stored);
    }

    @Test
    void settingAKeySealsTheSecretsStoredInPlainText() {
        String secret = "made-before-the-key-0123";
        Webhook hook = service(SecretSeal.none()).create(ADMIN, new NewWebhook(URL, null, List.of(), secret, null))
                .webhook();
        assertThat(hook.secret()).isEqualTo(secret);

        assertThat(webhooks.sealStoredSecrets()).isEqualTo(new WebhookService.SecretsReport(1, 0));
        Webhook sealed = store.read((Tx tx) -> tx.findWebhook(hook.id())).orElseThrow();
        assertThat(sealed.secret()).startsWith("sealed:v1:").doesNotContain(secret);
        assertThat(webhooks.signingSecret(sealed)).isEqualTo(secret);
        assertThat(webhooks.sealStoredSecrets()).as("nothing left to seal").isEqualTo(new WebhookService.SecretsReport(0, 0));
    }

    @Test
    void badSubscriptionsAreRefusedAndChangeNothing() {
        registry.createModel(ADMIN, "fraud", "", Map.of());
        assertRefused(ErrorCode.INVALID_ARGUMENT, new NewWebhook("ftp://example/hook", null, List.of(), null, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT, new NewWebhook("not a url", null, List.of(), null, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT, new NewWebhook(URL, null, List.of("stage.moved"), null, null));
        assertRefused(ErrorCode.INVALID_ARGUMENT, new NewWebhook(URL, null, List.of(), "short", null));
        assertRefused(ErrorCode.INVALID_ARGUMENT, new NewWebhook(URL, null, List.of(), "sealed:v1:looks-stored", null));
        assertRefused(ErrorCode.NOT_FOUND, new NewWebhook(URL, "nope", List.of(), null, null));
        WebhookService strict = new WebhookService(store, clock, RETRY, new ReceiverAddresses(false), SEAL);
        assertThatThrownBy(() -> strict.create(ADMIN, new NewWebhook(URL, null, List.of(), null, null)))
                .hasMessageContaining("127.0.0.1").hasMessageContaining("--allow-private-webhooks");
        assertThatThrownBy(() -> webhooks.create(Actor.user("vera", Role.EDITOR), new NewWebhook(URL, null, List.of(),
                null, null))).isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
        assertThat(webhooks.list(ADMIN)).isEmpty();
    }

    @Test
    void concurrentDispatchersFanOutEveryEventOnce() throws Exception {
        registry.createModel(ADMIN, "fraud", "", Map.of());
        Webhook hook = webhooks.create(ADMIN, new NewWebhook(URL, null, List.of(), null, null)).webhook();
        WebhookService other = service(SEAL);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> work = new ArrayList<>();
            work.add(pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    registry.setModelTag(ADMIN, "fraud", "k" + i, "v");
                }
            }));
            for (WebhookService dispatcher : List.of(webhooks, other)) {
                work.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 60; i++) {
                        dispatcher.fanOut(7);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        while (webhooks.fanOut(7) > 0) {
            // drain what the racing dispatchers left
        }
        List<Delivery> log = all(hook.id());
        Set<Long> seqs = new HashSet<>();
        log.forEach(d -> seqs.add(d.eventSeq()));
        assertThat(log).hasSize(40);
        assertThat(seqs).hasSize(40);
    }

    @Test
    void concurrentDispatchersLeaseEachDeliveryOnce() throws Exception {
        registry.createModel(ADMIN, "fraud", "", Map.of());
        for (int i = 0; i < 12; i++) {
            webhooks.create(ADMIN, new NewWebhook(URL, "fraud", List.of(), null, null));
        }
        registry.setModelTag(ADMIN, "fraud", "a", "1");
        webhooks.fanOut(500);
        WebhookService other = service(SEAL);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Dispatch>>> claims = new ArrayList<>();
            for (WebhookService dispatcher : List.of(webhooks, other)) {
                claims.add(pool.submit(() -> {
                    List<Dispatch> mine = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        mine.addAll(dispatcher.claimDue(2));
                    }
                    return mine;
                }));
            }
            List<String> leased = new ArrayList<>();
            for (Future<List<Dispatch>> claim : claims) {
                claim.get().forEach(d -> leased.add(d.delivery().id()));
            }
            leased.addAll(webhooks.claimDue(100).stream().map(d -> d.delivery().id()).toList());
            assertThat(leased).hasSize(12).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void creatingAndDeletingAWebhookIsAuditedWithItsHostButNotItsUrl() {
        registry.createModel(ADMIN, "fraud", "", Map.of());
        String url = "http://127.0.0.1:9/hook?token=receiver-secret";
        Webhook hook = webhooks.create(ADMIN, new NewWebhook(url, "fraud", List.of(), null, "")).webhook();
        webhooks.delete(ADMIN, hook.id());

        List<Event> audit = registry.events(EventFilter.of("fraud", List.of(EventKind.WEBHOOK_CREATED,
                EventKind.WEBHOOK_DELETED)), 10, null).items();
        assertThat(audit).extracting(Event::kind).containsExactly(EventKind.WEBHOOK_CREATED, EventKind.WEBHOOK_DELETED);
        assertThat(audit).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo("ada");
            assertThat(e.payload()).containsEntry("webhook", Long.toString(hook.id())).containsEntry("host", "127.0.0.1");
            assertThat(e.payload().values()).noneMatch(v -> v.contains("receiver-secret"));
        });
        assertThat(audit.get(0).payload()).containsEntry("topics", "*");
        assertThat(hook.afterSeq()).as("starts after its own creation").isEqualTo(audit.get(0).seq());
    }

    @Test
    void aWebhookIsNotToldAboutItsOwnCreation() {
        Webhook hook = webhooks.create(ADMIN, new NewWebhook(URL, null, List.of(), null, "")).webhook();
        webhooks.create(ADMIN, new NewWebhook(URL, null, List.of("webhook.created"), null, ""));
        webhooks.fanOut(500);
        assertThat(all(hook.id())).extracting(Delivery::topic).containsExactly("webhook.created");
    }

    private void assertRefused(ErrorCode code, NewWebhook spec) {
        assertThatThrownBy(() -> webhooks.create(ADMIN, spec)).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(code));
        assertThat(webhooks.list(ADMIN)).isEmpty();
    }

    private List<Delivery> all(long webhookId) {
        return page(webhookId, null);
    }

    private List<Delivery> page(long webhookId, DeliveryStatus status) {
        return webhooks.deliveries(ADMIN, webhookId, status, 1000, null).items();
    }
}
