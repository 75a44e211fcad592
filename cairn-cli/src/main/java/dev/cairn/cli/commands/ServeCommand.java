package dev.cairn.cli.commands;

import dev.cairn.cli.ExitCodes;
import dev.cairn.cli.Main;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = {"Run the Cairn server (REST API, health) until stopped with Ctrl-C.",
    "Everything is kept in the data directory: the SQLite database and the blobs."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (env CAIRN_HOST; default "
            + ServerConfig.DEFAULT_HOST + "; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (env CAIRN_PORT; default "
            + ServerConfig.DEFAULT_PORT + "; 0 picks a free one).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (env CAIRN_DATA; default ./cairn-data).")
    String data;

    @Override
    public Integer call() throws InterruptedException {
        Main main = (Main) spec.root().userObject();
        ServerConfig given = ServerConfig.fromEnvironment()
                .host(host)
                .port(port)
                .dataDir(data == null ? null : Path.of(data))
                .build();
        // A relative data directory is taken from -C, like every other path cairn is given.
        ServerConfig config = new ServerConfig(given.host(), given.port(), main.directory().resolve(given.dataDir()));
        try (CairnServer server = CairnServer.start(config)) { // logs the URL and the data directory
            server.awaitStop();
        }
        return ExitCodes.OK;
    }
}
