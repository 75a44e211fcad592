package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.ApiModels.Code;
import dev.cairn.api.ApiModels.Column;
import dev.cairn.api.ApiModels.Comparison;
import dev.cairn.api.ApiModels.CreateModel;
import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.Dataset;
import dev.cairn.api.ApiModels.Event;
import dev.cairn.api.ApiModels.FileInfo;
import dev.cairn.api.ApiModels.Lineage;
import dev.cairn.api.ApiModels.Model;
import dev.cairn.api.ApiModels.ModelList;
import dev.cairn.api.ApiModels.Parent;
import dev.cairn.api.ApiModels.Rollback;
import dev.cairn.api.ApiModels.SetAlias;
import dev.cairn.api.ApiModels.Signature;
import dev.cairn.api.ApiModels.Transition;
import dev.cairn.api.ApiModels.UpdateModel;
import dev.cairn.api.ApiModels.UpdateVersion;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ApiModels.VerifyReport;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against a real server started in-process through its own composition root. */
class CairnClientIT {
    @TempDir
    static Path data;

    @TempDir
    Path work;

    static CairnServer server;
    static CairnClient client;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).build());
        client = CairnClient.builder().baseUrl(server.url()).user("alice").build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthAndOpenApi() {
        assertThat(client.health().status()).isEqualTo("ok");
        assertThat(client.ready().status()).isEqualTo("ok");
        assertThat(client.openApi()).contains("\"openapi\"").contains("/api/v1/models");
    }

    @Test
    void modelsAreCreatedListedUpdatedTaggedAndDeleted() {
        Model created = client.createModel(new CreateModel("m-crud", "first", Map.of("team", "fraud")));
        assertThat(created.owner()).isEqualTo("alice");
        assertThat(created.tags()).containsEntry("team", "fraud");
        client.createModel(new CreateModel("m-crud-2", null, null));

        assertThat(client.getModel("m-crud").description()).isEqualTo("first");
        assertThat(client.updateModel("m-crud", new UpdateModel("second")).description()).isEqualTo("second");
        assertThat(client.setModelTag("m-crud", "tier", "gold").tags()).containsEntry("tier", "gold");
        assertThat(client.deleteModelTag("m-crud", "tier").tags()).doesNotContainKey("tier");

        ModelList first = client.listModels("M-CRUD", 1, null);
        assertThat(first.models()).extracting(Model::name).containsExactly("m-crud");
        assertThat(first.nextPageToken()).isNotNull();
        ModelList second = client.listModels("m-crud", 1, first.nextPageToken());
        assertThat(second.models()).extracting(Model::name).containsExactly("m-crud-2");

        client.deleteModel("m-crud-2");
        assertThatThrownBy(() -> client.getModel("m-crud-2")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void registersUploadsCommitsAndDownloadsVerified() throws IOException {
        Path weights = write("weights.bin", "0123456789".repeat(10_000));
        Path config = write("config.json", "{\"layers\": 3}");
        Signature signature = new Signature(List.of(new Column("x", "double", false)), List.of(new Column("y", "long", null)));
        Lineage lineage = new Lineage(List.of(new Dataset("tx", "s3://data/tx", "v3", null, "train")),
                new Code("https://git.example/fraud", "abcdef1234567890", "main", null, true), null, List.of(), null);
        Version draft = client.createVersion("m-files", new CreateVersion("first cut", Map.of("k", "v"),
                Map.of("auc", 0.91), Map.of("lr", "0.01"), signature, "onnx", "file:///tmp/out", "run-1", lineage, true));
        assertThat(draft.status()).isEqualTo("PENDING_REGISTRATION");
        assertThat(draft.version()).isEqualTo(1);

        List<long[]> progress = new ArrayList<>();
        FileInfo uploaded = client.uploadFile("m-files", 1, "nested/weights.bin", weights,
                (path, done, total) -> progress.add(new long[] {done, total}));
        assertThat(uploaded.size()).isEqualTo(100_000);
        assertThat(progress.get(progress.size() - 1)).containsExactly(100_000, 100_000);
        client.uploadFile("m-files", 1, "config.json", config, null);
        assertThat(client.listFiles("m-files", 1)).extracting(FileInfo::path).containsExactly("config.json", "nested/weights.bin");

        Version ready = client.commit("m-files", 1);
        assertThat(ready.status()).isEqualTo("READY");
        assertThat(ready.digest()).startsWith("sha256:");
        assertThat(ready.createdBy()).isEqualTo("alice");
        assertThat(client.getVersion("m-files", 1).lineage().code().commit()).isEqualTo("abcdef1234567890");
        assertThat(client.getVersion("m-files", 1).metrics()).containsEntry("auc", 0.91);

        Path out = work.resolve("out");
        List<Path> written = client.downloadVersion(ready, out, null);
        assertThat(written).hasSize(2);
        assertThat(Files.readString(out.resolve("nested/weights.bin"))).isEqualTo(Files.readString(weights));
        assertThat(Files.readString(out.resolve("config.json"))).isEqualTo("{\"layers\": 3}");

        FileInfo lying = new FileInfo("config.json", 13, "0".repeat(64));
        Path target = work.resolve("lying/config.json");
        assertThatThrownBy(() -> client.downloadFile("m-files", 1, lying, target, null))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("config.json");
        assertThat(target).doesNotExist();
        assertThat(target.getParent()).isEmptyDirectory();

        Version hostile = new Version("m-files", 1, "READY", "None", List.of(), null, null, null, null, null, null,
                null, null, null, ready.digest(), List.of(new FileInfo("../escape", 13, lying.sha256())), 13, null,
                null, null, true);
        assertThatThrownBy(() -> client.downloadVersion(hostile, work.resolve("safe"), null))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("escapes");
        assertThat(work.resolve("escape")).doesNotExist();

        assertThat(client.updateVersion("m-files", 1, new UpdateVersion("better")).description()).isEqualTo("better");
        assertThat(client.setVersionTag("m-files", 1, "reviewed", "yes").tags()).containsEntry("reviewed", "yes");
        assertThat(client.deleteVersionTag("m-files", 1, "reviewed").tags()).doesNotContainKey("reviewed");

        VerifyReport report = client.verify("m-files", 1);
        assertThat(report.ok()).isTrue();
        assertThat(report.versions().get(0).filesChecked()).isEqualTo(2);
        assertThat(client.verify("m-files").ok()).isTrue();
        assertThat(client.verifyAll().ok()).isTrue();
    }

    @Test
    void stagesAliasesRollbackAndHistory() throws IOException {
        register("m-ptr", 0.80, "aaaa1111");
        register("m-ptr", 0.85, "bbbb2222");
        register("m-ptr", 0.70, "cccc3333");

        client.transition("m-ptr", 1, new Transition("production", "first", null));
        Version v2 = client.transition("m-ptr", 2, new Transition("Production", "better", null));
        assertThat(v2.stage()).isEqualTo("Production");
        assertThat(client.getVersion("m-ptr", 1).stage()).isEqualTo("Archived");
        client.transition("m-ptr", 3, new Transition("production", "oops", null));

        Version restored = client.rollback("m-ptr", new Rollback("production", null, null, "bad v3"));
        assertThat(restored.version()).isEqualTo(2);
        assertThat(client.getModel("m-ptr").stages()).containsEntry("Production", 2);

        assertThat(client.setAlias("m-ptr", "champion", new SetAlias(2, null)).aliases()).contains("champion");
        client.setAlias("m-ptr", "champion", new SetAlias(3, null));
        assertThat(client.rollback("m-ptr", new Rollback(null, "champion", null, null)).version()).isEqualTo(2);
        client.deleteAlias("m-ptr", "champion");
        assertThat(client.getModel("m-ptr").aliases()).doesNotContainKey("champion");
        assertThatThrownBy(() -> client.deleteAlias("m-ptr", "champion")).isInstanceOf(NotFoundException.class);

        List<Event> moves = client.history("m-ptr", List.of("STAGE_TRANSITION", "ROLLBACK"), null, null).events();
        assertThat(moves).extracting(Event::kind)
                .containsExactly("STAGE_TRANSITION", "STAGE_TRANSITION", "STAGE_TRANSITION", "ROLLBACK", "ROLLBACK");
        assertThat(moves).allSatisfy(e -> assertThat(e.actor()).isEqualTo("alice"));
        assertThat(client.history("m-ptr", List.of(), null, null).events()).hasSizeGreaterThan(moves.size());
        assertThat(client.events("m-ptr", List.of("ROLLBACK"), null, null).events()).hasSize(2);

        Comparison comparison = client.compare("m-ptr", List.of(1, 2, 3));
        assertThat(comparison.versions()).containsExactly(1, 2, 3);
        assertThat(comparison.metrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("auc");
            assertThat(m.values()).containsExactly(0.80, 0.85, 0.70);
        });

        assertThat(client.versionsFromCommit("bbbb2222", null, null).versions())
                .extracting(Version::version).containsExactly(2);
        assertThat(client.versionsUsingDataset("s3://data/m-ptr", null, null).versions()).hasSize(3);
        assertThat(client.listVersions("m-ptr", null, null, null, null).versions())
                .extracting(Version::version).containsExactly(3, 2, 1);
        assertThat(client.listVersions("m-ptr", null, "production", null, null).versions())
                .extracting(Version::version).containsExactly(2);
    }

    @Test
    void parentsAreQueriedInReverse() throws IOException {
        register("m-base", 0.5, "dddd4444");
        Version child = client.createVersion("m-child", new CreateVersion(null, null, null, null, null, null, null, null,
                new Lineage(null, null, null, List.of(new Parent("m-base", 1, "fine-tuned-from")), null), true));
        client.uploadFile("m-child", child.version(), "w.bin", write("w.bin", "child"), null);
        client.commit("m-child", child.version());
        assertThat(client.versionsDerivedFrom("m-base", 1, null, null).versions())
                .extracting(Version::name).containsExactly("m-child");
    }

    @Test
    void resolveAnswersAnEtagAndWatchWaitsForTheNextChange() throws Exception {
        register("m-watch", 0.1, "eeee5555");
        register("m-watch", 0.2, "ffff6666");
        client.transition("m-watch", 1, new Transition("production", null, null));

        Resolution now = client.resolve("models:/m-watch/Production");
        assertThat(now.version().version()).isEqualTo(1);
        assertThat(now.etag()).isNotBlank();
        assertThat(client.resolve("m-watch/1").version().version()).isEqualTo(1);
        assertThat(client.resolve("m-watch/latest").version().version()).isEqualTo(2);
        assertThat(client.watch("models:/m-watch/Production", now.etag(), Duration.ZERO)).isEmpty();

        CompletableFuture<Optional<Resolution>> watching = CompletableFuture.supplyAsync(
                () -> client.watch("models:/m-watch/Production", now.etag(), Duration.ofSeconds(20)));
        Thread.sleep(300);
        client.transition("m-watch", 2, new Transition("production", null, null));
        Optional<Resolution> changed = watching.get(15, TimeUnit.SECONDS);
        assertThat(changed).isPresent();
        assertThat(changed.get().version().version()).isEqualTo(2);
        assertThat(changed.get().etag()).isNotEqualTo(now.etag());

        client.setAlias("m-watch", "champion", new SetAlias(1, null));
        assertThat(client.resolve("m-watch@champion").version().version()).isEqualTo(1);
    }

    @Test
    void errorBodiesBecomeTypedExceptions() throws IOException {
        assertThatThrownBy(() -> client.getModel("nope"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).isEqualTo("NOT_FOUND");
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("nope");
                });
        assertThatThrownBy(() -> client.getVersion("nope", 1)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.resolve("no-such-model/production")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.createModel(new CreateModel(" bad name", null, null)))
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
        assertThatThrownBy(() -> client.resolve("just-a-name")).isInstanceOf(InvalidArgumentException.class);

        client.createModel(new CreateModel("m-dup", null, null));
        assertThatThrownBy(() -> client.createModel(new CreateModel("m-dup", null, null)))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.code()).isEqualTo("ALREADY_EXISTS");
                    assertThat(e.httpStatus()).isEqualTo(409);
                });

        register("m-held", 0.3, "abab7777");
        client.transition("m-held", 1, new Transition("production", null, null));
        assertThatThrownBy(() -> client.deleteModel("m-held"))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("FAILED_PRECONDITION"));
        assertThatThrownBy(() -> client.rollback("m-held", new Rollback("production", null, null, null)))
                .isInstanceOf(ConflictException.class);
        Version draft = client.createVersion("m-held", new CreateVersion(null, null, null, null, null, null, null, null,
                null, null));
        assertThatThrownBy(() -> client.commit("m-held", draft.version())).isInstanceOf(ConflictException.class);
        assertThat(client.deleteVersion("m-held", draft.version()).status()).isEqualTo("DELETED");
    }

    @Test
    void anUnreachableServerIsAConnectionFailureNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CairnClient nowhere = CairnClient.builder().baseUrl("http://127.0.0.1:" + port)
                .connectTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(nowhere::health)
                .isInstanceOf(CairnConnectionException.class)
                .hasMessageContaining("http://127.0.0.1:" + port);
        assertThatThrownBy(() -> CairnClient.builder().baseUrl("localhost:8080").build())
                .isInstanceOf(InvalidArgumentException.class);
    }

    private Version register(String model, double auc, String commit) throws IOException {
        Lineage lineage = new Lineage(List.of(new Dataset(model, "s3://data/" + model, null, null, "train")),
                new Code(null, commit, "main", null, false), null, List.of(), null);
        Version draft = client.createVersion(model, new CreateVersion(null, null, Map.of("auc", auc),
                Map.of("seed", commit), null, null, null, null, lineage, true));
        client.uploadFile(model, draft.version(), "model.bin", write(model + draft.version(), commit), null);
        return client.commit(model, draft.version());
    }

    private Path write(String name, String content) throws IOException {
        Path file = work.resolve("src").resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
