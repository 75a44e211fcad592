package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ApiModels.Delivery;
import dev.cairn.api.ApiModels.DeliveryList;
import dev.cairn.api.ApiModels.NewWebhook;
import dev.cairn.api.ApiModels.Webhook;
import dev.cairn.api.ApiModels.WebhookList;
import dev.cairn.api.Json;
import dev.cairn.cli.Cli.Result;
import dev.cairn.client.Receiver;
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
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn webhooks} in-process against a real server that allows private receivers, and a real receiver. */
class WebhooksCliIT {
    private static final String ADMIN_TOKEN = "cli-webhooks-admin-token-0123456789";
    private static final String SECRET = "cli-webhook-secret-0123456789";

    @TempDir
    static Path data;

    static CairnServer server;

    @TempDir
    Path work;

    Cli admin;
    Receiver receiver;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).auth(true).adminToken(ADMIN_TOKEN)
                .allowPrivateWebhooks(true).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void setUp() {
        admin = new Cli(server.url(), work).as(ADMIN_TOKEN);
        receiver = new Receiver();
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void createListShowThenAnEventArrivesAndDeliveriesShowIt() throws IOException {
        assertThat(admin.run("models", "create", "cli-hooked").code()).isZero();
        Result created = admin.run("webhooks", "create", receiver.url(), "--model", "cli-hooked", "--events",
                "stage.transitioned,alias.set", "--secret", SECRET, "--description", "ci receiver");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains(receiver.url()).contains("model cli-hooked")
                .contains("stage.transitioned, alias.set").doesNotContain("secret");
        long id = id(created.out());

        assertThat(admin.run("webhooks", "list").out()).containsPattern(id + "\\s+" + Pattern.quote(receiver.url())
                + "\\s+cli-hooked\\s+stage.transitioned, alias.set\\s+bootstrap-admin").contains("ci receiver");
        WebhookList list = admin.run("-o", "json", "webhooks", "list").json(WebhookList.class);
        assertThat(list.webhooks()).anySatisfy(w -> assertThat(w.id()).isEqualTo(id));
        assertThat(admin.run("webhooks", "show", String.valueOf(id)).out())
                .containsPattern("url:\\s+" + Pattern.quote(receiver.url())).containsPattern("model:\\s+cli-hooked")
                .containsPattern("events:\\s+stage.transitioned, alias.set")
                .containsPattern("description:\\s+ci receiver").doesNotContain(SECRET);
        Webhook shown = admin.run("-o", "json", "webhooks", "show", String.valueOf(id)).json(Webhook.class);
        assertThat(shown.model()).isEqualTo("cli-hooked");

        register("cli-hooked");
        assertThat(admin.run("promote", "cli-hooked", "1", "--to", "staging").code()).isZero();
        Received got = receiver.await(1).get(0);
        assertThat(got.topic()).isEqualTo("stage.transitioned");
        assertThat(got.signedWith(SECRET)).isTrue();
        long seq = Json.mapper().readTree(got.body()).get("event").get("seq").asLong();

        Delivery delivered = awaitDelivery(id, d -> d.id().equals(got.id()) && "delivered".equals(d.status()));
        assertThat(delivered.eventSeq()).isEqualTo(seq);
        Result table = admin.run("webhooks", "deliveries", String.valueOf(id));
        assertThat(table.code()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).containsPattern("ID\\s+EVENT SEQ\\s+TOPIC\\s+STATUS\\s+ATTEMPTS\\s+LAST\\s+NEXT ATTEMPT");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).containsPattern(Pattern.quote(got.id()) + "\\s+" + seq
                + "\\s+stage.transitioned\\s+delivered\\s+1\\s+HTTP 200\\s+\\d{4}-");
        assertThat(admin.run("webhooks", "deliveries", String.valueOf(id), "--attempts").out())
                .contains("delivery " + got.id() + " (stage.transitioned):")
                .containsPattern("  1\\s+\\d{4}-\\S+\\s+HTTP 200\\s+\\d+ ms");
        assertThat(admin.run("webhooks", "deliveries", String.valueOf(id), "--status", "pending").out().lines())
                .hasSize(1);
        assertInvalid(admin.run("webhooks", "deliveries", String.valueOf(id), "--status", "lost"), "lost");
        DeliveryList json = admin.run("-o", "json", "webhooks", "deliveries", String.valueOf(id), "--status",
                "delivered").json(DeliveryList.class);
        assertThat(json.deliveries()).extracting(Delivery::id).containsExactly(got.id());
        assertThat(json.deliveries().get(0).attemptLog()).hasSize(1);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void testReportsWhetherTheReceiverAcceptedAndReplaySendsTheEventAgain() throws IOException {
        assertThat(admin.run("models", "create", "cli-replayed").code()).isZero();
        Result created = admin.run("webhooks", "create", receiver.url(), "--model", "cli-replayed", "--events",
                "version.registered");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).containsPattern("secret: whsec_\\S+").contains("shown only now");
        long id = id(created.out());
        String secret = created.out().lines().filter(l -> l.startsWith("secret:")).findFirst().orElseThrow()
                .substring("secret:".length()).strip();
        assertThat(admin.run("webhooks", "show", String.valueOf(id)).out()).doesNotContain(secret);
        assertThat(admin.run("-o", "json", "webhooks", "list").out()).doesNotContain(secret);

        Result ping = admin.run("webhooks", "test", String.valueOf(id));
        assertThat(ping.code()).as(ping.err()).isZero();
        assertThat(ping.out()).contains("delivered: the receiver answered 200");
        Received pinged = receiver.await(1).get(0);
        assertThat(pinged.topic()).isEqualTo("ping");
        assertThat(pinged.signedWith(secret)).isTrue();

        register("cli-replayed");
        Received first = receiver.await(2).get(1);
        assertThat(first.topic()).isEqualTo("version.registered");
        awaitDelivery(id, d -> d.id().equals(first.id()) && "delivered".equals(d.status()));
        Result replayed = admin.run("webhooks", "replay", String.valueOf(id), first.id());
        assertThat(replayed.code()).as(replayed.err()).isZero();
        Matcher again = Pattern.compile("replayed delivery " + Pattern.quote(first.id()) + " as (\\S+) \\(")
                .matcher(replayed.out());
        assertThat(again.find()).as(replayed.out()).isTrue();
        Received resent = receiver.await(3).get(2);
        assertThat(resent.id()).isEqualTo(again.group(1)).isNotEqualTo(first.id());
        assertThat(Json.mapper().readTree(resent.body()).get("event"))
                .isEqualTo(Json.mapper().readTree(first.body()).get("event"));
        assertThat(admin.run("webhooks", "replay", String.valueOf(id), "no-such-delivery").code())
                .isEqualTo(ExitCodes.NOT_FOUND);
        awaitDelivery(id, d -> d.id().equals(resent.id()) && "delivered".equals(d.status()));
        List<String> newest = admin.run("webhooks", "deliveries", String.valueOf(id), "--limit", "1").out().lines()
                .toList();
        assertThat(newest).hasSize(2);
        assertThat(newest.get(1)).startsWith(resent.id()).contains("version.registered");
        assertThat(admin.run("-o", "json", "webhooks", "deliveries", String.valueOf(id), "--limit", "2")
                .json(DeliveryList.class).deliveries()).extracting(Delivery::id).containsExactly(resent.id(), first.id());

        receiver.answer(503);
        Result refused = admin.run("webhooks", "test", String.valueOf(id));
        assertThat(refused.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(refused.out()).contains("failed: HTTP 503");
        receiver.close();
        Result down = admin.run("-o", "json", "webhooks", "test", String.valueOf(id));
        assertThat(down.code()).isEqualTo(ExitCodes.FAILURE);
        Delivery failed = down.json(Delivery.class);
        assertThat(failed.status()).isNotEqualTo("delivered");
        assertThat(failed.lastError()).isNotBlank();
    }

    @Test
    void theSecretCanComeFromTheEnvironmentAndIsNeverPrintedBack() {
        // Set by this module's Failsafe configuration (pom.xml).
        Map.Entry<String, String> variable = Map.entry("CAIRN_TEST_WEBHOOK_SECRET",
                Objects.requireNonNull(System.getenv("CAIRN_TEST_WEBHOOK_SECRET"), "run through Maven (Failsafe sets it)"));
        NewWebhook created = admin.run("-o", "json", "webhooks", "create", receiver.url(), "--secret-env",
                variable.getKey()).json(NewWebhook.class);
        long id = created.webhook().id();
        Result ping = admin.run("webhooks", "test", String.valueOf(id));
        assertThat(ping.code()).as(ping.err()).isZero();
        assertThat(receiver.await(1).get(0).signedWith(variable.getValue())).isTrue();
        assertThat(admin.run("webhooks", "delete", String.valueOf(id)).code()).isZero();

        String before = admin.run("-o", "json", "webhooks", "list").out();
        assertInvalid(admin.run("webhooks", "create", receiver.url(), "--secret-env", "CAIRN_NO_SUCH_VARIABLE_42"),
                "CAIRN_NO_SUCH_VARIABLE_42");
        assertInvalid(admin.run("webhooks", "create", receiver.url(), "--secret", SECRET, "--secret-env",
                variable.getKey()), "not both");
        assertThat(admin.run("-o", "json", "webhooks", "list").out()).isEqualTo(before);
    }

    @Test
    void badInputExitsWithTheUsualStatusAndCreatesNothing() {
        assertThat(admin.run("models", "create", "cli-strict").code()).isZero();
        String before = admin.run("-o", "json", "webhooks", "list").out();

        assertInvalid(admin.run("webhooks", "create", "ftp://example.invalid/hook", "--secret", SECRET), "ftp");
        assertInvalid(admin.run("webhooks", "create", receiver.url(), "--events", "stage.transitioned,stage.moved",
                "--secret", SECRET), "stage.moved");
        assertInvalid(admin.run("webhooks", "create", receiver.url(), "--secret", "short"), "16");
        Result noModel = admin.run("webhooks", "create", receiver.url(), "--model", "cli-nope", "--secret", SECRET);
        assertThat(noModel.code()).as(noModel.err()).isEqualTo(ExitCodes.NOT_FOUND);
        assertOneErrorLine(noModel, "cli-nope");
        assertThat(admin.run("-o", "json", "webhooks", "list").out()).isEqualTo(before);

        assertInvalid(admin.run("webhooks", "show", "abc"), "abc");
        assertInvalid(admin.run("webhooks", "show", "0"), "webhook id '0'");
        assertInvalid(admin.run("webhooks", "deliveries", "1", "--limit", "0"), "--limit");
        assertThat(admin.run("webhooks", "show", "987654").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(admin.run("webhooks", "deliveries", "987654").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(admin.run("webhooks", "delete", "987654").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void deleteRemovesTheWebhook() {
        long id = id(admin.run("webhooks", "create", receiver.url(), "--secret", SECRET).out());
        Result deleted = admin.run("webhooks", "delete", String.valueOf(id));
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("deleted webhook " + id + ": " + receiver.url());
        assertThat(admin.run("webhooks", "show", String.valueOf(id)).code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(admin.run("webhooks", "list").out()).doesNotContain(receiver.url());
        assertThat(admin.run("webhooks", "test", String.valueOf(id)).code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void nonAdminsAreRefusedAndAServerWithoutPrivateReceiversRefusesLoopback(@TempDir Path ownData) {
        Result user = admin.run("-o", "json", "users", "create", "cli-hook-ed", "--role", "editor");
        Cli editor = new Cli(server.url(), work).as(user.json().get("token").asText());
        assertThat(editor.run("webhooks", "create", receiver.url(), "--secret", SECRET).code())
                .isEqualTo(ExitCodes.PERMISSION_DENIED);
        assertThat(editor.run("webhooks", "list").code()).isEqualTo(ExitCodes.PERMISSION_DENIED);

        try (CairnServer strict = CairnServer.start(ServerConfig.builder().port(0).dataDir(ownData).build())) {
            Cli cli = new Cli(strict.url(), work);
            Result refused = cli.run("webhooks", "create", receiver.url(), "--secret", SECRET);
            assertInvalid(refused, "127.0.0.1");
            assertThat(refused.err()).contains("allow-private-webhooks");
            assertThat(cli.run("-o", "json", "webhooks", "list").json(WebhookList.class).webhooks()).isEmpty();
        }
    }

    @Test
    void helpExplainsTheSecretOptionsAndTheTestExitStatus() {
        assertThat(Cli.raw("webhooks", "create", "--help").out()).contains("--secret-env").contains("process list")
                .contains("shown only this once");
        assertThat(Cli.raw("webhooks", "test", "--help").out()).contains("status 1");
        assertThat(Cli.raw("webhooks", "--help").out()).contains("deliveries").contains("replay")
                .contains("Cairn-Webhook-Id");
    }

    /** The id in "created webhook ID: ...". */
    private static long id(String out) {
        Matcher m = Pattern.compile("created webhook (\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Polls {@code cairn webhooks deliveries} (20 s at most) until a delivery matches. */
    private Delivery awaitDelivery(long webhook, Predicate<Delivery> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            List<Delivery> log = admin.run("-o", "json", "webhooks", "deliveries", String.valueOf(webhook))
                    .json(DeliveryList.class).deliveries();
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
        Path file = Files.writeString(work.resolve(model + "-" + System.nanoTime() + ".bin"), model);
        Result result = admin.run("register", model, file.getFileName().toString(), "--metric", "auc=0.9");
        assertThat(result.code()).as(result.err()).isZero();
    }

    private static void assertInvalid(Result result, String mentions) {
        assertThat(result.code()).as(result.err()).isEqualTo(ExitCodes.INVALID);
        assertOneErrorLine(result, mentions);
    }

    private static void assertOneErrorLine(Result result, String mentions) {
        assertThat(result.err().lines().toList()).as(result.err()).hasSize(1);
        assertThat(result.err()).startsWith("error: ").contains(mentions).doesNotContain("Exception");
    }
}
