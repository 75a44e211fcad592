package dev.cairn.cli.commands;

import dev.cairn.server.ServerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the registry keeps its data, as {@code cairn serve} and {@code cairn db migrate} read it: each option also
 * from its {@code CAIRN_*} variable, which it overrides.
 */
public final class StoreOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory of the embedded defaults (env CAIRN_DATA; default ./cairn-data).")
    String data;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Metadata database: jdbc:sqlite:PATH or "
            + "jdbc:postgresql://HOST:PORT/DB?user=U&password=P (env CAIRN_DB; default jdbc:sqlite:DATA/cairn.db).")
    String db;

    /** The configuration layers below the command's own flags: defaults, the environment, then these options. */
    ServerConfig.Builder apply(ServerConfig.Builder builder) {
        return builder.dataDir(data == null ? null : Path.of(data)).database(db);
    }
}
