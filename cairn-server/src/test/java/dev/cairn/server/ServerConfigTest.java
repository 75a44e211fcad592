package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.server.ServerConfig.BlobLocation;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void defaultsKeepEverythingInTheDataDirectory() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of()).build();
        assertThat(config).isEqualTo(new ServerConfig("127.0.0.1", 8080, Path.of("cairn-data"),
                "jdbc:sqlite:" + Path.of("cairn-data", "cairn.db"), new BlobLocation.Directory(Path.of("cairn-data", "blobs"))));
        assertThat(config.url(8080)).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void environmentOverridesDefaultsAndExplicitValuesOverrideEnvironment() {
        Map<String, String> env = Map.of("CAIRN_HOST", "0.0.0.0", "CAIRN_PORT", "9000", "CAIRN_DATA", "/var/lib/cairn");
        ServerConfig fromEnv = ServerConfig.fromEnvironment(env).build();
        assertThat(fromEnv.host()).isEqualTo("0.0.0.0");
        assertThat(fromEnv.port()).isEqualTo(9000);
        assertThat(fromEnv.database()).isEqualTo("jdbc:sqlite:" + Path.of("/var/lib/cairn/cairn.db"));
        assertThat(fromEnv.url(9000)).isEqualTo("http://127.0.0.1:9000");

        ServerConfig explicit = ServerConfig.fromEnvironment(env).port(7000).host(null).dataDir(Path.of("d")).build();
        assertThat(explicit.port()).isEqualTo(7000);
        assertThat(explicit.host()).isEqualTo("0.0.0.0");
        // The embedded defaults follow the data directory the last layer chose.
        assertThat(explicit.blobs()).isEqualTo(new BlobLocation.Directory(Path.of("d", "blobs")));
    }

    @Test
    void postgresAndS3FromTheEnvironmentAndFlags() {
        Map<String, String> env = Map.of("CAIRN_DB", "jdbc:postgresql://db:5432/cairn?user=cairn&password=s3cret",
                "CAIRN_BLOBS", "s3://models/cairn", "CAIRN_S3_ENDPOINT", "http://minio:9000",
                "CAIRN_S3_PATH_STYLE", "true");
        ServerConfig config = ServerConfig.fromEnvironment(env).build();
        assertThat(config.database()).isEqualTo("jdbc:postgresql://db:5432/cairn?user=cairn&password=s3cret");
        assertThat(config.blobs()).isEqualTo(new BlobLocation.S3("s3://models/cairn", URI.create("http://minio:9000"), true));
        assertThat(config.usesDataDir()).isFalse();

        ServerConfig flags = ServerConfig.fromEnvironment(env).blobs("s3://other/p").s3Endpoint(null).build();
        // A flag replaces its variable; an unset flag (null) keeps it.
        assertThat(flags.blobs()).isEqualTo(new BlobLocation.S3("s3://other/p", URI.create("http://minio:9000"), true));
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env).blobs("/mnt/blobs").build())
                .hasMessageContaining("--s3-endpoint (CAIRN_S3_ENDPOINT) is set");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_S3_ENDPOINT", "http://minio:9000")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--s3-endpoint (CAIRN_S3_ENDPOINT) is set, but --blobs (CAIRN_BLOBS) is not an s3://");
    }

    @Test
    void passwordsAreMaskedWhereTheUrlIsShown() {
        ServerConfig config = ServerConfig.builder()
                .database("jdbc:postgresql://db/cairn?user=cairn&password=s3cret&ssl=true").build();
        assertThat(config.databaseShown()).isEqualTo("jdbc:postgresql://db/cairn?user=cairn&password=***&ssl=true");
        assertThat(config.toString()).doesNotContain("s3cret").isNotNull();
        assertThat(ServerConfig.redact("jdbc:postgresql://cairn:s3cret@db/cairn")).isEqualTo(
                "jdbc:postgresql://cairn:***@db/cairn");
        assertThatThrownBy(() -> ServerConfig.builder().database("jdbc:mysql://db/cairn?password=s3cret").build())
                .hasMessageContaining("--db").hasMessageNotContaining("s3cret");
    }

    @Test
    void badValuesAndCombinationsFailWithTheirSource() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_PORT", "eighty")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CAIRN_PORT");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_S3_PATH_STYLE", "yes")))
                .hasMessageContaining("CAIRN_S3_PATH_STYLE");
        assertThatThrownBy(() -> ServerConfig.builder().port(70_000).build()).hasMessageContaining("70000");
        assertThatThrownBy(() -> ServerConfig.builder().host(" ").build()).hasMessageContaining("host");
        assertThatThrownBy(() -> ServerConfig.builder().s3PathStyle(true).build())
                .hasMessageContaining("--s3-path-style");
        assertThatThrownBy(() -> ServerConfig.builder().blobs("gs://bucket").build())
                .hasMessageContaining("neither a directory nor an s3://");
        assertThatThrownBy(() -> ServerConfig.builder().blobs("s3://").build()).hasMessageContaining("s3://BUCKET");
        assertThatThrownBy(() -> ServerConfig.builder().blobs("s3://b").s3Endpoint("minio:9000").build())
                .hasMessageContaining("--s3-endpoint");
    }
}
