package dev.cairn.cli.commands;

import dev.cairn.cli.ExitCodes;
import dev.cairn.cli.Main;
import dev.cairn.server.CairnServer;
import dev.cairn.server.DemoData;
import dev.cairn.server.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = {"Run the Cairn server (REST API, health) until stopped with Ctrl-C.",
    "By default everything is kept in the data directory: the SQLite database and the blobs. For several replicas, "
            + "point --db at PostgreSQL and --blobs at an S3 bucket (docs/deploy.md).",
    "The database schema is migrated on start-up.",
    "Without --auth every caller is one local user, so the server then listens on loopback only: on any other "
            + "address it refuses to start unless --auth, CAIRN_ADMIN_TOKEN or --insecure is given. The environment "
            + "variable CAIRN_ADMIN_TOKEN (never a flag, so it stays out of process lists) is accepted as an admin's "
            + "token and turns authentication on.",
    "CAIRN_WEBHOOKS_SECRET_KEY (32 bytes in base64, from `openssl rand -base64 32`; also environment-only) seals "
            + "webhook secrets at rest; give every replica the same key.",
    "With --demo it first fills the data directory (./cairn-demo unless --data names another) with a made-up "
            + "registry to explore: four models, their versions, transitions, approvals and a rollback."})
public final class ServeCommand implements Callable<Integer> {
    static final Path DEMO_DATA_DIR = Path.of("cairn-demo");

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (env CAIRN_HOST; default "
            + ServerConfig.DEFAULT_HOST + "; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (env CAIRN_PORT; default "
            + ServerConfig.DEFAULT_PORT + "; 0 picks a free one).")
    Integer port;

    @Mixin
    StoreOptions stores;

    @Option(names = "--blobs", paramLabel = "DIR|s3://BUCKET/PREFIX", description = "Blob store: a directory, or an "
            + "S3 bucket and key prefix (env CAIRN_BLOBS; default DATA/blobs). S3 credentials and region come from "
            + "the AWS default chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, profiles, roles).")
    String blobs;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "An S3-compatible service such as MinIO (env CAIRN_S3_ENDPOINT; default Amazon S3).")
    String s3Endpoint;

    @Option(names = "--s3-path-style", description = "Address the bucket in the URL path, as MinIO and most "
            + "S3-compatible services need (env CAIRN_S3_PATH_STYLE=true).")
    Boolean s3PathStyle;

    @Option(names = "--auth", description = "Require an API token on every request but health, readiness and the "
            + "OpenAPI document (env CAIRN_AUTH=true; on as well when CAIRN_ADMIN_TOKEN is set).")
    Boolean auth;

    @Option(names = "--insecure", description = "Serve without authentication on a non-loopback address all the same: "
            + "anyone who reaches it acts as admin (env CAIRN_INSECURE=true).")
    Boolean insecure;

    @Option(names = "--allow-private-webhooks", description = "Let webhooks post to loopback and private addresses "
            + "(this machine, its private network); refused by default (env CAIRN_WEBHOOKS_ALLOW_PRIVATE=true).")
    Boolean allowPrivateWebhooks;

    @Option(names = "--demo", description = "Serve a made-up demo registry, seeded on first use in the data "
            + "directory (default ./cairn-demo); an existing one is reused as it is.")
    boolean demo;

    @Override
    public Integer call() throws InterruptedException {
        Main main = (Main) spec.root().userObject();
        ServerConfig.Builder layers = stores.apply(ServerConfig.fromEnvironment());
        if (demo && stores.data == null) {
            // Not CAIRN_DATA: the demo must never land in the real registry's directory unless --data says so.
            layers.dataDir(DEMO_DATA_DIR);
        }
        ServerConfig config = layers
                .host(host)
                .port(port)
                .blobs(blobs)
                .s3Endpoint(s3Endpoint)
                .s3PathStyle(s3PathStyle)
                .auth(auth)
                .insecure(insecure)
                .allowPrivateWebhooks(allowPrivateWebhooks)
                .build()
                // Relative paths are taken from -C, like every other path cairn is given.
                .relativeTo(main.directory());
        if (demo) {
            if (!config.database().equals(ServerConfig.SQLITE_PREFIX + config.dataDir().resolve("cairn.db"))
                    || !(config.blobs() instanceof ServerConfig.BlobLocation.Directory blobDir)
                    || !blobDir.path().equals(config.dataDir().resolve("blobs"))) {
                throw new IllegalArgumentException("--demo seeds the embedded store of a data directory: "
                        + "give it --data DIR, not --db or --blobs (nor CAIRN_DB or CAIRN_BLOBS)");
            }
            config.requireAuthenticationUnlessLoopback();
            DemoData.seed(config.dataDir());
        }
        // Refuses, in one line, to serve without authentication beyond loopback; logs the URL, the stores and whether
        // authentication is on.
        try (CairnServer server = CairnServer.start(config)) {
            server.awaitStop();
        }
        return ExitCodes.OK;
    }
}
