package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.Cli.Result;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn db migrate} and {@code cairn migrate-storage} as an operator runs them: an embedded registry is copied
 * into a new database and blob directory, and a server started on the copy answers as the original did. (The same
 * copy into PostgreSQL and S3 runs in cairn-it, where an S3 server can share the JVM.)
 */
class StorageCommandsIT {
    @TempDir
    Path work;

    @Test
    void anEmbeddedRegistryMovesToANewDatabaseAndBlobStore() throws Exception {
        Path source = work.resolve("cairn-data");
        Files.createDirectories(work.resolve("v1"));
        Files.writeString(work.resolve("v1/model.onnx"), "weights");
        Files.writeString(work.resolve("v1/config.json"), "{}");
        JsonNode before;
        String history;
        try (CairnServer server = CairnServer.start(ServerConfig.builder().port(0).dataDir(source).build())) {
            Cli cairn = new Cli(server.url(), work);
            assertThat(cairn.run("register", "fraud", "v1/", "--metric", "auc=0.9").code()).isZero();
            assertThat(cairn.run("promote", "fraud", "1", "--to", "production").code()).isZero();
            before = cairn.run("resolve", "fraud/production", "-o", "json").json();
            history = cairn.run("history", "fraud").out();
        }

        Path target = work.resolve("target");
        String db = "jdbc:sqlite:" + target.resolve("cairn.db");
        Result migrated = Cli.raw("-C", work.toString(), "db", "migrate", "--db", db);
        assertThat(migrated.code()).as(migrated.err()).isZero();
        assertThat(migrated.out()).contains("is up to date");
        assertThat(target.resolve("cairn.db")).exists();

        Result copied = Cli.raw("-C", work.toString(), "migrate-storage", "--from-data", "cairn-data",
                "--to-db", db, "--to-blobs", "target/blobs");
        assertThat(copied.code()).as(copied.err()).isZero();
        assertThat(copied.out()).contains("copied 1 models, 1 versions, ").contains(" and 2 blobs (9 B)")
                .contains("events ");

        Result again = Cli.raw("-C", work.toString(), "migrate-storage", "--from-data", "cairn-data",
                "--to-db", db, "--to-blobs", "target/blobs");
        assertThat(again.code()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err()).startsWith("error: the target database").contains("is not empty")
                .doesNotContain("\tat ");

        ServerConfig onCopy = ServerConfig.builder().port(0).dataDir(work.resolve("unused"))
                .database(db).blobs(target.resolve("blobs").toString()).build();
        try (CairnServer server = CairnServer.start(onCopy)) {
            Cli cairn = new Cli(server.url(), work);
            JsonNode after = cairn.run("resolve", "fraud/production", "-o", "json").json();
            assertThat(after.get("digest")).isEqualTo(before.get("digest"));
            assertThat(after).isEqualTo(before);
            assertThat(cairn.run("history", "fraud").out()).isEqualTo(history);
            assertThat(cairn.run("verify", "fraud").code()).isZero();
        }
        assertThat(work.resolve("unused")).doesNotExist();
    }

    @Test
    void invalidStoreOptionsFailAtStartWithOneLine() {
        Result serve = Cli.raw("-C", work.toString(), "serve", "--port", "0", "--s3-endpoint", "http://minio:9000");
        assertThat(serve.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(serve.err().strip()).isEqualTo("error: --s3-endpoint (CAIRN_S3_ENDPOINT) is set, but --blobs "
                + "(CAIRN_BLOBS) is not an s3:// location: blobs are kept in the directory cairn-data"
                + java.io.File.separator + "blobs");

        Result db = Cli.raw("-C", work.toString(), "db", "migrate", "--db", "jdbc:mysql://db/cairn?password=secret");
        assertThat(db.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(db.err()).contains("--db").doesNotContain("secret");

        Result missing = Cli.raw("-C", work.toString(), "migrate-storage", "--from-data", "nowhere",
                "--to-db", "jdbc:sqlite:t/cairn.db", "--to-blobs", "t/blobs");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("no embedded registry at");
    }
}
