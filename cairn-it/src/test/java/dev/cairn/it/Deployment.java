package dev.cairn.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scale-out deployment as DESIGN.md §2 describes it: one PostgreSQL database, one S3 bucket, and several stateless
 * {@code cairn serve} replicas sharing them. Closing it kills every replica, then stops the servers.
 */
final class Deployment implements AutoCloseable {
    static final String BUCKET = "cairn-it";
    static final String PREFIX = "blobs";
    /** Every replica accepts it as an admin's token: authentication is on, as it must be off loopback. */
    static final String ADMIN_TOKEN = "it-admin-" + java.util.UUID.randomUUID();

    private final EmbeddedPostgres postgres;
    private final S3Server s3;
    private final List<Replica> replicas = new ArrayList<>();

    private Deployment(EmbeddedPostgres postgres, S3Server s3) {
        this.postgres = postgres;
        this.s3 = s3;
    }

    static Deployment start(Path jar, Path work, int replicaCount) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        S3Server s3 = null;
        Deployment deployment = null;
        try {
            s3 = S3Server.start(BUCKET);
            deployment = new Deployment(postgres, s3);
            for (int i = 0; i < replicaCount; i++) {
                deployment.replicas.add(Replica.start(jar, work.resolve("replica-" + i), deployment.serveOptions(),
                        Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                                "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                                "AWS_REGION", S3Server.REGION,
                                "CAIRN_ADMIN_TOKEN", ADMIN_TOKEN,
                                // The tests' webhook receivers listen on loopback.
                                "CAIRN_WEBHOOKS_ALLOW_PRIVATE", "true",
                                // Every replica seals and opens webhook secrets with the same key.
                                "CAIRN_WEBHOOKS_SECRET_KEY", "cmVwbGljYXMgc2hhcmUgdGhpcyAzMi1ieXRlIGtleSE=")));
            }
            return deployment;
        } catch (Exception | AssertionError e) {
            if (deployment != null) {
                deployment.close();
            } else {
                if (s3 != null) {
                    s3.close();
                }
                postgres.close();
            }
            throw e;
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    List<Replica> replicas() {
        return replicas;
    }

    long storedBlobs() {
        return s3.objectCount(BUCKET);
    }

    private List<String> serveOptions() {
        return List.of("--db", jdbcUrl(), "--blobs", "s3://" + BUCKET + "/" + PREFIX,
                "--s3-endpoint", s3.endpoint(), "--s3-path-style");
    }

    @Override
    public void close() throws IOException {
        try {
            for (Replica replica : replicas) {
                replica.close();
            }
        } finally {
            try {
                s3.close();
            } finally {
                postgres.close();
            }
        }
    }
}
