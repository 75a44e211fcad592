package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.server.ServerConfig.BlobLocation;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigTest {
    @Test
    void defaultsKeepEverythingInTheDataDirectory() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of()).build();
        assertThat(config).isEqualTo(new ServerConfig("127.0.0.1", 8080, Path.of("cairn-data"),
                "jdbc:sqlite:" + Path.of("cairn-data", "cairn.db"), new BlobLocation.Directory(Path.of("cairn-data", "blobs")),
                false, false, null, false, dev.cairn.core.webhook.RetrySchedule.DEFAULT,
                dev.cairn.core.webhook.SecretSeal.none()));
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

    @Test
    void authenticationFromFlagsAndEnvironmentAndTheAdminTokenTurnsItOn() {
        assertThat(ServerConfig.fromEnvironment(Map.of()).build().auth()).isFalse();
        assertThat(ServerConfig.fromEnvironment(Map.of("CAIRN_AUTH", "true")).build().auth()).isTrue();
        assertThat(ServerConfig.fromEnvironment(Map.of("CAIRN_AUTH", "TRUE")).auth(false).build().auth()).isFalse();
        ServerConfig bootstrap = ServerConfig.fromEnvironment(Map.of("CAIRN_ADMIN_TOKEN", " s3cret-admin-token\n")).build();
        assertThat(bootstrap.auth()).isTrue();
        assertThat(bootstrap.adminToken()).isEqualTo("s3cret-admin-token");
        assertThat(ServerConfig.fromEnvironment(Map.of("CAIRN_ADMIN_TOKEN", "  ")).build().adminToken()).isNull();
        assertThat(ServerConfig.fromEnvironment(Map.of("CAIRN_INSECURE", "true")).build().insecure()).isTrue();
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_AUTH", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CAIRN_AUTH");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_INSECURE", "1")))
                .hasMessageContaining("CAIRN_INSECURE");
    }

    @Test
    void theAdminTokenIsNeverPrinted() {
        ServerConfig config = ServerConfig.builder().adminToken("s3cret-admin-token").build();
        assertThat(config.toString()).doesNotContain("s3cret-admin-token").contains("adminToken=***").contains("auth=true");
        assertThat(config.relativeTo(Path.of("/srv")).toString()).doesNotContain("s3cret-admin-token");
        assertThat(config.relativeTo(Path.of("/srv")).adminToken()).isEqualTo("s3cret-admin-token");
        assertThat(ServerConfig.builder().build().toString()).contains("adminToken=none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    void withoutAuthenticationLoopbackIsAllowed(String host) {
        ServerConfig config = ServerConfig.builder().host(host).build();
        assertThat(ServerConfig.isLoopback(host)).isTrue();
        assertThatCode(config::requireAuthenticationUnlessLoopback).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "10.0.0.5", "192.168.1.20", "128.0.0.1", "cairn.example.com", "localhost.evil.com"})
    void withoutAuthenticationAnyOtherAddressIsRefusedUnlessInsecure(String host) {
        assertThat(ServerConfig.isLoopback(host)).isFalse();
        assertThatThrownBy(() -> ServerConfig.builder().host(host).build().requireAuthenticationUnlessLoopback())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--auth").hasMessageContaining("CAIRN_ADMIN_TOKEN").hasMessageContaining("--insecure")
                .hasMessageNotContaining("\n");
        assertThatCode(() -> ServerConfig.builder().host(host).auth(true).build().requireAuthenticationUnlessLoopback())
                .doesNotThrowAnyException();
        assertThatCode(() -> ServerConfig.builder().host(host).adminToken("s3cret").build()
                .requireAuthenticationUnlessLoopback()).doesNotThrowAnyException();
        assertThatCode(() -> ServerConfig.builder().host(host).insecure(true).build()
                .requireAuthenticationUnlessLoopback()).doesNotThrowAnyException();
    }

    @Test
    void theServerRefusesToStartWithoutAuthenticationBeyondLoopbackAndTouchesNothing(@TempDir Path tmp) {
        Path data = tmp.resolve("data");
        ServerConfig exposed = ServerConfig.fromEnvironment(Map.of("CAIRN_HOST", "0.0.0.0")).port(0).dataDir(data).build();
        assertThatThrownBy(() -> CairnServer.start(exposed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refusing to serve on 0.0.0.0 without authentication: anyone who can reach it could change the "
                        + "registry; pass --auth (CAIRN_AUTH=true) or set CAIRN_ADMIN_TOKEN, listen on 127.0.0.1, or pass "
                        + "--insecure (CAIRN_INSECURE=true) to serve without authentication anyway");
        assertThat(data).doesNotExist();
    }
}
