package dev.cairn.storage.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.governance.ApiToken;
import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.governance.Policy;
import dev.cairn.core.governance.RequestStatus;
import dev.cairn.core.governance.Role;
import dev.cairn.core.governance.TransitionRequest;
import dev.cairn.core.governance.User;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventKind;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.Pointer;
import dev.cairn.core.model.Stage;
import dev.cairn.core.store.BlobStore;
import dev.cairn.core.store.MetadataStore.Tx;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.TrackingService;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.GovernanceStoreContract;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import dev.cairn.storage.jdbc.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole embedded registry copied into SQLite and into PostgreSQL, then read back through the normal stores: the
 * same versions, digests, pointers, events (with their sequence numbers and an audit chain that still verifies), runs
 * and artifacts, users, tokens, grants, policies and requests, and counters that carry on where the source stopped.
 */
class StorageMigrationTest {
    static final String ME = "alice";
    static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");

    @TempDir
    Path dir;

    Path source;
    String runId;

    @BeforeEach
    void makeSource() {
        source = dir.resolve("cairn-data");
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(source.resolve("cairn.db"))) {
            FileBlobStore blobs = new FileBlobStore(source.resolve("blobs"));
            RegistryService registry = new RegistryService(store, blobs, Clock.systemUTC());
            register(registry, "fraud", Map.of("model.onnx", "weights one", "config.json", "{}"));
            register(registry, "fraud", Map.of("model.onnx", "weights two", "config.json", "{}"));
            register(registry, "fraud", Map.of("model.onnx", "weights three", "config.json", "{\"t\": 1}"));
            registry.transition(Actor.local(ME), "fraud", 2, Stage.PRODUCTION, "better", true);
            registry.transition(Actor.local(ME), "fraud", 3, Stage.PRODUCTION, "newer", true);
            registry.rollback(Actor.local(ME), "fraud", Pointer.stage(Stage.PRODUCTION), Optional.empty(), "bad");
            registry.setAlias(Actor.local(ME), "fraud", "champion", 2, "");
            registry.setModelTag(Actor.local(ME), "fraud", "team", "risk");
            register(registry, "churn", Map.of("w.bin", "churn"));
            register(registry, "churn", Map.of("w.bin", "churn 2"));
            registry.deleteVersion(Actor.local(ME), "churn", 2);

            TrackingService tracking = new TrackingService(store, blobs, Clock.systemUTC());
            String experiment = tracking.createExperiment("training", null, List.of());
            Run run = tracking.createRun(experiment, ME, "nightly", null, List.of());
            runId = run.id();
            tracking.logMetric(runId, new Metric("auc", 0.93, 1_764_230_000_000L, 1));
            tracking.logMetric(runId, new Metric("auc", Double.NaN, 1_764_230_000_001L, 2));
            tracking.logParam(runId, "lr", "0.03");
            tracking.uploadArtifact(experiment + "/" + runId + "/artifacts/model.pkl", text("pickled"));
            writeGovernance(store);
        }
    }

    @Test
    void copiesEverythingIntoSqliteAndADirectory() {
        String url = "jdbc:sqlite:" + dir.resolve("target/cairn.db");
        FileBlobStore blobs = new FileBlobStore(dir.resolve("target-blobs"));

        StorageMigration.Summary summary = new StorageMigration(source, url, url, blobs, line -> {}).run();

        assertThat(summary.models()).isEqualTo(2);
        assertThat(summary.versions()).isEqualTo(5);
        assertThat(summary.blobs()).isEqualTo(8); // 7 distinct files, one shared by two versions, and one artifact
        assertThat(summary.rows()).containsKeys("models", "versions", "events", "experiments", "runs", "metrics",
                "artifacts", "pointer_changes");
        assertThat(summary.rows()).containsEntry("users", 2L).containsEntry("api_tokens", 1L)
                .containsEntry("model_grants", 1L).containsEntry("policies", 2L).containsEntry("transition_requests", 2L)
                .containsEntry("request_approvals", 1L);
        assertSameRegistry(url, blobs);
    }

    @Test
    void copiesEverythingIntoPostgres() {
        String url = TestPostgres.newDatabase();
        FileBlobStore blobs = new FileBlobStore(dir.resolve("target-blobs"));

        StorageMigration.Summary summary = new StorageMigration(source, url, "postgres", blobs, line -> {}).run();

        assertThat(summary.events()).isGreaterThan(5);
        assertSameRegistry(url, blobs);
    }

    @Test
    void refusesATargetThatHoldsARegistry() {
        String url = "jdbc:sqlite:" + dir.resolve("target/cairn.db");
        FileBlobStore blobs = new FileBlobStore(dir.resolve("target-blobs"));
        try (JdbcMetadataStore store = JdbcMetadataStore.open(url)) {
            new RegistryService(store, blobs, Clock.systemUTC()).createModel(Actor.local(ME), "existing", "", Map.of());
        }

        assertThatThrownBy(() -> new StorageMigration(source, url, url, blobs, line -> {}).run())
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                .hasMessageContaining("not empty").hasMessageContaining("1 models");
        try (JdbcMetadataStore store = JdbcMetadataStore.open(url)) {
            RegistryService target = new RegistryService(store, blobs, Clock.systemUTC());
            assertThat(target.listModels(null, 10, null).items()).hasSize(1);
        }
    }

    @Test
    void refusesATargetThatHoldsOnlyUsers() {
        String url = "jdbc:sqlite:" + dir.resolve("target/cairn.db");
        FileBlobStore blobs = new FileBlobStore(dir.resolve("target-blobs"));
        try (JdbcMetadataStore store = JdbcMetadataStore.open(url)) {
            store.write((Tx tx) -> tx.insertUser("admin", Role.ADMIN, "bootstrap", T0));
        }

        assertThatThrownBy(() -> new StorageMigration(source, url, url, blobs, line -> {}).run())
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                .hasMessageContaining("not empty").hasMessageContaining("1 users");
    }

    @Test
    void aCorruptSourceBlobAbortsBeforeAnyRowIsWritten() throws IOException {
        Path blob;
        try (Stream<Path> files = Files.walk(source.resolve("blobs/sha256"))) {
            blob = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(blob);
        bytes[0] ^= 1;
        Files.write(blob, bytes);
        String url = "jdbc:sqlite:" + dir.resolve("target/cairn.db");
        FileBlobStore blobs = new FileBlobStore(dir.resolve("target-blobs"));

        assertThatThrownBy(() -> new StorageMigration(source, url, url, blobs, line -> {}).run())
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining(blob.getFileName().toString()).hasMessageContaining("did not arrive intact");
        try (JdbcMetadataStore store = JdbcMetadataStore.open(url)) {
            assertThat(new RegistryService(store, blobs, Clock.systemUTC()).listModels(null, 10, null).items()).isEmpty();
        }
    }

    @Test
    void aMissingSourceRegistryIsNotFound() {
        String url = "jdbc:sqlite:" + dir.resolve("target/cairn.db");
        assertThatThrownBy(() -> new StorageMigration(dir.resolve("nothing"), url, url,
                new FileBlobStore(dir.resolve("target-blobs")), line -> {}).run())
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    /** Reads source and target through the normal stores and compares what a user sees, then writes to the target. */
    private void assertSameRegistry(String targetUrl, BlobStore targetBlobs) {
        try (JdbcMetadataStore from = JdbcMetadataStore.sqlite(source.resolve("cairn.db"));
                JdbcMetadataStore to = JdbcMetadataStore.open(targetUrl)) {
            FileBlobStore sourceBlobs = new FileBlobStore(source.resolve("blobs"));
            RegistryService before = new RegistryService(from, sourceBlobs, Clock.systemUTC());
            RegistryService after = new RegistryService(to, targetBlobs, Clock.systemUTC());
            TrackingService runsBefore = new TrackingService(from, sourceBlobs, Clock.systemUTC());
            TrackingService runsAfter = new TrackingService(to, targetBlobs, Clock.systemUTC());

            for (String reference : List.of("fraud/production", "fraud@champion", "fraud/latest", "churn/1")) {
                ModelVersion expected = before.resolve(reference).version();
                ModelVersion actual = after.resolve(reference).version();
                assertThat(actual).as(reference).isEqualTo(expected);
                assertThat(actual.manifest().digest()).isEqualTo(expected.manifest().digest());
            }
            assertThat(after.resolve("fraud/production").version().version()).isEqualTo(2);
            assertThat(after.getModel("fraud")).isEqualTo(before.getModel("fraud"));
            assertThat(events(after)).isNotEmpty().isEqualTo(events(before));
            assertThat(after.verify("fraud", null).toString()).isEqualTo(before.verify("fraud", null).toString());

            assertThat(runsAfter.getRun(runId)).isEqualTo(runsBefore.getRun(runId));
            assertThat(runsAfter.metricHistory(runId, "auc", null, null)).isEqualTo(
                    runsBefore.metricHistory(runId, "auc", null, null));
            String artifact = runsBefore.getRun(runId).experimentId() + "/" + runId + "/artifacts/model.pkl";
            assertThat(read(runsAfter.openArtifact(runsAfter.artifact(artifact)))).isEqualTo("pickled");

            // Governance rows come across whole, and the audit chain, hashes included, still verifies.
            assertThat(governance(to)).isEqualTo(governance(from));
            List<AuditChain.Link> chain = chain(to);
            assertThat(chain).hasSameSizeAs(events(before)).isEqualTo(chain(from));
            assertThat(GovernanceStoreContract.firstBrokenLink(chain)).isNull();

            // Counters carry on: version numbers are never reused, new events and experiments come after the old.
            long lastSeq = events(before).get(events(before).size() - 1).seq();
            assertThat(register(after, "churn", Map.of("w.bin", "churn 3")).version()).isEqualTo(3);
            assertThat(events(after).get(events(after).size() - 1).seq()).isGreaterThan(lastSeq);
            assertThat(Long.parseLong(runsAfter.createExperiment("later", null, List.of())))
                    .isGreaterThan(Long.parseLong(runsBefore.getRun(runId).experimentId()));
            assertThat(GovernanceStoreContract.firstBrokenLink(chain(to))).isNull();
            assertThat(chain(to)).hasSizeGreaterThan(chain.size());
            long lastRequest = to.read((Tx tx) -> tx.listRequests(null, null, null, 1)).get(0).id();
            long fraud = to.read((Tx tx) -> tx.findModel("fraud")).orElseThrow().id();
            assertThat(to.write((Tx tx) -> tx.insertRequest(fraud, request(1, "carol")))).isGreaterThan(lastRequest);
            long lastUser = to.read((Tx tx) -> tx.findUser("bob")).orElseThrow().id();
            assertThat(to.write((Tx tx) -> tx.insertUser("carol", Role.VIEWER, ME, T0)).id()).isGreaterThan(lastUser);
        }
    }

    /** Users, a token, a grant, both kinds of policy and two requests, one approved, as governance writes them. */
    private static void writeGovernance(JdbcMetadataStore store) {
        store.write((Tx tx) -> {
            long fraud = tx.findModel("fraud").orElseThrow().id();
            tx.insertUser(ME, Role.ADMIN, "bootstrap", T0);
            User bob = tx.insertUser("bob", Role.EDITOR, ME, T0.plusSeconds(1));
            tx.insertToken(new ApiToken("tok-bob", "bob", "b".repeat(64), T0, T0.plus(Duration.ofDays(30)), null));
            tx.setGrant(fraud, bob.id(), Role.APPROVER);
            tx.setPolicy(null, new Policy(Map.of("auc", 0.8), Map.of(), true, false, false, false, null, false, 1, true,
                    List.of()));
            tx.setPolicy(fraud, new Policy(Map.of("auc", 0.9), Map.of("loss", 0.2), true, true, true, true,
                    Duration.ofDays(2), true, 2, false, List.of("champion")));
            long approved = tx.insertRequest(fraud, request(3, "bob"));
            tx.addApproval(approved, new TransitionRequest.Approval(ME, T0.plusSeconds(60), "ok"));
            tx.decideRequest(approved, RequestStatus.APPROVED, ME, T0.plusSeconds(60), "ok");
            tx.insertRequest(fraud, request(1, "bob"));
            tx.appendEvent(new Event(0, T0.plusSeconds(60), ME, "fraud", 3, EventKind.REQUEST_APPROVED,
                    Map.of("request", Long.toString(approved))));
            return null;
        });
    }

    /** Everything governance stored, as the store reads it back. */
    private static List<Object> governance(JdbcMetadataStore store) {
        return store.read((Tx tx) -> {
            long fraud = tx.findModel("fraud").orElseThrow().id();
            return List.of(tx.listUsers(null, 100), tx.listTokens(null, null, 100), tx.grants(fraud),
                    tx.policy(null), tx.policy(fraud), tx.listRequests(null, null, null, 100));
        });
    }

    private static TransitionRequest request(int version, String by) {
        return new TransitionRequest(0, null, version, Pointer.stage(Stage.PRODUCTION), by, "please",
                RequestStatus.PENDING, T0, List.of(), null, null, null);
    }

    private static List<AuditChain.Link> chain(JdbcMetadataStore store) {
        return store.read((Tx tx) -> tx.chain(null, 10_000));
    }

    private static List<Event> events(RegistryService registry) {
        List<Event> all = new ArrayList<>();
        String token = null;
        do {
            var page = registry.events(EventFilter.ALL, 100, token);
            all.addAll(page.items());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }

    private static ModelVersion register(RegistryService registry, String model, Map<String, String> files) {
        int version = registry.createVersion(Actor.local(ME), model, new NewVersion(null, null, Map.of("auc", 0.9),
                Map.of("lr", "0.1"), null, "onnx", null, null, null, null), true).version();
        files.forEach((path, content) -> registry.addFile(Actor.local(ME), model, version, path, text(content), Optional.empty()));
        return registry.commit(Actor.local(ME), model, version);
    }

    private static InputStream text(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
