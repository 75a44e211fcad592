package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code cairn} in-process against one server, from one working directory, capturing its output. */
final class Cli {
    private final String url;
    private final Path directory;
    private final String token;

    Cli(String url, Path directory) {
        this(url, directory, null);
    }

    private Cli(String url, Path directory, String token) {
        this.url = url;
        this.directory = directory;
        this.token = token;
    }

    /** The same command line run with {@code --token TOKEN}. */
    Cli as(String token) {
        return new Cli(url, directory, token);
    }

    /** What one run printed and its exit status. */
    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }

        <T> T json(Class<T> type) {
            try {
                return Json.mapper().readValue(out, type);
            } catch (IOException e) {
                throw new UncheckedIOException("not a " + type.getSimpleName() + ": " + out, e);
            }
        }
    }

    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--url", url, "-C", directory.toString()));
        if (token != null) {
            all.addAll(List.of("--token", token));
        }
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    /** Runs with exactly {@code args}: no URL or directory added. */
    static Result raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
