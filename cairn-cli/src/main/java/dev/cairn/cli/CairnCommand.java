package dev.cairn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cairn.api.Json;
import dev.cairn.client.CairnClient;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that talks to a server shares: the global options of {@link Main}, a client, and printing
 * either a table or the API record as JSON.
 */
public abstract class CairnCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    private CairnClient client;

    /** Runs the command; answers the exit status (failures are thrown and mapped by {@link ExitCodes}). */
    protected abstract int run();

    @Override
    public final Integer call() {
        return run();
    }

    protected Main main() {
        return (Main) spec.root().userObject();
    }

    protected CairnClient client() {
        if (client == null) {
            client = main().client();
        }
        return client;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected boolean json() {
        return main().output() == Main.OutputFormat.json;
    }

    /** Resolves a path given on the command line against {@code -C} or the current directory. */
    protected Path path(String given) {
        return main().directory().resolve(given).normalize();
    }

    /**
     * Every item of a paged listing: {@code page} fetches the page after a token (null: the first), {@code items} and
     * {@code next} read a page.
     */
    protected static <P, T> List<T> everyPage(Function<String, P> page, Function<P, List<T>> items, Function<P, String> next) {
        List<T> all = new ArrayList<>();
        String token = null;
        do {
            P current = page.apply(token);
            all.addAll(items.apply(current));
            token = next.apply(current);
        } while (token != null);
        return all;
    }

    /** Prints {@code record} as JSON when asked to, else runs {@code table}. */
    protected int print(Object record, Runnable table) {
        if (json()) {
            try {
                out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(record));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            table.run();
        }
        out().flush();
        return ExitCodes.OK;
    }
}
