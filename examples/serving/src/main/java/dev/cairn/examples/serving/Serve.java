package dev.cairn.examples.serving;

import dev.cairn.client.CairnClient;
import dev.cairn.client.LiveModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve --registry URL --model REFERENCE [--port P] [--cache DIR] [--token T]}: serves the version that
 * {@code REFERENCE} selects ({@code models:/NAME/Production}, {@code models:/NAME@champion}) and follows it: a promotion
 * or a rollback in the registry swaps the model in this process, without a restart and without failing a request.
 */
public final class Serve {
    static final int THREADS = 16;

    /** The command's options; {@code token} may be null (a registry without authentication). */
    public record Options(String registry, String reference, int port, Path cache, String token) {
        static final String USAGE = "usage: serve --registry URL --model REFERENCE [--port P] [--cache DIR] "
                + "[--token T]";

        /** Parses the command line; {@code --token} defaults to the environment's {@code CAIRN_TOKEN}. */
        public static Options parse(String[] args) {
            Args options = Args.parse(args, Set.of("registry", "model", "port", "cache", "token"));
            return new Options(options.required("registry"), options.required("model"),
                    options.intValue("port", 8000, 0, 65535), Path.of(options.optional("cache", "serving-cache")),
                    options.optional("token", System.getenv("CAIRN_TOKEN")));
        }
    }

    private Serve() {}

    public static void main(String[] args) throws InterruptedException {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
        new CountDownLatch(1).await(); // serve until the process is stopped
    }

    /**
     * Starts the service and answers 0, leaving it running in background threads (closed by a shutdown hook); or
     * answers 2 on bad options and 1 when the first version cannot be loaded, printing why.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(Options.USAGE);
            return 2;
        }
        PredictionServer server;
        try {
            server = start(options);
        } catch (RuntimeException e) {
            err.println("error: cannot serve " + options.reference() + ": " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "serving-shutdown"));
        out.println("serving " + options.reference() + " (version " + server.version() + ") on port "
                + server.port());
        return 0;
    }

    /**
     * Loads the version the reference selects (throwing when it cannot: there is nothing to serve), then serves and
     * follows it.
     */
    public static PredictionServer start(Options options) {
        CairnClient client = CairnClient.builder().baseUrl(options.registry())
                .user(System.getProperty("user.name")).token(options.token()).build();
        LiveModel<LogisticRegression> live = LiveModel.follow(client, options.reference(), options.cache(),
                (dir, version) -> LogisticRegression.read(dir.resolve(LogisticRegression.FILE_NAME)));
        try {
            return PredictionServer.start(live, options.port(), THREADS);
        } catch (RuntimeException e) {
            live.close();
            throw e;
        }
    }
}
