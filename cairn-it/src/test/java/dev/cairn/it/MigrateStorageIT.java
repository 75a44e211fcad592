package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.RegistryService;
import dev.cairn.core.governance.Actor;
import dev.cairn.core.model.Event;
import dev.cairn.core.model.EventFilter;
import dev.cairn.core.model.ModelVersion;
import dev.cairn.core.model.NewVersion;
import dev.cairn.core.model.Stage;
import dev.cairn.storage.file.FileBlobStore;
import dev.cairn.storage.jdbc.JdbcMetadataStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The move from the embedded default to a scale-out deployment, as docs/deploy.md tells an operator to make it:
 * {@code cairn migrate-storage} (the shaded jar, a separate process) copies a SQLite registry and its blob directory
 * into PostgreSQL and an S3 bucket, then a replica serving from them resolves the same version with the same digest,
 * shows every event with its original sequence number, and verifies every file from S3.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MigrateStorageIT {
    private static final Path JAR = Path.of(System.getProperty("cairn.jar", "../cairn-cli/target/cairn.jar"))
            .toAbsolutePath().normalize();
    private static final String BUCKET = "migrated";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void anEmbeddedRegistryMovesToPostgresAndS3() throws Exception {
        Path source = work.resolve("cairn-data");
        ModelVersion production;
        List<Long> sourceEvents;
        try (JdbcMetadataStore store = JdbcMetadataStore.sqlite(source.resolve("cairn.db"))) {
            RegistryService registry = new RegistryService(store, new FileBlobStore(source.resolve("blobs")),
                    Clock.systemUTC());
            register(registry, "weights one");
            register(registry, "weights two");
            registry.transition(Actor.local("it"), "fraud", 2, Stage.PRODUCTION, "better", true);
            registry.setAlias(Actor.local("it"), "fraud", "champion", 1, "");
            production = registry.resolve("fraud/production").version();
            sourceEvents = registry.events(EventFilter.ALL, 1000, null).items().stream().map(Event::seq).toList();
        }

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); S3Server s3 = S3Server.start(BUCKET)) {
            String db = postgres.getJdbcUrl("postgres", "postgres");
            Map<String, String> aws = Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY, "AWS_REGION", S3Server.REGION);
            List<String> s3Options = List.of("--s3-endpoint", s3.endpoint(), "--s3-path-style");

            List<String> migrate = new ArrayList<>(List.of("migrate-storage", "--from-data", source.toString(),
                    "--to-db", db, "--to-blobs", "s3://" + BUCKET + "/blobs"));
            migrate.addAll(s3Options);
            Ran copied = cairn(migrate, aws);
            assertThat(copied.code()).as(copied.output()).isZero();
            assertThat(copied.output()).contains("copied 1 models, 2 versions, " + sourceEvents.size() + " events and "
                    + "2 blobs");
            assertThat(s3.objectCount(BUCKET)).isEqualTo(2);

            Ran again = cairn(migrate, aws);
            assertThat(again.code()).as(again.output()).isEqualTo(4);
            assertThat(again.output()).contains("is not empty");

            List<String> serve = new ArrayList<>(List.of("--db", db, "--blobs", "s3://" + BUCKET + "/blobs"));
            serve.addAll(s3Options);
            try (Replica replica = Replica.start(JAR, work.resolve("replica"), serve, aws)) {
                JsonNode resolved = get(replica.url() + "/api/v1/resolve?ref=fraud/production");
                assertThat(resolved.get("version").asInt()).isEqualTo(2);
                assertThat(resolved.get("digest").asText()).isEqualTo(production.manifest().digest());
                assertThat(get(replica.url() + "/api/v1/resolve?ref=fraud@champion").get("version").asInt()).isEqualTo(1);

                List<Long> events = new ArrayList<>();
                get(replica.url() + "/api/v1/events?limit=1000").get("events").forEach(e -> events.add(e.get("seq").asLong()));
                assertThat(events).containsExactlyInAnyOrderElementsOf(sourceEvents);
                assertThat(get(replica.url() + "/api/v1/models/fraud/verify").get("ok").asBoolean()).isTrue();
            }
        }
    }

    private static void register(RegistryService registry, String content) {
        int version = registry.createVersion(Actor.local("it"), "fraud", NewVersion.empty(), true).version();
        registry.addFile(Actor.local("it"), "fraud", version, "model.onnx",
                new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), Optional.empty());
        registry.commit(Actor.local("it"), "fraud", version);
    }

    private record Ran(int code, String output) {}

    /** One {@code java -jar cairn.jar ...} with only the given environment of CAIRN_* and AWS_* variables. */
    private Ran cairn(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(args);
        Path log = Files.createTempFile(work, "cairn", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CAIRN_") || k.startsWith("AWS_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cairn " + args + " did not finish:\n" + Files.readString(log));
        }
        return new Ran(process.exitValue(), Files.readString(log));
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
