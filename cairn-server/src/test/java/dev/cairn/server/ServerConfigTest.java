package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void defaults() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of()).build();
        assertThat(config).isEqualTo(new ServerConfig("127.0.0.1", 8080, Path.of("cairn-data")));
        assertThat(config.url(8080)).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void environmentOverridesDefaultsAndExplicitValuesOverrideEnvironment() {
        Map<String, String> env = Map.of("CAIRN_HOST", "0.0.0.0", "CAIRN_PORT", "9000", "CAIRN_DATA", "/var/lib/cairn");
        ServerConfig fromEnv = ServerConfig.fromEnvironment(env).build();
        assertThat(fromEnv).isEqualTo(new ServerConfig("0.0.0.0", 9000, Path.of("/var/lib/cairn")));
        assertThat(fromEnv.url(9000)).isEqualTo("http://127.0.0.1:9000");

        ServerConfig explicit = ServerConfig.fromEnvironment(env).port(7000).host(null).dataDir(Path.of("d")).build();
        assertThat(explicit).isEqualTo(new ServerConfig("0.0.0.0", 7000, Path.of("d")));
    }

    @Test
    void badValuesFailWithTheirSource() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CAIRN_PORT", "eighty")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CAIRN_PORT");
        assertThatThrownBy(() -> ServerConfig.builder().port(70_000).build()).hasMessageContaining("70000");
        assertThatThrownBy(() -> ServerConfig.builder().host(" ").build()).hasMessageContaining("host");
    }
}
