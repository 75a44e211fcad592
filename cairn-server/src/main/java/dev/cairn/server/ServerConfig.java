package dev.cairn.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a server listens and where it keeps its data. Built once: defaults, then the environment ({@code CAIRN_HOST},
 * {@code CAIRN_PORT}, {@code CAIRN_DATA}), then explicit values; a bad value fails with a message naming its source.
 */
public record ServerConfig(String host, int port, Path dataDir) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("cairn-data");

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
    }

    /** Defaults only, ignoring the environment: what tests start from. */
    public static Builder builder() {
        return new Builder(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_DATA_DIR);
    }

    /** Defaults overridden by the process environment: what {@code cairn serve} starts from. */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Builder fromEnvironment(Map<String, String> env) {
        Builder builder = builder();
        String host = env.get("CAIRN_HOST");
        if (host != null && !host.isBlank()) {
            builder.host(host.trim());
        }
        String port = env.get("CAIRN_PORT");
        if (port != null && !port.isBlank()) {
            try {
                builder.port(Integer.parseInt(port.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CAIRN_PORT '" + port + "' is not a port number");
            }
        }
        String data = env.get("CAIRN_DATA");
        if (data != null && !data.isBlank()) {
            builder.dataDir(Path.of(data.trim()));
        }
        return builder;
    }

    /** The base URL a client on this machine uses: the wildcard address becomes loopback. */
    public String url(int actualPort) {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + actualPort;
    }

    /** Collects values; a null argument keeps the value from the layer below, so unset CLI flags can be passed. */
    public static final class Builder {
        private String host;
        private int port;
        private Path dataDir;

        private Builder(String host, int port, Path dataDir) {
            this.host = host;
            this.port = port;
            this.dataDir = dataDir;
        }

        public Builder host(String value) {
            if (value != null) {
                host = value;
            }
            return this;
        }

        public Builder port(Integer value) {
            if (value != null) {
                port = value;
            }
            return this;
        }

        public Builder dataDir(Path value) {
            if (value != null) {
                dataDir = value;
            }
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, dataDir);
        }
    }
}
