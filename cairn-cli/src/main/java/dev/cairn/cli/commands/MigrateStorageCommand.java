package dev.cairn.cli.commands;

import dev.cairn.api.ByteSize;
import dev.cairn.cli.ExitCodes;
import dev.cairn.cli.Main;
import dev.cairn.cli.Text;
import dev.cairn.server.BlobBackend;
import dev.cairn.server.ServerConfig;
import dev.cairn.storage.migrate.StorageMigration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate-storage", description = {
    "Copy a whole embedded registry (the SQLite database and the blob directory of a data directory) into another "
            + "metadata database and blob store, such as PostgreSQL and S3 for several replicas.",
    "Every table is copied with its ids and sequences, in one transaction; every referenced blob is copied and "
            + "verified by its sha256. The target must be empty. Stop the server that uses the data directory first."})
public final class MigrateStorageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from-data", required = true, paramLabel = "DIR",
            description = "The data directory to copy from (cairn.db and blobs/).")
    Path fromData;

    @Option(names = "--to-db", required = true, paramLabel = "JDBC_URL",
            description = "The target metadata database: jdbc:postgresql://HOST:PORT/DB?user=U&password=P or "
                    + "jdbc:sqlite:PATH.")
    String toDb;

    @Option(names = "--to-blobs", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "The target blob store: a directory, or an S3 bucket and key prefix (credentials and region "
                    + "from the AWS default chain).")
    String toBlobs;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "An S3-compatible service such as MinIO (default Amazon S3).")
    String s3Endpoint;

    @Option(names = "--s3-path-style", description = "Address the bucket in the URL path, as MinIO needs.")
    boolean s3PathStyle;

    @Override
    public Integer call() {
        Main main = (Main) spec.root().userObject();
        Path base = main.directory();
        ServerConfig target = ServerConfig.builder()
                .dataDir(base)
                .database(toDb)
                .blobs(toBlobs)
                .s3Endpoint(s3Endpoint)
                .s3PathStyle(s3PathStyle)
                .build()
                .relativeTo(base);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StorageMigration.Summary summary;
        try (BlobBackend blobs = BlobBackend.open(target.blobs())) {
            summary = new StorageMigration(base.resolve(fromData), target.database(), target.databaseShown(),
                    blobs.store(), line -> {
                        err.println(line);
                        err.flush();
                    }).run();
        }
        out.printf("copied %d models, %d versions, %d events and %d blobs (%s) to %s and %s%n", summary.models(),
                summary.versions(), summary.events(), summary.blobs(), ByteSize.format(summary.bytes()),
                target.databaseShown(), target.blobs());
        summary.rows().forEach((table, rows) -> out.printf("  %-18s %d rows%n", table, rows));
        return ExitCodes.OK;
    }
}
