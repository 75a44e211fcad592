package dev.cairn.server;

import dev.cairn.core.RegistryException;
import dev.cairn.core.governance.Durations;
import dev.cairn.core.webhook.RetrySchedule;
import dev.cairn.core.webhook.SecretSeal;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a server listens, whom it lets in and where it keeps its data. Built once: defaults, then the environment
 * ({@code CAIRN_HOST}, {@code CAIRN_PORT}, {@code CAIRN_DATA}, {@code CAIRN_DB}, {@code CAIRN_BLOBS},
 * {@code CAIRN_S3_ENDPOINT}, {@code CAIRN_S3_PATH_STYLE}, {@code CAIRN_AUTH}, {@code CAIRN_INSECURE},
 * {@code CAIRN_ADMIN_TOKEN}, {@code CAIRN_WEBHOOKS_ALLOW_PRIVATE}, {@code CAIRN_WEBHOOKS_RETRY_INITIAL},
 * {@code CAIRN_WEBHOOKS_RETRY_MAX}, {@code CAIRN_WEBHOOKS_RETRY_FOR}, {@code CAIRN_WEBHOOKS_SECRET_KEY}), then
 * explicit values; a bad value or combination fails with one message naming the option and its variable.
 *
 * @param dataDir where the embedded defaults live: {@code DATA/cairn.db} and {@code DATA/blobs}
 * @param database the JDBC URL of the metadata database: {@code jdbc:sqlite:PATH} or {@code jdbc:postgresql://...}
 * @param blobs where blob contents are kept: a directory or an S3 bucket
 * @param auth whether callers must authenticate with an API token; always true with an admin token
 * @param insecure the operator's explicit consent to serve without authentication on a non-loopback address
 * @param adminToken accepted as an admin's token ({@code CAIRN_ADMIN_TOKEN}), or null; a secret, never printed
 * @param allowPrivateWebhooks whether webhooks may post to loopback and private addresses
 * @param webhookRetry when failed webhook deliveries are tried again, and for how long
 * @param webhookSeal how webhook secrets are stored: sealed with {@code CAIRN_WEBHOOKS_SECRET_KEY}, or as given
 */
public record ServerConfig(String host, int port, Path dataDir, String database, BlobLocation blobs, boolean auth,
                           boolean insecure, String adminToken, boolean allowPrivateWebhooks,
                           RetrySchedule webhookRetry, SecretSeal webhookSeal) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("cairn-data");
    public static final String SQLITE_PREFIX = "jdbc:sqlite:";
    public static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)((?:password|sslpassword)=)[^&;]*");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(webhookRetry, "webhookRetry");
        Objects.requireNonNull(webhookSeal, "webhookSeal");
        if (database == null || !(database.startsWith(SQLITE_PREFIX) || database.startsWith(POSTGRES_PREFIX))) {
            throw new IllegalArgumentException("--db (CAIRN_DB) must be jdbc:sqlite:PATH or "
                    + "jdbc:postgresql://HOST:PORT/DATABASE, not '" + (database == null ? "" : redact(database)) + "'");
        }
        if (database.startsWith(SQLITE_PREFIX) && database.length() == SQLITE_PREFIX.length()) {
            throw new IllegalArgumentException("--db (CAIRN_DB) jdbc:sqlite: needs a file path");
        }
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
        auth = auth || adminToken != null;
    }

    /**
     * Refuses, with one line naming the ways out, to serve without authentication on an address other machines may
     * reach: only loopback is safe for the single local user, unless the operator passed {@code --insecure}.
     */
    public void requireAuthenticationUnlessLoopback() {
        if (!auth && !insecure && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to serve on " + host + " without authentication: anyone who "
                    + "can reach it could change the registry; pass --auth (CAIRN_AUTH=true) or set CAIRN_ADMIN_TOKEN, "
                    + "listen on 127.0.0.1, or pass --insecure (CAIRN_INSECURE=true) to serve without authentication "
                    + "anyway");
        }
    }

    /**
     * Whether {@code host} is a loopback address: {@code localhost}, 127.0.0.0/8 or ::1. Any other name counts as
     * reachable from elsewhere; it is not resolved, so no DNS answer decides.
     */
    public static boolean isLoopback(String host) {
        String name = host.strip();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(name).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Where blob contents are kept. */
    public sealed interface BlobLocation {
        /** Content-addressed files under a local (or mounted) directory. */
        record Directory(Path path) implements BlobLocation {
            public Directory {
                Objects.requireNonNull(path, "path");
            }

            @Override
            public String toString() {
                return path.toString();
            }
        }

        /**
         * An S3 bucket and key prefix.
         *
         * @param uri {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}
         * @param endpoint an S3-compatible service (MinIO, Ceph, ...), or null for Amazon S3
         * @param pathStyle address the bucket in the URL path, as most S3-compatible services need
         */
        record S3(String uri, URI endpoint, boolean pathStyle) implements BlobLocation {
            public S3 {
                if (uri == null || !uri.startsWith("s3://") || uri.length() == 5 || uri.charAt(5) == '/') {
                    throw new IllegalArgumentException("--blobs (CAIRN_BLOBS) '" + uri
                            + "' is not an S3 location: expected s3://BUCKET/PREFIX");
                }
            }

            @Override
            public String toString() {
                return uri + (endpoint == null ? "" : " at " + endpoint);
            }
        }
    }

    /** Defaults only, ignoring the environment: what tests start from. */
    public static Builder builder() {
        return new Builder();
    }

    /** Defaults overridden by the process environment: what {@code cairn serve} starts from. */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Builder fromEnvironment(Map<String, String> env) {
        Builder builder = builder();
        builder.host(value(env, "CAIRN_HOST"));
        String port = value(env, "CAIRN_PORT");
        if (port != null) {
            try {
                builder.port(Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CAIRN_PORT '" + port + "' is not a port number");
            }
        }
        String data = value(env, "CAIRN_DATA");
        builder.dataDir(data == null ? null : Path.of(data));
        builder.database(value(env, "CAIRN_DB"));
        builder.blobs(value(env, "CAIRN_BLOBS"));
        builder.s3Endpoint(value(env, "CAIRN_S3_ENDPOINT"));
        builder.s3PathStyle(flag(env, "CAIRN_S3_PATH_STYLE"));
        builder.auth(flag(env, "CAIRN_AUTH"));
        builder.insecure(flag(env, "CAIRN_INSECURE"));
        builder.adminToken(value(env, "CAIRN_ADMIN_TOKEN"));
        builder.allowPrivateWebhooks(flag(env, "CAIRN_WEBHOOKS_ALLOW_PRIVATE"));
        builder.webhookRetryInitial(duration(env, "CAIRN_WEBHOOKS_RETRY_INITIAL"));
        builder.webhookRetryMax(duration(env, "CAIRN_WEBHOOKS_RETRY_MAX"));
        builder.webhookRetryFor(duration(env, "CAIRN_WEBHOOKS_RETRY_FOR"));
        String key = value(env, SecretSeal.KEY_VARIABLE);
        builder.webhookSeal(key == null ? null : SecretSeal.fromBase64(key));
        return builder;
    }

    /** An ISO-8601 duration ({@code PT2S}) or a number with a unit: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 24h}. */
    private static Duration duration(Map<String, String> env, String name) {
        String text = value(env, name);
        return text == null ? null : parseDuration(name, text);
    }

    /** Reads a positive duration ({@code 500ms}, {@code 2s}, {@code 5m}, {@code 24h}, {@code PT2S}); {@code what} names the option. */
    public static Duration parseDuration(String what, String text) {
        try {
            return Durations.parse(what, text);
        } catch (RegistryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Boolean flag(Map<String, String> env, String name) {
        String text = value(env, name);
        if (text == null) {
            return null;
        }
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(name + " '" + text + "' is not true or false");
        }
        return Boolean.parseBoolean(text);
    }

    /**
     * The same configuration with relative paths (the data directory, a blob directory, a SQLite file) taken from
     * {@code base}, the directory {@code cairn -C} names.
     */
    public ServerConfig relativeTo(Path base) {
        String db = database.startsWith(SQLITE_PREFIX)
                ? SQLITE_PREFIX + base.resolve(database.substring(SQLITE_PREFIX.length()))
                : database;
        BlobLocation location = blobs instanceof BlobLocation.Directory d ? new BlobLocation.Directory(base.resolve(d.path()))
                : blobs;
        return new ServerConfig(host, port, base.resolve(dataDir), db, location, auth, insecure, adminToken,
                allowPrivateWebhooks, webhookRetry, webhookSeal);
    }

    /** Whether anything is kept in the data directory: the embedded SQLite file or blob directory. */
    public boolean usesDataDir() {
        return database.startsWith(SQLITE_PREFIX) || blobs instanceof BlobLocation.Directory;
    }

    /** The database URL as it may be logged or printed: any password is masked. */
    public String databaseShown() {
        return redact(database);
    }

    /** {@code jdbcUrl} with the values of its password parameters and any {@code user:password@} masked. */
    public static String redact(String jdbcUrl) {
        String masked = QUERY_PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
        return USERINFO_PASSWORD.matcher(masked).replaceAll("$1***@");
    }

    /**
     * Reads a blob location as given to {@code --blobs}, {@code --s3-endpoint} and {@code --s3-path-style}: an
     * {@code s3://} URI selects S3, anything else is a directory; the S3 options without an S3 location are refused.
     */
    public static BlobLocation blobLocation(String blobs, String s3Endpoint, boolean s3PathStyle) {
        if (blobs.startsWith("s3://")) {
            return new BlobLocation.S3(blobs, s3Endpoint == null ? null : endpoint(s3Endpoint), s3PathStyle);
        }
        if (blobs.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
            throw new IllegalArgumentException("--blobs (CAIRN_BLOBS) '" + blobs
                    + "' is neither a directory nor an s3://BUCKET/PREFIX location");
        }
        if (s3Endpoint != null) {
            throw new IllegalArgumentException("--s3-endpoint (CAIRN_S3_ENDPOINT) is set, but --blobs (CAIRN_BLOBS) is "
                    + "not an s3:// location: blobs are kept in the directory " + blobs);
        }
        if (s3PathStyle) {
            throw new IllegalArgumentException("--s3-path-style (CAIRN_S3_PATH_STYLE) is set, but --blobs "
                    + "(CAIRN_BLOBS) is not an s3:// location: blobs are kept in the directory " + blobs);
        }
        return new BlobLocation.Directory(Path.of(blobs));
    }

    private static URI endpoint(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(value, "not an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--s3-endpoint (CAIRN_S3_ENDPOINT) '" + value
                    + "' is not an http(s)://HOST[:PORT] URL");
        }
    }

    /**
     * As a record's, with the database URL's password masked and the admin token left out (only whether one is set),
     * so that logging a configuration leaks nothing.
     */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", database="
                + databaseShown() + ", blobs=" + blobs + ", auth=" + auth + ", insecure=" + insecure + ", adminToken="
                + (adminToken == null ? "none" : "***") + ", allowPrivateWebhooks=" + allowPrivateWebhooks
                + ", webhookRetry=" + webhookRetry + ", webhookSecretKey="
                + (webhookSeal.hasKey() ? "key " + webhookSeal.keyId() : "none") + "]";
    }

    /** The base URL a client on this machine uses: the wildcard address becomes loopback. */
    public String url(int actualPort) {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + actualPort;
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * Collects values; a null argument keeps the value from the layer below, so unset CLI flags can be passed. The
     * database and blob store default to the data directory's {@code cairn.db} and {@code blobs/}, whatever data
     * directory the last layer chose.
     */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path dataDir = DEFAULT_DATA_DIR;
        private String database;
        private String blobs;
        private String s3Endpoint;
        private boolean s3PathStyle;
        private boolean auth;
        private boolean insecure;
        private String adminToken;
        private boolean allowPrivateWebhooks;
        private Duration webhookRetryInitial = RetrySchedule.DEFAULT.initial();
        private Duration webhookRetryMax = RetrySchedule.DEFAULT.max();
        private Duration webhookRetryFor = RetrySchedule.DEFAULT.retryFor();
        private SecretSeal webhookSeal = SecretSeal.none();

        private Builder() {}

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

        /** A JDBC URL: {@code jdbc:sqlite:PATH} or {@code jdbc:postgresql://HOST:PORT/DATABASE?user=...}. */
        public Builder database(String value) {
            if (value != null) {
                database = value;
            }
            return this;
        }

        /** A directory, or {@code s3://BUCKET/PREFIX}. */
        public Builder blobs(String value) {
            if (value != null) {
                blobs = value;
            }
            return this;
        }

        public Builder s3Endpoint(String value) {
            if (value != null) {
                s3Endpoint = value;
            }
            return this;
        }

        public Builder s3PathStyle(Boolean value) {
            if (value != null) {
                s3PathStyle = value;
            }
            return this;
        }

        /** Whether callers must authenticate ({@code --auth}). */
        public Builder auth(Boolean value) {
            if (value != null) {
                auth = value;
            }
            return this;
        }

        /** Serve without authentication on a non-loopback address all the same ({@code --insecure}). */
        public Builder insecure(Boolean value) {
            if (value != null) {
                insecure = value;
            }
            return this;
        }

        /** A token accepted as an admin's; setting one turns authentication on. */
        public Builder adminToken(String value) {
            if (value != null) {
                adminToken = value;
            }
            return this;
        }

        /** Let webhooks post to loopback and private addresses ({@code --allow-private-webhooks}). */
        public Builder allowPrivateWebhooks(Boolean value) {
            if (value != null) {
                allowPrivateWebhooks = value;
            }
            return this;
        }

        /** The pause after a webhook delivery's first failed attempt; it doubles after each further one. */
        public Builder webhookRetryInitial(Duration value) {
            if (value != null) {
                webhookRetryInitial = value;
            }
            return this;
        }

        /** The longest pause between two attempts of a webhook delivery. */
        public Builder webhookRetryMax(Duration value) {
            if (value != null) {
                webhookRetryMax = value;
            }
            return this;
        }

        /** How long after it was made a webhook delivery is retried before it is given up as failed. */
        public Builder webhookRetryFor(Duration value) {
            if (value != null) {
                webhookRetryFor = value;
            }
            return this;
        }

        /** Seal webhook secrets at rest with this key ({@code CAIRN_WEBHOOKS_SECRET_KEY}). */
        public Builder webhookSeal(SecretSeal value) {
            if (value != null) {
                webhookSeal = value;
            }
            return this;
        }

        public ServerConfig build() {
            String db = database != null ? database : SQLITE_PREFIX + dataDir.resolve("cairn.db");
            String blobPlace = blobs != null ? blobs : dataDir.resolve("blobs").toString();
            RetrySchedule retry;
            try {
                retry = new RetrySchedule(webhookRetryInitial, webhookRetryMax, webhookRetryFor);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webhook retries (CAIRN_WEBHOOKS_RETRY_*): " + e.getMessage());
            }
            return new ServerConfig(host, port, dataDir, db, blobLocation(blobPlace, s3Endpoint, s3PathStyle), auth,
                    insecure, adminToken, allowPrivateWebhooks, retry, webhookSeal);
        }
    }
}
