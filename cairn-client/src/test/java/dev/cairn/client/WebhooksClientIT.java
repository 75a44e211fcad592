package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.ApiModels.CreateModel;
import dev.cairn.api.ApiModels.CreateUser;
import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.CreateWebhook;
import dev.cairn.api.ApiModels.Delivery;
import dev.cairn.api.ApiModels.DeliveryList;
import dev.cairn.api.ApiModels.Transition;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ApiModels.Webhook;
import dev.cairn.api.Json;
import dev.cairn.client.Receiver.Received;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhooks part of the SDK against a real server that allows private receivers, and a real receiver. */
class WebhooksClientIT {
    private static final String ADMIN_TOKEN = "sdk-webhooks-admin-token-0123456789";
    private static final String SECRET = "sdk-webhook-secret-0123456789";

    @TempDir
    static Path data;

    @TempDir
    Path work;

    static CairnServer server;
    static CairnClient admin;

    Receiver receiver;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).auth(true).adminToken(ADMIN_TOKEN)
                .allowPrivateWebhooks(true).build());
        admin = CairnClient.builder().baseUrl(server.url()).token(ADMIN_TOKEN).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void receiver() {
        receiver = new Receiver();
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void aSubscribedEventArrivesSignedAndItsDeliveryIsLogged() throws IOException {
        admin.createModel(new CreateModel("hooked", null, null));
        admin.createModel(new CreateModel("unhooked", null, null));
        Webhook w = admin.createWebhook(new CreateWebhook(receiver.url(), "hooked", List.of("stage.transitioned"),
                SECRET, "sdk receiver")).webhook();
        assertThat(w.url()).isEqualTo(receiver.url());
        assertThat(w.model()).isEqualTo("hooked");
        assertThat(w.events()).containsExactly("stage.transitioned");
        assertThat(w.description()).isEqualTo("sdk receiver");
        assertThat(w.createdBy()).isEqualTo("bootstrap-admin");
        assertThat(admin.getWebhook(w.id())).isEqualTo(w);
        assertThat(admin.listWebhooks().webhooks()).contains(w);

        register("unhooked");
        admin.transition("unhooked", 1, new Transition("Staging", null, null));
        register("hooked");
        admin.transition("hooked", 1, new Transition("Staging", "ship", null));

        Received got = receiver.await(1).get(0);
        assertThat(got.topic()).isEqualTo("stage.transitioned");
        assertThat(got.contentType()).startsWith("application/json");
        assertThat(got.signedWith(SECRET)).as("signature %s", got.signature()).isTrue();
        JsonNode body = Json.mapper().readTree(got.body());
        assertThat(body.get("delivery_id").asText()).isEqualTo(got.id());
        assertThat(body.get("topic").asText()).isEqualTo("stage.transitioned");
        assertThat(body.get("event").get("model").asText()).isEqualTo("hooked");
        long seq = body.get("event").get("seq").asLong();
        assertThat(seq).isGreaterThan(w.afterSeq());

        Delivery delivered = awaitDelivery(w.id(), d -> d.id().equals(got.id()) && "delivered".equals(d.status()));
        assertThat(delivered.eventSeq()).isEqualTo(seq);
        assertThat(delivered.topic()).isEqualTo("stage.transitioned");
        assertThat(delivered.attempts()).isEqualTo(1);
        assertThat(delivered.lastStatusCode()).isEqualTo(200);
        assertThat(delivered.deliveredAt()).isNotNull();
        assertThat(delivered.attemptLog()).singleElement().satisfies(a -> {
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(a.error()).isNull();
        });
        assertThat(admin.delivery(w.id(), got.id())).isEqualTo(delivered);
        // Only the subscribed model's transition: its registration and the other model's events never came.
        assertThat(admin.deliveries(w.id(), null, null, null).deliveries()).containsExactly(delivered);
        assertThat(admin.deliveries(w.id(), "delivered", null, null).deliveries()).containsExactly(delivered);
        assertThat(admin.deliveries(w.id(), "pending", null, null).deliveries()).isEmpty();
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void testSendsAPingAndReplaySendsTheSameEventUnderANewDeliveryId() throws IOException {
        admin.createModel(new CreateModel("replayed", null, null));
        var created = admin.createWebhook(new CreateWebhook(receiver.url(), "replayed", List.of("version.registered"),
                null, null));
        String secret = created.secret();
        assertThat(secret).startsWith("whsec_");
        long id = created.webhook().id();

        Delivery ping = admin.testWebhook(id);
        assertThat(ping.status()).isEqualTo("delivered");
        assertThat(ping.topic()).isEqualTo("ping");
        assertThat(ping.eventSeq()).isNull();
        assertThat(ping.lastStatusCode()).isEqualTo(200);
        Received pinged = receiver.await(1).get(0);
        assertThat(pinged.id()).isEqualTo(ping.id());
        assertThat(pinged.topic()).isEqualTo("ping");
        assertThat(pinged.signedWith(secret)).isTrue();
        assertThat(Json.mapper().readTree(pinged.body()).get("event").isNull()).isTrue();

        register("replayed");
        Received first = receiver.await(2).get(1);
        assertThat(first.topic()).isEqualTo("version.registered");
        Delivery original = awaitDelivery(id, d -> d.id().equals(first.id()) && "delivered".equals(d.status()));

        Delivery replayed = admin.replay(id, original.id());
        assertThat(replayed.id()).isNotEqualTo(original.id());
        assertThat(replayed.eventSeq()).isEqualTo(original.eventSeq());
        assertThat(replayed.topic()).isEqualTo("version.registered");
        Received again = receiver.await(3).get(2);
        assertThat(again.id()).isEqualTo(replayed.id());
        assertThat(again.signedWith(secret)).isTrue();
        assertThat(Json.mapper().readTree(again.body()).get("event"))
                .isEqualTo(Json.mapper().readTree(first.body()).get("event"));
        awaitDelivery(id, d -> d.id().equals(replayed.id()) && "delivered".equals(d.status()));

        DeliveryList newest = admin.deliveries(id, null, 1, null);
        assertThat(newest.deliveries()).extracting(Delivery::id).containsExactly(replayed.id());
        assertThat(newest.nextPageToken()).isNotNull();
        DeliveryList older = admin.deliveries(id, null, 2, newest.nextPageToken());
        assertThat(older.deliveries()).extracting(Delivery::id).containsExactly(original.id(), ping.id());
        assertThat(older.nextPageToken()).isNull();
        assertThatThrownBy(() -> admin.deliveries(id, "lost", null, null)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("lost");

        receiver.answer(503);
        Delivery refused = admin.testWebhook(id);
        assertThat(refused.status()).isNotEqualTo("delivered");
        assertThat(refused.lastStatusCode()).isEqualTo(503);
        receiver.close();
        Delivery unreachable = admin.testWebhook(id);
        assertThat(unreachable.status()).isNotEqualTo("delivered");
        assertThat(unreachable.lastStatusCode()).isNull();
        assertThat(unreachable.lastError()).isNotBlank();
    }

    @Test
    void deletingAWebhookRemovesItAndItsDeliveries() {
        long id = admin.createWebhook(new CreateWebhook(receiver.url(), null, List.of(), SECRET, null)).webhook().id();
        assertThat(admin.testWebhook(id).status()).isEqualTo("delivered");

        Webhook deleted = admin.deleteWebhook(id);
        assertThat(deleted.id()).isEqualTo(id);
        assertThat(admin.listWebhooks().webhooks()).noneMatch(w -> w.id() == id);
        assertThatThrownBy(() -> admin.getWebhook(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> admin.deliveries(id, null, null, null)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> admin.deleteWebhook(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> admin.testWebhook(id)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void badInputIsRefusedAndCreatesNothing() {
        admin.createModel(new CreateModel("strict", null, null));
        List<Webhook> before = admin.listWebhooks().webhooks();

        assertInvalid(new CreateWebhook("not a url", null, List.of(), SECRET, null), "not a url");
        assertInvalid(new CreateWebhook("ftp://example.invalid/hook", null, List.of(), SECRET, null), "ftp");
        assertInvalid(new CreateWebhook(receiver.url(), null, List.of("stage.moved"), SECRET, null), "stage.moved");
        assertInvalid(new CreateWebhook(receiver.url(), null, List.of(), "too-short", null), "16");
        assertThatThrownBy(() -> admin.createWebhook(new CreateWebhook(receiver.url(), "no-such-model", List.of(),
                SECRET, null))).isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");
        assertThat(admin.listWebhooks().webhooks()).isEqualTo(before);

        assertThatThrownBy(() -> admin.getWebhook(987_654)).isInstanceOf(NotFoundException.class);
        long id = admin.createWebhook(new CreateWebhook(receiver.url(), "strict", List.of(), SECRET, null)).webhook()
                .id();
        assertThatThrownBy(() -> admin.delivery(id, "no-such-delivery")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> admin.replay(id, "no-such-delivery")).isInstanceOf(NotFoundException.class);
        assertThat(admin.deliveries(id, null, null, null).deliveries()).isEmpty();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void onlyAdminsManageWebhooks() {
        String editor = admin.createUser(new CreateUser("hook-editor", "editor", null)).token().token();
        CairnClient ed = CairnClient.builder().baseUrl(server.url()).token(editor).build();
        assertThatThrownBy(() -> ed.createWebhook(new CreateWebhook(receiver.url(), null, List.of(), SECRET, null)))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(ed::listWebhooks).isInstanceOf(PermissionDeniedException.class);
        assertThat(admin.listWebhooks().webhooks()).noneMatch(w -> w.url().equals(receiver.url()));
    }

    @Test
    void aServerThatDoesNotAllowPrivateReceiversRefusesLoopback(@TempDir Path ownData) {
        try (CairnServer strict = CairnServer.start(ServerConfig.builder().port(0).dataDir(ownData).build())) {
            CairnClient client = CairnClient.builder().baseUrl(strict.url()).build();
            assertThatThrownBy(() -> client.createWebhook(new CreateWebhook(receiver.url(), null, List.of(), SECRET,
                    null))).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("127.0.0.1")
                    .hasMessageContaining("allow-private-webhooks");
            assertThat(client.listWebhooks().webhooks()).isEmpty();
        }
    }

    private void assertInvalid(CreateWebhook webhook, String mentions) {
        assertThatThrownBy(() -> admin.createWebhook(webhook)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(mentions);
    }

    /** Polls the delivery log (20 s at most) until a delivery matches. */
    private static Delivery awaitDelivery(long webhook, Predicate<Delivery> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            List<Delivery> log = admin.deliveries(webhook, null, null, null).deliveries();
            var match = log.stream().filter(wanted).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no matching delivery in " + log);
            }
            Receiver.pause();
        }
    }

    private void register(String model) throws IOException {
        Version draft = admin.createVersion(model, new CreateVersion(null, null, Map.of("auc", 0.9), null, null, null,
                null, null, null, true));
        Path file = Files.writeString(work.resolve(model + "-" + draft.version() + ".bin"), model);
        admin.uploadFile(model, draft.version(), "model.bin", file, null);
        admin.commit(model, draft.version());
    }
}
